"""`dondoc web`'s bot and `dondoc invites`' getMe run on production's aiohttp transport
(bot/app.py `plain_bot`), against the emulator over loopback HTTP, and close their sessions:
no "Unclosed client session" is left behind (warnings are errors here)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import warnings
from datetime import datetime

import pytest

from bot.app import plain_bot
from bot.cli.invites import _username
from bot.clock import ManualClock
from bot.config import Settings
from bot.messaging.aiohttp_request import AiohttpRequest
from bot.sandbox.http_server import EmulatorServer
from bot.serve import serve_web
from tests.harness import TOKEN, TZ, new_emulator

NOW = datetime(2019, 12, 27, 8, 0, tzinfo=TZ)


def _settings(server: EmulatorServer, database_url: str = "sqlite+aiosqlite://") -> Settings:
    return Settings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=server.base_url,
        telegram_file_base_url=server.base_file_url,
        database_url=database_url,
        timezone=TZ,
    )


def _unclosed_after_collection() -> list[str]:
    """What the garbage collector finds unclosed (aiohttp warns in a session's __del__)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gc.collect()
    return [str(w.message) for w in caught if "nclosed" in str(w.message)]


@pytest.mark.filterwarnings("error")
async def test_plain_bot_is_on_aiohttp_and_closes() -> None:
    emulator = new_emulator(ManualClock(NOW))
    async with EmulatorServer(emulator) as server:
        bot = plain_bot(_settings(server))
        assert isinstance(bot.request, AiohttpRequest)
        async with bot:
            assert bot.username == emulator.bot_username
            session = bot.request.session
            assert session is not None and not session.closed
        assert session.closed
    assert [call.method for call in emulator.calls] == ["getMe"]
    assert _unclosed_after_collection() == []


@pytest.mark.filterwarnings("error")
async def test_invites_get_me_over_loopback() -> None:
    """`dondoc invites` without --bot asks getMe, in its own event loop (asyncio.run)."""
    emulator = new_emulator(ManualClock(NOW))
    async with EmulatorServer(emulator) as server:
        settings = _settings(server)
        username = await asyncio.to_thread(_username, argparse.Namespace(bot=None), settings)
    assert username == emulator.bot_username
    assert [call.method for call in emulator.calls] == ["getMe"]
    assert _unclosed_after_collection() == []


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_web_bot_over_loopback_closes_when_serving_ends(database_url: str) -> None:
    """`dondoc web` asks getMe over loopback, serves, and when stopped (its task cancelled)
    closes its bot and its listening socket."""
    emulator = new_emulator(ManualClock(NOW))
    async with EmulatorServer(emulator) as server:
        web = asyncio.create_task(
            serve_web(_settings(server, database_url), host="127.0.0.1", port=0)
        )
        for _ in range(1_000):  # until it has asked getMe (or stopped)
            if web.done() or any(call.method == "getMe" for call in emulator.calls):
                break
            await asyncio.sleep(0.02)
        assert not web.done(), web
        web.cancel()
        with pytest.raises(asyncio.CancelledError):
            await web
        del web  # the task holds the server: what it left open is garbage from here
    assert [call.method for call in emulator.calls] == ["getMe"]
    assert all(call.status == 200 for call in emulator.calls)
    assert _unclosed_after_collection() == []
