"""The office's working-day calendar: Vietnam's public holidays plus the office's own days."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

from bot.domain.calendar import WorkCalendar
from storage.repositories import calendar as calendar_repo
from storage.unit_of_work import UnitOfWork


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """Vietnam's holidays for a year, Tết (lunar) included, from the `holidays` package."""
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _years_around(today: date) -> range:
    return range(today.year - 2, today.year + 3)


async def load_calendar(uow: UnitOfWork, *, today: date) -> WorkCalendar:
    """Holidays of the years around `today`, with the office's added and removed days."""
    days: set[date] = set()
    for year in _years_around(today):
        days |= public_holidays(year)
    extra: set[date] = set()
    for day, is_working in await calendar_repo.office_days(uow):
        if is_working:
            extra.add(day)
            days.discard(day)
        else:
            days.add(day)
    return WorkCalendar(holidays=frozenset(days), extra_working_days=frozenset(extra))
