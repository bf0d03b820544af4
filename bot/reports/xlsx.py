"""The Excel export: the appendix (Phụ lục) per agency, then one sheet per notice's tasks.

In the format offices file (Nghị định 30/2020/NĐ-CP's Phụ lục): Times New Roman 13, A4
landscape fitted to the page width, the header rows repeated on every printed page, frozen
panes, the "(Kèm theo Báo cáo số …)" line, overdue figures and rows highlighted. The appendix
has a column for each cell of the roll-up's partition (docs/rollup.md), so each row's cells
add up to its Tổng số and the Tổng cộng row is the sum of the rows above it. Offices re-use
the file: numbers are numbers, dates real Excel dates, and agencies' text never a formula.
CPU-bound: the web app and /xuatbaocao run it in a worker process (bot/reports/offload.py).
Styles are shared: each combination of font, fill, alignment and number format is built and
registered once per workbook, and every later cell with it gets a copy of the first one's
style indices (openpyxl otherwise builds and hashes a Font, Border and Alignment per cell:
at 100x the seed, 100,000 cells, that was nearly all of the export's 6 s of CPU).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from copy import copy
from datetime import date
from functools import cache
from io import BytesIO
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.rollup import CATEGORY_LABELS_VI, WITH_DEADLINE, Category, Counts
from bot.reports.letterhead import Letterhead, attached_line
from bot.reports.page import margins_in_inches
from bot.services.summary import Rollup, TaskRow

APPENDIX_SHEET = "Phụ lục"
# The partition's cells as columns, in Category's order: they add up to "Tổng số".
CELL_HEADERS: dict[Category, str] = {
    Category.DONE_ON_TIME: "HT đúng hạn",
    Category.DONE_LATE: "HT quá hạn",
    Category.AWAITING: "Chờ xác nhận",
    Category.IN_PROGRESS_ON_TIME: "Đang TH trong hạn",
    Category.IN_PROGRESS_OVERDUE: "Đang TH quá hạn",
    Category.NOT_STARTED_NOT_DUE: "Chưa TH, chưa đến hạn",
    Category.NOT_STARTED_OVERDUE: "Chưa TH, quá hạn",
    Category.DONE_NO_DEADLINE: "KTH: đã HT",
    Category.AWAITING_NO_DEADLINE: "KTH: chờ xác nhận",
    Category.IN_PROGRESS_NO_DEADLINE: "KTH: đang TH",
    Category.NOT_STARTED_NO_DEADLINE: "KTH: chưa TH",
}
APPENDIX_HEADERS = (
    "TT",
    "Tên đơn vị",
    "Tổng số lượt giao",
    *(CELL_HEADERS[c] for c in Category),
    "Tỷ lệ HT đúng hạn (%)",
    "Tỷ lệ hoàn thành (%)",
    "Ghi chú",
)
# The row above the headers groups the cells: (first column, last column, label), 1-based.
APPENDIX_GROUPS = (
    (4, 3 + len(WITH_DEADLINE), "Nhiệm vụ có thời hạn"),
    (4 + len(WITH_DEADLINE), 3 + len(Category), "Nhiệm vụ không thời hạn (KTH)"),
)
APPENDIX_WIDTHS = (5, 30, 8, *(8 for _ in Category), 9, 9, 20)
RATE_COLUMNS = (len(APPENDIX_HEADERS) - 2, len(APPENDIX_HEADERS) - 1)  # 1-based
OVERDUE_COLUMNS = tuple(
    4 + list(Category).index(c)
    for c in (Category.IN_PROGRESS_OVERDUE, Category.NOT_STARTED_OVERDUE)
)
LEGEND = (
    "Các cột đếm lượt giao (một nhiệm vụ giao cho một đơn vị chủ trì hoặc phối hợp); các cột "
    "từ “HT đúng hạn” đến “KTH: chưa TH” cộng lại bằng Tổng số. HT: hoàn thành; TH: thực "
    "hiện; KTH: không thời hạn. Tỷ lệ HT đúng hạn = HT đúng hạn / (HT đúng hạn + HT quá hạn + "
    "Đang TH quá hạn + Chưa TH, quá hạn), tức trên số lượt giao có thời hạn đã hoàn thành hoặc "
    "đã quá hạn. Tỷ lệ hoàn thành = lượt giao đã hoàn thành (có và không thời hạn) / Tổng số."
)
TASK_HEADERS = (
    "TT",
    "Mã",
    "Nội dung",
    "Đơn vị chủ trì",
    "Phối hợp",
    "Thời hạn",
    "Tình trạng",
    "Tiến độ (%)",
    "Cập nhật gần nhất",
    "Nội dung báo cáo gần nhất",
)
TASK_WIDTHS = (5, 8, 50, 24, 24, 12, 20, 9, 12, 40)
TOTAL_LABEL = "Tổng cộng"
RESTRICTED = "(Nội dung mật)"
NOT_ASSIGNED = "Chưa giao đơn vị"
RETURNED_NOTE = " — thực hiện lại (Văn phòng trả lại)"
HEADER_ROW = 7  # 1 PHỤ LỤC, 2 title, 3 "Kèm theo", 4 scope and date, 5 blank, 6 groups
DATE_FORMAT = "dd/mm/yyyy"
RATE_FORMAT = "0.0"
MAX_CELL_TEXT = 32_000  # Excel holds 32,767 characters per cell
FONT_NAME, FONT_PT = "Times New Roman", 13
_SHEET_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
OVERDUE_FILL = PatternFill("solid", fgColor="F8CBAD")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_RIGHT = Alignment(vertical="top", horizontal="right")


@cache
def _font(*, bold: bool = False, italic: bool = False, size: int = FONT_PT) -> Font:
    """One Font object per combination, for the life of the process: `_put` keys its shared
    styles by the objects' identity."""
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


