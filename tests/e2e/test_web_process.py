"""`dondoc web` beside a polling bot: its own process on the same database and settings, a Bot
of its own (its username read from the Bot API: the emulator here), the pages behind a
session, Mini App sign-in refusing a stranger; it stops cleanly and logs no token."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.http_server import EmulatorServer
from tests.harness import TOKEN
from tests.web.support import init_data

ROOT = Path(__file__).resolve().parents[2]
STRANGER = 3001


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_dondoc_web_serves_the_app(tmp_path: Path) -> None:
    emulator = BotApiEmulator(TOKEN)
    port = _free_port()
    async with EmulatorServer(emulator, host="127.0.0.1", port=0) as server:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "TELEGRAM_FILE_BASE_URL": server.base_file_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
            "WEB_BASE_URL": "https://dondoc.example.gov.vn",
            "DONDOC_ENV_FILE": str(tmp_path / "absent.env"),
            "PYTHONPATH": str(ROOT),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "web", "--port", str(port), "--auto-upgrade",
            cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient(trust_env=False, base_url=base) as client:
                for _ in range(150):  # migrating and starting
                    try:
                        health = await client.get("/healthz")
                        break
                    except httpx.TransportError:
                        await asyncio.sleep(0.2)
                assert health.text == "ok"
                assert (await client.get("/")).status_code == 401
                refused = await client.post(
                    "/auth/miniapp",
                    json={"init_data": init_data(STRANGER, datetime.now(UTC))},
                )
                assert refused.status_code == 401  # signed by our token, but nobody we know
                assert "content-security-policy" in refused.headers
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    text = output.decode("utf-8", "replace")
    assert process.returncode == 0, text[-3000:]
    assert "POST /auth/miniapp 401" in text
    assert TOKEN not in text and "init_data" not in text
