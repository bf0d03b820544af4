"""Reply text as the rules read it, whatever the phone did to it.

Two forms:

- `clean`: the official's words, kept for quoting: NFC, every invisible format character
  (zero-width spaces and joiners, BOM, soft hyphen, bidi controls: Unicode category Cf)
  removed, line breaks unified, runs of spaces folded. `aligned` lower-cases it and strips the
  diacritics *without changing its length*, so a span found on it is a span of `clean`.
- `fold`: what the patterns match: NFKC (full-width digits and ％), lower case, no diacritics
  (đ → d), variation selectors removed, teencode and shorthand spelled out ("ko" → "khong",
  "dc" → "duoc", "xog" → "xong", "r" → "roi", "ht" → "hoan thanh", "nv" → "nhiem vu"…),
  stretched letters squeezed ("xongg", "okkk"), spaces folded. Line breaks are kept.

A reply typed without diacritics therefore reads exactly like one typed with them.
"""

from __future__ import annotations

import re
import unicodedata

from bot.domain.text import match_form, strip_diacritics

_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")
_VARIATION = re.compile(r"[\ufe0e\ufe0f]")

# Whole-token shorthand, on the folded form. Only forms that cannot mean anything else here.
_TEENCODE = {
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "hok": "khong",
    "khum": "khong",
    "dc": "duoc",
    "xog": "xong",
    "xg": "xong",
    "r": "roi",
    "roai": "roi",
    "ht": "hoan thanh",
    "nv": "nhiem vu",
    "vb": "van ban",
    "bc": "bao cao",
    "dag": "dang",
    "dg": "dang",
    "kp": "kinh phi",
    "gh": "gia han",
    "mb": "mat bang",
    "hd": "huong dan",
    "e": "em",
    "j": "gi",
    "vs": "voi",
    "trc": "truoc",
    "tks": "cam on",
    "thanks": "cam on",
    "thank": "cam on",
    "oke": "ok",
    "okie": "ok",
    "oki": "ok",
    "okla": "ok",
    "okay": "ok",
    "okey": "ok",
}
_TOKEN = re.compile(r"[a-z0-9]+")
# A whole token (a run of `_TOKEN`) that is shorthand: found by one search, so the words that
# are not (nearly all of them) cost no call each (bench/README.md, finding J).
_SHORTHAND = re.compile(
    r"(?<![a-z0-9])(?:"
    + "|".join(re.escape(form) for form in sorted(_TEENCODE, key=lambda f: (-len(f), f)))
    + r")(?![a-z0-9])"
)
_KEPT = 4096  # distinct characters the table below remembers (a hostile text cannot grow it)


class _FormatCharacters(dict[int, int | None]):
    """`clean`'s `str.translate` table: None (removed) for an invisible format character
    (Unicode category Cf), the character itself otherwise. Each character's category is
    looked up once, then answered by the dict in C instead of a generator asking `unicodedata`
    for every character of every text read (bench/README.md, finding F)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Cf" else code
        if len(self) < _KEPT:
            self[code] = kept
        return kept


_FORMAT_CHARACTERS = _FormatCharacters()
# Stretched letters ("okkk", "xonggg", "daaa": a run of three or more, kept once) and a doubled
# final consonant ("xongg": Vietnamese never doubles one), in one pass: squeezing a run never
# makes a new pair nor changes what follows one, so this is the two passes in turn.
_SQUEEZED = re.compile(r"([a-z])\1{2,}|([bcdghklmnpqrstvx])\2\b")


def clean(text: str) -> str:
    """NFC, no invisible format characters, "\\n" line breaks, single spaces, stripped."""
    text = unicodedata.normalize("NFC", text)
    visible = text.translate(_FORMAT_CHARACTERS)
    if len(visible) != len(text):  # a removed joiner may let two marks compose
        text = unicodedata.normalize("NFC", visible)
    text = _LINE_BREAKS.sub("\n", text)
    return "\n".join(_single_spaced(text)).strip()


def _single_spaced(text: str) -> list[str]:
    """Each line of `text` (split at "\\n" only) with every run of other white space made one
    space, and stripped. `str.split()` and the `\\s` of a `str` pattern agree on what is white
    space, so this is `[^\\S\\n]+` → " " and `strip()` per line, without a regular
    expression's pass over every character (bench/README.md, finding J)."""
    if "\n" not in text:
        return [" ".join(text.split())]
    return [" ".join(line.split()) for line in text.split("\n")]


def aligned(cleaned: str) -> str:
    """`cleaned` in lower case without diacritics, character for character (same length)."""
    return match_form(cleaned, accentless=True)


def _expand(match: re.Match[str]) -> str:
    return _TEENCODE[match.group(0)]


def fold(text: str) -> str:
    """The matching form of a reply (see the module docstring). Idempotent."""
    text = unicodedata.normalize("NFKC", clean(text))
    text = _VARIATION.sub("", text)
    text = strip_diacritics(text.lower())
    text = _SQUEEZED.sub(r"\1\2", text)
    text = _SHORTHAND.sub(_expand, text)
    return "\n".join([line for line in _single_spaced(text) if line])


_OUTER = " \n\t\"'“”‘’«»()[]{}*…!.,;:-–"


def trim(text: str) -> str:
    """Without the quotes, brackets and punctuation around it ("(đạt 30%)", "«xong»!!"); a
    text made only of them ("...") is kept whole: it still says something (nothing clear)."""
    return text.strip(_OUTER) or text.strip()


def words(folded: str) -> list[str]:
    """The alphanumeric tokens of a folded text."""
    return _TOKEN.findall(folded)
