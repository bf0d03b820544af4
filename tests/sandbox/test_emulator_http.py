"""The loopback server speaks HTTP/1.1 correctly at the byte level."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.http_server import EmulatorServer

TOKEN = "123456:TEST-TOKEN"


@pytest.fixture
async def server() -> AsyncIterator[EmulatorServer]:
    emulator = BotApiEmulator(TOKEN)
    emulator.add_user(7, "Hà")
    emulator.add_chat(7, "private")
    async with EmulatorServer(emulator) as server:
        yield server


async def exchange(server: EmulatorServer, raw: bytes) -> bytes:
    """Send raw bytes, read until the server closes the connection."""
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(raw)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), 2)
    writer.close()
    await writer.wait_closed()
    return data


def request(path: str, body: bytes = b"", *, headers: str = "", close: bool = False) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n{headers}"
    if close:
        head += "Connection: close\r\n"
    return head.encode() + b"\r\n" + body


async def test_keep_alive_serves_several_requests_on_one_connection(server) -> None:
    raw = request(f"/bot{TOKEN}/getMe") + request(f"/bot{TOKEN}/getMe", close=True)

    data = await exchange(server, raw)

    assert data.count(b"HTTP/1.1 200 OK") == 2
    assert b"Connection: keep-alive" in data and b"Connection: close" in data


async def test_chunked_json_body_is_read(server) -> None:
    body = json.dumps({"chat_id": 7, "text": "Xin chào"}).encode()
    chunked = f"{len(body[:10]):x}\r\n".encode() + body[:10] + b"\r\n"
    chunked += f"{len(body[10:]):x}\r\n".encode() + body[10:] + b"\r\n0\r\n\r\n"
    raw = (
        f"POST /bot{TOKEN}/sendMessage HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/json\r\nConnection: close\r\n\r\n"
    ).encode() + chunked

    data = await exchange(server, raw)

    payload = json.loads(data.split(b"\r\n\r\n", 1)[1])
    assert payload["ok"] is True
    assert payload["result"]["text"] == "Xin chào"


async def test_garbage_gets_400_and_a_closed_connection(server) -> None:
    data = await exchange(server, b"HELLO\r\n\r\n")

    assert data.startswith(b"HTTP/1.1 400 Bad Request")


async def test_dropped_connection_sends_nothing(server) -> None:
    server.emulator.faults.drop("getMe")

    data = await exchange(server, request(f"/bot{TOKEN}/getMe"))

    assert data == b""


async def test_bad_gateway_is_html_like_nginx(server) -> None:
    server.emulator.faults.bad_gateway("getMe")

    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.post(f"{server.base_url}{TOKEN}/getMe")

    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"


async def test_wrong_token_unknown_method_and_missing_file(server) -> None:
    async with httpx.AsyncClient(trust_env=False) as client:
        wrong = await client.get(f"{server.base_url}999:nope/getMe")
        unknown = await client.get(f"{server.base_url}{TOKEN}/noSuchMethod")
        missing = await client.get(f"{server.base_file_url}{TOKEN}/documents/none.docx")
        query = await client.get(
            f"{server.base_url}{TOKEN}/sendMessage", params={"chat_id": 7, "text": "GET ok"}
        )

    assert (wrong.status_code, wrong.json()["description"]) == (401, "Unauthorized")
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert missing.status_code == 404
    assert query.json()["result"]["text"] == "GET ok"


async def test_close_cuts_a_pending_long_poll(server) -> None:
    client = httpx.AsyncClient(trust_env=False)
    poll = asyncio.create_task(
        client.post(f"{server.base_url}{TOKEN}/getUpdates", data={"timeout": "30"})
    )
    await asyncio.sleep(0.05)

    await asyncio.wait_for(server.close(), 1)

    with pytest.raises(httpx.HTTPError):
        await asyncio.wait_for(poll, 1)
    await client.aclose()
