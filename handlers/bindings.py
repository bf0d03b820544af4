"""Binding agencies: /moi (invite), /start <code> and /dangky <code>, /vanphong, /ganket."""

from __future__ import annotations

import html

from telegram import Update

from bot.domain.callback_data import Act, Callback
from bot.domain.permissions import Action
from bot.messaging.delivery import chat_moved, deliver, deliver_to_office
from bot.messaging.format import fmt_moment
from bot.messaging.keyboards import agency_choices_keyboard, rebind_keyboard
from bot.messaging.onboarding import boarding_view
from bot.messaging.presenters import agency_not_matched, bindings_page
from bot.messaging.texts import texts_for
from bot.reports.kit import invite_link
from bot.services.agencies import AgencyMatch
from bot.services.bindings import RebindOutcome, RebindRequest, Redeemed, RedeemError
from bot.services.conversation import ChatTarget
from handlers import onboarding
from handlers.base import BotContext, drop_buttons, edit, reply, texts, thread_id, who
from handlers.guards import allowed
from handlers.menu import refresh_menus

REDEEM_ERROR_KEYS = {
    RedeemError.OFFICE_CHAT: "bind.office_chat_refused",
    RedeemError.NOT_FOUND: "bind.code_not_found",
    RedeemError.USED: "bind.code_used",
    RedeemError.EXPIRED: "bind.code_expired",
    RedeemError.REVOKED: "bind.code_revoked",
    RedeemError.RATE_LIMITED: "bind.rate_limited",
}


async def invite(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.INVITE):
        return
    query = " ".join(context.args or [])
    if not query:
        await reply(update, t.t("bind.usage_invite"))
        return
    bulk = onboarding.bulk_scope(query)
    if bulk is not None:  # `/moi tatca`, `/moi 22-TB/BCĐ`: many agencies, with the kit
        await onboarding.issue_for(update, context, notice_number=bulk[1])
        return
    await _invite(update, context, query)


async def invite_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """An agency picked from /moi's choices (`inv:<agency>`): its invite."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    if not await allowed(update, context, person, Action.INVITE):
        return
    agency_id = callback.int_arg(0)
    agency = await context.services.agencies.get(agency_id) if agency_id is not None else None
    if agency is None:
        await query.answer(texts(update, context).t("common.stale_button"), show_alert=True)
        return
    await query.answer()
    await _invite(update, context, agency.name)


async def _invite(update: Update, context: BotContext, query: str) -> None:
    t = texts(update, context)
    person = await who(update, context)
    result = await context.services.bindings.create_invite(
        agency_query=query, by_user_id=person.actor.user_id
    )
    if isinstance(result, AgencyMatch):
        keyboard = agency_choices_keyboard(Act.INV, result.candidates)
        await reply(
            update,
            agency_not_matched(t, query, result, command="/moi"),
            reply_markup=keyboard if result.candidates else None,
        )
        return
    link = f"https://t.me/{context.bot.username}?start={result.code}"
    await reply(
        update,
        t.t(
            "bind.invite_created",
            agency=result.agency.name,
            code=result.code,
            expires=fmt_moment(result.expires_at, context.services.ctx.tz),
            link=link,
            group_link=invite_link(context.bot.username, result.code),
        ),
    )


async def _redeem(update: Update, context: BotContext, code: str) -> None:
    t = texts(update, context)
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None and user is not None
    result = await context.services.bindings.redeem(
        code=code,
        user_id=user.id,
        display_name=user.full_name,
        chat_id=chat.id,
        chat_type=chat.type,
        thread_id=thread_id(update.effective_message),
        title=chat.title,
    )
    if isinstance(result, Redeemed):
        if result.again_at is not None:  # sent again: nothing changed (bot/domain/repeats.py)
            key = (
                "bind.already_registered_group"
                if result.bound_chat
                else "bind.already_registered_person"
            )
            when = fmt_moment(result.again_at, context.services.ctx.tz)
            await reply(update, t.t(key, agency=result.agency.name, time=when))
        elif not result.bound_chat:
            await reply(update, t.t("bind.registered_person", agency=result.agency.name))
        elif result.rebind is not None:
            await _ask_office_to_rebind(update, context, result.rebind)
        else:
            await reply(update, t.t("bind.registered_group", agency=result.agency.name))
        return
    if result is RedeemError.OFFICE_CHAT:
        agency = await context.services.bindings.agency_of_code(code=code)
        await reply(update, t.t("bind.office_chat_refused", agency=html.escape(agency or "?")))
        return
    await reply(update, t.t(REDEEM_ERROR_KEYS[result]))


async def _ask_office_to_rebind(
    update: Update, context: BotContext, request: RebindRequest
) -> None:
    """Another agency's code in a bound group: the group hears it waits, the office decides."""
    t = texts(update, context)
    await reply(
        update,
        t.t(
            "bind.rebind_waiting",
            agency=html.escape(request.agency),
            previous=html.escape(request.previous),
        ),
    )
    user = update.effective_user
    office_t = texts_for(None, context.services.ctx.settings.language)
    await deliver_to_office(
        context.bot,
        context.services,
        office_t.t(
            "bind.rebind_request",
            chat=html.escape(request.title or str(request.chat_id)),
            previous=html.escape(request.previous),
            agency=html.escape(request.agency),
            person=html.escape(user.full_name if user else "?"),
        ),
        reply_markup=rebind_keyboard(office_t, request.request_id),
    )


