"""/start, /help, the catch-alls for bad input, and the one error handler."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop, filters

from bot.domain.replies import ReplyContext, read_reply, reads_as_report
from bot.messaging.answers import AnswerUndelivered, current_scope
from bot.messaging.delivery import chat_gone
from bot.messaging.texts import texts_for
from bot.services.ledger import UpdateAlreadyApplied
from handlers.base import BotContext, reply, texts, who

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    command = message.text.split()[0].split("@")[0]
    if message.chat.type != ChatType.PRIVATE:
        # In a group, answer only commands addressed to us or from known people.
        person = await who(update, context)
        if not person.scope.is_bound and person.actor.is_stranger:
            return
    await reply(update, texts(update, context).t("common.unknown_command", command=command))


async def edited_message(update: Update, context: BotContext) -> None:
    """Edits never change a report: history is append-only. Say so once: in private always;
    in a group only when the edit reads as a report (review R5: "#16 đạt 30%" edited to 60%
    must not leave the focal point believing 60% was recorded), never for chatter."""
    message = update.edited_message
    if message and (
        message.chat.type == ChatType.PRIVATE or await _edit_reads_as_report(update, context)
    ):
        # Through `reply`: an answer Telegram will not take must not stop the stop below,
        # or the edited command would run after all.
        await reply(update, texts(update, context).t("common.edited_ignored"))
    raise ApplicationHandlerStop


_TASK_CODE = re.compile(r"#\s*\d+")


async def _edit_reads_as_report(update: Update, context: BotContext) -> bool:
    """As the reply reader sees it: a task code, a reply to one of the bot's messages (a card,
    a reminder), a report command, or words that read as a report; from someone known here."""
    message = update.edited_message
    text = (message.text or message.caption or "") if message else ""
    if message is None or not text.strip():
        return False
    replied = message.reply_to_message
    reads = (
        _TASK_CODE.search(text) is not None
        or text.split()[0].split("@")[0] in REPORT_COMMANDS
        or (
            replied is not None
            and replied.from_user is not None
            and replied.from_user.id == context.bot.id
        )
        or reads_as_report(read_reply(text, ReplyContext(today=context.services.ctx.today())))
    )
    if not reads:
        return False
    person = await who(update, context)
    return person.scope.is_bound or not person.actor.is_stranger


class LongerThan(filters.UpdateFilter):
    """A new message (`update.message`: not an edit, not a channel post) whose text, not a
    caption, is longer than `limit` characters. What `UpdateType.MESSAGE &
    Regex("(?s)^.{limit+1,}")` says, in one test instead of a merged filter, a search and its
    match data on every update (bench/README.md, finding J)."""

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(name=f"LongerThan({limit})")

    def filter(self, update: Update) -> bool:
        message = update.message
        return message is not None and message.text is not None and len(message.text) > self.limit


async def too_long(update: Update, context: BotContext) -> None:
    await reply(update, texts(update, context).t("common.too_long"))
    raise ApplicationHandlerStop


async def private_fallback(update: Update, context: BotContext) -> None:
    """A private message nobody handled: stickers, voice, or text with no context."""
    message = update.effective_message
    if message is None:
        return
    t = texts(update, context)
    person = await who(update, context)
    if person.actor.is_stranger:
        await reply(update, t.t("common.stranger"))
    elif message.text:
        await reply(update, t.t("common.not_understood"))
    else:
        await reply(update, t.t("common.unsupported_message"))


async def bot_membership(update: Update, context: BotContext) -> None:
    """The bot added to a group: explain how to bind it, once; removed: just log."""
    change = update.my_chat_member
    if change is None:
        return
    new_status = change.new_chat_member.status
    chat = change.chat
    if new_status in {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}:
        # Removed from a group: stop sending there and tell the office (once).
        log.info("bot removed from chat %s", chat.id)
        await chat_gone(context.services, chat.id, "bot removed from the chat")
        return
    if change.old_chat_member.status in {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}:
        person = await who(update, context)
        if not person.scope.is_bound:
            await context.bot.send_message(
                chat.id, texts(update, context).t("common.unknown_group")
            )


async def on_error(update: object, context: BotContext) -> None:
    """Log with context (never the token: logging redacts it), tell the office, carry on.

    The person hears of it only when what they asked for failed, and then what was and was
    not done: nothing was stored, send it again. No apology when the answer itself could not
    be delivered (it was handed over: bot/messaging/answers.py), nor when something was stored
    before the error: "try again" would then invite a duplicate, and the repeat it brings is
    answered with what was recorded (bot/domain/repeats.py)."""
    error = context.error
    where = _where(update)
    if isinstance(error, AnswerUndelivered):
        log.info("%s: its answer was handed over, no apology", where)
        return
    if isinstance(error, UpdateAlreadyApplied):
        # Delivered again (a webhook retry, a second poller or instance): its effect is
        # stored already, so this delivery stored nothing, says nothing and stops here.
        log.info("%s: already applied, delivered again: ignored", where)
        raise ApplicationHandlerStop
    log.error("error while handling %s: %r", where, error, exc_info=error)
    await _notify_office(context, error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    scope = current_scope()
    if scope is not None and scope.stored_something:
        log.warning("%s: it was stored before the error; no apology (a repeat is safe)", where)
        return
    message = update.effective_message
    try:
        await context.bot.send_message(
            update.effective_chat.id,
            apology(update, context),
            message_thread_id=message.message_thread_id
            if message and message.is_topic_message
            else None,
        )
    except Exception:  # the apology itself failed (chat gone, network): logged, not raised
        log.warning("could not send the apology for %s", where)


def _where(update: object) -> str:
    if not isinstance(update, Update):
        return "job or non-update"
    chat = update.effective_chat
    user = update.effective_user
    return (
        f"update {update.update_id} chat {chat.id if chat else '-'} user {user.id if user else '-'}"
    )


def apology(update: Update, context: BotContext) -> str:
    """What was not done, said the way the person asked for it: a report, a button, a
    command, or another message. Only ever sent when nothing was stored."""
    t = texts(update, context)
    if update.callback_query is not None:
        return t.t("error.not_done_button")
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    if text.startswith("/"):
        command = text.split()[0].split("@")[0]
        if command in REPORT_COMMANDS:
            return t.t("error.not_recorded_report")
        return t.t("error.not_done_command", command=command)
    replied = message.reply_to_message if message else None
    if (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == context.bot.id
    ):
        return t.t("error.not_recorded_report")  # a reply to a reminder, a card, a question
    return t.t("error.not_done_message")


REPORT_COMMANDS = frozenset({"/capnhat", "/update"})


ADMIN_NOTICE_EVERY = timedelta(minutes=10)


async def _notify_office(context: BotContext, error: BaseException | None) -> None:
    """Tell the office an error happened (at most every ten minutes, never the details that
    could hold a secret: just the error's type); the log has the full context."""
    services = context.application.bot_data.get("services")
    if services is None:
        return
    now = services.ctx.now()
    last = context.application.bot_data.get("_last_error_notice")
    if last is not None and now - last < ADMIN_NOTICE_EVERY:
        return
    context.application.bot_data["_last_error_notice"] = now
    text = texts_for(None, services.ctx.settings.language).t(
        "error.admin_notice", error=type(error).__name__ if error else "?"
    )
    for target in await services.conversation.office_chats():
        try:
            await context.bot.send_message(
                target.chat_id, text, message_thread_id=target.thread_id or None
            )
        except Exception:  # never let the error report cause another error
            log.warning("could not notify the office of an error")
