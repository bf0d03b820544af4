"""SQLite's units of work without a greenlet per call (storage/sqlite_adapter.py).

What matters: once the pool holds a connection, a unit of work's statements, commit and close
switch no greenlet; when SQLite is busy (another connection holds the lock) the statement or
the commit is done SQLAlchemy's asyncio way instead, which waits without blocking the loop and
loses nothing of the transaction; the ORM session still works in the same transaction.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import greenlet
import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import greenlet_spawn

from storage.engine import make_engine, make_session_factory
from storage.models import Agency
from storage.sqlite_adapter import MustWait, run_now
from storage.unit_of_work import UnitOfWork


def _agency(name: str) -> dict[str, Any]:
    return {"name": name, "key": name.lower(), "kind": "khac"}


async def _names(engine: AsyncEngine) -> list[str]:
    async with UnitOfWork(make_session_factory(engine)) as uow:
        return sorted((await uow.execute(select(Agency.name))).scalars())


@contextmanager
def _switches() -> Iterator[list[str]]:
    seen: list[str] = []
    previous = greenlet.settrace(lambda event, _args: seen.append(event))
    try:
        yield seen
    finally:
        greenlet.settrace(previous)


@contextmanager
def _ticking() -> Iterator[list[int]]:
    """How often the loop ran a 5 ms ticker meanwhile."""
    ticks = [0]

    async def ticker() -> None:
        while True:
            ticks[0] += 1
            await asyncio.sleep(0.005)

    task = asyncio.get_running_loop().create_task(ticker())
    try:
        yield ticks
    finally:
        task.cancel()


@pytest.fixture
async def sqlite_engine(sqlite_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(sqlite_url)
    await _names(engine)  # the pool's first connection, opened the asyncio way
    yield engine
    await engine.dispose()


async def test_a_unit_of_work_switches_no_greenlet_and_its_session_shares_the_transaction(
    sqlite_engine: AsyncEngine,
) -> None:
    factory = make_session_factory(sqlite_engine)
    with _switches() as switches:
        async with UnitOfWork(factory) as uow:
            await uow.execute(insert(Agency), _agency("A"))
            count = (await uow.execute(select(func.count(Agency.id)))).scalar_one()
    assert (count, switches) == (1, [])
    async with UnitOfWork(factory) as uow:
        uow.session.add(Agency(**_agency("B")))  # the ORM: SQLAlchemy's greenlets, as before
        await uow.session.flush()
        await uow.execute(insert(Agency), _agency("C"))  # after the session's flush
        seen = (await uow.execute(select(Agency.name).order_by(Agency.name))).scalars().all()
        assert list(seen) == ["A", "B", "C"]  # one transaction
    assert await _names(sqlite_engine) == ["A", "B", "C"]


@asynccontextmanager
async def write_lock_held(sqlite_url: str, *, seconds: float) -> AsyncIterator[None]:
    """Another process's write lock on the file (BEGIN IMMEDIATE on a connection of its own,
    in a thread), taken before the body starts and released `seconds` later, or at the
    latest when the body ends."""
    locked, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        other = sqlite3.connect(sqlite_url.split(":///", 1)[1], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(10)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    try:
        assert await asyncio.to_thread(locked.wait, 10)
        asyncio.get_running_loop().call_later(seconds, release.set)
        yield
    finally:
        release.set()
        holder.join(10)


async def test_a_statement_that_meets_another_writer_waits_for_it_without_blocking_the_loop(
    sqlite_engine: AsyncEngine, sqlite_url: str
) -> None:
    """Another process holds the write lock: the unit of work's INSERT cannot run at once, is
    run the asyncio way, which retries until the lock is free while the loop keeps running,
    and the transaction goes on, on the same connection."""
    async with write_lock_held(sqlite_url, seconds=0.3):
        with _ticking() as ticks:
            async with UnitOfWork(make_session_factory(sqlite_engine)) as uow:
                await uow.execute(insert(Agency), _agency("A"))  # waits for the lock
                await uow.execute(insert(Agency), _agency("B"))  # holds it now: at once
                assert uow.connection.sync_connection is not None
                assert not uow.connection.sync_connection.invalidated
    assert ticks[0] >= 10  # 0.3 s at one tick per 5 ms
    assert await _names(sqlite_engine) == ["A", "B"]


async def test_a_commit_that_must_wait_waits_without_blocking_the_loop(
    sqlite_url: str,
) -> None:
    """In a rollback journal (not WAL) a COMMIT waits for readers: one holds its read lock
    for 0.3 s. The commit is done the asyncio way, which waits, and it commits once."""
    engine = make_engine(sqlite_url)

    def rollback_journal(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=DELETE")
        cursor.close()

    event.listen(engine.sync_engine, "connect", rollback_journal)
    reader = sqlite3.connect(sqlite_url.split(":///", 1)[1], isolation_level=None)
    try:
        await _names(engine)  # the pool's connection, in a rollback journal
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM agencies").fetchall()  # a read lock, held
        asyncio.get_running_loop().call_later(0.3, reader.rollback)
        with _ticking() as ticks:
            async with UnitOfWork(make_session_factory(engine)) as uow:
                await uow.execute(insert(Agency), _agency("A"))
        assert ticks[0] >= 10
        assert await _names(engine) == ["A"]
    finally:
        reader.close()
        await engine.dispose()


async def test_run_now_runs_what_completes_and_refuses_what_would_wait() -> None:
    """Outside a greenlet a coroutine that would suspend is closed (its cleanup runs) and
    MustWait raised; inside one (SQLAlchemy's asyncio path) it is awaited as before."""
    cleaned: list[str] = []

    async def at_once() -> int:
        return 7

    async def waits() -> int:
        try:
            await asyncio.sleep(0.01)
            return 8
        finally:
            cleaned.append("waits")

    assert run_now(at_once()) == 7
    with pytest.raises(MustWait):
        run_now(waits())
    assert cleaned == ["waits"]
    assert await greenlet_spawn(lambda: run_now(waits())) == 8
