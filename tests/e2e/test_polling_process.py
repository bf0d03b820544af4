"""End to end: `dondoc run` in its own process polls the emulator over loopback HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.http_server import EmulatorServer
from tests.harness import TOKEN

ROOT = Path(__file__).resolve().parents[2]
ADMIN, FOCAL = 1001, 2001


async def test_dondoc_run_polls_the_configured_api(tmp_path: Path) -> None:
    emulator = BotApiEmulator(TOKEN)
    emulator.add_user(ADMIN, "Văn phòng")
    emulator.add_chat(ADMIN, "private")
    emulator.add_user(FOCAL, "Người lạ")
    emulator.add_chat(FOCAL, "private")
    async with EmulatorServer(emulator, host="127.0.0.1", port=0) as server:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "TELEGRAM_FILE_BASE_URL": server.base_file_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
            "ADMIN_IDS": str(ADMIN),
            "DONDOC_ENV_FILE": str(tmp_path / "absent.env"),
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "DEBUG",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--auto-upgrade",
            cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:
            emulator.user_sends(ADMIN, ADMIN, "/start")
            emulator.user_sends(FOCAL, FOCAL, "/nhiemvu")
            await emulator.wait_for(
                lambda: len([m for m in emulator.sent if m.chat_id in (ADMIN, FOCAL)]) >= 2,
                timeout=60,
            )
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    text = output.decode("utf-8", "replace")
    assert process.returncode == 0, text[-3000:]
    assert "Văn phòng Điều phối" in emulator.last_message(ADMIN)["text"]
    assert "chưa được gắn với đơn vị" in emulator.last_message(FOCAL)["text"]
    assert emulator.count("getUpdates") >= 1
    # DEBUG logging of every request, and still no token in the output.
    assert TOKEN not in text and TOKEN.split(":")[1] not in text
