"""The files the office receives, read back: xlsx (openpyxl), docx (python-docx), the chart,
and the command line on a temporary SQLite database."""

from __future__ import annotations

import argparse
import asyncio
import json
import struct
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.domain.periods import week
from bot.domain.rollup import Category, Counts
from bot.reports.chart import MAX_AGENCIES, chart_rows, render_chart
from bot.reports.docx import render_docx
from bot.reports.letterhead import kit_header, letterhead
from bot.reports.xlsx import APPENDIX_HEADERS, HEADER_ROW, TASK_HEADERS, render_xlsx, sheet_name
from bot.services.summary import AgencyRow, Rollup, SummaryService, TaskRow, empty_changes
from storage.engine import make_engine, make_session_factory
from storage.models import Task
from tests.storage.test_summary import TODAY, Builder, build_boundaries, make_ctx

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


async def _boundaries_rollup(
    session_factory: async_sessionmaker[AsyncSession],
) -> tuple[Rollup, tuple[TaskRow, ...]]:
    async with session_factory() as session:
        b = Builder(session)
        await build_boundaries(session, b)
        formula = await b.task("<Sở & Ban>", deadline=date(2025, 3, 20), text="=HYPERLINK(1)")
        await b.report(formula, date(2025, 3, 12), kind="blocked", text="=1+1 @SUM(A1)\x07")
        await session.commit()
    service = SummaryService(make_ctx(session_factory))
    return await service.rollup(), await service.task_rows()


