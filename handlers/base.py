"""What every handler shares: the typed context, who is acting, the texts, safe replies."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from telegram import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.ext import CallbackContext, ExtBot
from telegram.helpers import mention_html

from bot.messaging.answer_bot import Markup, Sent, answer_bot
from bot.messaging.answers import AnswerUndelivered
from bot.messaging.texts import Texts, texts_for
from bot.services.access import Identity

if TYPE_CHECKING:
    from bot.services import Services
    from bot.services.access import Who

log = logging.getLogger(__name__)
MAX_MESSAGE = 4096


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext that carries the services (set once in the composition root)."""

    # The `Who` of this update once resolved (`who`, `remember_who`); absent before.
    _who: tuple[Update, Who]

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    @property
    def default_language(self) -> str:
        return self.services.ctx.settings.language


def texts(update: Update, context: BotContext) -> Texts:
    """The catalogue to answer this update in: LANGUAGE, or the user's Telegram language
    when FOLLOW_TELEGRAM_LANGUAGE is on (bot/config.py says why it is off by default)."""
    user = update.effective_user
    settings = context.services.ctx.settings
    follow = settings.follow_telegram_language
    return texts_for(user.language_code if user and follow else None, settings.language)


def thread_id(message: Message | None) -> int:
    """The forum topic a message belongs to (0 for none), so topics bind separately."""
    if message is None or not message.is_topic_message:
        return 0
    return message.message_thread_id or 0


def identity_of(update: Update) -> Identity:
    """Who sent the update and from where, as Telegram says it."""
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None and chat is not None
    return Identity(
        user_id=user.id,
        display_name=user.full_name,
        chat_id=chat.id,
        chat_type=chat.type,
        thread_id=thread_id(update.effective_message),
        language=user.language_code,
    )


async def who(update: Update, context: BotContext) -> Who:
    """Who is acting and where; resolved once per update (the context lives for one update)."""
    cached = getattr(context, "_who", None)
    if cached is not None and cached[0] is update:
        return cached[1]
    identity = identity_of(update)
    resolved = await context.services.access.resolve(
        user_id=identity.user_id,
        display_name=identity.display_name,
        chat_id=identity.chat_id,
        chat_type=identity.chat_type,
        thread_id=identity.thread_id,
        language=identity.language,
    )
    remember_who(update, context, resolved)
    return resolved


def remember_who(update: Update, context: BotContext, resolved: Who) -> None:
    """Keep a `Who` a use case resolved in its own transaction for the rest of the update."""
    context._who = (update, resolved)


async def reply(
    update: Update,
    text: str,
    *,
    reply_markup: Markup | None = None,
    do_quote: bool | None = None,
    link_preview_options: LinkPreviewOptions | None = None,
) -> Sent | None:
    """Answer in the same chat and topic, as HTML; quotes the message it answers in a group
    (`do_quote` says otherwise). Sent as `Message.reply_text` would send it, without building
    a `Message` of Telegram's answer (bot/messaging/answer_bot.py): the id is what is kept.

    Telegram's brief failures are retried on the way (bot/messaging/answers.py); an answer
    that still fails was handed over, and this returns None so the handler's other effects
    (telling the office, the agency) still happen."""
    message = update.effective_message
    if message is None:
        return None
    quote = do_quote if do_quote is not None else message.chat.type != "private"
    try:
        return await answer_bot(message.get_bot()).answer(
            message,
            clip(text),
            quote=quote,
            reply_markup=reply_markup,
            link_preview_options=link_preview_options,
        )
    except AnswerUndelivered:
        return None


async def edit(
    query: CallbackQuery, text: str, *, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """`query.edit_message_text(text, reply_markup=...)`, the same call on the wire, without
    building a `Message` of Telegram's answer, which no handler reads (bot/messaging/answer_bot.py,
    bench/README.md finding Q)."""
    await answer_bot(query.get_bot()).edit_text(query, text, reply_markup=reply_markup)


async def drop_buttons(query: CallbackQuery) -> None:
    """`query.edit_message_reply_markup(None)`: the buttons of the message pressed taken away,
    the same call on the wire, Telegram's answer unread (as `edit`)."""
    await answer_bot(query.get_bot()).edit_markup(query)


async def reply_about(
    update: Update,
    context: BotContext,
    assignment_ids: list[int],
    text: str,
    *,
    reply_markup: Markup | None = None,
) -> Sent | None:
    """`reply`, for an answer about these tasks (a report's confirmation, an undo): the message
    is linked to them, so a reply to it is a report on them (docs/replies.md, "Nothing
    vanishes"), as a reply to a card is."""
    sent = await reply(update, text, reply_markup=reply_markup)
    chat = update.effective_chat
    if sent is not None and chat is not None and assignment_ids:
        await context.services.conversation.remember(
            chat_id=chat.id, message_id=sent.message_id, assignment_ids=assignment_ids,
            purpose="answer",
        )  # fmt: skip
    return sent


async def ask(update: Update, text: str) -> Sent | None:
    """Ask the person a question whose answer must reach the bot even in a group where the
    bot is in privacy mode: the question forces a reply, addressed to that person only."""
    user = update.effective_user
    chat = update.effective_chat
    if user is not None and chat is not None and chat.type != "private":
        text = f"{mention_html(user.id, user.first_name)}: {text}"
    return await reply(update, text, reply_markup=ForceReply(selective=True))


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """Last-resort guard: presenters page long lists, this only stops a 400 from Telegram."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
