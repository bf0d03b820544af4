"""`reply` sends what `Message.reply_text` would (bot/messaging/answer_bot.py): the same
parameters reach Telegram, call for call and byte for byte, in a private chat, a group and a
forum topic, with each kind of markup and option the handlers pass, with the application's
`Defaults` and with every one `answer` resolves itself; and it returns the new message's id."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

import pytest
from telegram import (
    CopyTextButton,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import Defaults

from bot.clock import ManualClock
from bot.messaging.answer_bot import AnswerBot, keyboard_json
from bot.sandbox.emulator.state import CallRecord
from bot.sandbox.transport import make_request
from handlers.base import reply
from tests.harness import (
    ADMIN,
    FOCAL_A,
    FORUM,
    GROUP_A,
    TOKEN,
    TZ,
    Harness,
    new_emulator,
    running_bot,
)

OPTIONS: list[dict[str, Any]] = [
    {},
    {
        "reply_markup": InlineKeyboardMarkup(
            [[InlineKeyboardButton("↩️ Hoàn tác", callback_data="undo:7")]]
        )
    },
    {
        "reply_markup": InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("1. #12", callback_data="pick:12"),
                    InlineKeyboardButton('"Mở" <biểu mẫu>', url="https://t.me/b?startapp=t12"),
                ],
                [InlineKeyboardButton("📋", copy_text=CopyTextButton("#12"))],
            ]
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


def _on_the_wire(call: CallRecord) -> dict[str, str]:
    """The call's parameters as the form carried them: each value's bytes as sent (JSON
    values not decoded: their key order and spacing count too)."""
    assert call.body, "the call came over HTTP"
    return dict(parse_qsl(call.body.decode(), keep_blank_values=True, strict_parsing=True))


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
            assert _on_the_wire(ours) == _on_the_wire(theirs), options
            assert sent is not None
            assert sent.message_id == theirs_sent.message_id - 1
            assert sent.chat_id == chat
            said = bot.emulator.messages_in(chat)[-2]
            assert (said["message_id"], said.get("message_thread_id")) == (sent.message_id, thread)


async def test_answer_resolves_defaults_as_reply_text_does() -> None:
    """`answer` reads the bot's `Defaults` once and sends the quote's JSON itself: with every
    default an answer can take set (and none), the bytes are `reply_text`'s."""
    emulator = new_emulator(ManualClock(datetime(2019, 12, 27, 8, 0, tzinfo=TZ)))
    every = Defaults(
        parse_mode=ParseMode.MARKDOWN_V2,  # the quote's parse mode; the text's stays HTML
        disable_notification=True,
        protect_content=False,
        allow_sending_without_reply=True,
        link_preview_options=LinkPreviewOptions(prefer_small_media=True),
        tzinfo=TZ,
    )
    for defaults in (every, None):
        bot = AnswerBot(TOKEN, request=make_request(emulator), defaults=defaults)
        async with bot:
            emulator.user_sends(FOCAL_A, GROUP_A, "2 đạt 60%")
            (raw,) = emulator.take_updates()
            message = Update.de_json(raw, bot).effective_message
            assert message is not None
            for options in OPTIONS:
                quote = options.get("do_quote", True)
                markup = {k: v for k, v in options.items() if k != "do_quote"}
                await bot.answer(message, "<b>#29</b>", quote=quote, **markup)
                ours = [c for c in emulator.calls if c.method == "sendMessage"][-1]
                await message.reply_text(
                    "<b>#29</b>", parse_mode=ParseMode.HTML, do_quote=quote, **markup
                )
                theirs = [c for c in emulator.calls if c.method == "sendMessage"][-1]
                assert _on_the_wire(ours) == _on_the_wire(theirs), (defaults, options)


def test_keyboard_json_is_to_dict() -> None:
    """The lean walk gives `to_dict`'s JSON for dondoc's keyboards and declines the rest."""
    button = InlineKeyboardButton
    plain = [
        InlineKeyboardMarkup([[button("↩️ Hoàn tác", callback_data="undo:7")]]),
        InlineKeyboardMarkup(
            [[button("a", callback_data="x"), button("b", url="https://t.me/b")], []]
        ),
        InlineKeyboardMarkup([[button('"é" <b>', switch_inline_query="")]]),
    ]
    declined = [
        InlineKeyboardMarkup([[button("📋", copy_text=CopyTextButton("#12"))]]),
        InlineKeyboardMarkup([[button("💳", pay=True)]]),
        InlineKeyboardMarkup([[button("a", callback_data="x")]], api_kwargs={"x": 1}),
        InlineKeyboardMarkup([[button("a", callback_data="x", api_kwargs={"x": 1})]]),
        InlineKeyboardMarkup([]),
        ForceReply(selective=True),
    ]
    for markup in plain:
        assert json.dumps(keyboard_json(markup)) == json.dumps(markup.to_dict()), markup
    for markup in declined:
        assert keyboard_json(markup) is None, markup
