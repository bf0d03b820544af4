"""The office edits tasks in chat: new task, new deadline, reassign, cancel, restrict."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import true

from storage.models import Agency, Assignment, Person, Task, TaskRevision
from tests.harness import (
    ADMIN,
    FOCAL_A,
    FOCAL_B,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    STRANGER,
    TZ,
    Harness,
    sweep_and_send,
)


async def _bind(bot: Harness, agency: str, user: int, chat: int) -> None:
    await bot.send(ADMIN, ADMIN, f"/moi {agency}")
    code = bot.last_text(ADMIN).split("/dangky ")[1].strip()
    await bot.send(user, chat, f"/dangky {code}")


async def test_new_task_reaches_the_agency(seeded: Harness) -> None:
    await _bind(seeded, "Sở Tài chính", FOCAL_A, GROUP_A)
    await seeded.send(
        ADMIN, ADMIN, "/giaoviec Sở Tài chính | Báo cáo tình hình giải ngân vốn | quý I/2020"
    )
    assert "Đã giao nhiệm vụ" in seeded.last_text(ADMIN)
    task = (await seeded.rows(Task, Task.code == "GV.1"))[0]
    assert (task.deadline_kind, task.deadline_end) == ("quarter", date(2020, 3, 31))
    notice = seeded.last(GROUP_A)
    assert "giao nhiệm vụ mới" in notice["text"] and "⏰ Thời hạn: 31/03/2020" in notice["text"]
    # The message carries the progress buttons and a reply to it reports on the task.
    await seeded.send(FOCAL_A, GROUP_A, "đạt 20%", reply_to=notice["message_id"])
    assert "đạt 20%" in seeded.last_text(GROUP_A)


async def test_new_task_bad_input(seeded: Harness) -> None:
    await seeded.send(ADMIN, ADMIN, "/giaoviec")
    assert "Cách dùng" in seeded.last_text(ADMIN)
    await seeded.send(ADMIN, ADMIN, "/giaoviec Sở Tài chính | Nội dung | 31/02/2020")
    assert "không hợp lệ" in seeded.last_text(ADMIN)
    await seeded.send(ADMIN, ADMIN, "/giaoviec Sở Không Có | Nội dung | 31/03/2020")
    assert "Không tìm thấy đơn vị" in seeded.last_text(ADMIN)
    await seeded.send(FOCAL_A, FOCAL_A, "/giaoviec Sở Tài chính | Nội dung | 31/03/2020")
    assert await seeded.rows(Task, Task.code == "GV.1") == []


async def test_a_new_task_without_a_deadline_says_so_in_plain_words(seeded: Harness) -> None:
    await seeded.send(ADMIN, ADMIN, "/giaoviec Sở Tài chính | Rà soát quy hoạch")
    answer = seeded.last_text(ADMIN)
    assert answer.endswith("cho Sở Tài chính, không thời hạn.")  # not "thời hạn không thời hạn"
    await seeded.send(ADMIN, ADMIN, "/giaoviec Sở Tài chính | Rà soát quy hoạch | 15/01/2020")
    assert seeded.last_text(ADMIN).endswith("cho Sở Tài chính, thời hạn 15/01/2020.")


async def test_change_deadline_keeps_the_original(seeded: Harness) -> None:
    task = (await seeded.rows(Task, Task.code == "I.6.2"))[0]
    assignment = (await seeded.rows(Assignment, Assignment.task_id == task.id))[0]
    await seeded.send(ADMIN, ADMIN, f"/doihan #{assignment.id} 30/04/2020")
    assert "thời hạn gốc vẫn được lưu" in seeded.last_text(ADMIN)
    assert "đã qua" not in seeded.last_text(ADMIN)
    task = (await seeded.rows(Task, Task.code == "I.6.2"))[0]
    assert (task.deadline_end, task.adjusted_deadline_end, task.extension_approved) == (
        date(2020, 3, 31),
        date(2020, 4, 30),
        True,
    )
    revisions = await seeded.rows(TaskRevision, true())
    assert [(r.field_name, r.new_value, r.changed_by) for r in revisions] == [
        ("adjusted_deadline", "2020-04-30", ADMIN)
    ]
    # A date already past (a correction, or 2019 typed for 2020) is kept, and said so.
    await seeded.send(ADMIN, ADMIN, f"/doihan #{assignment.id} 15/12/2019")
    assert "Thời hạn này đã qua" in seeded.last_text(ADMIN)


async def test_a_new_deadline_is_the_tasks_said_for_every_agency_and_each_is_told(
    seeded: Harness,
) -> None:
    """I.6.2: Sở Tài chính leads, two agencies coordinate. A deadline belongs to the task, so
    /doihan changes it for all three: the answer lists them, each group is told its own code."""
    await _bind(seeded, "Sở Tài chính", FOCAL_A, GROUP_A)
    await _bind(seeded, "Sở Kế hoạch và Đầu tư", FOCAL_B, GROUP_B)
    task = (await seeded.rows(Task, Task.code == "I.6.2"))[0]
    rows = await seeded.rows(Assignment, Assignment.task_id == task.id)
    names = {a.id: a.name for a in await seeded.rows(Agency, true())}
    code = {names[a.agency_id]: a.id for a in rows}
    lead, plan = code["Sở Tài chính"], code["Sở Kế hoạch và Đầu tư"]
    await seeded.send(ADMIN, ADMIN, f"/doihan #{lead} 30/04/2020")
    answer = seeded.last_text(ADMIN)
    assert f"thời hạn nhiệm vụ #{lead} (I.6.2) thành 30/04/2020; thời hạn gốc" in answer
    assert "áp dụng cho cả 3 đơn vị cùng thực hiện" in answer
    assert f"• Sở Tài chính (chủ trì, #{lead})\n" in answer
    assert f"• Sở Kế hoạch và Đầu tư (phối hợp, #{plan})" in answer
    assert answer.count("(phối hợp, #") == 2
    told = "Thời hạn nhiệm vụ #{} được điều chỉnh thành 30/04/2020"
    assert told.format(lead) in seeded.last_text(GROUP_A)
    assert told.format(plan) in seeded.last_text(GROUP_B)
    # The date it already has: nothing written, nobody told again.
    sent = len(seeded.emulator.sent)
    await seeded.send(ADMIN, ADMIN, f"/doihan #{plan} 30/04/2020")
    assert "đã là 30/04/2020; không có gì thay đổi" in seeded.last_text(ADMIN)
    assert len(seeded.emulator.sent) == sent + 1
    # One agency named before the date: refused (it would change all three), the way shown.
    await seeded.send(ADMIN, ADMIN, f"/doihan #{lead} Sở Kế hoạch và Đầu tư 15/05/2020")
    refused = seeded.last_text(ADMIN)
    assert "không đổi riêng cho một đơn vị" in refused and f"/doihan #{lead} 15/05/2020" in refused
    assert (await seeded.rows(Task, Task.id == task.id))[0].adjusted_deadline_end == date(
        2020, 4, 30
    )
    # A coordinating agency's code reaches the same task; the lead's group hears its own code.
    await seeded.send(ADMIN, ADMIN, f"/doihan #{plan} 15/05/2020")
    assert (await seeded.rows(Task, Task.id == task.id))[0].adjusted_deadline_end == date(
        2020, 5, 15
    )
    assert f"Thời hạn nhiệm vụ #{lead} được điều chỉnh thành 15/05/2020" in seeded.last_text(
        GROUP_A
    )
    revisions = await seeded.rows(TaskRevision, TaskRevision.task_id == task.id)
    assert [(r.old_value, r.new_value) for r in revisions] == [
        (None, "2020-04-30"),
        ("2020-04-30", "2020-05-15"),
    ]


async def test_an_approved_extension_moves_the_deadline_for_the_tasks_other_agencies_too(
    seeded: Harness,
) -> None:
    """Sở Kế hoạch và Đầu tư, coordinating on I.6.2, asks for more time; approved, the task's
    deadline moves for all three agencies: the office reads so, the lead's group is told."""
    await _bind(seeded, "Sở Tài chính", FOCAL_A, GROUP_A)
    await _bind(seeded, "Sở Kế hoạch và Đầu tư", FOCAL_B, GROUP_B)
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    task = (await seeded.rows(Task, Task.code == "I.6.2"))[0]
    names = {a.id: a.name for a in await seeded.rows(Agency, true())}
    code = {
        names[a.agency_id]: a.id
        for a in await seeded.rows(Assignment, Assignment.task_id == task.id)
    }
    lead, plan = code["Sở Tài chính"], code["Sở Kế hoạch và Đầu tư"]
    await seeded.send(FOCAL_B, GROUP_B, f"/nhiemvu #{plan}")
    card = seeded.last(GROUP_B)
    await seeded.press(FOCAL_B, GROUP_B, card["message_id"], seeded.button(card, "📅"))
    await seeded.send(FOCAL_B, GROUP_B, "30/04/2020 chờ số liệu của các huyện")
    asked = seeded.last(OFFICE_GROUP)
    await seeded.press(ADMIN, OFFICE_GROUP, asked["message_id"], seeded.button(asked, "✅"))
    answer = seeded.last_text(OFFICE_GROUP)
    assert f"Đã đồng ý gia hạn #{plan} đến 30/04/2020" in answer
    assert "cũng đổi cho 2 đơn vị cùng thực hiện" in answer and f"Sở Tài chính (#{lead})" in answer
    assert "đồng ý gia hạn" in seeded.last_text(GROUP_B)
    told = seeded.last_text(GROUP_A)
    assert f"Thời hạn nhiệm vụ #{lead} được điều chỉnh thành 30/04/2020" in told
    assert "đề nghị của Sở Kế hoạch và Đầu tư" in told
    revisions = await seeded.rows(TaskRevision, TaskRevision.task_id == task.id)
    assert [(r.field_name, r.old_value, r.new_value, r.changed_by) for r in revisions] == [
        ("adjusted_deadline", None, "2020-04-30", ADMIN)
    ]


