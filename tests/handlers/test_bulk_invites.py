"""Codes for many agencies at once (issue 21): `/moi tatca`, `/moi <số văn bản>`, the button
under a saved notice; single use, `INVITE_TTL_DAYS`, a new code revokes the one before."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import true

from bot.domain.callback_data import Act, encode
from bot.domain.notice import parse_notice
from bot.messaging.layout import fits
from storage.models import Agency, ChatBinding, InviteCode
from tests.harness import (
    ADMIN,
    FOCAL_A,
    FOCAL_B,
    GROUP_A,
    GROUP_B,
    SEED,
    TZ,
    Harness,
    running_bot,
)
from tests.reports.kit_check import page_texts

CODE = re.compile(r"[A-HJ-NP-Z2-9]{10}")


def _documents(bot: Harness, chat: int) -> list[str]:
    return [
        r.filename for r in bot.emulator.sent if r.method == "sendDocument" and r.chat_id == chat
    ]


def _answer(bot: Harness, chat: int) -> str:
    """The last text the bot sent there (the kit's files come after it, with captions)."""
    return [m["text"] for m in bot.bot_messages(chat) if m.get("text")][-1]


async def _codes_by_agency(bot: Harness, *, open_only: bool = True) -> dict[str, str]:
    agencies = {a.id: a.name for a in await bot.rows(Agency, true())}
    invites = await bot.rows(InviteCode, true())
    return {
        agencies[i.agency_id]: i.code
        for i in sorted(invites, key=lambda i: i.id)
        if not open_only or (i.revoked_at is None and i.used_at is None)
    }


async def test_moi_tatca_issues_one_code_per_agency_with_the_kit(seeded: Harness) -> None:
    await seeded.send(ADMIN, ADMIN, "/moi tatca")
    text = _answer(seeded, ADMIN)
    codes = await _codes_by_agency(seeded)
    assert len(codes) >= 10  # the seed's agencies with tasks
    assert f"Đã cấp {len(codes)} mã mời" in text
    expected_expiry = (seeded.clock.now() + timedelta(days=14)).astimezone(TZ)
    assert f"Hiệu lực đến {expected_expiry:%d/%m/%Y %H:%M}" in text
    # As many agencies as one screen holds, by name, each with its code; the rest are counted.
    assert f"1. Báo Hà Tĩnh: {codes['Báo Hà Tĩnh']}" in text
    assert "đơn vị khác (xem tệp đính kèm)" in text
    assert fits(text)
    # The kit follows: PDF to print, Word to edit, Excel to merge.
    names = _documents(seeded, ADMIN)
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["docx", "pdf", "xlsx"]
    assert all(n.startswith("bo-ma-moi-tat-ca-") for n in names)
    invites = await seeded.rows(InviteCode, true())
    assert all(i.expires_at == seeded.clock.now() + timedelta(days=14) for i in invites)
    assert {i.created_by for i in invites} == {ADMIN}


async def test_a_new_code_revokes_the_previous_one(seeded: Harness) -> None:
    await seeded.send(ADMIN, ADMIN, "/moi tatca")
    old = (await _codes_by_agency(seeded))["Sở Tài chính"]
    await seeded.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    new = (await _codes_by_agency(seeded))["Sở Tài chính"]
    assert new != old and new in seeded.last_text(ADMIN)

    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {old}")
    assert "đã được thay bằng mã cấp sau" in seeded.last_text(GROUP_A)
    assert await seeded.rows(ChatBinding, ChatBinding.chat_id == GROUP_A) == []
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {new}")
    assert "Nhóm này đã được gắn với Sở Tài chính" in seeded.last_text(GROUP_A)
    # Single use: the same code in another group binds nothing.
    await seeded.send(FOCAL_B, GROUP_B, f"/dangky {new}")
    assert "đã được sử dụng" in seeded.last_text(GROUP_B)


async def test_moi_notice_skips_agencies_already_bound(seeded: Harness) -> None:
    await seeded.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    (code,) = set(CODE.findall(seeded.last_text(ADMIN)))
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    before = len(await seeded.rows(InviteCode, true()))

    await seeded.send(ADMIN, ADMIN, "/moi 22/TB-BCD")  # typed loosely
    text = _answer(seeded, ADMIN)
    assert "cho các đơn vị của văn bản 22-TB/BCĐ chưa gắn nhóm" in text
    assert "1 đơn vị đã gắn nhóm, không cấp lại." in text
    issued = await seeded.rows(InviteCode, InviteCode.created_at == seeded.clock.now())
    agencies = {a.id: a.name for a in await seeded.rows(Agency, true())}
    assert "Sở Tài chính" not in {agencies[i.agency_id] for i in issued[1:]}
    assert len(await seeded.rows(InviteCode, true())) > before
    assert any(n.startswith("bo-ma-moi-22-tb-bcd-") for n in _documents(seeded, ADMIN))


async def test_an_unknown_notice_or_nothing_left_issues_nothing(seeded: Harness) -> None:
    await seeded.send(ADMIN, ADMIN, "/moi 99-TB/XYZ")
    assert "Không có văn bản số «99-TB/XYZ»" in seeded.last_text(ADMIN)
    assert "22-TB/BCĐ" in seeded.last_text(ADMIN)
    assert await seeded.rows(InviteCode, true()) == []
    assert _documents(seeded, ADMIN) == []


async def test_nothing_to_invite_before_a_notice(bot: Harness) -> None:
    await bot.send(ADMIN, ADMIN, "/moi tatca")
    assert "Chưa có đơn vị nào được giao nhiệm vụ" in bot.last_text(ADMIN)
    assert await bot.rows(InviteCode, true()) == []


async def test_codes_expire_after_invite_ttl_days(seeded: Harness) -> None:
    await seeded.send(ADMIN, ADMIN, "/moi tatca")
    code = (await _codes_by_agency(seeded))["Sở Tài chính"]
    seeded.clock.advance(timedelta(days=14, minutes=1))
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    assert "hết hạn" in seeded.last_text(GROUP_A)
    assert await seeded.rows(ChatBinding, ChatBinding.chat_id == GROUP_A) == []


async def test_the_button_under_a_saved_notice_issues_the_kit(bot: Harness) -> None:
    bot.emulator.user_sends_document(ADMIN, ADMIN, "22-TB-BCD.txt", SEED.read_bytes())
    await bot.flush()
    preview = bot.last(ADMIN)
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "💾"))
    saved = bot.last(ADMIN)
    assert "Đã lưu Thông báo số 22-TB/BCĐ" in saved["text"]
    assert "đơn vị chưa gắn nhóm: bấm nút dưới để cấp mã mời" in saved["text"]
    data = bot.button(saved, "🎫 Cấp mã mời cho ")
    await bot.press(ADMIN, ADMIN, saved["message_id"], data)
    codes = await _codes_by_agency(bot)
    assert len(codes) >= 10
    assert f"Đã cấp {len(codes)} mã mời" in _answer(bot, ADMIN)
    assert len(_documents(bot, ADMIN)) == 3


