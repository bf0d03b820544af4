"""Issue 14, items 2, 3, 4 and 7: what officials write, through the whole bot (the real
Application, the emulator, SQLite and PostgreSQL): each intent's effect on the database and
on the office's chat, digests answered line by line in one message, and messages that reply
to nothing in an agency's group."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import true

from bot.domain.callback_data import Act, encode
from storage.models import Assignment, ExtensionRequest, ProgressUpdate, Task
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, STRANGER, Harness, sweep_and_send
from tests.jobs.world import CT, TC, World, at, seed_world

TASKS = [("I.1", TC, "31/01/2020"), ("I.2", TC, "25/01/2020"), ("I.3", TC, "03/02/2020"),
         ("II.1", CT, "31/12/2019")]  # fmt: skip


@pytest.fixture
async def world(bot: Harness) -> World:
    """Three tasks of Sở Tài chính (GROUP_A), one of Sở Công Thương; none acknowledged."""
    return await seed_world(bot, TASKS, acknowledged=False)


async def _card(bot: Harness, assignment_id: int) -> dict[str, Any]:
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{assignment_id}")
    return bot.last(GROUP_A)


async def _reply_to_card(bot: Harness, assignment_id: int, text: str) -> str:
    card = await _card(bot, assignment_id)
    await bot.send(FOCAL_A, GROUP_A, text, reply_to=card["message_id"])
    return bot.last_text(GROUP_A)


async def _assignment(bot: Harness, assignment_id: int) -> Assignment:
    return (await bot.rows(Assignment, Assignment.id == assignment_id))[0]


async def _updates(bot: Harness, assignment_id: int) -> list[tuple[str, str, int | None]]:
    rows = await bot.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment_id)
    return [(u.kind, u.status, u.percent) for u in sorted(rows, key=lambda u: u.id)]


def _office(bot: Harness) -> list[str]:
    return [m.get("text", "") for m in bot.bot_messages(OFFICE_GROUP)]


def _data(bot: Harness, message: dict[str, Any]) -> list[str]:
    return [data or "" for _, data in bot.emulator.buttons(message)]


# --- acknowledge: receipt, no status ---------------------------------------------------------


async def test_filler_and_receipt_record_receipt_only_and_roll_up_as_not_started(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]
    office_before = len(_office(bot))
    answer = await _reply_to_card(bot, aid, "Dạ em đã nhận được nv ạ")
    assert (
        answer
        == f"👍 Đã ghi nhận đơn vị tiếp nhận nhiệm vụ #{aid}. Tình trạng không đổi: Chưa thực hiện."
    )
    assignment = await _assignment(bot, aid)
    assert assignment.acknowledged_at is not None
    assert (assignment.status, assignment.percent, assignment.last_update_at) == (
        "not_started",
        0,
        None,
    )
    for filler in ("ok", "👍", "Chưa", "dạ"):
        answer = await _reply_to_card(bot, aid, filler)
        assert answer.startswith(f"👍 Đã rõ. Nhiệm vụ #{aid} không thay đổi: Chưa thực hiện")
    assert await _updates(bot, aid) == []
    assert len(_office(bot)) == office_before
    rollup = await bot.services.summary.rollup(at=date(2019, 12, 27))
    assert rollup.overall.not_started == 4 and rollup.overall.in_progress_on_time == 0


async def test_work_under_way_without_a_figure_is_never_zero_percent(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]
    assert (
        await _reply_to_card(bot, aid, "dang trien khai")
        == f"🔄 Đã ghi nhận #{aid}: đang thực hiện."
    )
    assert await _updates(bot, aid) == [("in_progress", "in_progress", 0)]
    assert "0%" not in bot.last_text(GROUP_A)


async def test_done_figures_and_notes_read_as_written(bot: Harness, world: World) -> None:
    first, second, third = world.aid["I.1"], world.aid["I.2"], world.aid["I.3"]
    office_before = len(_office(bot))
    answer = await _reply_to_card(bot, first, "Cho em hỏi hạn là ngày nào ạ?")
    assert answer.startswith(f"📝 Đã ghi nhận nội dung báo cáo cho #{first}")
    assert await _updates(bot, first) == [("note", "not_started", 0)]
    assert (await _assignment(bot, first)).last_update_at is None  # still "Chưa thực hiện"
    await _reply_to_card(bot, second, "Đã hoàn thành 3/5 nội dung")
    await _reply_to_card(bot, third, "đạt 7\u200b0%")  # a zero-width space inside
    assert [(await _assignment(bot, a)).percent for a in (second, third)] == [60, 70]
    assert len(_office(bot)) == office_before  # nothing the office must decide
    await _reply_to_card(bot, first, "Hoàn thành ✅")
    assert (await _assignment(bot, first)).status == "awaiting_confirmation"
    assert "báo hoàn thành nhiệm vụ" in _office(bot)[-1]


# --- blocked: recorded, the office told with the quote --------------------------------------


async def test_a_difficulty_alone_or_beside_done_reaches_the_office_with_its_quote(
    bot: Harness, world: World
) -> None:
    first, second = world.aid["I.1"], world.aid["I.2"]
    answer = await _reply_to_card(bot, first, "vướng mặt bằng chưa giải phóng xong")
    assert answer.startswith(f"⚠️ Đã ghi nhận vướng mắc của #{first}")
    assert _office(bot)[-1] == (
        f"⚠️ Sở Tài chính báo vướng mắc ở nhiệm vụ #{first} (I.1): vướng mặt bằng chưa giải phóng xong"
    )
    assert (await _assignment(bot, first)).status == "blocked"
    # The office's "ok" under its copy records nothing for the agency, receipt included.
    told = bot.bot_messages(OFFICE_GROUP)[-1]
    await bot.send(ADMIN, OFFICE_GROUP, "ok", reply_to=told["message_id"])
    assert (await _assignment(bot, first)).acknowledged_at is None
    assert len(await _updates(bot, first)) == 1
    await _reply_to_card(bot, second, "Đã hoàn thành. Tuy nhiên còn vướng kinh phí đối ứng")
    assert "Vướng mắc nêu kèm đã được báo" in bot.last_text(GROUP_A)
    office = bot.bot_messages(OFFICE_GROUP)[-1]
    assert "còn vướng kinh phí đối ứng" in office["text"] and "có nêu vướng mắc" in office["text"]
    assert _data(bot, office) == [f"conf:{second}", f"ret:{second}"]
    assert (await _assignment(bot, second)).status == "awaiting_confirmation"
    # The roll-up: the blocked task is in progress, its difficulty quoted.
    rollup = await bot.services.summary.rollup(at=date(2019, 12, 27))
    assert rollup.overall.in_progress_on_time == 1  # the blocked one
    assert rollup.overall.not_started == 2 and rollup.overall.awaiting == 1
    assert [d.text for d in rollup.difficulties] == [
        "Đã hoàn thành. Tuy nhiên còn vướng kinh phí đối ứng",
        "vướng mặt bằng chưa giải phóng xong",
    ]


# --- extension in words: the 📅 request, the date shown and correctable ----------------------


async def test_an_extension_in_words_is_the_button_request_and_its_date_can_be_fixed(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]
    answer = await _reply_to_card(bot, aid, "Đề nghị cho lùi thời hạn đến hết quý I")
    assert f"gia hạn #{aid} đến 31/03/2020" in answer and "«Đề nghị cho lùi thời hạn" in answer
    (request,) = await bot.rows(ExtensionRequest, true())
    assert (request.requested_end, request.status) == (date(2020, 3, 31), "pending")
    office = bot.bot_messages(OFFICE_GROUP)[-1]
    assert "xin gia hạn nhiệm vụ" in office["text"] and "31/03/2020" in office["text"]
    assert _data(bot, office) == [f"xok:{request.id}", f"xno:{request.id}"]
    # ✏️ Sửa ngày: withdrawn, the office told, the right date asked and sent.
    sent = bot.last(GROUP_A)
    await bot.press(FOCAL_A, GROUP_A, sent["message_id"], encode(Act.XFIX, request.id))
    assert "nhập ngày đúng" in bot.last_text(GROUP_A)
    assert "rút đề nghị gia hạn" in _office(bot)[-1]
    await bot.send(FOCAL_A, GROUP_A, "15/04/2020")
    requests = sorted(await bot.rows(ExtensionRequest, true()), key=lambda r: r.id)
    assert [(r.requested_end, r.status) for r in requests] == [
        (date(2020, 3, 31), "withdrawn"), (date(2020, 4, 15), "pending"),
    ]  # fmt: skip
    assert requests[1].reason == "Đề nghị cho lùi thời hạn đến hết quý I"
    # The office approves with one tap; the old request's buttons say it was handled.
    office = bot.bot_messages(OFFICE_GROUP)[-1]
    await bot.press(ADMIN, OFFICE_GROUP, office["message_id"], encode(Act.XOK, requests[1].id))
    task = (await bot.rows(Task, Task.code == "I.1"))[0]
    assert task.adjusted_deadline_end == date(2020, 4, 15)


async def test_the_date_question_reads_words_and_an_undated_request_asks_for_one(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.3"]
    await _reply_to_card(bot, aid, "xin gia hạn do chờ ý kiến UBND tỉnh")
    assert f"Nhiệm vụ #{aid}: xin gia hạn đến ngày nào?" in bot.last_text(GROUP_A)
    assert await bot.rows(ExtensionRequest, true()) == []
    await bot.send(FOCAL_A, GROUP_A, "hết tháng 4 do chờ hướng dẫn của Bộ")
    (request,) = await bot.rows(ExtensionRequest, true())
    assert request.requested_end == date(2020, 4, 30)
    assert request.reason == "hết tháng 4 do chờ hướng dẫn của Bộ"
    # The 📅 button's own question reads words too.
    other = world.aid["I.1"]
    card = await _card(bot, other)
    await bot.press(FOCAL_A, GROUP_A, card["message_id"], encode(Act.EXT, other))
    await bot.send(FOCAL_A, GROUP_A, "hết tháng 4 do chờ hướng dẫn của Bộ")
    assert f"gia hạn #{other} đến 30/04/2020" in bot.last_text(GROUP_A)


async def test_a_date_already_past_or_not_after_the_deadline_is_asked_again(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]  # due 31/01/2020; today 27/12/2019
    await _reply_to_card(bot, aid, "xin gia hạn đến 20/12/2019")
    assert "Ngày gia hạn phải sau hôm nay" in bot.last_text(GROUP_A)
    await bot.send(FOCAL_A, GROUP_A, "hủy")
    await _reply_to_card(bot, aid, "xin lùi hạn đến 15/01/2020")
    assert "Thời hạn hiện tại của #" in bot.last_text(GROUP_A)
    assert await bot.rows(ExtensionRequest, true()) == []
    await bot.send(FOCAL_A, GROUP_A, "29/02/2020")
    (request,) = await bot.rows(ExtensionRequest, true())
    assert (request.requested_end, request.reason) == (
        date(2020, 2, 29), "xin lùi hạn đến 15/01/2020",
    )  # fmt: skip


# --- reassign: the office decides ------------------------------------------------------------


async def test_not_our_task_asks_the_office_to_reassign_or_keep(bot: Harness, world: World) -> None:
    aid = world.aid["I.2"]
    text = "Không thuộc chức năng của Sở, đề nghị chuyển Sở Công Thương chủ trì"
    answer = await _reply_to_card(bot, aid, text)
    assert f"Đã chuyển đề nghị về nhiệm vụ #{aid} tới Văn phòng" in answer
    assert (await _assignment(bot, aid)).status == "not_started"
    assert await _updates(bot, aid) == [("note", "not_started", 0)]
    office = bot.bot_messages(OFFICE_GROUP)[-1]
    assert "đề nghị không chủ trì nhiệm vụ" in office["text"] and text in office["text"]
    assert "Đơn vị được đề xuất: Sở Công Thương" in office["text"]
    assert _data(bot, office) == [f"reasg:{aid}:{world.agencies[CT]}", f"rkeep:{aid}"]
    await bot.press(ADMIN, OFFICE_GROUP, office["message_id"], encode(Act.RKEEP, aid))
    assert f"Đã giữ nguyên nhiệm vụ #{aid} cho Sở Tài chính" in bot.last_text(OFFICE_GROUP)
    assert "giữ nguyên nhiệm vụ" in bot.last_text(GROUP_A)
    # A focal point cannot press the office's button.
    await bot.press(FOCAL_A, GROUP_A, office["message_id"], encode(Act.RKEEP, aid), strict=False)
    assert (await _assignment(bot, aid)).agency_id == world.agencies[TC]
    # Another: the office gives it to the agency named, with /giaolai's own button.
    other = world.aid["I.3"]
    await _reply_to_card(
        bot,
        other,
        "Nhiệm vụ này không thuộc thẩm quyền của Sở, đề nghị giao Sở Công Thương chủ trì",
    )
    office = bot.bot_messages(OFFICE_GROUP)[-1]
    await bot.press(ADMIN, OFFICE_GROUP, office["message_id"], _data(bot, office)[0])
    moved = await bot.rows(
        Assignment, Assignment.task_id == (await _assignment(bot, other)).task_id
    )
    assert world.agencies[CT] in [a.agency_id for a in moved]


# --- a document cited: recorded, then "is it done?" -----------------------------------------


async def test_a_cited_document_is_kept_and_the_bot_asks_whether_the_task_is_done(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]
    answer = await _reply_to_card(
        bot, aid, "Đã tham mưu UBND tỉnh ban hành Quyết định số 45/QĐ-UBND ngày 10/01/2020"
    )
    assert answer.endswith("Nhiệm vụ đã hoàn thành chưa?")
    question = bot.last(GROUP_A)
    assert _data(bot, question)[:2] == [f"done:{aid}", f"prog:{aid}"]
    assert await _updates(bot, aid) == [("note", "not_started", 0)]
    await bot.press(FOCAL_A, GROUP_A, question["message_id"], encode(Act.DONE, aid))
    assert (await _assignment(bot, aid)).status == "awaiting_confirmation"


# --- unclear: a question with buttons, nothing recorded -------------------------------------


async def test_an_unclear_reply_records_nothing_and_offers_the_choices(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]
    for text in ("50", "✅", "xong chưa nhỉ"):
        answer = await _reply_to_card(bot, aid, text)
        assert answer.startswith(f"Chưa rõ nội dung báo cáo cho #{aid}"), text
        assert _data(bot, bot.last(GROUP_A))[:4] == [
            f"done:{aid}", f"prog:{aid}", f"block:{aid}", f"ext:{aid}",
        ]  # fmt: skip
    assert await _updates(bot, aid) == []


# --- digests: every numbering, one transaction, one message ---------------------------------


DUE_TOGETHER = [(f"IV.{n}", TC, "31/01/2020") for n in (1, 2, 3)]


async def _digest(bot: Harness) -> dict[str, Any]:
    """The day's digest to Sở Tài chính: its three tasks due today, numbered 1 to 3."""
    bot.clock.set(at("31/01/2020", 8, 0))
    await sweep_and_send(bot.app)
    return bot.last(GROUP_A)


