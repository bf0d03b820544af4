"""/nhacngay, /tamdung, /tieptuc, /chuatiepnhan, the notice of assignment with 👍 Đã tiếp nhận,
and `dondoc remind --dry-run`: what users see AND what the database holds."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import true

from bot.cli.remind import cmd_remind, parse_at
from bot.clock import ManualClock
from bot.domain.callback_data import Act, encode
from bot.messaging.announce import announce_assignments
from bot.sandbox.emulator import BotApiEmulator
from storage.models import Agency, Assignment, ReminderLog
from tests.harness import (
    ADMIN,
    DEPUTY_A,
    FOCAL_A,
    FOCAL_B,
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
from tests.jobs.world import CT, NN, TC, World, at, day, log_rows, seed_world


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(at("15/01/2020", 9))


@pytest.fixture
def emulator(clock: ManualClock) -> BotApiEmulator:
    return new_emulator(clock)


@pytest.fixture
async def bot(
    sqlite_url: str, clock: ManualClock, emulator: BotApiEmulator
) -> AsyncIterator[Harness]:
    async with running_bot(sqlite_url, clock=clock, emulator=emulator) as harness:
        yield harness


@pytest.fixture
async def world(bot: Harness) -> World:
    return await seed_world(bot)


def _answer(bot: Harness, chat: int) -> str:
    """/nhacngay's answer in `chat` (the reminders it queued may arrive after it)."""
    texts = [m.get("text") or "" for m in bot.bot_messages(chat)]
    return next(text for text in reversed(texts) if text.startswith("🔔"))


async def _agency(bot: Harness, name: str) -> Agency:
    return (await bot.rows(Agency, Agency.name == name))[0]


# --- /nhacngay ----------------------------------------------------------------------------------


async def test_remind_now_is_for_admins_only(bot: Harness, world: World) -> None:
    await bot.send(FOCAL_A, GROUP_A, "/nhacngay")
    assert "Chỉ Văn phòng Điều phối" in bot.last_text(GROUP_A)
    await bot.send(STRANGER, STRANGER, "/remind_now")
    assert "chưa được gắn" in bot.last_text(STRANGER)
    assert await log_rows(bot) == []
    assert bot.bot_messages(GROUP_B) == [] and bot.bot_messages(OFFICE_GROUP) == []


async def test_remind_now_sends_once_and_says_so(bot: Harness, world: World) -> None:
    await bot.send(ADMIN, ADMIN, "/nhacngay")
    answer = bot.last_text(ADMIN)
    assert "Đang gửi 3 tin nhắc việc" in answer and "4 lượt nhắc" in answer
    assert "Chưa có nhóm hoặc cán bộ đầu mối nhận tin: Sở Nông nghiệp và PTNT" in answer
    assert len(bot.bot_messages(GROUP_A)) == 1 and len(bot.bot_messages(OFFICE_GROUP)) == 1
    rows = await log_rows(bot)
    await bot.send(ADMIN, ADMIN, "/nhacngay")
    assert "Không có nhắc việc mới" in bot.last_text(ADMIN)
    assert len(bot.bot_messages(GROUP_A)) == 1 and len(bot.bot_messages(OFFICE_GROUP)) == 1
    assert [(r.id, r.sent_at) for r in await log_rows(bot)] == [(r.id, r.sent_at) for r in rows]


async def test_remind_now_before_the_hour_sends_now_and_the_hour_does_not_repeat(
    bot: Harness, world: World
) -> None:
    """An admin who asks to remind now means now (issue 17, item 6): at 06:30 today's
    reminders go out, claimed under today, so the 08:00 sweep sends nothing again."""
    bot.clock.set(at("15/01/2020", 6, 30))
    await bot.send(ADMIN, OFFICE_GROUP, "/nhacngay")
    answer = _answer(bot, OFFICE_GROUP)  # the escalations follow it, through the outbox
    assert "Đang gửi 3 tin nhắc việc" in answer and "trước giờ nhắc (08:00)" in answer
    assert len(bot.bot_messages(GROUP_A)) == 1
    rows = [(r.id, r.sent_at) for r in await log_rows(bot)]
    assert rows and all(r.due_on == day("15/01/2020") for r in await log_rows(bot))
    bot.clock.set(at("15/01/2020", 8))
    report = await sweep_and_send(bot.app)
    assert report.messages == 0
    assert len(bot.bot_messages(GROUP_A)) == 1
    assert [(r.id, r.sent_at) for r in await log_rows(bot)] == rows


