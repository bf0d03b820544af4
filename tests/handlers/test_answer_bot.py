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
from telegram.error import BadRequest, ChatMigrated, TelegramError
from telegram.ext import Defaults

from bot.clock import ManualClock
from bot.messaging.answer_bot import AnswerBot, keyboard_json
from bot.sandbox.emulator.state import CallRecord, buttons
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


SENDS: list[dict[str, Any]] = [
    {},
    {"message_thread_id": None},
    {"reply_markup": OPTIONS[1]["reply_markup"]},
    {"reply_markup": OPTIONS[2]["reply_markup"]},
    {"reply_markup": ForceReply(selective=True)},
]
EVERY = Defaults(
    parse_mode=ParseMode.HTML,
    disable_notification=True,
    protect_content=False,
    allow_sending_without_reply=True,
    link_preview_options=LinkPreviewOptions(prefer_small_media=True),
    tzinfo=TZ,
)


def _last(emulator: Any, method: str) -> CallRecord:
    return [call for call in emulator.calls if call.method == method][-1]


@pytest.mark.parametrize("defaults", [EVERY, Defaults(parse_mode=ParseMode.HTML), None])
async def test_send_sends_what_send_message_sends(defaults: Defaults | None) -> None:
    """The outbox's `send` (bot/messaging/outbox.py): `send_message`'s bytes, to a group, a
    forum topic and a private chat, with each kind of markup and with or without `Defaults`;
    the id is the new message's."""
    emulator = new_emulator(ManualClock(datetime(2019, 12, 27, 8, 0, tzinfo=TZ)), topics=("A",))
    topic = next(iter(emulator.chats[FORUM].topics))
    bot = AnswerBot(TOKEN, request=make_request(emulator), defaults=defaults)
    async with bot:
        for chat, thread in ((GROUP_A, None), (FORUM, topic), (ADMIN, None)):
            for options in SENDS:
                kwargs = {"message_thread_id": thread, **options}
                text = f"📥 <b>#29</b> {sorted(options)}"
                ours_id = await bot.send(chat, text, **kwargs)
                ours = _last(emulator, "sendMessage")
                theirs_message = await bot.send_message(chat, text, **kwargs)
                theirs = _last(emulator, "sendMessage")
                assert _on_the_wire(ours) == _on_the_wire(theirs), (defaults, chat, options)
                assert ours_id == theirs_message.message_id - 1
                said = emulator.messages_in(chat)[-2]
                assert said["message_id"] == ours_id


@pytest.mark.parametrize("defaults", [EVERY, Defaults(parse_mode=ParseMode.HTML), None])
async def test_edits_send_what_the_query_edits_send(defaults: Defaults | None) -> None:
    """`handlers.base.edit` and `drop_buttons`: `query.edit_message_text`'s and
    `query.edit_message_reply_markup(None)`'s bytes, in a group and a private chat."""
    emulator = new_emulator(ManualClock(datetime(2019, 12, 27, 8, 0, tzinfo=TZ)))
    bot = AnswerBot(TOKEN, request=make_request(emulator), defaults=defaults)
    keyboard = OPTIONS[1]["reply_markup"]
    async with bot:
        for chat in (GROUP_A, ADMIN):
            sent = await bot.send(chat, "trang 1", reply_markup=keyboard)
            emulator.user_presses(ADMIN, chat, sent, "undo:7")
            (raw,) = emulator.take_updates()
            query = Update.de_json(raw, bot).callback_query
            assert query is not None
            neutral = InlineKeyboardMarkup([[InlineKeyboardButton("0", callback_data="zero")]])

            async def reset(
                message_id: int = sent, chat_id: int = chat, neutral: Any = neutral
            ) -> None:
                # Telegram refuses an edit that changes nothing: each call starts elsewhere.
                await bot.edit_message_text("trang 0", chat_id, message_id, reply_markup=neutral)

            for markup in (None, keyboard, OPTIONS[2]["reply_markup"]):
                await reset()
                await bot.edit_text(query, "<b>trang 2</b>", reply_markup=markup)
                ours = _last(emulator, "editMessageText")
                await reset()
                await query.edit_message_text("<b>trang 2</b>", reply_markup=markup)
                theirs = _last(emulator, "editMessageText")
                assert _on_the_wire(ours) == _on_the_wire(theirs), (defaults, chat, markup)
            for markup in (keyboard, None):
                await reset()
                await bot.edit_markup(query, markup)
                ours = _last(emulator, "editMessageReplyMarkup")
                await reset()
                await query.edit_message_reply_markup(markup)
                theirs = _last(emulator, "editMessageReplyMarkup")
                assert _on_the_wire(ours) == _on_the_wire(theirs), (defaults, chat, markup)
            assert buttons(emulator.messages_in(chat)[-1]) == []


async def test_lean_calls_raise_what_python_telegram_bot_raises() -> None:
    """The errors the outbox's sender tells apart come out of `send` and the edits as out of
    `send_message` and the query's edits: the same class, message and retry_after."""
    emulator = new_emulator(ManualClock(datetime(2019, 12, 27, 8, 0, tzinfo=TZ)))
    bot = AnswerBot(TOKEN, request=make_request(emulator), defaults=EVERY)
    faults: list[tuple[str, Any]] = [
        ("flood", {"retry_after": 7}),
        ("forbidden", {}),
        ("server_error", {}),
        ("bad_gateway", {}),
    ]

    def said(error: BaseException) -> tuple[type, str, Any]:
        return type(error), str(error), getattr(error, "retry_after", None)

    async with bot:
        sent = await bot.send(GROUP_A, "x", reply_markup=OPTIONS[1]["reply_markup"])
        emulator.user_presses(ADMIN, GROUP_A, sent, "undo:7")
        (raw,) = emulator.take_updates()
        query = Update.de_json(raw, bot).callback_query
        assert query is not None
        calls = [
            ("sendMessage", lambda: bot.send(GROUP_A, "y"), lambda: bot.send_message(GROUP_A, "y")),
            ("sendMessage", lambda: bot.send(-1_999, "y"), lambda: bot.send_message(-1_999, "y")),
            (
                "editMessageText",
                lambda: bot.edit_text(query, "z"),
                lambda: query.edit_message_text("z"),
            ),
            (
                "editMessageReplyMarkup",
                lambda: bot.edit_markup(query),
                lambda: query.edit_message_reply_markup(None),
            ),
        ]
        for method, ours, theirs in calls:
            for kind, options in faults:
                raised = []
                for call in (ours, theirs):
                    emulator.faults.inject(method, kind, **options)
                    with pytest.raises(TelegramError) as caught:
                        await call()
                    raised.append(said(caught.value))
                assert raised[0] == raised[1], (method, kind)
        # Telegram's own refusals: a chat that does not exist, one that moved.
        raised = []
        for call in (lambda: bot.send(-1_999, "y"), lambda: bot.send_message(-1_999, "y")):
            with pytest.raises(BadRequest) as refused:
                await call()
            raised.append(said(refused.value))
        assert raised[0] == raised[1]
        emulator.add_chat(-5, "group", "Tổ cũ")
        emulator.add_member(-5, ADMIN, status="creator")
        emulator.migrate_group(-5, -100_777)
        raised = []
        for call in (lambda: bot.send(-5, "y"), lambda: bot.send_message(-5, "y")):
            with pytest.raises(ChatMigrated) as moved:
                await call()
            raised.append((*said(moved.value), moved.value.new_chat_id))
        assert raised[0] == raised[1] and raised[0][-1] == -100_777
