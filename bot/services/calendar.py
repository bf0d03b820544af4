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


def warm_public_holidays(today: date) -> None:
    """Compute the years around `today` now, at start-up: the first `country_holidays` call
    imports ~280 of the package's modules (0.2-0.6 s), which otherwise held the event loop,
    and every chat's answer, in the first reminder sweep (bench/README.md, finding P)."""
    for year in _years_around(today):
        public_holidays(year)


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