async def test_remind_now_on_a_day_off_asks_first_then_sends_the_next_working_days(
    bot: Harness, world: World
) -> None:
    bot.clock.set(at("28/01/2020", 9))  # Tết
    await bot.send(ADMIN, OFFICE_GROUP, "/nhacngay")
    question = bot.last(OFFICE_GROUP)
    assert "ngày nghỉ" in question["text"] and "Gửi ngay nhắc việc" in question["text"]
    assert await log_rows(bot) == []  # nothing before the answer
    # A focal point's press changes nothing; ❌ Thôi sends nothing.
    send_now = bot.button(question, "✅")
    await bot.press(FOCAL_A, OFFICE_GROUP, question["message_id"], send_now)
    assert await log_rows(bot) == []
    await bot.press(ADMIN, OFFICE_GROUP, question["message_id"], bot.button(question, "❌"))
    assert "Đã thôi" in bot.last_text(OFFICE_GROUP) and await log_rows(bot) == []
    await bot.send(ADMIN, OFFICE_GROUP, "/nhacngay")
    question = bot.last(OFFICE_GROUP)
    await bot.press(ADMIN, OFFICE_GROUP, question["message_id"], bot.button(question, "✅"))
    answer = _answer(bot, OFFICE_GROUP)
    assert "Đang gửi" in answer and "trước giờ nhắc" in answer
    rows = await log_rows(bot)
    assert rows and len({r.due_on for r in rows}) == 1
    due_on = rows[0].due_on
    assert due_on > day("28/01/2020")
    sent = len(bot.bot_messages(GROUP_A))
    # The morning of that working day: the sweep finds them claimed and sends nothing again.
    bot.clock.set(at(due_on.strftime("%d/%m/%Y"), 8))
    assert (await sweep_and_send(bot.app)).messages == 0
    assert len(bot.bot_messages(GROUP_A)) == sent


# --- /tamdung, /tieptuc -------------------------------------------------------------------------


async def test_pause_in_the_agency_group_stops_its_reminders_and_tells_the_office(
    bot: Harness, world: World
) -> None:
    await bot.send(FOCAL_A, GROUP_A, "/tamdung 5")
    assert "tạm dừng nhắc việc của Sở Tài chính đến hết ngày 19/01/2020" in bot.last_text(GROUP_A)
    assert (await _agency(bot, TC)).paused_until == day("19/01/2020")
    office = bot.last_text(OFFICE_GROUP)
    assert "Sở Tài chính" in office and "19/01/2020" in office
    await sweep_and_send(bot.app)
    assert len(bot.bot_messages(GROUP_A)) == 1  # only the /tamdung answer
    assert len(bot.bot_messages(GROUP_B)) == 1  # Sở Công Thương is not paused
    assert not [r for r in await log_rows(bot) if r.assignment_id == world.aid["I.1"]]


async def test_pause_until_a_date_then_resume(bot: Harness, world: World) -> None:
    await bot.send(DEPUTY_A, GROUP_A, "/pause 31/01/2020")
    assert (await _agency(bot, TC)).paused_until == day("31/01/2020")
    await bot.send(FOCAL_A, GROUP_A, "/tieptuc")
    assert "Đã tiếp tục nhắc việc cho Sở Tài chính" in bot.last_text(GROUP_A)
    assert (await _agency(bot, TC)).paused_until is None
    assert "nhận nhắc việc trở lại" in bot.last_text(OFFICE_GROUP)
    await bot.send(FOCAL_A, GROUP_A, "/resume")
    assert "đang hoạt động" in bot.last_text(GROUP_A)
    await sweep_and_send(bot.app)
    assert "Nhắc việc ngày 15/01/2020" in bot.last_text(GROUP_A)


async def test_pause_is_refused_to_other_agencies_and_checks_its_argument(
    bot: Harness, world: World
) -> None:
    await bot.send(FOCAL_B, GROUP_A, "/tamdung 5")
    assert "không có quyền" in bot.last_text(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "/tamdung")
    assert "Cách dùng" in bot.last_text(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "/tamdung 200")
    assert "tối đa 90 ngày" in bot.last_text(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "/tamdung 01/01/2020")
    assert "Cách dùng" in bot.last_text(GROUP_A)
    assert (await _agency(bot, TC)).paused_until is None
    # In private, a focal point of exactly one agency pauses that agency.
    await bot.send(FOCAL_B, FOCAL_B, "/tamdung 2")
    assert (await _agency(bot, CT)).paused_until == day("16/01/2020")


