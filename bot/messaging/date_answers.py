"""The answer to a date that is on no calendar (31/02/2026, 00/13/2026): which date, why, and
an example that works (review U4/O1). The command that got it changes nothing."""

from __future__ import annotations

from bot.domain.impossible_dates import Fault, ImpossibleDate
from bot.messaging.texts import Texts


def impossible_date_text(t: Texts, found: ImpossibleDate, example: str) -> str:
    if found.fault is Fault.MONTH:
        why = t.t("dates.no_month", date=found.shown, month=found.month)
    elif found.day < 1:
        why = t.t("dates.day_zero", date=found.shown)
    else:
        month = f"{found.month:02d}/{found.year}" if found.year else f"{found.month:02d}"
        why = t.t("dates.no_day", date=found.shown, month=month, days=found.days_in_month)
    return why + " " + t.t("dates.retry", example=example)
