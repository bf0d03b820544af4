"""The printable kit as a PDF: a cover listing every agency and its code, then one A4 page
per agency with its QR code, its code, the expiry and four steps.

Fonts are DejaVu (shipped in fonts/, see its LICENSE) and embedded as subsets, so the
diacritics print the same on any machine; everything is black on white, so a black-and-white
printer or a photocopier loses nothing. The header block follows Nghị định 30/2020/NĐ-CP:
parent body and issuer in capitals on the left with a short rule under the issuer, the
national name and motto on the right with a rule as long as the motto, then place and date
in italics.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from bot.reports.kit import qr, text
from bot.reports.kit.model import DEFAULT_TZ, KitHeader, KitRow, clean, local_expiry

FONTS = Path(__file__).resolve().parent / "fonts"
SANS, MONO = "DejaVuSans", "DejaVuMono"

# A4 and the margins of Nghị định 30/2020/NĐ-CP (left 30-35, right 15-20, top/bottom 20-25 mm).
LEFT, RIGHT, TOP, BOTTOM = 30.0, 15.0, 20.0, 20.0
WIDTH = 210.0 - LEFT - RIGHT
HEADER_LEFT_W, HEADER_RIGHT_W = 68.0, WIDTH - 68.0
ISSUER_RULE = 0.4  # of the issuer's line: "1/3 to 1/2"
BOX_H, QR_SIDE = 74.0, 64.0
COVER_WIDTHS = (9, 50, 30, 14, 25, 22, 15)


class _KitPdf(FPDF):
    """Numbers the cover's pages only: each agency page is handed out on its own."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.last_cover_page = 10**6

    def footer(self) -> None:
        if self.page > self.last_cover_page:
            return
        self.set_y(-BOTTOM + 5)
        self.set_font(SANS, "I", 9)
        self.cell(0, 5, f"{text.PAGE} {self.page}", align="C")


def _new_pdf(header: KitHeader) -> _KitPdf:
    pdf = _KitPdf()
    pdf.add_font(SANS, "", FONTS / "DejaVuSansCondensed.ttf")
    pdf.add_font(SANS, "B", FONTS / "DejaVuSansCondensed-Bold.ttf")
    pdf.add_font(SANS, "I", FONTS / "DejaVuSansCondensed-Oblique.ttf")
    pdf.add_font(MONO, "B", FONTS / "DejaVuSansMono-Bold.ttf")
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.set_draw_color(0)
    pdf.set_text_color(0)
    pdf.set_lang("vi")
    pdf.set_title(text.PAGE_TITLE)
    pdf.set_author(clean(header.issuer))
    pdf.set_creator("dondoc")
    if header.issued_on is not None:  # the same input gives the same file
        pdf.set_creation_date(datetime.combine(header.issued_on, time(), DEFAULT_TZ))
    return pdf


def _fit(pdf: FPDF, line: str, width: float, style: str, size: float, smallest: float) -> None:
    """Set the largest font size (down to `smallest`) at which `line` fits in `width`."""
    family = MONO if style == "MONO" else SANS
    style = "B" if style == "MONO" else style
    pdf.set_font(family, style, size)
    while size > smallest and pdf.get_string_width(line) > width:
        size -= 0.5
        pdf.set_font(family, style, size)


def _wrapped(pdf: FPDF, width: float, height: float, words: str) -> list[str]:
    """The lines `multi_cell` would print, without printing them (fpdf2 types its result as
    the union of every `output` it offers; "LINES" gives this one)."""
    lines = pdf.multi_cell(width, height, words, dry_run=True, output="LINES")
    if not isinstance(lines, list):
        raise TypeError(f"fpdf2's multi_cell(output='LINES') gave {type(lines).__name__}")
    return lines


