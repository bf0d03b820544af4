"""The notice as lines: cleaned, hard wraps re-joined, and the markers a line may start with.

Every later step (header, walk) reads these lines, so a format that arrives differently
(a PDF's wrapped lines, Markdown from a chat, "1. ... 2. ..." run together in one paragraph)
is straightened out here once.
"""

from __future__ import annotations

import re

from bot.domain.text import clean, fold_spaces

# The markers that open a part, section, item or bullet. SEPARATOR is a rule line ("-----").
ROMAN = re.compile(r"^(?P<label>XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\s*[.)/]\s*(?P<rest>\S.*)$")
NUMBER = re.compile(r"^(?P<label>\d{1,2})\s*[.)]\s*(?P<rest>[^\W\d_].*)$")
SUBNUMBER = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,2})\.?\s+(?P<rest>\S.*)$")
LETTER = re.compile(r"^(?P<label>[a-zđ])\s*[).]\s+(?P<rest>\S.*)$")
BULLET = re.compile(r"^(?P<sym>[-–—•●▪■➢►❖◆➤→✓·*+◦○□])\s*(?P<rest>.*)$")
SUB_BULLETS = frozenset("+*◦○□")
SEPARATOR = re.compile(r"^[\W_]*$")

_MARKUP = re.compile(r"\*\*|__|(?<=\()\*|\*(?=\))|^#+\s*")
_INLINE_ENUM = re.compile(r"(?<=[:;.])\s+(\d{1,2})[.)]\s+(?=[^\W\d_])")
_TERMINAL = ".;:!?"


def _split_inline_enumeration(line: str) -> list[str]:
    """ "... như sau: 1. Giao ... 2. Yêu cầu ..." -> one line per item (numbers 1, 2, ... only)."""
    if ":" not in line or len(line) > 20000:
        return [line]
    cuts: list[int] = []
    expected = 1
    for match in _INLINE_ENUM.finditer(line):
        if int(match.group(1)) == expected and (expected > 1 or ":" in line[: match.start() + 1]):
            cuts.append(match.start())
            expected += 1
    if len(cuts) < 2:
        return [line]
    pieces = [line[: cuts[0]]]
    pieces += [line[a:b] for a, b in zip(cuts, [*cuts[1:], len(line)], strict=True)]
    return [p.strip() for p in pieces if p.strip()]


def prepare_lines(text: str) -> list[str]:
    """Clean lines ("" for blank ones): markup removed, hard-wrapped sentences re-joined."""
    out: list[str] = []
    for raw in clean(text).split("\n"):
        line = fold_spaces(_MARKUP.sub("", raw))
        for piece in _split_inline_enumeration(line):
            if _continues(out, piece):
                out[-1] = f"{out[-1]} {piece}"
            else:
                out.append(piece)
    return out


def _continues(out: list[str], line: str) -> bool:
    """A wrapped line: the previous one is unfinished and this one starts in lower case."""
    if not out or not out[-1] or not line or LETTER.match(line):
        return False
    return out[-1][-1] not in _TERMINAL and line[0].islower()
