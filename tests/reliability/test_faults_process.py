"""Faults from the process and the database: SIGKILL mid-import and mid-fan-out, a second
SQLite writer holding the lock, PostgreSQL dropping the bot's connections."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, true

from bot.clock import ManualClock
from bot.sandbox.http_server import EmulatorServer
from bot.services.outbox import LEASE
from storage.models import CalendarDay, OutboxMessage, ProgressUpdate, ReminderLog
from tests.harness import (
    FOCAL_A,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    new_emulator,
    running_bot,
    sweep_and_send,
)
from tests.reliability.world import FANOUT_DAY, NOW, TOPICS, seed

ROOT = Path(__file__).resolve().parents[2]
AGENCIES = ("Sở Tài chính", "Sở Công Thương", "Sở Kế hoạch và Đầu tư", "Sở Y tế", "Sở Xây dựng")


def _child_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "DONDOC_ENV_FILE": str(tmp_path / "absent.env"),
        "DATABASE_URL": database_url,
        "PTB_TIMEDELTA": "true",
    }


def _sqlite_file(url: str) -> Path:
    return Path(url.split(":///", 1)[1])


def _big_notice(tasks: int) -> str:
    items = "\n".join(
        f"{i}. Giao {AGENCIES[i % len(AGENCIES)]} chủ trì rà soát hạng mục {i}, "
        "hoàn thành trước 28/02/2021."
        for i in range(1, tasks + 1)
    )
    return (
        "UBND TỈNH NGHỆ AN\nVĂN PHÒNG\nSố: 777/TB-VPUB\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Nghệ An, ngày 05 tháng 02 năm 2021\n\nTHÔNG BÁO\n"
        "Kết luận của đồng chí Phó Chủ tịch UBND tỉnh tại cuộc họp Ban Chỉ đạo\n\n"
        f"Phó Chủ tịch UBND tỉnh có ý kiến như sau:\n{items}\n\n"
        "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./.\n"
    )


def _writer_active(path: Path) -> bool:
    """Another connection holds the write lock (a transaction is writing right now)."""
    probe = sqlite3.connect(path, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        return "locked" in str(error)
    else:
        probe.rollback()
        return False
    finally:
        probe.close()


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path, timeout=10) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


async def test_sigkill_during_an_import_saves_nothing_then_a_rerun_saves_all(
    sqlite_url: str, tmp_path: Path
) -> None:
    """`dondoc import` is one transaction: killed while writing, it leaves no notice, no
    task, no assignment; run again, it saves everything once."""
    notice = tmp_path / "big-notice.txt"
    notice.write_text(_big_notice(600), encoding="utf-8")
    database = _sqlite_file(sqlite_url)
    command = [sys.executable, "-m", "bot", "import", str(notice)]
    env = _child_env(tmp_path, sqlite_url)
    child = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        caught = False
        while child.returncode is None:
            if await asyncio.to_thread(_writer_active, database):
                os.kill(child.pid, signal.SIGKILL)
                caught = True
                break
            await asyncio.sleep(0.01)
        await child.wait()
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    assert caught, "the import finished before it could be killed mid-transaction"
    assert child.returncode == -signal.SIGKILL
    for table in ("notices", "tasks", "assignments", "agencies"):
        assert _count(database, table) == 0, table
    assert await asyncio.to_thread(_integrity, database) == "ok"
    rerun = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _out, err = await rerun.communicate()
    assert rerun.returncode == 0, err.decode()[-2000:]
    assert _count(database, "notices") == 1
    assert _count(database, "tasks") == _count(database, "assignments") >= 590


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


SWEEP_CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import datetime
    from bot.app import build_application, outbox_of
    from bot.clock import ManualClock
    from tests.harness import TZ, make_settings, sweep_and_send

    async def main() -> None:
        url, base = sys.argv[1], sys.argv[2]
        clock = ManualClock(datetime.fromisoformat(sys.argv[3]))
        settings = make_settings(
            url, telegram_api_base_url=base + "/bot", telegram_file_base_url=base + "/file/bot"
        )
        app = build_application(settings, clock=clock, rate_limiter=None, with_jobs=False)
        outbox_of(app).concurrency = 1  # one send at a time: the kill lands mid-fan-out
        async with app:
            await sweep_and_send(app)
        print("finished", flush=True)

    asyncio.run(main())
    """
)


