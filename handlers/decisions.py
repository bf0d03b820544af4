"""The office's decisions on what agencies report: confirm or return a completion, approve or
refuse an extension. The agency is told, in the office's language."""

from __future__ import annotations

from telegram import Update

from bot.domain.callback_data import Act, Callback
from bot.domain.permissions import Action
from bot.messaging.delivery import to_agency as to_agency_chats
from bot.messaging.format import fmt_date, shorten
from bot.messaging.progress_notices import agency_notice
from bot.messaging.repeats import decided_answer
from bot.services.access import Who
from bot.services.conversation import Pending
from bot.services.outbox import Outgoing
from bot.services.progress import Recorded, Refusal
from bot.services.repeats import Repeat
from handlers.base import BotContext, ask, drop_buttons, identity_of, reply, texts, who
from handlers.guards import allowed, target_of
from handlers.progress import office_texts, refuse, source_of


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
    agency_t = office_texts(context)
    result = await services.outbox.along(
        services.progress.decide_completion(
            person, assignment_id, accept=True, reason="", source=source_of(update)
        ),
        lambda r: tell_agency(r, agency_t.t("progress.agency_confirmed", code=f"#{assignment_id}")),
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    if isinstance(result, Repeat):
        await already_decided(update, context, result)
        return
    await query.answer()
    await drop_buttons(query)
    await reply(
        update, t.t("progress.confirmed", code=f"#{assignment_id}", agency=result.agency_name)
    )


async def extension_decision(
    update: Update, context: BotContext, person: Who, approve: bool, request_id: int
) -> None:
    t = texts(update, context)
    services = context.services
    if not await allowed(update, context, person, Action.DECIDE_EXTENSION):
        return
    said = "approved" if approve else "refused"

    def to_agency(result: object) -> list[Outgoing]:
        if not isinstance(result, tuple):
            return []
        recorded, new_end, proposal, others = result
        code = f"#{recorded.assignment_id}"
        key = f"progress.agency_{'proposal' if proposal else 'extension'}_{said}"
        agency_t = office_texts(context)
        text = agency_t.t(key, code=code, date=fmt_date(new_end))
        # The deadline is the task's: the other agencies on it are told, each its own code.
        shared = [
            (h, agency_t.t(
                "progress.agency_deadline_shared", code=f"#{h.assignment_id}",
                date=fmt_date(new_end), agency=recorded.agency_name,
            ))
            for h in others
        ]  # fmt: skip
        return tell_agency(recorded, text) + [
            to_agency_chats(
                h.agency_id, note, family="notice", item=note, tag=f"#{h.assignment_id}"
            )
            for h, note in shared
        ]

    result = await services.outbox.along(
        services.progress.decide_extension(
            person, request_id, approve=approve, source=source_of(update)
        ),
        to_agency,
    )
    query = update.callback_query
    assert query is not None
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    if isinstance(result, Repeat):
        await already_decided(update, context, result)
        return
    recorded, new_end, proposal, others = result
    await query.answer()
    await drop_buttons(query)
    code = f"#{recorded.assignment_id}"
    key = f"progress.{'proposal' if proposal else 'extension'}_{said}"
    answer = t.t(key, code=code, date=fmt_date(new_end))
    if others:
        names = ", ".join(f"{h.agency_name} (#{h.assignment_id})" for h in others)
        answer += "\n" + t.t(
            "progress.deadline_shared", n=len(others), agencies=shorten(names, 300)
        )
    await reply(update, answer)


async def return_answer(update: Update, context: BotContext, pending: Pending, text: str) -> None:
    """The office's reason for returning a completion: the agency is told why."""
    t = texts(update, context)
    person = await who(update, context)
    services = context.services
    target_id = pending.target_id
    agency_t = office_texts(context)
    result = await services.outbox.along(
        services.progress.decide_completion(
            person, target_id, accept=False, reason=text, source=source_of(update)
        ),
        lambda r: tell_agency(
            r, agency_t.t("progress.agency_returned", code=f"#{target_id}", reason=text)
        ),
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    if isinstance(result, Repeat):
        await already_decided(update, context, result)
        return
    await reply(update, t.t("progress.returned", code=f"#{target_id}", agency=result.agency_name))


def tell_agency(result: object, text: str) -> list[Outgoing]:
    """The agency is told of a decision, in its transaction (nothing for a refusal or a
    decision pressed twice: the agency was told the first time)."""
    return [agency_notice(result, text)] if isinstance(result, Recorded) else []


async def already_decided(update: Update, context: BotContext, decided: Repeat) -> None:
    """The same decision pressed (or answered) again: what was decided and when, and the
    buttons taken away (the first press may have lost that edit). Nothing is stored."""
    text = decided_answer(texts(update, context), decided, tz=context.services.ctx.tz)
    query = update.callback_query
    if query is None:
        await reply(update, text)
        return
    await query.answer(text, show_alert=True)
    pressed = query.message
    if pressed is not None and getattr(pressed, "reply_markup", None):
        await drop_buttons(query)
