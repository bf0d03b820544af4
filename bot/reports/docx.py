"""A draft Word report (Báo cáo kết quả thực hiện Thông báo) for the office to edit and sign.

Laid out as Vietnamese administrative documents are (Nghị định 30/2020/NĐ-CP): the
letterhead from settings (bot/reports/letterhead.py: parent bodies, issuer, number and symbol,
national name and motto, place and date), Times New Roman on A4 with the decree's margins,
sections I–III, the signature and "Nơi nhận" block, then the appendix on a landscape page with
its header rows repeated on every page. Every figure comes from the roll-up's partition
(docs/rollup.md); the wording around them is a draft for the office to complete and sign.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bot.domain.rollup import Counts
from bot.domain.text import cut_at_word
from bot.reports.letterhead import Letterhead, add_letterhead, attached_line
from bot.reports.page import MARGINS_CM
from bot.reports.xlsx import (
    APPENDIX_GROUPS,
    APPENDIX_HEADERS,
    LEGEND,
    OVERDUE_COLUMNS,
    TOTAL_LABEL,
    appendix_note,
    appendix_values,
)
from bot.services.summary import Difficulty, NoticeRow, Rollup

FONT = "Times New Roman"
BODY_PT = 14
SMALL_PT = 13
TABLE_PT = 10
# Nghị định 30/2020/NĐ-CP (Phụ lục I): top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm,
# on every page, the landscape Phụ lục too. Word stores margins in twips: a value on a bound
# (15 mm) is rounded to just outside it, so each is a little inside its range.
# The appendix's columns on a landscape A4 page: 25.0 cm of the 25.1 cm between its margins.
APPENDIX_CM = (0.9, 3.9, 1.3, *(1.3 for _ in range(11)), 1.3, 1.3, 2.0)
RESTRICTED = "(Nội dung mật)"
MAX_LISTED = 50


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str) -> str:
    """XML (hence Word) refuses control characters; agencies' texts may carry them."""
    return _CONTROL.sub("", text)


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}".replace(".", ",") + "%"


def _short(text: str, limit: int = 160) -> str:
    return cut_at_word(text, limit)


def _setup(document: DocumentObject) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    # East-Asian and complex-script slots too, or Word may substitute a font for diacritics.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    style.paragraph_format.space_after = Pt(3)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    _margins(section)


def _margins(section: Section) -> None:
    """The decree's margins, set on each section (a new one must not inherit other values)."""
    section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])


def _line(
    container: DocumentObject | _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
) -> Paragraph:
    paragraph = container.add_paragraph()
    run = paragraph.add_run(_clean(text))
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


def _cell_lines(cell: _Cell, lines: Sequence[tuple[str, bool, bool, int]]) -> None:
    """Fill a cell with centred lines (text, bold, italic, size); the first reuses the
    cell's own empty paragraph."""
    for index, (text, bold, italic, size) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(_clean(text))
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)


def _notice_phrase(notice: NoticeRow | None) -> str:
    if notice is None:
        return "các Thông báo kết luận của Ban Chỉ đạo"
    phrase = f"Thông báo số {notice.number}"
    if notice.issued_on:
        phrase += f" ngày {_d(notice.issued_on)}"
    if notice.issuer:
        phrase += f" của {_short(notice.issuer, 200)}"
    return phrase


