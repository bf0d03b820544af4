"""Web app tests: the real Application, the emulator, and the ASGI app on its services, on a
fresh SQLite file and on PostgreSQL when DATABASE_URL_TEST is set."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.web.support import WebWorld, web_world


@pytest.fixture
async def web(database_url: str) -> AsyncIterator[WebWorld]:
    async with web_world(database_url) as world:
        yield world