@pytest.mark.parametrize(
    "text",
    [
        "1. xong\n2. đạt 50%\n3. vướng kinh phí",
        "số 1 đã hoàn thành\nnv 2: 50%\n#{I.3} vướng kinh phí",
    ],
)
async def test_a_digest_answered_line_by_line_is_applied_and_confirmed_once(
    bot: Harness, text: str
) -> None:
    await seed_world(bot, DUE_TOGETHER)
    digest = await _digest(bot)
    by_line = _digest_ids(bot, digest)
    assert len(by_line) == 3
    sent_before = len(bot.bot_messages(GROUP_A))
    await bot.send(
        FOCAL_A, GROUP_A, text.replace("#{I.3}", f"#{by_line[2]}"), reply_to=digest["message_id"]
    )
    assert len(bot.bot_messages(GROUP_A)) == sent_before + 1  # ONE message
    answer = bot.last(GROUP_A)
    assert answer["text"].splitlines() == [
        "Đã ghi nhận báo cáo 3 nhiệm vụ:",
        f"✅ #{by_line[0]}: hoàn thành, chờ Văn phòng xác nhận",
        f"🔄 #{by_line[1]}: đạt 50%",
        f"⚠️ #{by_line[2]}: vướng mắc, đã báo Văn phòng",
    ]
    assert [d.split(":")[0] for d in _data(bot, answer)] == ["undo"] * 3
    states = [await _assignment(bot, aid) for aid in by_line]
    assert [(a.status, a.percent) for a in states] == [
        ("awaiting_confirmation", 100), ("in_progress", 50), ("blocked", 0),
    ]  # fmt: skip


