"""Answering a reply in words (issue 14, item 2): what bot/services/replies.py recorded, said in
one message to the chat it came from, and told to the office when the office must know or
decide (a completion, a difficulty, an extension, a task that is not the agency's).

Also the two buttons these answers add: ✏️ Sửa ngày under an extension understood from words,
and the office's Giữ nguyên when an agency says a task is not theirs (🔀 to the agency named is
/giaolai's own button, handlers/admin.py); the task picked after "which task?"; /capnhat, whose
words are read the same way; and the hint for voice notes and stickers (docs/replies.md says
when the bot answers in a group).
"""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.error import TelegramError

from bot.domain.callback_data import Act, Callback
from bot.domain.permissions import Action
from bot.domain.progress import ProgressError, ProgressKind, means_percent, parse_command_report
from bot.domain.replies import Intent
from bot.messaging.delivery import deliver_to_agency
from bot.messaging.format import fmt_date
from bot.messaging.keyboards import progress_keyboard, undo_keyboard
from bot.messaging.progress_notices import (
    extension_notice,
    office_notices,
    reassign_notice,
    withdrawal_notice,
)
from bot.messaging.reply_answers import (
    acknowledged_text,
    digest_answer,
    done_question,
    extension_sent,
    no_deadline_answer,
    recorded_text,
    waiting_text,
)
from bot.messaging.texts import Texts, texts_for
from bot.services.access import Who
from bot.services.outbox import Outgoing
from bot.services.progress import Recorded, Refusal, Waiting
from bot.services.repeats import Repeat
from bot.services.replies import Handled, SeveralItems
from bot.services.reply_items import (
    Acknowledged,
    DateNeeded,
    Effect,
    ExtensionAsked,
    ItemOutcome,
    NoDeadline,
    Stored,
    Unclear,
    Withdrawn,
)
from handlers.base import BotContext, ask, drop_buttons, identity_of, reply, reply_about, texts, who
from handlers.guards import allowed, target_of, turned_away
from handlers.progress import (
    answer_repeat,
    evidence_of,
    log_unconfirmed,
    office_texts,
    refuse,
    source_of,
)


async def answer_handled(update: Update, context: BotContext, handled: Handled) -> None:
    """One message to the chat (one line per task when there are several); the office's
    notices were written with what was stored (`office_notices_of`, in its transaction), and
    go whether or not the chat's answer could be delivered."""
    try:
        if len(handled.outcomes) == 1:
            await _answer_one(update, context, handled.outcomes[0], handled.evidence)
        else:
            t = texts(update, context)
            text, keyboard = digest_answer(t, handled.outcomes, context.services.ctx.tz)
            if update.callback_query is not None:
                await update.callback_query.answer()
            ids = list(dict.fromkeys(o.assignment_id for o in handled.outcomes))
            await reply_about(update, context, ids, text, reply_markup=keyboard)
    except TelegramError as error:
        stored = [
            str(o.effect.result.update_id)
            for o in handled.outcomes
            if isinstance(o.effect, Stored) and isinstance(o.effect.result, Recorded)
        ]
        log_unconfirmed(update, ",".join(stored) or "-", error)


async def _answer_one(
    update: Update, context: BotContext, outcome: ItemOutcome, evidence: int
) -> None:
    t = texts(update, context)
    code = f"#{outcome.assignment_id}"
    effect = outcome.effect
    stated = _stated(outcome)
    if _refused_or_repeated(effect):
        if stated is not None and isinstance(stated.effect, Stored):
            # the figure was recorded, the request repeats or is refused: the figure's answer
            await _answer_stored(update, context, stated, stated.effect, evidence)
            return
        await _answer_refusal(update, context, outcome)
        return
    if update.callback_query is not None:  # "which task?" picked: the press is answered here
        await update.callback_query.answer()
    about = [outcome.assignment_id]
    if isinstance(effect, Unclear):
        await reply_about(
            update,
            context,
            about,
            t.t("replies.unclear", code=code),
            reply_markup=progress_keyboard(t, outcome.assignment_id),
        )
    elif isinstance(effect, DateNeeded):
        past = t.t("progress.date_in_past") if effect.past is not None else ""
        question = past or t.t("replies.ask_date", code=code)
        if stated is not None:
            question = f"{_stated_line(t, stated, evidence)}\n{question}"
        await _ask_date(update, context, outcome.assignment_id, effect.reason, question=question)
    elif isinstance(effect, NoDeadline):
        undo_id = None
        if stated is not None:
            assert isinstance(stated.effect, Stored) and isinstance(stated.effect.result, Recorded)
            undo_id = stated.effect.result.update_id
        text, keyboard = no_deadline_answer(t, outcome.assignment_id, effect.until, undo_id=undo_id)
        if stated is not None:
            text = f"{_stated_line(t, stated, evidence)}\n{text}"
        await reply_about(update, context, about, text, reply_markup=keyboard)
    elif isinstance(effect, Acknowledged):
        await reply_about(
            update, context, about, acknowledged_text(t, outcome.assignment_id, effect)
        )
    elif isinstance(effect, ExtensionAsked):
        head = _stated_line(t, stated, evidence) if stated is not None else ""
        await _answer_extension(update, context, outcome.assignment_id, effect, head)
    else:
        await _answer_stored(update, context, outcome, effect, evidence)


