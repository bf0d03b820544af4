"""The review of the replies (R3, R4, R6, R7, R8) through the whole bot: the real Application,
the emulator, SQLite and PostgreSQL. Each test was written failing first (docs/replies.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import true

from bot.messaging.reply_answers import REFUSAL_KEYS as ANSWER_REFUSALS
from bot.reports.xlsx import status_cell
from bot.services.progress import Refusal
from handlers.progress import REFUSAL_KEYS as CHAT_REFUSALS
from storage.models import Assignment, ExtensionRequest, ProgressUpdate
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, Harness, sweep_and_send
from tests.jobs.world import TC, at, seed_world
from web.form import REFUSALS as FORM_REFUSALS

FIVE = [(f"IV.{n}", TC, "31/01/2020") for n in range(1, 6)]


async def _digest(bot: Harness) -> tuple[dict[str, Any], list[int]]:
    """The day's digest to Sở Tài chính and its tasks, by line."""
    bot.clock.set(at("31/01/2020", 8, 0))
    await sweep_and_send(bot.app)
    digest = bot.last(GROUP_A)
    ids = [int(d.split(":")[1]) for _t, d in bot.emulator.buttons(digest) if d.startswith("card:")]
    return digest, ids


def _data(bot: Harness, message: dict[str, Any]) -> list[str]:
    return [data or "" for _text, data in bot.emulator.buttons(message)]


async def _assignment(bot: Harness, assignment_id: int) -> Assignment:
    return (await bot.rows(Assignment, Assignment.id == assignment_id))[0]


# --- R7: every line recorded can be taken back ---------------------------------------------


async def test_every_line_a_digest_answer_recorded_can_be_undone(bot: Harness) -> None:
    await seed_world(bot, FIVE, acknowledged=False)
    digest, ids = await _digest(bot)
    text = "1 xong\n2 đạt 50%\n3 vướng kinh phí\n4 đạt 40%, xin gia hạn đến 30/4\n5 đã tiếp nhận"
    await bot.send(FOCAL_A, GROUP_A, text, reply_to=digest["message_id"])
    answer = bot.last(GROUP_A)
    assert len(answer["text"].splitlines()) == 6  # the head and five lines
    # Line 4 recorded two reports (the figure, the request): one button takes back all.
    assert [t for t, _d in bot.emulator.buttons(answer)] == ["↩️ Hoàn tác tất cả"]
    (undo_all,) = _data(bot, answer)
    assert undo_all.startswith("undoa:")
    (request,) = await bot.rows(ExtensionRequest, true())
    assert request.status == "pending"
    await bot.press(FOCAL_A, GROUP_A, answer["message_id"], undo_all)
    undone = bot.last_text(GROUP_A).splitlines()
    assert undone[0] == "↩️ Đã hoàn tác báo cáo 4 nhiệm vụ:"
    assert [line.split(":")[0] for line in undone[1:]] == [f"#{aid}" for aid in ids[:4]]
    states = [await _assignment(bot, aid) for aid in ids]
    assert [(a.status, a.percent) for a in states] == [("not_started", 0)] * 5
    assert states[4].acknowledged_at is not None  # receipt is no report: it stays
    (request,) = await bot.rows(ExtensionRequest, true())
    assert request.status == "withdrawn"  # the office can no longer approve it
    undos = await bot.rows(ProgressUpdate, ProgressUpdate.kind == "undo")
    assert len(undos) == 5  # four lines, five reports
    # Pressed again: nothing left to take back, nothing appended.
    sent = len(bot.bot_messages(GROUP_A))
    await bot.press(FOCAL_A, GROUP_A, answer["message_id"], undo_all)
    assert len(bot.bot_messages(GROUP_A)) == sent
    assert len(await bot.rows(ProgressUpdate, ProgressUpdate.kind == "undo")) == 5


async def test_one_button_per_line_while_they_fit_else_one_for_all(bot: Harness) -> None:
    seven = [(f"V.{n}", TC, "31/01/2020") for n in range(1, 8)]
    world = await seed_world(bot, seven)
    ids = [world.aid[f"V.{n}"] for n in range(1, 8)]
    digest, lines = await _digest(bot)
    await bot.send(
        FOCAL_A, GROUP_A, "\n".join(f"{n} đạt {10 * n}%" for n in range(1, len(lines) + 1)),
        reply_to=digest["message_id"],
    )  # fmt: skip
    assert [d.split(":")[0] for d in _data(bot, bot.last(GROUP_A))] == ["undo"] * len(lines)
    # Seven tasks named by code: more than the phone's six buttons.
    text = "\n".join(f"#{aid} đạt {5 * n}%" for n, aid in enumerate(ids, 1))
    await bot.send(FOCAL_A, GROUP_A, text)
    answer = bot.last(GROUP_A)
    assert answer["text"].startswith("Đã ghi nhận báo cáo 7 nhiệm vụ:")
    (undo_all,) = _data(bot, answer)
    await bot.press(FOCAL_A, GROUP_A, answer["message_id"], undo_all)
    assert bot.last_text(GROUP_A).startswith("↩️ Đã hoàn tác báo cáo 7 nhiệm vụ:")
    # Each goes back to what it was before that message, not to nothing.
    before = {aid: 10 * n for n, aid in enumerate(lines, 1)}
    assert [(await _assignment(bot, aid)).percent for aid in ids] == [
        before.get(aid, 0) for aid in ids
    ]


