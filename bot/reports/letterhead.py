"""The office's letterhead, one place for every document it signs (Nghị định 30/2020/NĐ-CP,
Phụ lục I): the parent bodies and the issuer (bold) over the number and symbol on the left,
the national name and motto over the place and date on the right, each block ruled under.

The names come from settings (ORG_PARENT, ORG_NAME, ORG_SHORT, ORG_SYMBOL, ORG_PLACE,
ORG_SIGNER in config.example.env): the Word report draws them with `add_letterhead`, the
Excel appendix names its report with `attached_line`, and the onboarding kit reads them
through `kit_header`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from bot.config import Settings
from bot.reports.kit.model import KitHeader

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
LEFT_CM, RIGHT_CM = 6.6, 9.4  # the header's two columns: 16 cm, the A4 text width
DOTS = "……"


@dataclass(frozen=True, slots=True)
class Letterhead:
    """Who issues the office's documents, as settings name it."""

    parent: str = ""
    name: str = "Ban Chỉ đạo"
    issuer: str = "Văn phòng Điều phối"
    symbol: str = "VPĐP"
    place: str = ""
    signer: str = "Chánh Văn phòng"

    def number(self, kind: str = "BC") -> str:
        """ "Số:      /BC-VPĐP": the number is left blank for the clerk (văn thư) to fill."""
        return f"Số:        /{kind}-{self.symbol}"

    def dated(self, day: date | None = None) -> str:
        """ "Hà Tĩnh, ngày 27 tháng 12 năm 2019", dots where unknown (the signing date)."""
        place = self.place or DOTS
        if day is None:
            return f"{place}, ngày {DOTS} tháng {DOTS} năm {DOTS}"
        return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"

    def left_lines(self) -> list[tuple[str, bool]]:
        """(text, bold) of the left column's names, upper-case, the issuer last and bold."""
        names = [(n.upper(), False) for n in (self.parent, self.name) if n]
        return [*names, (self.issuer.upper(), True)]


def letterhead(settings: Settings) -> Letterhead:
    return Letterhead(
        parent=settings.org_parent,
        name=settings.org_name,
        issuer=settings.org_short,
        symbol=settings.org_symbol,
        place=settings.org_place,
        signer=settings.org_signer,
    )


def kit_header(settings: Settings, today: date | None = None) -> KitHeader:
    """The onboarding kit's header from the same settings: the direct parent body (the
    steering committee) above the issuer (the office), the place before the date."""
    head = letterhead(settings)
    return KitHeader(issuer=head.issuer, parent=head.name, place=head.place, issued_on=today)


def attached_line(head: Letterhead, kind: str = "BC") -> str:
    """The appendix's "(Kèm theo Báo cáo số …/BC-VPĐP ngày … của Văn phòng Điều phối)"."""
    return (
        f"(Kèm theo Báo cáo số {DOTS}/{kind}-{head.symbol} ngày {DOTS}/{DOTS}/{DOTS} "
        f"của {head.issuer})"
    )


def add_letterhead(document: DocumentObject, head: Letterhead, *, kind: str = "BC") -> Table:
    """The two-column header block at the top of `document`."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (LEFT_CM, RIGHT_CM))
    left, right = table.rows[0].cells
    lines = head.left_lines()
    for index, (text, bold) in enumerate(lines):
        _para(left, text, first=index == 0, bold=bold, size=13)
    _rule(left, LEFT_CM / 3, LEFT_CM)
    _para(left, head.number(kind), size=13)
    _para(right, NATIONAL_NAME, first=True, bold=True, size=12)
    _para(right, MOTTO, bold=True, size=13)
    _rule(right, 5.6, RIGHT_CM)
    _para(right, head.dated(), italic=True, size=13)
    return table


def _para(
    cell: _Cell,
    text: str,
    *,
    first: bool = False,
    bold: bool = False,
    italic: bool = False,
    size: int = 13,
) -> None:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def _rule(cell: _Cell, width_cm: float, column_cm: float) -> None:
    """A centred line under a block: a paragraph with a bottom border, indented on both
    sides so that it is `width_cm` long (what offices draw under the issuer and the motto)."""
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(4)
    side = max(0.0, (column_cm - width_cm) / 2 - 0.2)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    run = paragraph.add_run()
    run.font.size = Pt(2)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(name), value)
    borders.append(bottom)
    properties.append(borders)


def _widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Fixed widths in the grid and in every cell: Word reads the cells, LibreOffice the grid."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