async def test_a_moved_single_date_deadline_is_shown_as_one_date_not_a_range(
    seeded: Harness,
) -> None:
    """I.6.2 was due 31/03/2020 (one date). Moved earlier, its list line showed
    "31/03/2020 – 31/12/2019", which reads as a period running backwards."""
    task = (await seeded.rows(Task, Task.code == "I.6.2"))[0]
    assignment = (await seeded.rows(Assignment, Assignment.task_id == task.id))[0]
    await seeded.send(ADMIN, ADMIN, f"/doihan #{assignment.id} 31/12/2019")
    await seeded.send(ADMIN, ADMIN, "/nhiemvu Sở Tài chính")
    listing = seeded.last_text(ADMIN)
    line = next(x for x in listing.splitlines() if "31/12/2019" in x)
    assert "31/03/2020" not in line and "–" not in line
    await seeded.send(ADMIN, ADMIN, f"/doihan #{assignment.id} 30/04/2020")
    await seeded.send(ADMIN, ADMIN, "/nhiemvu Sở Tài chính")
    line = next(x for x in seeded.last_text(ADMIN).splitlines() if "30/04/2020" in x)
    assert "31/03/2020" not in line and "–" not in line


async def test_reassign_cancel_and_restrict(seeded: Harness) -> None:
    task = (await seeded.rows(Task, Task.code == "I.3"))[0]
    old = (await seeded.rows(Assignment, Assignment.task_id == task.id))[0]
    await seeded.send(ADMIN, ADMIN, f"/giaolai #{old.id} Sở Tài chính")
    assert "Đã giao lại" in seeded.last_text(ADMIN)
    rows = {
        a.agency_id: a.status for a in await seeded.rows(Assignment, Assignment.task_id == task.id)
    }
    assert sorted(rows.values()) == ["cancelled", "not_started"]
    await seeded.send(ADMIN, ADMIN, f"/mat #{old.id}")
    assert "đánh dấu mật" in seeded.last_text(ADMIN)
    task = (await seeded.rows(Task, Task.code == "I.3"))[0]
    assert task.restricted and not task.cancelled


