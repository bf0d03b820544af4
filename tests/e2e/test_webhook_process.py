"""Webhook mode: `dondoc run` with WEBHOOK_URL registers the webhook with its secret and
answers updates posted to it; a post without the secret is refused."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.http_server import EmulatorServer
from tests.harness import TOKEN

ROOT = Path(__file__).resolve().parents[2]
USER = 3001
SECRET = "webhook-secret-123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_mode(tmp_path: Path) -> None:
    emulator = BotApiEmulator(TOKEN)
    emulator.add_user(USER, "Người lạ")
    emulator.add_chat(USER, "private")
    port = _free_port()
    async with EmulatorServer(emulator, host="127.0.0.1", port=0) as server:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "TELEGRAM_FILE_BASE_URL": server.base_file_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
            # Telegram wants HTTPS; TLS ends at the proxy in front of the bot's plain HTTP port.
            "WEBHOOK_URL": "https://bot.example.gov.vn/dondoc",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "DONDOC_ENV_FILE": str(tmp_path / "absent.env"),
            "PYTHONPATH": str(ROOT),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--auto-upgrade",
            cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:
            await emulator.wait_for(
                lambda: emulator.webhook.get("url") or process.returncode is not None, timeout=60
            )
            assert emulator.webhook["url"] == "https://bot.example.gov.vn/dondoc"
            assert emulator.webhook.get("secret_token") == SECRET
            message = emulator.user_sends(USER, USER, "/start")
            update = emulator.take_updates()[0]
            assert update["message"]["message_id"] == message["message_id"]
            async with httpx.AsyncClient(trust_env=False) as client:
                for _ in range(50):  # the webhook server may still be starting
                    try:
                        refused = await client.post(
                            f"http://127.0.0.1:{port}/dondoc", json=update,
                            headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                        )  # fmt: skip
                        break
                    except httpx.TransportError:
                        await asyncio.sleep(0.2)
                assert refused.status_code == 403
                accepted = await client.post(
                    f"http://127.0.0.1:{port}/dondoc",
                    content=json.dumps(update),
                    headers={
                        "X-Telegram-Bot-Api-Secret-Token": SECRET,
                        "Content-Type": "application/json",
                    },
                )
                assert accepted.status_code == 200
            await emulator.wait_for(
                lambda: (emulator.last_message(USER) or {}).get("text"), timeout=30
            )
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert "chưa được gắn với đơn vị" in emulator.last_message(USER)["text"]
    assert process.returncode == 0, output.decode()[-3000:]
    assert TOKEN not in output.decode("utf-8", "replace")
