"""The application's bot: python-telegram-bot's `ExtBot`, and a lean way to answer a message.

`AnswerBot.answer` is what handlers/base.reply sends with: the call `Message.reply_text`
would make (the same chat and forum topic, quoting the message or not, the same parameters
on the wire, `Defaults` applied, through the same hook: AnswerRetry's retries and hand-over,
the flood limiter, ShardedRequest's turns and window), but of Telegram's answer it reads
only the new message's id. `reply_text` builds a `telegram.Message` of the answer, with the
message it replies to inside it: two Messages of ~170 attributes each, some 850 function
calls and about a third of a confirmation's send, for an object no handler reads (what
they need is its id, to link the confirmation to its task). bench/README.md, finding I.

`tests/handlers/test_answer_bot.py` holds the parameters to `reply_text`'s, call for call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
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
        topic = message.direct_messages_topic
        data: dict[str, Any] = {
            "chat_id": message.chat_id,
            "text": text,
            "parse_mode": parse_mode,
            # What Bot.send_message leaves to `Defaults` (none of them set by build_application:
            # python-telegram-bot drops them, as it drops every None below).
            "disable_notification": DEFAULT_NONE,
            "protect_content": DEFAULT_NONE,
            "link_preview_options": (
                DEFAULT_NONE if link_preview_options is None else link_preview_options
            ),
            "reply_parameters": (
                ReplyParameters(message.message_id, allow_sending_without_reply=DEFAULT_NONE)
                if quote
                else None
            ),
            "reply_markup": reply_markup,
            # The topic of a forum (Message._parse_message_thread_id: same chat).
            "message_thread_id": message.message_thread_id if message.is_topic_message else None,
            "business_connection_id": message.business_connection_id,
            "direct_messages_topic_id": topic.topic_id if topic else None,
        }
        result = await self._post("sendMessage", data)
        return Sent(chat_id=result["chat"]["id"], message_id=result["message_id"])


def answer_bot(bot: Bot) -> AnswerBot:
    """The bot an update came with, as build_application made it."""
    if not isinstance(bot, AnswerBot):
        raise TypeError(f"answers need build_application's AnswerBot, not {type(bot).__name__}")
    return bot
