"""SQLite's units of work without a greenlet per call: SQLAlchemy's aiosqlite adapter given
the inline driver (storage/sqlite_inline.py), and the synchronous calls the unit of work
makes through it on the event loop's thread.

Why: SQLAlchemy's asyncio engine runs each call (a statement, a checkout, a BEGIN, a COMMIT, a
close) in a new greenlet (`greenlet_spawn`), and inside it each driver call (execute, fetch,
close, commit) through `await_`: a switch back to the loop's greenlet, which awaits the
driver's coroutine and switches in again with its result. The inline driver's coroutines
complete at once (they suspend only while another connection holds the write lock), so on
SQLite that plumbing is all cost: 14 greenlets and 51 switches a reply, about half of a unit
of work's CPU (bench/README.md, finding G).

How:

* `InlineDBAPI`, given to the engine as its DBAPI `module` (storage/engine.py), hands SQLAlchemy
  an adapter whose every driver call goes through `run_now` instead of `await_`. Inside a
  greenlet (SQLAlchemy's ordinary asyncio path: the ORM session, `AsyncConnection`, streams,
  the pool's own waits) that is `await_`, exactly as before. Outside one, the coroutine is run
  to its end on the spot; if it would suspend (a busy retry's sleep) it is closed and
  `MustWait` is raised: SQLite answered BUSY, so the statement changed nothing.
* The unit of work (storage/unit_of_work.py) then makes SQLAlchemy's synchronous calls on the
  loop's thread: `begin_now` (a checkout of an idle pooled connection and BEGIN, which on
  SQLite emits nothing), `execute_now`, `commit_now`, `close_now`. Each says when it cannot do
  its part without waiting (None or False), and the unit of work takes SQLAlchemy's asyncio
  path instead, which waits without blocking the loop (the driver's retries).

What SQLAlchemy does with `MustWait` raised inside `do_execute` (`Connection.
_handle_dbapi_exception`, 2.1): not a DBAPI error and not an exit exception, so it is
re-raised unwrapped, the cursor closed, the connection neither invalidated nor rolled back
(a transaction is open), and `handle_error` listeners see it (dondoc has none). The statement
is then run again the asyncio way, as the driver's own retry would have. A COMMIT is never
attempted this way: SQLAlchemy ends its transaction whatever the commit raised, so
`commit_now` first asks the driver to commit at once, and lets SQLAlchemy record the commit
only once it happened (its own COMMIT then finds nothing left to commit).

The contract: these classes subclass SQLAlchemy's aiosqlite adapter and replace, method by
method, each body that calls `await_` with the same body calling `run_now`; the adapter's
private `_connection`, `_cursor`, `_rows`, `_soft_closed_memoized`, `_execute_async`,
`_executemany_async` and `_handle_exception` are used as SQLAlchemy's own methods use them,
and `execute_now` ends as `AsyncConnection.execute` does (`_ensure_sync_result`). That is
one more reason pyproject.toml pins SQLAlchemy's minor version;
tests/storage/test_sqlite_inline.py reads the installed adapter's source and fails if a
method that calls `await_` is not replaced here, or a private name used here is gone.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.connectors.asyncio import AsyncIODBAPICursor
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction
from sqlalchemy.ext.asyncio.result import _ensure_sync_result
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql import Executable
from sqlalchemy.util.concurrency import await_, in_greenlet

from storage.sqlite_inline import InlineConnection

T = TypeVar("T")


class MustWait(Exception):
    """The driver would have to wait for another connection's lock, and there is no greenlet
    to wait in: nothing was done. (An Exception, not a BaseException: SQLAlchemy treats the
    latter as an exit and invalidates the connection.)"""


def run_now(awaitable: Awaitable[T]) -> T:
    """Await the inline driver's `awaitable` where SQLAlchemy's adapter would call `await_`."""
    if in_greenlet():
        return await_(awaitable)  # SQLAlchemy's asyncio path, unchanged
    steps = awaitable.__await__()
    try:
        steps.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    steps.close()  # it suspended: a busy retry; closing it cancels its sleep
    raise MustWait


class InlineAdaptedCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's cursor adapter (sqlalchemy/connectors/asyncio.py), `await_` → `run_now`."""

    __slots__ = ()

    def _aenter_cursor(self, cursor: AsyncIODBAPICursor) -> AsyncIODBAPICursor:
        return cursor  # the inline cursor's __aenter__ returns it and does nothing else

    def close(self) -> None:
        self._rows.clear()
        if self._cursor is None or bool(self._soft_closed_memoized):
            return
        run_now(self._cursor.close())  # SQLAlchemy's skips this outside a greenlet

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            return run_now(self._execute_async(operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        try:
            return run_now(self._executemany_async(operation, seq_of_parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def nextset(self) -> None:
        run_now(self._cursor.nextset())
        if self._cursor.description and not self.server_side:
            self._rows = collections.deque(run_now(self._cursor.fetchall()))

    def setinputsizes(self, *inputsizes: Any) -> None:
        run_now(self._cursor.setinputsizes(*inputsizes))


class InlineAdaptedConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's connection adapter (sqlalchemy/dialects/sqlite/aiosqlite.py and
    connectors/asyncio.py), `await_` → `run_now`. Server-side cursors (`stream`) keep
    SQLAlchemy's: they are only ever used inside its greenlets."""

    __slots__ = ()

    _cursor_cls = InlineAdaptedCursor

    @property
    def isolation_level(self) -> str | None:
        return self._connection.isolation_level  # type: ignore[no-any-return]

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        # SQLAlchemy hands the change to aiosqlite's thread through `_tx`; the inline driver
        # has no thread: set it here, on the loop's, as its `_tx` would.
        try:
            self._connection._conn.isolation_level = value
        except Exception as error:
            self._handle_exception(error)

    def create_function(self, *args: Any, **kw: Any) -> None:
        try:
            run_now(self._connection.create_function(*args, **kw))
        except Exception as error:
            self._handle_exception(error)

    def rollback(self) -> None:
        if self._connection._connection:
            try:
                run_now(self._connection.rollback())
            except Exception as error:
                self._handle_exception(error)

    def commit(self) -> None:
        if self._connection._connection:
            try:
                run_now(self._connection.commit())
            except Exception as error:
                self._handle_exception(error)

    def close(self) -> None:
        try:
            run_now(self._connection.close())
        except Exception as error:
            self._handle_exception(error)


class InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI module, connecting through the engine's `async_creator`
    (storage/engine.py: the inline driver) to `InlineAdaptedConnection`."""

    def __init__(self) -> None:
        import aiosqlite  # the dialect maps its exception classes (sqlite3's own)

        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> InlineAdaptedConnection:
        creator: Callable[..., Awaitable[Any]] = kw.pop("async_creator_fn")
        return InlineAdaptedConnection(self, run_now(creator(*arg, **kw)))


def is_inline(engine: AsyncEngine) -> bool:
    """The engine's connections are the inline driver's (SQLite: storage/engine.py)."""
    return isinstance(engine.sync_engine.dialect.loaded_dbapi, InlineDBAPI)


# --- the unit of work's calls, on the loop's thread ---------------------------------------------


def begin_now(engine: AsyncEngine) -> AsyncConnection | None:
    """A connection in a new transaction, if the pool has one idle (None: a checkout might
    wait for another to come back, or open a first connection: the asyncio path does)."""
    pool = engine.sync_engine.pool
    if not isinstance(pool, QueuePool) or pool.checkedin() == 0:
        return None
    sync = engine.sync_engine.connect()
    try:
        sync.begin()  # emits nothing on SQLite: the driver begins at the first write
    except BaseException:
        sync.close()
        raise
    return AsyncConnection(engine, sync)


def execute_now(
    connection: AsyncConnection,
    statement: Executable,
    parameters: dict[str, Any] | list[dict[str, Any]] | None,
) -> CursorResult[Any] | None:
    """`connection.execute(statement, parameters)` without a greenlet; None when SQLite is
    busy (nothing ran: the caller runs it the asyncio way, which waits)."""
    assert connection.sync_connection is not None
    try:
        result = connection.sync_connection.execute(statement, parameters)
    except MustWait:
        return None
    return run_now(_ensure_sync_result(result, connection.execute))


def commit_now(transaction: AsyncTransaction) -> bool:
    """Commit without a greenlet; False when that would wait (nothing committed, the
    transaction still open: the caller commits the asyncio way)."""
    sync = transaction.sync_transaction
    if sync is None or not sync.is_active:
        return False
    driver = sync.connection.connection.driver_connection
    assert isinstance(driver, InlineConnection)
    try:
        if not driver.commit_at_once():
            return False
    except sqlite3.Error as error:  # the commit failed and SQLite ended the transaction
        raise DBAPIError.instance(None, None, error, sqlite3.Error) from error
    sync.commit()  # SQLAlchemy's bookkeeping and events; its COMMIT finds nothing left
    return True


def sqlite3_of(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a checked-out connection of the inline driver."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, InlineConnection)
    return driver._conn


def close_now(connection: AsyncConnection) -> None:
    """Return the connection to the pool (its reset is a ROLLBACK, which never waits)."""
    if connection.sync_connection is not None:
        connection.sync_connection.close()
