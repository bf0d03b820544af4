"""The one adapter between the web pages and the roll-up model: what the overview, the
agencies table, a notice's Phụ lục and the chart show, read from `SummaryService` and
`bot.domain.rollup`'s categories. When the roll-up's model changes (issue 16: categories as a
partition of status × timing), this module is the one the web app changes with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain.periods import Period
from bot.domain.rollup import CATEGORY_LABELS_EN, CATEGORY_LABELS_VI, Category, Counts, Flag
from bot.domain.text import fold
from bot.reports.chart import COLOURS, ORDER, chart_rows
from bot.reports.xlsx import APPENDIX_HEADERS, appendix_note, appendix_values
from bot.services import Services
from bot.services.summary import AgencyRow, Rollup

# The overview's order: the partition's cells as the appendix has them (they add up to the
# total): with a deadline, then without.
CATEGORIES = tuple(Category)
FLAGS = (Flag.OVERDUE, Flag.DUE_SOON, Flag.AWAITING_CONFIRMATION)
CHART_WIDTH = 600  # SVG user units for the longest bar
# Columns of the agencies table that can be sorted, as the Counts field (or "name").
SORTABLE = ("name", "total", *(c.value for c in Category), "overdue", "on_time_rate")
SORTABLE += ("completion_rate",)


BAD_COLUMNS = ("in_progress_overdue", "not_started_overdue", "overdue")


def agency_columns(headers: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The agencies table's sortable columns (key, heading): the appendix's, cell by cell."""
    cells = tuple(zip((c.value for c in Category), headers[3 : 3 + len(Category)], strict=True))
    rates = (("on_time_rate", headers[-3]), ("completion_rate", headers[-2]))
    return (("name", headers[1]), ("total", headers[2]), *cells, *rates)


def labels(lang: str) -> dict[Category | Flag, str]:
    return dict(CATEGORY_LABELS_EN if lang == "en" else CATEGORY_LABELS_VI)


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str
    count: int
    percent: float | None  # of the total


@dataclass(frozen=True, slots=True)
class Segment:
    key: str
    label: str
    count: int
    x: float
    width: float
    colour: str


@dataclass(frozen=True, slots=True)
class Bar:
    name: str
    agency_id: int | None
    total: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class AppendixLine:
    number: int | None
    agency_id: int | None
    name: str
    values: tuple[Any, ...]  # APPENDIX_HEADERS[2:11], as in the Excel file
    note: str


async def rollup(
    services: Services,
    *,
    at: date | None = None,
    notice_number: str | None = None,
    agency_id: int | None = None,
    period: Period | None = None,
) -> Rollup:
    return await services.summary.rollup(
        at=at, notice_number=notice_number, agency_id=agency_id, period=period
    )


def figures(counts: Counts, lang: str) -> tuple[tuple[Figure, ...], tuple[Figure, ...]]:
    """The categories (adding up to the total) and the flags that cut across them."""
    names = labels(lang)

    def figure(key: Category | Flag) -> Figure:
        count = int(getattr(counts, key.value))
        share = round(100 * count / counts.total, 1) if counts.total else None
        return Figure(key.value, names[key], count, share)

    return tuple(figure(c) for c in CATEGORIES), tuple(figure(f) for f in FLAGS)


def chart(agencies: tuple[AgencyRow, ...], lang: str) -> tuple[Bar, ...]:
    """Stacked bars per agency (the worst on top, at most 25, the rest summed), scaled to the
    largest total: the weekly chart's data, drawn as SVG rectangles by the page."""
    names = labels(lang)
    rows = chart_rows(agencies)
    ids = [a.agency_id for a in agencies]
    widest = max((counts.total for _, counts in rows), default=0) or 1
    bars = []
    for index, (name, counts) in enumerate(rows):
        x = 0.0
        segments = []
        for category in ORDER:
            count = int(getattr(counts, category.value))
            width = CHART_WIDTH * count / widest
            if count:
                segments.append(
                    Segment(category.value, names[category], count, x, width, COLOURS[category])
                )
            x += width
        summed = len(rows) < len(agencies) and index == len(rows) - 1  # the "Khác" bar
        agency_id = None if summed else ids[index]
        bars.append(Bar(name, agency_id, counts.total, tuple(segments)))
    return tuple(bars)


def legend(lang: str, bars: tuple[Bar, ...] = ()) -> tuple[tuple[str, str, str], ...]:
    """(key, label, colour) of the cells the bars draw (every cell when none are given): the
    legend names nothing that is not on the chart."""
    names = labels(lang)
    drawn = {segment.key for bar in bars for segment in bar.segments}
    return tuple((c.value, names[c], COLOURS[c]) for c in ORDER if not bars or c.value in drawn)


def appendix(result: Rollup) -> tuple[tuple[str, ...], tuple[AppendixLine, ...], AppendixLine]:
    """The Phụ lục as the Excel file has it: headers, one line per agency, the total line."""
    lines = tuple(
        AppendixLine(n, row.agency_id, row.name, tuple(appendix_values(row.counts)),
                     appendix_note(row.counts))
        for n, row in enumerate(result.agencies, start=1)
    )  # fmt: skip
    total = AppendixLine(
        None, None, "", tuple(appendix_values(result.overall)), appendix_note(result.overall)
    )
    return APPENDIX_HEADERS, lines, total


def sort_agencies(
    agencies: tuple[AgencyRow, ...], column: str, descending: bool
) -> tuple[AgencyRow, ...]:
    """The agencies table sorted by a column (ties: worst first, as the roll-up gives them)."""
    if column not in SORTABLE:
        return agencies
    order = {row.agency_id: n for n, row in enumerate(agencies)}

    def value(row: AgencyRow) -> Any:
        if column == "name":
            return fold(row.name)
        found = getattr(row.counts, column)
        return -1.0 if found is None else found

    ranked = sorted(agencies, key=lambda row: order[row.agency_id])
    return tuple(sorted(ranked, key=value, reverse=descending))
