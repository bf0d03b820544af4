"""The export's task list read a few notices per unit of work (bot/services/summary/service.py
`task_rows`, bench/README.md finding P): the same rows, in the same order, as in one read,
whole, for one notice and for one agency; and other units of work run between the batches."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.summary import SummaryService
from bot.services.summary import service as summary_service
from storage.models import Agency, Notice
from storage.repositories import summary_export as export_queries
from storage.repositories.summary import Scope
from storage.repositories.summary_export import TaskAssignmentRow
from storage.unit_of_work import UnitOfWork
from tests.storage.test_summary import C, build_boundaries, make_ctx


async def _world(session_factory: async_sessionmaker[AsyncSession]) -> int:
    async with session_factory() as session:
        await build_boundaries(session)
        notices = len((await session.execute(select(Notice.id))).all())
        agency = (await session.execute(select(Agency.id).where(Agency.name == C))).scalar_one()
    assert notices >= 2  # batches of one notice are several batches
    return agency


async def test_the_task_list_in_batches_is_the_task_list_in_one_read(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    agency = await _world(session_factory)
    service = SummaryService(make_ctx(session_factory))
    asks: list[dict[str, object]] = [{}, {"notice_number": "35-TB/BCĐ"}, {"agency_id": agency}]
    monkeypatch.setattr(summary_service, "NOTICES_PER_READ", 1000)
    whole = [await service.task_rows(**ask) for ask in asks]  # type: ignore[arg-type]
    monkeypatch.setattr(summary_service, "NOTICES_PER_READ", 1)
    batched = [await service.task_rows(**ask) for ask in asks]  # type: ignore[arg-type]
    assert batched == whole
    assert len(whole[0]) == 22 and whole[1] and whole[2]
    assert len({row.notice_number for row in whole[0]}) >= 2


async def test_other_units_of_work_run_between_the_batches(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task reading the database in a loop (as an update's handler would) completes reads
    between the batches: the real batch read is watched (a spy that calls it), and how many
    reads had completed when each batch began must grow from one batch to the next."""
    await _world(session_factory)
    ctx = make_ctx(session_factory)
    service = SummaryService(ctx)
    monkeypatch.setattr(summary_service, "NOTICES_PER_READ", 1)
    reads = 0
    at_batch: list[int] = []
    real = export_queries.task_assignment_rows

    async def watched(uow: UnitOfWork, *, scope: Scope) -> list[TaskAssignmentRow]:
        at_batch.append(reads)
        return await real(uow, scope=scope)

    monkeypatch.setattr(export_queries, "task_assignment_rows", watched)
    reading = asyncio.create_task(service.task_rows())
    while not reading.done():
        async with ctx.uow() as uow:
            await uow.execute(select(Notice.id).limit(1))
        reads += 1
        await asyncio.sleep(0)
    assert await reading
    assert len(at_batch) >= 2 and at_batch == sorted(set(at_batch))  # strictly growing
