"""Read a notice file sent to the bot (.txt, .docx, .pdf) into text, tables and a parse.

Kept outside ``bot.domain`` because it needs python-docx and pypdf. Every refusal is a
``NoticeFileError`` with a stable ``code`` the handlers translate for the user:
"unsupported_type", "legacy_encoding", "no_text_layer", "not_utf8", "empty", "too_large".
The file type is decided by its bytes (magic numbers) as well as its extension, so a
renamed .doc or an executable called "notice.pdf" is refused rather than mis-parsed.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import holidays

from bot.agency_data import standard_directory
from bot.domain.agency_directory import Directory
from bot.domain.calendar import WorkCalendar
from bot.domain.deadlines import WorkingDays
from bot.domain.drawn_tables import Drawing, page_text_with_tables
from bot.domain.notice import (
    ParsedNotice,
    detect_legacy_encoding,
    find_task_table_header,
    parse_notice,
)
from bot.domain.text import fold

if TYPE_CHECKING:  # python-docx is imported when a .docx is read (see _docx_extract)
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

__all__ = [
    "DEFAULT_MAX_SIZE",
    "ExtractedNotice",
    "NoticeFileError",
    "VietnamHolidays",
    "extract_text",
    "read_notice_file",
    "read_notice_text",
]

DEFAULT_MAX_SIZE = 20 * 1024 * 1024
_MIN_PDF_CHARS_PER_PAGE = 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_MAGIC = b"%PDF-"


class NoticeFileError(Exception):
    """A file we refuse to read; ``code`` is stable, ``detail`` explains (may be shown)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class ExtractedNotice:
    """The text in reading order plus every table as rows of cell texts."""

    text: str
    tables: list[list[list[str]]] = field(default_factory=list)


# --- type detection -------------------------------------------------------------------------


def _sniff(filename: str, data: bytes) -> str:
    """ "txt", "docx" or "pdf" when extension and bytes agree; NoticeFileError otherwise."""
    ext = PurePath(filename or "").suffix.lower()
    head = data[:1024]
    if ext == ".pdf":
        if _PDF_MAGIC in head:
            return "pdf"
        raise NoticeFileError("unsupported_type", "Tệp .pdf không có nội dung PDF hợp lệ")
    if ext == ".docx":
        if data.startswith(_OLE_MAGIC):
            raise NoticeFileError(
                "unsupported_type", "Tệp Word 97-2003 (.doc); hãy lưu lại dạng .docx"
            )
        if data.startswith(_ZIP_MAGIC) and _is_docx_zip(data):
            return "docx"
        raise NoticeFileError("unsupported_type", "Tệp .docx không hợp lệ")
    if ext == ".txt":
        if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)) or _PDF_MAGIC in head[:8]:
            raise NoticeFileError("unsupported_type", "Nội dung tệp không phải văn bản thuần")
        if b"\x00" in head and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise NoticeFileError("unsupported_type", "Tệp nhị phân, không phải văn bản")
        return "txt"
    raise NoticeFileError("unsupported_type", f"Không hỗ trợ định dạng '{ext or filename}'")


def _is_docx_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


# --- plain text -----------------------------------------------------------------------------


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), or UTF-16 with a BOM; anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NoticeFileError("not_utf8", "Tệp UTF-16 bị lỗi mã hóa") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        legacy_text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise NoticeFileError("not_utf8", "Tệp không phải UTF-8") from exc
    legacy = detect_legacy_encoding(legacy_text)
    if legacy:
        raise NoticeFileError("legacy_encoding", legacy)
    raise NoticeFileError(
        "not_utf8", "Tệp không phải UTF-8 (có thể là Windows-1258); hãy lưu lại dạng UTF-8"
    )


# --- docx -----------------------------------------------------------------------------------


def _docx_extract(data: bytes) -> ExtractedNotice:
    """Paragraphs and tables in document order; table cells become their own lines."""
    import docx  # local import: the domain tests do not need python-docx loaded
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on broken packages
        raise NoticeFileError("unsupported_type", "Không đọc được tệp .docx") from exc
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    numbering = _Numbering(document)
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            lines.append(numbering.marker(paragraph) + paragraph.text)
        elif tag == "tbl":
            rows = _table_rows(Table(child, document))
            tables.append(rows)
            if find_task_table_header(rows) is None:
                lines.extend(_layout_table_lines(rows))
    return ExtractedNotice("\n".join(lines), tables)


_ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