# --- R3: a reply to the bot's answer is a report on that answer's task(s) --------------------


THREE = [("I.1", TC, "31/01/2020"), ("I.2", TC, "25/01/2020"), ("I.3", TC, "03/02/2020")]


async def test_a_reply_to_a_confirmation_reports_on_the_task_it_confirmed(bot: Harness) -> None:
    world = await seed_world(bot, THREE)
    first, second = world.aid["I.1"], world.aid["I.2"]
    await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{first} đạt 40%")
    confirmation = bot.last(GROUP_A)
    assert confirmation["text"].startswith(f"🔄 Đã ghi nhận #{first}")
    await bot.send(FOCAL_A, GROUP_A, "đạt 80%", reply_to=confirmation["message_id"])
    assert (await _assignment(bot, first)).percent == 80
    assert bot.last_text(GROUP_A).startswith(f"🔄 Đã ghi nhận #{first}: đạt 80%")
    # …and a reply to that answer again, this time done.
    await bot.send(FOCAL_A, GROUP_A, "đã xong rồi", reply_to=bot.last(GROUP_A)["message_id"])
    assert (await _assignment(bot, first)).status == "awaiting_confirmation"
    # A button's confirmation too (✅ pressed on the card), and an undo's answer.
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{second}")
    card = bot.last(GROUP_A)
    await bot.press(FOCAL_A, GROUP_A, card["message_id"], f"prog:{second}")
    await bot.press(FOCAL_A, GROUP_A, bot.last(GROUP_A)["message_id"], f"pct:{second}:50")
    pressed = bot.last(GROUP_A)
    assert pressed["text"].startswith(f"🔄 Đã ghi nhận #{second}")
    await bot.send(FOCAL_A, GROUP_A, "vướng kinh phí", reply_to=pressed["message_id"])
    assert (await _assignment(bot, second)).status == "blocked"
    # Chatter under an answer stays unanswered, and records nothing.
    sent, updates = len(bot.bot_messages(GROUP_A)), len(await bot.rows(ProgressUpdate, true()))
    for chatter in ("ok", "cảm ơn ạ"):
        await bot.send(FOCAL_A, GROUP_A, chatter, reply_to=pressed["message_id"])
    assert len(bot.bot_messages(GROUP_A)) == sent
    assert len(await bot.rows(ProgressUpdate, true())) == updates
    # A code written under an answer still names its own task.
    await bot.send(FOCAL_A, GROUP_A, f"#{world.aid['I.3']} đạt 30%", reply_to=pressed["message_id"])
    assert (await _assignment(bot, world.aid["I.3"])).percent == 30
    assert (await _assignment(bot, second)).status == "blocked"


async def test_a_reply_to_an_answer_about_several_tasks_asks_which_of_them(bot: Harness) -> None:
    await seed_world(bot, FIVE)
    digest, ids = await _digest(bot)
    await bot.send(FOCAL_A, GROUP_A, "1 đạt 20%\n2 đạt 30%", reply_to=digest["message_id"])
    answer = bot.last(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "đã xong rồi", reply_to=answer["message_id"])
    question = bot.last(GROUP_A)
    assert question["text"].startswith("Bạn báo cáo cho nhiệm vụ nào?")
    assert _data(bot, question) == [f"pick:{ids[0]}", f"pick:{ids[1]}"]  # that answer's tasks
    await bot.press(FOCAL_A, GROUP_A, question["message_id"], f"pick:{ids[1]}")
    assert (await _assignment(bot, ids[1])).status == "awaiting_confirmation"
    assert (await _assignment(bot, ids[0])).percent == 20


# --- R4: a digest line number that replies to nothing -----------------------------------------