async def test_only_the_office_issues_codes(seeded: Harness) -> None:
    await seeded.send(FOCAL_A, FOCAL_A, "/moi tatca")
    notice_id = 1
    await seeded.press(FOCAL_A, FOCAL_A, 1, encode(Act.INVN, notice_id), strict=False)
    assert await seeded.rows(InviteCode, true()) == []


async def test_the_kit_carries_the_office_letterhead(sqlite_url: str) -> None:
    """The kit's header is the office's letterhead from its settings (ORG_*), dated today."""
    async with running_bot(
        sqlite_url,
        org_name="Ban Chỉ đạo các CTMTQG tỉnh",
        org_short="Văn phòng Điều phối NTM",
        org_place="Hà Tĩnh",
    ) as bot:
        text = SEED.read_text(encoding="utf-8")
        await bot.services.notices.import_notice(
            parse_notice(text), source_text=text, by_user_id=None
        )
        await bot.send(ADMIN, ADMIN, "/moi tatca")
        (pdf,) = [
            r.data
            for r in bot.emulator.sent
            if r.method == "sendDocument" and r.filename.endswith(".pdf")
        ]
    pages = page_texts(pdf)
    assert all("VĂN PHÒNG ĐIỀU PHỐI NTM" in " ".join(p.split()) for p in pages[-3:])
    assert "BAN CHỈ ĐẠO CÁC CTMTQG TỈNH" in " ".join(pages[-1].split())
    assert "Hà Tĩnh, ngày 27 tháng 12 năm 2019" in " ".join(pages[-1].split())
