"""The notice as lines: cleaned, hard wraps re-joined, and the markers a line may start with.

Every later step (header, walk) reads these lines, so a format that arrives differently
(a PDF's wrapped lines, Markdown from a chat, "1. ... 2. ..." run together in one paragraph,
a table pasted as pipe- or tab-separated text) is straightened out here once. Each prepared
line remembers the numbers of the lines it came from, so whatever is not used can be shown
to the office by its line number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.domain.text import clean, fold_spaces, remove_zero_width

# The markers that open a part, section, item or bullet. SEPARATOR is a rule line ("-----").
ROMAN = re.compile(r"^(?P<label>XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\s*[.)/]\s*(?P<rest>\S.*)$")
NUMBER = re.compile(r"^(?P<label>\d{1,2})\s*[.)]\s*(?P<rest>[^\W\d_].*)$")
SUBNUMBER = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,2})\.?\s+(?P<rest>\S.*)$")
LETTER = re.compile(r"^(?P<label>[a-zđ])\s*[).]\s+(?P<rest>\S.*)$")
ARTICLE = re.compile(r"^(?:Điều|ĐIỀU|Dieu|DIEU)\s+(?P<label>\d{1,2})\s*[.:]\s*(?P<rest>\S.*)$")
BULLET = re.compile(r"^(?P<sym>[-–—•●▪■➢►❖◆➤→✓·*+◦○□])\s*(?P<rest>.*)$")
SUB_BULLETS = frozenset("+*◦○□")
SEPARATOR = re.compile(r"^[\W_]*$")

_MARKUP = re.compile(r"\*\*|__|(?<=\()\*|\*(?=\))|^#+\s*")
_INLINE_ENUM = re.compile(r"(?<=[:;.])\s+(\d{1,2})[.)]\s+(?=[^\W\d_])")
_TERMINAL = ".;:!?"
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")
_RULE_CELL = re.compile(r"^:?-{2,}:?$")
_RANGE_CONTINUED = re.compile(r"^[-–]\s*\d")


@dataclass
class PastedTable:
    """A table pasted as text: its rows of cells and the prepared lines it occupies."""

    rows: list[list[str]]
    first: int  # index of its first prepared line
    last: int  # index of its last prepared line (inclusive)
    row_lines: list[int] = field(default_factory=list)  # the prepared line of each row


@dataclass
class TextLines:
    """Prepared lines ("" for a blank one), the source lines of each, and the pasted tables."""

    lines: list[str] = field(default_factory=list)
    origins: list[tuple[int, int]] = field(default_factory=list)  # 1-based (first, last)
    tables: list[PastedTable] = field(default_factory=list)

    def number(self, index: int) -> int:
        return self.origins[index][0] if 0 <= index < len(self.origins) else 0

    def numbers(self, index: int) -> range:
        first, last = self.origins[index]
        return range(first, last + 1)


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


def table_cells(raw: str) -> list[str] | None:
    """The cells of a table row pasted as text ("a | b | c", "a<TAB>b<TAB>c"), else None.

    A Markdown rule row ("|---|---|") gives [] (a table line with no cells)."""
    stripped = raw.strip()
    if raw.count("\t") >= 2:
        cells = [fold_spaces(clean(c)) for c in raw.strip("\r\n").split("\t")]
    elif stripped.count("|") >= 3 or (stripped.startswith("|") and stripped.count("|") >= 2):
        cells = [fold_spaces(clean(c)) for c in stripped.strip("|").split("|")]
    else:
        return None
    if all(_RULE_CELL.match(c) for c in cells if c) and any(cells):
        return []
    return cells if sum(1 for c in cells if c) >= 2 else None


def read_lines(text: str) -> TextLines:
    """The text as prepared lines, each with its source line numbers; pasted tables found."""
    raw_text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", remove_zero_width(text)))
    out = TextLines()
    table: PastedTable | None = None
    for number, raw in enumerate(raw_text.split("\n"), start=1):
        cells = table_cells(raw)
        if cells is not None:
            if table is None:
                table = PastedTable([], len(out.lines), len(out.lines))
                out.tables.append(table)
            if cells:
                table.rows.append(cells)
                table.row_lines.append(len(out.lines))
            table.last = len(out.lines)
            out.lines.append(" ".join(c for c in cells if c))
            out.origins.append((number, number))
            continue
        table = None
        line = fold_spaces(_MARKUP.sub("", clean(raw)))
        for piece in _split_inline_enumeration(line):
            if _continues(out, piece):
                out.lines[-1] = f"{out.lines[-1]} {piece}"
                out.origins[-1] = (out.origins[-1][0], number)
            else:
                out.lines.append(piece)
                out.origins.append((number, number))
    return out


def prepare_lines(text: str) -> list[str]:
    """Clean lines ("" for blank ones): markup removed, hard-wrapped sentences re-joined."""
    return read_lines(text).lines


def _continues(out: TextLines, line: str) -> bool:
    """A wrapped line: the previous one is unfinished and this one starts in lower case, or
    with a dash that continues it ("giai đoạn 2026" / "- 2030 của tỉnh")."""
    if not out.lines or not out.lines[-1] or not line or LETTER.match(line):
        return False
    if any(t.first <= len(out.lines) - 1 <= t.last for t in out.tables[-1:]):
        return False
    previous = out.lines[-1]
    if previous[-1] in _TERMINAL:
        return False
    if line[0].islower():
        return True
    return previous[-1].isdigit() and bool(_RANGE_CONTINUED.match(line))