async def test_a_line_number_replying_to_nothing_reads_against_the_last_digest(
    bot: Harness,
) -> None:
    await seed_world(bot, FIVE)
    _digest_message, ids = await _digest(bot)
    await bot.send(FOCAL_A, GROUP_A, "3 vướng kinh phí")
    assert bot.last_text(GROUP_A).startswith(f"⚠️ Đã ghi nhận vướng mắc của #{ids[2]}")
    assert (await _assignment(bot, ids[2])).status == "blocked"
    await bot.send(FOCAL_A, GROUP_A, "1 đạt 50%")
    assert (await _assignment(bot, ids[0])).percent == 50
    await bot.send(FOCAL_A, GROUP_A, "2. xong\n4 đạt 70%")
    assert bot.last_text(GROUP_A).startswith("Đã ghi nhận báo cáo 2 nhiệm vụ:")
    assert (await _assignment(bot, ids[1])).status == "awaiting_confirmation"
    assert (await _assignment(bot, ids[3])).percent == 70
    # A number the digest does not have: which task, by its lines; nothing recorded.
    updates = len(await bot.rows(ProgressUpdate, true()))
    await bot.send(FOCAL_A, GROUP_A, "7 vướng kinh phí")
    question = bot.last(GROUP_A)
    assert "7" in question["text"] and _data(bot, question) == [f"pick:{aid}" for aid in ids]
    assert len(await bot.rows(ProgressUpdate, true())) == updates
    # Chatter that starts with a number (a count of people) stays chatter: nothing said,
    # nothing recorded, even with words of work in it ("đang làm").
    sent = len(bot.bot_messages(GROUP_A))
    updates = len(await bot.rows(ProgressUpdate, true()))
    for chatter in ("3 người đi họp chiều nay", "2 đứa đang làm", "3 chị đi công tác huyện"):
        await bot.send(FOCAL_A, GROUP_A, chatter)
    assert len(bot.bot_messages(GROUP_A)) == sent
    assert len(await bot.rows(ProgressUpdate, true())) == updates


async def test_a_line_number_with_no_digest_here_asks_which_task(bot: Harness) -> None:
    world = await seed_world(bot, THREE)
    for text in ("3 vướng kinh phí", "1 đạt 50%"):
        await bot.send(FOCAL_A, GROUP_A, text)
        question = bot.last(GROUP_A)
        assert question["text"].startswith("Bạn báo cáo cho nhiệm vụ nào?"), text
        assert _data(bot, question) == [f"pick:{world.aid[c]}" for c in ("I.1", "I.2", "I.3")]
    assert await bot.rows(ProgressUpdate, true()) == []


# --- R6: a completion the office returned says so ---------------------------------------------


async def test_a_returned_completion_shows_as_returned_everywhere(bot: Harness) -> None:
    world = await seed_world(bot, THREE)
    first = world.aid["I.1"]
    await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{first} đạt 60%")
    await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{first} đã hoàn thành")
    asked = bot.last(OFFICE_GROUP)
    await bot.press(ADMIN, OFFICE_GROUP, asked["message_id"], f"ret:{first}")
    await bot.send(ADMIN, OFFICE_GROUP, "thiếu biên bản nghiệm thu")
    assert "thực hiện lại" in bot.last_text(GROUP_A)  # the agency is told why
    assignment = await _assignment(bot, first)
    # Back to the figure it last gave, never "99%"; its state says what happened.
    assert (assignment.status, assignment.percent, assignment.completed_on) == (
        "returned", 60, None,
    )  # fmt: skip
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{first}")
    card = bot.last_text(GROUP_A)
    assert "Thực hiện lại (Văn phòng trả lại)" in card and "99%" not in card
    await bot.send(FOCAL_A, GROUP_A, "/nhiemvu")
    listing = bot.last(GROUP_A)
    assert "99%" not in listing["text"] + str(bot.emulator.buttons(listing))
    # The roll-up: in progress (its cells still add up), and said as returned.
    rollup = await bot.services.summary.rollup(at=date(2019, 12, 28))
    overall = rollup.overall
    assert overall.in_progress_on_time == 1 and overall.returned == 1
    assert overall.total == sum(overall.cells().values()) == 3
    await bot.send(ADMIN, OFFICE_GROUP, "/tonghop")
    summary = "\n".join(m.get("text", "") for m in bot.bot_messages(OFFICE_GROUP)[-3:])
    assert "Đang thực hiện 1 (quá hạn 0; Văn phòng trả lại, thực hiện lại 1)" in summary
    # The Excel task sheet says it beside its cell.
    (row,) = [r for r in await bot.services.summary.task_rows() if r.code == "I.1"]
    assert row.returned and status_cell(row).endswith(" — thực hiện lại (Văn phòng trả lại)")
    # Done again: awaiting the office once more.
    await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{first} đã hoàn thành")
    assert (await _assignment(bot, first)).status == "awaiting_confirmation"


# --- R8: more time asked for a task that has no deadline --------------------------------------