async def test_reassign_gives_the_card_to_the_new_agency_and_tells_the_old_one(
    seeded: Harness,
) -> None:
    task = (await seeded.rows(Task, Task.code == "I.3"))[0]
    (old,) = await seeded.rows(Assignment, Assignment.task_id == task.id)
    (old_agency,) = await seeded.rows(Agency, Agency.id == old.agency_id)
    await _bind(seeded, "Sở Tài chính", FOCAL_A, GROUP_A)
    await _bind(seeded, old_agency.name, FOCAL_B, GROUP_B)
    await seeded.send(ADMIN, ADMIN, f"/giaolai #{old.id} Sở Tài chính")
    (new,) = await seeded.rows(Assignment, Assignment.task_id == task.id, Assignment.id != old.id)
    answer = seeded.last_text(ADMIN)
    assert f"từ {old_agency.name} cho Sở Tài chính (mã mới #{new.id})" in answer
    # The new agency gets the task as a fresh assignment: its card, its buttons.
    card = seeded.last(GROUP_A)
    assert (
        f"giao nhiệm vụ #{new.id} (22-TB/BCĐ (I.3)) cho đơn vị, thay {old_agency.name}"
        in (card["text"])
    )
    assert "⏰ Thời hạn: không thời hạn" in card["text"]  # I.3 is ongoing
    assert seeded.button(card, "✅") == f"done:{new.id}"
    await seeded.send(FOCAL_A, GROUP_A, "đạt 20%", reply_to=card["message_id"])
    assert (await seeded.rows(Assignment, Assignment.id == new.id))[0].percent == 20
    # Its card names the new agency alone: the old one neither leads nor helps any more.
    await seeded.send(FOCAL_A, GROUP_A, f"/nhiemvu #{new.id}")
    shown = seeded.last_text(GROUP_A)
    assert "Chủ trì: Sở Tài chính\n" in shown and old_agency.name not in shown
    # The old one is told it need not report, and whom the task went to.
    note = seeded.last(GROUP_B)
    assert f"đã chuyển nhiệm vụ #{old.id} (22-TB/BCĐ (I.3)) cho Sở Tài chính" in note["text"]
    assert "không cần báo cáo nhiệm vụ này nữa" in note["text"]
    assert not seeded.emulator.buttons(note)
    # Asked again (the button pressed twice, say): nothing changes, nobody is told twice.
    sent = len(seeded.emulator.sent)
    await seeded.send(ADMIN, ADMIN, f"/giaolai #{old.id} Sở Tài chính")
    assert "không có gì thay đổi" in seeded.last_text(ADMIN)
    assert len(seeded.emulator.sent) == sent + 1
    # The old code names a row no longer in use: moving it again elsewhere is refused.
    await seeded.send(ADMIN, ADMIN, f"/giaolai #{old.id} Sở Xây dựng")
    assert "không còn dùng được" in seeded.last_text(ADMIN)
    assert len(await seeded.rows(Assignment, Assignment.task_id == task.id)) == 2
    revisions = await seeded.rows(TaskRevision, TaskRevision.task_id == task.id)
    assert [(r.field_name, r.old_value, r.new_value) for r in revisions] == [
        ("agency", old_agency.name, "Sở Tài chính")
    ]
    # The reminders follow the task: the new agency's digest names it, the old one's never.
    before, before_a = len(seeded.bot_messages(GROUP_B)), len(seeded.bot_messages(GROUP_A))
    seeded.clock.set(datetime(2020, 1, 10, 8, 0, tzinfo=TZ))  # 14 days on
    await sweep_and_send(seeded.app)
    digests = seeded.bot_messages(GROUP_A)[before_a:]
    assert any(f"#{new.id}" in m.get("text", "") for m in digests)
    assert not any(f"#{old.id}" in m.get("text", "") for m in seeded.bot_messages(GROUP_B)[before:])


