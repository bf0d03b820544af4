"""Handler tests: the real Application on a fresh SQLite file (and PostgreSQL when given)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.domain.notice import parse_notice
from tests.harness import SEED, Harness, running_bot


@pytest.fixture
async def bot(database_url: str) -> AsyncIterator[Harness]:
    """The bot on a fresh SQLite file, and again on PostgreSQL when DATABASE_URL_TEST is set."""
    async with running_bot(database_url) as harness:
        yield harness


@pytest.fixture
async def seeded(bot: Harness) -> Harness:
    """The seed notice imported (its agencies and tasks exist)."""
    text = SEED.read_text(encoding="utf-8")
    await bot.services.notices.import_notice(parse_notice(text), source_text=text, by_user_id=None)
    return bot
