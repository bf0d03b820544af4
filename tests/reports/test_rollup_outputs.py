"""Every output of one roll-up gives the same numbers (issue 16, item 2): the chat digest,
the Excel appendix, the Word report's appendix, the chart's rows and `dondoc summary
--json`, over random partitions of random agencies. (That the roll-up itself is the pure
rule over any history is tests/storage/test_summary.py's and test_rollup_partition.py's.)"""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from bot.cli.reports import rollup_json
from bot.domain.periods import week
from bot.domain.rollup import Category, Counts
from bot.messaging.layout import plain
from bot.messaging.summary_presenter import render_digest
from bot.reports.chart import chart_rows
from bot.reports.docx import render_docx
from bot.reports.xlsx import APPENDIX_SHEET, HEADER_ROW, render_xlsx
from bot.services.summary import AgencyRow, Rollup, empty_changes, worst_first

AT = date(2020, 3, 27)
cells = st.fixed_dictionaries({c.value: st.integers(min_value=0, max_value=40) for c in Category})


def _counts(values: dict[str, int]) -> Counts:
    return Counts(total=sum(values.values()), **values)


def _rollup(agencies: list[dict[str, int]]) -> Rollup:
    rows = sorted(
        (AgencyRow(i + 1, f"Sở số {i + 1}", _counts(v)) for i, v in enumerate(agencies)),
        key=worst_first,
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
        tasks=7,
    )


def _numbers(row: Counts) -> list[int]:
    return [row.total, *(row.cell(c) for c in Category)]


@given(st.lists(cells, min_size=1, max_size=8))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_output_gives_the_same_numbers(agencies: list[dict[str, int]]) -> None:
    rollup = _rollup(agencies)
    expected = {row.name: _numbers(row.counts) for row in rollup.agencies}
    expected["Tổng cộng"] = _numbers(rollup.overall)

    # JSON: total and the categories, overall and per agency.
    data = rollup_json(rollup)
    assert [data["overall"]["total"], *data["overall"]["categories"].values()] == expected[
        "Tổng cộng"
    ]
    for agency in data["agencies"]:
        assert [agency["total"], *agency["categories"].values()] == expected[agency["agency"]]

    # Excel: the Phụ lục's rows, the total row included.
    sheet = load_workbook(BytesIO(render_xlsx(rollup, (), title="PHỤ LỤC")))[APPENDIX_SHEET]
    width = 1 + len(Category)
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if row[1] in expected:
            assert list(row[2 : 2 + width]) == expected[row[1]], row[1]

    # Word: the appendix table (two header rows, then the agencies and the total).
    table = Document(BytesIO(render_docx(rollup))).tables[-1]
    for row in table.rows[2:]:
        texts = [cell.text for cell in row.cells]
        assert [int(v) for v in texts[2 : 2 + width]] == expected[texts[1]], texts[1]

    # The chart draws the same agencies' cells.
    assert sum((counts for _, counts in chart_rows(rollup.agencies)), Counts()) == rollup.overall

    # The digest: the total, and its state lines add up to it.
    text = plain(render_digest(rollup, "vi"))
    if rollup.overall.total == 0:
        assert "Chưa có nhiệm vụ nào được giao." in text
        return
    assert f"{rollup.overall.total} lượt giao" in text
    states = re.findall(
        r"^\S+ (?:Hoàn thành|Chờ xác nhận|Đang thực hiện|Chưa thực hiện) (\d+)", text, flags=re.M
    )
    assert sum(int(v) for v in states) == rollup.overall.total
    assert f"Hoàn thành {rollup.overall.done} " in text
