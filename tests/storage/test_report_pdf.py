"""The Word report printed: LibreOffice renders it to PDF, and the pages are A4 (portrait
for the report, landscape for the Phụ lục, whose header rows repeat on every page), in
Times New Roman or its metric twin Liberation Serif, with the letterhead and the partition's
figures on them (issue 16, item 4)."""

from __future__ import annotations

import asyncio
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reports.docx import render_docx
from bot.reports.letterhead import letterhead
from bot.services.summary import SummaryService
from tests.report_pdf import HA_TINH, docx_to_pdf, example_rollup, libreoffice_missing
from tests.storage.test_summary import build_boundaries, make_ctx

A4 = (595, 842)  # points, rounded
SERIF = ("TimesNewRoman", "LiberationSerif")


def _pages(pdf: bytes) -> list[tuple[tuple[int, int], set[str], str]]:
    reader = PdfReader(BytesIO(pdf))
    pages = []
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        names = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts.values()}
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        pages.append((size, names, page.extract_text()))
    return pages


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    reason = libreoffice_missing()
    if reason:
        pytest.skip(reason)
    return tmp_path


async def test_the_report_prints_on_a4_in_times_new_roman(
    session_factory: async_sessionmaker[AsyncSession], workdir: Path
) -> None:
    async with session_factory() as session:
        await build_boundaries(session)
    rollup = await SummaryService(make_ctx(session_factory)).rollup()
    data = render_docx(rollup, head=letterhead(HA_TINH))
    pages = _pages(await asyncio.to_thread(docx_to_pdf, data, workdir))

    portrait = [p for p in pages if p[0] == A4]
    landscape = [p for p in pages if p[0] == A4[::-1]]
    assert len(portrait) + len(landscape) == len(pages)  # every page is A4
    assert 2 <= len(portrait) <= 4 and len(landscape) == 1
    assert pages.index(landscape[0]) == len(portrait)  # the appendix comes last
    for _size, fonts, _text in pages:
        assert fonts and all(name.startswith(SERIF) for name in fonts), fonts
    first = portrait[0][2]
    for line in ("UBND TỈNH HÀ TĨNH", "VĂN PHÒNG ĐIỀU PHỐI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "/BC-VPĐP", "Hà Tĩnh, ngày", "BÁO CÁO"):  # fmt: skip
        assert line in " ".join(first.split()), line
    report = " ".join(" ".join(p[2] for p in portrait).split())
    assert f"{rollup.tasks} nhiệm vụ" in report and "Nơi nhận:" in report
    appendix = " ".join(landscape[0][2].split())
    assert "PHỤ LỤC" in appendix and "Tổng cộng" in appendix and "Kèm theo Báo cáo số" in appendix


async def test_the_appendix_header_repeats_on_every_page(workdir: Path) -> None:
    """Sixty agencies fill several landscape pages; each starts with the column headers."""
    rollup = example_rollup(60)
    data = render_docx(rollup, head=letterhead(HA_TINH))
    pages = _pages(await asyncio.to_thread(docx_to_pdf, data, workdir))
    landscape = [text for size, _fonts, text in pages if size == A4[::-1]]
    assert len(landscape) >= 2
    for text in landscape:
        flat = " ".join(text.split())
        assert "Nhiệm vụ có thời hạn" in flat and "Tên đơn vị" in flat
    assert "Tổng cộng" in " ".join(landscape[-1].split())
