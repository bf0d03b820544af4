"""What every use case needs: a unit of work, the clock and the office's settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Settings
from storage.engine import SessionFactory
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ServiceContext:
    session_factory: SessionFactory
    clock: Clock
    settings: Settings

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.timezone

    def uow(self) -> UnitOfWork:
        """One transaction (storage/unit_of_work.py); a use case called inside another's
        joins it."""
        return UnitOfWork(self.session_factory)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()
