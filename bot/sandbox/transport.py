"""In-process wiring: an httpx transport that answers from the emulator, and PTB factories.

PTB's HTTPXRequest passes `httpx_kwargs` last into `httpx.AsyncClient(...)`, so a `transport`
given there replaces the network entirely (checked against PTB 22's _httpxrequest.py). The
client's timeouts are not enforced by custom transports, so this one applies the read
timeout itself; that keeps `TimedOut` behaviour realistic for slow/timeout faults.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import httpx
from telegram import Bot
from telegram.ext import ApplicationBuilder
from telegram.request import HTTPXRequest

if TYPE_CHECKING:
    from bot.sandbox.emulator import BotApiEmulator


class EmulatorTransport(httpx.AsyncBaseTransport):
    """Routes every request of an httpx client into `BotApiEmulator.handle_http`."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        read_timeout = (request.extensions.get("timeout") or {}).get("read")
        handling = self.emulator.handle_http(
            request.method,
            request.url.raw_path.decode("ascii"),
            request.headers.get("content-type", ""),
            body,
        )
        try:
            if read_timeout is None:
                reply = await handling
            else:
                reply = await asyncio.wait_for(handling, read_timeout)
        except TimeoutError:
            raise httpx.ReadTimeout("The read operation timed out", request=request) from None
        if reply.action == "drop":
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if reply.action == "timeout":
            delay = reply.delay or 0
            if read_timeout is not None:
                delay = min(delay, read_timeout)
            await asyncio.sleep(delay)
            raise httpx.ReadTimeout("The read operation timed out", request=request)
        return httpx.Response(
            reply.status,
            headers={"content-type": reply.content_type},
            content=reply.body,
            request=request,
        )

    async def aclose(self) -> None:
        """Nothing to close: PTB re-initialises clients, so the transport stays reusable."""


def _request(emulator: BotApiEmulator, kwargs: dict[str, Any]) -> HTTPXRequest:
    httpx_kwargs = dict(kwargs.pop("httpx_kwargs", None) or {})
    httpx_kwargs.setdefault("transport", EmulatorTransport(emulator))
    httpx_kwargs.setdefault("trust_env", False)  # a proxy in the environment must not win
    return HTTPXRequest(httpx_kwargs=httpx_kwargs, **kwargs)


def make_request(emulator: BotApiEmulator, **kwargs: Any) -> HTTPXRequest:
    """An HTTPXRequest (any of its arguments accepted) whose traffic goes to the emulator."""
    return _request(emulator, kwargs)


def make_get_updates_request(emulator: BotApiEmulator, **kwargs: Any) -> HTTPXRequest:
    """The request object for getUpdates (PTB keeps it separate so polling never starves)."""
    kwargs.setdefault("connection_pool_size", 1)
    return _request(emulator, kwargs)


def make_bot(emulator: BotApiEmulator, **kwargs: Any) -> Bot:
    """A telegram.Bot talking to the emulator in-process; call `await bot.initialize()`."""
    kwargs.setdefault("request", make_request(emulator))
    kwargs.setdefault("get_updates_request", make_get_updates_request(emulator))
    return Bot(
        emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        **kwargs,
    )


def application_builder(emulator: BotApiEmulator) -> ApplicationBuilder:
    """An ApplicationBuilder with token, URLs and both request objects set; add the rest."""
    return (
        ApplicationBuilder()
        .token(emulator.token)
        .base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url)
        .request(make_request(emulator))
        .get_updates_request(make_get_updates_request(emulator))
    )
