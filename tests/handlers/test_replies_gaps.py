"""Issue 14, the gaps left after items 1-7, through the whole bot (the real Application, the
emulator, SQLite and PostgreSQL): a figure and an extension in one reply, a report under a bot
message about no task, every difficulty quoted in the roll-up, the voice-note hint across a
restart."""

from __future__ import annotations

import asyncio
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from docx import Document
from sqlalchemy import true

from bot.clock import ManualClock
from bot.domain.callback_data import Act, encode
from bot.reports.docx import render_docx
from storage.models import Assignment, DispatchLog, ExtensionRequest, ProgressUpdate
from tests.harness import (
    ADMIN,
    FOCAL_A,
    GROUP_A,
    OFFICE_GROUP,
    STRANGER,
    Harness,
    new_emulator,
    running_bot,
)
from tests.jobs.world import TC, World, at, seed_world

TASKS = [("I.1", TC, "31/01/2020"), ("I.2", TC, "25/01/2020"), ("I.3", TC, "03/02/2020")]


@pytest.fixture
async def world(bot: Harness) -> World:
    return await seed_world(bot, TASKS, acknowledged=False)


async def _reply_to_card(bot: Harness, assignment_id: int, text: str) -> str:
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{assignment_id}")
    card = bot.last(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, text, reply_to=card["message_id"])
    return bot.last_text(GROUP_A)


async def _assignment(bot: Harness, assignment_id: int) -> Assignment:
    return (await bot.rows(Assignment, Assignment.id == assignment_id))[0]


async def _updates(bot: Harness, assignment_id: int) -> list[Any]:
    rows = await bot.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment_id)
    return sorted(rows, key=lambda u: u.id)


# --- every difficulty quoted in the roll-up, latest per assignment ---------------------------


async def test_a_difficulty_beside_done_or_a_figure_is_quoted_and_counts_stay(
    bot: Harness, world: World
) -> None:
    first, second, third = world.aid["I.1"], world.aid["I.2"], world.aid["I.3"]
    await _reply_to_card(bot, first, "Đã hoàn thành, tuy nhiên còn vướng kinh phí đối ứng")
    assert (await _assignment(bot, first)).status == "awaiting_confirmation"
    await _reply_to_card(bot, second, "vướng mặt bằng")
    bot.clock.set(at("27/12/2019", 10, 0))
    await _reply_to_card(bot, second, "vẫn vướng mặt bằng chưa giải phóng xong")
    await _reply_to_card(bot, third, "đạt 70%")  # no difficulty: not quoted
    assert [u.obstacle for u in await _updates(bot, first)] == [True]
    assert [u.obstacle for u in await _updates(bot, third)] == [False]
    rollup = await bot.services.summary.rollup(at=date(2019, 12, 27))
    # The cells are what they were: done stays awaited, blocked is in progress.
    assert rollup.overall.awaiting == 1 and rollup.overall.in_progress_on_time == 2
    assert rollup.overall.not_started == 0
    # One quote per task, its latest difficulty, newest first; every report of one counted.
    assert [(d.task_code, d.text) for d in rollup.difficulties] == [
        ("I.2", "vẫn vướng mặt bằng chưa giải phóng xong"),
        ("I.1", "Đã hoàn thành, tuy nhiên còn vướng kinh phí đối ứng"),
    ]
    assert rollup.difficulties_count == 3
    data = await asyncio.to_thread(render_docx, rollup, org_name="Ban Chỉ đạo")
    body = "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)
    assert "“Đã hoàn thành, tuy nhiên còn vướng kinh phí đối ứng”" in body
    assert "“vẫn vướng mặt bằng chưa giải phóng xong”" in body
    assert "“vướng mặt bằng”" not in body  # an older one of the same task
    await bot.send(ADMIN, OFFICE_GROUP, "/tonghop")
    summary = [m.get("text", "") for m in bot.bot_messages(OFFICE_GROUP)]
    assert any("Vướng mắc (3):" in text and "vẫn vướng mặt bằng" in text for text in summary)