async def test_sigkill_during_a_fan_out_then_a_restart_loses_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    """A sweep in a child process (claiming the reminders into the outbox, then sending them),
    killed once the first reminder reached its chat; the restarted bot sends the rest once
    the dead sender's lease has run out. A chat whose send was recorded gets exactly one
    message; one whose send was under way may get two (the documented at-least-once window);
    none gets none."""
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS) as harness:
        await seed(harness)
    clock = ManualClock(FANOUT_DAY)
    emulator = new_emulator(clock, topics=TOPICS)
    emulator.faults.slow("sendMessage", delay=0.3, times=10)  # a slow Telegram
    script = tmp_path / "sweep_child.py"
    script.write_text(SWEEP_CHILD, encoding="utf-8")
    async with EmulatorServer(emulator) as server:
        base = server.base_url.removesuffix("/bot")
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            str(script),
            sqlite_url,
            base,
            FANOUT_DAY.isoformat(),
            env=_child_env(tmp_path, sqlite_url),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await emulator.wait_for(
                lambda: [r for r in emulator.sent if r.method == "sendMessage"], timeout=60
            )
            os.kill(child.pid, signal.SIGKILL)
            await child.wait()
        finally:
            if child.returncode is None:
                child.kill()
                await child.wait()
        assert child.returncode == -signal.SIGKILL
        await emulator.wait_idle()  # a send still under way in the server completes
    emulator.faults.clear()
    chats = (GROUP_A, GROUP_B, OFFICE_GROUP)
    before = {c: len([r for r in emulator.sent if r.chat_id == c]) for c in chats}
    assert sum(before.values()) < 3  # killed in the middle, not after the end
    # Restart after the outbox's lease: what was claimed but not recorded is sent again.
    restart = ManualClock(FANOUT_DAY + LEASE + timedelta(seconds=1))
    async with running_bot(sqlite_url, clock=restart, emulator=emulator) as second:
        recorded_before = {
            r.chat_id for r in await second.rows(OutboxMessage, OutboxMessage.sent_at.is_not(None))
        }
        await sweep_and_send(second.app)
        second.clock.advance(timedelta(hours=1))
        assert (await sweep_and_send(second.app)).messages == 0
        rows = await second.rows(ReminderLog, true())
    assert rows and all(r.sent_at is not None for r in rows)
    for chat in chats:
        copies = len([r for r in emulator.sent if r.chat_id == chat and r.method == "sendMessage"])
        if chat in recorded_before:
            assert copies == 1, chat
        else:
            assert 1 <= copies <= 2, chat


async def test_sqlite_busy_from_a_second_writer_waits_and_succeeds(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Another process holds the write lock for a moment: the bot's write waits (busy
    timeout) instead of failing, and both writes are kept."""
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        other = sqlite3.connect(_sqlite_file(sqlite_url), timeout=5, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO calendar_days (day, is_working, note) VALUES ('2020-04-04', 1, 'bù')"
        )
        released = asyncio.get_running_loop().call_later(0.2, other.execute, "COMMIT")
        try:
            await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đạt 60%")
            assert not other.in_transaction  # the lock was released while the bot waited
        finally:
            released.cancel()
            if other.in_transaction:
                other.execute("COMMIT")
            other.close()
        assert "Đã ghi nhận" in harness.last_text(GROUP_A)
        assert [u.percent for u in await harness.rows(ProgressUpdate, true())] == [60]
        assert len(await harness.rows(CalendarDay, true())) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.pg
async def test_postgresql_dropping_the_bots_connections_is_survived(
    pg_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    """What a server restart does to a running bot, without restarting a shared server: its
    backends are terminated; the next update reconnects (the pool's ping, which is the
    transaction's BEGIN: storage/psycopg_begin.py) and succeeds."""
    from tests.conftest import _truncate_pg

    _truncate_pg(pg_database)
    async with running_bot(pg_database, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 10%")
        name = pg_database.rsplit("/", 1)[1]
        admin = create_engine(
            pg_database.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
        )
        try:
            with admin.connect() as connection:
                killed = connection.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                ).scalar()
        finally:
            admin.dispose()
        assert killed and killed >= 1
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 20%")
        assert "Đã ghi nhận" in harness.last_text(GROUP_A)
        rows = await harness.rows(ProgressUpdate, ProgressUpdate.assignment_id == task)
        assert [r.percent for r in rows] == [10, 20]
    assert not [
        r for r in caplog.records if r.name == "handlers.common" and r.levelno >= logging.ERROR
    ]
