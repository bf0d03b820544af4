"""The kit as a Word file, for an office that edits before printing: the same cover and
pages as the PDF, in Times New Roman (the font Nghị định 30/2020/NĐ-CP names, present on
the office's computers), the QR codes as PNG pictures, one agency a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import TypedDict, Unpack
from zoneinfo import ZoneInfo

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bot.reports.kit import qr, text
from bot.reports.kit.model import DEFAULT_TZ, KitHeader, KitRow, clean, local_expiry
from bot.reports.page import MARGINS_CM

FONT = "Times New Roman"
MONO = "Courier New"
BODY_PT = 13
LEFT_CM, RIGHT_CM = 6.5, 9.5  # the header's columns: 16 cm of text width
TEXT_CM = 16.0
QR_CM = 6.0
COVER_CM = (0.9, 4.4, 2.6, 1.4, 2.9, 2.3, 1.5)  # 16 cm: the text width
_PBDR_SUCCESSORS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _setup(document: DocumentObject) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    style.paragraph_format.space_after = Pt(3)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])


class _Style(TypedDict, total=False):
    """How `_add` sets a run: what `_para` passes on."""

    bold: bool
    italic: bool
    size: float | None
    mono: bool


def _add(
    paragraph: Paragraph,
    words: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    mono: bool = False,
) -> None:
    run = paragraph.add_run(words)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if mono:
        run.font.name = MONO


def _para(
    container: DocumentObject | _Cell,
    words: str = "",
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first: bool = False,
    **style: Unpack[_Style],
) -> Paragraph:
    paragraph = (
        container.paragraphs[0]
        if first and isinstance(container, _Cell)
        else container.add_paragraph()
    )
    if words:
        _add(paragraph, words, **style)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(2)
    return paragraph


def _rule(cell: _Cell, length_cm: float, column_cm: float) -> None:
    """A solid rule of `length_cm`, centred: the bottom border of an empty paragraph whose
    indents leave that length (Nghị định 30: a line, not an underline)."""
    paragraph = cell.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(2), Pt(2)
    indent = max(0.0, (column_cm - length_cm) / 2)
    fmt.left_indent, fmt.right_indent = Cm(indent), Cm(indent)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_PBDR_SUCCESSORS)


def _text_cm(words: str, size_pt: float, em: float = 0.5) -> float:
    """An estimate of a Times New Roman line's width, enough to size a rule under it."""
    return len(words) * size_pt * em * 2.54 / 72


def _header(document: DocumentObject, header: KitHeader) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (LEFT_CM, RIGHT_CM))
    left, right = table.rows[0].cells
    centre = WD_ALIGN_PARAGRAPH.CENTER
    parent = clean(header.parent).upper()
    issuer = clean(header.issuer).upper()
    if parent:
        _para(left, parent, first=True, align=centre, size=12)
    _para(left, issuer, first=not parent, align=centre, bold=True, size=12)
    widest = min(_text_cm(issuer, 12, 0.6), LEFT_CM)
    _rule(left, widest * 0.4, LEFT_CM)
    _para(right, text.NATIONAL_NAME, first=True, align=centre, bold=True, size=12)
    _para(right, text.MOTTO, align=centre, bold=True, size=13)
    _rule(right, _text_cm(text.MOTTO, 13, 0.45), RIGHT_CM)
    dated = text.header_date(clean(header.place), header.issued_on)
    _para(right, dated, align=centre, italic=True, size=13)


def _widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths, written in the grid and in every cell: Word reads the cells,
    LibreOffice the grid."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _keep_rows_whole(table: Table) -> None:
    for row in table.rows:
        flag = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().insert_element_before(
            flag, "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"
        )


def _repeat_as_heading(table: Table) -> None:
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row_properties.insert_element_before(
        flag, "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange"
    )


def _cover(
    document: DocumentObject, rows: Sequence[KitRow], header: KitHeader, bot: str, tz: ZoneInfo
) -> None:
    _header(document, header)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "")
    _para(document, text.COVER_TITLE, align=centre, bold=True, size=14)
    _para(document, text.cover_subtitle(len(rows), bot), align=centre, italic=True, size=12)
    table = document.add_table(rows=1, cols=len(text.COVER_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, text.COVER_HEADERS, strict=True):
        _para(cell, title, first=True, align=centre, bold=True, size=10.5)
    for index, row in enumerate(rows, 1):
        values = (
            str(index),
            clean(row.agency),
            clean(text.cover_notices(row.notices)),
            str(row.task_count),
            row.code,
            local_expiry(row, tz),
            "",
        )
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            align = None if column in (1, 2) else centre
            _para(cell, value, first=True, align=align, size=10, bold=column == 4, mono=column == 4)
    _widths(table, COVER_CM)
    _keep_rows_whole(table)
    _repeat_as_heading(table)


def _code_table(document: DocumentObject, row: KitRow, tz: ZoneInfo) -> None:
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (QR_CM + 0.6, TEXT_CM - QR_CM - 0.6))
    picture_cell, code_cell = table.rows[0].cells
    centre = WD_ALIGN_PARAGRAPH.CENTER
    picture = _para(picture_cell, first=True, align=centre)
    picture.add_run().add_picture(BytesIO(qr.png(row.deep_link)), width=Cm(QR_CM))
    _para(picture_cell, text.SCAN_HINT, align=centre, italic=True, size=10)
    _para(code_cell, text.CODE_LABEL, first=True, align=centre, bold=True, size=13)
    _para(code_cell, row.code, align=centre, bold=True, size=26, mono=True)
    command = _para(code_cell, text.COMMAND_LABEL + " ", align=centre, size=13)
    _add(command, f"/dangky {row.code}", bold=True, size=13, mono=True)
    _para(
        code_cell,
        f"{text.EXPIRY_LABEL} {local_expiry(row, tz)}",
        align=centre,
        bold=True,
        size=14,
    )
    _para(code_cell, text.SINGLE_USE, align=centre, italic=True, size=11)


def _agency_page(
    document: DocumentObject, row: KitRow, header: KitHeader, bot: str, tz: ZoneInfo
) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _header(document, header)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "")
    _para(document, text.PAGE_TITLE, align=centre, bold=True, size=14)
    _para(document, f"{text.TO} {clean(row.agency)}", align=centre, bold=True, size=15)
    intro = _para(document, text.intro(row, bot), align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    intro.paragraph_format.space_after = Pt(8)
    _code_table(document, row, tz)
    _para(document, text.STEPS_TITLE, bold=True).paragraph_format.space_before = Pt(8)
    for number, step in enumerate(text.steps(row.code, bot), 1):
        paragraph = _para(document, f"{number}. ", bold=True)
        _add(paragraph, step)
    for note in (text.RENEW, clean(header.contact), *(clean(e) for e in header.extra)):
        if note:
            _para(document, note, italic=True, size=11)
    _para(document, f"{text.LINK_LABEL} {row.deep_link}", size=10)


def render_docx(
    rows: Sequence[KitRow], header: KitHeader, *, bot_username: str, tz: ZoneInfo = DEFAULT_TZ
) -> bytes:
    document = Document()
    _setup(document)
    core = document.core_properties
    core.title, core.author, core.language = text.PAGE_TITLE, clean(header.issuer), "vi-VN"
    _cover(document, rows, header, bot_username, tz)
    for row in rows:
        _agency_page(document, row, header, bot_username, tz)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