# Per workbook: (font, alignment, fill, number format) -> the style indices of the first cell
# written with them. Keyed by identity: only module-level objects and `_font`'s are passed.
_STYLES: WeakKeyDictionary[Workbook, dict[tuple[int, int, int, str], StyleArray]]
_STYLES = WeakKeyDictionary()


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def sheet_name(number: str, taken: Iterable[str] = ()) -> str:
    """A legal, unique sheet name from a notice number: no `/`, at most 31 characters."""
    base = _SHEET_FORBIDDEN.sub("-", number).strip("'").strip() or "Thông báo"
    base = base[:31]
    used = {t.casefold() for t in taken}
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]


def _put(
    ws: Worksheet,
    row: int,
    column: int,
    value: Any,
    *,
    font: Font | None = None,
    alignment: Alignment = _WRAP,
    fill: PatternFill | None = None,
    number_format: str = "General",
) -> None:
    """Write one cell, bordered, with its whole style (what it had before is replaced);
    strings stay strings even when they start with '=' (no formulas)."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    font = font or _font()
    book = ws.parent
    assert book is not None
    shared = _STYLES.setdefault(book, {})
    key = (id(font), id(alignment), id(fill), number_format)
    style = shared.get(key)
    indices: Any = cell  # `_style`, a cell's style indices, is not in openpyxl's stubs
    if style is not None:
        indices._style = copy(style)
        return
    indices._style = StyleArray()
    cell.border = _BORDER
    cell.alignment = alignment
    cell.font = font
    if fill is not None:
        cell.fill = fill
    cell.number_format = number_format
    shared[key] = copy(indices._style)


def _banner(ws: Worksheet, row: int, text: str, columns: int, font: Font, height: int = 20) -> None:
    """A line across the table's width (title, "Kèm theo", legend), centred and merged."""
    cell = ws.cell(row=row, column=1, value=_text(text))
    cell.font = font
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.row_dimensions[row].height = height