def _workbook(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(BytesIO(data))


async def test_xlsx_appendix_and_notice_sheets(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    rollup, tasks = await _boundaries_rollup(session_factory)
    data = await asyncio.to_thread(render_xlsx, rollup, tasks, title="PHỤ LỤC")
    wb = _workbook(data)
    assert wb.sheetnames == ["Phụ lục", "22-TB-BCĐ", "35-TB-BCĐ"]

    ws = wb["Phụ lục"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert tuple(header) == APPENDIX_HEADERS
    groups = [c.value for c in ws[HEADER_ROW - 1]]
    assert groups[3] == "Nhiệm vụ có thời hạn" and "Nhiệm vụ không thời hạn (KTH)" in groups
    assert all(c.font.bold for c in ws[HEADER_ROW])
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    first_data, last_data = HEADER_ROW + 1, HEADER_ROW + len(rollup.agencies)
    last_column = get_column_letter(len(APPENDIX_HEADERS))
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:{last_column}{last_data}"
    assert ws.column_dimensions["B"].width == 30

    rows = list(ws.iter_rows(min_row=first_data, max_row=last_data, values_only=True))
    assert [r[0] for r in rows] == list(range(1, len(rollup.agencies) + 1))
    assert [r[1] for r in rows] == [a.name for a in rollup.agencies]
    total = [c.value for c in ws[last_data + 1]]
    assert total[1] == "Tổng cộng"
    cells = len(Category)
    for column in range(2, 3 + cells):  # Tổng số and each cell: the total row is the sum
        assert all(isinstance(r[column], int) for r in rows)
        assert total[column] == sum(r[column] for r in rows)
    for r in [*rows, total]:  # each row's cells add up to its Tổng số
        assert sum(r[3 : 3 + cells]) == r[2]
    overall = rollup.overall
    assert total[2 : 3 + cells] == [overall.total, *(overall.cell(c) for c in Category)]
    rate = total[3 + cells]
    assert rate == pytest.approx(round(overall.on_time_rate * 100, 1))  # type: ignore[operator]
    assert ws.cell(row=last_data + 1, column=4 + cells).number_format == "0.0"

    # The office's format: Times New Roman 13, A4 landscape fitted to the width, the header
    # rows printed on every page, the "Kèm theo Báo cáo số" line, overdue cells highlighted.
    assert ws["A1"].value == "PHỤ LỤC"
    assert ws["A3"].value.startswith("(Kèm theo Báo cáo số ……/BC-VPĐP ngày")
    assert ws.cell(row=first_data, column=2).font.name == "Times New Roman"
    assert ws.cell(row=first_data, column=2).font.size == 13
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"${HEADER_ROW - 1}:${HEADER_ROW}"
    overdue_column = 4 + list(Category).index(Category.NOT_STARTED_OVERDUE)
    assert ws.cell(row=HEADER_ROW, column=overdue_column).value == "Chưa TH, quá hạn"
    assert total[overdue_column - 1] == overall.not_started_overdue == 2  # never hidden
    flagged = ws.cell(row=last_data + 1, column=overdue_column)
    assert flagged.fill.fgColor.rgb.endswith("F8CBAD")
    assert "Tỷ lệ HT đúng hạn = HT đúng hạn /" in ws.cell(row=last_data + 3, column=1).value

    sheet = wb["22-TB-BCĐ"]
    assert tuple(c.value for c in sheet[HEADER_ROW]) == TASK_HEADERS
    assert sheet.freeze_panes == f"C{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref is not None
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:J")
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    body = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert len(body) == sum(1 for t in tasks if t.notice_number == "22-TB/BCĐ")
    deadlines = [r[5] for r in body if r[5] is not None]
    assert deadlines and all(isinstance(d, datetime) for d in deadlines)
    date_cell = next(c for c in sheet["F"][HEADER_ROW:] if c.value is not None)
    assert date_cell.number_format == "dd/mm/yyyy" and date_cell.is_date
    assert all(isinstance(r[7], int) for r in body if r[7] is not None)
    statuses = {r[6] for r in body}
    assert "Đã hoàn thành đúng hạn" in statuses
    assert "Chờ xác nhận (có thời hạn)" in statuses
    assert "Chưa giao đơn vị" in statuses  # the task whose only assignment was cancelled
    assert any(str(s).startswith("Chưa thực hiện, đã quá hạn (") for s in statuses)
    overdue_row = next(
        n for n, r in enumerate(body, HEADER_ROW + 1) if str(r[6]).startswith("Đang thực hiện quá")
    )
    assert sheet.cell(row=overdue_row, column=3).fill.fgColor.rgb.endswith("F8CBAD")
    # Agency text can never become a formula.
    injected = next(r for r in body if r[2] == "=HYPERLINK(1)")
    assert injected[9] == "=1+1 @SUM(A1)" and isinstance(injected[8], datetime)
    cell = next(c for c in sheet["C"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"
    assert cell.alignment.wrap_text

    secret = list(wb["35-TB-BCĐ"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert secret[0][2] == "(Nội dung mật)" and secret[0][9] == "(Nội dung mật)"


async def test_a_task_shared_by_two_leads_is_a_row_per_lead(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """Each lead shows its own state: never "Chưa thực hiện" beside another lead's 70 %."""
    async with session_factory() as session:
        b = Builder(session)
        shared = await b.task("Sở Công Thương", deadline=date(2025, 3, 20), status="in_progress")
        task = await session.get(Task, shared.task_id)
        assert task is not None
        await b.assign(task, "Sở Tài chính", status="not_started", updated=False, role="lead")
        await b.assign(task, "Sở Xây dựng", status="in_progress", role="coordinating")
        await session.commit()
    rows = await SummaryService(make_ctx(session_factory)).task_rows()
    mine = [r for r in rows if r.task_id == shared.task_id]
    assert [(r.leads, r.category) for r in mine] == [
        (("Sở Công Thương",), Category.IN_PROGRESS_ON_TIME),
        (("Sở Tài chính",), Category.NOT_STARTED_NOT_DUE),
    ]
    assert all(r.coordinating == ("Sở Xây dựng",) for r in mine)


def test_sheet_names_are_legal_and_unique() -> None:
    assert sheet_name("22-TB/BCĐ") == "22-TB-BCĐ"
    long = "123-TB/BCĐ-UBND-tỉnh-Đồng-Nai-về-chuyển-đổi-số"
    name = sheet_name(long)
    assert len(name) <= 31 and "/" not in name
    assert sheet_name(long, [name]) != name and len(sheet_name(long, [name])) <= 31
    assert sheet_name("a:b?c*[d]") == "a-b-c--d-"


async def test_docx_report_reads_back(session_factory: async_sessionmaker[AsyncSession]) -> None:
    rollup, _tasks = await _boundaries_rollup(session_factory)
    data = await asyncio.to_thread(render_docx, rollup, org_name="Ban Chỉ đạo chuyển đổi số tỉnh")
    document = Document(BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện các Thông báo kết luận của Ban Chỉ đạo" in texts
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ", "III. KIẾN NGHỊ", "PHỤ LỤC"):
        assert heading in texts
    body = "\n".join(texts)
    assert "Tỷ lệ hoàn thành đúng hạn:" in body
    assert "“Thiếu kinh phí <đối ứng> & mặt bằng”" in body  # quoted under its agency
    assert "Nội dung mật số 1" not in body and "Vướng mắc bí mật" not in body
    assert "“=1+1 @SUM(A1)”" in body  # control character dropped, text kept as text

    header = document.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH" in left and "VĂN PHÒNG ĐIỀU PHỐI" in left
    assert "Số:" in left and "/BC-VPĐP" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert "Nơi nhận:" in document.tables[1].rows[0].cells[0].text

    appendix = document.tables[-1]
    rows = [[c.text for c in row.cells] for row in appendix.rows]
    assert rows[0][3] == "Nhiệm vụ có thời hạn"  # the group row, then the flat headers
    assert tuple(rows[1]) == APPENDIX_HEADERS
    assert [r[1] for r in rows[2:-1]] == [a.name for a in rollup.agencies]
    assert rows[-1][1] == "Tổng cộng" and rows[-1][2] == str(rollup.overall.total)
    assert sum(int(r[2]) for r in rows[2:-1]) == rollup.overall.total
    for row in rows[2:]:  # each row's cells add up to its total
        assert sum(int(v) for v in row[3 : 3 + len(Category)]) == int(row[2])
    repeated = [r._tr.trPr is not None and "tblHeader" in r._tr.trPr.xml for r in appendix.rows[:3]]
    assert repeated == [True, True, False]
    assert document.sections[-1].page_width > document.sections[-1].page_height  # landscape
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 14
    # The figures are the partition's, and overdue reads as one group with its parts.
    c = rollup.overall
    assert (
        f"Lượt giao quá hạn: {c.overdue} (đang thực hiện {c.in_progress_overdue}, chưa thực hiện {c.not_started_overdue})"
        in body
    )
    assert f"Tổng số: {rollup.tasks} nhiệm vụ" in body and f"thành {c.total} lượt giao" in body
    assert "(Kèm theo Báo cáo số" in body


async def test_docx_letterhead_from_settings(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await build_boundaries(session)
    rollup = await SummaryService(make_ctx(session_factory)).rollup()
    settings = Settings(
        org_parent="UBND tỉnh Hà Tĩnh",
        org_name="Ban Chỉ đạo các CTMTQG",
        org_short="Văn phòng Điều phối NTM",
        org_symbol="VPĐP-NTM",
        org_place="Hà Tĩnh",
    )
    document = Document(BytesIO(render_docx(rollup, head=letterhead(settings))))
    left, right = (cell.text for cell in document.tables[0].rows[0].cells)
    assert left.splitlines()[:3] == [
        "UBND TỈNH HÀ TĨNH",
        "BAN CHỈ ĐẠO CÁC CTMTQG",
        "VĂN PHÒNG ĐIỀU PHỐI NTM",
    ]
    assert "/BC-VPĐP-NTM" in left
    assert "Hà Tĩnh, ngày …… tháng …… năm ……" in right
    signer = document.tables[1].rows[0].cells[1].text
    assert "CHÁNH VĂN PHÒNG" in signer
    assert "- Lưu: VT, VPĐP-NTM." in document.tables[1].rows[0].cells[0].text
    kit = kit_header(settings)
    assert (kit.parent, kit.issuer, kit.place) == (
        "Ban Chỉ đạo các CTMTQG",
        "Văn phòng Điều phối NTM",
        "Hà Tĩnh",
    )


async def test_docx_for_one_notice_names_it(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await build_boundaries(session)
    rollup = await SummaryService(make_ctx(session_factory)).rollup(notice_number="22-TB/BCĐ")
    document = Document(BytesIO(render_docx(rollup, org_name="Ban Chỉ đạo")))
    texts = [p.text for p in document.paragraphs]
    assert "Kết quả thực hiện Thông báo số 22-TB/BCĐ ngày 01/03/2025" in texts


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _agency_rollup(n: int) -> Rollup:
    rows = tuple(
        AgencyRow(
            i,
            f"Ủy ban nhân dân huyện Đức Trọng số {i}",
            Counts(
                total=5, done_on_time=2, in_progress_overdue=i % 3, not_started_not_due=3 - i % 3
            ),
        )
        for i in range(n)
    )
    overall = sum((r.counts for r in rows), Counts())
    return Rollup(
        TODAY, week(TODAY), "22-TB/BCĐ", None, overall, rows, (), empty_changes(), (), (), (), 0
    )


def test_chart_is_a_png_of_reasonable_size() -> None:
    data = render_chart(_agency_rollup(8))
    assert data.startswith(PNG_MAGIC)
    width, height = _png_size(data)
    assert width == 1100 and 300 <= height <= 1200
    assert 10_000 < len(data) < 1_000_000


def test_chart_caps_the_agencies_and_sums_the_rest() -> None:
    rollup = _agency_rollup(60)
    rows = chart_rows(rollup.agencies)
    assert len(rows) == MAX_AGENCIES
    assert rows[-1][0] == "Khác (36 đơn vị)"
    assert sum((c for _, c in rows), Counts()) == rollup.overall
    data = render_chart(rollup)
    assert data.startswith(PNG_MAGIC) and _png_size(data)[1] <= 1400


async def test_chart_renders_in_threads_at_once() -> None:
    """No pyplot global state: concurrent renders do not interfere."""
    results = await asyncio.gather(
        *(asyncio.to_thread(render_chart, _agency_rollup(n)) for n in (1, 5, 30, 0))
    )
    assert all(r.startswith(PNG_MAGIC) for r in results)


# --- the command line ------------------------------------------------------------------------


async def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        async with make_session_factory(engine)() as session:
            await build_boundaries(session)
    finally:
        await engine.dispose()


def _args(**values: object) -> argparse.Namespace:
    defaults = {"json": False, "at": None, "notice": None, "xlsx": None, "docx": None}
    return argparse.Namespace(**{**defaults, **values})


async def test_cli_summary_json(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli.reports import cmd_summary

    await _seed(sqlite_url)
    settings = Settings(database_url=sqlite_url)
    code = await asyncio.to_thread(cmd_summary, _args(json=True, at="14/03/2025"), settings)
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["at"] == "2025-03-14"
    assert data["overall"]["total"] == 22
    categories = data["overall"]["categories"]
    assert set(categories) == {c.value for c in Category}
    assert sum(categories.values()) == 22
    assert categories[Category.NOT_STARTED_OVERDUE.value] == 2
    assert data["tasks"] == 21 and data["overall"]["on_time"]["base"] == 11
    # The task whose one assignment was withdrawn: a task of the notice, in no count (I2).
    assert data["unassigned_tasks"] == 1
    for row in [*data["agencies"], *data["notices"]]:
        assert sum(row["categories"].values()) == row["total"]
    agencies = {a["agency"]: a for a in data["agencies"]}
    assert set(agencies) == {"Sở Tài chính", "Sở Xây dựng", "UBND huyện Tân Phú"}
    assert sum(a["total"] for a in data["agencies"]) == 22
    assert agencies["UBND huyện Tân Phú"]["overdue"] == 4
    assert [n["number"] for n in data["notices"]] == ["22-TB/BCĐ", "35-TB/BCĐ"]

    code = await asyncio.to_thread(
        cmd_summary, _args(at="2025-03-14", notice="35-TB/BCĐ"), settings
    )
    out = capsys.readouterr().out
    assert code == 0 and "Tổng cộng" in out and "Sở Tài chính" in out

    assert await asyncio.to_thread(cmd_summary, _args(at="14-03"), settings) == 2
    assert await asyncio.to_thread(cmd_summary, _args(notice="99-TB"), settings) == 1


async def test_cli_summary_table_names_the_tasks_given_to_no_agency(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The terminal's table shows beside its totals what --json, /tonghop and the weekly
    digest show: the tasks given to no agency, in no column (review I2's figure)."""
    from bot.cli.reports import cmd_summary

    await _seed(database_url)
    settings = Settings(database_url=database_url)
    assert await asyncio.to_thread(cmd_summary, _args(at="14/03/2025"), settings) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("21 nhiệm vụ, 22 lượt giao")
    assert lines[2] == "+ 1 nhiệm vụ chưa giao đơn vị (không tính vào các cột)"
    total = next(line for line in lines if line.startswith("Tổng cộng"))
    assert int(total.split()[2]) == 22  # the columns still count assignments only


async def test_cli_summary_counts_the_returned_in_json_and_table(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`returned` (thực hiện lại: the office returned the completion) is a figure beside the
    cells like `due_soon`: --json gives it overall, per agency and per notice, and the table
    says it under the totals, as the digest and the workbook do."""
    from bot.cli.reports import cmd_summary

    engine = make_engine(sqlite_url)
    try:
        async with make_session_factory(engine)() as session:
            b = Builder(session)
            await build_boundaries(session, b)
            await b.task("Sở Xây dựng", deadline=date(2025, 3, 30), status="returned")
            await session.commit()
    finally:
        await engine.dispose()
    settings = Settings(database_url=sqlite_url)
    code = await asyncio.to_thread(cmd_summary, _args(json=True, at="14/03/2025"), settings)
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["returned"] == 1
    assert {a["agency"]: a["returned"] for a in data["agencies"]} == {
        "Sở Tài chính": 0,
        "Sở Xây dựng": 1,
        "UBND huyện Tân Phú": 0,
    }
    assert [n["returned"] for n in data["notices"]] == [1, 0]

    assert await asyncio.to_thread(cmd_summary, _args(at="14/03/2025"), settings) == 0
    out = capsys.readouterr().out
    assert "Thực hiện lại (Văn phòng trả lại): 1 lượt giao" in out


async def test_cli_export_writes_both_files(sqlite_url: str, tmp_path: Path) -> None:
    from bot.cli.reports import cmd_export

    await _seed(sqlite_url)
    settings = Settings(database_url=sqlite_url)
    xlsx, docx = tmp_path / "out" / "bc.xlsx", tmp_path / "bc.docx"
    args = _args(xlsx=xlsx, docx=docx, at="2025-03-14")
    assert await asyncio.to_thread(cmd_export, args, settings) == 0
    assert load_workbook(xlsx).sheetnames[0] == "Phụ lục"
    assert Document(str(docx)).tables[-1].rows[-1].cells[1].text == "Tổng cộng"
    assert await asyncio.to_thread(cmd_export, _args(), settings) == 2


async def test_the_quarters_league_in_the_digest_and_the_workbook(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """/tonghop quy: agencies ranked by on-time completion of what fell due in the quarter,
    counts beside each rate; the workbook has the whole table."""
    from bot.domain.periods import parse_period
    from bot.messaging.summary_presenter import render_digest

    async with session_factory() as session:
        await build_boundaries(session)
    quarter = parse_period("quy", today=TODAY, week_ends_on=4)
    assert quarter is not None
    service = SummaryService(make_ctx(session_factory))
    rollup = await service.rollup(period=quarter)
    ranked = [r for r in rollup.league if r.rank is not None]
    assert ranked and ranked[0].rank == 1
    rates = [r.counts.on_time_rate for r in ranked]
    assert rates == sorted(rates, reverse=True)  # type: ignore[type-var]
    text = render_digest(rollup, "vi")
    assert "Xếp hạng HT đúng hạn" in text
    first = ranked[0]
    assert f"1. {first.name}: " in text and f"({first.on_time}/{first.judged})" in text
    week = await service.rollup()
    assert week.league == () and "Xếp hạng" not in render_digest(week, "vi")
    data = render_xlsx(rollup, await service.task_rows(), title="PHỤ LỤC")
    sheet = _workbook(data)["Xếp hạng"]
    body = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert [r[1] for r in body] == [r.name for r in rollup.league]
    assert body[0][0] == 1 and body[0][3] == first.on_time
