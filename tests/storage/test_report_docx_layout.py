"""The Word report's page set-up and section II, read back with python-docx (review U5):
every section, the landscape Phụ lục too, has Nghị định 30/2020/NĐ-CP's margins, and
section II names only the agencies that have something overdue."""

from __future__ import annotations

import asyncio
from datetime import date
from io import BytesIO

from docx import Document
from docx.shared import Cm
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reports.docx import render_docx
from bot.services.summary import SummaryService
from tests.storage.test_summary import Builder, build_boundaries, make_ctx

# Nghị định 30/2020/NĐ-CP, Phụ lục I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
RANGES = {
    "top_margin": (Cm(2), Cm(2.5)),
    "bottom_margin": (Cm(2), Cm(2.5)),
    "left_margin": (Cm(3), Cm(3.5)),
    "right_margin": (Cm(1.5), Cm(2)),
}


def _section_two(paragraphs: list[str]) -> list[str]:
    start = paragraphs.index("II. TỒN TẠI, HẠN CHẾ")
    return paragraphs[start : paragraphs.index("III. KIẾN NGHỊ")]


async def test_every_section_has_the_decrees_margins_and_the_table_fits(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await build_boundaries(session)
    rollup = await SummaryService(make_ctx(session_factory)).rollup()
    document = Document(BytesIO(await asyncio.to_thread(render_docx, rollup)))
    sections = document.sections
    assert len(sections) == 2  # the report (portrait), the Phụ lục (landscape)
    assert sections[0].page_width < sections[0].page_height
    assert sections[1].page_width > sections[1].page_height
    for index, section in enumerate(sections):
        for name, (low, high) in RANGES.items():
            value = getattr(section, name)
            assert low <= value <= high, (index, name, value.cm)
    landscape = sections[1]
    room = landscape.page_width - landscape.left_margin - landscape.right_margin
    widths = [column.width for column in document.tables[-1].columns]
    assert sum(widths) <= room  # the appendix stays inside the margins


async def test_section_two_names_only_the_agencies_with_overdue_assignments(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        b = Builder(session)
        await build_boundaries(session, b)
        # Not started, not yet due: an agency with nothing overdue.
        await b.task("Sở Nội vụ", deadline=date(2025, 4, 30), status="not_started", updated=False)
        await session.commit()
    rollup = await SummaryService(make_ctx(session_factory)).rollup()
    document = Document(BytesIO(await asyncio.to_thread(render_docx, rollup)))
    section = _section_two([p.text for p in document.paragraphs])
    body = "\n".join(section)
    assert "quá hạn 0)" not in body
    assert "Sở Nội vụ" not in body
    late = {a.name: a.counts for a in rollup.agencies if a.counts.not_started_overdue}
    assert late  # the seed has some: each is named with its figure
    for name, counts in late.items():
        assert f"- {name}: {counts.not_started_overdue} lượt giao chưa thực hiện đã quá hạn" in body
    # Every agency line in the section names an agency with something overdue.
    named = [line[2:].split(":")[0] for line in section if line.startswith("- ")]
    overdue = {a.name for a in rollup.agencies if a.counts.overdue}
    assert set(named) <= overdue


async def test_section_two_says_so_when_nothing_is_overdue(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        b = Builder(session)
        await b.task("Sở Nội vụ", deadline=date(2025, 4, 30), status="not_started", updated=False)
        await b.task("Sở Tài chính", deadline=None, status="not_started", updated=False)
        await session.commit()
    rollup = await SummaryService(make_ctx(session_factory)).rollup()
    assert rollup.overall.overdue == 0 and rollup.overall.not_started
    document = Document(BytesIO(await asyncio.to_thread(render_docx, rollup)))
    section = _section_two([p.text for p in document.paragraphs])
    assert "- Không có lượt giao quá hạn." in section
    assert "- Không có đơn vị có lượt giao chưa thực hiện đã quá hạn." in section
    assert not [line for line in section if line.startswith("- Sở")]