async def test_one_list_of_lines_for_one_statement(bot: Harness) -> None:
    await seed_world(bot, DUE_TOGETHER)
    digest = await _digest(bot)
    ids = _digest_ids(bot, digest)
    await bot.send(FOCAL_A, GROUP_A, "1, 2 đã hoàn thành", reply_to=digest["message_id"])
    first_at = f"{bot.clock.now().astimezone(bot.services.ctx.tz):%d/%m/%Y %H:%M}"
    assert bot.last_text(GROUP_A).startswith("Đã ghi nhận báo cáo 2 nhiệm vụ:")
    states = [(await _assignment(bot, aid)).status for aid in ids]
    assert states == ["awaiting_confirmation", "awaiting_confirmation", "not_started"]
    await bot.send(FOCAL_A, GROUP_A, "1 và 3 xong", reply_to=digest["message_id"])
    assert bot.last_text(GROUP_A).splitlines()[1:] == [
        f"🔁 #{ids[0]}: đã ghi nhận lúc {first_at}; không ghi thêm",
        f"✅ #{ids[2]}: hoàn thành, chờ Văn phòng xác nhận",
    ]


async def test_receipt_typed_under_a_digest_acknowledges_all_its_tasks(bot: Harness) -> None:
    await seed_world(bot, DUE_TOGETHER, acknowledged=False)
    digest = await _digest(bot)
    ids = _digest_ids(bot, digest)
    await bot.send(FOCAL_A, GROUP_A, "Dạ, đã tiếp nhận ạ", reply_to=digest["message_id"])
    codes = ", ".join(f"#{aid}" for aid in ids)
    assert bot.last_text(GROUP_A) == (
        f"👍 Đã ghi nhận đơn vị tiếp nhận 3 nhiệm vụ ({codes}); tình trạng không đổi."
    )
    rows = [await _assignment(bot, aid) for aid in ids]
    assert all(a.acknowledged_at is not None and a.status == "not_started" for a in rows)
    assert await bot.rows(ProgressUpdate, true()) == []