async def _answer_stored(
    update: Update, context: BotContext, outcome: ItemOutcome, effect: Stored, evidence: int
) -> None:
    t = texts(update, context)
    result = effect.result
    assert isinstance(result, Recorded)
    if outcome.item.intent is Intent.REASSIGN:
        text = t.t("replies.reassign_sent", code=f"#{outcome.assignment_id}")
        await reply_about(update, context, [outcome.assignment_id], text)
        return
    text = recorded_text(t, outcome, result, evidence)
    if result.kind == ProgressKind.NOTE and outcome.item.cites_document:
        text, keyboard = done_question(t, text, outcome.assignment_id, result.update_id)
        await reply_about(update, context, [outcome.assignment_id], text, reply_markup=keyboard)
        return
    keyboard = undo_keyboard(t, result.update_id)
    await reply_about(update, context, [outcome.assignment_id], text, reply_markup=keyboard)


async def _answer_extension(
    update: Update, context: BotContext, assignment_id: int, effect: ExtensionAsked, head: str
) -> None:
    """The request sent (or its date asked again), under `head`: the line confirming the
    figure or difficulty stated with it, when one was recorded."""
    t = texts(update, context)
    result = effect.result
    if result is Refusal.NOT_AFTER_DEADLINE:  # the date understood is not later: ask for one
        question = t.t(
            "progress.not_after_deadline", code=f"#{assignment_id}", date=fmt_date(effect.current)
        )
        question = f"{head}\n{question}" if head else question
        await _ask_date(update, context, assignment_id, effect.reason, question=question)
        return
    if isinstance(result, Waiting):  # one request waits for the office: nothing sent
        await reply_about(update, context, [assignment_id], waiting_text(t, result, head))
        return
    assert isinstance(result, tuple)
    _recorded, request_id = result
    stored = effect.stored
    undo_id = (
        stored.result.update_id
        if stored is not None and isinstance(stored.result, Recorded)
        else None
    )
    text, keyboard = extension_sent(t, assignment_id, effect, request_id, undo_id=undo_id)
    text = f"{head}\n{text}" if head else text
    await reply_about(update, context, [assignment_id], text, reply_markup=keyboard)


def _stated(outcome: ItemOutcome) -> ItemOutcome | None:
    """The figure or difficulty recorded beside a request for more time, as its own outcome."""
    stored = getattr(outcome.effect, "stored", None)
    if isinstance(stored, Stored) and isinstance(stored.result, Recorded):
        return ItemOutcome(outcome.item, outcome.assignment_id, stored)
    return None


def _stated_line(t: Texts, stated: ItemOutcome, evidence: int) -> str:
    effect = stated.effect
    assert isinstance(effect, Stored) and isinstance(effect.result, Recorded)
    return recorded_text(t, stated, effect.result, evidence)


