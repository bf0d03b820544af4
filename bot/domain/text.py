"""Vietnamese text normalisation shared by the notice, deadline and agency-name parsers.

Notices arrive from Word, PDF, Zalo and chat: the same word can be NFC or NFD, carry its tone
mark on either vowel ("hoá"/"hóa", "thuỷ"/"thủy"), hide zero-width characters or non-breaking
spaces. Every comparison in the domain goes through these helpers so that those differences
never decide whether two strings match.

The *aligned* helpers (``lower_aligned``, ``match_form``) return a string of exactly the same
length as their input, so a regex match found on the folded form can be mapped back to the
original text by index (used to quote the exact ``source_phrase`` of a deadline).
"""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad")
)
_SPACE_LIKE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")
_WHITESPACE = re.compile(r"\s+")

# Tone marks on the second vowel of "oa", "oe", "uy" (new style) move to the first vowel (old
# style, the one most government documents use). Only in an open syllable (nothing after it)
# and not after "q" ("quý" is "qu" + "ý" in both styles).
_TONED_A = "áàảãạ"
_TONED_E = "éèẻẽẹ"
_TONED_Y = "ýỳỷỹỵ"
_TONED_O = "óòỏõọ"
_TONED_U = "úùủũụ"
_NEW_STYLE = re.compile(
    rf"(?<![qQ])([oO])([{_TONED_A}{_TONED_E}{_TONED_A.upper()}{_TONED_E.upper()}])(?![^\W\d_])"
    rf"|(?<![qQ])([uU])([{_TONED_Y}{_TONED_Y.upper()}])(?![^\W\d_])"
)


def _tone_index(ch: str) -> tuple[int, bool]:
    """Which of the five tones a toned a/e/y carries, and whether it is upper case."""
    low = ch.lower()
    for table in (_TONED_A, _TONED_E, _TONED_Y):
        if low in table:
            return table.index(low), ch != low
    return -1, False


def _move_tone(match: re.Match[str]) -> str:
    first, second = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    index, upper = _tone_index(second)
    table = _TONED_O if first in "oO" else _TONED_U
    toned = table[index].upper() if first.isupper() else table[index]
    bare = unicodedata.normalize("NFD", second)[0]
    return toned + (bare.upper() if upper else bare)


def canonical_tones(text: str) -> str:
    """Rewrite new-style tone placement ("hoá", "thuỷ") to old style ("hóa", "thủy").

    Expects NFC input; keeps the length unchanged so it can be used on aligned forms.
    """
    return _NEW_STYLE.sub(_move_tone, text)


def remove_zero_width(text: str) -> str:
    """Drop zero-width spaces/joiners, BOMs and soft hyphens that copy-paste leaves behind."""
    return text.translate(_ZERO_WIDTH)


def clean(text: str) -> str:
    """NFC, no zero-width characters, unified line breaks and spaces; keeps the line structure."""
    text = unicodedata.normalize("NFC", remove_zero_width(text))
    text = _LINE_BREAKS.sub("\n", text)
    return _SPACE_LIKE.sub(" ", text)


def fold_spaces(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space and strip."""
    return _WHITESPACE.sub(" ", text).strip()


def normalize_text(text: str) -> str:
    """One-line normal form for display and storage: NFC, clean, spaces folded, tones canonical."""
    return canonical_tones(fold_spaces(clean(text)))


def _strip_char(ch: str) -> str:
    """One character without its diacritics ("ệ" -> "e", "đ" -> "d"), same length guaranteed."""
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    if ch.isascii():
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if unicodedata.combining(base) == 0 else ch


def lower_aligned(text: str) -> str:
    """Lower case without changing the length (``"İ".lower()`` has two characters)."""
    lowered = text.lower()
    if len(lowered) == len(text):  # the common case: no character grows when lowered
        return lowered
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


class _StrippedChars(dict[int, str]):
    """``str.translate`` table filled on first use: each character without its diacritics."""

    def __missing__(self, code: int) -> str:
        stripped = _strip_char(chr(code))
        self[code] = stripped
        return stripped


_STRIPPED = _StrippedChars()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics character by character; the length does not change."""
    return text.translate(_STRIPPED)


def match_form(text: str, *, accentless: bool = False) -> str:
    """Lower case, canonical tones and (optionally) no diacritics, aligned with ``text``.

    ``text`` must already be NFC (see ``clean``); the result has the same length.
    """
    folded = canonical_tones(lower_aligned(text))
    return strip_diacritics(folded) if accentless else folded


def fold(text: str) -> str:
    """Accent-free, lower-case, one-line form for loose matching ("Hoá" == "hoa" == "HÓA")."""
    return fold_spaces(strip_diacritics(lower_aligned(clean(text))))


_CANCEL_WORDS = frozenset({"huy", "huy bo", "thoi", "bo qua", "cancel", "stop"})


def means_cancel(text: str) -> bool:
    """Whether an answer to the bot's question calls it off: "hủy", "huỷ" (both tone
    placements are typed), "Hủy bỏ", "thôi", "cancel"; a trailing "." or "!" is ignored."""
    return fold(text).strip(" .!") in _CANCEL_WORDS


_VIETNAMESE_SPECIFIC = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")


def has_vietnamese_diacritics(text: str, *, min_ratio: float = 0.002) -> bool:
    """Whether the text is written with diacritics (False for "Giao So Tai chinh ...")."""
    letters = sum(1 for ch in text[:20000] if ch.isalpha())
    if letters == 0:
        return False
    marked = len(_VIETNAMESE_SPECIFIC.findall(text[:20000]))
    return marked / letters >= min_ratio


def capitalize_first(text: str) -> str:
    """Upper-case the first letter only ("các huyện" -> "Các huyện"); acronyms stay as they are."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


def cut_at_word(text: str, limit: int, ellipsis: str = "…") -> str:
    """`text` on one line in at most `limit` characters, cut after the last whole word
    ("báo cáo Ban…", never "báo cáo Ba…"); a single word longer than the limit is cut inside.
    The files' twin of bot.messaging.format.shorten (reports sit below messaging)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - len(ellipsis)]
    if text[len(head)] != " " and " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:.-–") + ellipsis
