"""Task tables in a PDF page, rebuilt from the cells drawn around its text.

A PDF has no tables, only text placed at positions and lines drawn around it; a text layer
runs a table's columns together ("1 Rà soát … Sở Nông nghiệp … Quý III/2023 Hỗ trợ …"). Here
the drawn cell borders (rectangles, or horizontal and vertical rules) give the grid, each piece
of text goes to the cell holding it, and a grid whose first rows carry a task table's header
words (`find_task_table_header`) is written back into the page's text where it stood, one
tab-separated line per row: the notice reader then reads it as a table pasted as text.

Pure: the caller (bot/notice_files.py) reads the page's pieces and drawing with pypdf and
passes them in as a `Drawing`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.domain.notice import find_task_table_header

__all__ = ["Box", "Drawing", "page_text_with_tables"]

MIN_CELL = 4.0  # points: smaller rectangles are rules or decorations, not cells
SAME = 1.5  # points: two edges this close are one


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    def holds(self, x: float, y: float) -> bool:
        return self.left - 1 <= x <= self.right and self.bottom - 1 <= y <= self.top + 1


@dataclass
class Drawing:
    """What one page draws: text pieces with their positions, cell boxes and rules."""

    pieces: list[tuple[float, float, str]] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    horizontal: list[tuple[float, float, float]] = field(default_factory=list)  # y, x1, x2
    vertical: list[tuple[float, float, float]] = field(default_factory=list)  # x, y1, y2

    def rectangle(self, left: float, bottom: float, right: float, top: float) -> None:
        """A drawn rectangle: a cell, or a thin one standing for a rule."""
        if right - left >= MIN_CELL and top - bottom >= MIN_CELL:
            self.boxes.append(Box(left, bottom, right, top))
        elif right - left >= MIN_CELL:
            self.horizontal.append(((bottom + top) / 2, left, right))
        elif top - bottom >= MIN_CELL:
            self.vertical.append(((left + right) / 2, bottom, top))

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """A drawn segment: a rule when it is horizontal or vertical."""
        if abs(y1 - y2) < SAME and abs(x1 - x2) >= MIN_CELL:
            self.horizontal.append((y1, min(x1, x2), max(x1, x2)))
        elif abs(x1 - x2) < SAME and abs(y1 - y2) >= MIN_CELL:
            self.vertical.append((x1, min(y1, y2), max(y1, y2)))


def _distinct(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > SAME:
            out.append(value)
    return out


def _grid_boxes(drawing: Drawing) -> list[Box]:
    """Cells of a table drawn with rules: between consecutive rules, both ways."""
    if len(drawing.horizontal) < 2 or len(drawing.vertical) < 3:
        return []
    ys = _distinct([y for y, _a, _b in drawing.horizontal])
    xs = _distinct([x for x, _a, _b in drawing.vertical])
    boxes = []
    for bottom, top in itertools.pairwise(ys):
        for left, right in itertools.pairwise(xs):
            if top - bottom >= MIN_CELL and right - left >= MIN_CELL:
                boxes.append(Box(left, bottom, right, top))
    return boxes


def _rows(boxes: list[Box]) -> list[list[Box]]:
    """Cells grouped into rows (same top edge), top row first, each row left to right."""
    rows: dict[float, list[Box]] = {}
    for box in boxes:
        key = next((t for t in rows if abs(t - box.top) <= SAME), box.top)
        rows.setdefault(key, []).append(box)
    return [sorted(rows[top], key=lambda b: b.left) for top in sorted(rows, reverse=True)]


def _cell_text(pieces: list[tuple[float, float, str]]) -> str:
    ordered = sorted(pieces, key=lambda p: (-round(p[1]), p[0]))
    return " ".join(" ".join(text.split()) for _x, _y, text in ordered).strip()


def _lines(pieces: list[tuple[float, float, str]]) -> list[tuple[float, str]]:
    """Text pieces outside the table as lines (same baseline), top first, with their height."""
    lines: list[tuple[float, list[tuple[float, str]]]] = []
    for x, y, text in sorted(pieces, key=lambda p: (-p[1], p[0])):
        if lines and abs(lines[-1][0] - y) <= SAME:
            lines[-1][1].append((x, text))
        else:
            lines.append((y, [(x, text)]))
    out = []
    for y, parts in lines:
        joined = ""
        for _x, text in sorted(parts):
            sep = "" if not joined or joined.endswith(" ") or text.startswith(" ") else " "
            joined += sep + text
        out.append((y, joined.strip()))
    return out


def page_text_with_tables(drawn: Drawing) -> str | None:
    """The page's text with its task table as tab-separated rows, in place; None when the page
    draws no task table (the caller keeps its own text of the page)."""
    boxes = drawn.boxes or _grid_boxes(drawn)
    if not boxes:
        return None
    rows = _rows(boxes)
    cells_text: list[list[str]] = []
    taken: set[int] = set()
    for row in rows:
        texts = []
        for box in row:
            inside = [
                i for i, (x, y, _t) in enumerate(drawn.pieces) if i not in taken and box.holds(x, y)
            ]
            taken.update(inside)
            texts.append(_cell_text([drawn.pieces[i] for i in inside]))
        cells_text.append(texts)
    if find_task_table_header(cells_text) is None:
        return None
    table_top = max(b.top for b in boxes)
    outside = [p for i, p in enumerate(drawn.pieces) if i not in taken]
    above = [text for y, text in _lines(outside) if y > table_top]
    below = [text for y, text in _lines(outside) if y <= table_top]
    table = ["\t".join(cells) for cells in cells_text if any(cells)]
    return "\n".join([*above, *table, *below])