class _Numbering:
    """Re-create the "1." / "a)" / "-" that Word's automatic numbering keeps out of the text.

    Without it, a notice whose sections are numbered by Word would lose its structure. Only
    the list format (decimal, letter, Roman, bullet) is read; restarts and overrides are not.
    """

    def __init__(self, document: Document) -> None:
        self._formats: dict[tuple[str, int], str] = {}
        self._counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (AttributeError, KeyError, NotImplementedError):
            return
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        w_val = f"{{{ns['w']}}}val"
        abstract: dict[str, dict[int, str]] = {}
        for node in root.findall("w:abstractNum", ns):
            levels = {}
            for lvl in node.findall("w:lvl", ns):
                fmt = lvl.find("w:numFmt", ns)
                levels[int(lvl.get(f"{{{ns['w']}}}ilvl", "0"))] = (
                    fmt.get(w_val) if fmt is not None else ""
                )
            abstract[node.get(f"{{{ns['w']}}}abstractNumId", "")] = levels
        for num in root.findall("w:num", ns):
            ref = num.find("w:abstractNumId", ns)
            levels = abstract.get(ref.get(w_val, "") if ref is not None else "", {})
            for ilvl, fmt in levels.items():
                self._formats[(num.get(f"{{{ns['w']}}}numId", ""), ilvl)] = fmt

    def marker(self, paragraph: Paragraph) -> str:
        num_pr = _num_pr(paragraph)
        if num_pr is None or num_pr.numId is None:
            return ""
        num_id = str(num_pr.numId.val)
        level = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        fmt = self._formats.get((num_id, level), "decimal" if level == 0 else "bullet")
        if fmt in ("bullet", "none", ""):
            return "- "
        key = (num_id, level)
        self._counters[key] = self._counters.get(key, 0) + 1
        for other in [k for k in self._counters if k[0] == num_id and k[1] > level]:
            del self._counters[other]
        n = self._counters[key]
        if fmt == "upperRoman":
            return f"{_ROMAN_NUMERALS[(n - 1) % len(_ROMAN_NUMERALS)]}. "
        if fmt in ("lowerLetter", "upperLetter"):
            return f"{'abcdeghiklmnopqrstuvxy'[(n - 1) % 22]}) "
        return f"{n}. "


def _num_pr(paragraph: Paragraph) -> Any:
    """The paragraph's own numbering (a `<w:numPr>`: python-docx leaves its children
    untyped), else its style's ("List Number")."""
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return p_pr.numPr
    style = getattr(paragraph, "style", None)
    while style is not None:
        s_pr = style.element.pPr
        if s_pr is not None and s_pr.numPr is not None:
            return s_pr.numPr
        style = style.base_style
    return None