# --- the notice of assignment and 👍 Đã tiếp nhận -------------------------------------------------


async def test_announcement_lists_each_agencys_tasks_and_ack_records_receipt(bot: Harness) -> None:
    world = await seed_world(bot, acknowledged=False)
    by_agency = {
        world.agencies[TC]: [world.aid["I.1"], world.aid["I.2"], world.aid["I.3"]],
        world.agencies[CT]: [world.aid["II.1"]],
        world.agencies[NN]: [world.aid["III.1"]],
    }
    sent = await announce_assignments(bot.app, bot.services, by_agency, "22-TB/BCĐ")
    assert sent == 2  # Sở Nông nghiệp has no chat
    assert await bot.drain() == 2  # the outbox's sender sends them
    [message] = bot.bot_messages(GROUP_A)
    text = message["text"]
    assert "Thông báo số 22-TB/BCĐ" in text and "Sở Tài chính" in text and "3 nhiệm vụ" in text
    assert f"1. #{world.aid['I.1']} (I.1)" in text and "Thời hạn: 25/01/2020" in text
    ack = bot.button(message, "👍")
    assert ack == f"ack:{world.agencies[TC]}:{world.notice_id}"
    # Another agency's focal point cannot acknowledge for it.
    await bot.press(FOCAL_B, GROUP_A, message["message_id"], ack)
    assert "không có quyền" in bot.answers()[-1]
    assert all(a.acknowledged_at is None for a in await bot.rows(Assignment, true()))
    await bot.press(FOCAL_A, GROUP_A, message["message_id"], ack)
    assert "đã xác nhận tiếp nhận 3 nhiệm vụ" in bot.last_text(GROUP_A)
    acked = {a.id for a in await bot.rows(Assignment, Assignment.acknowledged_at.is_not(None))}
    assert acked == {world.aid["I.1"], world.aid["I.2"], world.aid["I.3"]}
    await bot.press(DEPUTY_A, GROUP_A, message["message_id"], ack)
    assert "trước đó" in bot.answers()[-1]
    # A numbered reply to the announcement reports on that task.
    await bot.send(FOCAL_A, GROUP_A, "3 đạt 20%", reply_to=message["message_id"])
    assert f"#{world.aid['I.3']}: đạt 20%" in bot.last_text(GROUP_A)


async def test_unacknowledged_agencies_are_nudged_and_listed_for_the_office(bot: Harness) -> None:
    world = await seed_world(bot, acknowledged=False)
    await bot.send(ADMIN, OFFICE_GROUP, "/chuatiepnhan")
    listing = bot.last_text(OFFICE_GROUP)
    assert "Sở Tài chính: 3 nhiệm vụ" in listing and "Sở Công Thương: 1 nhiệm vụ" in listing
    await bot.send(FOCAL_A, GROUP_A, "/chuatiepnhan")
    assert "Chỉ Văn phòng Điều phối" in bot.last_text(GROUP_A)
    # Its pages' buttons are checked again when pressed: a forged one from an agency is refused.
    refusal = bot.last(GROUP_A)
    await bot.press(FOCAL_A, GROUP_A, refusal["message_id"], encode(Act.UPAGE, 2), strict=False)
    assert "Chỉ Văn phòng Điều phối" in bot.emulator.callback_answers[-1]["text"]
    assert bot.last(GROUP_A) == refusal  # nothing listed, nothing edited
    # 2 working days after 27/12/2019 (Friday): Tuesday 31/12.
    bot.clock.set(at("31/12/2019", 8, 5))
    await sweep_and_send(bot.app)
    digest = bot.last(GROUP_A)
    assert digest["text"].count("chưa tiếp nhận") == 3
    rows = await log_rows(bot, ReminderLog.due_on == day("31/12/2019"))
    kinds = {(r.assignment_id, r.kind) for r in rows}
    # II.1 is due that very day: "due today" is more urgent than the nudge, so it wins.
    assert kinds == {
        (world.aid["I.1"], "ack_nudge"),
        (world.aid["I.2"], "ack_nudge"),
        (world.aid["I.3"], "ack_nudge"),
        (world.aid["II.1"], "due_today"),
    }  # III.1's agency has no chat: nothing claimed for it
    await bot.press(FOCAL_A, GROUP_A, digest["message_id"], bot.button(digest, "👍"))
    await bot.send(ADMIN, OFFICE_GROUP, "/nhacngay")
    answer = bot.last_text(OFFICE_GROUP)
    assert "Chưa xác nhận tiếp nhận nhiệm vụ" in answer
    assert "Sở Công Thương (1)" in answer and "Sở Tài chính" not in answer


