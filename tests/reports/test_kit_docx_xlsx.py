"""The kit's Word file (one agency a page, its QR picture scanning to its link, the cover
table) and its mail-merge workbook (a header row, one agency a row), read back as files."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from PIL import Image

from bot.reports.kit import KitFormat, KitHeader, KitRow, render_kit
from bot.reports.kit import text as kit_text
from bot.reports.kit.xlsx import HEADERS, SHEET
from tests.reports.conftest import BOT, EXPIRES_SHOWN, row_for
from tests.reports.kit_check import scan, squeeze


@pytest.fixture(scope="module")
def seed_files(seed_rows: tuple[KitRow, ...], header: KitHeader) -> dict[KitFormat, bytes]:
    return render_kit(seed_rows, header, ["docx", "xlsx"], bot_username=BOT)


def _pages(docx: bytes) -> list[tuple[str, list[bytes]]]:
    """The document split at its page breaks: each page's text and its pictures' bytes."""
    document = Document(BytesIO(docx))
    pages: list[tuple[list[str], list[bytes]]] = [([], [])]
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p") and any(
            br.get(qn("w:type")) == "page" for br in element.iter(qn("w:br"))
        ):
            pages.append(([], []))
        words, pictures = pages[-1]
        words.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
        for blip in element.iter(qn("a:blip")):
            pictures.append(document.part.related_parts[blip.get(qn("r:embed"))].blob)
    return [(" ".join(words), pictures) for words, pictures in pages]


def docx_qr_problems(pages: list[tuple[str, list[bytes]]], rows) -> list[str]:
    """Each agency page (after the cover) must hold one picture that scans to its link."""
    problems = []
    for row, (_words, pictures) in zip(rows, pages[1:], strict=True):
        if len(pictures) != 1:
            problems.append(f"{row.agency}: {len(pictures)} pictures")
            continue
        read = [s.text for s in scan(Image.open(BytesIO(pictures[0])))]
        if read != [row.deep_link]:
            problems.append(f"{row.agency}: the picture reads {read}")
    return problems


def test_word_kit_has_one_page_per_agency_and_its_picture_scans_to_its_link(seed_files, seed_rows):
    pages = _pages(seed_files[KitFormat.DOCX])
    assert len(pages) == 1 + len(seed_rows)
    cover_text, cover_pictures = pages[0]
    assert kit_text.COVER_TITLE in cover_text and cover_pictures == []
    for row, (words, _pictures) in zip(seed_rows, pages[1:], strict=True):
        flat = squeeze(words)
        assert squeeze(f"{kit_text.TO} {row.agency}") in flat
        assert row.code in words and f"/dangky {row.code}" in words
        assert squeeze(f"{kit_text.EXPIRY_LABEL} {EXPIRES_SHOWN}") in flat
        for step in kit_text.steps(row.code, BOT):
            assert squeeze(step) in flat
        assert kit_text.NATIONAL_NAME in words and kit_text.MOTTO in words
    assert docx_qr_problems(pages, seed_rows) == []


def test_word_cover_table_lists_every_agency_with_a_repeated_heading(seed_files, seed_rows):
    document = Document(BytesIO(seed_files[KitFormat.DOCX]))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    (cover,) = [t for t in document.tables if t.rows[0].cells[0].text == "TT"]
    assert tuple(c.text for c in cover.rows[0].cells) == kit_text.COVER_HEADERS
    assert cover.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    body = cover.rows[1:]
    assert len(body) == len(seed_rows)
    for number, (table_row, row) in enumerate(zip(body, seed_rows, strict=True), 1):
        cells = [c.text for c in table_row.cells]
        assert cells[:2] == [str(number), row.agency]
        assert cells[3:6] == [str(row.task_count), row.code, EXPIRES_SHOWN]


def test_word_kit_check_fails_on_a_wrong_or_missing_picture(seed_files, seed_rows):
    pages = _pages(seed_files[KitFormat.DOCX])
    swapped = [pages[0], pages[2], pages[1], *pages[3:]]
    problems = docx_qr_problems(swapped, seed_rows)
    assert len(problems) == 2 and seed_rows[0].agency in problems[0]
    missing = [pages[0], (pages[1][0], []), *pages[2:]]
    assert docx_qr_problems(missing, seed_rows) == [f"{seed_rows[0].agency}: 0 pictures"]


def test_workbook_has_a_header_row_and_one_row_per_agency(seed_files, seed_rows):
    sheet = load_workbook(BytesIO(seed_files[KitFormat.XLSX]))[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert len(rows) == 1 + len(seed_rows)
    for number, (values, row) in enumerate(zip(rows[1:], seed_rows, strict=True), 1):
        assert values == (
            number,
            row.agency,
            "22-TB/BCĐ ngày 27/12/2019",
            row.task_count,
            row.code,
            f"/dangky {row.code}",
            row.deep_link,
            EXPIRES_SHOWN,
        )
    assert sheet.freeze_panes == "A2"


def test_workbook_keeps_text_that_looks_like_a_formula_as_text(header):
    rows = (row_for('=HYPERLINK("http://x","Sở")', 1, ()), row_for("+Sở Tài chính", 2, ()))
    files = render_kit(rows, header, ["xlsx"], bot_username=BOT)
    sheet = load_workbook(BytesIO(files[KitFormat.XLSX]))[SHEET]
    for line, row in enumerate(rows, 2):
        cell = sheet.cell(row=line, column=2)
        assert (cell.value, cell.data_type) == (row.agency, "s")


def test_word_kit_pages_have_the_decrees_margins(seed_files):
    """Nghị định 30/2020/NĐ-CP, Phụ lục I: top and bottom 20-25 mm, left 30-35 mm, right
    15-20 mm (Word keeps twentieths of a point: 2 cm was stored as 20.0025 mm, over 20)."""
    document = Document(BytesIO(seed_files[KitFormat.DOCX]))
    for section in document.sections:
        mm = {
            side: getattr(section, f"{side}_margin").mm
            for side in ("top", "bottom", "left", "right")
        }
        assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
        assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
