"""The reminder sweep's plan in pages (bot/services/reminder_plan.py): the same digests as in
one piece, the same claims and messages, and other units of work run between its pages
(bench/README.md, finding P: the plan in one piece held every chat's answer 0.35-0.6 s)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.sandbox.emulator import BotApiEmulator
from bot.services import reminder_plan
from bot.services.reminders import PlannedDigest
from storage.models import OutboxMessage
from tests.harness import Harness, new_emulator, running_bot, sweep_and_send
from tests.jobs.world import CT, NN, TC, at, log_rows, seed_world

# Enough tasks that the policy's pages and the lines' chunks, at one row each, are many, with
# every kind of reminder: before the deadline, overdue with the office and the leaders, none.
TASKS = [
    ("I.1", TC, "31/01/2020"),
    ("I.2", TC, "25/01/2020"),
    ("I.3", TC, "03/02/2020"),
    ("I.4", TC, "20/01/2020"),
    ("II.1", CT, "31/12/2019"),
    ("II.2", CT, "06/01/2020"),
    ("II.3", CT, None),
    ("III.1", NN, "31/01/2020"),
    ("III.2", NN, "02/01/2020"),
]


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    clock = ManualClock(at("15/01/2020"))
    emulator: BotApiEmulator = new_emulator(clock)
    async with running_bot(sqlite_url, clock=clock, emulator=emulator) as harness:
        yield harness


def _paged(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(reminder_plan, "PAGE", size)
    monkeypatch.setattr(reminder_plan, "LINES", size)


async def _plan(bot: Harness) -> list[PlannedDigest]:
    return await bot.services.reminders.plan()


async def test_the_plan_in_pages_is_the_plan_in_one_piece(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_world(bot, TASKS)
    _paged(monkeypatch, 10_000)
    whole = await _plan(bot)
    for size in (1, 2, 4):
        _paged(monkeypatch, size)
        assert await _plan(bot) == whole
    kinds = {item.kind for digest in whole for item in digest.items}
    assert {"overdue", "escalate_office", "escalate_leaders"} <= kinds
    assert len(whole) == 4  # three agencies' digests, then the office's


async def test_the_sweep_in_pages_claims_and_queues_what_it_did_in_one_piece(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two identical worlds, one swept with the plan in one piece, one a row per page: the
    same reminders claimed, the same messages queued to the same chats, in the same order."""
    seen = []
    for size in (10_000, 1):
        _paged(monkeypatch, size)
        path = tmp_path / f"paged-{size}.sqlite3"
        shutil.copy(sqlite_template, path)  # a fresh migrated database, as `sqlite_url`
        url = f"sqlite+aiosqlite:///{path}"
        clock = ManualClock(at("15/01/2020"))
        async with running_bot(url, clock=clock, emulator=new_emulator(clock)) as bot:
            await seed_world(bot, TASKS)
            report = await sweep_and_send(bot.app)
            claims = [(r.assignment_id, r.kind, r.due_on, r.sent_at) for r in await log_rows(bot)]
            async with bot.services.ctx.uow() as uow:
                rows = await uow.session.execute(
                    select(OutboxMessage.chat_id, OutboxMessage.text).order_by(OutboxMessage.id)
                )
                queued = [tuple(row) for row in rows]
        seen.append((report.due, report.claimed, report.messages, claims, queued))
    assert seen[0] == seen[1]
    assert seen[0][1] == 7 and seen[0][2] == 3  # Sở Nông nghiệp has no chat: not claimed


async def test_other_units_of_work_run_between_the_plans_pages(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task reading the database in a loop (as an update's handler would) completes reads
    while the plan runs: the plan yields between its pages and holds no unit of work (nor
    SQLite's turn) across a yield. In one piece it would complete none."""
    await seed_world(bot, TASKS)
    _paged(monkeypatch, 1)
    planning = asyncio.create_task(_plan(bot))
    reads = 0
    while not planning.done():
        await bot.services.reminders.sent_keys(at("15/01/2020").date())
        reads += 1
        await asyncio.sleep(0)  # on SQLite the read never suspends: the plan's turn
    digests = await planning
    assert len(digests) == 4
    # A page per open assignment, then a chunk per due line; in one piece: one read.
    assert reads >= len(TASKS)
