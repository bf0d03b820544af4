"""What every use case needs: a unit of work, the clock and the office's settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Settings
from storage.engine import SessionFactory
from storage.unit_of_work import UnitOfWork, journal_writes

# Re-exported: what `watch_commits` yields, for the layers that may not import storage.
from storage.unit_of_work import WriteJournal as WriteJournal


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
        joins it. On SQLite, use cases take turns (one transaction at a time per process):
        the bot handles several chats' updates at once."""
        return UnitOfWork(self.session_factory, take_turns=True)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()


@contextmanager
def watch_commits() -> Iterator[WriteJournal]:
    """Count the transactions that stored something while this is open (`journal.commits`):
    the bot opens one per update, so a failure can be told apart as "nothing was stored" or
    "stored, then something after it failed" (storage/unit_of_work.py)."""
    with journal_writes() as journal:
        yield journal