def _table_rows(table: Table) -> list[list[str]]:
    """Cell texts per row; a merged cell repeated by python-docx is kept once per row."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(cell.text)
        rows.append(cells)
    return rows


def _layout_table_lines(rows: list[list[str]]) -> list[str]:
    """A header/signature layout table read column by column (issuer block, then motto...)."""
    width = max((len(r) for r in rows), default=0)
    lines: list[str] = []
    for col in range(width):
        for row in rows:
            if col < len(row):
                lines.extend(row[col].split("\n"))
        lines.append("")
    return lines


# --- pdf ------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
# Words that open a paragraph, not a wrapped sentence's next line ("Thực hiện Quyết định số …"
# under a title that filled its line).
_PARAGRAPH_OPENER = re.compile(
    r"^(?:thuc hien|can cu|theo de nghi|xet|ngay \d|sau khi|tren day|nham|kinh gui)\b"
)
_DASH_CONTINUES = re.compile(r"^[-–]\s*(?:\d|[a-zà-ỹđ])")
_MARKER = re.compile(r"^(?:[IVX]+\s*[.)]|\d{1,2}\s*[.)]|[a-zđ]\s*\)|[-–•+*])\s*")


def _pdf_extract(data: bytes) -> ExtractedNotice:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [_page_text(page) for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError, NotImplementedError) as exc:
        raise NoticeFileError("unsupported_type", "Không đọc được tệp PDF") from exc
    visible = sum(len(p.strip()) for p in pages)
    if not pages or visible < _MIN_PDF_CHARS_PER_PAGE * max(1, len(pages)) // 2:
        raise NoticeFileError("no_text_layer", "PDF không có lớp chữ (bản quét); hãy gửi bản .docx")
    return ExtractedNotice("\n".join(_join_pdf_lines(p) for p in pages))


def _page_text(page: Any) -> str:
    """The page's text layer; with its task table rebuilt from the drawn cells, if it has one
    (bot/domain/drawn_tables.py)."""
    try:
        rebuilt = page_text_with_tables(_drawing(page))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        rebuilt = None
    return rebuilt if rebuilt is not None else page.extract_text() or ""


def _apply(matrix: list[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = (float(v) for v in matrix[:6])
    return a * x + c * y + e, b * x + d * y + f


def _drawing(page: Any) -> Drawing:
    """Text pieces with their positions and the rectangles and segments the page draws."""
    drawing = Drawing()
    point = [0.0, 0.0]

    def on_text(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x, y = _apply(cm, float(tm[4]), float(tm[5]))
            drawing.pieces.append((x, y, text))

    def on_operator(op: bytes, args: list[Any], cm: list[float], _tm: object) -> None:
        if op == b"re" and len(args) == 4:
            x, y, w, h = (float(v) for v in args)
            (x1, y1), (x2, y2) = _apply(cm, x, y), _apply(cm, x + w, y + h)
            drawing.rectangle(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        elif op == b"m" and len(args) == 2:
            point[:] = _apply(cm, float(args[0]), float(args[1]))
        elif op == b"l" and len(args) == 2:
            x2, y2 = _apply(cm, float(args[0]), float(args[1]))
            drawing.line(point[0], point[1], x2, y2)
            point[:] = (x2, y2)

    page.extract_text(visitor_text=on_text, visitor_operand_before=on_operator)
    return drawing


def _join_pdf_lines(page: str) -> str:
    """Re-join lines a PDF wrapped inside a paragraph; keep headings, bullets, short lines and
    table rows (tab-separated, bot/domain/drawn_tables.py)."""
    raw = [ln.rstrip() for ln in page.replace("\r", "\n").split("\n")]
    raw = [ln for ln in raw if not _PAGE_NUMBER.match(ln)]
    longest = max((len(ln) for ln in raw if "\t" not in ln), default=0)
    out: list[str] = []
    for line in raw:
        stripped = line.strip() if "\t" not in line else line
        if (
            out
            and out[-1]
            and stripped
            and "\t" not in stripped
            and "\t" not in out[-1]
            and _wraps(out[-1], stripped, longest)
        ):
            if out[-1].endswith("-") and not out[-1].endswith(" -"):
                out[-1] = out[-1][:-1] + stripped
            else:
                out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(stripped)
    return "\n".join(out)


def _wraps(previous: str, line: str, longest: int) -> bool:
    if previous[-1] in ".;:!?":
        return False
    long_previous = len(previous) >= 0.75 * longest and not previous.isupper()
    if _MARKER.match(line):
        # "giai đoạn 2026" / "- 2030 của tỉnh": a dash that continues the sentence, not a bullet
        return long_previous and bool(_DASH_CONTINUES.match(line))
    if line[0].islower():
        return True
    return long_previous and not _PARAGRAPH_OPENER.match(fold(line[:20]))


# --- public API -----------------------------------------------------------------------------


def extract_text(
    filename: str, data: bytes, *, max_size: int = DEFAULT_MAX_SIZE
) -> ExtractedNotice:
    """The notice's text and tables, or a NoticeFileError saying why not."""
    if len(data) > max_size:
        raise NoticeFileError("too_large", f"Tệp lớn hơn {max_size // (1024 * 1024) or 1} MB")
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise NoticeFileError("empty", "Tệp rỗng")
    kind = _sniff(filename, data)
    if kind == "txt":
        extracted = ExtractedNotice(_decode_text(data))
    elif kind == "docx":
        extracted = _docx_extract(data)
    else:
        extracted = _pdf_extract(data)
    all_text = extracted.text + "".join(
        cell for table in extracted.tables for row in table for cell in row
    )
    if not all_text.strip():
        raise NoticeFileError("empty", "Tệp không có nội dung")
    legacy = detect_legacy_encoding(all_text)
    if legacy:
        raise NoticeFileError("legacy_encoding", legacy)
    return extracted


def read_notice_file(
    filename: str,
    data: bytes,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    directory: Directory | None = None,
    calendar: WorkingDays | None = None,
) -> ParsedNotice:
    """Parse a notice file; tasks from a task table are merged with those in the text.

    ``directory`` and ``calendar`` default to the standard provincial structure
    (bot/data/agencies.json) and Vietnam's public holidays (the `holidays` package); the
    office's own are passed once it has them."""
    extracted = extract_text(filename, data, max_size=max_size)
    return parse_notice(
        extracted.text,
        directory=directory if directory is not None else standard_directory(),
        calendar=calendar if calendar is not None else VietnamHolidays(),
        tables=extracted.tables,
    )


def read_notice_text(
    text: str, *, directory: Directory | None = None, calendar: WorkingDays | None = None
) -> ParsedNotice:
    """Parse a pasted notice as a file's text is parsed: with the directory and the
    working-day calendar, so relative deadlines and names read the same either way."""
    return parse_notice(
        text,
        directory=directory if directory is not None else standard_directory(),
        calendar=calendar if calendar is not None else VietnamHolidays(),
    )


class VietnamHolidays:
    """Working days on Vietnam's public holidays (Tết included), year by year as needed."""

    def add_working_days(self, d: date, n: int) -> date:
        years = range(d.year - 1, d.year + 2 + abs(n) // 200)
        return _holiday_calendar(tuple(years)).add_working_days(d, n)


@lru_cache(maxsize=16)
def _holiday_calendar(years: tuple[int, ...]) -> WorkCalendar:
    days = holidays.country_holidays("VN", years=years)
    return WorkCalendar(holidays=frozenset(days.keys()))
