"""The outbox (issue 20, item 1): what goes to other chats is written with its cause, sent by
one sender, waited out through Telegram's bad hours, coalesced when it piles up, claimed once
by several instances, kept across a restart, and never dropped without the office being told.

Every test plays users through the real Application (tests/harness.py) with the emulator's
faults; `drain=False` keeps the outbox unsent until the test drains it, and the clock is moved
for retries (their times are the service clock's: nothing here sleeps for a backoff).
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import true

from bot.cli.outbox import cmd_outbox
from bot.services.outbox import LEASE
from storage.models import Assignment, ChatBinding, OutboxMessage, ProgressUpdate
from tests.harness import (
    ADMIN,
    FOCAL_A,
    FOCAL_B,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    Harness,
    make_settings,
    running_bot,
)
from tests.reliability.world import NOW, TOPICS, World, seed

DONE = "đã hoàn thành"


def office_texts(bot: Harness) -> list[str]:
    return [m.get("text") or "" for m in bot.bot_messages(OFFICE_GROUP)]


async def pending(bot: Harness) -> list[OutboxMessage]:
    return await bot.rows(
        OutboxMessage, OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)
    )


async def decide(bot: Harness, data: str, message_id: int) -> None:
    """The office presses a decision (✅ Xác nhận) on `message_id` in its group."""
    await bot.press(ADMIN, OFFICE_GROUP, message_id, data, strict=False)


async def a_message(bot: Harness) -> int:
    """A message of the bot's in the office group to press a button on (made before any
    fault is armed)."""
    keyboard = {"inline_keyboard": [[{"text": "🔘", "callback_data": "noop"}]]}
    message = await bot.emulator.call(
        "sendMessage", chat_id=OFFICE_GROUP, text="🔘", reply_markup=keyboard
    )
    return int(message["message_id"])


async def report_done(bot: Harness, world: World, key: str = "A") -> None:
    user, chat = (FOCAL_A, GROUP_A) if key == "A" else (FOCAL_B, GROUP_B)
    await bot.send(user, chat, f"/capnhat #{world.open_task[key]} {DONE}")


async def test_a_report_and_the_offices_notice_are_stored_together_and_sent_after(
    database_url: str,
) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS, drain=False) as bot:
        world = await seed(bot)
        before = len(office_texts(bot))
        await report_done(bot, world)
        # The person has the answer at once; the office's notice waits in the outbox.
        assert "Đã ghi nhận" in bot.last_text(GROUP_A)
        assert len(office_texts(bot)) == before
        [row] = await pending(bot)
        assert row.chat_id == OFFICE_GROUP and row.family == "report"
        # A refused report (a stranger's task) writes nothing to the outbox.
        await bot.send(FOCAL_B, GROUP_B, f"/capnhat #{world.open_task['A']} {DONE}")
        assert len(await pending(bot)) == 1
        assert await bot.drain() == 1
        notice = bot.last(OFFICE_GROUP)
        assert "báo hoàn thành" in notice["text"]
        # Its buttons work, and a reply to it is about its task (the link was recorded).
        confirm = bot.button(notice, "✅")
        assert confirm == f"conf:{world.open_task['A']}"
        await bot.press(ADMIN, OFFICE_GROUP, notice["message_id"], confirm)
        await bot.drain()
        assert "đã xác nhận hoàn thành" in bot.last_text(GROUP_A)
        assert not await pending(bot)


async def test_a_telegram_outage_of_hours_is_waited_out_and_each_message_arrives_once(
    database_url: str,
) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS, drain=False) as bot:
        world = await seed(bot)
        before = len(office_texts(bot))
        outage = bot.emulator.faults.inject(
            "sendMessage", "server_error", times=10_000, chat_id=OFFICE_GROUP
        )
        await report_done(bot, world, "A")
        await report_done(bot, world, "B")
        assert "Đã ghi nhận" in bot.last_text(GROUP_B)  # answers are not held up
        for _hour in range(6):
            await bot.drain()
            bot.clock.advance(timedelta(hours=1))
        assert len(office_texts(bot)) == before
        rows = await pending(bot)
        assert len(rows) == 2 and all(row.attempts >= 3 for row in rows)
        assert all("500" in (row.error or "") or "Internal" in (row.error or "") for row in rows)
        outage.remaining = 0  # Telegram is back
        bot.clock.advance(timedelta(minutes=15))
        await bot.drain()
        arrived = office_texts(bot)[before:]
        # Both arrived, once: together, as they waited for the same chat.
        assert len(arrived) == 1 and "📥" in arrived[0]
        assert "Sở Tài chính" in arrived[0] and "Sở Công Thương" in arrived[0]
        assert not await pending(bot)
        await bot.drain()
        assert len(office_texts(bot)) == before + 1


async def test_what_waits_for_one_chat_goes_as_one_message_keeping_every_button(
    database_url: str,
) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS, drain=False) as bot:
        world = await seed(bot)
        before = len(office_texts(bot))
        await report_done(bot, world, "A")
        await bot.send(FOCAL_B, GROUP_B, f"/capnhat #{world.open_task['B']} vướng mắc thiếu vốn")
        await bot.drain()
        [message] = bot.bot_messages(OFFICE_GROUP)[before:]
        text = message["text"]
        assert text.startswith("📥 2 báo cáo mới từ Sở Tài chính, Sở Công Thương")
        assert f"#{world.open_task['A']}" in text and "thiếu vốn" in text
        buttons = bot.emulator.buttons(message)
        a = world.open_task["A"]
        # The completion's two buttons, labelled with its task, acting on it.
        assert (f"✅ Xác nhận #{a}", f"conf:{a}") in buttons
        assert any(data == f"ret:{a}" and f"#{a}" in label for label, data in buttons)
        await bot.press(ADMIN, OFFICE_GROUP, message["message_id"], f"conf:{a}")
        await bot.drain()
        [assignment] = await bot.rows(Assignment, Assignment.id == a)
        assert assignment.status == "done"
        # A reply to the combined message knows its tasks, in order.
        links = await bot.services.conversation.linked(
            chat_id=OFFICE_GROUP, message_id=message["message_id"]
        )
        assert links == (a, world.open_task["B"])


async def test_a_flood_limit_is_waited_out_for_that_chat_only(database_url: str) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS, drain=False) as bot:
        world = await seed(bot)
        card = await a_message(bot)
        # The office's decision on B's task notifies B's group; A's report notifies the office.
        b_before = len(bot.bot_messages(GROUP_B))
        await decide(bot, f"conf:{world.awaiting['B']}", card)
        await report_done(bot, world, "A")
        before = len(office_texts(bot))
        bot.emulator.faults.flood("sendMessage", retry_after=30, chat_id=OFFICE_GROUP)
        await bot.drain()
        assert len(bot.bot_messages(GROUP_B)) == b_before + 1  # not held up by the office's 429
        assert len(office_texts(bot)) == before
        [row] = await pending(bot)
        assert row.due_at >= bot.clock.now() + timedelta(seconds=29)
        bot.clock.advance(timedelta(seconds=31))
        await bot.drain()
        assert "báo hoàn thành" in office_texts(bot)[-1]
        assert not await pending(bot)


async def test_a_message_out_of_time_fails_and_the_office_is_shown_it(database_url: str) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS, drain=False) as bot:
        world = await seed(bot)
        card = await a_message(bot)
        outage = bot.emulator.faults.inject(
            "sendMessage", "bad_gateway", times=10_000, chat_id=GROUP_A
        )
        await decide(bot, f"conf:{world.awaiting['A']}", card)
        await bot.drain()
        hours = bot.settings.outbox_retry_hours
        bot.clock.advance(timedelta(hours=hours - 1))
        await bot.drain()
        assert len(await pending(bot)) == 1  # still trying within OUTBOX_RETRY_HOURS
        bot.clock.advance(timedelta(hours=1, minutes=1))
        await bot.drain()
        [failed] = await bot.rows(OutboxMessage, OutboxMessage.failed_at.is_not(None))
        assert failed.chat_id == GROUP_A and "Bad Gateway" in (failed.error or "")
        told = office_texts(bot)[-1]
        assert told.startswith("❗ Không gửi được tin đến Sở Tài chính")
        assert "đã xác nhận hoàn thành" in told and "/hopthu" in told
        await bot.send(ADMIN, OFFICE_GROUP, "/hopthu")
        status = bot.last_text(OFFICE_GROUP)
        assert "Không gửi được trong 7 ngày qua: 1 tin" in status
        assert "Sở Tài chính" in status and "Bad Gateway" in status
        # An agency's focal point is not shown the office's outbox.
        outage.remaining = 0
        await bot.send(FOCAL_A, GROUP_A, "/hopthu")
        assert "Hộp thư đi" not in (bot.emulator.messages_in(GROUP_A)[-1].get("text") or "")


async def test_a_chat_that_is_gone_fails_at_once_ends_its_binding_and_tells_the_office(
    database_url: str,
) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS, drain=False) as bot:
        world = await seed(bot)
        card = await a_message(bot)
        bot.emulator.faults.forbidden("sendMessage", chat_id=GROUP_B, times=5)
        await decide(bot, f"conf:{world.awaiting['B']}", card)
        await bot.drain()
        [failed] = await bot.rows(OutboxMessage, OutboxMessage.failed_at.is_not(None))
        assert failed.chat_id == GROUP_B and failed.attempts == 1
        assert "Sở Công Thương" in office_texts(bot)[-1]  # bind.deactivated_notice
        [binding] = await bot.rows(ChatBinding, ChatBinding.chat_id == GROUP_B)
        assert not binding.active
        assert not await pending(bot)


async def test_what_waits_survives_a_restart_and_a_dead_senders_claim_runs_out(
    database_url: str,
) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS, drain=False) as first:
        world = await seed(first)
        before = len(office_texts(first))
        await report_done(first, world, "A")
        await report_done(first, world, "B")
        # The first instance claims both and dies before sending (no release).
        claimed = await first.services.outbox.claim(
            by="dead", skip_chats=set(), max_chats=8, per_chat=10
        )
        assert len(claimed) == 2
    async with running_bot(
        database_url, clock=first.clock, emulator=first.emulator, drain=False
    ) as second:
        assert await second.drain() == 0  # the dead sender's lease still holds them
        second.clock.advance(LEASE + timedelta(seconds=1))
        assert await second.drain() == 1
        assert len(office_texts(second)) == before + 1
        assert not await pending(second)


async def test_two_instances_send_each_message_once(database_url: str) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS, drain=False) as one:
        world = await seed(one)
        sent_before = len(one.emulator.sent)
        # Forty notices to three chats, written at once (as a busy morning would).
        for n in range(40):
            chat = (GROUP_A, GROUP_B, OFFICE_GROUP)[n % 3]
            await one.services.outbox.post(_notice(f"Thông báo số {n}", chat, family=None))
        async with running_bot(
            database_url, clock=one.clock, emulator=one.emulator, drain=False
        ) as two:
            # Neither waits for a chat's slot here: each claims what it can, in turns.
            await asyncio.gather(one.drain(), two.drain(), one.drain(), two.drain())
        texts = [r.text for r in one.emulator.sent[sent_before:]]
        assert sorted(texts) == sorted(f"Thông báo số {n}" for n in range(40))
        assert len(await one.rows(OutboxMessage, OutboxMessage.sent_at.is_not(None))) >= 40
        del world


def _notice(text: str, chat: int, *, family: str | None):  # type: ignore[no-untyped-def]
    from bot.services.outbox import Outgoing

    return Outgoing(text=text, chat=(chat, 0), family=family)


async def test_an_answer_telegram_would_not_take_is_kept_and_sent_when_it_is_back(
    database_url: str,
) -> None:
    from tests.harness import VirtualTime

    async with running_bot(
        database_url, now=NOW, topics=TOPICS, drain=False, answer_policy=VirtualTime().policy()
    ) as bot:
        world = await seed(bot)
        outage = bot.emulator.faults.inject(
            "sendMessage", "server_error", times=10_000, chat_id=GROUP_A
        )
        before = len(bot.bot_messages(GROUP_A))
        await report_done(bot, world, "A")
        assert len(bot.bot_messages(GROUP_A)) == before
        [updates] = [
            await bot.rows(
                ProgressUpdate, ProgressUpdate.assignment_id == world.open_task["A"], true()
            )
        ]
        assert any(u.kind == "done" for u in updates)
        await bot.drain()
        rows = await pending(bot)
        assert [r.purpose for r in rows if r.chat_id == GROUP_A] == ["answer"]
        outage.remaining = 0
        bot.clock.advance(timedelta(minutes=1))
        await bot.drain()
        answer = bot.last(GROUP_A)
        assert "Đã ghi nhận" in answer["text"]
        assert bot.button(answer, "↩️").startswith("undo:")
        assert not await pending(bot)


def test_dondoc_outbox_lists_what_waits_and_what_failed(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async def scene() -> None:
        async with running_bot(sqlite_url, now=NOW, topics=TOPICS, drain=False) as bot:
            world = await seed(bot)
            bot.emulator.faults.inject("sendMessage", "bad_gateway", times=100, chat_id=GROUP_B)
            await report_done(bot, world, "A")  # waits for the office
            await bot.services.outbox.post(_notice("Thông báo cho nhóm B", GROUP_B, family=None))
            await bot.drain()  # the office's goes; B's fails once and waits
            bot.clock.advance(timedelta(hours=bot.settings.outbox_retry_hours + 1))
            await bot.services.outbox.post(_notice("Tin mới cho nhóm B", GROUP_B, family=None))
            await bot.drain()  # B's first is out of time; the new one fails and waits

    asyncio.run(scene())
    settings = make_settings(sqlite_url)
    assert cmd_outbox(argparse.Namespace(failed=False, limit=20), settings) == 0
    out = capsys.readouterr().out
    assert out.startswith("Đang chờ gửi / waiting: 1")
    assert "→ Sở Công Thương" in out and "Tin mới cho nhóm B" in out and "1 lần thử" in out
    assert cmd_outbox(argparse.Namespace(failed=True, limit=20), settings) == 0
    out = capsys.readouterr().out
    assert out.startswith("Không gửi được / failed: 1")
    assert "Thông báo cho nhóm B" in out and "Bad Gateway" in out


def test_a_coalesced_message_stays_within_a_phone_screen_and_keeps_the_rest_for_later() -> None:
    from datetime import UTC, datetime

    from bot.messaging.keyboards import completion_keyboard
    from bot.messaging.layout import MAX_BUTTONS, fits, labels_too_wide
    from bot.messaging.outbox_presenter import coalesce, render
    from bot.messaging.texts import texts_for
    from bot.services.outbox import Queued

    t = texts_for(None, "vi")
    moment = datetime(2020, 1, 2, tzinfo=UTC)
    rows = [
        Queued(
            id=n, chat_id=OFFICE_GROUP, thread_id=0, text="…", family="report",
            markup=completion_keyboard(t, 1000 + n).to_dict(),
            item=t.t("outbox.item_done", agency="Ủy ban nhân dân huyện Hương Khê",
                     code=f"#{1000 + n} (II.{n})", text="đã hoàn thành " * 12),
            tag=f"#{1000 + n}", source="Ủy ban nhân dân huyện Hương Khê",
            assignment_ids=(1000 + n,), purpose="office", created_at=moment, due_at=moment,
            attempts=0,
        )
        for n in range(1, 9)
    ]  # fmt: skip
    batch, rest = coalesce(t, rows)
    assert 1 < len(batch) < len(rows) and batch + rest == rows
    text, markup = render(t, batch)
    assert markup is not None
    buttons = [b for row in markup.inline_keyboard for b in row]
    assert fits(text, len(buttons)) and len(buttons) <= MAX_BUTTONS
    assert not labels_too_wide([[b.text for b in row] for row in markup.inline_keyboard])
    # Every item keeps both its buttons, acting on its own task.
    assert sorted(b.callback_data for b in buttons) == sorted(
        f"{act}:{q.assignment_ids[0]}" for q in batch for act in ("conf", "ret")
    )


def test_hopthu_takes_pages_of_a_phone_screen_and_counts_what_it_does_not_list() -> None:
    """/hopthu with many waiting and failed (the layout budget plays it at the seed's size and
    at 60 agencies): every page fits, every row listed is on one page, the rest is counted."""
    from datetime import UTC, datetime

    from bot.messaging.layout import fits
    from bot.messaging.outbox_presenter import status_pages
    from bot.messaging.texts import texts_for
    from bot.services.outbox import Queued

    t = texts_for(None, "vi")
    moment = datetime(2020, 1, 2, tzinfo=UTC)
    name = "UBND xã Kim Song Trường (huyện Can Lộc)"

    def row(n: int, *, failed: bool) -> Queued:
        return Queued(
            id=n, chat_id=-n, thread_id=0, text=f"🔔 Nhắc việc — ROW{n}.",
            markup=None, family=None, item=None, tag=None, source=None, assignment_ids=(),
            purpose="digest", created_at=moment, due_at=moment, attempts=3,
            error="Forbidden: bot was blocked by the user" if failed else "Internal Server Error",
            failed_at=moment if failed else None,
        )  # fmt: skip

    waiting = [row(n, failed=False) for n in range(1, 21)]
    failed = [row(n, failed=True) for n in range(101, 121)]
    names = {(q.chat_id, 0): name for q in [*waiting, *failed]}
    pages = status_pages(t, waiting=(57, waiting), failures=(23, failed), names=names, tz=UTC)
    assert len(pages) > 2 and all(fits(page, 2) for page in pages)
    assert all(page.startswith("📤 <b>Hộp thư đi</b>\nĐang chờ gửi: <b>57</b>") for page in pages)
    text = "\n".join(pages)
    assert all(text.count(f"ROW{q.id}.") == 1 for q in [*waiting, *failed])
    assert "… và <b>37</b> tin nữa" in text and "… và <b>3</b> tin nữa" in text
    assert pages[-1].endswith(t.t("outbox.page", page=len(pages), pages=len(pages)))
    assert status_pages(t, waiting=(0, []), failures=(0, []), names={}, tz=UTC) == [
        t.t("outbox.status", waiting=0, failed=0) + "\n" + t.t("outbox.all_clear")
    ]