async def test_cancel_asks_first_and_keep_changes_nothing(seeded: Harness) -> None:
    task = (await seeded.rows(Task, Task.code == "I.3"))[0]
    assignment = (await seeded.rows(Assignment, Assignment.task_id == task.id))[0]
    await seeded.send(ADMIN, ADMIN, f"/huynv #{assignment.id}")
    question = seeded.last(ADMIN)
    assert f"Hủy nhiệm vụ #{assignment.id} (I.3)" in question["text"]
    assert not (await seeded.rows(Task, Task.id == task.id))[0].cancelled  # nothing yet
    await seeded.press(ADMIN, ADMIN, question["message_id"], seeded.button(question, "Giữ"))
    assert "Đã giữ nguyên" in seeded.last_text(ADMIN)
    assert not (await seeded.rows(Task, Task.id == task.id))[0].cancelled
    # Asked again, and confirmed this time; a focal point's press would be refused.
    await seeded.send(ADMIN, ADMIN, f"/huynv #{assignment.id}")
    question = seeded.last(ADMIN)
    await seeded.press(FOCAL_B, ADMIN, question["message_id"], f"xcan:{assignment.id}")
    assert not (await seeded.rows(Task, Task.id == task.id))[0].cancelled
    await seeded.press(ADMIN, ADMIN, question["message_id"], seeded.button(question, "🚫"))
    assert "Đã hủy nhiệm vụ" in seeded.last_text(ADMIN)
    assert (await seeded.rows(Task, Task.id == task.id))[0].cancelled
    # A cancelled task cannot be cancelled again, nor can a task that does not exist.
    await seeded.send(ADMIN, ADMIN, f"/huynv #{assignment.id}")
    assert "Không tìm thấy" in seeded.last_text(ADMIN)
    await seeded.send(ADMIN, ADMIN, "/huynv #99999")
    assert "Không tìm thấy" in seeded.last_text(ADMIN)


