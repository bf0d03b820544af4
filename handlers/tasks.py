"""/nhiemvu: the task list (paged) and the task card."""

from __future__ import annotations

from telegram import Update

from bot.domain.callback_data import Callback
from bot.domain.permissions import Denial
from bot.messaging.keyboards import form_button, progress_keyboard
from bot.messaging.presenters import agency_not_matched, card_text, list_page
from handlers.base import BotContext, reply, texts, who
from handlers.guards import deny, target_of


async def _render_list(
    update: Update, context: BotContext, *, query: str, token: str | None, page: int
):  # type: ignore[no-untyped-def]
    t = texts(update, context)
    person = await who(update, context)
    listing = await context.services.tasks.list_tasks(person, query=query, token=token)
    if listing.denied:
        await deny(
            update,
            context,
            person,
            Denial.STRANGER if person.actor.is_stranger else Denial.WRONG_CHAT,
        )
        return None
    if listing.agency_match is not None and listing.agency_match.candidates:
        query = listing.unknown_filter or ""
        return agency_not_matched(t, query, listing.agency_match, command="/nhiemvu"), None
    if listing.unknown_filter is not None:
        return t.t("tasks.unknown_filter", query=listing.unknown_filter), None
    if person.scope.agency_id is not None:
        title = t.t("tasks.title_agency", agency=listing.title)
    elif listing.token == "od":
        title = t.t("tasks.title_overdue")
    elif listing.title:
        title = t.t("tasks.title_filtered", filter=listing.title)
    else:
        title = t.t("tasks.title_all")
    return list_page(
        t,
        listing.lines,
        title=title,
        page=page,
        show_agency=listing.show_agency,
        filter_token=listing.token,
    )


async def list_command(update: Update, context: BotContext) -> None:
    rendered = await _render_list(
        update, context, query=" ".join(context.args or []), token=None, page=1
    )
    if rendered is not None:
        text, keyboard = rendered
        await reply(update, text, reply_markup=keyboard)


async def page_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """◀️ ▶️ under a task list: `list:<page>:<filter>`."""
    query = update.callback_query
    assert query is not None
    page = await target_of(update, context, callback)
    token = callback.args[1] if len(callback.args) > 1 else "all"
    if page is None:
        return
    rendered = await _render_list(update, context, query="", token=token, page=page)
    if rendered is None:
        return
    await query.answer()
    text, keyboard = rendered
    await query.edit_message_text(text, reply_markup=keyboard)


async def show_card(update: Update, context: BotContext, assignment_id: int) -> None:
    """Send a task card and remember it, so a reply to it reports on this task."""
    t = texts(update, context)
    person = await who(update, context)
    card = await context.services.tasks.card(person, assignment_id)
    if card is None:
        if update.callback_query:
            await update.callback_query.answer(
                t.t("tasks.not_found", code=f"#{assignment_id}"), show_alert=True
            )
        else:
            await reply(update, t.t("tasks.not_found", code=f"#{assignment_id}"))
        return
    chat = update.effective_chat
    assert chat is not None
    form = form_button(
        t,
        context.services.ctx.settings.web_base_url,
        private=chat.type == "private",
        bot_username=context.bot.username if context.services.ctx.settings.web_base_url else None,
        assignment_id=assignment_id,
    )
    keyboard = (
        progress_keyboard(t, assignment_id, form=form)
        if card.line.status not in ("done", "cancelled")
        else None
    )
    sent = await context.bot.send_message(
        chat.id,
        card_text(t, card, context.services.ctx.tz),
        reply_markup=keyboard,
        message_thread_id=person.scope.thread_id or None,
    )
    await context.services.conversation.remember(
        chat_id=chat.id, message_id=sent.message_id, assignment_ids=[assignment_id], purpose="card"
    )
    if update.callback_query:
        await update.callback_query.answer()


async def card_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """A task's code under a list: its card."""
    assignment_id = await target_of(update, context, callback)
    if assignment_id is None:
        return
    await show_card(update, context, assignment_id)
