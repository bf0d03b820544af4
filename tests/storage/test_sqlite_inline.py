"""The SQLite driver that runs statements on the loop's thread (storage/sqlite_inline.py).

What matters is not speed (bench/ measures that) but that running inline never blocks the
event loop on a lock held elsewhere, never gives up before the busy timeout, and does not
retry what a retry cannot fix.
"""

from __future__ import annotations

import ast
import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import sqlite_inline
from storage.engine import make_engine

INSERT_AGENCY = (
    "INSERT INTO agencies (name, key, kind, is_group, active, created_at)"
    " VALUES (?, ?, 'khac', 0, 1, '2020-01-01 00:00:00')"
)


def _file(url: str) -> str:
    return url.split(":///", 1)[1]


async def test_the_engine_uses_the_inline_driver(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            assert isinstance(raw.driver_connection, sqlite_inline.InlineConnection)
            mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
            busy = (await connection.execute(text("PRAGMA busy_timeout"))).scalar_one()
            keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
        assert (mode, busy, keys) == ("wal", 0, 1)  # SQLite's own busy handler would block
    finally:
        await engine.dispose()


async def test_a_write_waits_for_another_writer_without_blocking_the_loop(sqlite_url: str) -> None:
    """Another process (here a thread's own connection) holds the write lock for a while:
    the bot's write is retried until the lock is free, and the loop keeps running meanwhile."""
    locked = threading.Event()
    release = threading.Event()

    def hold_the_write_lock() -> None:
        other = sqlite3.connect(_file(sqlite_url), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute(INSERT_AGENCY, ("A", "a"))
        locked.set()
        release.wait(10)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    assert await asyncio.to_thread(locked.wait, 10)

    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    engine = make_engine(sqlite_url)
    ticking = asyncio.create_task(ticker())
    try:
        asyncio.get_running_loop().call_later(0.3, release.set)
        async with engine.begin() as connection:
            await connection.execute(
                text(INSERT_AGENCY.replace("?", ":p", 1).replace("?", ":q")), {"p": "B", "q": "b"}
            )
        async with engine.connect() as connection:
            names = (await connection.execute(text("SELECT name FROM agencies"))).scalars().all()
    finally:
        ticking.cancel()
        release.set()
        holder.join(10)
        await engine.dispose()
    assert sorted(names) == ["A", "B"]  # both writes landed, one after the other
    assert ticks >= 10  # the loop ran while the write waited (0.3 s at one tick per 5 ms)


async def test_gives_up_with_database_is_locked_after_the_busy_timeout(tmp_path: Path) -> None:
    path = str(tmp_path / "locked.sqlite3")
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.execute("BEGIN IMMEDIATE")  # held for the whole test
    connection = await sqlite_inline.connect(path, busy_timeout=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        cursor = connection.cursor()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await cursor.execute("INSERT INTO t VALUES (1)")
        assert loop.time() - started >= 0.2  # it did wait the busy timeout out
    finally:
        await connection.close()
        setup.execute("ROLLBACK")
        setup.close()


async def test_a_stale_snapshot_is_not_retried(tmp_path: Path) -> None:
    """A transaction that read before another connection committed cannot write: SQLite
    says BUSY_SNAPSHOT, and waiting would not help, so the error comes at once."""
    path = str(tmp_path / "snapshot.sqlite3")
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.execute("INSERT INTO t VALUES (0)")
    connection = await sqlite_inline.connect(path, busy_timeout=30)
    loop = asyncio.get_running_loop()
    try:
        cursor = connection.cursor()
        await cursor.execute("BEGIN")
        await cursor.execute("SELECT count(*) FROM t")  # the snapshot is taken here
        await cursor.fetchall()
        setup.execute("INSERT INTO t VALUES (1)")  # another writer commits after it
        started = loop.time()
        with pytest.raises(sqlite3.OperationalError) as raised:
            await cursor.execute("INSERT INTO t VALUES (2)")
        assert not sqlite_inline.is_busy(raised.value)
        assert loop.time() - started < 5  # not the 30 s busy timeout
        await connection.rollback()
    finally:
        await connection.close()
        setup.close()


async def test_a_closed_connection_says_so_to_sqlalchemy(tmp_path: Path) -> None:
    """SQLAlchemy skips commit and rollback on a driver connection whose `_connection` is
    None (aiosqlite's convention); closing twice is harmless."""
    connection = await sqlite_inline.connect(str(tmp_path / "c.sqlite3"), busy_timeout=1)
    assert connection._connection is not None
    await connection.close()
    connection.stop()
    assert connection._connection is None


# --- the contract with SQLAlchemy's aiosqlite adapter ------------------------------------------


def _adapter_sources() -> list[Path]:
    from sqlalchemy.connectors import asyncio as connectors_asyncio
    from sqlalchemy.dialects.sqlite import aiosqlite as dialect_aiosqlite

    return [Path(dialect_aiosqlite.__file__), Path(connectors_asyncio.__file__)]


def _names_used_on(attribute: str, source: Path) -> set[tuple[str, ...]]:
    """Every chain of attributes the adapter reads after `self.<attribute>` (for example
    ("_tx", "put_nowait") for `self._connection._tx.put_nowait`)."""
    chains: set[tuple[str, ...]] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        chain: list[str] = []
        current: ast.expr = node  # type: ignore[assignment]
        while isinstance(current, ast.Attribute):
            chain.append(current.attr)
            current = current.value
        chain.reverse()
        rooted = isinstance(current, ast.Name) and current.id == "self"
        if rooted and chain[:1] == [attribute] and len(chain) > 1:
            chains.add(tuple(chain[1:]))
    return chains


def _has(obj: object, chain: tuple[str, ...]) -> bool:
    for name in chain:
        if not hasattr(obj, name):
            return False
        obj = getattr(obj, name)
    return True


async def test_every_name_the_adapter_uses_on_the_driver_is_there(tmp_path: Path) -> None:
    """SQLAlchemy's adapter calls the driver through `self._connection...` (a connection) and
    `self._cursor...` (a cursor), private aiosqlite names included: read them from the
    installed SQLAlchemy's source, so that a release that reaches for something new fails
    here rather than in production (as `_tx` once did, for AUTOCOMMIT)."""
    on_connection: set[tuple[str, ...]] = set()
    on_cursor: set[tuple[str, ...]] = set()
    for source in _adapter_sources():
        on_connection |= _names_used_on("_connection", source)
        on_cursor |= _names_used_on("_cursor", source)
    assert ("_tx", "put_nowait") in on_connection  # the check reads what it should
    assert ("fetchall",) in on_cursor
    connection = await sqlite_inline.connect(str(tmp_path / "c.sqlite3"), busy_timeout=1)
    try:
        cursor = connection.cursor()
        missing = sorted(
            [".".join(("connection", *c)) for c in on_connection if not _has(connection, c)]
            + [".".join(("cursor", *c)) for c in on_cursor if not _has(cursor, c)]
        )
        await cursor.close()
    finally:
        await connection.close()
    assert missing == []


def _methods_that_await(source: Path) -> set[tuple[str, str]]:
    """(class, method) of every method whose body calls `await_` or asks `in_greenlet`."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and any(
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in {"await_", "in_greenlet"}
                    for call in ast.walk(item)
                ):
                    found.add((node.name, item.name))
    return found


def test_the_adapter_replaces_every_await_of_the_classes_it_builds_on() -> None:
    """storage/sqlite_adapter.py makes SQLAlchemy's synchronous calls outside any greenlet:
    every method of the adapter classes it subclasses that calls `await_` (which would raise
    MissingGreenlet there) must be replaced by one that calls `run_now`. Read from the
    installed SQLAlchemy, so that a release that adds such a call fails here; and the
    private names the subclasses use must still be there."""
    from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection, AsyncAdapt_dbapi_cursor
    from sqlalchemy.ext.asyncio import result

    from storage import sqlite_adapter

    awaiting: set[tuple[str, str]] = set()
    for source in _adapter_sources():
        awaiting |= _methods_that_await(source)
    assert ("AsyncAdapt_dbapi_cursor", "execute") in awaiting  # the check reads what it should
    kept = {
        # Outside a greenlet SQLAlchemy's own closes the driver at once (no await).
        ("AsyncAdapt_terminate", "terminate"),
    }
    ours = (
        sqlite_adapter.InlineAdaptedCursor,
        sqlite_adapter.InlineAdaptedConnection,
        sqlite_adapter.InlineDBAPI,
    )
    missing = sorted(
        f"{ours_class.__name__} does not replace {owner}.{name}"
        for ours_class in ours
        for (owner, name) in awaiting
        if owner in {base.__name__ for base in ours_class.__mro__[1:]}
        and (owner, name) not in kept
        and name not in ours_class.__dict__
    )
    assert missing == []
    private = ("_execute_async", "_executemany_async", "_async_soft_close", "_adapt_connection")
    assert [name for name in private if not hasattr(AsyncAdapt_dbapi_cursor, name)] == []
    assert {"_rows", "_soft_closed_memoized"} <= set(AsyncAdapt_dbapi_cursor.__slots__)
    assert callable(result._ensure_sync_result)
    assert hasattr(AsyncAdapt_dbapi_connection, "_handle_exception")


def test_the_errors_the_driver_raises_are_those_the_dialect_maps() -> None:
    """The dialect maps aiosqlite's exception classes; the driver raises sqlite3's."""
    import aiosqlite

    for name in ("Error", "DatabaseError", "OperationalError", "IntegrityError"):
        assert getattr(aiosqlite, name) is getattr(sqlite3, name)


async def test_autocommit_works_and_the_pool_gets_a_transactional_connection_back(
    tmp_path: Path,
) -> None:
    """`execution_options(isolation_level="AUTOCOMMIT")` goes through aiosqlite's private
    `_tx` queue in SQLAlchemy's adapter: each statement commits at once; the connection
    returns to the pool with its transactions back."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
        async with engine.connect() as connection:
            auto = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("INSERT INTO t VALUES (1)"))
            driver = (await auto.get_raw_connection()).driver_connection
            assert driver.isolation_level is None  # sqlite3's autocommit mode
            assert driver.in_transaction is False  # the insert is committed already
        async with engine.connect() as connection:
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver.isolation_level == ""  # back to sqlite3's default: transactions
            await connection.execute(text("INSERT INTO t VALUES (2)"))
            await connection.rollback()  # a transaction again: the 2 is undone
            values = (await connection.execute(text("SELECT x FROM t"))).scalars().all()
        assert values == [1]
    finally:
        await engine.dispose()


async def test_executemany_a_streamed_result_and_an_invalidated_connection(
    tmp_path: Path,
) -> None:
    """The other calls SQLAlchemy makes on the driver, each through SQLAlchemy: many rows in
    one statement, a server-side cursor (`stream`) read in partitions and row by row, and a
    connection invalidated (terminated) then replaced by the pool."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 's.sqlite3'}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            await connection.execute(
                text("INSERT INTO t VALUES (:x)"), [{"x": x} for x in range(25)]
            )
        async with engine.connect() as connection:
            streamed = await connection.stream(text("SELECT x FROM t ORDER BY x"))
            first = [row.x async for row in streamed]
            streamed = await connection.stream(text("SELECT x FROM t ORDER BY x"))
            sizes = [len(part) async for part in streamed.partitions(10)]
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            await connection.invalidate()
        assert first == list(range(25))
        assert sizes == [10, 10, 5]
        assert driver._connection is None  # terminated: SQLAlchemy skips commit/rollback
        async with engine.connect() as connection:  # the pool opens a fresh one
            count = (await connection.execute(text("SELECT count(*) FROM t"))).scalar_one()
        assert count == 25
    finally:
        await engine.dispose()