def _digest_ids(bot: Harness, digest: dict[str, Any]) -> list[int]:
    return [int(d.split(":")[1]) for d in _data(bot, digest) if d.startswith("card:")]


# --- messages that reply to nothing ----------------------------------------------------------


async def test_a_report_naming_a_task_code_is_handled_and_chatter_is_left_alone(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]
    await bot.send(FOCAL_A, GROUP_A, f"Sở Tài chính báo cáo: nhiệm vụ #{aid} đã hoàn thành")
    assert f"#{aid}" in bot.last_text(GROUP_A) and "hoàn thành" in bot.last_text(GROUP_A)
    assert (await _assignment(bot, aid)).status == "awaiting_confirmation"
    sent = len(bot.bot_messages(GROUP_A))
    for chatter in ("em vướng họp, chiều gửi nhé", "Chào cả nhà", "ok"):
        await bot.send(FOCAL_A, GROUP_A, chatter)
    await bot.send(STRANGER, GROUP_A, f"#{aid} xong")
    assert len(bot.bot_messages(GROUP_A)) == sent
    # A report with no code: which task? The agency's open tasks, by code.
    await bot.send(FOCAL_A, GROUP_A, "đã hoàn thành rồi ạ")
    question = bot.last(GROUP_A)
    assert question["text"].startswith("Bạn báo cáo cho nhiệm vụ nào?")
    picks = _data(bot, question)
    assert picks == [f"pick:{world.aid['I.2']}", f"pick:{world.aid['I.3']}"]
    await bot.press(FOCAL_A, GROUP_A, question["message_id"], picks[1])
    assert (await _assignment(bot, world.aid["I.3"])).status == "awaiting_confirmation"
    # A code written in a reply to a bot message about no task (a confirmation) counts too.
    confirmation = bot.last(GROUP_A)
    await bot.send(
        FOCAL_A, GROUP_A, f"#{world.aid['I.2']} đạt 40%", reply_to=confirmation["message_id"]
    )
    assert (await _assignment(bot, world.aid["I.2"])).percent == 40
    # Another agency's task named by code is refused, not recorded.
    await bot.send(FOCAL_A, GROUP_A, f"#{world.aid['II.1']} đạt 50%")
    assert "không phụ trách" in bot.last_text(GROUP_A)
    assert await _updates(bot, world.aid["II.1"]) == []


