"""The Excel export's whole content, cell by cell, against a snapshot of the workbook the
renderer produced before it was made faster (styles shared per workbook instead of built
and hashed per cell): values, types, number formats, fonts, fills, borders, alignment,
merged ranges, widths and heights, frozen panes, filters, print titles and page setup.

The snapshot (`xlsx_layout.json`) was written once by the former renderer from the world
below; it is never regenerated from the code under test. A deliberate change of the layout
rewrites it with `python -m tests.reports.test_xlsx_layout > tests/reports/xlsx_layout.json`
and says so in its commit.
"""

from __future__ import annotations

import json
import os
import re
import signal
from concurrent.futures.process import BrokenProcessPool
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.domain.league import LeagueRow
from bot.domain.periods import week
from bot.domain.rollup import Category, Counts
from bot.reports import offload
from bot.reports.letterhead import Letterhead
from bot.reports.offload import render_file
from bot.reports.xlsx import render_xlsx
from bot.services.summary import AgencyRow, Rollup, TaskRow, empty_changes, worst_first

AT = date(2020, 3, 27)
SNAPSHOT = Path(__file__).with_name("xlsx_layout.json")


def _counts(seed: int) -> Counts:
    values = {c.value: (seed * 7 + i * 3) % 5 for i, c in enumerate(Category)}
    return Counts(total=sum(values.values()), **values)


def _rollup() -> Rollup:
    rows = sorted(
        (AgencyRow(i + 1, f"Sở số {i + 1}", _counts(i)) for i in range(6)), key=worst_first
    )
    league = tuple(
        LeagueRow(rank, tied, row.agency_id, row.name, row.counts)
        for row, (rank, tied) in zip(
            rows,
            [(1, False), (2, True), (2, True), (4, False), (None, False), (5, False)],
            strict=True,
        )
    )
    return Rollup(
        at=AT,
        period=week(AT),
        notice_number=None,
        agency_id=None,
        overall=sum((r.counts for r in rows), Counts()),
        agencies=tuple(rows),
        notices=(),
        changes=empty_changes(),
        overdue=(),
        silent_agencies=(),
        difficulties=(),
        difficulties_count=0,
        tasks=9,
        league=league,
    )


def _task(n: int, notice: str, **changes: Any) -> TaskRow:
    row: dict[str, Any] = {
        "notice_id": 1 if notice.startswith("22") else 2,
        "notice_number": notice,
        "notice_issued_on": date(2020, 3, 2),
        "task_id": n,
        "code": f"NV{n}",
        "text": f"Nội dung nhiệm vụ {n}",
        "restricted": False,
        "leads": (f"Sở số {n % 6 + 1}",),
        "coordinating": ("Sở số 1", "Sở số 2") if n % 2 else (),
        "deadline": date(2020, 3, 10 + n) if n % 3 else None,
        "original_deadline": None,
        "deadline_phrase": None,
        "category": list(Category)[n % len(Category)],
        "awaiting_confirmation": False,
        "percent": n * 10 if n % 4 else None,
        "last_update_on": date(2020, 3, 20 + n % 5) if n % 2 else None,
        "last_report": f"Báo cáo {n}" if n % 2 else "",
    }
    row.update(changes)
    return TaskRow(**row)


