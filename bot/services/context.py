"""What every use case needs: a transaction factory, the clock and the office's settings."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ServiceContext:
    session_factory: async_sessionmaker[AsyncSession]
    clock: Clock
    settings: Settings

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.timezone

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    def transaction(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A transaction without an ORM session (commit on success, roll back on error), for
        the progress reply's path, where the session costs more than the statements."""
        return self.session_factory.kw["bind"].begin()

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()