async def test_the_voice_note_hint_is_given_once_a_day_even_across_a_restart(
    database_url: str,
) -> None:
    clock = ManualClock(at("27/12/2019", 9, 0))
    emulator = new_emulator(clock)
    async with running_bot(database_url, clock=clock, emulator=emulator) as bot:
        await seed_world(bot, TASKS)
        sent = len(bot.bot_messages(GROUP_A))
        bot.emulator.user_sends_voice(FOCAL_A, GROUP_A)
        await bot.flush()
        assert "chưa nghe được tin thoại" in bot.last_text(GROUP_A)
        assert len(bot.bot_messages(GROUP_A)) == sent + 1
        claims = await bot.rows(DispatchLog, DispatchLog.kind == "media_hint")
        assert [(c.period, c.sent_at is not None) for c in claims] == [("2019-12-27", True)]
    async with running_bot(database_url, clock=clock, emulator=emulator) as bot:
        bot.emulator.user_sends_voice(FOCAL_A, GROUP_A)
        await bot.flush()
        assert len(bot.bot_messages(GROUP_A)) == sent + 1  # the same day: no second hint
        clock.set(at("28/12/2019", 9, 0))
        bot.emulator.user_sends_voice(FOCAL_A, GROUP_A)
        await bot.flush()
        assert len(bot.bot_messages(GROUP_A)) == sent + 2


# --- a figure or a difficulty and a request for more time, in one reply ----------------------


def _office(bot: Harness) -> list[str]:
    return [m.get("text", "") for m in bot.bot_messages(OFFICE_GROUP)]


async def test_a_figure_and_an_extension_in_one_reply_record_both_in_one_message(
    bot: Harness, world: World
) -> None:
    first, second, third = world.aid["I.1"], world.aid["I.2"], world.aid["I.3"]
    office_before, group_before = len(_office(bot)), len(bot.bot_messages(GROUP_A))
    words = "Đạt 70%, xin gia hạn đến 30/4 do chờ ý kiến UBND tỉnh"
    answer = await _reply_to_card(bot, first, words)
    assert len(bot.bot_messages(GROUP_A)) == group_before + 2  # the card, then ONE answer
    assert answer.startswith(f"🔄 Đã ghi nhận #{first}")
    assert "70%" in answer and f"gia hạn #{first} đến 30/04/2020" in answer
    assert [(u.kind, u.percent) for u in await _updates(bot, first)] == [
        ("in_progress", 70), ("extension_request", 70),
    ]  # fmt: skip
    assignment = await _assignment(bot, first)
    assert (assignment.status, assignment.percent) == ("in_progress", 70)
    (request,) = await bot.rows(ExtensionRequest, true())
    assert (request.requested_end, request.status, request.reason) == (
        date(2020, 4, 30), "pending", words,
    )  # fmt: skip
    buttons = [d for _, d in bot.emulator.buttons(bot.last(GROUP_A))]
    update_id = (await _updates(bot, first))[0].id
    assert buttons == [encode(Act.XFIX, request.id), encode(Act.UNDO, update_id)]
    # The office: one message, the request with its words and its one-tap buttons.
    assert len(_office(bot)) == office_before + 1
    assert "xin gia hạn nhiệm vụ" in _office(bot)[-1] and "Đạt 70%" in _office(bot)[-1]
    # A difficulty with the request: blocked (quoted in the roll-up) and the request.
    await _reply_to_card(bot, second, "vướng kinh phí đối ứng, xin lùi hạn sang 15/02/2020")
    assert "vướng mắc" in bot.last_text(GROUP_A) and "15/02/2020" in bot.last_text(GROUP_A)
    assert (await _assignment(bot, second)).status == "blocked"
    assert [u.obstacle for u in await _updates(bot, second)] == [True, False]
    assert len(await bot.rows(ExtensionRequest, true())) == 2
    assert len(_office(bot)) == office_before + 2
    rollup = await bot.services.summary.rollup(at=date(2019, 12, 27))
    assert [d.task_code for d in rollup.difficulties] == ["I.2"]
    # No date understood: the figure is recorded and the date asked, in one message.
    await _reply_to_card(bot, third, "đạt 50%, xin thêm thời gian")
    assert (await _assignment(bot, third)).percent == 50
    assert f"#{third}" in bot.last_text(GROUP_A) and "50%" in bot.last_text(GROUP_A)
    assert "xin gia hạn đến ngày nào?" in bot.last_text(GROUP_A)
    assert len(await bot.rows(ExtensionRequest, true())) == 2
    await bot.send(FOCAL_A, GROUP_A, "15/02/2020")
    assert len(await bot.rows(ExtensionRequest, true())) == 3
    assert (await _assignment(bot, third)).percent == 50


