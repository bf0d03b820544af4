"""The reminder sweep against the emulator: what chats receive AND what reminder_log holds.

Seed-like data on the real Vietnamese calendar (the `holidays` package): notice 22-TB/BCĐ of
27/12/2019, Tết Canh Tý 23–29/01/2020 off, a deadline on a Saturday in Tết (25/01) and one on
a Monday (03/02). No test sleeps: the ManualClock moves, and the rate limiter's waits are
replaced by moving it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import time, timedelta

import pytest
from sqlalchemy import delete, select, true
from telegram.ext import AIORateLimiter

from bot.clock import ManualClock
from bot.jobs import SWEEP_JOB
from bot.messaging.layout import fits
from bot.messaging.sweep import FANOUT_KEY, SweepReport, run_sweep_now
from bot.sandbox.emulator import BotApiEmulator
from storage.models import (
    Agency,
    Assignment,
    ChatBinding,
    MessageLink,
    OutboxMessage,
    ProgressUpdate,
    ReminderLog,
)
from storage.unit_of_work import UnitOfWork
from tests.harness import (
    FOCAL_A,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    STRANGER,
    Harness,
    make_settings,
    new_emulator,
    running_bot,
    sweep_and_send,
)
from tests.jobs.world import CT, TC, at, day, kinds_on, log_rows, seed_world, sends


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(at("15/01/2020"))


@pytest.fixture
def emulator(clock: ManualClock) -> BotApiEmulator:
    return new_emulator(clock)


@pytest.fixture
async def bot(
    sqlite_url: str, clock: ManualClock, emulator: BotApiEmulator
) -> AsyncIterator[Harness]:
    async with running_bot(sqlite_url, clock=clock, emulator=emulator) as harness:
        yield harness


# --- the policy over the real calendar --------------------------------------------------------


async def test_schedule_over_the_real_calendar(bot: Harness) -> None:
    """Which reminders each day brings, Tết included; the office gets the escalations."""
    world = await seed_world(bot)
    expected = {
        "14/01/2020": {("I.2", "before_7")},
        # II.1 is 10 working days late: overdue (1, 4, 7, 10…), office and leaders.
        "15/01/2020": {
            ("I.1", "before_7"),
            ("II.1", "overdue"),
            ("II.1", "escalate_office"),
            ("II.1", "escalate_leaders"),
        },
        "20/01/2020": {("I.2", "before_3"), ("II.1", "overdue"), ("II.1", "escalate_office")},
        "21/01/2020": {("I.1", "before_3")},
        # 25/01 is a Saturday in Tết: "due today" goes out on the last working day before.
        # 3 working days before Monday 03/02 is 22/01: Tết lies in between.
        "22/01/2020": {("I.2", "due_today"), ("I.3", "before_3")},
        "28/01/2020": set(),  # Tết: nothing at all
        "30/01/2020": {
            ("I.1", "before_1"),
            ("I.2", "overdue"),
            ("I.2", "escalate_office"),
            ("II.1", "overdue"),
            ("II.1", "escalate_office"),
        },
        "31/01/2020": {("I.1", "due_today"), ("I.3", "before_1")},
        # III.1's agency has no chat: its own reminders are not claimed, but the office
        # still hears that it is late.
        "03/02/2020": {
            ("I.3", "due_today"),
            ("I.1", "overdue"),
            ("I.1", "escalate_office"),
            ("III.1", "escalate_office"),
        },
    }
    for when, kinds in expected.items():
        bot.clock.set(at(when, 8, 1))
        report = await sweep_and_send(bot.app)
        assert kinds_on(await log_rows(bot), world, day(when)) == kinds, when
        if not kinds:
            assert report.quiet is not None and report.quiet.value == "day_off"
    rows = await log_rows(bot)
    assert all(r.sent_at is not None and r.error is None for r in rows)
    assert {r.kind for r in rows if r.assignment_id == world.aid["III.1"]} == {"escalate_office"}

    group_a = sends(bot.emulator, GROUP_A)
    assert len(group_a) == 8  # one digest on each day Sở Tài chính had something
    tet = next(text for text in group_a if "22/01/2020" in text)
    assert "25/01/2020 · hạn rơi vào ngày nghỉ" in tet
    assert "còn 7 ngày làm việc" in next(t for t in group_a if "15/01/2020" in t)
    assert "quá hạn 1 ngày làm việc" in next(t for t in group_a if "Nhắc việc ngày 03/02" in t)
    office = sends(bot.emulator, OFFICE_GROUP)
    escalations = [text for text in office if "Đôn đốc nhiệm vụ quá hạn" in text]
    assert len(escalations) == 4  # 15/01, 20/01, 30/01, 03/02
    # III.1's agency never bound a group: one line on each working day swept names it (issue
    # 21), at the end of the escalations when there are some, else alone.
    working_days = sum(1 for kinds in expected.values() if kinds)
    assert len(office) == working_days
    assert all(text.count("Chưa gắn nhóm Telegram") == 1 for text in office)
    first = escalations[0]
    assert "đề nghị Lãnh đạo Văn phòng nhắc nhở" in first
    assert "Sở Công Thương" in first and f"#{world.aid['II.1']}" in first
    assert first.count(f"#{world.aid['II.1']}") == 1  # once, under the leaders
    assert "Sở Tài chính" not in sends(bot.emulator, GROUP_B)[0]


async def test_nothing_before_reminder_time_then_late_start_sends_once(bot: Harness) -> None:
    world = await seed_world(bot)
    bot.clock.set(at("15/01/2020", 7, 59))
    report = await sweep_and_send(bot.app)
    assert report.quiet is not None and report.quiet.value == "before_time"
    assert bot.emulator.count("sendMessage") == 0 and await log_rows(bot) == []
    # The bot was down at 08:00 and starts at 10:30: today's reminders still go out, once.
    bot.clock.set(at("15/01/2020", 10, 30))
    report = await sweep_and_send(bot.app)
    assert report.messages == 3  # GROUP_A, GROUP_B, the office
    assert kinds_on(await log_rows(bot), world, day("15/01/2020")) >= {("I.1", "before_7")}


async def test_sweep_twice_sends_nothing_new(bot: Harness) -> None:
    await seed_world(bot)
    first = await sweep_and_send(bot.app)
    calls = bot.emulator.count("sendMessage")
    rows = [(r.id, r.sent_at, r.message_id) for r in await log_rows(bot)]
    # I.1 before_7; II.1 overdue + office + leaders (III.1's agency has no chat).
    assert first.messages == 3 and calls == 3 and len(rows) == 4
    bot.clock.advance(timedelta(hours=3))
    second = await sweep_and_send(bot.app)
    assert (second.messages, second.claimed, second.due) == (0, 0, 5)
    assert bot.emulator.count("sendMessage") == calls
    assert [(r.id, r.sent_at, r.message_id) for r in await log_rows(bot)] == rows


async def test_the_sweep_lets_the_loop_run_between_digests(bot: Harness) -> None:
    """On SQLite a digest's unit of work never suspends (storage/sqlite_inline.py): the sweep
    yields before each one, so the outbox's sender and the updates run between them (bench
    item 8: a thousand digests in one turn of the loop held every answer for seconds)."""
    await seed_world(bot)
    bot.app.bot_data[FANOUT_KEY] = 1
    sweeping = asyncio.create_task(run_sweep_now(bot.app))
    seen: list[int] = []
    while not sweeping.done():
        waiting, _rows = await bot.services.outbox.waiting(limit=0)
        seen.append(waiting)
        await asyncio.sleep(0)
    report = await sweeping
    assert report.messages == 3
    assert 1 in seen  # GROUP_A's digest queued, GROUP_B's not yet: the loop ran between


# --- one digest per chat per day, and replies to it ---------------------------------------------


FIVE = [(f"IV.{n}", TC, "31/01/2020") for n in range(1, 6)]


async def test_five_due_tasks_make_one_digest_and_a_numbered_reply_maps_back(bot: Harness) -> None:
    world = await seed_world(bot, FIVE, restricted=frozenset({"IV.4"}))
    bot.clock.set(at("31/01/2020", 8, 0))
    await sweep_and_send(bot.app)
    digests = bot.bot_messages(GROUP_A)
    assert len(digests) == 1
    digest = digests[0]
    text = digest["text"]
    ids = [world.aid[f"IV.{n}"] for n in range(1, 6)]
    for n, aid in enumerate(ids, start=1):
        assert f"{n}. #{aid} (IV.{n})" in text
    assert text.count("hạn hôm nay") == 5 and "31/01/2020" in text
    # The restricted task shows its code and deadline, never its text.
    restricted_line = text.split("4. ")[1].split("\n\n")[0]
    assert "nhiệm vụ mật" in restricted_line and "giải ngân" not in restricted_line
    # One button per line, opening that task's card (✅ 🔄 ⚠️ 📅): five, within six.
    buttons = bot.emulator.buttons(digest)
    assert [data for _, data in buttons] == [f"card:{aid}" for aid in ids]
    assert buttons[1][0].startswith(f"2 · #{ids[1]} Nhiệm vụ IV.2")
    assert buttons[3][0] == f"4 · #{ids[3]}"  # restricted: no words
    rows = await log_rows(bot)
    assert all(r.sent_at is not None for r in rows)  # handed to the outbox
    # The outbox carried it: one row for the group, with the message it became.
    carried = await bot.rows(OutboxMessage, OutboxMessage.purpose == "digest")
    assert [(o.chat_id, o.message_id) for o in carried] == [(GROUP_A, digest["message_id"])]
    links = await bot.rows(MessageLink, MessageLink.message_id == digest["message_id"])
    assert sorted((link.position, link.assignment_id) for link in links) == list(
        enumerate(ids, start=1)
    )
    await bot.send(FOCAL_A, GROUP_A, "2 đạt 70%", reply_to=digest["message_id"])
    updates = await bot.rows(ProgressUpdate, true())
    assert [(u.assignment_id, u.percent) for u in updates] == [(ids[1], 70)]
    assert f"#{ids[1]}: đạt 70%" in bot.last_text(GROUP_A)
    # A bare line number says which task but reports nothing: the bot asks what, with the
    # card's buttons, and stores nothing (issue 14: unclear).
    await bot.send(FOCAL_A, GROUP_A, "3", reply_to=digest["message_id"])
    assert f"Chưa rõ nội dung báo cáo cho #{ids[2]}" in bot.last_text(GROUP_A)
    assert [d for _, d in bot.emulator.buttons(bot.last(GROUP_A))][:2] == [
        f"done:{ids[2]}", f"prog:{ids[2]}",
    ]  # fmt: skip
    assert len(await bot.rows(ProgressUpdate, true())) == 1


async def test_a_digest_reply_without_a_line_number_asks_which_then_records_it(
    bot: Harness,
) -> None:
    world = await seed_world(bot, FIVE[:3])
    bot.clock.set(at("31/01/2020", 8, 0))
    await sweep_and_send(bot.app)
    digest = bot.last(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "đạt 40%, đang hoàn thiện", reply_to=digest["message_id"])
    question = bot.last(GROUP_A)
    assert "Bạn báo cáo cho nhiệm vụ nào?" in question["text"]
    assert await bot.rows(ProgressUpdate, true()) == []  # nothing recorded before the answer
    third = world.aid["IV.3"]
    await bot.press(FOCAL_A, GROUP_A, question["message_id"], f"pick:{third}")
    assert f"Đã ghi nhận #{third}: đạt 40%" in bot.last_text(GROUP_A)  # confirmed, once
    updates = await bot.rows(ProgressUpdate, true())
    assert [(u.assignment_id, u.percent, u.text) for u in updates] == [
        (third, 40, "đạt 40%, đang hoàn thiện")
    ]
    # The question is answered: its buttons have expired.
    await bot.press(FOCAL_A, GROUP_A, question["message_id"], f"pick:{third}")
    assert len(await bot.rows(ProgressUpdate, true())) == 1
    # A stranger replying to the same digest changes nothing.
    await bot.send(STRANGER, GROUP_A, "1 xong", reply_to=digest["message_id"])
    assert len(await bot.rows(ProgressUpdate, true())) == 1


async def test_a_report_replying_to_a_confirmation_is_that_tasks_report(
    bot: Harness,
) -> None:
    """A report replying to the bot's confirmation used to vanish without a word; it is a
    report on the task that confirmation was about (review R3). Talk in the group (a thanks,
    a stranger) still gets no answer."""
    world = await seed_world(bot, FIVE[:3])
    bot.clock.set(at("31/01/2020", 8, 0))
    await sweep_and_send(bot.app)
    digest = bot.last(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "2 đạt 70%", reply_to=digest["message_id"])
    confirmation = bot.last(GROUP_A)
    assert f"#{world.aid['IV.2']}: đạt 70%" in confirmation["text"]
    sent = len(bot.bot_messages(GROUP_A))
    await bot.send(FOCAL_A, GROUP_A, "Cảm ơn Văn phòng", reply_to=confirmation["message_id"])
    await bot.send(STRANGER, GROUP_A, "xong", reply_to=confirmation["message_id"])
    assert len(bot.bot_messages(GROUP_A)) == sent
    await bot.send(FOCAL_A, GROUP_A, "xong", reply_to=confirmation["message_id"])
    assert bot.last_text(GROUP_A).startswith(f"✅ Đã ghi nhận #{world.aid['IV.2']} hoàn thành")
    updates = await bot.rows(ProgressUpdate, true())
    assert [(u.assignment_id, u.percent) for u in updates] == [
        (world.aid["IV.2"], 70),
        (world.aid["IV.2"], 100),
    ]
    # Asking for more time in words is the 📅 button's request (issue 14): the date shown.
    await bot.send(FOCAL_A, GROUP_A, "3 xin gia hạn đến 31/03/2020", reply_to=digest["message_id"])
    answer = bot.last_text(GROUP_A)
    assert f"đề nghị gia hạn #{world.aid['IV.3']} đến 31/03/2020" in answer
    assert "xin gia hạn" in bot.last_text(OFFICE_GROUP)


async def test_a_line_number_the_digest_does_not_have_is_named_before_asking_which(
    bot: Harness,
) -> None:
    world = await seed_world(bot, FIVE[:3])
    bot.clock.set(at("31/01/2020", 8, 0))
    await sweep_and_send(bot.app)
    digest = bot.last(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "7 đạt 30%", reply_to=digest["message_id"])
    question = bot.last(GROUP_A)
    assert (
        "Tin này có 3 nhiệm vụ, đánh số từ 1 đến 3; số 7 không ứng với nhiệm vụ nào."
        in (question["text"])
    )
    assert "Bạn báo cáo cho nhiệm vụ nào?" in question["text"]
    assert await bot.rows(ProgressUpdate, true()) == []  # no guess: nothing stored
    first = world.aid["IV.1"]
    await bot.press(FOCAL_A, GROUP_A, question["message_id"], f"pick:{first}")
    updates = await bot.rows(ProgressUpdate, true())
    assert [(u.assignment_id, u.percent) for u in updates] == [(first, 30)]


async def test_a_numbered_reply_after_the_which_task_question_is_a_report_not_its_answer(
    bot: Harness,
) -> None:
    world = await seed_world(bot, FIVE[:3])
    bot.clock.set(at("31/01/2020", 8, 0))
    await sweep_and_send(bot.app)
    digest = bot.last(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "đạt 40%", reply_to=digest["message_id"])
    question = bot.last(GROUP_A)
    # Instead of a button, the focal point answers the way the digest says: with a number.
    await bot.send(FOCAL_A, GROUP_A, "2 đạt 60%", reply_to=digest["message_id"])
    second = world.aid["IV.2"]
    assert f"Đã ghi nhận #{second}: đạt 60%" in bot.last_text(GROUP_A)
    # The question was dropped: a late press on it records nothing more.
    await bot.press(FOCAL_A, GROUP_A, question["message_id"], f"pick:{world.aid['IV.1']}")
    updates = await bot.rows(ProgressUpdate, true())
    assert [(u.assignment_id, u.percent) for u in updates] == [(second, 60)]


async def test_a_message_links_are_kept_once_found_but_a_miss_is_looked_up_again(
    bot: Harness,
) -> None:
    """Links never change once written, so they are kept in memory; a message whose links
    are not committed yet must not be remembered as linking to nothing."""
    world = await seed_world(bot, FIVE[:2])
    ids = (world.aid["IV.1"], world.aid["IV.2"])
    conversation = bot.services.conversation
    ctx = bot.services.ctx
    assert await conversation.linked(chat_id=GROUP_A, message_id=777) == ()
    await conversation.remember(
        chat_id=GROUP_A, message_id=777, assignment_ids=list(ids), purpose="digest"
    )
    assert await conversation.linked(chat_id=GROUP_A, message_id=777) == ids
    async with ctx.uow() as uow:
        await uow.execute(delete(MessageLink).where(MessageLink.message_id == 777))
    assert await conversation.linked(chat_id=GROUP_A, message_id=777) == ids


async def test_digest_button_records_done(bot: Harness) -> None:
    world = await seed_world(bot, FIVE[:2])
    bot.clock.set(at("31/01/2020"))
    await sweep_and_send(bot.app)
    digest = bot.last(GROUP_A)
    aid = world.aid["IV.1"]
    await bot.press(FOCAL_A, GROUP_A, digest["message_id"], f"card:{aid}")  # its card
    card = bot.last(GROUP_A)
    await bot.press(FOCAL_A, GROUP_A, card["message_id"], f"done:{aid}")
    assignment = (await bot.rows(Assignment, Assignment.id == aid))[0]
    assert assignment.status == "awaiting_confirmation"


async def test_long_digest_is_split_and_each_part_numbers_from_one(bot: Harness) -> None:
    many = [(f"V.{n}", TC, "31/01/2020") for n in range(1, 14)]
    world = await seed_world(bot, many)
    bot.clock.set(at("31/01/2020"))
    report = await sweep_and_send(bot.app)
    parts = bot.bot_messages(GROUP_A)
    # Each part fits a phone screen (at most 25 lines and 6 buttons): 13 tasks take 3.
    assert report.messages == len(parts) == 3
    assert [f"(phần {n}/3)" in p["text"] for n, p in enumerate(parts, 1)] == [True] * 3
    assert all(fits(p["text"], len(bot.emulator.buttons(p))) for p in parts)
    rows = await log_rows(bot)
    carried = await bot.rows(OutboxMessage, OutboxMessage.purpose == "digest")
    assert len(rows) == 13 and {o.message_id for o in carried} == {p["message_id"] for p in parts}
    first_of_second = bot.emulator.buttons(parts[1])[0][1]
    aid = int((first_of_second or "").split(":")[1])
    code = next(c for c, a in world.aid.items() if a == aid)
    assert f"1. #{aid} ({code})" in parts[1]["text"]


async def test_paused_agency_gets_nothing_but_the_office_still_escalates(bot: Harness) -> None:
    await seed_world(bot)
    async with UnitOfWork(bot.services.ctx.session_factory) as uow:
        for agency in (await uow.session.execute(select(Agency))).scalars():
            if agency.name in (TC, CT):
                agency.paused_until = day("15/01/2020")
    await sweep_and_send(bot.app)
    assert bot.bot_messages(GROUP_A) == [] and bot.bot_messages(GROUP_B) == []
    assert len(bot.bot_messages(OFFICE_GROUP)) == 1
    rows = await log_rows(bot)
    assert {r.kind for r in rows} == {"escalate_office", "escalate_leaders"}
    # The day after the pause, reminders come back.
    bot.clock.set(at("20/01/2020"))
    await sweep_and_send(bot.app)
    assert len(bot.bot_messages(GROUP_A)) == 1


# --- failures: 429, 403, network errors -------------------------------------------------------


async def test_429_is_retried_after_retry_after_and_delivered_once(
    sqlite_url: str, clock: ManualClock, emulator: BotApiEmulator
) -> None:
    """The production rate limiter (AIORateLimiter) waits out Telegram's retry_after, for
    real: a short one (0.2 s) keeps the test quick, and the emulator measures the wait."""
    emulator.enforce_limits()
    emulator.faults.flood("sendMessage", times=1, retry_after=0.2)
    async with running_bot(
        sqlite_url, clock=clock, emulator=emulator, rate_limiter=AIORateLimiter(max_retries=3)
    ) as bot:
        await seed_world(bot)
        report = await sweep_and_send(bot.app)
        assert report.messages == 3
        [wait] = bot.emulator.retry_waits("sendMessage")
        assert wait >= 0.2  # retry_after honoured (AIORateLimiter adds 0.1 s)
        assert bot.emulator.stats["rate_limited"] == 1
        assert [len(bot.bot_messages(c)) for c in (GROUP_A, GROUP_B, OFFICE_GROUP)] == [1, 1, 1]
        assert all(r.sent_at is not None for r in await log_rows(bot))
        again = await sweep_and_send(bot.app)
        assert again.messages == 0 and bot.emulator.count("sendMessage") == 4  # 429 + 3 sent


async def test_403_deactivates_the_binding_tells_the_office_and_others_still_get_theirs(
    bot: Harness,
) -> None:
    world = await seed_world(bot)
    bot.emulator.block_chat(GROUP_A)
    report = await sweep_and_send(bot.app)  # queued, then sent by the outbox's sender
    assert report.messages == 3 and report.sent == 4
    await bot.drain()  # the office's notice goes through the outbox
    binding = (await bot.rows(ChatBinding, ChatBinding.chat_id == GROUP_A))[0]
    assert binding.active is False and "Forbidden" in (binding.deactivated_reason or "")
    office = sends(bot.emulator, OFFICE_GROUP)
    assert any("Không gửi được tin cho Sở Tài chính" in text for text in office)
    assert len(bot.bot_messages(GROUP_B)) == 1
    # The reminder was handed over once; its message failed in the outbox, kept with why.
    claimed = (await log_rows(bot, ReminderLog.assignment_id == world.aid["I.1"]))[0]
    assert claimed.sent_at is not None
    [failed] = await bot.rows(OutboxMessage, OutboxMessage.chat_id == GROUP_A)
    assert failed.failed_at is not None and "Forbidden" in (failed.error or "")
    # Later sweeps do not hammer the gone chat: it has no active binding any more.
    bot.clock.advance(timedelta(hours=1))
    calls = bot.emulator.count("sendMessage")
    await sweep_and_send(bot.app)
    assert bot.emulator.count("sendMessage") == calls


async def test_network_error_is_waited_out_by_the_outbox_and_sent_once(
    bot: Harness,
) -> None:
    """A 502 on a reminder: the outbox tries it again after its backoff (2 s, then more),
    and it arrives once; no later sweep claims it again."""
    world = await seed_world(bot)
    bot.emulator.faults.inject("sendMessage", "bad_gateway", chat_id=GROUP_A)
    report = await sweep_and_send(bot.app)
    assert report.messages == 3 and bot.bot_messages(GROUP_A) == []
    [row] = await bot.rows(OutboxMessage, OutboxMessage.chat_id == GROUP_A)
    assert row.sent_at is None and row.error and row.attempts == 1
    claimed = (await log_rows(bot, ReminderLog.assignment_id == world.aid["I.1"]))[0]
    assert claimed.sent_at is not None and claimed.attempts == 1  # handed over, once
    # Before its backoff: nothing is resent; no sweep claims it again.
    bot.clock.advance(timedelta(seconds=1))
    assert (await sweep_and_send(bot.app)).messages == 0
    assert bot.bot_messages(GROUP_A) == []
    # After it: sent once, recorded, and never again.
    bot.clock.advance(timedelta(seconds=2))
    assert await bot.drain() == 1
    [row] = await bot.rows(OutboxMessage, OutboxMessage.chat_id == GROUP_A)
    assert row.sent_at is not None and row.attempts == 1
    assert len(bot.bot_messages(GROUP_A)) == 1
    bot.clock.advance(timedelta(hours=1))
    assert (await sweep_and_send(bot.app)).messages == 0
    assert len(bot.bot_messages(GROUP_A)) == 1


# --- restarts -----------------------------------------------------------------------------------


async def test_restart_sends_nothing_already_sent_and_resends_a_crashed_claim_after_timeout(
    sqlite_url: str, clock: ManualClock, emulator: BotApiEmulator
) -> None:
    async with running_bot(sqlite_url, clock=clock, emulator=emulator) as first:
        world = await seed_world(first)
        # A crash in the middle of the fan-out: Sở Công Thương's digest claimed, never sent.
        crashed = []
        async with UnitOfWork(first.services.ctx.session_factory) as uow:
            for kind in ("overdue",):
                row = ReminderLog(
                    assignment_id=world.aid["II.1"],
                    kind=kind,
                    due_on=day("15/01/2020"),
                    claimed_at=clock.now(),
                    claimed_by="crashed-instance",
                )
                uow.session.add(row)
                crashed.append(row)
    clock.advance(timedelta(minutes=1))
    async with running_bot(sqlite_url, clock=clock, emulator=emulator) as second:
        report = await sweep_and_send(second.app)
        # Sở Tài chính and the office get theirs; Sở Công Thương waits for the claim to expire.
        assert len(second.bot_messages(GROUP_A)) == 1
        assert len(second.bot_messages(OFFICE_GROUP)) == 1
        assert second.bot_messages(GROUP_B) == [] and report.messages == 2
    clock.advance(timedelta(seconds=make_settings("x").claim_timeout_seconds))
    async with running_bot(sqlite_url, clock=clock, emulator=emulator) as third:
        report = await sweep_and_send(third.app)
        assert report.messages == 1 and len(third.bot_messages(GROUP_B)) == 1
        assert len(third.bot_messages(GROUP_A)) == 1  # nothing twice
        rows = await log_rows(third)
        assert all(r.sent_at is not None for r in rows)
        resent = next(r for r in rows if r.id == crashed[0].id)
        assert resent.attempts == 2 and resent.claimed_by != "crashed-instance"
        assert (await sweep_and_send(third.app)).messages == 0


# --- the JobQueue ---------------------------------------------------------------------------------


async def test_job_queue_holds_one_sweep_with_misfire_grace_and_coalesce(
    sqlite_url: str, clock: ManualClock, emulator: BotApiEmulator
) -> None:
    async with running_bot(sqlite_url, clock=clock, emulator=emulator, with_jobs=True) as bot:
        jobs = bot.app.job_queue.jobs()  # type: ignore[union-attr]
        sweeps = [j for j in jobs if j.name == SWEEP_JOB]
        assert len(sweeps) == 1
        job = sweeps[0].job
        assert job.misfire_grace_time == 300
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.trigger.interval == timedelta(seconds=bot.settings.reminder_sweep_seconds)
        scheduler_tz = bot.app.job_queue.scheduler.timezone  # type: ignore[union-attr]
        assert str(scheduler_tz) == "Asia/Ho_Chi_Minh"


async def test_the_job_callback_runs_the_sweep(bot: Harness) -> None:
    """What the scheduler calls (without waiting for it): the same idempotent sweep."""
    from types import SimpleNamespace

    from bot.jobs import reminder_sweep_job

    await seed_world(bot)
    await reminder_sweep_job(SimpleNamespace(application=bot.app))  # type: ignore[arg-type]
    await reminder_sweep_job(SimpleNamespace(application=bot.app))  # type: ignore[arg-type]
    assert bot.emulator.count("sendMessage") == 0  # queued: the outbox's sender sends them
    assert await bot.drain() == 3


def test_sweep_report_defaults() -> None:
    report = SweepReport()
    assert (report.messages, report.sent, report.unreachable, report.quiet) == (0, 0, [], None)
    assert time(8, 0) == make_settings("sqlite+aiosqlite:///x").reminder_time
