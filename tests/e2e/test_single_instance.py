"""One `dondoc run` per SQLite file (issue 17, item 4): a second one on the same file refuses
to start with one line that names the first and points to PostgreSQL; once the first has
stopped (even killed), the file is free again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.http_server import EmulatorServer
from storage.instance_lock import DatabaseInUse, single_instance
from tests.harness import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def test_the_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    with single_instance(url) as held:
        assert held is not None
        with pytest.raises(DatabaseInUse) as refused, single_instance(url):
            pass
        assert f"pid {os.getpid()}" in refused.value.holder
    with single_instance(url):  # released with the first
        pass
    with single_instance("postgresql+psycopg://u@h/db") as nothing:  # PostgreSQL: no lock
        assert nothing is None


def _env(server: EmulatorServer, database: Path, tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "TELEGRAM_FILE_BASE_URL": server.base_file_url,
        "DATABASE_URL": f"sqlite:///{database}",
        "ADMIN_IDS": "1001",
        "DONDOC_ENV_FILE": str(tmp_path / "absent.env"),
        "PYTHONPATH": str(ROOT),
    }


async def _start(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--auto-upgrade",
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip


async def test_a_second_dondoc_run_on_one_sqlite_file_refuses_to_start(tmp_path: Path) -> None:
    emulator = BotApiEmulator(TOKEN)
    database = tmp_path / "bot.sqlite3"
    async with EmulatorServer(emulator, host="127.0.0.1", port=0) as server:
        env = _env(server, database, tmp_path)
        first = await _start(env)
        try:
            await emulator.wait_for(lambda: emulator.count("getUpdates") >= 1, timeout=60)
            second = await _start(env)
            output, _ = await asyncio.wait_for(second.communicate(), timeout=60)
            assert first.returncode is None  # the first runs on, untouched
        finally:
            first.send_signal(signal.SIGKILL)
            await asyncio.wait_for(first.communicate(), timeout=60)
        text = output.decode("utf-8", "replace").strip()
        assert second.returncode == 2, text
        assert len(text.splitlines()) == 1, text
        assert f"pid {first.pid}" in text and "PostgreSQL" in text and str(database) in text
        # Killed, the first released the file: a new one starts.
        third = await _start(env)
        try:
            polls = emulator.count("getUpdates")
            await emulator.wait_for(lambda: emulator.count("getUpdates") > polls, timeout=60)
            assert third.returncode is None
        finally:
            third.send_signal(signal.SIGTERM)
            await asyncio.wait_for(third.communicate(), timeout=60)
