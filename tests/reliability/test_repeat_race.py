"""Two identical reports at once store one (issue 22, item 2): the repeat rule runs in the
report's transaction after the assignment's row is locked, so on PostgreSQL (several
instances, one database) the second report waits for the first to commit, then finds it.

The race is forced, not hoped for: the first report's transaction is held open after its
insert, and the test waits until PostgreSQL shows the second one waiting on a lock before
letting the first commit. Without the lock the second would not wait, read no repeat, and
insert a second row: the test would fail on either count.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import create_engine, text, true

from bot.domain.progress import ProgressKind, ProgressReport
from bot.services import Services
from bot.services.access import Who
from bot.services.progress import Recorded, Repeat, Source
from storage.models import ProgressUpdate
from tests.conftest import _truncate_pg
from tests.harness import FOCAL_A, GROUP_A, Harness, running_bot
from tests.reliability.world import NOW, TOPICS, seed

DONE = ProgressReport(ProgressKind.DONE, 100, "đã hoàn thành")


async def _focal_point(services: Services) -> Who:
    return await services.access.resolve(
        user_id=FOCAL_A, display_name="Lan", chat_id=GROUP_A, chat_type="supergroup"
    )


def _waiting_on_a_lock(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()


async def _until_one_waits(url: str) -> None:
    for _ in range(500):
        if await asyncio.to_thread(_waiting_on_a_lock, url):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the second report never waited for the first one's lock")


async def test_two_identical_reports_at_once_store_one_on_postgresql(pg_database: str) -> None:
    _truncate_pg(pg_database)
    async with running_bot(pg_database, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        services = harness.services
        task = world.open_task["A"]
        who = await _focal_point(services)
        inserted, release = asyncio.Event(), asyncio.Event()

        async def first() -> object:
            async with services.ctx.uow():  # the report joins this transaction, held open
                result = await services.progress.report(who, task, DONE, Source(FOCAL_A, "Lan"))
                inserted.set()
                await release.wait()
            return result

        holding = asyncio.create_task(first())
        await inserted.wait()
        second = asyncio.create_task(
            services.progress.report(who, task, DONE, Source(FOCAL_A, "Lan"))
        )
        await _until_one_waits(pg_database)
        assert not second.done()
        release.set()
        results = [await holding, await second]
        assert isinstance(results[0], Recorded) and isinstance(results[1], Repeat)
        assert results[1].update_id == results[0].update_id
        rows = await harness.rows(ProgressUpdate, true())
        assert [(r.assignment_id, r.kind) for r in rows] == [(task, "done")]


async def test_two_identical_reports_side_by_side_store_one(database_url: str) -> None:
    """The same on SQLite and PostgreSQL without forcing the order: one is recorded, the
    other finds it (SQLite has one writer, and the bot handles updates one at a time)."""
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        services = harness.services
        who = await _focal_point(services)
        task = world.open_task["A"]
        results = await asyncio.gather(
            *(services.progress.report(who, task, DONE, Source(FOCAL_A, "Lan")) for _ in range(2))
        )
        assert sorted(type(r).__name__ for r in results) == ["Recorded", "Repeat"]
        assert len(await _rows(harness)) == 1


async def _rows(harness: Harness) -> list[ProgressUpdate]:
    return await harness.rows(ProgressUpdate, true())
