"""The office's decisions on what agencies report: confirm or return a completion, approve or
refuse an extension. The agency is told, in the office's language."""

from __future__ import annotations

from telegram import Update

from bot.domain.callback_data import Act, Callback
from bot.domain.permissions import Action
from bot.messaging.format import fmt_date
from bot.messaging.texts import texts_for
from bot.services.access import Who
from bot.services.conversation import Pending
from bot.services.progress import Refusal
from handlers.base import BotContext, ask, identity_of, reply, texts, who
from handlers.guards import allowed, target_of
from handlers.progress import notify_agency, refuse, source_of


async def completion_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """The office's ✅ Xác nhận or ↩️ Từ chối xác nhận under a reported completion."""
    target = await target_of(update, context, callback)
    if target is None:
        return
    person = await who(update, context)
    await office_decision(update, context, person, callback.action, target)


async def extension_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """The office's Đồng ý / Không đồng ý under an extension request."""
    target = await target_of(update, context, callback)
    if target is None:
        return
    person = await who(update, context)
    await extension_decision(update, context, person, callback.action is Act.XOK, target)


async def office_decision(
    update: Update, context: BotContext, person: Who, action: Act, assignment_id: int
) -> None:
    t = texts(update, context)
    services = context.services
    if not await allowed(update, context, person, Action.CONFIRM):
        return
    query = update.callback_query
    assert query is not None
    if action is Act.RET:
        await services.conversation.ask(
            chat_id=identity_of(update).chat_id,
            user_id=identity_of(update).user_id,
            action=Act.RET,
            target_id=assignment_id,
        )
        await query.answer()
        await ask(update, t.t("progress.ask_return_reason", code=f"#{assignment_id}"))
        return
    result = await services.progress.decide_completion(
        person, assignment_id, accept=True, reason="", source=source_of(update)
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await reply(
        update, t.t("progress.confirmed", code=f"#{assignment_id}", agency=result.agency_name)
    )
    agency_t = texts_for(None, services.ctx.settings.language)
    await notify_agency(
        context, result, agency_t.t("progress.agency_confirmed", code=f"#{assignment_id}")
    )


async def extension_decision(
    update: Update, context: BotContext, person: Who, approve: bool, request_id: int
) -> None:
    t = texts(update, context)
    services = context.services
    if not await allowed(update, context, person, Action.DECIDE_EXTENSION):
        return
    result = await services.progress.decide_extension(
        person, request_id, approve=approve, source=source_of(update)
    )
    query = update.callback_query
    assert query is not None
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    recorded, new_end = result
    await query.answer()
    await query.edit_message_reply_markup(None)
    code = f"#{recorded.assignment_id}"
    key = "progress.extension_approved" if approve else "progress.extension_refused"
    await reply(update, t.t(key, code=code, date=fmt_date(new_end)))
    agency_t = texts_for(None, services.ctx.settings.language)
    agency_key = (
        "progress.agency_extension_approved" if approve else "progress.agency_extension_refused"
    )
    await notify_agency(
        context, recorded, agency_t.t(agency_key, code=code, date=fmt_date(new_end))
    )


async def return_answer(update: Update, context: BotContext, pending: Pending, text: str) -> None:
    """The office's reason for returning a completion: the agency is told why."""
    t = texts(update, context)
    person = await who(update, context)
    services = context.services
    target_id = pending.target_id
    result = await services.progress.decide_completion(
        person, target_id, accept=False, reason=text, source=source_of(update)
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await reply(update, t.t("progress.returned", code=f"#{target_id}", agency=result.agency_name))
    agency_t = texts_for(None, services.ctx.settings.language)
    await notify_agency(
        context,
        result,
        agency_t.t("progress.agency_returned", code=f"#{target_id}", reason=text),
    )
