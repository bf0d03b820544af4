"""The Excel export: the appendix (Phụ lục) per agency, then one sheet per notice's tasks.

Offices re-use this file in their own reports, so numbers are numbers, dates are real Excel
dates (dd/mm/yyyy), headers stay frozen and filterable, and text from agencies can never
become a formula. CPU-bound: the caller runs it in a thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.rollup import CATEGORY_LABELS_VI, Category, Counts
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
APPENDIX_WIDTHS = (5, 30, 8, *(8 for _ in Category), 9, 9, 20)
RATE_COLUMNS = (len(APPENDIX_HEADERS) - 2, len(APPENDIX_HEADERS) - 1)  # 1-based
TASK_HEADERS = (
    "TT",
    "Mã",
    "Nội dung",
    "Chủ trì",
    "Phối hợp",
    "Thời hạn",
    "Tình trạng",
    "Tiến độ (%)",
    "Cập nhật gần nhất",
    "Nội dung báo cáo",
)
TASK_WIDTHS = (6, 10, 60, 28, 28, 12, 24, 10, 13, 50)
TOTAL_LABEL = "Tổng cộng"
RESTRICTED = "(Nội dung mật)"
NOT_ASSIGNED = "Chưa giao đơn vị"
HEADER_ROW = 4  # rows 1-2: title and subtitle, row 3 blank
DATE_FORMAT = "dd/mm/yyyy"
RATE_FORMAT = "0.0"
MAX_CELL_TEXT = 32_000  # Excel holds 32,767 characters per cell
_SHEET_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


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


def _put(ws: Worksheet, row: int, column: int, value: Any, **style: Any) -> None:
    """Write one cell; strings stay strings even when they start with '=' (no formulas)."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    cell.border = _BORDER
    cell.alignment = style.pop("alignment", _WRAP)
    for name, setting in style.items():
        setattr(cell, name, setting)


def _title(ws: Worksheet, title: str, subtitle: str, columns: int) -> None:
    ws.cell(row=1, column=1, value=_text(title)).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=_text(subtitle)).font = Font(italic=True)
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    ws.row_dimensions[1].height = 36


def _header(ws: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), 1):
        _put(
            ws, HEADER_ROW, column, text, font=Font(bold=True), fill=_HEADER_FILL, alignment=_CENTER
        )
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3).coordinate


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
    style: dict[str, Any] = {"font": Font(bold=True), "fill": _TOTAL_FILL} if total else {}
    _put(ws, row, 1, number, alignment=_CENTER, **style)
    _put(ws, row, 2, name, **style)
    for offset, value in enumerate(appendix_values(counts)):
        column = 3 + offset
        _put(
            ws, row, column, value, alignment=Alignment(vertical="top", horizontal="right"), **style
        )
        if column in RATE_COLUMNS:
            ws.cell(row=row, column=column).number_format = RATE_FORMAT
    _put(ws, row, len(APPENDIX_HEADERS), appendix_note(counts), **style)


def _subtitle(rollup: Rollup) -> str:
    scope = f"Thông báo số {rollup.notice_number} · " if rollup.notice_number else ""
    return f"{scope}Số liệu đến ngày {_d(rollup.at)}"


def _write_appendix(ws: Worksheet, rollup: Rollup, title: str) -> None:
    _title(ws, title, _subtitle(rollup), len(APPENDIX_HEADERS))
    _header(ws, APPENDIX_HEADERS, APPENDIX_WIDTHS)
    row = HEADER_ROW
    for row_number, agency in enumerate(rollup.agencies, 1):
        row = HEADER_ROW + row_number
        _appendix_row(ws, row, row_number, agency.name, agency.counts)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(APPENDIX_HEADERS))}{row}"
    _appendix_row(ws, row + 1, None, TOTAL_LABEL, rollup.overall, total=True)


def _status(task: TaskRow) -> str:
    if task.category is None:
        return NOT_ASSIGNED
    return CATEGORY_LABELS_VI[task.category]


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
        _status(task),
        task.percent,
        task.last_update_on,
        report,
    ]


def _write_tasks(ws: Worksheet, number: str, tasks: Sequence[TaskRow]) -> None:
    issued = tasks[0].notice_issued_on if tasks else None
    title = f"Danh mục nhiệm vụ Thông báo số {number}"
    subtitle = f"ngày {_d(issued)}" if issued else ""
    _title(ws, title, subtitle, len(TASK_HEADERS))
    _header(ws, TASK_HEADERS, TASK_WIDTHS)
    row = HEADER_ROW
    for index, task in enumerate(tasks, 1):
        row = HEADER_ROW + index
        for column, value in enumerate(_task_values(index, task), 1):
            _put(ws, row, column, value)
            if isinstance(value, date):
                ws.cell(row=row, column=column).number_format = DATE_FORMAT
        ws.cell(row=row, column=1).alignment = _CENTER
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(TASK_HEADERS))}{row}"


def _by_notice(task_rows: Iterable[TaskRow]) -> dict[str, list[TaskRow]]:
    groups: dict[str, list[TaskRow]] = {}
    for task in task_rows:
        groups.setdefault(task.notice_number, []).append(task)
    return groups


def render_xlsx(rollup: Rollup, task_rows: Sequence[TaskRow], *, title: str) -> bytes:
    """The workbook as bytes: "Phụ lục" first, then a sheet per notice."""
    workbook = Workbook()
    appendix = workbook.active
    assert appendix is not None
    appendix.title = APPENDIX_SHEET
    _write_appendix(appendix, rollup, title)
    for number, tasks in _by_notice(task_rows).items():
        ws = workbook.create_sheet(sheet_name(number, workbook.sheetnames))
        _write_tasks(ws, number, tasks)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
