"""Shared fixtures: a migrated database per test, on SQLite always and PostgreSQL when given.

Tests never read a developer's .env: settings are built from explicit dicts.
PostgreSQL tests use DATABASE_URL_TEST (for example
postgresql+psycopg://postgres@127.0.0.1:5432/test); .ci/run sets it.
"""

from __future__ import annotations

import asyncio
import os

# PTB 22 warns when RetryAfter.retry_after is read as an int; opt in to timedelta (v23 default).
os.environ.setdefault("PTB_TIMEDELTA", "true")
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage import migrate
from storage.engine import make_engine, make_session_factory

PG_URL_ENV = "DATABASE_URL_TEST"


def pg_base_url() -> str | None:
    raw = os.environ.get(PG_URL_ENV, "").strip()
    if not raw:
        return None
    return raw.replace("postgresql://", "postgresql+psycopg://", 1)


def _pg_skip_reason() -> str | None:
    url = pg_base_url()
    if not url:
        return (
            f"PostgreSQL tests need {PG_URL_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )
    try:
        engine = create_engine(url.replace("+asyncpg", "+psycopg"))
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # pragma: no cover - depends on the machine
        return f"PostgreSQL at {PG_URL_ENV} is unreachable: {type(error).__name__}"
    return None


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated to head, dropped at the end."""
    reason = _pg_skip_reason()
    if reason:
        pytest.skip(reason)
    base = pg_base_url()
    assert base is not None
    name = f"dondoc_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    migrate.upgrade(url)
    yield url
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


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once per run; each test gets a copy of the file (fast and isolated)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


def _truncate_pg(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"
            )
        ).scalars()
        names = ", ".join(f'"{t}"' for t in tables)
        if names:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: a SQLite file, or the run's PostgreSQL database."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "dondoc.sqlite3"
        shutil.copy(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("pg_database")
    _truncate_pg(url)
    return url


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "dondoc.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_session_factory(engine)


def run_sync(func, *args):  # type: ignore[no-untyped-def]
    """Run a synchronous Alembic call from async tests without blocking the loop."""
    return asyncio.to_thread(func, *args)
