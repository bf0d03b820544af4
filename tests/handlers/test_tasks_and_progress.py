"""Seeing tasks and reporting progress three ways, with the office's confirmation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import true

from bot.domain.callback_data import Act, encode
from storage.models import Agency, Assignment, ExtensionRequest, ProgressUpdate, Task
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
)


async def _bind(bot: Harness, agency: str, user: int, chat: int) -> None:
    await bot.send(ADMIN, ADMIN, f"/moi {agency}")
    code = bot.last_text(ADMIN).split("/dangky ")[1].strip()
    await bot.send(user, chat, f"/dangky {code}")


@pytest.fixture
async def bound(seeded: Harness) -> Harness:
    """Sở Tài chính bound to GROUP_A (FOCAL_A), Sở Công Thương to GROUP_B, the office group."""
    await _bind(seeded, "Sở Tài chính", FOCAL_A, GROUP_A)
    await _bind(seeded, "Sở Công Thương", FOCAL_B, GROUP_B)
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    return seeded


async def _assignment(bot: Harness, agency_name: str, code: str) -> Assignment:
    agency = (await bot.rows(Agency, Agency.name == agency_name))[0]
    task = (await bot.rows(Task, Task.code == code))[0]
    return (
        await bot.rows(Assignment, Assignment.agency_id == agency.id, Assignment.task_id == task.id)
    )[0]


async def _open_card(bot: Harness, user: int, chat: int, assignment_id: int) -> dict:
    await bot.send(user, chat, "/nhiemvu")
    listing = bot.last(chat)
    await bot.press(user, chat, listing["message_id"], encode(Act.CARD, assignment_id))
    return bot.last(chat)


async def test_agency_list_shows_only_its_tasks_overdue_first(bound: Harness) -> None:
    bound.clock.set(
        bound.clock.now() + timedelta(days=20)
    )  # 16/01/2020: I.6.1 none, I.6.2 due 31/03
    await bound.send(FOCAL_A, GROUP_A, "/nhiemvu")
    text = bound.last_text(GROUP_A)
    assert "Nhiệm vụ của Sở Tài chính" in text
    assert "31/03/2020" in text
    assert "Đôn đốc, đẩy nhanh tiến độ giải ngân" in text
    assert "Công Thương" not in text
    assert text.index("31/03/2020") < text.index("không thời hạn")


async def test_office_lists_all_and_filters(bound: Harness) -> None:
    await bound.send(ADMIN, OFFICE_GROUP, "/nhiemvu")
    first = bound.last(OFFICE_GROUP)
    assert "Nhiệm vụ của các đơn vị" in first["text"]
    assert "Trang 1/" in first["text"]
    assert len(first["text"]) <= 4096
    assert all(len((d or "").encode()) <= 64 for _, d in bound.emulator.buttons(first))
    await bound.press(ADMIN, OFFICE_GROUP, first["message_id"], bound.button(first, "Sau"))
    assert "Trang 2/" in bound.last_text(OFFICE_GROUP)
    await bound.send(ADMIN, OFFICE_GROUP, "/nhiemvu Sở Công Thương")
    assert "Nhiệm vụ — Sở Công Thương" in bound.last_text(OFFICE_GROUP)
    await bound.send(ADMIN, OFFICE_GROUP, "/nhiemvu 22-TB/BCĐ")
    assert "Nhiệm vụ — 22-TB/BCĐ" in bound.last_text(OFFICE_GROUP)
    await bound.send(ADMIN, OFFICE_GROUP, "/nhiemvu khongtontai")
    assert "Không tìm thấy đơn vị hoặc văn bản" in bound.last_text(OFFICE_GROUP)
    # Marks decide between agencies that folding makes alike ("Tài" finance, "tải" transport).
    await bound.send(ADMIN, OFFICE_GROUP, "/nhiemvu Sở Tài")
    assert "Nhiệm vụ — Sở Tài chính" in bound.last_text(OFFICE_GROUP)
    # Without marks it is ambiguous: the candidates are listed, not "not found".
    await bound.send(ADMIN, OFFICE_GROUP, "/nhiemvu so tai")
    ambiguous = bound.last_text(OFFICE_GROUP)
    assert "khớp nhiều đơn vị" in ambiguous
    assert "• Sở Tài chính" in ambiguous and "• Sở Giao thông vận tải" in ambiguous
    # Agencies by name, never by number (#N is an assignment): a button for each to tap.
    assert "• Sở Tài chính\n" in ambiguous and "Ví dụ: /nhiemvu Sở" in ambiguous
    # Nothing overdue yet (27/12/2019): the overdue filter says so.
    await bound.send(ADMIN, OFFICE_GROUP, "/nhiemvu quahan")
    assert "Không có nhiệm vụ nào quá hạn" in bound.last_text(OFFICE_GROUP)


async def test_focal_point_cannot_list_in_another_agencys_group(bound: Harness) -> None:
    await bound.send(FOCAL_A, GROUP_B, "/nhiemvu")
    assert "không có quyền" in bound.last_text(GROUP_B)


async def test_capnhat_with_a_bare_number_records_that_percent(bound: Harness) -> None:
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.1")
    await bound.send(FOCAL_A, GROUP_A, f"/capnhat #{assignment.id} 50")
    assert f"Đã ghi nhận #{assignment.id}: đạt 50%" in bound.last_text(GROUP_A)
    await bound.send(FOCAL_A, GROUP_A, f"/capnhat #{assignment.id} 150")
    assert "từ 0 đến 100" in bound.last_text(GROUP_A)
    updates = await bound.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment.id)
    assert [(u.kind, u.percent) for u in updates] == [("in_progress", 50)]


async def test_done_by_button_asks_the_office_without_an_empty_quote(bound: Harness) -> None:
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.1")
    card = await _open_card(bound, FOCAL_A, GROUP_A, assignment.id)
    await bound.press(FOCAL_A, GROUP_A, card["message_id"], encode(Act.DONE, assignment.id))
    office = bound.last(OFFICE_GROUP)["text"]
    assert office == (
        f"🔔 Sở Tài chính báo hoàn thành nhiệm vụ #{assignment.id} (I.6.1).\n\n"
        "Đề nghị Văn phòng xác nhận."
    )


async def test_reply_to_card_records_percent_and_keeps_history(bound: Harness) -> None:
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.1")
    card = await _open_card(bound, FOCAL_A, GROUP_A, assignment.id)
    assert "Chủ trì: Sở Tài chính" in card["text"]
    await bound.send(FOCAL_A, GROUP_A, "đạt 70%", reply_to=card["message_id"])
    assert f"Đã ghi nhận #{assignment.id}: đạt 70%" in bound.last_text(GROUP_A)
    await bound.send(FOCAL_A, GROUP_A, "Dạ đã hoàn thành", reply_to=card["message_id"])
    assert "chờ Văn phòng Điều phối xác nhận" in bound.last_text(GROUP_A)
    updates = await bound.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment.id)
    assert [(u.kind, u.status, u.percent, u.author_user_id) for u in updates] == [
        ("in_progress", "in_progress", 70, FOCAL_A),
        ("done", "awaiting_confirmation", 100, FOCAL_A),
    ]
    assert updates[0].source_chat_id == GROUP_A and updates[0].source_message_id is not None
    # The office got a confirmation request with buttons, naming the task and quoting the agency.
    office = bound.last(OFFICE_GROUP)
    assert f"báo hoàn thành nhiệm vụ #{assignment.id} (I.6.1):\nDạ đã hoàn thành" in office["text"]
    await bound.press(ADMIN, OFFICE_GROUP, office["message_id"], encode(Act.CONF, assignment.id))
    assert "Đã xác nhận hoàn thành" in bound.last_text(OFFICE_GROUP)
    assert "đã xác nhận hoàn thành nhiệm vụ" in bound.last_text(GROUP_A)
    refreshed = await _assignment(bound, "Sở Tài chính", "I.6.1")
    assert (refreshed.status, refreshed.completed_on) == ("done", date(2019, 12, 27))


async def test_buttons_percent_blocker_and_undo(bound: Harness) -> None:
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.2")
    card = await _open_card(bound, FOCAL_A, GROUP_A, assignment.id)
    await bound.press(FOCAL_A, GROUP_A, card["message_id"], encode(Act.PROG, assignment.id))
    choose = bound.last(GROUP_A)
    await bound.press(FOCAL_A, GROUP_A, choose["message_id"], encode(Act.PCT, assignment.id, 50))
    confirmation = bound.last(GROUP_A)
    assert "đạt 50%" in confirmation["text"]
    await bound.press(FOCAL_A, GROUP_A, confirmation["message_id"], bound.button(confirmation, "↩️"))
    assert "Đã hoàn tác" in bound.last_text(GROUP_A)
    assert (await _assignment(bound, "Sở Tài chính", "I.6.2")).status == "not_started"
    await bound.press(FOCAL_A, GROUP_A, card["message_id"], encode(Act.BLOCK, assignment.id))
    assert "nêu vướng mắc" in bound.last_text(GROUP_A)
    await bound.send(FOCAL_A, GROUP_A, "Chờ hướng dẫn của Bộ Tài chính")
    assert "Đã ghi nhận vướng mắc" in bound.last_text(GROUP_A)
    assert "báo vướng mắc" in bound.last_text(OFFICE_GROUP)
    kinds = [
        u.kind
        for u in await bound.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment.id)
    ]
    assert kinds == ["in_progress", "undo", "blocked"]


async def test_undo_expires(bound: Harness) -> None:
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.2")
    await bound.send(FOCAL_A, GROUP_A, f"/capnhat #{assignment.id} 30%")
    confirmation = bound.last(GROUP_A)
    bound.clock.advance(timedelta(minutes=6))
    await bound.press(FOCAL_A, GROUP_A, confirmation["message_id"], bound.button(confirmation, "↩️"))
    assert "quá thời gian hoàn tác" in bound.answers()[-1]
    assert (await _assignment(bound, "Sở Tài chính", "I.6.2")).percent == 30


async def test_update_command_and_bad_input(bound: Harness) -> None:
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.2")
    await bound.send(FOCAL_A, GROUP_A, f"/capnhat {assignment.id} đạt 140%")
    assert "từ 0 đến 100" in bound.last_text(GROUP_A)
    await bound.send(FOCAL_A, GROUP_A, "/capnhat 999999 xong")
    assert "Không tìm thấy nhiệm vụ" in bound.last_text(GROUP_A)
    other = await _assignment(bound, "Sở Công Thương", "I.3")
    await bound.send(FOCAL_A, GROUP_A, f"/capnhat {other.id} xong")
    assert "Không tìm thấy nhiệm vụ" in bound.last_text(GROUP_A)
    await bound.send(FOCAL_A, GROUP_A, "/capnhat")
    assert "Cách dùng" in bound.last_text(GROUP_A)
    assert await bound.rows(ProgressUpdate, true()) == []
    await bound.send(FOCAL_A, GROUP_A, f"/capnhat {assignment.id} I.6.2 đã trình dự thảo")
    assert "Đã ghi nhận nội dung báo cáo" in bound.last_text(GROUP_A)


async def test_forged_button_for_another_agency_is_refused(bound: Harness) -> None:
    other = await _assignment(bound, "Sở Công Thương", "I.3")
    await bound.send(FOCAL_A, GROUP_A, "/nhiemvu")
    listing = bound.last(GROUP_A)
    await bound.press(
        FOCAL_A, GROUP_A, listing["message_id"], encode(Act.DONE, other.id), strict=False
    )
    assert "không phụ trách" in bound.answers()[-1]
    await bound.press(
        STRANGER, GROUP_A, listing["message_id"], encode(Act.DONE, other.id), strict=False
    )
    await bound.press(FOCAL_A, GROUP_A, listing["message_id"], "done:abc", strict=False)
    assert "hết hiệu lực" in bound.answers()[-1]
    assert await bound.rows(ProgressUpdate, true()) == []


async def test_stranger_in_agency_group_cannot_report(bound: Harness) -> None:
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.2")
    card = await _open_card(bound, FOCAL_A, GROUP_A, assignment.id)
    await bound.send(STRANGER, GROUP_A, "xong", reply_to=card["message_id"])
    assert "không phụ trách" in bound.last_text(GROUP_A)
    assert await bound.rows(ProgressUpdate, true()) == []


async def test_deputy_registered_privately_may_report(bound: Harness) -> None:
    await bound.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    code = bound.last_text(ADMIN).split("/dangky ")[1].strip()
    await bound.send(DEPUTY_A, DEPUTY_A, f"/start {code}")
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.2")
    await bound.send(DEPUTY_A, DEPUTY_A, f"/capnhat #{assignment.id} 40%")
    assert "đạt 40%" in bound.last_text(DEPUTY_A)


async def test_extension_request_and_approval(bound: Harness) -> None:
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.2")
    card = await _open_card(bound, FOCAL_A, GROUP_A, assignment.id)
    await bound.press(FOCAL_A, GROUP_A, card["message_id"], encode(Act.EXT, assignment.id))
    await bound.send(FOCAL_A, GROUP_A, "31/02/2020 chờ số liệu")
    assert "Ngày không hợp lệ" in bound.last_text(GROUP_A)
    # An "extension" that ends before the deadline (31/03/2020) is asked again, not sent.
    await bound.send(FOCAL_A, GROUP_A, "15/02/2020 chờ kinh phí")
    assert f"Thời hạn hiện tại của #{assignment.id} là 31/03/2020" in bound.last_text(GROUP_A)
    assert await bound.rows(ExtensionRequest, true()) == []
    await bound.send(FOCAL_A, GROUP_A, "30/04/2020 chờ số liệu của các huyện")
    assert "Đã gửi đề nghị gia hạn" in bound.last_text(GROUP_A)
    office = bound.last(OFFICE_GROUP)
    assert "30/04/2020" in office["text"] and "31/03/2020" in office["text"]
    request = (await bound.rows(ExtensionRequest, true()))[0]
    await bound.press(ADMIN, OFFICE_GROUP, office["message_id"], encode(Act.XOK, request.id))
    assert "đồng ý gia hạn" in bound.last_text(GROUP_A)
    task = (await bound.rows(Task, Task.code == "I.6.2"))[0]
    assert (task.deadline_end, task.adjusted_deadline_end, task.extension_approved) == (
        date(2020, 3, 31),
        date(2020, 4, 30),
        True,
    )
    # Deciding twice acts once, and says what was decided and when (issue 22).
    await bound.press(
        ADMIN, OFFICE_GROUP, office["message_id"], encode(Act.XOK, request.id), strict=False
    )
    assert "đã được đồng ý lúc 27/12/2019 08:00" in bound.answers()[-1]
    # A further extension must end after the extended deadline, not the original one.
    await bound.press(FOCAL_A, GROUP_A, card["message_id"], encode(Act.EXT, assignment.id))
    await bound.send(FOCAL_A, GROUP_A, "15/04/2020 thêm thời gian")
    assert "là 30/04/2020" in bound.last_text(GROUP_A)
    assert len(await bound.rows(ExtensionRequest, true())) == 1


async def test_office_returns_a_completion_with_reason(bound: Harness) -> None:
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.2")
    await bound.send(FOCAL_A, GROUP_A, f"/capnhat #{assignment.id} đã hoàn thành")
    office = bound.last(OFFICE_GROUP)
    await bound.press(FOCAL_B, OFFICE_GROUP, office["message_id"], encode(Act.RET, assignment.id))
    assert "Văn phòng Điều phối" in bound.answers()[-1]
    await bound.press(ADMIN, OFFICE_GROUP, office["message_id"], encode(Act.RET, assignment.id))
    await bound.send(ADMIN, OFFICE_GROUP, "Chưa có văn bản kèm theo")
    assert "Đã trả lại" in bound.last_text(OFFICE_GROUP)
    assert "Chưa có văn bản kèm theo" in bound.last_text(GROUP_A)
    refreshed = await _assignment(bound, "Sở Tài chính", "I.6.2")
    # Returned, said as such (review R6), not "in progress 99%".
    assert (refreshed.status, refreshed.completed_on) == ("returned", None)


async def test_photo_reply_is_kept_as_evidence(bound: Harness) -> None:
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.2")
    card = await _open_card(bound, FOCAL_A, GROUP_A, assignment.id)
    bound.emulator.user_sends_photo(
        FOCAL_A, GROUP_A, caption="đạt 60%", reply_to_message_id=card["message_id"]
    )
    await bound.flush()
    assert "Kèm 1 tệp minh chứng" in bound.last_text(GROUP_A)
    update = (await bound.rows(ProgressUpdate, true()))[0]
    assert update.percent == 60 and update.evidence_file_ids


async def test_edits_long_messages_and_stickers_change_nothing(bound: Harness) -> None:
    message = await bound.send(FOCAL_A, FOCAL_A, "xin chào")
    bound.emulator.user_edits(FOCAL_A, FOCAL_A, message["message_id"], "đã hoàn thành")
    await bound.flush()
    assert "không xử lý tin nhắn đã sửa" in bound.last_text(FOCAL_A)
    await bound.send(FOCAL_A, FOCAL_A, "x" * 4096)
    assert "quá dài" not in bound.last_text(FOCAL_A)  # Telegram's limit itself is not too long
    await bound.send(FOCAL_A, FOCAL_A, "x" * 4097)
    assert "quá dài" in bound.last_text(FOCAL_A)
    bound.emulator.user_sends_sticker(FOCAL_A, FOCAL_A)
    await bound.flush()
    assert "chỉ nhận tin nhắn chữ" in bound.last_text(FOCAL_A)
    await bound.send(FOCAL_A, FOCAL_A, "/lenhla")
    assert "Không có lệnh /lenhla" in bound.last_text(FOCAL_A)
    assert await bound.rows(ProgressUpdate, true()) == []


async def test_questions_force_a_reply_so_privacy_mode_groups_still_answer(bound: Harness) -> None:
    """Bots in groups usually see only commands and replies: each question forces a reply."""
    bound.emulator.privacy_mode = True
    assignment = await _assignment(bound, "Sở Tài chính", "I.6.2")
    card = await _open_card(bound, FOCAL_A, GROUP_A, assignment.id)
    await bound.press(FOCAL_A, GROUP_A, card["message_id"], encode(Act.BLOCK, assignment.id))
    question = bound.last(GROUP_A)
    sent = bound.emulator.sent[-1]
    assert sent.message_id == question["message_id"]
    assert sent.reply_markup == {"force_reply": True, "selective": True}
    mentions = [e for e in question.get("entities", []) if e["type"] == "text_mention"]
    assert [m["user"]["id"] for m in mentions] == [FOCAL_A]
    # A plain message is not delivered to the bot in privacy mode; the forced reply is.
    await bound.send(FOCAL_A, GROUP_A, "Chờ hướng dẫn của Bộ", reply_to=question["message_id"])
    assert "Đã ghi nhận vướng mắc" in bound.last_text(GROUP_A)
    kinds = [
        u.kind
        for u in await bound.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment.id)
    ]
    assert kinds == ["blocked"]