async def _drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the message pressed (a second press finds none: nothing to edit,
    which Telegram would refuse)."""
    pressed = query.message
    if pressed is not None and getattr(pressed, "reply_markup", None):
        await drop_buttons(query)


def _refused_or_repeated(effect: Effect) -> bool:
    """Refused (but for a date not after the deadline, which asks for another) or a repeat:
    answered by the refusal's or the repeat's own words."""
    result = getattr(effect, "result", None)
    if result is Refusal.NOT_AFTER_DEADLINE and isinstance(effect, ExtensionAsked):
        return False
    return isinstance(result, Refusal | Repeat)


async def _answer_refusal(update: Update, context: BotContext, outcome: ItemOutcome) -> None:
    """A refusal (an alert under a button) or a repeat: each answers the press itself."""
    result = getattr(outcome.effect, "result", None)
    if isinstance(result, Repeat):
        await answer_repeat(update, context, texts(update, context), result)
    elif isinstance(result, Refusal):
        await refuse(update, context, result, f"#{outcome.assignment_id}")


async def _ask_date(
    update: Update, context: BotContext, assignment_id: int, reason: str, *, question: str = ""
) -> None:
    """More time asked without a date the bot can use: the 📅 button's question, with the
    reason kept for the request."""
    identity = identity_of(update)
    await context.services.conversation.ask(
        chat_id=identity.chat_id,
        user_id=identity.user_id,
        action=Act.EXT,
        target_id=assignment_id,
        payload={"reason": reason[:1000]},
    )
    t = texts(update, context)
    await ask(update, question or t.t("replies.ask_date", code=f"#{assignment_id}"))


def office_notices_of(context: BotContext, outcome: object) -> list[Outgoing]:
    """What the office is told of a reply's stored effects (a completion, a blocker, "not
    ours", an extension request), written in the reply's transaction."""
    if not isinstance(outcome, Handled):
        return []
    t = office_texts(context)
    notices: list[Outgoing] = []
    for item in outcome.outcomes:
        effect = item.effect
        if isinstance(effect, Stored) and isinstance(effect.result, Recorded):
            if item.item.intent is Intent.REASSIGN:
                notices.append(
                    reassign_notice(t, effect.result, effect.report.note, effect.proposed)
                )
            else:
                notices += office_notices(t, effect.result, effect.report)
        elif isinstance(effect, ExtensionAsked) and isinstance(effect.result, tuple):
            recorded, request_id = effect.result
            notices.append(
                extension_notice(
                    t, recorded, request_id, new_end=effect.until, current=effect.current,
                    reason=effect.reason,
                )
            )  # fmt: skip
        elif (stated := _stated(item)) is not None:
            # A figure or difficulty stated with a request that did not go out (no date yet):
            # told as its own report. When the request went out, it quotes the words.
            stored = stated.effect
            assert isinstance(stored, Stored) and isinstance(stored.result, Recorded)
            notices += office_notices(t, stored.result, stored.report)
    return notices


# --- the buttons these answers add -----------------------------------------------------------


async def fix_date_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """✏️ Sửa ngày: the request understood from words is withdrawn (if the office has not
    decided yet) and the right date is asked, as after 📅."""
    request_id = await target_of(update, context, callback)
    if request_id is None:
        return
    person = await who(update, context)
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    office_t = office_texts(context)

    def tell(withdrawn: object) -> list[Outgoing]:
        if not isinstance(withdrawn, Withdrawn):
            return []
        return [
            withdrawal_notice(
                office_t, agency=withdrawn.agency_name, assignment_id=withdrawn.assignment_id,
                until=withdrawn.until,
            )
        ]  # fmt: skip

    services = context.services
    withdrawn = await services.outbox.along(
        services.replies.withdraw_extension(person, request_id), tell
    )
    if isinstance(withdrawn, Refusal):
        if withdrawn is Refusal.NO_PENDING_EXTENSION:
            await query.answer(t.t("replies.fix_gone"), show_alert=True)
        else:
            await refuse(update, context, withdrawn)
        return
    assert isinstance(withdrawn, Withdrawn)
    await query.answer()
    await _drop_buttons(query)
    identity = identity_of(update)
    await context.services.conversation.ask(
        chat_id=identity.chat_id,
        user_id=identity.user_id,
        action=Act.EXT,
        target_id=withdrawn.assignment_id,
        payload={"reason": withdrawn.reason},
    )
    await ask(update, t.t("replies.ask_fixed_date", code=f"#{withdrawn.assignment_id}"))


async def keep_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """The office's Giữ nguyên: the task stays with its agency, which is told."""
    assignment_id = await target_of(update, context, callback)
    if assignment_id is None:
        return
    person = await who(update, context)
    if not await allowed(update, context, person, Action.ASSIGN):
        return
    query = update.callback_query
    assert query is not None
    line = await context.services.tasks.find_line(person, str(assignment_id))
    t = texts(update, context)
    if line is None:
        await query.answer(t.t("progress.task_not_found"), show_alert=True)
        return
    await query.answer()
    await _drop_buttons(query)
    code = f"#{assignment_id}"
    await reply(update, t.t("replies.kept", code=code, agency=line.agency_name))
    agency_t = texts_for(None, context.services.ctx.settings.language)
    await deliver_to_agency(
        context.bot,
        context.services,
        line.agency_id,
        agency_t.t("replies.agency_kept", code=code),
        assignment_ids=[assignment_id],
    )


