"""The outbox's claims on SQLite and PostgreSQL (storage/repositories/outbox.py): concurrent
claimers take each row once; a chat another sender holds is left alone; a lease that runs out
is taken again; the outcomes (sent, retried, failed) and the office's lists."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.clock import ManualClock
from bot.services.outbox import LEASE, OutboxService, Outgoing
from storage.repositories import outbox as outbox_repo
from storage.unit_of_work import UnitOfWork
from tests.harness import GROUP_A, GROUP_B, OFFICE_GROUP, running_bot
from tests.reliability.world import NOW

CHATS = (GROUP_A, GROUP_B, OFFICE_GROUP)


def _messages(n: int) -> list[Outgoing]:
    return [Outgoing(text=f"tin {i}", chat=(CHATS[i % 3], 0)) for i in range(n)]


async def test_concurrent_claimers_take_each_row_once(database_url: str) -> None:
    async with running_bot(database_url, now=NOW, drain=False) as bot:
        outbox = bot.services.outbox
        await outbox.post(*_messages(30))
        claimers = [OutboxService(bot.services.ctx) for _ in range(4)]
        results = await asyncio.gather(
            *(
                c.claim(by=f"i{n}", skip_chats=set(), max_chats=3, per_chat=100)
                for n, c in enumerate(claimers)
            )
        )
        ids = [q.id for claimed in results for q in claimed]
        assert sorted(ids) == sorted(set(ids)) and len(ids) == 30
        # A chat is held by one claimer at a time: nobody else takes its rows.
        for claimed in results:
            for other in results:
                if other is not claimed:
                    assert not {q.chat_id for q in claimed} & {q.chat_id for q in other}
        assert await outbox.claim(by="late", skip_chats=set(), max_chats=3, per_chat=100) == []


async def test_on_postgresql_a_claim_under_way_is_skipped_not_waited_for(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        return  # SQLite has one writer: its claims take turns (the test above)
    async with running_bot(database_url, now=NOW, drain=False) as bot:
        await bot.services.outbox.post(*_messages(6))
        factory = bot.services.ctx.session_factory
        now = bot.clock.now()
        async with UnitOfWork(factory) as first:
            held = await outbox_repo.claim(
                first, now=now, until=now + LEASE, by="one", skip_chats=(),
                max_chats=1, per_chat=100,
            )  # fmt: skip
            assert len(held) == 2 and held[0]["chat_id"] == GROUP_A
            # Uncommitted: a second claimer neither waits on nor takes those rows.
            other = OutboxService(bot.services.ctx)
            claimed = await asyncio.wait_for(
                other.claim(by="two", skip_chats=set(), max_chats=3, per_chat=100), timeout=5
            )
            assert {q.chat_id for q in claimed} == {GROUP_B, OFFICE_GROUP}


async def test_a_lease_that_runs_out_is_taken_again_and_outcomes_are_kept(
    database_url: str,
) -> None:
    clock = ManualClock(NOW)
    async with running_bot(database_url, clock=clock, drain=False) as bot:
        outbox = bot.services.outbox
        await outbox.post(*_messages(3))
        taken = await outbox.claim(by="dead", skip_chats=set(), max_chats=3, per_chat=10)
        assert len(taken) == 3
        assert await outbox.claim(by="b", skip_chats=set(), max_chats=3, per_chat=10) == []
        clock.advance(LEASE + timedelta(seconds=1))
        again = await outbox.claim(by="b", skip_chats={GROUP_B}, max_chats=3, per_chat=10)
        assert {q.chat_id for q in again} == {GROUP_A, OFFICE_GROUP}
        first, second = again
        await outbox.sent([first], message_id=77)
        expired = await outbox.retry([second], error="502", wait=timedelta(seconds=30))
        assert expired == []
        count, waiting = await outbox.waiting(limit=10)
        assert count == 2 and {q.chat_id for q in waiting} == {GROUP_B, second.chat_id}
        assert [q.attempts for q in waiting if q.id == second.id] == [1]
        due = await outbox.next_due(skip_chats={GROUP_B})
        assert due == clock.now() + timedelta(seconds=30)
        # Out of time: OUTBOX_RETRY_HOURS after it was written, a retry is a failure.
        clock.advance(timedelta(hours=bot.settings.outbox_retry_hours))
        [late] = await outbox.claim(by="b", skip_chats={GROUP_B}, max_chats=3, per_chat=10)
        assert late.id == second.id
        assert await outbox.retry([late], error="502 again") == [late]
        count, failed = await outbox.failures(limit=10)
        assert count == 1 and failed[0].error == "502 again" and failed[0].failed_at
        async with UnitOfWork(bot.services.ctx.session_factory) as uow:
            assert await outbox_repo.sent_count(uow) == 1


async def test_what_was_sent_is_pruned_after_the_keep_period_and_failures_stay(
    database_url: str,
) -> None:
    clock = ManualClock(NOW)
    async with running_bot(database_url, clock=clock, drain=False) as bot:
        outbox = bot.services.outbox
        await outbox.post(*_messages(3))
        sent, failed, waits = await outbox.claim(by="a", skip_chats=set(), max_chats=3, per_chat=10)
        await outbox.sent([sent], message_id=5)
        await outbox.fail([failed], error="Forbidden")
        await outbox.release([waits])
        keep = timedelta(days=bot.settings.outbox_keep_days)
        clock.advance(keep - timedelta(minutes=1))
        assert await outbox.prune() == 0  # not yet: kept OUTBOX_KEEP_DAYS
        clock.advance(timedelta(minutes=2))
        # A new sender prunes as it starts (then every hour): the sent row goes, the failed
        # one stays in the office's list, the waiting one is still sent.
        assert await bot.outbox.drain() == 1
        async with UnitOfWork(bot.services.ctx.session_factory) as uow:
            assert await outbox_repo.sent_count(uow) == 1  # the one just sent, not the old
        count, shown = await outbox.failures(limit=10)
        assert count == 1 and shown[0].id == failed.id
        assert await outbox.prune() == 0


async def test_a_reports_notice_is_claimed_before_the_reminders_written_ahead_of_it(
    database_url: str,
) -> None:
    """The morning peak (bench item 8): a thousand reminders wait when a completion's notice
    to the office is written; the sender's next claim takes the office's notice, and the
    reminders keep their order among themselves."""
    async with running_bot(database_url, now=NOW, drain=False) as bot:
        outbox = bot.services.outbox
        await outbox.post(
            Outgoing(text="nhắc A", chat=(GROUP_A, 0), purpose="digest"),
            Outgoing(text="nhắc B", chat=(GROUP_B, 0), purpose="digest"),
        )
        await outbox.post(Outgoing(text="báo cáo", chat=(OFFICE_GROUP, 0)))
        by_id = await outbox.claim(by="old", skip_chats=set(), max_chats=1, per_chat=10)
        assert [q.text for q in by_id] == ["nhắc A"]  # without `bulk`: oldest first
        await outbox.release(by_id)
        first = await outbox.claim(
            by="a", skip_chats=set(), max_chats=1, per_chat=10, bulk={"digest"}
        )
        assert [q.text for q in first] == ["báo cáo"]
        rest = await outbox.claim(
            by="a", skip_chats=set(), max_chats=3, per_chat=10, bulk={"digest"}
        )
        assert [q.text for q in rest] == ["nhắc A", "nhắc B"]
