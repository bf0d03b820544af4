"""The office's own calendar days: holidays it adds and make-up working Saturdays."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import CalendarDay
from storage.unit_of_work import UnitOfWork


async def office_days(uow: UnitOfWork) -> list[tuple[date, bool]]:
    """(day, is a working day) of every day the office set."""
    rows = await uow.execute(select(CalendarDay.day, CalendarDay.is_working))
    return [(day, bool(is_working)) for day, is_working in rows.all()]
