"""The web's task table is filtered, ordered and paged in SQL (storage/repositories/dashboard.py):
on the roll-up's boundary cases (every cell, due soon, extensions, cancelled), each filter
selects what the pure rule (bot.domain.rollup.classify) selects, the order is the documented
"worst first" one, and the pages cut it into parts that add up to the whole, each row once."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.calendar import WorkCalendar
from bot.domain.rollup import AssignmentFacts, Classification, classify
from bot.domain.types import AssignmentStatus
from bot.services.dashboard import TIMINGS
from storage.repositories import dashboard
from storage.repositories.summary import ListedAssignment, Scope
from storage.unit_of_work import UnitOfWork
from tests.storage.test_summary import TODAY, build_boundaries

PAGE = 4  # small pages: the boundary cases fill several


def judged(row: ListedAssignment) -> Classification:
    found = classify(
        AssignmentFacts(
            assignment_id=row.id,
            agency_id=row.agency_id,
            agency_name=row.name,
            notice_id=row.notice_id,
            status=AssignmentStatus(row.status),
            percent=row.percent,
            original_deadline_end=row.deadline_end,
            adjusted_deadline_end=row.adjusted_deadline_end,
            extension_approved=row.extension_approved,
            completed_on=row.completed_on,
            has_update=row.last_update_at is not None,
        ),
        today=TODAY,
        calendar=WorkCalendar(),
    )
    assert found is not None
    return found


def deadline_of(row: ListedAssignment) -> date | None:
    if row.extension_approved and row.adjusted_deadline_end is not None:
        return row.adjusted_deadline_end
    return row.deadline_end


def worst_first(row: ListedAssignment) -> tuple[object, ...]:
    """The documented order, from the pure rule: overdue (oldest deadline first), due soon,
    then cell by cell; then deadline (none last), agency name, id."""
    c = judged(row)
    band = 0 if c.overdue else 1 if c.due_soon else 2
    deadline = deadline_of(row)
    return (
        band,
        deadline if band == 0 else date.min,
        dashboard.CELL_ORDER.index(c.category),
        deadline is None,
        deadline or date.min,
        row.name,
        row.id,
    )


def selected(row: ListedAssignment, timing: str | None) -> bool:
    c = judged(row)
    if timing == "overdue":
        return c.overdue
    if timing == "due_soon":
        return c.due_soon
    return timing is None or c.category.value == timing


async def every_page(
    uow: UnitOfWork, wanted: dashboard.TableQuery
) -> tuple[int, list[ListedAssignment]]:
    size = await dashboard.table_size(uow, wanted=wanted)
    rows: list[ListedAssignment] = []
    for offset in range(0, size + PAGE, PAGE):  # one page past the end: empty
        page = await dashboard.table_page(uow, wanted=wanted, offset=offset, limit=PAGE)
        assert len(page) == max(0, min(PAGE, size - offset))
        rows += page
    return size, rows


async def test_each_timing_selects_and_orders_as_the_pure_rule(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await build_boundaries(session)
    async with UnitOfWork(session_factory) as uow:
        _size, everything = await every_page(uow, dashboard.TableQuery(Scope(), TODAY))
        assert len({r.id for r in everything}) == len(everything) > 20  # each row once
        assert judged(everything[0]).overdue and not judged(everything[-1]).overdue
        for timing in (None, *TIMINGS):
            wanted = dashboard.TableQuery(Scope(), TODAY, timing=timing)
            size, rows = await every_page(uow, wanted)
            expected = sorted((r for r in everything if selected(r, timing)), key=worst_first)
            assert [r.id for r in rows] == [r.id for r in expected], timing
            assert size == len(expected), timing


async def test_status_and_deadline_filters_and_one_agency(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        cases = await build_boundaries(session)
    agency_id = next(iter(cases.values())).agency_id
    async with UnitOfWork(session_factory) as uow:
        _size, everything = await every_page(uow, dashboard.TableQuery(Scope(), TODAY))
        first, last = date(2025, 3, 10), date(2025, 3, 20)
        _n, between = await every_page(
            uow, dashboard.TableQuery(Scope(), TODAY, deadline_between=(first, last))
        )
        _n, open_ones = await every_page(
            uow, dashboard.TableQuery(Scope(), TODAY, status="in_progress")
        )
        _n, mine = await every_page(uow, dashboard.TableQuery(Scope(None, agency_id), TODAY))
    assert [r.id for r in between] == [
        r.id for r in everything if (d := deadline_of(r)) is not None and first <= d <= last
    ]
    assert between and open_ones and mine
    assert [r.id for r in open_ones] == [r.id for r in everything if r.status == "in_progress"]
    assert [r.id for r in mine] == [r.id for r in everything if r.agency_id == agency_id]