def _task_rows() -> tuple[TaskRow, ...]:
    return (
        _task(1, "22/TB-BCĐ"),
        _task(2, "22/TB-BCĐ", overdue=True, late_working_days=3),
        _task(3, "22/TB-BCĐ", restricted=True, last_report="bí mật"),
        _task(4, "22/TB-BCĐ", returned=True, text="=1+1 không phải công thức"),
        _task(5, "22/TB-BCĐ", category=None, leads=()),
        _task(6, "7/TB-UBND", overdue=True),
        _task(7, "7/TB-UBND", last_report="ký tự\x07 lạ"),
        _task(8, "7/TB-UBND", notice_issued_on=None),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _style(cell: Any) -> dict[str, Any]:
    font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment
    return {
        "font": [font.name, font.sz, font.b, font.i],
        "fill": [fill.fill_type, fill.fgColor.rgb if fill.fill_type else None],
        "border": [s.style for s in (border.left, border.right, border.top, border.bottom)],
        "align": [align.horizontal, align.vertical, align.wrap_text],
        "format": cell.number_format,
    }


def digest(data: bytes) -> dict[str, Any]:
    """Everything an office sees in the workbook, as plain JSON."""
    book = load_workbook(BytesIO(data))
    sheets: dict[str, Any] = {}
    for ws in book.worksheets:
        setup = ws.page_setup
        sheets[ws.title] = {
            "cells": [
                [c.coordinate, _plain(c.value), c.data_type, _style(c)]
                for row in ws.iter_rows()
                for c in row
                if c.value is not None or c.has_style
            ],
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in sorted(ws.column_dimensions.items())},
            "heights": {str(k): d.height for k, d in sorted(ws.row_dimensions.items())},
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "print_titles": ws.print_title_rows,
            "page": [setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight],
            "fit": ws.sheet_properties.pageSetUpPr.fitToPage
            if ws.sheet_properties.pageSetUpPr
            else None,
            "margins": [ws.page_margins.left, ws.page_margins.right, ws.page_margins.top],
        }
    return {"order": book.sheetnames, "sheets": sheets}


def render() -> bytes:
    head = Letterhead(parent="UBND TỈNH HÀ TĨNH", name="Ban Chỉ đạo", symbol="VP")
    return render_xlsx(_rollup(), _task_rows(), title="PHỤ LỤC TÌNH HÌNH THỰC HIỆN", head=head)


def test_the_workbook_is_the_one_the_former_renderer_wrote() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(digest(render()))) == expected


def dumps(found: dict[str, Any]) -> str:
    """The snapshot's text: one line per cell, so a change of layout reads as a short diff."""
    out = json.dumps(found, ensure_ascii=False, indent=1)
    return re.sub(
        r"\[\n\s*\"[A-Z]+[0-9]+\",.*?\n\s*\}\n\s*\]",
        lambda m: json.dumps(json.loads(m.group(0)), ensure_ascii=False),
        out,
        flags=re.S,
    )


if __name__ == "__main__":
    print(dumps(digest(render())))


def _pid() -> bytes:
    return str(os.getpid()).encode()


async def test_the_web_and_the_chat_get_the_same_workbook_from_the_worker_process() -> None:
    """/export/xlsx and /xuatbaocao render through `render_file`: in another process (the
    event loop keeps answering), with the same content."""
    head = Letterhead(parent="UBND TỈNH HÀ TĨNH", name="Ban Chỉ đạo", symbol="VP")
    data = await render_file(
        render_xlsx, _rollup(), _task_rows(), title="PHỤ LỤC TÌNH HÌNH THỰC HIỆN", head=head
    )
    assert json.loads(json.dumps(digest(data))) == json.loads(SNAPSHOT.read_text("utf-8"))
    worker = int(await render_file(_pid))
    assert worker != os.getpid()


async def test_a_dead_worker_is_replaced_by_the_next_file() -> None:
    worker = int(await render_file(_pid))
    os.kill(worker, signal.SIGKILL)
    with pytest.raises(BrokenProcessPool):
        await render_file(_pid)
    assert int(await render_file(_pid)) not in (worker, os.getpid())
    offload.shutdown()


def test_every_sheet_prints_with_the_decrees_margins() -> None:
    """Nghị định 30/2020/NĐ-CP, Phụ lục I: top and bottom 20-25 mm, left 30-35 mm, right
    15-20 mm (openpyxl keeps inches)."""
    book = load_workbook(BytesIO(render()))
    for ws in book.worksheets:
        mm = {
            side: round(25.4 * getattr(ws.page_margins, side), 3)
            for side in ("top", "bottom", "left", "right")
        }
        assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25, ws.title
        assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20, ws.title
