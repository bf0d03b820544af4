"""How a refusal is said: one place, so every handler refuses alike."""

from __future__ import annotations

from telegram import Update

from bot.domain.callback_data import Callback
from bot.domain.permissions import Action, Denial
from bot.services.access import Who
from handlers.base import BotContext, reply, texts

DENIAL_KEYS = {
    Denial.STRANGER: "common.stranger",
    Denial.ADMIN_ONLY: "common.admin_only",
    Denial.OTHER_AGENCY: "common.not_allowed",
    Denial.WRONG_CHAT: "common.not_allowed",
}


async def allowed(
    update: Update,
    context: BotContext,
    person: Who,
    action: Action,
    *,
    agency_id: int | None = None,
) -> bool:
    """Ask the permission rule; on refusal answer the user and return False."""
    decision = person.may(action, agency_id=agency_id)
    if decision.allowed:
        return True
    await deny(update, context, person, decision.denial or Denial.STRANGER)
    return False


async def target_of(update: Update, context: BotContext, callback: Callback) -> int | None:
    """The id a button acts on (its first argument); a payload without one is answered as an
    expired button and gives None."""
    target = callback.int_arg(0)
    if target is None:
        await stale_button(update, context)
    return target


async def stale_button(update: Update, context: BotContext) -> None:
    """A button that no longer means anything (malformed, forged, from an old version)."""
    query = update.callback_query
    assert query is not None
    await query.answer(texts(update, context).t("common.stale_button"), show_alert=True)


async def turned_away(update: Update, context: BotContext, person: Who) -> bool:
    """A stranger gets the stranger's answer before anything else (silence in a group
    nobody bound), so a command never tells them more, not even how to use it."""
    if not person.actor.is_stranger:
        return False
    await deny(update, context, person, Denial.STRANGER)
    return True


async def deny(update: Update, context: BotContext, person: Who, denial: Denial) -> None:
    """Answer a refused action: an alert for a button, a short reply for a message.

    A stranger writing in a group the bot does not know gets silence: the bot already
    explained how to bind that group when it was added, and must not spam it.
    """
    text = texts(update, context).t(DENIAL_KEYS[denial])
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
        return
    if not person.scope.is_private and not person.scope.is_bound and denial is Denial.STRANGER:
        return
    await reply(update, text)