async def test_more_time_for_a_task_without_deadline_offers_a_proposed_deadline(
    bot: Harness,
) -> None:
    world = await seed_world(bot, [("I.1", TC, None), ("I.2", TC, "31/01/2020")])
    aid = world.aid["I.1"]
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{aid}")
    card = bot.last(GROUP_A)
    office_before = len(bot.bot_messages(OFFICE_GROUP))
    await bot.send(FOCAL_A, GROUP_A, "xin gia hạn đến 30/4", reply_to=card["message_id"])
    answer = bot.last(GROUP_A)
    assert "không có thời hạn" in answer["text"] and "chưa gửi gì" in answer["text"]
    assert _data(bot, answer) == [f"xprop:{aid}:20200430"]
    assert await bot.rows(ExtensionRequest, true()) == []  # nothing sent, nothing stored
    assert len(bot.bot_messages(OFFICE_GROUP)) == office_before
    # Without a date: said so, no date asked.
    await bot.send(FOCAL_A, GROUP_A, "xin gia hạn", reply_to=card["message_id"])
    assert "không có thời hạn" in bot.last_text(GROUP_A) and not _data(bot, bot.last(GROUP_A))
    # A figure stated with it is recorded all the same.
    await bot.send(FOCAL_A, GROUP_A, "đạt 50%, xin gia hạn đến 30/4", reply_to=card["message_id"])
    assert (await _assignment(bot, aid)).percent == 50
    assert "không có thời hạn" in bot.last_text(GROUP_A)
    (figure,) = await bot.rows(ProgressUpdate, ProgressUpdate.assignment_id == aid)
    assert _data(bot, bot.last(GROUP_A)) == [f"xprop:{aid}:20200430", f"undo:{figure.id}"]
    # The date proposed, with one tap: the office decides it as a deadline.
    await bot.press(FOCAL_A, GROUP_A, answer["message_id"], f"xprop:{aid}:20200430")
    assert "đề xuất thời hạn" in bot.last_text(GROUP_A)
    (request,) = await bot.rows(ExtensionRequest, true())
    assert (request.requested_end, request.status) == (date(2020, 4, 30), "pending")
    office = bot.last(OFFICE_GROUP)
    assert "đề xuất thời hạn cho nhiệm vụ" in office["text"] and "30/04/2020" in office["text"]
    # The office's buttons speak of the proposal, not of an extension.
    labels = [label for label, _ in bot.emulator.buttons(office)]
    assert labels == ["✅ Đồng ý thời hạn đề xuất", "❌ Không đồng ý"]
    await bot.press(ADMIN, OFFICE_GROUP, office["message_id"], bot.button(office, "xok:"))
    assert bot.last_text(OFFICE_GROUP).startswith(f"✅ Đã đồng ý thời hạn #{aid} do đơn vị đề xuất")
    told = [
        m["text"] for m in bot.bot_messages(GROUP_A) if "Văn phòng Điều phối đồng ý" in m["text"]
    ]
    assert told == [
        f"✅ Văn phòng Điều phối đồng ý thời hạn đơn vị đề xuất cho nhiệm vụ #{aid}: 30/04/2020."
    ]
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{aid}")
    assert "30/04/2020 (đơn vị đề xuất, Văn phòng đồng ý)" in bot.last_text(GROUP_A)
    # Now it has a deadline: more time is an extension again.
    await bot.send(
        FOCAL_A, GROUP_A, "xin gia hạn đến 30/6", reply_to=bot.last(GROUP_A)["message_id"]
    )
    assert "gia hạn" in bot.last_text(GROUP_A) and "30/06/2020" in bot.last_text(GROUP_A)
    assert len(await bot.rows(ExtensionRequest, true())) == 2
    extension = [label for label, _ in bot.emulator.buttons(bot.last(OFFICE_GROUP))]
    assert extension == ["✅ Đồng ý gia hạn", "❌ Không đồng ý"]


async def test_the_date_button_on_a_task_without_deadline_offers_the_proposal(
    bot: Harness,
) -> None:
    world = await seed_world(bot, [("I.1", TC, None)])
    aid = world.aid["I.1"]
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{aid}")
    card = bot.last(GROUP_A)
    await bot.press(FOCAL_A, GROUP_A, card["message_id"], f"ext:{aid}")
    await bot.send(FOCAL_A, GROUP_A, "15/05/2020 chờ ý kiến của Bộ")
    answer = bot.last(GROUP_A)
    assert "không có thời hạn" in answer["text"]
    assert _data(bot, answer) == [f"xprop:{aid}:20200515"]
    assert await bot.rows(ExtensionRequest, true()) == []


def test_every_refusal_has_words_in_the_chat_and_in_the_form() -> None:
    """A new refusal (R8's "no deadline") reaches every place that words one: none may fail
    with a KeyError instead of an answer."""
    for table in (CHAT_REFUSALS, ANSWER_REFUSALS, FORM_REFUSALS):
        assert set(Refusal) <= set(table)
