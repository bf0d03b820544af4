"""Sending to chats other than the one that asked (office, agency groups): never fatal.

`Forbidden` or "chat not found" ends that chat's bindings and tells the office. A network
error or a Telegram 5xx is retried twice, after 1 s and 3 s (`RETRY_DELAYS`), then logged; a
timeout is not retried, as the message may have arrived. Flood limits (429) are the rate
limiter's (AIORateLimiter). Reminders and the weekly summary send through `send_to` too, but
without those short retries: their claims retry them across sweeps. None of these is an answer
to the update in hand (bot/messaging/answers.py retries those), even when the chat is the same.

`hand_over` is where an answer that could not be delivered goes (the seam issue 20's outbox
will take over).
"""

from __future__ import annotations

import asyncio
import html
import logging
from dataclasses import replace

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    TelegramError,
    TimedOut,
)

from bot.messaging.answers import UndeliveredAnswer, not_answers
from bot.messaging.texts import texts_for
from bot.services import Services
from bot.services.conversation import ChatTarget

log = logging.getLogger(__name__)
# Short, and awaited in the update that caused the message: a long wait would hold up the
# next updates, and a Telegram outage longer than this is a matter for the logs.
RETRY_DELAYS = (1.0, 3.0)


def is_gone(error: TelegramError) -> bool:
    """The chat will never accept a message again until someone re-binds it."""
    return isinstance(error, Forbidden) or (
        isinstance(error, BadRequest) and "chat not found" in str(error).lower()
    )


async def deliver(
    bot: Bot,
    services: Services,
    target: ChatTarget,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    assignment_ids: list[int] | None = None,
    purpose: str = "notice",
) -> Message | None:
    """`send_to` with the short retries, logging what still failed."""
    sent = await send_to(
        bot, services, target, text,
        reply_markup=reply_markup, assignment_ids=assignment_ids, purpose=purpose,
    )  # fmt: skip
    if isinstance(sent, Message):
        return sent
    if not is_gone(sent):
        log.warning("could not send to chat %s: %s", target.chat_id, sent)
    return None


async def send_to(
    bot: Bot,
    services: Services,
    target: ChatTarget,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    assignment_ids: list[int] | None = None,
    purpose: str = "notice",
    retry_delays: tuple[float, ...] = RETRY_DELAYS,
) -> Message | TelegramError:
    """Send one message to one chat: the message (its tasks remembered, so a reply to it is
    about them), or the error. A gone chat's bindings end here, whoever sends; logging is
    the caller's. The reminder sweep passes no `retry_delays`: its claims retry instead."""
    try:
        try:
            message = await _send_retrying(bot, target, text, reply_markup, retry_delays)
        except ChatMigrated as migrated:
            # The group became a supergroup: its bindings follow it, and so does this message.
            await chat_moved(bot, services, target.chat_id, migrated.new_chat_id)
            target = replace(target, chat_id=migrated.new_chat_id)
            message = await _send_retrying(bot, target, text, reply_markup, retry_delays)
    except TelegramError as error:
        if is_gone(error):
            await chat_gone(bot, services, target.chat_id, str(error))
        return error
    if assignment_ids:
        await services.conversation.remember(
            chat_id=target.chat_id,
            message_id=message.message_id,
            assignment_ids=assignment_ids,
            purpose=purpose,
        )
    return message


async def _send_retrying(
    bot: Bot,
    target: ChatTarget,
    text: str,
    reply_markup: InlineKeyboardMarkup | None,
    retry_delays: tuple[float, ...],
) -> Message:
    for delay in (0.0, *retry_delays):
        if delay:
            await asyncio.sleep(delay)
        try:
            with not_answers():
                message: Message = await bot.send_message(
                    target.chat_id,
                    text,
                    reply_markup=reply_markup,
                    message_thread_id=target.thread_id or None,
                )
            return message
        except (TimedOut, BadRequest):
            raise  # a timeout may have arrived; a bad request stays bad
        except NetworkError as error:
            last = error
            log.info("send to chat %s failed, retrying: %s", target.chat_id, error)
    raise last


async def deliver_to_office(
    bot: Bot,
    services: Services,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    assignment_ids: list[int] | None = None,
    except_chat: int | None = None,
) -> None:
    """`deliver` to every office chat (or, with none bound, the admins' private chats)."""
    for target in await services.conversation.office_chats():
        if target.chat_id != except_chat:
            await deliver(
                bot,
                services,
                target,
                text,
                reply_markup=reply_markup,
                assignment_ids=assignment_ids,
                purpose="office",
            )


async def deliver_to_agency(
    bot: Bot,
    services: Services,
    agency_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    assignment_ids: list[int] | None = None,
    purpose: str = "notice",
) -> None:
    """`deliver` to every chat of an agency (or, with none bound, its focal points)."""
    for target in await services.conversation.agency_chats(agency_id):
        await deliver(
            bot,
            services,
            target,
            text,
            reply_markup=reply_markup,
            assignment_ids=assignment_ids,
            purpose=purpose,
        )


async def chat_gone(bot: Bot, services: Services, chat_id: int, reason: str) -> None:
    """Deactivate the chat's bindings and tell the office (once per deactivation)."""
    names = await services.bindings.deactivate_chat(chat_id=chat_id, reason=reason[:300])
    if not names:
        return
    log.warning("chat %s is gone (%s): bindings of %s deactivated", chat_id, reason, names)
    t = texts_for(None, services.ctx.settings.language)
    for office in await services.conversation.office_chats():
        if office.chat_id == chat_id:
            continue
        try:
            await bot.send_message(
                office.chat_id,
                t.t("bind.deactivated_notice", agencies=", ".join(names)),
                message_thread_id=office.thread_id or None,
            )
        except TelegramError as error:
            log.warning("could not tell the office about chat %s: %s", chat_id, error)


async def chat_moved(
    bot: Bot, services: Services, old_chat_id: int, new_chat_id: int, title: str | None = None
) -> None:
    """A group Telegram turned into a supergroup (a new chat id), known from its service
    message or from a send's ChatMigrated error: its bindings, message links and open
    questions move to the new id, and the office is told (once: a second signal finds
    nothing left to move)."""
    moved = await services.bindings.migrate_chat(
        old_chat_id=old_chat_id, new_chat_id=new_chat_id, title=title
    )
    if moved is None:
        return
    log.info("chat %s migrated to %s: bindings moved", old_chat_id, new_chat_id)
    t = texts_for(None, services.ctx.settings.language)
    names = list(moved.agencies)
    if moved.office:
        names.insert(0, t.t("bind.office_label"))
    text = t.t(
        "bind.migrated_notice", chat=html.escape(moved.title or str(new_chat_id)),
        agencies=html.escape(", ".join(names)),
    )  # fmt: skip
    for office in await services.conversation.office_chats():
        try:
            with not_answers():
                await bot.send_message(
                    office.chat_id, text, message_thread_id=office.thread_id or None
                )
        except TelegramError as error:
            log.warning("could not tell the office about chat %s: %s", new_chat_id, error)


def hand_over(answer: UndeliveredAnswer) -> None:
    """An answer to a person that Telegram would not take, after its retries
    (bot/messaging/answers.py). Today it is logged, once, with the update, the chat and what it
    said (the token is in none of them, and logging redacts it anyway); issue 20's outbox will
    keep it here and send it when Telegram answers again. Never an apology instead."""
    log.warning(
        "answer to update %s not delivered, handed over: %s to chat %s %r (%s%s)",
        answer.update_id,
        answer.method,
        answer.chat_id,
        answer.summary(),
        answer.error,
        "; it may have arrived" if answer.may_have_arrived else "",
    )
