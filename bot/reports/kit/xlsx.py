"""The kit's rows as a workbook for mail merge: field names in row 1, one agency a row.

Word's mail merge reads the first row as field names and every value as shown, so the
expiry is text already formatted dd/mm/yyyy HH:MM (a date cell would come out in the
merging computer's locale) and codes stay text. Agencies' names can never become formulas.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bot.reports.kit.model import DEFAULT_TZ, KitRow, clean, local_expiry, notice_label

SHEET = "Mã đăng ký"
HEADERS = (
    "TT",
    "Tên đơn vị",
    "Văn bản",
    "Số nhiệm vụ",
    "Mã đăng ký",
    "Lệnh đăng ký",
    "Đường dẫn",
    "Hạn dùng mã",
)
WIDTHS = (6, 45, 40, 12, 16, 22, 48, 18)


def row_values(index: int, row: KitRow, tz: ZoneInfo = DEFAULT_TZ) -> tuple[Any, ...]:
    """One agency's merge fields, in HEADERS order."""
    return (
        index,
        clean(row.agency),
        "; ".join(notice_label(n) for n in row.notices),
        row.task_count,
        row.code,
        f"/dangky {row.code}",
        row.deep_link,
        local_expiry(row, tz),
    )


def render_xlsx(rows: Sequence[KitRow], *, tz: ZoneInfo = DEFAULT_TZ) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    for column, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), 1):
        heading = sheet.cell(row=1, column=column, value=title)
        heading.font = Font(bold=True)
        heading.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, row in enumerate(rows, 1):
        for column, value in enumerate(row_values(number, row, tz), 1):
            cell = sheet.cell(row=number + 1, column=column)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # text, even when it starts with "="
            else:
                cell.value = value
            cell.alignment = Alignment(vertical="top", wrap_text=column in (2, 3))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(rows) + 1}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
