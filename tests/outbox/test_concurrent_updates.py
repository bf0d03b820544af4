"""Updates of different chats handled side by side, in order within each chat (issue 20,
item 2): bot/messaging/updates.py's processor, fed as python-telegram-bot's fetcher feeds it
(one task per update, in Telegram's order), on SQLite (one unit of work at a time) and on
PostgreSQL (row locks)."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import true
from telegram import Update

from bot.messaging.aiohttp_request import AiohttpRequest
from bot.messaging.wire import ShardedRequest
from storage.models import ChatBinding, OutboxMessage, ProgressUpdate
from tests.harness import FOCAL_A, FOCAL_B, GROUP_B, OFFICE_GROUP, Harness, running_bot
from tests.reliability.world import NOW, TOPICS, seed

EXTRA = [-1007000 - n for n in range(8)]  # more groups of Sở Tài chính
ROUNDS = 4
SLOW = EXTRA[0]  # its first answer takes Telegram three seconds


async def bind_extra_groups(bot: Harness, agency_id: int) -> None:
    for chat in EXTRA:
        bot.emulator.add_chat(chat, "supergroup", f"Tổ {chat}")
        bot.emulator.add_member(chat, FOCAL_A)
    async with bot.services.ctx.uow() as uow:
        for chat in EXTRA:
            uow.session.add(ChatBinding(chat_id=chat, thread_id=0, agency_id=agency_id))


async def feed(bot: Harness) -> None:
    """Hand every queued update to the update processor the way python-telegram-bot does:
    one task each, in order, all at once."""
    app = bot.app
    updates = [Update.de_json(raw, app.bot) for raw in bot.emulator.take_updates()]
    await asyncio.gather(
        *(app.update_processor.process_update(u, app.process_update(u)) for u in updates)
    )


def percents_seen(bot: Harness, chat: int) -> list[int]:
    found = [re.search(r"đạt (\d+)%", m.get("text") or "") for m in bot.bot_messages(chat)]
    return [int(m[1]) for m in found if m]


async def test_interleaved_reports_from_many_chats_are_each_recorded_once_in_their_order(
    database_url: str,
) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS) as bot:
        world = await seed(bot)
        await bind_extra_groups(bot, world.agency["A"])
        task_a, task_b = world.open_task["A"], world.open_task["B"]
        bot.emulator.faults.inject("sendMessage", "slow", delay=3.0, chat_id=SLOW)
        expected: dict[int, list[int]] = {chat: [] for chat in [*EXTRA, GROUP_B]}
        for round_ in range(1, ROUNDS + 1):  # round-robin: every chat's n-th, then the next
            for n, chat in enumerate(EXTRA):
                percent = 10 * round_ + n
                expected[chat].append(percent)
                bot.emulator.user_sends(FOCAL_A, chat, f"/capnhat #{task_a} đạt {percent}%")
            expected[GROUP_B].append(round_)
            bot.emulator.user_sends(FOCAL_B, GROUP_B, f"/capnhat #{task_b} đạt {round_}%")
        bot.emulator.user_sends(FOCAL_B, GROUP_B, f"/capnhat #{task_b} đã hoàn thành")
        await feed(bot)

        # Each chat's answers came in the order its reports were sent, one per report.
        for chat, percents in expected.items():
            assert percents_seen(bot, chat) == percents, chat
        # Nothing was stored twice or lost, and each chat's history is in its order.
        rows = await bot.rows(ProgressUpdate, true())
        for chat, percents in expected.items():
            mine = sorted((r for r in rows if r.source_chat_id == chat), key=lambda r: r.id)
            assert [r.percent for r in mine if r.kind == "in_progress"] == percents, chat
        assert len(rows) == len(EXTRA) * ROUNDS + ROUNDS + 1
        # The slow chat held up no other: every other chat was answered before its first.
        sent = [record.chat_id for record in bot.emulator.sent]
        first_slow = sent.index(SLOW)
        for chat in [*EXTRA[1:], GROUP_B]:
            last = len(sent) - 1 - sent[::-1].index(chat)
            assert last < first_slow, chat
        # The completion's notice waits in the outbox, sent after: the office is told once.
        await bot.drain()
        asked = [m for m in bot.bot_messages(OFFICE_GROUP) if "báo hoàn thành" in m["text"]]
        assert len(asked) == 1
        assert not await bot.rows(OutboxMessage, OutboxMessage.sent_at.is_(None))


async def test_a_chats_updates_never_overlap_even_when_its_first_is_slow(
    database_url: str,
) -> None:
    """A button pressed right after a report, in the same chat, is handled after it."""
    async with running_bot(database_url, now=NOW, topics=TOPICS) as bot:
        world = await seed(bot)
        await bind_extra_groups(bot, world.agency["A"])
        task = world.open_task["A"]
        bot.emulator.faults.inject("sendMessage", "slow", delay=1.0, chat_id=SLOW)
        bot.emulator.user_sends(FOCAL_A, SLOW, f"/capnhat #{task} đạt 30%")
        bot.emulator.user_sends(FOCAL_A, SLOW, f"/capnhat #{task} đã hoàn thành")
        await feed(bot)
        texts = [m["text"] for m in bot.bot_messages(SLOW)]
        assert "đạt 30%" in texts[0] and "hoàn thành" in texts[1]
        rows = await bot.rows(ProgressUpdate, ProgressUpdate.source_chat_id == SLOW)
        assert [r.kind for r in sorted(rows, key=lambda r: r.id)] == ["in_progress", "done"]


@pytest.mark.parametrize("loopback", [False, True], ids=["in-process", "loopback"])
async def test_answers_to_many_chats_at_once_take_turns_on_the_wire(
    database_url: str, loopback: bool
) -> None:
    """Sixteen groups report at once while Telegram is slow to answer: each report is recorded
    and answered once, with never more than `CONNECTIONS` calls on the wire (bot/app.py): the
    rest wait their turn in the request (bot/messaging/wire.py), not in a connection pool
    (bench/README.md, findings E, F and K). Over loopback HTTP the request is production's, one
    aiohttp session of that many connections, and the bot's shutdown closes it."""
    from bot.app import CONNECTIONS

    chats = [-1008000 - n for n in range(2 * CONNECTIONS)]
    async with running_bot(database_url, now=NOW, topics=TOPICS, loopback=loopback) as bot:
        request = bot.app.bot.request
        assert isinstance(request, ShardedRequest) and request.in_flight == CONNECTIONS
        shards = request.shards
        assert len(shards) == 1
        world = await seed(bot)
        task = world.open_task["A"]
        async with bot.services.ctx.uow() as uow:
            for chat in chats:
                bot.emulator.add_chat(chat, "supergroup", f"Tổ {chat}")
                bot.emulator.add_member(chat, FOCAL_A)
                uow.session.add(ChatBinding(chat_id=chat, thread_id=0, agency_id=world.agency["A"]))
        bot.emulator.faults.inject("sendMessage", "slow", delay=1.5, times=len(chats))
        for n, chat in enumerate(chats):
            bot.emulator.user_sends(FOCAL_A, chat, f"/capnhat #{task} đạt {n + 1}%")
        await feed(bot)

        assert bot.emulator.stats["most_in_flight"] == CONNECTIONS
        for n, chat in enumerate(chats):
            assert percents_seen(bot, chat) == [n + 1], chat
        rows = await bot.rows(ProgressUpdate, true())
        assert sorted(r.percent for r in rows) == list(range(1, len(chats) + 1))
    if loopback:
        [aiohttp_request] = shards
        assert isinstance(aiohttp_request, AiohttpRequest)
        assert aiohttp_request.session is not None and aiohttp_request.session.closed
