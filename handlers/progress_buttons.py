"""The buttons under a task's card and under a confirmation: ✅ Hoàn thành, 🔄 Đang thực
hiện and its percentages, ⚠️ Vướng mắc and 📅 Gia hạn (which ask a question answered in
handlers/progress.py), ↩️ Hoàn tác. handlers/routes.py sends each press here by its action;
what a report does once read is handlers/progress.py's `record`."""

from __future__ import annotations

from telegram import CallbackQuery, Update

from bot.domain.callback_data import Act, Callback
from bot.domain.progress import ProgressKind, ProgressReport
from bot.messaging.keyboards import percent_keyboard
from bot.messaging.presenters import status_label
from bot.messaging.reply_answers import undone_all_text
from bot.services.access import Who
from bot.services.progress import Refusal
from handlers.base import BotContext, ask, identity_of, reply, reply_about, texts, who
from handlers.guards import target_of
from handlers.progress import record, refuse, source_of


async def done_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """✅ Hoàn thành."""
    target = await target_of(update, context, callback)
    if target is None:
        return
    person = await who(update, context)
    await record(update, context, person, target, ProgressReport(ProgressKind.DONE, 100, ""))


async def progress_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """🔄 Đang thực hiện: offers the percentages."""
    target = await target_of(update, context, callback)
    if target is None:
        return
    person = await who(update, context)
    if await can_report(update, context, person, target):
        t = texts(update, context)
        await _query(update).answer()
        await reply(
            update,
            t.t("progress.choose_percent", code=f"#{target}"),
            reply_markup=percent_keyboard(t, target),
        )


async def percent_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """25% / 50% / 75% under 🔄."""
    target = await target_of(update, context, callback)
    if target is None:
        return
    person = await who(update, context)
    percent = callback.int_arg(1)
    if percent is None or not 0 <= percent <= 100:
        text = texts(update, context).t("progress.percent_out_of_range")
        await _query(update).answer(text, show_alert=True)
        return
    report = ProgressReport(ProgressKind.IN_PROGRESS, percent, f"{percent}%")
    await record(update, context, person, target, report)


async def question_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """⚠️ Vướng mắc or 📅 Gia hạn: asks for the blocker or the date, whose answer comes as a
    message (`blocker_answer`, `extension_answered`)."""
    target = await target_of(update, context, callback)
    if target is None:
        return
    person = await who(update, context)
    if await can_report(update, context, person, target):
        await context.services.conversation.ask(
            chat_id=identity_of(update).chat_id,
            user_id=identity_of(update).user_id,
            action=callback.action,
            target_id=target,
        )
        await _query(update).answer()
        key = "progress.ask_blocker" if callback.action is Act.BLOCK else "progress.ask_extension"
        await ask(update, texts(update, context).t(key, code=f"#{target}"))


async def undo_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """↩️ Hoàn tác under a confirmation, for five minutes."""
    target = await target_of(update, context, callback)
    if target is None:
        return
    person = await who(update, context)
    result = await context.services.progress.undo(person, target, source_of(update))
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    t = texts(update, context)
    await _query(update).answer()
    await reply_about(
        update,
        context,
        [result.assignment_id],
        t.t(
            "progress.undone",
            code=f"#{result.assignment_id}",
            status=status_label(t, result.status, result.percent),
        ),
    )


async def undo_all_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """↩️ Hoàn tác tất cả under a reply about several tasks: every report it recorded, taken
    back in one transaction, and said in one message (a line per task, its status now)."""
    target = await target_of(update, context, callback)
    if target is None:
        return
    person = await who(update, context)
    result = await context.services.progress.undo_message(person, target, source_of(update))
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    t = texts(update, context)
    await _query(update).answer()
    ids = [r.assignment_id for r in result]
    await reply_about(update, context, ids, undone_all_text(t, result))


def _query(update: Update) -> CallbackQuery:
    query = update.callback_query
    assert query is not None
    return query


async def can_report(update: Update, context: BotContext, person: Who, assignment_id: int) -> bool:
    line = await context.services.tasks.find_line(person, str(assignment_id))
    if line is None:
        await refuse(update, context, Refusal.NOT_ALLOWED)
        return False
    if line.status in ("done", "cancelled"):
        await refuse(update, context, Refusal.CLOSED, line.code)
        return False
    return True