async def rebind_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """✅ Đồng ý chuyển / ❌ Giữ nguyên under a request to move a group (`rbok`/`rbno`)."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.MANAGE_BINDINGS):
        return
    request_id = callback.int_arg(0)
    decision = await context.services.bindings.decide_rebind(
        request_id=request_id or 0,
        approve=callback.action is Act.RBOK,
        by_user_id=person.actor.user_id,
    )
    request = decision.request
    if decision.outcome in (RebindOutcome.GONE, RebindOutcome.ALREADY) or request is None:
        await query.answer(t.t("bind.rebind_decided"), show_alert=True)
        if decision.outcome is RebindOutcome.ALREADY:
            await drop_buttons(query)
        return
    await query.answer()
    await drop_buttons(query)
    approved = decision.outcome is RebindOutcome.APPROVED
    names = {
        "chat": html.escape(request.title or str(request.chat_id)),
        "agency": html.escape(request.agency),
        "previous": html.escape(request.previous),
    }
    await reply(update, t.t("bind.rebind_approved" if approved else "bind.rebind_refused", **names))
    group_t = texts_for(None, context.services.ctx.settings.language)
    key = "bind.rebind_approved_group" if approved else "bind.rebind_refused_group"
    await deliver(
        context.bot,
        context.services,
        ChatTarget(request.chat_id, request.thread_id),
        group_t.t(key, **names),
    )
    if approved:
        await refresh_menus(context.application)


async def chat_migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup: the service message in the old chat (migrate_to_chat_id)
    or in the new one (migrate_from_chat_id); whichever comes first moves the bindings."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await chat_moved(context.bot, context.services, old, new, message.chat.title)


async def start_with_code(update: Update, context: BotContext) -> None:
    """A deep link arrives as `/start <code>`: `t.me/<bot>?start=<code>` in the person's
    private chat (binds the person), `t.me/<bot>?startgroup=<code>` (the kit's QR code) in
    the group Telegram added the bot to (binds that group, and the person)."""
    await _redeem(update, context, (context.args or [""])[0])


async def register_command(update: Update, context: BotContext) -> None:
    if not context.args:
        await reply(update, texts(update, context).t("bind.usage_register"))
        return
    await _redeem(update, context, context.args[0])


async def office(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.BIND_OFFICE):
        return
    chat = update.effective_chat
    assert chat is not None
    if chat.type == "private":
        await reply(update, t.t("bind.office_group_only"))
        return
    agency = await context.services.bindings.bind_office(
        chat_id=chat.id,
        thread_id=thread_id(update.effective_message),
        title=chat.title,
        by_user_id=person.actor.user_id,
    )
    if agency is not None:
        await reply(update, t.t("bind.office_on_agency_group", agency=html.escape(agency)))
        return
    await reply(update, t.t("bind.office_bound"))


async def list_bindings(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.MANAGE_BINDINGS):
        return
    services = context.services
    bindings = await services.bindings.list_bindings()
    boarding = await services.onboarding.boarding()
    if boarding:  # who is on board first; the bound groups (with 🗑) behind 📋
        text, keyboard = boarding_view(
            t, boarding, page=1, bindings=len(bindings), today=services.ctx.today(),
            tz=services.ctx.tz,
        )  # fmt: skip
    else:
        text, keyboard = bindings_page(t, bindings, 1)
    await reply(update, text, reply_markup=keyboard)


async def bindings_page_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """◀️ ▶️ under /ganket (`bpage:<page>`): that page, in place."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    if not await allowed(update, context, person, Action.MANAGE_BINDINGS):
        return
    bindings = await context.services.bindings.list_bindings()
    text, keyboard = bindings_page(texts(update, context), bindings, callback.int_arg(0) or 1)
    await query.answer()
    await edit(query, text, reply_markup=keyboard)


async def unbind_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """✂️ n under /ganket: `unbind:<binding>`."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.MANAGE_BINDINGS):
        return
    binding_id = callback.int_arg(0)
    removed = (
        await context.services.bindings.remove_binding(
            binding_id=binding_id, reason=f"removed by {person.actor.user_id}"
        )
        if binding_id is not None
        else None
    )
    if removed is None:
        await query.answer(t.t("bind.remove_gone"), show_alert=True)
        return
    target = t.t("bind.office_label") if removed.is_office else removed.agency_name or "?"
    await query.answer()
    await reply(update, t.t("bind.removed", chat=removed.title or removed.chat_id, target=target))
