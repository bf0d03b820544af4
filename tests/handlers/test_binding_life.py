"""Bindings in real life (issue 17, item 2), through the emulator on SQLite and PostgreSQL:
the office's chat refuses an agency's code and keeps its flag; another agency's code in a
bound group waits for the office's button; a group upgraded to a supergroup keeps its
binding (from the service messages and from a send's ChatMigrated alike); a group the bot
can no longer reach (kicked, deleted) is unbound and the office is told. Every step leaves a
row in the append-only binding_events."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import true

from storage.models import BindingEvent, ChatBinding, InviteCode
from tests.harness import (
    ADMIN,
    FOCAL_A,
    FOCAL_B,
    GROUP_A,
    OFFICE_GROUP,
    STRANGER,
    UNKNOWN_GROUP,
    Harness,
)

SUPERGROUP = -1004242
REMINDER_DAY = timedelta(days=4)  # 31/12/2019 08:00: Sở Tài chính has reminders due


async def _invite(bot: Harness, agency: str) -> str:
    await bot.send(ADMIN, ADMIN, f"/moi {agency}")
    return bot.last_text(ADMIN).split("/dangky ")[1].strip()


async def _bind(bot: Harness, user: int, chat: int, agency: str) -> None:
    await bot.send(user, chat, f"/dangky {await _invite(bot, agency)}")
    assert f"gắn với {agency}" in bot.last_text(chat), bot.last_text(chat)


async def _events(bot: Harness) -> list[str]:
    rows = await bot.rows(BindingEvent, true())
    return [e.kind for e in sorted(rows, key=lambda e: e.id or 0)]


async def _binding(bot: Harness, chat: int) -> list[tuple[int | None, bool, bool]]:
    rows = await bot.rows(ChatBinding, ChatBinding.chat_id == chat)
    return [(b.agency_id, b.is_office, b.active) for b in rows]


async def test_the_office_chat_refuses_an_agency_code_and_keeps_its_flag(seeded: Harness) -> None:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    code = await _invite(seeded, "Sở Tài chính")
    await seeded.send(FOCAL_A, OFFICE_GROUP, f"/dangky {code}")
    refusal = seeded.last_text(OFFICE_GROUP)
    assert "nhóm Văn phòng Điều phối" in refusal and "Sở Tài chính" in refusal
    assert "/vanphong" in refusal and "/ganket" in refusal  # how to move the office
    assert await _binding(seeded, OFFICE_GROUP) == [(None, True, True)]
    assert [i.used_at for i in await seeded.rows(InviteCode, true())] == [None]
    # The code still works where it belongs.
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    assert "gắn với Sở Tài chính" in seeded.last_text(GROUP_A)
    assert await _events(seeded) == ["office_bound", "refused_office", "bound"]


async def test_an_agency_group_cannot_become_the_office_silently(seeded: Harness) -> None:
    await _bind(seeded, FOCAL_A, GROUP_A, "Sở Tài chính")
    await seeded.send(ADMIN, GROUP_A, "/vanphong")
    assert "đang gắn với Sở Tài chính" in seeded.last_text(GROUP_A)
    [(agency, office, active)] = await _binding(seeded, GROUP_A)
    assert agency is not None and not office and active


async def test_another_agencys_code_waits_for_the_office(seeded: Harness) -> None:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await _bind(seeded, FOCAL_A, GROUP_A, "Sở Tài chính")
    [(before, _, _)] = await _binding(seeded, GROUP_A)
    await seeded.send(FOCAL_B, GROUP_A, f"/dangky {await _invite(seeded, 'Sở Công Thương')}")
    waiting = seeded.last_text(GROUP_A)
    assert "đang gắn với Sở Tài chính" in waiting and "Sở Công Thương" in waiting
    assert await _binding(seeded, GROUP_A) == [(before, False, True)]  # nothing moved yet
    request = seeded.last(OFFICE_GROUP)
    assert "Đề nghị chuyển nhóm" in request["text"] and "Sở Công Thương" in request["text"]
    agree = seeded.button(request, "✅")
    # Only the office decides: a focal point's press changes nothing.
    await seeded.press(FOCAL_B, OFFICE_GROUP, request["message_id"], agree)
    assert await _binding(seeded, GROUP_A) == [(before, False, True)]
    await seeded.press(ADMIN, OFFICE_GROUP, request["message_id"], agree)
    [(after, _, active)] = await _binding(seeded, GROUP_A)
    assert after != before and active
    assert "nay gắn với Sở Công Thương" in seeded.last_text(GROUP_A)
    assert "Đã chuyển nhóm" in seeded.last_text(OFFICE_GROUP)
    # Pressed again (another admin, a second tap): decided once.
    await seeded.press(ADMIN, OFFICE_GROUP, request["message_id"], agree, strict=False)
    assert "đã được xử lý" in seeded.answers()[-1]
    kinds = await _events(seeded)
    assert kinds[-2:] == ["rebind_requested", "rebind_approved"]


async def test_the_office_may_keep_a_group_with_its_agency(seeded: Harness) -> None:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await _bind(seeded, FOCAL_A, GROUP_A, "Sở Tài chính")
    [(before, _, _)] = await _binding(seeded, GROUP_A)
    await seeded.send(STRANGER, GROUP_A, f"/dangky {await _invite(seeded, 'Sở Công Thương')}")
    request = seeded.last(OFFICE_GROUP)
    await seeded.press(ADMIN, OFFICE_GROUP, request["message_id"], seeded.button(request, "❌"))
    assert await _binding(seeded, GROUP_A) == [(before, False, True)]
    assert "vẫn gắn với Sở Tài chính" in seeded.last_text(GROUP_A)
    assert (await _events(seeded))[-1] == "rebind_refused"


async def test_a_group_upgraded_to_a_supergroup_keeps_its_binding(seeded: Harness) -> None:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await _bind(seeded, FOCAL_A, UNKNOWN_GROUP, "Sở Tài chính")
    seeded.emulator.migrate_group(UNKNOWN_GROUP, SUPERGROUP)
    await seeded.flush()  # both service messages: the second finds nothing left to move
    assert await _binding(seeded, UNKNOWN_GROUP) == []
    [(agency, _, active)] = await _binding(seeded, SUPERGROUP)
    assert agency is not None and active
    told = [m for m in seeded.bot_messages(OFFICE_GROUP) if "siêu nhóm" in m["text"]]
    assert len(told) == 1 and "Sở Tài chính" in told[0]["text"]
    await seeded.send(FOCAL_A, SUPERGROUP, "/nhiemvu")
    assert "không có quyền" not in seeded.last_text(SUPERGROUP)
    assert "Sở Tài chính" in seeded.last_text(SUPERGROUP)
    assert (await _events(seeded))[-1] == "migrated"


async def test_a_send_meeting_chat_migrated_moves_the_binding_and_is_sent_there(
    seeded: Harness,
) -> None:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await _bind(seeded, FOCAL_A, UNKNOWN_GROUP, "Sở Tài chính")
    seeded.emulator.migrate_group(UNKNOWN_GROUP, SUPERGROUP)
    seeded.emulator.take_updates()  # the service messages never reached the bot
    seeded.clock.advance(REMINDER_DAY)
    await seeded.send(ADMIN, ADMIN, "/nhacngay")  # the reminders go to the old id first
    [(agency, _, active)] = await _binding(seeded, SUPERGROUP)
    assert agency is not None and active
    assert any("Nhắc việc" in m.get("text", "") for m in seeded.bot_messages(SUPERGROUP))
    assert any("siêu nhóm" in m.get("text", "") for m in seeded.bot_messages(OFFICE_GROUP))


async def test_a_deleted_group_is_unbound_and_the_office_told(seeded: Harness) -> None:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await _bind(seeded, FOCAL_A, GROUP_A, "Sở Tài chính")
    seeded.emulator.faults.forbidden(
        "sendMessage", chat_id=GROUP_A, times=5, description="Forbidden: the group chat was deleted"
    )
    seeded.clock.advance(REMINDER_DAY)
    await seeded.send(ADMIN, ADMIN, "/nhacngay")
    [(_, _, active)] = await _binding(seeded, GROUP_A)
    assert not active
    assert any("Sở Tài chính" in m["text"] for m in seeded.bot_messages(OFFICE_GROUP)[-2:])
    assert "gone" in await _events(seeded)


async def test_the_bot_removed_unbinds_and_tells_the_office(seeded: Harness) -> None:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await _bind(seeded, FOCAL_A, GROUP_A, "Sở Tài chính")
    seeded.emulator.bot_removed_from_group(GROUP_A, FOCAL_A)
    await seeded.flush()
    assert [a for _, _, a in await _binding(seeded, GROUP_A)] == [False]
    assert "Sở Tài chính" in seeded.last_text(OFFICE_GROUP)
    assert (await _events(seeded))[-1] == "gone"
