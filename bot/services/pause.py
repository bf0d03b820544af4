"""/tamdung and /tieptuc: an agency stops its own reminders for a while (leave, holidays)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.services.context import ServiceContext
from storage.repositories import agencies as agency_repo


@dataclass(frozen=True, slots=True)
class PauseResult:
    agency_id: int
    agency_name: str
    paused_until: date | None


class PauseService:
    """An agency's pause of its own reminders.

    `paused_until` is inclusive. Escalations to the office continue (the policy's rule):
    pausing is the agency's choice, not the office's.
    """

    MAX_DAYS = 90

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def until_for_days(self, days: int) -> date:
        """N days starting today: /tamdung 3 on a Monday pauses Monday to Wednesday."""
        return self._ctx.today() + timedelta(days=max(days, 1) - 1)

    def valid_until(self, until: date) -> bool:
        today = self._ctx.today()
        return today <= until <= today + timedelta(days=self.MAX_DAYS)

    async def pause(self, agency_id: int, until: date) -> PauseResult | None:
        return await self._set_pause(agency_id, until)

    async def resume(self, agency_id: int) -> PauseResult | None:
        return await self._set_pause(agency_id, None)

    async def _set_pause(self, agency_id: int, until: date | None) -> PauseResult | None:
        async with self._ctx.uow() as uow:
            agency = await agency_repo.set_pause(uow, agency_id=agency_id, until=until)
            if agency is None:
                return None
            return PauseResult(agency_id, agency.name, until)

    async def paused_until(self, agency_id: int) -> date | None:
        """The current pause's last day, or None when not paused (a past pause is over)."""
        async with self._ctx.uow() as uow:
            agency = await agency_repo.get(uow, agency_id=agency_id)
        until = agency.paused_until if agency else None
        return until if until is not None and until >= self._ctx.today() else None
