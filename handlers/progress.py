"""Reporting progress: storing a report made with a button, answering it (or saying it was
recorded already), telling the office; the answers to the bot's questions (⚠️ what blocks it,
📅 until when, which task). Reports in words (a reply, a digest, a message naming a task,
/capnhat) are handlers/replies.py's; the buttons' own handlers handlers/progress_buttons.py's;
the office's decisions on what is reported handlers/decisions.py's.

Each answer to a question the bot asked has its own function here; handlers/routes.py sends
every press and every answer to the right one by its action.
"""

from __future__ import annotations

import logging
from datetime import date

from telegram import Message, Update
from telegram.error import TelegramError

from bot.domain.callback_data import Act
from bot.domain.permissions import Action
from bot.domain.progress import (
    ErrorCode,
    ProgressError,
    ProgressKind,
    ProgressReport,
    parse_user_date,
)
from bot.domain.replies import Intent, ReplyContext, read_reply
from bot.messaging.format import fmt_date
from bot.messaging.keyboards import (
    undo_keyboard,
    which_task_keyboard,
)
from bot.messaging.progress_notices import confirmation_text, extension_notice, office_notices
from bot.messaging.repeats import repeat_answer
from bot.messaging.reply_answers import no_deadline_answer, waiting_text
from bot.messaging.texts import Texts, texts_for
from bot.services.access import Who
from bot.services.conversation import Pending
from bot.services.outbox import Outgoing
from bot.services.progress import Recorded, Refusal, Source, Waiting
from bot.services.repeats import Repeat
from handlers.base import BotContext, ask, identity_of, reply, reply_about, texts, who

log = logging.getLogger(__name__)
# What reads as a report when it answers a bot message about no task (people talk there too).
REPORTING = frozenset(
    {Intent.DONE, Intent.PROGRESS, Intent.BLOCKED, Intent.EXTENSION, Intent.REASSIGN}
)
REFUSAL_KEYS = {
    Refusal.NOT_FOUND: "progress.task_not_found",
    Refusal.NOT_ALLOWED: "progress.not_allowed",
    Refusal.CLOSED: "progress.closed",
    Refusal.NOT_AWAITING: "progress.not_awaiting",
    Refusal.TOO_LATE_TO_UNDO: "progress.undo_too_late",
    Refusal.ALREADY_UNDONE: "progress.undo_already",
    Refusal.DECIDED: "progress.undo_decided",
    Refusal.NO_PENDING_EXTENSION: "progress.no_pending_extension",
    Refusal.NOT_AFTER_DEADLINE: "progress.extension_not_later",
    Refusal.NO_DEADLINE: "replies.no_deadline_nothing_sent",
}


def source_of(update: Update) -> Source:
    user = update.effective_user
    message = update.effective_message
    chat = update.effective_chat
    return Source(
        user_id=user.id if user else 0,
        name=user.full_name if user else "",
        chat_id=chat.id if chat else None,
        message_id=message.message_id if message else None,
    )


def evidence_of(message: Message | None) -> tuple[str, ...]:
    if message is None:
        return ()
    if message.photo:
        return (message.photo[-1].file_id,)
    if message.document:
        return (message.document.file_id,)
    return ()


async def refuse(update: Update, context: BotContext, refusal: Refusal, code: str = "") -> None:
    text = texts(update, context).t(REFUSAL_KEYS[refusal], code=code)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)


async def record(
    update: Update,
    context: BotContext,
    person: Who,
    assignment_id: int,
    report: ProgressReport,
    *,
    evidence: tuple[str, ...] = (),
) -> None:
    """Store a report (with the office's notification, if it needs one), confirm it in one
    line with Undo."""
    services = context.services
    result = await services.outbox.along(
        services.progress.report(
            person, assignment_id, report, source_of(update), evidence=evidence
        ),
        lambda result: notices_of(context, result, report),
    )
    await confirm(update, context, assignment_id, report, result, evidence=len(evidence))


