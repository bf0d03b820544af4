"""Dates typed that are not on any calendar (31/02/2026, 00/13/2026): found, explained, and
mended into an example, so a command answers "there is no 31/02/2026" rather than "not
understood" (review U4/O1). Pure: the handlers say it and change nothing.

Read as the commands read dates: day/month[/year] with `/`, `.` or `-` (a two-digit year is
20yy), year-month-day, or "ngày 31 tháng 2 năm 2026".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.text import fold

_NUMERIC = re.compile(r"(?<![\d/.])(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?(?![\d/.])")
_ISO = re.compile(r"(?<![\d/.\-])(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?![\d/.])")
_WORDS = re.compile(r"(?<!\d)(\d{1,2})\s*thang\s*(\d{1,2})(?:\s*nam\s*(\d{4}))?(?!\d)")
LEAP = 2024  # a leap year: without a year, 29/02 is a date


class Fault(StrEnum):
    MONTH = "month"  # no such month (0, 13…)
    DAY = "day"  # the month has no such day (0, 31/04, 30/02…)


@dataclass(frozen=True, slots=True)
class ImpossibleDate:
    written: str  # as the user wrote it (folded: no diacritics)
    day: int
    month: int
    year: int | None

    @property
    def fault(self) -> Fault:
        return Fault.MONTH if not 1 <= self.month <= 12 else Fault.DAY

    @property
    def days_in_month(self) -> int:
        """The month's last day (its most, 29 for February, when no year was typed)."""
        month = min(max(self.month, 1), 12)
        return calendar.monthrange(self.year or LEAP, month)[1]

    @property
    def shown(self) -> str:
        """The date as the office writes dates, dd/mm/yyyy (dd/mm without a year)."""
        text = f"{self.day:02d}/{self.month:02d}"
        return f"{text}/{self.year}" if self.year else text

    def mended(self, year: int) -> date:
        """The nearest real date: the month within 1..12, the day within the month."""
        month = min(max(self.month, 1), 12)
        the_year = self.year or year
        day = min(max(self.day, 1), calendar.monthrange(the_year, month)[1])
        return date(the_year, month, day)


def impossible_dates(text: str) -> list[ImpossibleDate]:
    """Every date written in `text` that is not on the calendar, in order."""
    folded = fold(text)
    found: list[tuple[int, ImpossibleDate]] = []
    iso = [(m.start(), m.end()) for m in _ISO.finditer(folded)]
    for match in _ISO.finditer(folded):
        _check(found, match.start(), match[0], int(match[3]), int(match[2]), int(match[1]))
    for pattern in (_NUMERIC, _WORDS):
        for match in pattern.finditer(folded):
            if any(start <= match.start() < end for start, end in iso):
                continue  # the month and day of a year-month-day date
            year = _year(match[3])
            _check(found, match.start(), match[0], int(match[1]), int(match[2]), year)
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _check(
    found: list[tuple[int, ImpossibleDate]],
    at: int,
    written: str,
    day: int,
    month: int,
    year: int | None,
) -> None:
    if (year is None or year >= 1) and not _exists(day, month, year):
        found.append((at, ImpossibleDate(written, day, month, year)))


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _exists(day: int, month: int, year: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(year or LEAP, month)[1]


def mend(text: str, year: int) -> str:
    """`text` with each impossible date replaced by its nearest real one, dd/mm/yyyy (a date
    written in words is left as written: the caller then offers its own example)."""
    for found in impossible_dates(text):
        if found.written in text:
            text = text.replace(found.written, found.mended(year).strftime("%d/%m/%Y"), 1)
    return text
