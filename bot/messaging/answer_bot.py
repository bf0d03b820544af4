"""The application's bot: python-telegram-bot's `ExtBot`, and a lean way to answer a message.

`AnswerBot.answer` is what handlers/base.reply sends with: the call `Message.reply_text`
would make (the same chat and forum topic, quoting the message or not, the same parameters
on the wire, `Defaults` applied, through the same hook: AnswerRetry's retries and hand-over,
the flood limiter, ShardedRequest's turns and window), but of Telegram's answer it reads
only the new message's id. `reply_text` builds a `telegram.Message` of the answer, with the
message it replies to inside it: two Messages of ~170 attributes each, some 850 function
calls and about a third of a confirmation's send, for an object no handler reads (what
they need is its id, to link the confirmation to its task). bench/README.md, finding I.

`send` (the outbox's sender) and `edit_text` / `edit_markup` (a button press editing its
message: handlers/base.py `edit`, `drop_buttons`) do the same for `send_message` and the
query's `edit_message_text` / `edit_message_reply_markup`: the same call, Telegram's answer
read for the id or not at all (finding Q).

`tests/handlers/test_answer_bot.py` holds the parameters to python-telegram-bot's own, call
for call and byte for byte, and the errors raised to theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from telegram import (
    Bot,
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
from telegram._utils.defaultvalue import DEFAULT_NONE  # what Message.reply_text defaults to
from telegram.constants import ParseMode
from telegram.ext import ExtBot

Markup = InlineKeyboardMarkup | ForceReply


@dataclass(frozen=True, slots=True)
class Sent:
    """A message the bot sent: its chat and its id."""

    chat_id: int
    message_id: int


class AnswerBot(ExtBot[int]):
    """`ExtBot` (build_application gives it the same settings the builder would) with
    `answer`."""

    __slots__ = (
        "_answer_defaults",
        "_edit_markup_defaults",
        "_edit_text_defaults",
        "_quote_defaults",
        "_send_defaults",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = self.defaults
        # What `Defaults` gives an answer, read once (the bot's Defaults never change): the
        # parameters it sets are left to python-telegram-bot (DEFAULT_NONE, resolved by
        # `_insert_defaults` as for `reply_text`); those it leaves unset are not sent at all,
        # as python-telegram-bot drops their None. The quote's two defaults are what
        # `_insert_defaults` would copy into a `ReplyParameters`.
        self._answer_defaults = tuple(
            name
            for name in ("disable_notification", "protect_content", "link_preview_options")
            if defaults is not None and getattr(defaults, name) is not None
        )
        self._quote_defaults = (
            (defaults.allow_sending_without_reply, defaults.quote_parse_mode)
            if defaults is not None
            else (None, None)
        )
        # The same for `send_message` and the two edits: the parameters python-telegram-bot's
        # method leaves at DEFAULT_NONE (Bot._send_message's own included, edits or not).
        self._send_defaults = self._defaulted(*_SENT_DEFAULTS, "link_preview_options")
        self._edit_text_defaults = self._send_defaults
        self._edit_markup_defaults = self._defaulted(*_SENT_DEFAULTS)

    def _defaulted(self, *names: str) -> tuple[str, ...]:
        """Those of `names` the bot's `Defaults` sets (`_insert_defaults` resolves them)."""
        given = self.defaults.api_defaults if self.defaults is not None else {}
        return tuple(name for name in names if name in given)

    async def send(
        self,
        chat_id: int,
        text: str,
        *,
        reply_markup: Markup | None = None,
        message_thread_id: int | None = None,
    ) -> int:
        """What `send_message(chat_id, text, reply_markup=..., message_thread_id=...)` sends
        (`Defaults`' parse mode and the rest applied, its errors raised as it raises them);
        returns the new message's id, without building a `Message` of the answer (the outbox's
        sender: bench/README.md, finding Q)."""
        data: dict[str, Any] = {"chat_id": chat_id, "text": text}
        for name in self._send_defaults:
            data[name] = DEFAULT_NONE
        if message_thread_id is not None:
            data["message_thread_id"] = message_thread_id
        if reply_markup is not None:
            data["reply_markup"] = keyboard_json(reply_markup) or reply_markup
        result = await self._post("sendMessage", data)
        message_id: int = result["message_id"]
        return message_id

    async def edit_text(
        self,
        query: CallbackQuery,
        text: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """What `query.edit_message_text(text, reply_markup=...)` sends; Telegram's answer
        (the edited message) is not read."""
        data: dict[str, Any] = {"text": text, **_edited(query)}
        for name in self._edit_text_defaults:
            data[name] = DEFAULT_NONE
        if reply_markup is not None:
            data["reply_markup"] = keyboard_json(reply_markup) or reply_markup
        await self._post("editMessageText", data)

    async def edit_markup(
        self, query: CallbackQuery, reply_markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """What `query.edit_message_reply_markup(reply_markup)` sends (None: the buttons
        taken away); Telegram's answer is not read."""
        data = _edited(query)
        for name in self._edit_markup_defaults:
            data[name] = DEFAULT_NONE
        if reply_markup is not None:
            data["reply_markup"] = keyboard_json(reply_markup) or reply_markup
        await self._post("editMessageReplyMarkup", data)

    async def answer(
        self,
        message: Message,
        text: str,
        *,
        quote: bool,
        reply_markup: Markup | None = None,
        parse_mode: str = ParseMode.HTML,
        link_preview_options: LinkPreviewOptions | None = None,
    ) -> Sent:
        """Send `text` to `message`'s chat (its forum topic too), quoting it when `quote`, as
        `message.reply_text(text, do_quote=quote, ...)` does; returns the new message's id."""
        data: dict[str, Any] = {"chat_id": message.chat_id, "text": text, "parse_mode": parse_mode}
        for name in self._answer_defaults:  # `Defaults`' own, resolved by python-telegram-bot
            data[name] = DEFAULT_NONE
        if link_preview_options is not None:
            data["link_preview_options"] = link_preview_options
        # What reply_text adds when there is one (a None would only be dropped).
        if quote:
            data["reply_parameters"] = self._quoting(message.message_id)
        if reply_markup is not None:
            data["reply_markup"] = keyboard_json(reply_markup) or reply_markup
        if message.is_topic_message and message.message_thread_id is not None:
            # A forum's topic (Message._parse_message_thread_id: the same chat).
            data["message_thread_id"] = message.message_thread_id
        if message.business_connection_id is not None:
            data["business_connection_id"] = message.business_connection_id
        if message.direct_messages_topic is not None:
            data["direct_messages_topic_id"] = message.direct_messages_topic.topic_id
        result = await self._post("sendMessage", data)
        return Sent(chat_id=result["chat"]["id"], message_id=result["message_id"])

    def _quoting(self, message_id: int) -> dict[str, Any]:
        """`ReplyParameters(message_id)` with `Defaults`' two as `_insert_defaults` sets them,
        in the JSON `to_dict` gives (its fields in order, a None left out): ~110 calls fewer
        than building, copying and walking the object (bench/README.md, finding N)."""
        allow, parse_mode = self._quote_defaults
        quoting: dict[str, Any] = {}
        if allow is not None:
            quoting["allow_sending_without_reply"] = allow
        quoting["message_id"] = message_id
        if parse_mode is not None:
            quoting["quote_parse_mode"] = parse_mode
        return quoting


# The parameters `Bot._send_message` passes at DEFAULT_NONE whatever the method (a send or an
# edit): with `Defaults` setting one, python-telegram-bot sends it, even on an edit.
_SENT_DEFAULTS = ("disable_notification", "parse_mode", "protect_content")


def _edited(query: CallbackQuery) -> dict[str, Any]:
    """Which message an edit of `query`'s is for, as `CallbackQuery.edit_message_*` names it:
    an inline message by its id, else the query's message (its business connection too)."""
    if query.inline_message_id:
        return {"inline_message_id": query.inline_message_id}
    message = query.message
    if not isinstance(message, Message):  # CallbackQuery._get_message's refusal
        raise TypeError("Cannot edit an inaccessible message")
    target: dict[str, Any] = {"chat_id": message.chat_id, "message_id": message.message_id}
    if message.business_connection_id is not None:
        target["business_connection_id"] = message.business_connection_id
    return target


# An inline keyboard's JSON as `TelegramObject.to_dict` gives it: each button's fields in the
# order of its class's slots (the class's own first, then its bases', as `to_dict` walks them),
# those set, `api_kwargs` merged. Only for the keyboards dondoc builds (text and callback data
# or a URL, every value a string); anything else goes to python-telegram-bot's own walk.
# tests/handlers/test_answer_bot.py holds the two equal, byte for byte.
_BUTTON_FIELDS = tuple(
    name
    for cls in InlineKeyboardButton.__mro__[:-1]
    for name in getattr(cls, "__slots__", ())
    if not name.startswith("_") and name != "api_kwargs"
)
_PLAIN_BUTTONS = not any(
    name.startswith("_")
    for cls in InlineKeyboardButton.__mro__[:-2]  # TelegramObject's own private slots aside
    for name in getattr(cls, "__slots__", ())
)
_button_values = attrgetter(*_BUTTON_FIELDS)


def keyboard_json(markup: Markup) -> dict[str, Any] | None:
    """`markup.to_dict()` for an inline keyboard of plain buttons, without the generic walk
    (~160 calls for a keyboard of one button, against ~5 here); None for anything else."""
    if markup.__class__ is not InlineKeyboardMarkup or markup.api_kwargs or not _PLAIN_BUTTONS:
        return None
    rows = []
    for row in markup.inline_keyboard:
        buttons = []
        for button in row:
            if button.__class__ is not InlineKeyboardButton or button.api_kwargs:
                return None
            fields: dict[str, Any] = {}
            for name, value in zip(_BUTTON_FIELDS, _button_values(button), strict=True):
                if value is None:
                    continue
                if value.__class__ is not str:  # objects, flags, callback data objects
                    return None
                fields[name] = value
            buttons.append(fields)
        rows.append(buttons)
    return {"inline_keyboard": rows} if rows else None


def answer_bot(bot: Bot) -> AnswerBot:
    """The bot an update came with, as build_application made it."""
    if not isinstance(bot, AnswerBot):
        raise TypeError(f"answers need build_application's AnswerBot, not {type(bot).__name__}")
    return bot