def _page(ws: Worksheet, header_rows: str) -> None:
    """A4 landscape, fitted to one page wide, the header rows printed on every page, with the
    decree's margins (bot/reports/page.py)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    inches = margins_in_inches()
    margins = ws.page_margins
    margins.left, margins.right = inches["left"], inches["right"]
    margins.top, margins.bottom = inches["top"], inches["bottom"]


def _header(ws: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), 1):
        _put(
            ws,
            HEADER_ROW,
            column,
            text,
            font=_font(bold=True, size=11),
            fill=_HEADER_FILL,
            alignment=_CENTER,
        )
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[HEADER_ROW].height = 60
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3).coordinate


def _groups(ws: Worksheet) -> None:
    row = HEADER_ROW - 1
    for column in range(1, len(APPENDIX_HEADERS) + 1):
        _put(ws, row, column, None, fill=_HEADER_FILL)
    for first, last, label in APPENDIX_GROUPS:
        _put(
            ws,
            row,
            first,
            label,
            font=_font(bold=True, size=11),
            alignment=_CENTER,
            fill=_HEADER_FILL,
        )
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _rate(value: float | None) -> float | None:
    return round(value * 100, 1) if value is not None else None


def appendix_note(counts: Counts) -> str:
    """What cuts across the cells: the overdue total (the two overdue columns) and the
    assignments due within 7 days (part of the "trong hạn"/"chưa đến hạn" columns)."""
    parts = [(counts.overdue, "quá hạn"), (counts.due_soon, "sắp đến hạn (7 ngày)")]
    return "; ".join(f"{n} {label}" for n, label in parts if n)


def appendix_values(counts: Counts) -> list[Any]:
    """The numeric columns of an appendix row, Tổng số .. Tỷ lệ hoàn thành."""
    return [
        counts.total,
        *(counts.cell(c) for c in Category),
        _rate(counts.on_time_rate),
        _rate(counts.completion_rate),
    ]


def _appendix_row(
    ws: Worksheet, row: int, number: int | None, name: str, counts: Counts, *, total: bool = False
) -> None:
    font = _font(bold=True) if total else None
    fill = _TOTAL_FILL if total else None
    _put(ws, row, 1, number, alignment=_CENTER, font=font, fill=fill)
    _put(ws, row, 2, name, font=font, fill=fill)
    for offset, value in enumerate(appendix_values(counts)):
        column = 3 + offset
        _put(
            ws,
            row,
            column,
            value,
            alignment=_RIGHT,
            font=font,
            fill=OVERDUE_FILL if column in OVERDUE_COLUMNS and value else fill,
            number_format=RATE_FORMAT if column in RATE_COLUMNS else "General",
        )
    _put(ws, row, len(APPENDIX_HEADERS), appendix_note(counts), font=font, fill=fill)


def _scope(rollup: Rollup) -> str:
    scope = f"Thông báo số {rollup.notice_number} · " if rollup.notice_number else ""
    return (
        f"{scope}{rollup.tasks} nhiệm vụ, {rollup.overall.total} lượt giao · "
        f"Số liệu đến ngày {_d(rollup.at)}"
    )


def _write_appendix(ws: Worksheet, rollup: Rollup, title: str, head: Letterhead) -> None:
    columns = len(APPENDIX_HEADERS)
    _banner(ws, 1, "PHỤ LỤC", columns, _font(bold=True, size=14))
    _banner(ws, 2, title, columns, _font(bold=True), height=36)
    _banner(ws, 3, attached_line(head), columns, _font(italic=True))
    _banner(ws, 4, _scope(rollup), columns, _font(italic=True))
    _groups(ws)
    _header(ws, APPENDIX_HEADERS, APPENDIX_WIDTHS)
    row = HEADER_ROW
    for row_number, agency in enumerate(rollup.agencies, 1):
        row = HEADER_ROW + row_number
        _appendix_row(ws, row, row_number, agency.name, agency.counts)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{row}"
    _appendix_row(ws, row + 1, None, TOTAL_LABEL, rollup.overall, total=True)
    _banner(ws, row + 3, LEGEND, columns, _font(italic=True, size=11), height=48)
    ws.cell(row=row + 3, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    _page(ws, f"{HEADER_ROW - 1}:{HEADER_ROW}")


def status_cell(task: TaskRow) -> str:
    if task.category is None:
        return NOT_ASSIGNED
    label = CATEGORY_LABELS_VI[task.category]
    if task.overdue and task.late_working_days:
        label += f" ({task.late_working_days} ngày làm việc)"
    if task.returned:
        label += RETURNED_NOTE
    return label


def _task_values(number: int, task: TaskRow) -> list[Any]:
    report = task.last_report
    if task.restricted and report:
        report = RESTRICTED
    return [
        number,
        task.code,
        RESTRICTED if task.restricted else task.text,
        ", ".join(task.leads),
        ", ".join(task.coordinating),
        task.deadline,
        status_cell(task),
        task.percent,
        task.last_update_on,
        report,
    ]


def _write_tasks(ws: Worksheet, number: str, tasks: Sequence[TaskRow], head: Letterhead) -> None:
    columns = len(TASK_HEADERS)
    issued = tasks[0].notice_issued_on if tasks else None
    dated = f" ngày {_d(issued)}" if issued else ""
    _banner(ws, 1, f"DANH MỤC NHIỆM VỤ THÔNG BÁO SỐ {number}{dated}", columns, _font(bold=True))
    _banner(ws, 2, attached_line(head), columns, _font(italic=True))
    _banner(
        ws,
        3,
        "Mỗi dòng là một nhiệm vụ và một đơn vị chủ trì: nhiệm vụ giao nhiều đơn vị chủ trì có "
        "một dòng cho mỗi đơn vị, với tình trạng của đơn vị đó. Dòng tô đỏ: quá hạn.",
        columns,
        _font(italic=True, size=11),
        height=32,
    )
    _header(ws, TASK_HEADERS, TASK_WIDTHS)
    row = HEADER_ROW
    for index, task in enumerate(tasks, 1):
        row = HEADER_ROW + index
        fill = OVERDUE_FILL if task.overdue else None
        for column, value in enumerate(_task_values(index, task), 1):
            _put(
                ws,
                row,
                column,
                value,
                alignment=_CENTER if column == 1 else _WRAP,
                fill=fill,
                number_format=DATE_FORMAT if isinstance(value, date) else "General",
            )
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{row}"
    _page(ws, f"{HEADER_ROW}:{HEADER_ROW}")


LEAGUE_SHEET = "Xếp hạng"
LEAGUE_HEADERS = (
    "Hạng",
    "Tên đơn vị",
    "Lượt giao đến hạn trong kỳ",
    "HT đúng hạn",
    "HT quá hạn",
    "Quá hạn chưa HT",
    "Tỷ lệ HT đúng hạn (%)",
    "Ghi chú",
)
LEAGUE_WIDTHS = (7, 34, 12, 10, 10, 10, 11, 26)


def _write_league(ws: Worksheet, rollup: Rollup, head: Letterhead) -> None:
    """The period's league table: rate with its counts beside it, ties named."""
    columns = len(LEAGUE_HEADERS)
    period = rollup.period
    _banner(ws, 1, f"XẾP HẠNG ĐƠN VỊ THEO TỶ LỆ HOÀN THÀNH ĐÚNG HẠN ({period.label})", columns,
            _font(bold=True), height=36)  # fmt: skip
    _banner(ws, 2, attached_line(head), columns, _font(italic=True))
    _banner(
        ws,
        3,
        "Tính trên các lượt giao có thời hạn rơi vào kỳ, đã hoàn thành hoặc đã quá hạn. Cùng "
        "tỷ lệ và cùng số lượt giao: đồng hạng; cùng tỷ lệ, nhiều lượt giao hơn xếp trước.",
        columns,
        _font(italic=True, size=11),
        height=32,
    )
    _header(ws, LEAGUE_HEADERS, LEAGUE_WIDTHS)
    for index, row in enumerate(rollup.league, 1):
        c = row.counts
        note = (
            "Đồng hạng" if row.tied else ("Không có lượt giao đến hạn" if row.rank is None else "")
        )
        values = [row.rank, row.name, c.with_deadline, c.done_on_time, c.done_late, c.overdue,
                  _rate(c.on_time_rate), note]  # fmt: skip
        for column, value in enumerate(values, 1):
            _put(
                ws,
                HEADER_ROW + index,
                column,
                value,
                alignment=_WRAP if column in (2, 8) else _RIGHT,
                number_format=RATE_FORMAT if column == 7 else "General",
            )
    _page(ws, f"{HEADER_ROW}:{HEADER_ROW}")


def _by_notice(task_rows: Iterable[TaskRow]) -> dict[str, list[TaskRow]]:
    groups: dict[str, list[TaskRow]] = {}
    for task in task_rows:
        groups.setdefault(task.notice_number, []).append(task)
    return groups


def render_xlsx(
    rollup: Rollup,
    task_rows: Sequence[TaskRow],
    *,
    title: str,
    head: Letterhead | None = None,
) -> bytes:
    """The workbook as bytes: "Phụ lục" first, then a sheet per notice."""
    head = head or Letterhead()
    workbook = Workbook()
    appendix = workbook.active
    assert appendix is not None
    appendix.title = APPENDIX_SHEET
    _write_appendix(appendix, rollup, title, head)
    if rollup.league:
        _write_league(workbook.create_sheet(LEAGUE_SHEET), rollup, head)
    for number, tasks in _by_notice(task_rows).items():
        ws = workbook.create_sheet(sheet_name(number, workbook.sheetnames))
        _write_tasks(ws, number, tasks, head)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