async def pick_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """The task picked for a report kept by "which task?"; the button answers once. The report
    is then read as a reply to that task's card."""
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
    text = str(question.payload.get("text", ""))
    services = context.services
    outcome = await services.outbox.along(  # the office told in the same transaction
        services.replies.take_picked(person, assignment_id, text, evidence, source_of(update)),
        lambda outcome: office_notices_of(context, outcome),
    )
    if isinstance(outcome, Handled):
        await answer_handled(update, context, outcome)
        return
    await query.answer()
    if isinstance(outcome, SeveralItems):
        await ask_several(update, context, outcome)
        return
    error = outcome.error
    await reply(
        update, texts(update, context).t(f"progress.{error.code.value}", detail=error.detail)
    )


# --- what the bot cannot read: voice notes and stickers --------------------------------------

HINT_KIND = "media_hint"  # dispatch log: (chat:person, day) → that day's hint is given


async def media_hint(update: Update, context: BotContext) -> None:
    """A voice note or a sticker: the bot reads neither, so nothing is recorded, and a person
    who may believe they reported is told how to (docs/replies.md, "Nothing vanishes"):

    - in private, and in any chat when it replies to the bot's message: always;
    - a voice note replying to nothing in an agency's group, from someone who reports for
      it: once a day per person there (people also talk to each other by voice);
    - a sticker replying to nothing, and anything from people who do not report there:
      chatter, left alone.

    The once-a-day hint is claimed in the dispatch log (the database), so neither a restart
    nor a second instance repeats it."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or update.effective_user is None:
        return
    replied = message.reply_to_message
    to_bot = (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == context.bot.id
    )
    voice = bool(message.voice or message.audio or message.video_note)
    person = await who(update, context)
    t = texts(update, context)
    if person.actor.is_stranger:
        if chat.type == "private":
            await reply(update, t.t("common.stranger"))
        return
    key = "common.voice_unsupported" if voice else "replies.sticker_hint"
    if chat.type == "private" or to_bot:
        await reply(update, t.t(key))
        return
    scope = person.scope
    reports_here = (
        scope.agency_id is not None and person.may(Action.REPORT, agency_id=scope.agency_id).allowed
    )
    if not (voice and reports_here):
        return
    dispatch = context.services.dispatch
    claim = await dispatch.claim(
        kind=HINT_KIND,
        target=f"{chat.id}:{update.effective_user.id}",
        period=context.services.ctx.today().isoformat(),
    )
    if claim is not None:
        await reply(update, t.t(key))
        await dispatch.sent(claim, message_id=None)


# --- /capnhat #12 <words> -------------------------------------------------------------------


async def update_command(update: Update, context: BotContext) -> None:
    """/capnhat: a report on the task named, read like a reply to its card."""
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


async def report_text(
    update: Update, context: BotContext, person: Who, assignment_id: int, text: str
) -> None:
    """/capnhat's words: refused with the old reader's precise reasons (a percent out of range,
    an empty report), a bare number is the percent ("/capnhat #12 70"), and anything else is
    read like a reply to the task's card (an extension in words is the 📅 request...)."""
    evidence = evidence_of(update.effective_message)
    parsed = parse_command_report(text, has_evidence=bool(evidence))
    if isinstance(parsed, ProgressError):
        t = texts(update, context)
        await reply(update, t.t(f"progress.{parsed.code.value}", detail=parsed.detail))
        return
    if means_percent(text):
        text = f"{text.strip()}%"
    services = context.services
    outcome = await services.outbox.along(  # the office told in the same transaction
        services.replies.take_picked(person, assignment_id, text, evidence, source_of(update)),
        lambda outcome: office_notices_of(context, outcome),
    )
    if isinstance(outcome, Handled):
        await answer_handled(update, context, outcome)
    elif isinstance(outcome, SeveralItems):
        await ask_several(update, context, outcome)


async def ask_several(update: Update, context: BotContext, outcome: SeveralItems) -> None:
    """Numbered items under a message about one task: nothing recorded, ask for task codes."""
    lines = ", ".join(str(line) for line in outcome.lines)
    code = f"#{outcome.assignment_id}"
    text = texts(update, context).t("replies.several_items", code=code, lines=lines)
    await reply_about(update, context, [outcome.assignment_id], text)
