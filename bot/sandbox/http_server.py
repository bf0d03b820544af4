"""The emulator on a loopback socket: a small HTTP/1.1 server on asyncio streams.

End-to-end tests and the terminal sandbox run the bot as it runs in production (its own
aiohttp transport, bot/messaging/aiohttp_request.py; real sockets, keep-alive, multipart
uploads), so the whole HTTP stack is exercised. Only what aiohttp, httpx and curl send is
supported: Content-Length or chunked bodies, keep-alive unless `Connection: close`, no
pipelining guarantees beyond sequential requests.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any

from telegram import Bot
from telegram.ext import ApplicationBuilder
from telegram.request import BaseRequest, HTTPXRequest

from bot.sandbox.emulator import BotApiEmulator, HttpReply

_LOGGER = logging.getLogger(__name__)
MAX_HEAD = 64 * 1024
MAX_BODY = 64 * 1024 * 1024
STALLED_TIMEOUT_DELAY = 3600.0


class HttpParseError(Exception):
    """The client sent something that is not HTTP/1.x we understand: answer 400 and close."""


@dataclass
class HttpRequest:
    method: str
    target: str
    version: str
    headers: dict[str, str]
    body: bytes

    @property
    def keep_alive(self) -> bool:
        connection = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return connection == "keep-alive"
        return connection != "close"


async def read_request(reader: asyncio.StreamReader) -> HttpRequest | None:
    """Read one request; None when the client closed the connection between requests."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise HttpParseError("truncated request head") from None
    except asyncio.LimitOverrunError:
        raise HttpParseError("request head too large") from None
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise HttpParseError(f"bad request line {lines[0]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise HttpParseError(f"bad header line {line!r}")
        headers[name.strip().lower()] = value.strip()
    body = await _read_body(reader, headers)
    return HttpRequest(parts[0].upper(), parts[1], parts[2], headers, body)


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader)
    length_text = headers.get("content-length", "0") or "0"
    if not length_text.isdigit():
        raise HttpParseError("bad Content-Length")
    length = int(length_text)
    if length > MAX_BODY:
        raise HttpParseError("body too large")
    return await reader.readexactly(length) if length else b""


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = (await reader.readuntil(b"\r\n")).split(b";", 1)[0].strip()
        try:
            size = int(size_line, 16)
        except ValueError:
            raise HttpParseError("bad chunk size") from None
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers are ignored
            return bytes(body)
        if len(body) + size > MAX_BODY:
            raise HttpParseError("body too large")
        body += await reader.readexactly(size)
        await reader.readexactly(2)


def render_response(reply: HttpReply, *, keep_alive: bool, head_only: bool = False) -> bytes:
    try:
        reason = HTTPStatus(reply.status).phrase
    except ValueError:
        reason = "Unknown"
    head = [
        f"HTTP/1.1 {reply.status} {reason}",
        "Server: dondoc-bot-api-emulator",
        f"Content-Type: {reply.content_type}",
        f"Content-Length: {len(reply.body)}",
        f"Connection: {'keep-alive' if keep_alive else 'close'}",
    ]
    data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
    return data if head_only else data + reply.body


class EmulatorServer:
    """`async with EmulatorServer(emulator) as server:` serves the emulator on loopback."""

    def __init__(self, emulator: BotApiEmulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.emulator = emulator
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[Any]] = set()
        self.requests_served = 0

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port, limit=MAX_HEAD)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stop listening and cut open connections (long polls included)."""
        if self._server is None:
            return
        self._server.close()
        for task in list(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.gather(*self._connections, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> EmulatorServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # --- PTB wiring ----------------------------------------------------------------------

    def make_request(self, **kwargs: Any) -> HTTPXRequest:
        """A plain HTTPXRequest (real sockets) that ignores proxy settings in the env."""
        httpx_kwargs = dict(kwargs.pop("httpx_kwargs", None) or {})
        httpx_kwargs.setdefault("trust_env", False)
        return HTTPXRequest(httpx_kwargs=httpx_kwargs, **kwargs)

    def make_aiohttp_request(self, *, polling: bool = False) -> BaseRequest:
        """Production's transport as `dondoc run` builds it (bot/app.py: `production_request`,
        or with `polling` getUpdates' `polling_request`), ignoring proxy settings in the env."""
        from bot.app import polling_request, production_request

        return polling_request(trust_env=False) if polling else production_request(trust_env=False)

    def make_bot(self, **kwargs: Any) -> Bot:
        """A telegram.Bot that talks to this server over real sockets."""
        kwargs.setdefault("request", self.make_request())
        kwargs.setdefault("get_updates_request", self.make_request(connection_pool_size=1))
        return Bot(
            self.emulator.token,
            base_url=self.base_url,
            base_file_url=self.base_file_url,
            **kwargs,
        )

    def application_builder(self) -> ApplicationBuilder:
        return (
            ApplicationBuilder()
            .token(self.emulator.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
            .request(self.make_request())
            .get_updates_request(self.make_request(connection_pool_size=1))
        )

    # --- connections ---------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        try:
            await self._serve_requests(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        except HttpParseError as exc:
            reply = HttpReply(400, str(exc).encode(), "text/plain")
            with contextlib.suppress(ConnectionError):
                writer.write(render_response(reply, keep_alive=False))
                await writer.drain()
        finally:
            if task is not None:
                self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve_requests(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        while True:
            request = await read_request(reader)
            if request is None:
                return
            self.requests_served += 1
            reply = await self.emulator.handle_http(
                request.method,
                request.target,
                request.headers.get("content-type", ""),
                request.body,
            )
            if reply.action == "drop":
                return
            if reply.action == "timeout":
                await asyncio.sleep(reply.delay or STALLED_TIMEOUT_DELAY)
                return
            writer.write(
                render_response(
                    reply, keep_alive=request.keep_alive, head_only=request.method == "HEAD"
                )
            )
            await writer.drain()
            if not request.keep_alive:
                return


async def _run_forever(emulator: BotApiEmulator, host: str, port: int) -> None:
    async with EmulatorServer(emulator, host, port) as server:
        print(f"Bot API emulator for token {emulator.token}")
        print(f"  base_url      = {server.base_url}")
        print(f"  base_file_url = {server.base_file_url}")
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """`python -m bot.sandbox.http_server --port 8081`: a standalone emulator to poke at."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--bot-username", default="dondoc_bot")
    args = parser.parse_args(argv)
    emulator = BotApiEmulator(args.token, bot_username=args.bot_username)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run_forever(emulator, args.host, args.port))


if __name__ == "__main__":
    main()
