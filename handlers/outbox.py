"""/hopthu: the office sees what waits in the outbox and what could not be delivered, in
pages of one phone screen (◀️ ▶️ under them, `obpage:<page>`, edited in place)."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.domain.callback_data import Act, Callback
from bot.domain.permissions import Action
from bot.messaging.keyboards import pages_keyboard
from bot.messaging.outbox_presenter import status_pages
from handlers.base import BotContext, edit, reply, texts, who
from handlers.guards import allowed

LISTED = 20  # of each list, oldest waiting and latest failed; the rest is counted ("+N")
FAILED_SINCE = timedelta(days=7)


async def outbox_command(update: Update, context: BotContext) -> None:
    person = await who(update, context)
    if not await allowed(update, context, person, Action.VIEW_ALL):
        return
    t = texts(update, context)
    pages = await _pages(update, context)
    await reply(
        update, pages[0], reply_markup=pages_keyboard(t, Act.OBPAGE, page=1, pages=len(pages))
    )


async def outbox_page_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """◀️ ▶️ under /hopthu (`obpage:<page>`): that page of the outbox as it is now, in place."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    if not await allowed(update, context, person, Action.VIEW_ALL):
        return
    t = texts(update, context)
    pages = await _pages(update, context)
    page = min(max(callback.int_arg(0) or 1, 1), len(pages))
    await query.answer()
    await edit(
        query,
        pages[page - 1],
        reply_markup=pages_keyboard(t, Act.OBPAGE, page=page, pages=len(pages)),
    )


async def _pages(update: Update, context: BotContext) -> list[str]:
    services = context.services
    waiting = await services.outbox.waiting(limit=LISTED)
    failures = await services.outbox.failures(limit=LISTED, since=services.ctx.now() - FAILED_SINCE)
    names = {
        (q.chat_id, q.thread_id): await services.bindings.chat_name(q.chat_id, q.thread_id)
        for q in [*waiting[1], *failures[1]]
    }
    return status_pages(
        texts(update, context), waiting=waiting, failures=failures, names=names, tz=services.ctx.tz
    )
