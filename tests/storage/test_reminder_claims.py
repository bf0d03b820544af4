"""The exactly-once claim on SQLite and PostgreSQL: concurrent claimers, stale re-claims, and two
bot instances sweeping one database at the same moment."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.clock import ManualClock
from bot.domain.reminders import DueReminder, ReminderKind
from bot.services.reminders import MAX_ATTEMPTS, Delivery, ReminderService, chat_key
from storage.models import ReminderLog
from storage.unit_of_work import UnitOfWork
from tests.harness import (
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    Harness,
    new_emulator,
    running_bot,
    sweep_and_send,
)
from tests.jobs.world import at, day, log_rows, seed_world

TODAY = day("15/01/2020")


def _reminders(
    world_ids: list[int], kind: ReminderKind = ReminderKind.OVERDUE
) -> list[DueReminder]:
    return [DueReminder(aid, 1, aid, kind, TODAY, 1) for aid in world_ids]


async def test_concurrent_claimers_split_the_rows_without_overlap(database_url: str) -> None:
    clock = ManualClock(at("15/01/2020"))
    emulator = new_emulator(clock)
    async with running_bot(database_url, clock=clock, emulator=emulator) as bot:
        world = await seed_world(bot)
        ids = sorted(world.aid.values())
        services = [ReminderService(bot.services.ctx) for _ in range(4)]
        results = await asyncio.gather(
            *(s.claim(_reminders(ids), instance_id=f"i{n}") for n, s in enumerate(services))
        )
        won = [c.assignment_id for claims in results for c in claims]
        assert sorted(won) == ids  # every row claimed exactly once
        # A whole digest goes to one claimer: same keys, one INSERT each, in key order.
        assert sum(1 for claims in results if claims) == 1
        assert len(await log_rows(bot)) == len(ids)
        again = await services[0].claim(_reminders(ids), instance_id="late")
        assert again == []


async def test_a_stale_unsent_claim_is_won_by_exactly_one_reclaimer(database_url: str) -> None:
    clock = ManualClock(at("15/01/2020"))
    async with running_bot(database_url, clock=clock) as bot:
        world = await seed_world(bot)
        service = ReminderService(bot.services.ctx)
        reminders = _reminders([world.aid["I.1"]])
        [first] = await service.claim(reminders, instance_id="crashed")
        timeout = timedelta(seconds=bot.settings.claim_timeout_seconds)
        clock.advance(timeout - timedelta(seconds=1))
        assert await service.claim(reminders, instance_id="early") == []
        clock.advance(timedelta(seconds=2))
        racers = [ReminderService(bot.services.ctx) for _ in range(3)]
        results = await asyncio.gather(
            *(r.claim(reminders, instance_id=f"r{n}") for n, r in enumerate(racers))
        )
        winners = [claims for claims in results if claims]
        assert len(winners) == 1 and winners[0][0].id == first.id
        [row] = await log_rows(bot)
        assert row.attempts == 2 and row.claimed_by.startswith("r")  # type: ignore[union-attr]
        # Recorded as sent: never re-claimed again, however late.
        [claim] = winners[0]
        everywhere = frozenset({chat_key(GROUP_A)})
        assert (
            await service.record_outcome(
                [claim], Delivery(everywhere, everywhere, (GROUP_A, 7), None)
            )
            == 1
        )
        clock.advance(timeout * 10)
        assert await service.claim(reminders, instance_id="later") == []


async def test_failed_sends_back_off_and_stop_after_max_attempts(database_url: str) -> None:
    clock = ManualClock(at("15/01/2020"))
    async with running_bot(database_url, clock=clock) as bot:
        world = await seed_world(bot)
        service = ReminderService(bot.services.ctx)
        reminders = _reminders([world.aid["I.1"]])
        timeout = timedelta(seconds=bot.settings.claim_timeout_seconds)
        attempts = 0
        for attempt in range(1, MAX_ATTEMPTS + 1):
            claims = await service.claim(reminders, instance_id="x")
            assert len(claims) == 1, attempt
            attempts += 1
            audience = frozenset({chat_key(GROUP_A)})
            failed = Delivery(audience, frozenset(), None, "NetworkError: boom")
            assert await service.record_outcome(claims, failed) == 0
            # Backoff: the next try waits claim_timeout × attempts.
            clock.advance(timeout * attempt - timedelta(seconds=1))
            assert await service.claim(reminders, instance_id="x") == []
            clock.advance(timedelta(seconds=2))
        assert await service.claim(reminders, instance_id="x") == []
        [row] = await log_rows(bot)
        assert attempts == MAX_ATTEMPTS == row.attempts and row.sent_at is None
        assert row.error == "NetworkError: boom"


async def test_two_instances_sweeping_together_send_each_reminder_once(
    database_url: str,
) -> None:
    """Two Applications built by build_application on one database, sweeping concurrently."""
    clock = ManualClock(at("15/01/2020", 8, 0))
    emulator = new_emulator(clock)
    async with (
        running_bot(database_url, clock=clock, emulator=emulator) as one,
        running_bot(database_url, clock=clock, emulator=emulator) as two,
    ):
        await seed_world(one)
        reports = await asyncio.gather(sweep_and_send(one.app), sweep_and_send(two.app))
        assert sum(r.messages for r in reports) == 3
        assert sum(r.claimed for r in reports) == 4
        for chat in (GROUP_A, GROUP_B):
            assert len(one.bot_messages(chat)) == 1, chat
        # The office: its escalations once, and once the line naming the agency that has no
        # group (issue 21): in the escalations, or alone when the other instance won them.
        office = [m["text"] for m in one.bot_messages(OFFICE_GROUP)]
        assert sum("Đôn đốc nhiệm vụ quá hạn" in text for text in office) == 1
        assert sum("Chưa gắn nhóm Telegram" in text for text in office) == 1
        sent_before = emulator.count("sendMessage")
        rows = await log_rows(one)
        assert len(rows) == 4 and all(r.sent_at is not None for r in rows)
        assert len({(r.assignment_id, r.kind, r.due_on) for r in rows}) == 4
        # And again, both at once, later the same day: nothing.
        clock.advance(timedelta(minutes=30))
        reports = await asyncio.gather(sweep_and_send(one.app), sweep_and_send(two.app))
        assert sum(r.messages for r in reports) == 0
        assert emulator.count("sendMessage") == sent_before


async def test_a_row_is_unique_per_assignment_kind_and_day(database_url: str) -> None:
    clock = ManualClock(at("15/01/2020"))
    async with running_bot(database_url, clock=clock) as bot:
        world = await seed_world(bot)
        service = ReminderService(bot.services.ctx)
        aid = world.aid["I.1"]
        await service.claim(_reminders([aid]), instance_id="a")
        other_kind = await service.claim(_reminders([aid], ReminderKind.DUE_TODAY), instance_id="a")
        next_day = [DueReminder(aid, 1, aid, ReminderKind.OVERDUE, TODAY + timedelta(days=1), 2)]
        assert len(other_kind) == 1 and len(await service.claim(next_day, instance_id="a")) == 1
        assert len(await _all(bot)) == 3


async def _all(bot: Harness) -> list[ReminderLog]:
    async with UnitOfWork(bot.services.ctx.session_factory) as uow:
        return list((await uow.session.execute(select(ReminderLog))).scalars().all())