# --- dondoc remind ----------------------------------------------------------------------------


def test_parse_at_accepts_the_operators_formats() -> None:
    settings = make_settings("sqlite+aiosqlite:///x")
    assert parse_at("2020-01-13 08:00", settings) == at("13/01/2020", 8)
    assert parse_at("13/01/2020 10:30", settings) == at("13/01/2020", 10, 30)
    assert parse_at("2020-01-13", settings) == at("13/01/2020", 8)
    assert parse_at("hôm nay", settings) is None


def test_dry_run_prints_without_claiming_or_sending(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = ManualClock(at("15/01/2020", 9))
    emulator = new_emulator(clock)

    async def seed_and_count() -> int:
        async with running_bot(sqlite_url, clock=clock, emulator=emulator) as harness:
            await seed_world(harness)
            return len(await log_rows(harness))

    assert asyncio.run(seed_and_count()) == 0
    settings = make_settings(sqlite_url)
    code = cmd_remind(argparse.Namespace(dry_run=True, at="2020-01-15 08:00"), settings)
    out = capsys.readouterr().out
    assert code == 0
    assert "15/01/2020 08:00" in out and "chạy thử, không gửi" in out
    assert "[Sở Tài chính]" in out and "còn 7 ngày làm việc" in out
    assert "đề nghị Lãnh đạo nhắc nhở" in out
    assert "[Sở Nông nghiệp và PTNT] → chưa có nhóm hoặc đầu mối nhận tin" in out
    assert emulator.count("sendMessage") == 0

    async def count_rows() -> int:
        async with running_bot(sqlite_url, clock=clock, emulator=emulator) as harness:
            return len(await log_rows(harness))

    assert asyncio.run(count_rows()) == 0
    code = cmd_remind(argparse.Namespace(dry_run=True, at="2020-01-15 07:00"), settings)
    assert "chưa đến giờ nhắc việc" in capsys.readouterr().out
    code = cmd_remind(
        argparse.Namespace(dry_run=False, at=None),
        make_settings(sqlite_url, telegram_bot_token=None),
    )
    assert code == 2 and "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
    assert cmd_remind(argparse.Namespace(dry_run=True, at="sáng mai"), settings) == 2


async def test_dry_run_marks_what_was_already_sent(bot: Harness, world: World) -> None:
    from bot.cli.remind import dry_run_lines

    await sweep_and_send(bot.app)
    bot.clock.advance(timedelta(hours=1))
    lines = await dry_run_lines(bot.services)
    assert sum("[đã gửi]" in line for line in lines) == 4
    assert "0 lượt sẽ được gửi" in lines[-1]


async def test_a_pause_until_a_date_on_no_calendar_names_it_and_changes_nothing(
    bot: Harness, world: World
) -> None:
    """Review O1: `/tamdung 31/02/2020` got the usage; now it names the impossible date,
    offers one that works, and no pause is set or told to the office."""
    office_before = len(bot.bot_messages(OFFICE_GROUP))
    await bot.send(FOCAL_A, GROUP_A, "/tamdung 31/02/2020")
    assert bot.last_text(GROUP_A) == (
        "Không có ngày 31/02/2020: tháng 02/2020 chỉ có 29 ngày. Chưa có gì thay đổi. "
        "Nhập ngày có thật, ví dụ /tamdung 29/02/2020."
    )
    await bot.send(FOCAL_A, GROUP_A, "/tamdung 00/13/2020")
    answer = bot.last_text(GROUP_A)
    assert answer.startswith("Không có ngày 00/13/2020: một năm chỉ có 12 tháng")
    assert answer.endswith("ví dụ /tamdung 21/01/2020.")  # 01/12 is past 90 days: a week
    assert (await _agency(bot, TC)).paused_until is None
    assert len(bot.bot_messages(OFFICE_GROUP)) == office_before
    await bot.send(FOCAL_A, GROUP_A, "/tamdung 29/02/2020")  # the example works
    assert (await _agency(bot, TC)).paused_until == day("29/02/2020")
