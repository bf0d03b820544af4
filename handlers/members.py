"""/xoadaumoi <user id> <đơn vị>: a person who leaves an agency loses access at once.

Only the office may do it. The membership is ended (kept, inactive), so the history of
what that person reported stays readable; every later command, reply or button press by
them is refused, because access is read from the database on each update.
"""

from __future__ import annotations

from telegram import Update

from bot.domain.bounds import bounded_user_id
from bot.domain.permissions import Action
from bot.messaging.presenters import agency_not_matched
from handlers.base import BotContext, reply, texts, who
from handlers.guards import allowed


async def remove_member(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.MANAGE_BINDINGS):
        return
    args = context.args or []
    user_id = bounded_user_id(args[0]) if len(args) >= 2 else None
    if user_id is None:
        await reply(update, t.t("members.usage"))
        return
    query = " ".join(args[1:])
    match = await context.services.agencies.find(query)
    if match.agency is None:
        await reply(update, agency_not_matched(t, query, match))
        return
    removed = await context.services.bindings.remove_member(
        user_id=user_id, agency_id=match.agency.id
    )
    key = "members.removed" if removed else "members.not_member"
    await reply(update, t.t(key, user=user_id, agency=match.agency.name))