async def test_voice_notes_and_stickers_get_one_short_hint_where_a_report_was_meant(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]
    card = await _card(bot, aid)
    sent = len(bot.bot_messages(GROUP_A))
    # Replying to the bot's card: always told, whatever it is.
    bot.emulator.user_sends_sticker(FOCAL_A, GROUP_A, reply_to_message_id=card["message_id"])
    await bot.flush()
    assert "không đọc được nhãn dán" in bot.last_text(GROUP_A)
    bot.emulator.user_sends_voice(FOCAL_A, GROUP_A, reply_to_message_id=card["message_id"])
    await bot.flush()
    assert "chưa nghe được tin thoại" in bot.last_text(GROUP_A)
    assert len(bot.bot_messages(GROUP_A)) == sent + 2
    # Replying to nothing: a focal point's voice note once a day; stickers and strangers never.
    for _ in range(2):
        bot.emulator.user_sends_voice(FOCAL_A, GROUP_A)
        bot.emulator.user_sends_sticker(FOCAL_A, GROUP_A)
        bot.emulator.user_sends_voice(STRANGER, GROUP_A)
        await bot.flush()
    assert len(bot.bot_messages(GROUP_A)) == sent + 3
    bot.clock.set(at("28/12/2019", 9, 0))
    bot.emulator.user_sends_voice(FOCAL_A, GROUP_A)
    await bot.flush()
    assert len(bot.bot_messages(GROUP_A)) == sent + 4
    assert await _updates(bot, aid) == []


