"""`dondoc db copy` (issue 17, item 4): a province's SQLite data into PostgreSQL, every row,
ids continuing after the copy; refused (and nothing written) into a non-empty target, from a
database whose bot is running, or between different revisions."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, true
from sqlmodel import SQLModel

from bot.cli import main
from bot.clock import ManualClock
from bot.sandbox.emulator import BotApiEmulator
from storage.instance_lock import single_instance
from storage.models import ProgressUpdate
from tests.conftest import _truncate_pg
from tests.harness import FOCAL_A, GROUP_A, running_bot
from tests.reliability.world import NOW, TOPICS, seed


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(
        url.replace("sqlite+aiosqlite", "sqlite").replace("+asyncpg", "+psycopg")
    )
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


async def _fill(url: str) -> tuple[BotApiEmulator, ManualClock]:
    async with running_bot(url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        for percent in (10, 20, 30):
            await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đạt {percent}%")
        return harness.emulator, harness.clock


def _cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str, *args: str) -> int:
    monkeypatch.setenv("DATABASE_URL", source)
    monkeypatch.setenv("DONDOC_ENV_FILE", str(tmp_path / "absent.env"))
    return main(["db", "copy", *args])


def test_every_row_is_copied_and_ids_continue(
    sqlite_url: str,
    pg_database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _truncate_pg(pg_database)
    emulator, clock = asyncio.run(_fill(sqlite_url))
    source = _counts(sqlite_url)
    assert source["progress_updates"] == 3 and source["applied_updates"] == 3
    assert _cli(monkeypatch, tmp_path, sqlite_url, "--to", pg_database) == 0
    assert "Đã sao chép" in capsys.readouterr().out
    assert _counts(pg_database) == source
    # A second copy into the now full target is refused and changes nothing.
    assert _cli(monkeypatch, tmp_path, sqlite_url, "--to", pg_database) == 2
    assert "not empty" in capsys.readouterr().err
    assert _counts(pg_database) == source

    async def report_on_postgresql() -> list[int]:
        # The same Telegram (its update ids go on, as the real one's do).
        async with running_bot(pg_database, clock=clock, emulator=emulator) as harness:
            await harness.send(FOCAL_A, GROUP_A, "/capnhat #1 đạt 90%")
            assert "Đã ghi nhận" in harness.last_text(GROUP_A)
            return [r.id or 0 for r in await harness.rows(ProgressUpdate, true())]

    ids = asyncio.run(report_on_postgresql())
    assert sorted(ids) == [1, 2, 3, 4]  # the sequence continued after the copied rows


def test_a_running_bot_or_an_old_target_refuses_the_copy(
    sqlite_url: str,
    pg_database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _truncate_pg(pg_database)
    asyncio.run(_fill(sqlite_url))
    with single_instance(sqlite_url):  # what `dondoc run` holds while it runs
        assert _cli(monkeypatch, tmp_path, sqlite_url, "--to", pg_database) == 2
    assert "in use" in capsys.readouterr().err
    assert sum(_counts(pg_database).values()) == 0
    assert _cli(monkeypatch, tmp_path, sqlite_url, "--to", "sqlite:///elsewhere.db") == 2
    assert "PostgreSQL" in capsys.readouterr().err
