"""The notice of assignment: when a notice is saved, each bound agency is told, in one
message, which tasks it received, with a 👍 Đã tiếp nhận button."""

from __future__ import annotations

from telegram import Bot
from telegram.ext import Application

from bot.messaging.delivery import deliver
from bot.messaging.reminder_presenter import announcement
from bot.messaging.texts import texts_for
from bot.services import Services


async def announce_assignments(
    app_or_bot: Application | Bot,
    services: Services,
    new_assignments_by_agency: dict[int, list[int]],
    notice_number: str,
) -> int:
    """Tell each bound agency, in one message, which tasks a saved notice gave it.

    Called by the import flow after the notice is saved, with `ImportResult.
    new_assignments_by_agency`: a re-import announces only the tasks it added. Agencies with
    no chat are skipped (they see their tasks when they register). Returns messages sent.
    """
    bot = app_or_bot.bot if isinstance(app_or_bot, Application) else app_or_bot
    t = texts_for(None, services.ctx.settings.language)
    sent = 0
    for agency_id, assignment_ids in new_assignments_by_agency.items():
        if not assignment_ids:
            continue
        targets = await services.conversation.agency_chats(agency_id)
        if not targets:
            continue
        parts = announcement(
            t, await services.reminders.briefs(assignment_ids), notice_number=notice_number
        )
        for target in targets:
            for part in parts:
                message = await deliver(
                    bot,
                    services,
                    target,
                    part.text,
                    reply_markup=part.markup,
                    assignment_ids=list(part.assignment_ids),
                    purpose="announce",
                )
                if message is None:
                    break  # that chat is gone or failing: do not send it the other parts
                sent += 1
    return sent
