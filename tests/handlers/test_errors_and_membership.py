"""One failing update never stops the bot; removal from a group ends its binding."""

from __future__ import annotations

import logging

import pytest

from storage.models import ChatBinding
from tests.harness import (
    ADMIN,
    FOCAL_A,
    GROUP_A,
    OFFICE_GROUP,
    STRANGER,
    Harness,
    running_bot,
)


async def test_failed_send_is_logged_apologised_and_reported(
    seeded: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    seeded.emulator.faults.server_error("sendMessage", times=1)
    with caplog.at_level(logging.ERROR):
        await seeded.send(ADMIN, ADMIN, "/nhiemvu")
    assert "Xin lỗi, đã có lỗi" in seeded.last_text(ADMIN)
    assert "Lỗi khi xử lý" in seeded.last_text(OFFICE_GROUP)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and f"user {ADMIN}" in errors[0].getMessage()
    # The bot goes on: the next command works.
    await seeded.send(ADMIN, ADMIN, "/nhiemvu")
    assert "Nhiệm vụ của các đơn vị" in seeded.last_text(ADMIN)


async def test_removed_from_group_ends_the_binding(seeded: Harness) -> None:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await seeded.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    code = seeded.last_text(ADMIN).split("/dangky ")[1].strip()
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    seeded.emulator.bot_removed_from_group(GROUP_A, FOCAL_A)
    await seeded.flush()
    bindings = await seeded.rows(ChatBinding, ChatBinding.chat_id == GROUP_A)
    assert [b.active for b in bindings] == [False]
    assert "Sở Tài chính" in seeded.last_text(OFFICE_GROUP)


async def test_reply_to_someone_elses_message_is_ignored_in_groups(seeded: Harness) -> None:
    await seeded.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    code = seeded.last_text(ADMIN).split("/dangky ")[1].strip()
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    before = len(seeded.bot_messages(GROUP_A))
    other = await seeded.send(STRANGER, GROUP_A, "Chào cả nhà")
    await seeded.send(FOCAL_A, GROUP_A, "đã hoàn thành", reply_to=other["message_id"])
    assert len(seeded.bot_messages(GROUP_A)) == before


async def test_added_to_unknown_group_explains_once(bot: Harness) -> None:
    chat = -1007777
    bot.emulator.bot_added_to_group(chat, ADMIN, chat_type="supergroup", title="Nhóm mới")
    await bot.flush()
    assert "chưa được gắn với đơn vị nào" in bot.last_text(chat)
    before = len(bot.bot_messages(chat))
    await bot.send(STRANGER, chat, "chào bot")
    await bot.send(STRANGER, chat, "/nhiemvu")
    assert len(bot.bot_messages(chat)) == before


async def test_an_english_telegram_app_gets_vietnamese_by_default(bot: Harness) -> None:
    """Telegram has no Vietnamese interface: most officials' apps say "en". Unless the office
    turns FOLLOW_TELEGRAM_LANGUAGE on, they read the office's language like everyone else."""
    bot.emulator.add_user(4242, "Lan", language_code="en")
    bot.emulator.add_chat(4242, "private")
    await bot.send(4242, 4242, "/start")
    assert "chưa được gắn với đơn vị nào" in bot.last_text(4242)
    await bot.send(4242, 4242, "/nosuchcommand")
    assert "You are not" not in bot.last_text(4242)
    assert bot.emulator.get_commands(language_code="en") == []  # one menu for all


async def test_english_clients_get_english_when_the_office_asks_for_it(
    database_url: str,
) -> None:
    async with running_bot(database_url, follow_telegram_language=True) as bot:
        bot.emulator.add_user(4242, "Alice", language_code="en")
        bot.emulator.add_chat(4242, "private")
        await bot.send(4242, 4242, "/start")
        assert "You are not bound to any agency yet" in bot.last_text(4242)
        await bot.send(4242, 4242, "/nosuchcommand")
        assert "There is no command /nosuchcommand" in bot.last_text(4242)
        admin_scope = {"type": "chat", "chat_id": ADMIN}
        english = bot.emulator.get_commands(admin_scope, language_code="en")
        assert ("nhiemvu", "Your agency's tasks") in [
            (c["command"], c["description"]) for c in english
        ]
        assert bot.emulator.menu_for(4242, 4242, "en") == ["dangky", "trogiup"]
        # A Vietnamese client still reads Vietnamese.
        await bot.send(STRANGER, STRANGER, "/start")
        assert "chưa được gắn với đơn vị nào" in bot.last_text(STRANGER)


async def test_help_shows_the_office_commands_to_the_office_only(bot: Harness) -> None:
    await bot.send(STRANGER, STRANGER, "/trogiup")
    stranger = bot.last_text(STRANGER)
    assert "/dangky" in stranger and "/huynv" not in stranger and "/capnhat" not in stranger
    await bot.send(ADMIN, ADMIN, "/trogiup")
    office = bot.last(ADMIN)
    await bot.press(ADMIN, ADMIN, office["message_id"], bot.button(office, "Xem thêm"))
    both = office["text"] + bot.last_text(ADMIN)
    assert "/huynv" in both and "/xuatbaocao" in both and "/capnhat" not in both
