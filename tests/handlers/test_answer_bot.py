"""`reply` sends what `Message.reply_text` would (bot/messaging/answer_bot.py): the same
parameters reach Telegram, call for call, in a private chat, a group and a forum topic, with
each kind of markup and option the handlers pass; and it returns the new message's id."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import (
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode

from bot.sandbox.emulator.state import CallRecord
from handlers.base import reply
from tests.harness import ADMIN, FOCAL_A, FORUM, GROUP_A, Harness, running_bot

OPTIONS: list[dict[str, Any]] = [
    {},
    {
        "reply_markup": InlineKeyboardMarkup(
            [[InlineKeyboardButton("↩️ Hoàn tác", callback_data="undo:7")]]
        )
    },
    {"reply_markup": ForceReply(selective=True)},
    {"do_quote": False},
    {"do_quote": True},
    {"link_preview_options": LinkPreviewOptions(is_disabled=True)},
]


def _last_send(bot: Harness) -> CallRecord:
    # The command menus are set beside it, in the background.
    return [call for call in bot.emulator.calls if call.method == "sendMessage"][-1]


@pytest.mark.parametrize("where", ["private", "group", "topic"])
async def test_reply_sends_what_reply_text_sends(database_url: str, where: str) -> None:
    async with running_bot(database_url, topics=("Huyện Kỳ Anh",)) as bot:
        user, chat, thread = {
            "private": (ADMIN, ADMIN, None),
            "group": (FOCAL_A, GROUP_A, None),
            "topic": (FOCAL_A, FORUM, bot.topics["Huyện Kỳ Anh"]),
        }[where]
        bot.emulator.user_sends(user, chat, "2 đạt 60%", message_thread_id=thread)
        (raw,) = bot.emulator.take_updates()
        update = Update.de_json(raw, bot.app.bot)
        message = update.effective_message
        assert message is not None
        for options in OPTIONS:
            text = f"🔄 Đã ghi nhận <b>#29</b>: đạt 60%. {sorted(options)}"
            sent = await reply(update, text, **options)
            ours = _last_send(bot)
            quote = options.get("do_quote", where != "private")
            theirs_kwargs = {k: v for k, v in options.items() if k != "do_quote"}
            theirs_sent = await message.reply_text(
                text, parse_mode=ParseMode.HTML, do_quote=quote, **theirs_kwargs
            )
            theirs = _last_send(bot)
            assert (ours.method, ours.params) == (theirs.method, theirs.params), options
            assert sent is not None
            assert sent.message_id == theirs_sent.message_id - 1
            assert sent.chat_id == chat
            said = bot.emulator.messages_in(chat)[-2]
            assert (said["message_id"], said.get("message_thread_id")) == (sent.message_id, thread)