# --- several numbered items under a message about one task -----------------------------------


async def test_numbered_items_under_one_task_are_asked_about_never_merged_or_dropped(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]
    office_before = len(_office(bot))
    for text in (
        "1 đạt 50%\n2 đã hoàn thành\n3 vướng kinh phí\n4 xin gia hạn đến 30/6",
        "1 đạt 50%\n2 đã hoàn thành",
    ):
        answer = await _reply_to_card(bot, aid, text)
        assert answer.startswith(f"❓ Tin này chỉ về nhiệm vụ #{aid}")
        assert "chưa ghi nhận gì" in answer
    assert await _updates(bot, aid) == []
    assert await bot.rows(ExtensionRequest) == []
    assert (await _assignment(bot, aid)).status == "not_started"
    assert len(_office(bot)) == office_before
    # One numbered line, or a list of steps of the task itself, is still read.
    await _reply_to_card(bot, aid, "1 đạt 50%")
    assert (await _assignment(bot, aid)).percent == 50


async def test_items_naming_task_codes_under_one_task_go_to_those_tasks(
    bot: Harness, world: World
) -> None:
    first, second, third = world.aid["I.1"], world.aid["I.2"], world.aid["I.3"]
    await _reply_to_card(bot, first, f"#{second} đạt 40%\n#{third} đạt 70%")
    assert [(await _assignment(bot, a)).percent for a in (first, second, third)] == [0, 40, 70]
