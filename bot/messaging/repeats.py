"""How a repeat is answered: what was recorded, when, and that nothing was recorded again.

A person who sends the same report again (or presses a button twice) usually never saw the
first answer. So the answer says what happened the first time, with its moment (dd/mm/yyyy
HH:MM, local), and gives back the ↩️ Hoàn tác the lost confirmation carried while it is
still usable.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.messaging.format import fmt_date, fmt_moment
from bot.messaging.keyboards import undo_keyboard
from bot.messaging.presenters import status_label
from bot.messaging.texts import Texts
from bot.services.repeats import Repeat

DECIDED_KEYS = {
    "confirmed": "progress.decided_confirmed",
    "returned": "progress.decided_returned",
    "extension_approved": "progress.decided_extension_approved",
    "extension_refused": "progress.decided_extension_refused",
}


def repeat_answer(
    t: Texts, repeat: Repeat, *, tz: ZoneInfo, now: datetime, undo_minutes: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The answer to a report recorded already: its moment, the task's status now, and Undo
    while the first report may still be undone."""
    code = f"#{repeat.assignment_id}"
    when = fmt_moment(repeat.at, tz)
    if repeat.kind == "extension_request":
        text = t.t("progress.repeat_extension", code=code, date=fmt_date(repeat.on), time=when)
        return text, None
    status = status_label(t, repeat.status, repeat.percent)
    text = t.t("progress.repeat", code=code, time=when, status=status)
    fresh = now - repeat.at <= timedelta(minutes=undo_minutes)
    return text, undo_keyboard(t, repeat.update_id) if fresh else None


def decided_answer(t: Texts, repeat: Repeat, *, tz: ZoneInfo) -> str:
    """The answer to an office decision made already (a button pressed twice)."""
    who = repeat.author_name or t.t("progress.decided_by_office")
    return t.t(
        DECIDED_KEYS[repeat.kind],
        code=f"#{repeat.assignment_id}",
        time=fmt_moment(repeat.at, tz),
        who=who,
    )
