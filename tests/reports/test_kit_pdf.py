"""The printed kit, checked as the clerk and the agencies would: every page looked at,
every QR code scanned, the text read back, the fonts carried inside the file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from io import BytesIO

import pytest
from fpdf import FPDF
from PIL import ImageChops
from pypdf import PdfReader

from bot.reports.kit import KitFormat, KitHeader, KitNotice, KitRow, invite_link, render_kit
from bot.reports.kit import text as kit_text
from tests.reports.conftest import BOT, EXPIRES_SHOWN, row_for
from tests.reports.kit_check import (
    DPI,
    black_and_white,
    fonts,
    page_images,
    page_texts,
    qr_problems,
    scan,
    squeeze,
)


@pytest.fixture(scope="module")
def seed_pdf(seed_rows: tuple[KitRow, ...], header: KitHeader) -> bytes:
    return render_kit(seed_rows, header, [KitFormat.PDF], bot_username=BOT)[KitFormat.PDF]


def _cover_count(pdf: bytes, rows: tuple[KitRow, ...]) -> int:
    return len(page_texts(pdf)) - len(rows)


def test_every_agency_page_scans_to_its_own_deep_link(seed_pdf, seed_rows):
    assert qr_problems(seed_pdf, seed_rows) == []


def test_the_cover_then_exactly_one_page_per_agency(seed_pdf, seed_rows):
    texts = page_texts(seed_pdf)
    covers = _cover_count(seed_pdf, seed_rows)
    assert covers >= 1
    for page, image in zip(texts[:covers], page_images(seed_pdf)[:covers], strict=True):
        assert kit_text.COVER_HEADERS[4] in page  # the table's heading, on every cover page
        assert scan(image) == []  # the office's list carries no QR to scan by mistake
    for row, page in zip(seed_rows, texts[covers:], strict=True):
        assert kit_text.PAGE_TITLE in page
        assert squeeze(f"{kit_text.TO} {row.agency}") in squeeze(page)


def test_each_page_reads_its_agency_code_expiry_notice_and_steps(seed_pdf, seed_rows):
    pages = page_texts(seed_pdf)[_cover_count(seed_pdf, seed_rows) :]
    for row, page in zip(seed_rows, pages, strict=True):
        flat = squeeze(page)
        assert squeeze(row.agency) in flat
        assert row.code in page
        assert f"/dangky {row.code}" in page
        assert f"{kit_text.EXPIRY_LABEL} {EXPIRES_SHOWN}" in page
        assert squeeze(f"{row.task_count} nhiệm vụ") in flat
        assert squeeze("22-TB/BCĐ ngày 27/12/2019") in flat
        for step in kit_text.steps(row.code, BOT):
            assert squeeze(step) in flat
        assert row.deep_link in page
        # No other agency's code on this page.
        assert not [r.code for r in seed_rows if r is not row and r.code in page]


def test_the_header_block_names_the_office_as_an_administrative_document(
    seed_pdf, seed_rows, header
):
    texts = page_texts(seed_pdf)
    # The cover's first page and every agency's page (each is handed out on its own).
    for page in [texts[0], *texts[_cover_count(seed_pdf, seed_rows) :]]:
        flat = squeeze(page)
        assert squeeze(header.parent.upper()) in flat
        assert squeeze(header.issuer.upper()) in flat
        assert kit_text.NATIONAL_NAME in page
        assert kit_text.MOTTO in page
        assert "Hà Tĩnh, ngày 27 tháng 12 năm 2019" in page


def test_the_cover_lists_every_agency_and_its_code_in_order(seed_pdf, seed_rows):
    cover = squeeze(" ".join(page_texts(seed_pdf)[: _cover_count(seed_pdf, seed_rows)]))
    position = 0
    for row in seed_rows:
        found = cover.find(squeeze(row.agency), position)
        assert found >= 0, row.agency
        code_at = cover.find(row.code, found)
        assert code_at >= 0, row.code
        position = code_at


def test_every_font_is_embedded_and_carries_the_diacritics(seed_pdf):
    used = fonts(seed_pdf)
    assert used, "no fonts found"
    assert all(used.values()), used
    assert all("DejaVu" in name for name in used), used


def test_vietnamese_letters_read_back_exactly(header):
    name = "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Hương Khê – Đoàn Thanh niên, Hội Nông dân"
    letters = "ăâđêôơư ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
    rows = (
        row_for(name, 3, (KitNotice("22-TB/BCĐ", date(2019, 12, 27)),)),
        row_for(letters, 1, ()),
    )
    pdf = render_kit(rows, header, ["pdf"], bot_username=BOT)[KitFormat.PDF]
    pages = page_texts(pdf)
    assert squeeze(name) in squeeze(pages[-2])
    assert squeeze(letters) in squeeze(pages[-1])
    assert qr_problems(pdf, rows) == []


def test_decomposed_input_prints_as_precomposed_letters(header):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Sở Tài chính")
    assert decomposed != "Sở Tài chính"
    pdf = render_kit([row_for(decomposed, 2, ())], header, ["pdf"], bot_username=BOT)
    assert "Kính gửi: Sở Tài chính" in page_texts(pdf[KitFormat.PDF])[-1]


def test_pages_are_black_and_white_only(seed_pdf):
    for image in page_images(seed_pdf, grayscale=False):
        red, green, blue = image.convert("RGB").split()
        for one, other in ((red, green), (green, blue), (red, blue)):
            # No coloured pixel: nothing would be lost on a black-and-white printer.
            assert ImageChops.difference(one, other).getextrema()[1] <= 8


def test_a_page_stays_one_a4_sheet_whatever_the_agency(header):
    long_name = (
        "Các đơn vị được giao, chấp thuận đỡ đầu xây dựng nông thôn mới và các đồng chí "
        "Trưởng các Đoàn công tác của Ban Thường vụ Tỉnh ủy phụ trách địa bàn các huyện, "
        "thành phố, thị xã trên toàn tỉnh"
    )
    notices = tuple(KitNotice(f"{n}-TB/BCĐ", date(2020, 1, n)) for n in range(1, 9))
    endless = "Ban quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp " * 8
    busy = replace(header, extra=("Ghi chú: mỗi đơn vị đăng ký một nhóm Telegram riêng.",) * 3)
    rows = (
        row_for(long_name, 120, notices),
        row_for("Sở Tài chính", 2, notices[:1]),
        row_for(endless, 1, notices[:2]),
    )
    pdf = render_kit(rows, busy, ["pdf"], bot_username=BOT)[KitFormat.PDF]
    images = page_images(pdf)
    assert len(images) == 1 + len(rows)
    for image in images[1:]:
        width, height = image.size
        margin = int(15 / 25.4 * DPI)  # the bottom 15 mm stay blank: nothing ran off the sheet
        bottom = black_and_white(image).crop((0, height - margin, width, height))
        assert bottom.getextrema() == (255, 255)
    for page in PdfReader(BytesIO(pdf)).pages:  # A4: 210 x 297 mm
        assert (
            round(page.mediabox.width / 72 * 25.4),
            round(page.mediabox.height / 72 * 25.4),
        ) == (
            210,
            297,
        )
    pages = page_texts(pdf)
    assert squeeze("và 5 văn bản khác") in squeeze(pages[1])
    assert rows[0].deep_link in pages[1]
    assert squeeze(long_name) in squeeze(pages[1])  # a long name is printed whole
    assert "…" in pages[3] and rows[2].code in pages[3]  # an endless one is cut, not its code
    assert squeeze(endless) in squeeze(" ".join(pages[:1]))  # the cover keeps it whole
    assert qr_problems(pdf, rows) == []


def test_notes_too_long_for_a_page_are_refused_rather_than_cut_off(seed_rows, header):
    wordy = replace(header, extra=("Ghi chú rất dài về cách đăng ký nhóm. " * 40,) * 3)
    with pytest.raises(ValueError, match="do not fit"):
        render_kit(seed_rows[:1], wordy, ["pdf"], bot_username=BOT)


def test_a_long_list_paginates_the_cover_with_its_heading_on_each_page(header):
    rows = tuple(row_for(f"Ủy ban nhân dân xã Thạch Hưng số {n}", n % 7, ()) for n in range(1, 61))
    pdf = render_kit(rows, header, ["pdf"], bot_username=BOT)[KitFormat.PDF]
    texts = page_texts(pdf)
    covers = len(texts) - len(rows)
    assert covers >= 2
    for number, page in enumerate(texts[:covers], 1):
        assert kit_text.COVER_HEADERS[4] in page
        assert f"{kit_text.PAGE} {number}" in page
    cover = squeeze(" ".join(texts[:covers]))
    assert all(squeeze(r.agency) in cover and r.code in cover for r in rows)
    assert qr_problems(pdf, rows) == []


def test_the_check_fails_when_a_qr_code_is_wrong(seed_pdf, seed_rows):
    swapped = list(seed_rows)
    swapped[3] = replace(swapped[3], deep_link=invite_link(BOT, "WRONGCODE2"))
    problems = qr_problems(seed_pdf, swapped)
    assert len(problems) == 1
    assert seed_rows[3].agency in problems[0] and "WRONGCODE2" in problems[0]


def test_the_check_fails_when_a_qr_code_is_missing(seed_rows):
    pdf = FPDF(format="A4")
    for row in seed_rows[:2]:
        pdf.add_page()
        pdf.set_font("helvetica", size=14)
        pdf.cell(0, 10, row.code)
    problems = qr_problems(bytes(pdf.output()), seed_rows[:2])
    assert len(problems) == 2 and all("0 QR codes" in p for p in problems)


def test_the_check_fails_on_a_font_that_is_not_embedded():
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(0, 10, "So")
    assert fonts(bytes(pdf.output())) == {"/Helvetica": False}


def test_same_input_same_file(seed_rows, header):
    first = render_kit(seed_rows[:3], header, ["pdf"], bot_username=BOT)
    second = render_kit(seed_rows[:3], header, ["pdf"], bot_username=BOT)
    assert first == second


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": datetime(2020, 1, 10, 8, 0)}, "timezone-aware"),
        ({"deep_link": invite_link(BOT, "OTHERCODE9")}, "does not carry its code"),
        ({"code": "AB CD"}, "letters and digits"),
        ({"agency": "  "}, "without a name"),
    ],
)
def test_rows_that_would_print_wrong_are_refused(seed_rows, header, change, message):
    bad = replace(seed_rows[0], **change)
    with pytest.raises(ValueError, match=message):
        render_kit([bad], header, bot_username=BOT)


def test_no_rows_two_agencies_on_one_code_or_an_unknown_format_are_refused(seed_rows, header):
    with pytest.raises(ValueError, match="at least one"):
        render_kit([], header, bot_username=BOT)
    twin = replace(seed_rows[1], code=seed_rows[0].code, deep_link=seed_rows[0].deep_link)
    with pytest.raises(ValueError, match="two agencies"):
        render_kit([seed_rows[0], twin], header, bot_username=BOT)
    with pytest.raises(ValueError):
        render_kit(seed_rows[:1], header, ["odt"], bot_username=BOT)
    with pytest.raises(ValueError, match="bot_username"):
        render_kit(seed_rows[:1], header, bot_username="@")


def test_only_the_formats_asked_are_rendered(seed_rows, header):
    files = render_kit(seed_rows[:1], header, {"xlsx", KitFormat.DOCX}, bot_username="@" + BOT)
    assert set(files) == {KitFormat.DOCX, KitFormat.XLSX}
    assert files[KitFormat.DOCX][:2] == files[KitFormat.XLSX][:2] == b"PK"
