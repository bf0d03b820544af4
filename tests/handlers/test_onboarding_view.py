"""/ganket's overview (issue 21): bound, invited but not bound (with the invite's age), never
invited; 🎫 re-issues codes (and the kit) for every agency not on board; pages in place."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import true

from storage.models import InviteCode
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, Harness


async def _invite(bot: Harness, agency: str) -> str:
    await bot.send(ADMIN, ADMIN, f"/moi {agency}")
    return bot.last_text(ADMIN).split("/dangky ")[1].strip()


async def test_three_states_and_reissue_for_all_not_on_board(seeded: Harness) -> None:
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {await _invite(seeded, 'Sở Tài chính')}")
    old = await _invite(seeded, "Sở Công Thương")
    seeded.clock.advance(timedelta(days=1))
    await _invite(seeded, "Sở Xây dựng")
    seeded.clock.advance(timedelta(days=1, hours=1))
    total = len({i.agency_id for i in await seeded.rows(InviteCode, true())})
    assert total == 3

    await seeded.send(ADMIN, OFFICE_GROUP, "/ganket")
    overview = seeded.last(OFFICE_GROUP)
    text = overview["text"]
    assert "Gắn nhóm Telegram: 1/" in text
    lines = text.splitlines()
    invited = lines.index("⏳ Đã mời, chưa gắn nhóm (2):")
    # Oldest invite first, with its age; a 48-hour code two days old has expired.
    assert lines[invited + 1] == "1. Sở Công Thương — mời 2 ngày trước, mã hết hạn"
    assert lines[invited + 2] == "2. Sở Xây dựng — mời 1 ngày trước"
    assert lines[invited + 3].startswith("✉️ Chưa cấp mã mời (")
    assert "✅ Đã gắn nhóm: 1 đơn vị." in text

    # Page 2, in place.
    await seeded.press(ADMIN, OFFICE_GROUP, overview["message_id"], seeded.button(overview, "Sau"))
    page2 = seeded.last(OFFICE_GROUP)
    assert page2["message_id"] == overview["message_id"] and "Trang 2/" in page2["text"]

    # 🎫: a new code for every agency not on board (Sở Tài chính is), with the kit.
    label = next(b for b, _ in seeded.emulator.buttons(page2) if b.startswith("🎫"))
    unbound = int(label.split(" cho ")[1].split()[0])
    await seeded.press(ADMIN, OFFICE_GROUP, page2["message_id"], seeded.button(page2, "🎫"))
    fresh = await seeded.rows(InviteCode, InviteCode.created_at == seeded.clock.now())
    assert len(fresh) == unbound
    [before] = await seeded.rows(InviteCode, InviteCode.code == old)
    assert before.revoked_at is None  # it had expired: nothing to revoke
    documents = [r for r in seeded.emulator.sent if r.method == "sendDocument"]
    assert {r.chat_id for r in documents} == {OFFICE_GROUP} and len(documents) == 3


async def test_everyone_on_board_and_only_the_office_sees_it(seeded: Harness) -> None:
    await seeded.send(FOCAL_A, FOCAL_A, "/ganket")
    assert "Gắn nhóm Telegram" not in seeded.last_text(FOCAL_A)
    await seeded.send(ADMIN, ADMIN, "/moi tatca")
    codes = await seeded.rows(InviteCode, true())
    for n, invite in enumerate(codes):
        group = -1006000 - n
        seeded.emulator.bot_added_to_group(group, FOCAL_A, chat_type="supergroup", title=f"N{n}")
        await seeded.send(FOCAL_A, group, f"/dangky {invite.code}")
    await seeded.send(ADMIN, ADMIN, "/ganket")
    text = seeded.last_text(ADMIN)
    assert f"Gắn nhóm Telegram: {len(codes)}/{len(codes)} đơn vị" in text
    assert f"Mọi đơn vị có nhiệm vụ ({len(codes)}) đã gắn nhóm" in text
    assert [b for b, _ in seeded.emulator.buttons(seeded.last(ADMIN))] == [
        f"📋 Các nhóm đã gắn ({len(codes)})"
    ]


async def test_a_new_code_for_one_agency_picked_under_ganket(seeded: Harness) -> None:
    old = await _invite(seeded, "Sở Xây dựng")
    seeded.clock.advance(timedelta(hours=1))
    await seeded.send(ADMIN, OFFICE_GROUP, "/ganket")
    overview = seeded.last(OFFICE_GROUP)
    await seeded.press(
        ADMIN, OFFICE_GROUP, overview["message_id"], seeded.button(overview, "🎫 Cấp mã cho một")
    )
    picker = seeded.last(OFFICE_GROUP)
    assert picker["message_id"] == overview["message_id"]
    assert picker["text"].startswith("Chọn đơn vị cần cấp mã mới")
    labels = [label for label, _ in seeded.emulator.buttons(picker)]
    assert labels[0] == "🎫 Sở Xây dựng" and 1 < len(labels) <= 6  # the page's agencies
    await seeded.press(
        ADMIN, OFFICE_GROUP, picker["message_id"], seeded.button(picker, "🎫 Sở Xây dựng")
    )
    [previous] = await seeded.rows(InviteCode, InviteCode.code == old)
    assert previous.revoked_at == seeded.clock.now()
    [fresh] = await seeded.rows(InviteCode, InviteCode.created_at == seeded.clock.now())
    assert fresh.expires_at == seeded.clock.now() + timedelta(days=14)
    answer = [m["text"] for m in seeded.bot_messages(OFFICE_GROUP) if m.get("text")][-1]
    assert "Đã cấp 1 mã mời cho Sở Xây dựng" in answer and fresh.code in answer
    documents = [r for r in seeded.emulator.sent if r.method == "sendDocument"]
    assert len(documents) == 3