def _title(document: DocumentObject, notice: NoticeRow | None) -> None:
    document.add_paragraph()
    _line(document, "BÁO CÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _line(
        document,
        f"Kết quả thực hiện {_notice_phrase(notice)}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _line(document, "_______________", align=WD_ALIGN_PARAGRAPH.CENTER)


def _results(
    document: DocumentObject, rollup: Rollup, notice: NoticeRow | None, head: Letterhead
) -> None:
    c = rollup.overall
    _line(
        document,
        f"Thực hiện {_notice_phrase(notice)}, {head.issuer} tổng hợp kết quả thực hiện "
        f"(số liệu đến ngày {_d(rollup.at)}) như sau:",
        indent=True,
    )
    _line(document, "I. KẾT QUẢ THỰC HIỆN", bold=True)
    for text in (
        f"Tổng số: {rollup.tasks} nhiệm vụ, giao cho {len(rollup.agencies)} đơn vị chủ trì, "
        f"phối hợp thành {c.total} lượt giao (mỗi lượt giao là một nhiệm vụ giao cho một đơn "
        "vị; các số liệu dưới đây tính theo lượt giao và cộng lại bằng tổng số).",
        f"1. Nhiệm vụ có thời hạn: {c.with_deadline} lượt giao, trong đó:",
        f"- Đã hoàn thành đúng hạn: {c.done_on_time}; đã hoàn thành quá hạn: {c.done_late};",
        f"- Đơn vị đã báo cáo hoàn thành, chờ {head.issuer} xác nhận: {c.awaiting};",
        f"- Đang thực hiện trong hạn: {c.in_progress_on_time}; "
        f"đang thực hiện quá hạn: {c.in_progress_overdue};",
        f"- Chưa thực hiện, chưa đến hạn: {c.not_started_not_due}; "
        f"chưa thực hiện, đã quá hạn: {c.not_started_overdue}.",
        f"2. Nhiệm vụ không thời hạn (thường xuyên): {c.no_deadline} lượt giao, trong đó: "
        f"đã hoàn thành {c.done_no_deadline}; chờ xác nhận {c.awaiting_no_deadline}; "
        f"đang thực hiện {c.in_progress_no_deadline}; chưa thực hiện {c.not_started_no_deadline}.",
        f"3. Tỷ lệ hoàn thành đúng hạn: {_pct(c.on_time_rate)} ({c.on_time.numerator}/"
        f"{c.on_time.base} lượt giao có thời hạn đã hoàn thành hoặc đã quá hạn); tỷ lệ hoàn "
        f"thành: {_pct(c.completion_rate)} ({c.done}/{c.total} lượt giao).",
    ):
        _line(document, text, indent=True)
    changes = rollup.changes
    _line(
        document,
        f"Trong kỳ ({rollup.period.label}): {changes.updates} lượt cập nhật tiến độ, "
        f"{changes.completed_count} lượt giao báo hoàn thành ({changes.confirmed_count} đã "
        f"xác nhận), {changes.overdue_count} lượt giao mới quá hạn.",
        indent=True,
    )
    if len(rollup.notices) > 1:
        _line(document, "Kết quả theo từng văn bản:", indent=True)
        for row in rollup.notices:
            n = row.counts
            _line(
                document,
                f"- Thông báo số {row.number}: {row.tasks} nhiệm vụ, {n.total} lượt giao; "
                f"hoàn thành {n.done} (đúng hạn {n.done_on_time}), quá hạn {n.overdue} "
                f"(trong đó chưa thực hiện {n.not_started_overdue}).",
                indent=True,
            )


def _shortcomings(document: DocumentObject, rollup: Rollup) -> None:
    _line(document, "II. TỒN TẠI, HẠN CHẾ", bold=True)
    c = rollup.overall
    _line(
        document,
        f"1. Lượt giao quá hạn: {c.overdue} (đang thực hiện {c.in_progress_overdue}, "
        f"chưa thực hiện {c.not_started_overdue}).",
        indent=True,
    )
    if not c.overdue:
        _line(document, "- Không có lượt giao quá hạn.", indent=True)
    for item in rollup.overdue[:MAX_LISTED]:
        content = "nội dung mật" if item.restricted else _short(item.text)
        _line(
            document,
            f"- {item.agency_name}: nhiệm vụ {item.task_code} ({content}), hạn {_d(item.deadline)}, "
            f"chậm {item.late_working_days} ngày làm việc.",
            indent=True,
        )
    _more(document, c.overdue - min(len(rollup.overdue), MAX_LISTED), unit="lượt giao")
    # Only the agencies with something overdue are named (review U5): "quá hạn 0" after a
    # name reads as a reproach for nothing.
    late = [a for a in rollup.agencies if a.counts.not_started_overdue]
    late.sort(key=lambda a: -a.counts.not_started_overdue)
    _line(
        document,
        f"2. Lượt giao chưa thực hiện: {c.not_started} (quá hạn {c.not_started_overdue}, "
        f"chưa đến hạn {c.not_started_not_due}, không thời hạn {c.not_started_no_deadline}).",
        indent=True,
    )
    if not late:
        _line(document, "- Không có đơn vị có lượt giao chưa thực hiện đã quá hạn.", indent=True)
    for row in late[:MAX_LISTED]:
        n = row.counts
        _line(
            document,
            f"- {row.name}: {n.not_started_overdue} lượt giao chưa thực hiện đã quá hạn "
            f"(trong {n.not_started} lượt giao chưa thực hiện).",
            indent=True,
        )
    _more(document, len(late) - MAX_LISTED, unit="đơn vị")
    _difficulties(document, rollup)


def _difficulties(document: DocumentObject, rollup: Rollup) -> None:
    """Quoted, grouped by agency (the agency's own words, which the office answers for)."""
    _line(
        document,
        f"3. Khó khăn, vướng mắc các đơn vị phản ánh trong kỳ: {rollup.difficulties_count} ý kiến.",
        indent=True,
    )
    if not rollup.difficulties:
        _line(document, "- Không có đơn vị phản ánh khó khăn, vướng mắc trong kỳ.", indent=True)
    by_agency: dict[str, list[Difficulty]] = {}
    for d in rollup.difficulties[:MAX_LISTED]:
        by_agency.setdefault(d.agency_name, []).append(d)
    for agency, items in by_agency.items():
        _line(document, f"- {agency}:", indent=True)
        for d in items:
            if d.restricted or not d.text.strip():
                quote = RESTRICTED if d.restricted else "(không ghi nội dung)"
            else:
                quote = f"“{_short(d.text, 400)}”"
            _line(
                document,
                f"+ Nhiệm vụ {d.task_code} (ngày {_d(d.reported_on)}): {quote}",
                indent=True,
            )
    _more(
        document,
        rollup.difficulties_count - min(len(rollup.difficulties), MAX_LISTED),
        unit="ý kiến",
    )


def _more(document: DocumentObject, count: int, *, unit: str = "nhiệm vụ") -> None:
    if count > 0:
        _line(
            document,
            f"(Và {count} {unit} khác, chi tiết tại Phụ lục kèm theo.)",
            italic=True,
            indent=True,
        )


def _recommendations(document: DocumentObject, head: Letterhead) -> None:
    _line(document, "III. KIẾN NGHỊ", bold=True)
    for number in (1, 2, 3):
        _line(document, f"{number}. " + "." * 90, indent=True)
    _line(
        document,
        f"({head.issuer} bổ sung kiến nghị trước khi trình ký.)",
        italic=True,
        indent=True,
    )


def _signature(document: DocumentObject, head: Letterhead) -> None:
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    lines = [
        ("Nơi nhận:", True, True, 12),
        ("- Thường trực Ban Chỉ đạo (để b/c);", False, False, 11),
        (f"- {head.name} (để b/c);", False, False, 11),
        ("- Các đơn vị được giao nhiệm vụ;", False, False, 11),
        (f"- Lưu: VT, {head.symbol}.", False, False, 11),
    ]
    for index, (text, bold, italic, size) in enumerate(lines):
        paragraph = left.paragraphs[0] if index == 0 else left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(_clean(text))
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    _cell_lines(
        right,
        [
            (head.signer.upper(), True, False, BODY_PT),
            ("", False, False, BODY_PT),
            ("", False, False, BODY_PT),
            ("", False, False, BODY_PT),
            ("……………………………", True, False, BODY_PT),
        ],
    )


def _landscape_section(document: DocumentObject) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    _margins(section)


def _table_cell(cell: _Cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(_clean(text))
    run.bold = bold
    run.font.size = Pt(TABLE_PT)


def _number(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _repeat_header(row: object) -> None:
    """Mark a table row as a header row, repeated at the top of every page."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _appendix(document: DocumentObject, rollup: Rollup, head: Letterhead) -> Table:
    _landscape_section(document)
    _line(document, "PHỤ LỤC", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _line(
        document,
        f"Kết quả thực hiện theo đơn vị: {rollup.tasks} nhiệm vụ, {rollup.overall.total} lượt "
        f"giao (số liệu đến ngày {_d(rollup.at)})",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _line(document, attached_line(head), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    table = document.add_table(rows=2, cols=len(APPENDIX_HEADERS))
    table.style = "Table Grid"
    table.autofit = False
    groups, headers = table.rows
    for first, last, label in APPENDIX_GROUPS:
        merged = groups.cells[first - 1].merge(groups.cells[last - 1])
        _table_cell(merged, label, bold=True, center=True)
    for index, header in enumerate(APPENDIX_HEADERS):
        in_group = any(first <= index + 1 <= last for first, last, _ in APPENDIX_GROUPS)
        if in_group:
            _table_cell(headers.cells[index], header, bold=True, center=True)
        else:  # TT, Tên đơn vị, Tổng số, the rates and Ghi chú span both header rows
            merged = groups.cells[index].merge(headers.cells[index])
            _table_cell(merged, header, bold=True, center=True)
    _repeat_header(groups)
    _repeat_header(headers)
    for index, agency in enumerate(rollup.agencies, 1):
        _appendix_row(table, str(index), agency.name, agency.counts)
    _appendix_row(table, "", TOTAL_LABEL, rollup.overall, bold=True)
    for column, width in zip(table.columns, APPENDIX_CM, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:  # and every cell, which Word reads
            cell.width = Cm(width)
    _line(document, "Ghi chú: " + LEGEND, italic=True, size=11)
    return table


def _appendix_row(
    table: Table, number: str, name: str, counts: Counts, *, bold: bool = False
) -> None:
    cells = table.add_row().cells
    _table_cell(cells[0], number, bold=bold, center=True)
    _table_cell(cells[1], name, bold=bold)
    values = appendix_values(counts)
    for column, (cell, value) in enumerate(zip(cells[2:-1], values, strict=True), 3):
        strong = bold or (column in OVERDUE_COLUMNS and bool(value))  # overdue stands out
        _table_cell(cell, _number(value), bold=strong, center=True)
    _table_cell(cells[-1], appendix_note(counts), bold=bold)


def render_docx(
    rollup: Rollup,
    *,
    notice: NoticeRow | None = None,
    head: Letterhead | None = None,
    org_name: str | None = None,
) -> bytes:
    """The draft report as .docx bytes. Without `notice`, a one-notice roll-up names its
    notice; otherwise the report covers all notices. `org_name` (the command line's --org)
    replaces the letterhead's steering committee."""
    head = head or Letterhead()
    if org_name:
        head = replace(head, name=org_name)
    if notice is None and len(rollup.notices) == 1:
        notice = rollup.notices[0]
    document = Document()
    _setup(document)
    core = document.core_properties
    core.title, core.author, core.language = "Báo cáo kết quả thực hiện", head.issuer, "vi-VN"
    add_letterhead(document, head)
    _title(document, notice)
    _results(document, rollup, notice, head)
    _shortcomings(document, rollup)
    _recommendations(document, head)
    _signature(document, head)
    _appendix(document, rollup, head)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