async def test_restricted_text_never_shown_in_chats(seeded: Harness) -> None:
    await _bind(seeded, "Sở Tài chính", FOCAL_A, GROUP_A)
    task = (await seeded.rows(Task, Task.code == "I.6.1"))[0]
    assignment = (await seeded.rows(Assignment, Assignment.task_id == task.id))[0]
    await seeded.send(ADMIN, ADMIN, f"/mat #{assignment.id}")
    await seeded.send(FOCAL_A, GROUP_A, "/nhiemvu")
    listing = seeded.last_text(GROUP_A)
    assert "nhiệm vụ mật" in listing
    assert "giải ngân vốn nông thôn mới năm 2019" not in listing


async def test_admins_can_add_admins(seeded: Harness) -> None:
    await seeded.send(FOCAL_B, FOCAL_B, f"/themadmin {STRANGER}")
    assert await seeded.rows(Person, Person.is_admin.is_(True)) == []
    await seeded.send(ADMIN, ADMIN, f"/themadmin {STRANGER}")
    assert "Đã thêm" in seeded.last_text(ADMIN)
    await seeded.send(STRANGER, STRANGER, "/moi Sở Tài chính")
    assert "Mã mời cho" in seeded.last_text(STRANGER)
    await seeded.send(ADMIN, ADMIN, f"/boadmin {STRANGER}")
    await seeded.send(STRANGER, STRANGER, "/moi Sở Tài chính")
    assert "Mã mời cho" not in seeded.last_text(STRANGER)
