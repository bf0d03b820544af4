"""The notice of assignment: when a notice is saved, each bound agency is told, in one
message, which tasks it received, with a 👍 Đã tiếp nhận button. Written to the outbox in
the import's own transaction (handlers/imports.py)."""

from __future__ import annotations

from telegram import Bot
from telegram.ext import Application

from bot.messaging.delivery import to_chat
from bot.messaging.reminder_presenter import announcement
from bot.messaging.texts import texts_for
from bot.services import Services
from bot.services.outbox import Outgoing


async def announcements(
    services: Services, new_assignments_by_agency: dict[int, list[int]], notice_number: str
) -> list[Outgoing]:
    """What each bound agency is told of the tasks a saved notice gave it (`ImportResult.
    new_assignments_by_agency`: a re-import announces only the tasks it added). Agencies with
    no chat are skipped (they see their tasks when they register)."""
    t = texts_for(None, services.ctx.settings.language)
    messages: list[Outgoing] = []
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
            messages += [
                to_chat(
                    target,
                    part.text,
                    part.markup,
                    assignment_ids=part.assignment_ids,
                    purpose="announce",
                )
                for part in parts
            ]
    return messages


async def announce_assignments(
    app_or_bot: Application | Bot,
    services: Services,
    new_assignments_by_agency: dict[int, list[int]],
    notice_number: str,
) -> int:
    """Write the announcements of tasks already saved to the outbox; returns the messages
    written (the sender sends them)."""
    del app_or_bot  # the outbox's sender sends
    messages = await announcements(services, new_assignments_by_agency, notice_number)
    return await services.outbox.post(*messages)
