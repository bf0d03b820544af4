"""/hopthu: the office sees what waits in the outbox and what could not be delivered."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.domain.permissions import Action
from bot.messaging.outbox_presenter import status_text
from handlers.base import BotContext, reply, texts, who
from handlers.guards import allowed

SHOWN = 5  # of each list: the message stays within a phone screen
FAILED_SINCE = timedelta(days=7)


async def outbox_command(update: Update, context: BotContext) -> None:
    person = await who(update, context)
    if not await allowed(update, context, person, Action.VIEW_ALL):
        return
    services = context.services
    waiting = await services.outbox.waiting(limit=SHOWN)
    failures = await services.outbox.failures(limit=SHOWN, since=services.ctx.now() - FAILED_SINCE)
    names = {
        (q.chat_id, q.thread_id): await services.bindings.chat_name(q.chat_id, q.thread_id)
        for q in [*waiting[1], *failures[1]]
    }
    text = status_text(
        texts(update, context),
        waiting=waiting,
        failures=failures,
        names=names,
        tz=services.ctx.tz,
        now=services.ctx.now(),
    )
    await reply(update, text)