def _centred_lines(pdf: FPDF, x: float, width: float, lines: str, height: float) -> float:
    """Centred, wrapped lines in a column; returns the widest line's width."""
    wrapped = _wrapped(pdf, width, height, lines)
    pdf.set_x(x)
    pdf.multi_cell(width, height, lines, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    return max(pdf.get_string_width(line) for line in wrapped)


def _rule(pdf: FPDF, centre: float, length: float, y: float) -> None:
    pdf.set_line_width(0.3)
    pdf.line(centre - length / 2, y, centre + length / 2, y)


def _header(pdf: FPDF, header: KitHeader) -> None:
    """The two-column header block; leaves the cursor under it."""
    top = pdf.get_y()
    pdf.set_xy(LEFT, top)
    parent = clean(header.parent).upper()
    if parent:
        pdf.set_font(SANS, "", 11.5)
        _centred_lines(pdf, LEFT, HEADER_LEFT_W, parent, 5.2)
    pdf.set_font(SANS, "B", 11.5)
    widest = _centred_lines(pdf, LEFT, HEADER_LEFT_W, clean(header.issuer).upper(), 5.2)
    left_bottom = pdf.get_y() + 1.2
    _rule(pdf, LEFT + HEADER_LEFT_W / 2, widest * ISSUER_RULE, left_bottom)

    right = LEFT + HEADER_LEFT_W
    centre = right + HEADER_RIGHT_W / 2
    pdf.set_xy(right, top)
    _fit(pdf, text.NATIONAL_NAME, HEADER_RIGHT_W, "B", 11.5, 8)
    pdf.cell(HEADER_RIGHT_W, 5.2, text.NATIONAL_NAME, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    _fit(pdf, text.MOTTO, HEADER_RIGHT_W, "B", 12.5, 8)
    pdf.cell(HEADER_RIGHT_W, 5.6, text.MOTTO, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    _rule(pdf, centre, pdf.get_string_width(text.MOTTO), pdf.get_y() + 0.6)
    pdf.set_y(pdf.get_y() + 3.5)
    dated = text.header_date(clean(header.place), header.issued_on)
    pdf.set_x(right)
    _fit(pdf, dated, HEADER_RIGHT_W, "I", 12, 8)
    pdf.cell(HEADER_RIGHT_W, 5.6, dated, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(LEFT, max(left_bottom, pdf.get_y()) + 6)


def _title(pdf: FPDF, title: str, subtitle: str | None = None) -> None:
    _fit(pdf, title, WIDTH, "B", 13.5, 10)
    pdf.cell(WIDTH, 7, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if subtitle:
        pdf.set_font(SANS, "I", 11)
        pdf.multi_cell(WIDTH, 5.5, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _addressee(pdf: FPDF, agency: str) -> None:
    """`Kính gửi: <agency>` in large bold: two lines at most, three in a smaller size for a
    very long name, which is cut with an ellipsis beyond that (the cover lists it whole)."""
    line = f"{text.TO} {agency}"
    size = 15.0

    def lines() -> list[str]:
        pdf.set_font(SANS, "B", size)
        return _wrapped(pdf, WIDTH, size * 0.5, line)

    while size > 10 and len(lines()) > 2:
        size -= 0.5
    while len(lines()) > 3:
        line = line[: len(line) - 11].rstrip() + "…"  # drops the previous ellipsis too
    pdf.multi_cell(WIDTH, size * 0.5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _qr(pdf: FPDF, link: str, x: float, y: float, side: float) -> None:
    """The QR code as black rectangles, quiet zone included in `side`."""
    modules, runs = qr.dark_runs(link)
    unit = side / (modules + 2 * qr.QUIET_ZONE)
    origin_x, origin_y = x + qr.QUIET_ZONE * unit, y + qr.QUIET_ZONE * unit
    pdf.set_fill_color(0)
    for row, column, length in runs:
        # A hair of overlap, so no white seam shows between runs when rasterised.
        pdf.rect(origin_x + column * unit, origin_y + row * unit, length * unit, unit + 0.02, "F")


def _code_box(pdf: FPDF, row: KitRow, tz: ZoneInfo) -> None:
    top = pdf.get_y()
    pdf.set_line_width(0.5)
    pdf.rect(LEFT, top, WIDTH, BOX_H)
    _qr(pdf, row.deep_link, LEFT + 3, top + 2, QR_SIDE)
    pdf.set_xy(LEFT + 3, top + 2 + QR_SIDE)
    pdf.set_font(SANS, "I", 9)
    pdf.cell(QR_SIDE, 5, text.SCAN_HINT, align="C")

    x = LEFT + QR_SIDE + 8
    width = WIDTH - QR_SIDE - 11
    y = top + 8
    pdf.set_xy(x, y)
    pdf.set_font(SANS, "B", 12)
    pdf.cell(width, 6, text.CODE_LABEL, align="C")
    y += 7
    pdf.set_line_width(0.4)
    pdf.rect(x, y, width, 16)
    _fit(pdf, row.code, width - 4, "MONO", 30, 14)
    pdf.set_xy(x, y)
    pdf.cell(width, 16, row.code, align="C")
    y += 20
    command = f"/dangky {row.code}"
    pdf.set_font(SANS, "", 12)
    label = text.COMMAND_LABEL + " "
    label_w = pdf.get_string_width(label)
    _fit(pdf, command, width - label_w, "MONO", 13, 9)
    command_w = pdf.get_string_width(command)
    pdf.set_xy(x + (width - label_w - command_w) / 2, y)
    pdf.set_font(SANS, "", 12)
    pdf.cell(label_w, 7, label)
    _fit(pdf, command, width - label_w, "MONO", 13, 9)
    pdf.cell(command_w, 7, command)
    y += 9
    expiry = f"{text.EXPIRY_LABEL} {local_expiry(row, tz)}"
    _fit(pdf, expiry, width, "B", 13, 9)
    pdf.set_xy(x, y)
    pdf.cell(width, 8, expiry, align="C")
    y += 9
    pdf.set_font(SANS, "I", 10)
    pdf.set_xy(x, y)
    pdf.multi_cell(width, 5, text.SINGLE_USE, align="C")
    pdf.set_xy(LEFT, top + BOX_H + 5)


def _steps(pdf: FPDF, row: KitRow, bot_username: str) -> None:
    pdf.set_font(SANS, "B", 13)
    pdf.cell(WIDTH, 7, text.STEPS_TITLE, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for number, step in enumerate(text.steps(row.code, bot_username), 1):
        pdf.set_font(SANS, "B", 12)
        pdf.cell(8, 6, f"{number}.")
        pdf.set_font(SANS, "", 12)
        pdf.multi_cell(WIDTH - 8, 6, step, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(pdf.get_y() + 1)


def _notes(pdf: FPDF, row: KitRow, header: KitHeader) -> None:
    """The renewal note, the office's contact and notes, then the link: in a smaller font
    when the office's notes are long, so the page stays one sheet."""
    pdf.set_y(pdf.get_y() + 2)
    notes = [n for n in (text.RENEW, clean(header.contact), *map(clean, header.extra)) if n]
    room = 297.0 - BOTTOM - pdf.get_y() - 6  # the link's line
    size = 10.5
    while True:
        pdf.set_font(SANS, "I", size)
        height = size * 0.48
        lines = sum(len(_wrapped(pdf, WIDTH, height, note)) for note in notes)
        if lines * height <= room:
            break
        if size <= 7:
            raise ValueError("the office's notes do not fit on an agency's page: shorten them")
        size -= 0.5
    for note in notes:
        pdf.multi_cell(WIDTH, height, note, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(SANS, "", 9)
    label = text.LINK_LABEL + " "
    pdf.cell(pdf.get_string_width(label), 5, label)
    pdf.cell(0, 5, row.deep_link, link=row.deep_link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _agency_page(
    pdf: FPDF, row: KitRow, header: KitHeader, bot_username: str, tz: ZoneInfo
) -> None:
    pdf.add_page()
    _header(pdf, header)
    _title(pdf, text.PAGE_TITLE)
    pdf.set_y(pdf.get_y() + 2)
    _addressee(pdf, clean(row.agency))
    pdf.set_y(pdf.get_y() + 2)
    pdf.set_font(SANS, "", 12)
    pdf.multi_cell(
        WIDTH, 6, text.intro(row, bot_username), align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_y(pdf.get_y() + 4)
    _code_box(pdf, row, tz)
    _steps(pdf, row, bot_username)
    _notes(pdf, row, header)


def _cover(
    pdf: _KitPdf, rows: Sequence[KitRow], header: KitHeader, bot_username: str, tz: ZoneInfo
) -> None:
    pdf.add_page()
    _header(pdf, header)
    _title(pdf, text.COVER_TITLE, text.cover_subtitle(len(rows), bot_username))
    pdf.set_y(pdf.get_y() + 3)
    pdf.set_font(SANS, "", 10)
    code_style = FontFace(family=MONO, emphasis="BOLD", size_pt=10)
    with pdf.table(
        align="LEFT",
        col_widths=COVER_WIDTHS,
        width=WIDTH,
        text_align=("CENTER", "LEFT", "LEFT", "CENTER", "CENTER", "CENTER", "CENTER"),
        line_height=5,
        padding=1,
        repeat_headings=1,
        headings_style=FontFace(emphasis="BOLD"),
    ) as table:
        heading = table.row()
        for title in text.COVER_HEADERS:
            heading.cell(title)
        for index, row in enumerate(rows, 1):
            cells = table.row()
            cells.cell(str(index))
            cells.cell(clean(row.agency))
            cells.cell(clean(text.cover_notices(row.notices)))
            cells.cell(str(row.task_count))
            cells.cell(row.code, style=code_style)
            cells.cell(local_expiry(row, tz))
            cells.cell("")
    pdf.last_cover_page = pdf.page


def render_pdf(
    rows: Sequence[KitRow], header: KitHeader, *, bot_username: str, tz: ZoneInfo = DEFAULT_TZ
) -> bytes:
    """The whole kit: cover page(s), then exactly one page per row, in the rows' order."""
    pdf = _new_pdf(header)
    try:
        _cover(pdf, rows, header, bot_username, tz)
        pdf.set_auto_page_break(False)  # an agency's page is laid out to fit one sheet
        for row in rows:
            _agency_page(pdf, row, header, bot_username, tz)
    except BaseException:
        for font in pdf.fonts.values():  # output() would close them; a failure must too
            if hasattr(font, "close"):
                font.close()
        raise
    return bytes(pdf.output())