async def confirm(
    update: Update,
    context: BotContext,
    assignment_id: int,
    report: ProgressReport,
    result: Recorded | Refusal | Repeat,
    *,
    evidence: int = 0,
) -> None:
    """Answer a stored report (or say why it was refused, or when it was recorded already);
    the office's notification was written with it (`notices_of`)."""
    if isinstance(result, Refusal):
        await refuse(update, context, result, f"#{assignment_id}")
        return
    t = texts(update, context)
    if isinstance(result, Repeat):  # nothing stored: the office was told the first time
        await answer_repeat(update, context, t, result)
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await reply_about(
            update,
            context,
            [assignment_id],
            confirmation_text(t, result, evidence, report.note),
            reply_markup=undo_keyboard(t, result.update_id),
        )
    except TelegramError as error:
        # The report is stored: an apology saying "try again" would invite a duplicate.
        log_unconfirmed(update, str(result.update_id), error)


def log_unconfirmed(update: Update, stored: str, error: TelegramError) -> None:
    """A report stored whose confirmation Telegram refused: logged once, never apologised
    for (an apology saying "try again" would invite a duplicate)."""
    log.warning(
        "report %s stored (chat %s user %s) but its confirmation failed: %s",
        stored,
        update.effective_chat.id if update.effective_chat else "-",
        update.effective_user.id if update.effective_user else "-",
        error,
    )


async def answer_repeat(update: Update, context: BotContext, t: Texts, repeat: Repeat) -> None:
    """A person's repeat: when it was recorded, and Undo again (bot/messaging/repeats.py)."""
    ctx = context.services.ctx
    text, keyboard = repeat_answer(
        t, repeat, tz=ctx.tz, now=ctx.now(), undo_minutes=ctx.settings.undo_minutes
    )
    if update.callback_query is not None:
        await update.callback_query.answer()
    await reply_about(update, context, [repeat.assignment_id], text, reply_markup=keyboard)


def notices_of(context: BotContext, result: object, report: ProgressReport) -> list[Outgoing]:
    """What the office is told of a report, written in the report's transaction: nothing
    for a refusal or a repeat (the office was told the first time)."""
    if not isinstance(result, Recorded):
        return []
    return office_notices(office_texts(context), result, report)


def office_texts(context: BotContext) -> Texts:
    """The language of messages to other chats: the office's setting, not the writer's."""
    return texts_for(None, context.services.ctx.settings.language)


# --- replies and answers to questions ---------------------------------------------------------


async def ask_which(
    update: Update,
    context: BotContext,
    person: Who,
    linked: list[int],
    text: str,
    evidence: tuple[str, ...] = (),
    *,
    unmatched_line: int | None = None,
    numbered: bool = True,
) -> None:
    """A report that names no task: ask which, keeping it (its text and files) for the
    answer. A reply to a digest gets its lines' numbers (a number no line has is named first,
    so the question makes sense); a message replying to nothing the agency's open tasks."""
    t = texts(update, context)
    chat = update.effective_chat
    assert chat is not None and update.effective_user is not None
    await context.services.conversation.ask(
        chat_id=chat.id,
        user_id=update.effective_user.id,
        action=Act.PICK,
        target_id=0,
        payload={"text": text[:4000], "evidence": list(evidence)},
    )
    if not numbered:
        question = t.t("replies.which_task_open")
    elif unmatched_line is None:
        question = t.t("progress.which_task")
    else:
        question = t.t("progress.no_such_line", n=len(linked), line=unmatched_line)
    await reply(update, question, reply_markup=which_task_keyboard(linked, numbered=numbered))


async def blocker_answer(update: Update, context: BotContext, pending: Pending, text: str) -> None:
    """The answer to "what blocks it?" (⚠️): a blocker report, which the office is told of."""
    person = await who(update, context)
    await report_text_as(update, context, person, pending.target_id, ProgressKind.BLOCKED, text)


async def extension_answered(
    update: Update, context: BotContext, pending: Pending, text: str
) -> None:
    """The answer to "until when?" (📅): an extension request, sent to the office."""
    person = await who(update, context)
    reason = str(pending.payload.get("reason", ""))
    await extension_answer(update, context, person, pending.target_id, text, reason=reason)


async def report_text_as(
    update: Update,
    context: BotContext,
    person: Who,
    assignment_id: int,
    kind: ProgressKind,
    text: str,
) -> None:
    t = texts(update, context)
    if not text:
        await reply(update, t.t("progress.empty"))
        return
    if len(text) > 4000:
        await reply(update, t.t("progress.too_long"))
        return
    await record(update, context, person, assignment_id, ProgressReport(kind, None, text))


