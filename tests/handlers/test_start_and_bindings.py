"""/start, invites, registration of people, groups and forum topics, the office chat."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import true

from storage.models import AgencyMember, ChatBinding, InviteCode
from tests.harness import (
    ADMIN,
    FOCAL_A,
    FOCAL_B,
    FORUM,
    GROUP_A,
    OFFICE_GROUP,
    STRANGER,
    UNKNOWN_GROUP,
    Harness,
)


async def _invite(bot: Harness, agency: str) -> str:
    await bot.send(ADMIN, ADMIN, f"/moi {agency}")
    text = bot.last_text(ADMIN)
    assert "Mã mời cho" in text, text
    return text.split("/dangky ")[1].strip()


async def test_start_greets_in_vietnamese(bot: Harness) -> None:
    await bot.send(STRANGER, STRANGER, "/start")
    assert "chưa được gắn với đơn vị nào" in bot.last_text(STRANGER)
    await bot.send(ADMIN, ADMIN, "/start")
    assert "dondoc" in bot.last_text(ADMIN)
    assert "Văn phòng Điều phối" in bot.last_text(ADMIN)


async def test_invite_is_admin_only(seeded: Harness) -> None:
    await seeded.send(FOCAL_A, FOCAL_A, "/moi Sở Tài chính")
    assert "chưa được gắn" in seeded.last_text(FOCAL_A)
    assert await seeded.rows(InviteCode, true()) == []


async def test_invite_then_deep_link_binds_the_person(seeded: Harness) -> None:
    code = await _invite(seeded, "Sở Tài chính")
    assert f"https://t.me/dondoc_bot?start={code}" in seeded.last_text(ADMIN)
    assert f"https://t.me/dondoc_bot?startgroup={code}" in seeded.last_text(ADMIN)
    await seeded.send(FOCAL_A, FOCAL_A, f"/start {code}")
    assert "đầu mối của Sở Tài chính" in seeded.last_text(FOCAL_A)
    members = await seeded.rows(AgencyMember, true())
    assert len(members) == 1
    # Single use: a second person with the same code is refused and nothing changes.
    await seeded.send(FOCAL_B, FOCAL_B, f"/start {code}")
    assert "đã được sử dụng" in seeded.last_text(FOCAL_B)
    assert len(await seeded.rows(AgencyMember, true())) == 1


async def test_register_in_group_binds_the_group(seeded: Harness) -> None:
    code = await _invite(seeded, "Sở Tài chính")
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    assert "Nhóm này đã được gắn với Sở Tài chính" in seeded.last_text(GROUP_A)
    bindings = await seeded.rows(ChatBinding, ChatBinding.chat_id == GROUP_A)
    assert [(b.thread_id, b.active, b.is_office) for b in bindings] == [(0, True, False)]


async def test_wrong_and_expired_codes(seeded: Harness) -> None:
    await seeded.send(FOCAL_A, GROUP_A, "/dangky KHONGCOMA")
    assert "không đúng" in seeded.last_text(GROUP_A)
    code = await _invite(seeded, "Sở Tài chính")
    seeded.clock.advance(timedelta(hours=49))
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    assert "hết hạn" in seeded.last_text(GROUP_A)
    assert await seeded.rows(ChatBinding, true()) == []


async def test_guessing_codes_is_rate_limited(seeded: Harness) -> None:
    for attempt in range(5):
        await seeded.send(STRANGER, STRANGER, f"/dangky WRONG{attempt}")
    code = await _invite(seeded, "Sở Tài chính")
    await seeded.send(STRANGER, STRANGER, f"/dangky {code}")
    assert "quá nhiều lần" in seeded.last_text(STRANGER)
    assert await seeded.rows(AgencyMember, true()) == []


async def test_forum_topics_bind_separately(seeded: Harness) -> None:
    topic_a = seeded.emulator.create_topic(FORUM, "Sở Tài chính", by_user_id=ADMIN)
    topic_b = seeded.emulator.create_topic(FORUM, "Sở Công Thương", by_user_id=ADMIN)
    await seeded.flush()
    code_a = await _invite(seeded, "Sở Tài chính")
    code_b = await _invite(seeded, "Sở Công Thương")
    await seeded.send(FOCAL_A, FORUM, f"/dangky {code_a}", thread=topic_a)
    await seeded.send(FOCAL_B, FORUM, f"/dangky {code_b}", thread=topic_b)
    bindings = {
        b.thread_id: b.agency_id
        for b in await seeded.rows(ChatBinding, ChatBinding.chat_id == FORUM)
    }
    assert set(bindings) == {topic_a, topic_b}
    assert bindings[topic_a] != bindings[topic_b]
    last = seeded.last(FORUM)
    assert last.get("message_thread_id") == topic_b


async def test_office_group_and_binding_list(seeded: Harness) -> None:
    await seeded.send(FOCAL_A, OFFICE_GROUP, "/vanphong")
    assert await seeded.rows(ChatBinding, true()) == []
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    assert "nhóm Văn phòng Điều phối" in seeded.last_text(OFFICE_GROUP)
    await seeded.send(ADMIN, ADMIN, "/ganket")
    overview = seeded.last(ADMIN)  # who is on board; the bound groups behind 📋
    assert "Gắn nhóm Telegram: 0/" in overview["text"]
    await seeded.press(ADMIN, ADMIN, overview["message_id"], seeded.button(overview, "📋"))
    listing = seeded.last(ADMIN)
    assert "Văn phòng Điều phối" in listing["text"]
    await seeded.press(ADMIN, ADMIN, listing["message_id"], seeded.button(listing, "🗑"))
    assert "Đã gỡ" in seeded.last_text(ADMIN)
    assert [b.active for b in await seeded.rows(ChatBinding, true())] == [False]


async def test_unknown_group_stays_quiet_for_strangers(bot: Harness) -> None:
    before = len(bot.bot_messages(UNKNOWN_GROUP))
    await bot.send(STRANGER, UNKNOWN_GROUP, "/nhiemvu")
    await bot.send(STRANGER, UNKNOWN_GROUP, "xin chào")
    assert len(bot.bot_messages(UNKNOWN_GROUP)) == before


async def test_turning_the_client_language_off_clears_the_english_menus(bot: Harness) -> None:
    """An English menu set while FOLLOW_TELEGRAM_LANGUAGE was on must not outlive it."""
    from dataclasses import replace

    from handlers.menu import refresh_menus

    ctx = bot.services.ctx
    english = replace(ctx.settings, follow_telegram_language=True)
    object.__setattr__(ctx, "settings", english)
    await refresh_menus(bot.app, force=True)
    admin_scope = {"type": "chat", "chat_id": ADMIN}
    assert bot.emulator.get_commands(language_code="en")
    assert bot.emulator.get_commands(admin_scope, language_code="en")
    object.__setattr__(ctx, "settings", replace(english, follow_telegram_language=False))
    await refresh_menus(bot.app, force=True)
    assert bot.emulator.get_commands(language_code="en") == []
    assert bot.emulator.get_commands(admin_scope, language_code="en") == []
    assert bot.emulator.get_commands()  # the office's language stays


async def test_command_menus_are_set_in_the_offices_language(bot: Harness) -> None:
    from handlers.menu import menus_ready

    await menus_ready(bot.app)  # set at start-up, in the background
    default_vi = bot.emulator.get_commands()  # strangers: how to register, and help
    assert [(c["command"], c["description"]) for c in default_vi] == [
        ("dangky", "Gắn nhóm với đơn vị bằng mã mời"),
        ("trogiup", "Hướng dẫn sử dụng"),
    ]
    admin = bot.emulator.get_commands({"type": "chat", "chat_id": ADMIN})
    assert "nhapvanban" in [c["command"] for c in admin]
