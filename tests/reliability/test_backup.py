"""Data safety: backup and restore round trip, refusals, PostgreSQL's explanation, and the
migrations carrying data written at the first revision up to head."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Boolean, Date, DateTime, MetaData, create_engine, func, select, text
from sqlalchemy.engine import Engine

from bot.cli.backup import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, cmd_backup, cmd_restore
from bot.domain.progress import ProgressKind, ProgressReport
from bot.services.progress import Source
from storage import migrate
from storage.models import ProgressUpdate
from tests.conftest import _pg_skip_reason, pg_base_url
from tests.harness import FOCAL_A, GROUP_A, Harness, make_settings, running_bot
from tests.reliability.world import NOW, TOPICS, seed


def _args(file: Path, **extra: Any) -> argparse.Namespace:
    return argparse.Namespace(file=file, **extra)


async def _report(harness: Harness, assignment_id: int, percent: int) -> None:
    who = await harness.services.access.resolve(
        user_id=FOCAL_A, display_name="A", chat_id=GROUP_A, chat_type="supergroup"
    )
    result = await harness.services.progress.report(
        who,
        assignment_id,
        ProgressReport(ProgressKind.IN_PROGRESS, percent, f"đạt {percent}%"),
        Source(FOCAL_A, "A", GROUP_A, percent),
    )
    assert not isinstance(result, str)


async def _percents(url: str) -> list[int]:
    async with running_bot(url, now=NOW, topics=TOPICS) as harness:
        rows = await harness.rows(ProgressUpdate, ProgressUpdate.id > 0)
        return sorted(r.percent or 0 for r in rows)


async def test_backup_while_running_then_restore_round_trip(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(sqlite_url)
    database = Path(sqlite_url.split(":///", 1)[1])
    backup = tmp_path / "backups" / "dondoc-backup.sqlite3"
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        await _report(harness, world.open_task["A"], 10)
        # A second writer is in the middle of a transaction: its row is not committed,
        # so a consistent snapshot must not contain it.
        writer = sqlite3.connect(database, timeout=5)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE agencies SET short_name = 'half-written'")
        try:
            assert await asyncio.to_thread(cmd_backup, _args(backup), settings) == EXIT_OK
        finally:
            writer.rollback()
            writer.close()
        await _report(harness, world.open_task["A"], 50)  # written after the backup
    out = capsys.readouterr().out
    assert "backed up" in out and str(backup) in out
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute(
            "SELECT count(*) FROM agencies WHERE short_name IS NOT NULL"
        ).fetchone() == (0,)
    assert await _percents(sqlite_url) == [10, 50]
    # A second backup to the same file is refused unless forced.
    assert await asyncio.to_thread(cmd_backup, _args(backup), settings) == EXIT_FAILURE
    assert "--force" in capsys.readouterr().err

    assert await asyncio.to_thread(cmd_restore, _args(backup), settings) == EXIT_OK
    out = capsys.readouterr().out
    safety = database.with_name(database.name + ".before-restore")
    assert str(safety) in out and safety.exists()
    # The later data is gone, the earlier is there; the safety copy kept the later data.
    assert await _percents(sqlite_url) == [10]
    assert await _percents(f"sqlite+aiosqlite:///{safety}") == [10, 50]
    # A second restore keeps the first safety copy and makes another one.
    assert await asyncio.to_thread(cmd_restore, _args(backup), settings) == EXIT_OK
    assert len(list(database.parent.glob(database.name + ".before-restore*"))) == 2


@pytest.mark.parametrize("kind", ["missing", "not_sqlite", "not_dondoc", "newer_revision"])
async def test_restore_refuses_what_is_not_a_dondoc_backup(
    sqlite_url: str, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(sqlite_url)
    database = Path(sqlite_url.split(":///", 1)[1])
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        await _report(harness, world.open_task["A"], 30)
    candidate = tmp_path / "candidate.sqlite3"
    if kind == "not_sqlite":
        candidate.write_text("Thông báo kết luận số 22-TB/BCĐ", encoding="utf-8")
    elif kind == "not_dondoc":
        with sqlite3.connect(candidate) as other:
            other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    elif kind == "newer_revision":
        assert await asyncio.to_thread(cmd_backup, _args(candidate), settings) == EXIT_OK
        with sqlite3.connect(candidate) as newer:
            newer.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = await asyncio.to_thread(database.read_bytes)
    assert await asyncio.to_thread(cmd_restore, _args(candidate), settings) == EXIT_FAILURE
    assert "restore failed" in capsys.readouterr().err
    assert await asyncio.to_thread(database.read_bytes) == before
    assert not database.with_name(database.name + ".before-restore").exists()
    assert await _percents(sqlite_url) == [30]


def test_postgresql_backup_and_restore_explain_pg_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings("postgresql+psycopg://dondoc:s3cr3t-pw@db.example:5433/dondoc")
    file = tmp_path / "dondoc.dump"
    assert cmd_backup(_args(file), settings) == EXIT_USAGE
    out = capsys.readouterr().out
    assert (
        f'pg_dump --format=custom --no-owner --file "{file}" '
        '"postgresql://dondoc@db.example:5433/dondoc"' in out
    )
    assert cmd_restore(_args(file), settings) == EXIT_USAGE
    out += capsys.readouterr().out
    assert 'pg_restore --clean --if-exists --no-owner --dbname "postgresql://dondoc@' in out
    assert "s3cr3t-pw" not in out and not file.exists()


# --- migrations: data written at the first revision survives the upgrade to head -----------


def _first_revision(url: str) -> str:
    script = ScriptDirectory.from_config(migrate.alembic_config(url))
    bases = script.get_bases()
    assert len(bases) == 1, bases
    return bases[0]


def _sync(url: str) -> str:
    return url.replace("sqlite+aiosqlite", "sqlite")


def _value(column: Any, n: int) -> Any:
    """A plausible value for a NOT NULL column, by type (Vietnamese text for strings)."""
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, DateTime):
        return datetime(2019, 12, 27, 9, 0)
    if isinstance(kind, Date):
        return date(2019, 12, 27)
    python = getattr(kind, "python_type", str)
    if python is int:
        return n
    return f"giá trị {column.name} {n}"[: getattr(kind, "length", None) or 200]


def _fill_every_table(engine: Engine) -> dict[str, int]:
    """One row in each table of the schema as it is at this revision (reflected, so this
    keeps working whatever the first migration contains), parents before children."""
    metadata = MetaData()
    metadata.reflect(engine)
    ids: dict[str, Any] = {}
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            row: dict[str, Any] = {}
            for column in table.columns:
                fks = list(column.foreign_keys)
                if fks:
                    parent = fks[0].column.table.name
                    if parent in ids and (not column.nullable or parent != table.name):
                        row[column.name] = ids[parent]
                    continue
                if (
                    column.primary_key
                    and column.autoincrement in (True, "auto")
                    and getattr(column.type, "python_type", None) is int
                ):
                    continue
                if column.nullable or column.server_default is not None:
                    continue
                row[column.name] = _value(column, len(counts) + 1)
            result = connection.execute(table.insert().values(**row))
            key = result.inserted_primary_key
            ids[table.name] = key[0] if key else None
            counts[table.name] = 1
    return counts


def _counts(engine: Engine, tables: dict[str, int]) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: int(
                connection.execute(select(func.count()).select_from(text(f'"{name}"'))).scalar()
                or 0
            )
            for name in tables
        }


def _upgrade_with_data(url: str) -> None:
    first = _first_revision(url)
    migrate.upgrade(url, first)
    assert migrate.current_revision(url) == first
    engine = create_engine(_sync(url))
    try:
        written = _fill_every_table(engine)
        assert {"progress_updates", "assignments", "tasks", "notices"} <= set(written)
        migrate.upgrade(url, "head")
        assert migrate.current_revision(url) == migrate.head_revision(url)
        assert _counts(engine, written) == written
    finally:
        engine.dispose()


def test_migrations_carry_data_from_the_first_revision_to_head_on_sqlite(tmp_path: Path) -> None:
    _upgrade_with_data(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")


@pytest.fixture
def empty_pg_database() -> Iterator[str]:
    """A brand-new, empty PostgreSQL database (the run's shared one is already at head)."""
    reason = _pg_skip_reason()
    if reason:
        pytest.skip(reason)
    base = pg_base_url()
    assert base is not None
    name = f"dondoc_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.mark.pg
def test_migrations_carry_data_from_the_first_revision_to_head_on_postgresql(
    empty_pg_database: str,
) -> None:
    _upgrade_with_data(empty_pg_database)
