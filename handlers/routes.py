"""Where a button press or an answer goes: one table from action to handler.

A button carries `Act:args` (bot/domain/callback_data.py, written only by
bot/messaging/keyboards.py); a question the bot asked is stored with an `Act` too
(pending_inputs.action). `ROUTES` says, for each action, which function handles the press and
which the answer; `on_button` decodes every press once, and `on_message` sends every message
that is not a command to the answer it gives or the report it is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from telegram import Update

from bot.domain.callback_data import Act, Callback, decode
from bot.domain.text import means_cancel
from bot.services.conversation import Pending
from bot.services.replies import (
    AnswersQuestion,
    NotAboutTasks,
    SeveralItems,
    Unreadable,
    WhichTask,
)
from handlers import (
    admin,
    bindings,
    decisions,
    imports,
    menu,
    onboarding,
    outbox,
    progress,
    progress_buttons,
    proposals,
    reminders,
    replies,
    summary,
    tasks,
)
from handlers.base import BotContext, identity_of, remember_who, reply, texts, who
from handlers.guards import stale_button

Pressed = Callable[[Update, BotContext, Callback], Awaitable[None]]
Answered = Callable[[Update, BotContext, Pending, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Route:
    pressed: Pressed | None = None  # a button with this action
    answered: Answered | None = None  # a message answering a question asked with it


ROUTES: Mapping[Act, Route] = MappingProxyType(
    {
        Act.LIST: Route(pressed=tasks.page_pressed),
        Act.CARD: Route(pressed=tasks.card_pressed),
        Act.DONE: Route(pressed=progress_buttons.done_pressed),
        Act.PROG: Route(pressed=progress_buttons.progress_pressed),
        Act.PCT: Route(pressed=progress_buttons.percent_pressed),
        Act.BLOCK: Route(
            pressed=progress_buttons.question_pressed, answered=progress.blocker_answer
        ),
        Act.EXT: Route(
            pressed=progress_buttons.question_pressed, answered=progress.extension_answered
        ),
        Act.UNDO: Route(pressed=progress_buttons.undo_pressed),
        Act.UNDOALL: Route(pressed=progress_buttons.undo_all_pressed),
        # "Which task?" is answered by its buttons; a message then is a report of its own.
        Act.PICK: Route(pressed=replies.pick_pressed),
        Act.CONF: Route(pressed=decisions.completion_pressed),
        Act.RET: Route(pressed=decisions.completion_pressed, answered=decisions.return_answer),
        Act.XOK: Route(pressed=decisions.extension_pressed),
        Act.XNO: Route(pressed=decisions.extension_pressed),
        Act.ACK: Route(pressed=reminders.acknowledge),
        Act.UNBIND: Route(pressed=bindings.unbind_pressed),
        Act.XCAN: Route(pressed=admin.cancel_pressed),
        Act.KEEP: Route(pressed=admin.cancel_pressed),
        Act.IMP: Route(pressed=imports.draft_button, answered=imports.group_members),
        Act.IMPORT: Route(answered=imports.pasted_text),
        Act.FULL: Route(pressed=tasks.full_pressed),
        Act.OPEN: Route(pressed=tasks.open_pressed),
        Act.INV: Route(pressed=bindings.invite_pressed),
        Act.REASG: Route(pressed=admin.reassign_pressed),
        Act.BPAGE: Route(pressed=bindings.bindings_page_pressed),
        Act.HELP: Route(pressed=menu.help_page_pressed),
        Act.UPAGE: Route(pressed=reminders.unacknowledged_page_pressed),
        Act.OBPAGE: Route(pressed=outbox.outbox_page_pressed),
        Act.RBOK: Route(pressed=bindings.rebind_pressed),
        Act.RBNO: Route(pressed=bindings.rebind_pressed),
        Act.RNOW: Route(pressed=reminders.remind_now_pressed),
        Act.XFIX: Route(pressed=replies.fix_date_pressed),
        Act.RKEEP: Route(pressed=replies.keep_pressed),
        Act.XPROP: Route(pressed=proposals.proposal_pressed),
        Act.INVN: Route(pressed=onboarding.notice_pressed),
        Act.INVA: Route(pressed=onboarding.all_pressed),
        Act.OPAGE: Route(pressed=onboarding.boarding_page_pressed),
        Act.OPICK: Route(pressed=onboarding.pick_pressed),
        Act.REINV: Route(pressed=onboarding.one_pressed),
        Act.REP: Route(pressed=summary.files_pressed),
    }
)


async def on_button(update: Update, context: BotContext) -> None:
    """Every button press: decoded here, once; what it may do is checked by its handler
    against the database. A payload no route takes is answered as an expired button."""
    query = update.callback_query
    assert query is not None
    callback = decode(query.data)
    route = ROUTES.get(callback.action) if callback else None
    if callback is None or route is None or route.pressed is None:
        await stale_button(update, context)
        return
    await route.pressed(update, context, callback)


async def on_message(update: Update, context: BotContext) -> None:
    """A message that answers a question the bot asked, or replies to a reminder or card."""
    message = update.effective_message
    chat = update.effective_chat
    user = update.effective_user
    if message is None or chat is None or user is None:
        return
    replied = message.reply_to_message
    from_bot = (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == context.bot.id
    )
    evidence = progress.evidence_of(message)
    services = context.services
    outcome = await services.outbox.along(  # the office's notices in the same transaction
        services.replies.take(
            identity_of(update),
            replied_message_id=replied.message_id if from_bot and replied else None,
            text=message.text or message.caption or "",
            evidence=evidence,
            source=progress.source_of(update),
            to_person=replied is not None and not from_bot and replied.forum_topic_created is None,
            to_list=from_bot and tasks.is_task_list(replied),
        ),
        lambda outcome: replies.office_notices_of(context, outcome),
    )
    if isinstance(outcome, AnswersQuestion):
        await on_answer(update, context, outcome.pending)
    elif isinstance(outcome, NotAboutTasks):
        if not from_bot:
            await progress.unhandled(update, context)
        elif await tasks.hint_list_reply(update, context, replied):
            pass  # a reply to a task list: how to report instead
        elif chat.type == "private" or await progress.reads_as_report_here(update, context):
            await reply(update, texts(update, context).t("progress.not_a_task_message"))
    elif isinstance(outcome, WhichTask):
        remember_who(update, context, outcome.who)
        await progress.ask_which(
            update,
            context,
            outcome.who,
            list(outcome.linked),
            outcome.text,
            evidence,
            unmatched_line=outcome.unmatched_line,
            numbered=outcome.numbered,
        )
    elif isinstance(outcome, SeveralItems):
        await replies.ask_several(update, context, outcome)
    elif isinstance(outcome, Unreadable):
        error = outcome.error
        t = texts(update, context)
        await reply(update, t.t(f"progress.{error.code.value}", detail=error.detail))
    else:
        remember_who(update, context, outcome.who)
        await replies.answer_handled(update, context, outcome)


async def on_answer(update: Update, context: BotContext, pending: Pending) -> None:
    """The answer to a question the bot asked (already taken from the database): "hủy"
    cancels any of them; a question no route answers (asked by an older version) is left
    like any other message."""
    message = update.effective_message
    text = (message.text or message.caption or "").strip() if message else ""
    if means_cancel(text):
        await reply(update, texts(update, context).t("common.cancelled"))
        return
    await who(update, context)
    try:
        route = ROUTES.get(Act(pending.action))
    except ValueError:
        route = None
    if route is None or route.answered is None:
        await progress.unhandled(update, context)
        return
    await route.answered(update, context, pending, text)