async def test_a_figure_and_an_extension_on_lines_naming_tasks_are_each_applied(
    bot: Harness, world: World
) -> None:
    first, second = world.aid["I.1"], world.aid["I.2"]
    await bot.send(FOCAL_A, GROUP_A, f"#{first} đạt 40%, xin gia hạn đến 30/4\n#{second} xong")
    assert (await _assignment(bot, first)).percent == 40
    assert len(await bot.rows(ExtensionRequest, true())) == 1
    answer = bot.last_text(GROUP_A)
    assert f"#{first}" in answer and "40%" in answer and "30/04/2020" in answer
    assert (await _assignment(bot, second)).status == "awaiting_confirmation"


# --- a report under a bot message about no task: which task? ---------------------------------


def _picks(bot: Harness, message: dict[str, Any]) -> list[str]:
    return [data or "" for _, data in bot.emulator.buttons(message)]


async def test_a_report_under_a_message_about_no_task_asks_which_task_never_guessing(
    bot: Harness, world: World
) -> None:
    first, second, third = world.aid["I.1"], world.aid["I.2"], world.aid["I.3"]
    await _reply_to_card(bot, first, "đạt 40%")
    # (A reply to that confirmation is #first's report: tests/handlers/test_replies_review.py.)
    await bot.send(FOCAL_A, GROUP_A, "/trogiup")
    help_text = bot.last(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "xong", reply_to=help_text["message_id"])
    question = bot.last(GROUP_A)
    assert question["text"].startswith("Bạn báo cáo cho nhiệm vụ nào?")
    assert _picks(bot, question) == [f"pick:{first}", f"pick:{second}", f"pick:{third}"]
    assert len(await _updates(bot, second)) == 0  # nothing recorded until answered
    await bot.press(FOCAL_A, GROUP_A, question["message_id"], f"pick:{second}")
    assert (await _assignment(bot, second)).status == "awaiting_confirmation"
    assert f"#{second}" in bot.last_text(GROUP_A)
    # A difficulty: asked too (the task awaiting the office is not offered).
    await bot.send(FOCAL_A, GROUP_A, "vướng kinh phí đối ứng", reply_to=help_text["message_id"])
    question = bot.last(GROUP_A)
    assert _picks(bot, question) == [f"pick:{first}", f"pick:{third}"]
    await bot.press(FOCAL_A, GROUP_A, question["message_id"], f"pick:{third}")
    assert (await _assignment(bot, third)).status == "blocked"
    # Chatter under the bot's message, and anyone who does not report here: no answer.
    sent = len(bot.bot_messages(GROUP_A))
    for words in ("ok", "Cảm ơn Văn phòng", "dạ"):
        await bot.send(FOCAL_A, GROUP_A, words, reply_to=help_text["message_id"])
    await bot.send(STRANGER, GROUP_A, "xong", reply_to=help_text["message_id"])
    assert len(bot.bot_messages(GROUP_A)) == sent
    # One open task left: still asked, with its one button.
    await _reply_to_card(bot, first, "Hoàn thành")
    await bot.send(FOCAL_A, GROUP_A, "đạt 80%", reply_to=help_text["message_id"])
    question = bot.last(GROUP_A)
    assert _picks(bot, question) == [f"pick:{third}"]
    assert (await _assignment(bot, third)).percent != 80
    # A reply to a task list keeps its hint (open a card).
    await bot.send(FOCAL_A, GROUP_A, "/nhiemvu")
    listing = bot.last(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "xong", reply_to=listing["message_id"])
    assert "danh sách nhiệm vụ nên chưa ghi nhận gì" in bot.last_text(GROUP_A)
