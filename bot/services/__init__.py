"""Use cases: async, one transaction each, no Telegram import. `build_services` wires them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.services.access import AccessService
from bot.services.context import ServiceContext


@dataclass(frozen=True, slots=True)
class Services:
    ctx: ServiceContext
    access: AccessService


def build_services(
    session_factory: async_sessionmaker[AsyncSession], clock: Clock, settings: Settings
) -> Services:
    ctx = ServiceContext(session_factory=session_factory, clock=clock, settings=settings)
    return Services(ctx=ctx, access=AccessService(ctx))
