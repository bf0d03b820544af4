"""Time travel in the sandbox: reading "/time +3d", and when each fixed job would have fired.

Moving the clock runs the scheduler's jobs at the moments they would have fired, in order,
so a month of a notice plays out in a minute with the messages of the real schedule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from telegram.ext import Job

from bot.config import Settings

SWEEP_JOB = "reminder-sweep"


def fire_times(
    jobs: Iterable[Job], start: datetime, end: datetime, settings: Settings
) -> list[tuple[datetime, Job]]:
    """When each fixed job would have fired between start and end, in order.

    The reminder sweep runs every minute in production; between two reminder times it
    finds nothing new, so the sandbox runs it at each day's REMINDER_TIME (and at the
    end), which gives the same messages at the same simulated moments.
    """
    moments: list[tuple[datetime, Job]] = []
    for job in jobs:
        if job.name == SWEEP_JOB:
            moments += [(m, job) for m in daily_moments(start, end, settings)]
            moments.append((end, job))
            continue
        trigger = job.job.trigger
        moment = trigger.get_next_fire_time(None, start)
        while moment is not None and moment <= end and len(moments) < 10_000:
            if moment > start:
                moments.append((moment, job))
            moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return sorted(moments, key=lambda pair: pair[0])


WEEKDAY_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def daily_moments(start: datetime, end: datetime, settings: Settings) -> Iterator[datetime]:
    """Each day's REMINDER_TIME after start, up to end."""
    tz = settings.timezone
    day = start.astimezone(tz).date()
    while True:
        moment = datetime.combine(day, settings.reminder_time, tzinfo=tz)
        if moment > end:
            return
        if moment > start:
            yield moment
        day += timedelta(days=1)


def parse_time(arg: str, now: datetime, settings: Settings) -> datetime | None:
    """ "+3d", "+2h", "+30m", "2020-01-14 08:00", "14/01/2020": the moment meant, or None."""
    arg = arg.strip()
    relative = re.fullmatch(r"\+(\d+)\s*([dhm])", arg)
    if relative:
        amount, unit = int(relative[1]), relative[2]
        return (
            now
            + {
                "d": timedelta(days=amount),
                "h": timedelta(hours=amount),
                "m": timedelta(minutes=amount),
            }[unit]
        )
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(arg, pattern).replace(tzinfo=settings.timezone)
        except ValueError:
            continue
    return None
