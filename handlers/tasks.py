"""/nhiemvu: the task list (paged), a task's card (`/nhiemvu #15`) and its whole text."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, InputFile, Message, Update

from bot.domain.bounds import bounded_id
from bot.domain.callback_data import Act, Callback, decode
from bot.domain.permissions import Action, Denial
from bot.domain.report_filter import is_overdue_token
from bot.messaging.answers import AnswerUndelivered, about_tasks
from bot.messaging.keyboards import (
    agency_choices_keyboard,
    form_button,
    more_keyboard,
    progress_keyboard,
)
from bot.messaging.layout import fits, plain
from bot.messaging.presenters import agency_not_matched, card_full_text, card_text, list_page
from handlers.base import BotContext, edit, reply, texts, who
from handlers.guards import deny, target_of

TASK_CODE = re.compile(r"#?(\d+)")


async def _render_list(
    update: Update, context: BotContext, *, query: str, token: str | None, page: int
) -> tuple[str, InlineKeyboardMarkup | None] | None:
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
        return (
            agency_not_matched(t, query, listing.agency_match, command="/nhiemvu"),
            agency_choices_keyboard(Act.LIST, listing.agency_match.candidates),
        )
    if listing.unknown_filter is not None:
        return t.t("tasks.unknown_filter", query=listing.unknown_filter), None
    if person.scope.agency_id is not None:
        overdue = is_overdue_token(listing.token)
        key = "tasks.title_agency_overdue" if overdue else "tasks.title_agency"
        title = t.t(key, agency=listing.title)
    elif is_overdue_token(listing.token) and listing.title:  # ⚠️ under a filtered digest
        title = t.t("tasks.title_overdue_filtered", filter=listing.title)
    elif is_overdue_token(listing.token):
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
    """/nhiemvu [quahan | <đơn vị> | <số văn bản>] lists; /nhiemvu #15 opens assignment 15's card
    (`#N` is task N everywhere)."""
    query = " ".join(context.args or []).strip()
    code = TASK_CODE.fullmatch(query)
    if code:
        number = bounded_id(code[1])
        if number is None:  # past any task's number: not found, and no query overflows
            await reply(update, texts(update, context).t("tasks.not_found", code=query))
            return
        await show_card(update, context, number)
        return
    rendered = await _render_list(update, context, query=query, token=None, page=1)
    if rendered is not None:
        text, keyboard = rendered
        await reply(update, text, reply_markup=keyboard)


async def open_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """ "Xem thêm" under a digest, or an agency picked from /nhiemvu's choices: the list as a
    new message (`open:<filter>`), leaving the message pressed as it was."""
    query = update.callback_query
    assert query is not None
    token = callback.args[0] if callback.args else ""
    if not is_overdue_token(token) and not (token.startswith("a") and token[1:].isdigit()):
        await query.answer(texts(update, context).t("common.stale_button"), show_alert=True)
        return
    rendered = await _render_list(update, context, query="", token=token, page=1)
    if rendered is None:
        return
    await query.answer()
    text, keyboard = rendered
    await reply(update, text, reply_markup=keyboard, do_quote=False)


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
    await edit(query, text, reply_markup=keyboard)


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
    text, left_out = card_text(t, card, context.services.ctx.tz)
    chat = update.effective_chat
    assert chat is not None
    keyboard: InlineKeyboardMarkup | None
    if card.line.status not in ("done", "cancelled"):
        web_base_url = context.services.ctx.settings.web_base_url
        form = form_button(
            t,
            web_base_url,
            private=chat.type == "private",
            bot_username=context.bot.username if web_base_url else None,
            assignment_id=assignment_id,
        )
        keyboard = progress_keyboard(t, assignment_id, more=left_out, form=form)
    else:
        keyboard = more_keyboard(t, assignment_id) if left_out else None
    with about_tasks([assignment_id], "card"):
        try:
            sent = await context.bot.send_message(
                chat.id,
                text,
                reply_markup=keyboard,
                message_thread_id=person.scope.thread_id or None,
            )
        except AnswerUndelivered:
            sent = None  # handed to the outbox with its task: linked when it is sent
    if sent is not None:
        await context.services.conversation.remember(
            chat_id=chat.id,
            message_id=sent.message_id,
            assignment_ids=[assignment_id],
            purpose="card",
        )
    if update.callback_query:
        await update.callback_query.answer()


async def card_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """A task's code under a list: its card."""
    assignment_id = await target_of(update, context, callback)
    if assignment_id is None:
        return
    await show_card(update, context, assignment_id)


async def full_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """ "Xem thêm" under a card: the task's whole text and history, as a message when it fits
    one screen, else as a text file."""
    query = update.callback_query
    assert query is not None
    assignment_id = await target_of(update, context, callback)
    if assignment_id is None:
        return
    t = texts(update, context)
    person = await who(update, context)
    card = await context.services.tasks.card(person, assignment_id)
    if card is None:
        await query.answer(t.t("tasks.not_found", code=f"#{assignment_id}"), show_alert=True)
        return
    await query.answer()
    full = card_full_text(t, card, context.services.ctx.tz)
    if fits(full):
        await reply(update, full, do_quote=False)
        return
    message = update.effective_message
    assert message is not None
    await message.reply_document(
        InputFile(plain(full).encode("utf-8"), filename=f"nhiem-vu-{assignment_id}.txt"),
        caption=t.t("tasks.full_caption", code=f"#{assignment_id}"),
        do_quote=False,
    )


def is_task_list(message: Message | None) -> bool:
    """A task list the bot sent: its buttons open task cards."""
    markup = message.reply_markup if message is not None else None
    if markup is None:
        return False
    for row in markup.inline_keyboard:
        for button in row:
            data = button.callback_data
            callback = decode(data) if isinstance(data, str) else None
            if callback is not None and callback.action is Act.CARD:
                return True
    return False


async def hint_list_reply(update: Update, context: BotContext, replied: Message | None) -> bool:
    """A reply to a task list names no task, so nothing is recorded: say so, and how to
    report, to whoever may report here (in a group, others' chatter stays unanswered). The
    official whose card never came (Telegram down) then knows to open it again."""
    if not is_task_list(replied):
        return False
    person = await who(update, context)
    scope = person.scope
    if not scope.is_private and not person.may(Action.REPORT, agency_id=scope.agency_id).allowed:
        return False
    await reply(update, texts(update, context).t("tasks.list_reply_hint"))
    return True
