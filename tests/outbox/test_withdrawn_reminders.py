"""A reminder queued in the outbox is withdrawn, not sent, when none of its tasks is still
the agency's move by the time it would go (a Telegram outage of hours, the morning's queue):
the office reassigned it, cancelled it, or the agency reported it done meanwhile. Kept,
settled and never sent; the other agencies' reminders go as usual.

The world (tests/reliability/world.py): Sở Tài chính (A) bound to GROUP_A and a forum topic,
Sở Công Thương (B) to GROUP_B, each with one open task due 31/03/2020; the sweep runs the day
before, with the outbox held (`drain=False`) until the cause has happened.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.messaging.sweep import run_sweep_now
from bot.services.outbox import WITHDRAWN
from storage.models import OutboxMessage
from tests.harness import ADMIN, FOCAL_A, FORUM, GROUP_A, GROUP_B, Harness, running_bot
from tests.reliability.world import B_NAME, TOPICS, TZ, seed

THE_DAY_BEFORE = datetime(2020, 3, 30, 8, 0, tzinfo=TZ)  # a Monday; the deadline is 31/03


def reminders_to(bot: Harness, chat_id: int) -> list[str]:
    return [
        m.get("text") or ""
        for m in bot.bot_messages(chat_id)
        if "31/03/2020" in (m.get("text") or "")
    ]


async def digests(bot: Harness, chat_id: int) -> list[OutboxMessage]:
    return await bot.rows(
        OutboxMessage, OutboxMessage.chat_id == chat_id, OutboxMessage.purpose == "digest"
    )


@pytest.mark.parametrize("cause", ["reassigned", "cancelled", "reported done"])
async def test_a_reminder_whose_task_left_the_agency_while_it_waited_is_withdrawn(
    database_url: str, cause: str
) -> None:
    async with running_bot(database_url, now=THE_DAY_BEFORE, topics=TOPICS, drain=False) as bot:
        world = await seed(bot)
        task = world.open_task["A"]
        report = await run_sweep_now(bot.app)
        assert report.sent >= 2  # A's digest (group and topic) and B's, queued
        [queued] = await digests(bot, GROUP_A)
        assert queued.sent_at is None and task in [int(i) for i in queued.assignment_ids.split(",")]
        if cause == "reassigned":
            await bot.send(ADMIN, ADMIN, f"/giaolai #{task} {B_NAME}")
        elif cause == "cancelled":
            await bot.send(ADMIN, ADMIN, f"/huynv #{task}")
            question = bot.last(ADMIN)
            await bot.press(ADMIN, ADMIN, question["message_id"], bot.button(question, "🚫"))
        else:
            await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành")
        await bot.drain()
        # A is not reminded of what is no longer its move, in the group or the topic.
        assert reminders_to(bot, GROUP_A) == []
        assert not [m for m in bot.bot_messages(FORUM) if "31/03/2020" in (m.get("text") or "")]
        [row] = await digests(bot, GROUP_A)
        assert row.withdrawn_at is not None and row.error == WITHDRAWN
        assert row.sent_at is None and row.failed_at is None and row.message_id is None
        # B's reminder went as written.
        [b_row] = await digests(bot, GROUP_B)
        assert b_row.sent_at is not None and b_row.withdrawn_at is None
        assert reminders_to(bot, GROUP_B)
        # Withdrawn is settled: a later drain neither sends it nor lists it as waiting.
        await bot.drain()
        assert reminders_to(bot, GROUP_A) == []
        waiting, _rows = await bot.services.outbox.waiting()
        assert waiting == 0


async def test_a_reminder_with_a_task_still_open_goes(database_url: str) -> None:
    """Withdrawn only when nothing in it is open: an unchanged reminder is sent once."""
    async with running_bot(database_url, now=THE_DAY_BEFORE, topics=TOPICS, drain=False) as bot:
        await seed(bot)
        await run_sweep_now(bot.app)
        await bot.drain()
        assert len(reminders_to(bot, GROUP_A)) == 1
        [row] = await digests(bot, GROUP_A)
        assert row.sent_at is not None and row.withdrawn_at is None
