"""Reporting progress three ways (reply, buttons, /capnhat): storing a report, answering it
(or saying it was recorded already), telling the office; the replies and the answers to the
bot's questions, and /capnhat. The buttons' own handlers are handlers/progress_buttons.py's;
the office's decisions on what is reported are handlers/decisions.py's.

Each answer to a question the bot asked has its own function here; handlers/routes.py sends
every press and every answer to the right one by its action.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError

from bot.domain.callback_data import Act, Callback
from bot.domain.permissions import Action
from bot.domain.progress import (
    ProgressError,
    ProgressKind,
    ProgressReport,
    parse_command_report,
    parse_reply,
    parse_user_date,
)
from bot.messaging.format import fmt_date
from bot.messaging.keyboards import (
    undo_keyboard,
    which_task_keyboard,
)
from bot.messaging.progress_notices import confirmation_text, extension_notice, office_notices
from bot.messaging.repeats import repeat_answer
from bot.messaging.texts import Texts, texts_for
from bot.services.access import Who
from bot.services.conversation import Pending
from bot.services.outbox import Outgoing
from bot.services.progress import Recorded, Refusal, Source
from bot.services.repeats import Repeat
from handlers.base import BotContext, ask, identity_of, reply, texts, who
from handlers.guards import target_of, turned_away

log = logging.getLogger(__name__)
REFUSAL_KEYS = {
    Refusal.NOT_FOUND: "progress.task_not_found",
    Refusal.NOT_ALLOWED: "progress.not_allowed",
    Refusal.CLOSED: "progress.closed",
    Refusal.NOT_AWAITING: "progress.not_awaiting",
    Refusal.TOO_LATE_TO_UNDO: "progress.undo_too_late",
    Refusal.ALREADY_UNDONE: "progress.undo_already",
    Refusal.NO_PENDING_EXTENSION: "progress.no_pending_extension",
    Refusal.NOT_AFTER_DEADLINE: "progress.extension_not_later",
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
        await reply(
            update,
            confirmation_text(t, result, evidence, report.note),
            reply_markup=undo_keyboard(t, result.update_id),
        )
    except TelegramError as error:
        # The report is stored: an apology saying "try again" would invite a duplicate.
        log.warning(
            "report %s stored (chat %s user %s) but its confirmation failed: %s",
            result.update_id,
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
    await reply(update, text, reply_markup=keyboard)


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


async def report_text(
    update: Update, context: BotContext, person: Who, assignment_id: int, text: str
) -> None:
    """/capnhat's report: the words after the task's code."""
    t = texts(update, context)
    evidence = evidence_of(update.effective_message)
    parsed = parse_command_report(text, has_evidence=bool(evidence))
    if isinstance(parsed, ProgressError):
        await reply(update, t.t(f"progress.{parsed.code.value}", detail=parsed.detail))
        return
    await record(update, context, person, assignment_id, parsed, evidence=evidence)


async def pick_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """The task picked for a report kept by `ask_which`; the button answers once."""
    assignment_id = await target_of(update, context, callback)
    if assignment_id is None:
        return
    person = await who(update, context)
    query = update.callback_query
    assert query is not None and update.effective_chat and update.effective_user
    conversation = context.services.conversation
    where = {"chat_id": update.effective_chat.id, "user_id": update.effective_user.id}
    question = await conversation.pending(**where, consume=False)
    if question is None or question.action != Act.PICK:
        await query.answer(texts(update, context).t("common.stale_button"), show_alert=True)
        return
    await conversation.forget(**where)
    evidence = tuple(str(file_id) for file_id in question.payload.get("evidence", []))
    parsed = parse_reply(str(question.payload.get("text", "")), has_evidence=bool(evidence))
    if isinstance(parsed, ProgressError):
        await query.answer()
        t = texts(update, context)
        await reply(update, t.t(f"progress.{parsed.code.value}", detail=parsed.detail))
        return
    await record(update, context, person, assignment_id, parsed, evidence=evidence)


async def ask_which(
    update: Update,
    context: BotContext,
    person: Who,
    linked: list[int],
    text: str,
    evidence: tuple[str, ...] = (),
    *,
    unmatched_line: int | None = None,
) -> None:
    """A reply to a digest that names no task: ask which, keeping the report (its text and
    files) for the answer. A number no line has is named first, so the question makes sense."""
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
    question = (
        t.t("progress.which_task")
        if unmatched_line is None
        else t.t("progress.no_such_line", n=len(linked), line=unmatched_line)
    )
    await reply(update, question, reply_markup=which_task_keyboard(linked))


async def blocker_answer(update: Update, context: BotContext, pending: Pending, text: str) -> None:
    """The answer to "what blocks it?" (⚠️): a blocker report, which the office is told of."""
    person = await who(update, context)
    await report_text_as(update, context, person, pending.target_id, ProgressKind.BLOCKED, text)


async def extension_answered(
    update: Update, context: BotContext, pending: Pending, text: str
) -> None:
    """The answer to "until when?" (📅): an extension request, sent to the office."""
    person = await who(update, context)
    await extension_answer(update, context, person, pending.target_id, text)


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
    update: Update, context: BotContext, person: Who, assignment_id: int, text: str
) -> None:
    t = texts(update, context)
    services = context.services
    date_part, _, reason = text.partition(" ")
    parsed = parse_user_date(date_part, today=services.ctx.today())

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
    line = await services.tasks.find_line(person, str(assignment_id))  # for its deadline

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
    await reply(
        update, t.t("progress.extension_sent", code=f"#{assignment_id}", date=fmt_date(parsed))
    )


async def reads_as_report_here(update: Update, context: BotContext) -> bool:
    """In a group, a reply to one of the bot's messages that is about no task (a confirmation,
    the weekly summary) is usually people talking, and the bot keeps quiet. But one that reads
    as a report ("xong", "2 đạt 70%", "vướng mắc …") from someone who reports here is a report
    the bot would otherwise swallow without a word: say that nothing was recorded."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    report = parse_reply(text)
    if not isinstance(report, ProgressReport) or report.kind is ProgressKind.NOTE:
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


# --- /capnhat --------------------------------------------------------------------------------


async def update_command(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    if await turned_away(update, context, person):
        return
    args = context.args or []
    if len(args) < 2:
        await reply(update, t.t("progress.usage_update"))
        return
    line = await context.services.tasks.find_line(person, args[0])
    if line is None:
        await reply(update, t.t("tasks.not_found", code=args[0]))
        return
    await report_text(update, context, person, line.assignment_id, " ".join(args[1:]))