async def extension_answer(
    update: Update,
    context: BotContext,
    person: Who,
    assignment_id: int,
    text: str,
    *,
    reason: str = "",
) -> None:
    """The date asked after 📅 (or after an extension asked in words without one): a date
    ("31/03/2020 chờ ý kiến của Bộ") or words the reader resolves ("hết tháng 4 do chờ hướng
    dẫn của Bộ", "thêm 2 tuần"); `reason` is the request's words when they came first."""
    t = texts(update, context)
    services = context.services
    line = await services.tasks.find_line(person, str(assignment_id))  # for its deadline
    date_part, _, said = text.partition(" ")
    parsed = parse_user_date(date_part, today=services.ctx.today())
    if isinstance(parsed, ProgressError) and parsed.code is not ErrorCode.DATE_IN_PAST:
        understood = _date_in_words(text, services.ctx.today(), line.deadline_end if line else None)
        if understood is not None:
            parsed, said = understood, text
    reason = said.strip() or reason

    async def ask_again(question: str) -> None:
        await services.conversation.ask(
            chat_id=identity_of(update).chat_id,
            user_id=identity_of(update).user_id,
            action=Act.EXT,
            target_id=assignment_id,
        )
        await ask(update, question)

    if isinstance(parsed, ProgressError):
        await ask_again(t.t(f"progress.{parsed.code.value}", detail=date_part))
        return

    def to_office(result: object) -> list[Outgoing]:
        if not isinstance(result, tuple):
            return []
        recorded, request_id = result
        return [
            extension_notice(
                office_texts(context), recorded, request_id, new_end=parsed,
                current=line.deadline_end if line else None, reason=reason.strip(),
            )
        ]  # fmt: skip

    result = await services.outbox.along(
        services.progress.request_extension(
            person, assignment_id, new_end=parsed, reason=reason.strip(), source=source_of(update)
        ),
        to_office,
    )
    if result is Refusal.NO_DEADLINE:  # nothing to extend: the date may be proposed
        text, keyboard = no_deadline_answer(t, assignment_id, parsed)
        await reply_about(update, context, [assignment_id], text, reply_markup=keyboard)
        return
    if result is Refusal.NOT_AFTER_DEADLINE:
        current = fmt_date(line.deadline_end) if line else "—"
        await ask_again(t.t("progress.not_after_deadline", code=f"#{assignment_id}", date=current))
        return
    if isinstance(result, Refusal):
        await refuse(update, context, result, f"#{assignment_id}")
        return
    if isinstance(result, Repeat):
        await answer_repeat(update, context, t, result)
        return
    if isinstance(result, Waiting):  # one request waits for the office: nothing sent
        await reply_about(update, context, [assignment_id], waiting_text(t, result))
        return
    text = t.t("progress.extension_sent", code=f"#{assignment_id}", date=fmt_date(parsed))
    await reply_about(update, context, [assignment_id], text)


def _date_in_words(text: str, today: date, deadline: date | None) -> date | None:
    """The date the reader understands in an answer to "until when?" (or None)."""
    context = ReplyContext(today=today, deadline=deadline, expects_date=True)
    for item in read_reply(text, context):
        if item.until is not None and item.until >= today:
            return item.until
    return None


async def reads_as_report_here(update: Update, context: BotContext) -> bool:
    """In a group, a reply to one of the bot's messages that is about no task (a confirmation,
    the weekly summary) is usually people talking, and the bot keeps quiet. One that reads as
    a report is asked which task (bot/services/replies.py); when the agency has no open task
    to ask about, it would be swallowed without a word: say that nothing was recorded."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    items = read_reply(text, ReplyContext(today=context.services.ctx.today()))
    if not any(item.intent in REPORTING for item in items):
        return False
    person = await who(update, context)
    return person.may(Action.REPORT, agency_id=person.scope.agency_id).allowed


async def unhandled(update: Update, context: BotContext) -> None:
    """Nothing to do with this message: explain in private, stay quiet in groups."""
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return
    t = texts(update, context)
    person = await who(update, context)
    message = update.effective_message
    if person.actor.is_stranger:
        await reply(update, t.t("common.stranger"))
    elif message is not None and (message.text or message.caption):
        await reply(update, t.t("common.not_understood"))
    else:
        await reply(update, t.t("common.unsupported_message"))
