"""Engine and session factory: SQLite (WAL, inline driver) or PostgreSQL (pre-ping pool, the
ping being the BEGIN on psycopg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import psycopg_begin, sqlite_adapter, sqlite_inline

SQLITE_BUSY_TIMEOUT_MS = 10_000

# What the services are given to open units of work with (storage/unit_of_work.py).
SessionFactory = async_sessionmaker[AsyncSession]


def sqlite_file(url: str) -> Path | None:
    """The SQLite database file a URL names (None: in memory, or not SQLite)."""
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return None if path in {"", ":memory:"} else Path(path)


def make_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the async engine for `url`, with the settings each backend needs."""
    if url.startswith("sqlite"):
        file = sqlite_file(url)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        database = make_url(url).database or ":memory:"
        uri = database.startswith("file:")

        async def connect() -> sqlite_inline.InlineConnection:
            return await sqlite_inline.connect(
                database, busy_timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, uri=uri
            )

        engine = create_async_engine(
            url, echo=echo, async_creator=connect, module=sqlite_adapter.InlineDBAPI()
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    parsed = make_url(url)
    if parsed.get_driver_name() == "psycopg":
        # The pool's ping is the transaction's BEGIN (storage/psycopg_begin.py).
        parsed = parsed.set(drivername=f"postgresql+{psycopg_begin.DRIVER}")
    return create_async_engine(
        parsed, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_recycle=1800
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers run beside the writer. No busy_timeout pragma: SQLite's own busy
    handler would sleep on the event loop's thread; the inline driver retries instead."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: AsyncEngine) -> SessionFactory:
    # expire_on_commit=False: objects stay readable after commit without lazy I/O.
    return async_sessionmaker(engine, expire_on_commit=False, class_=AsyncSession)
