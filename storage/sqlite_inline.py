"""SQLite for asyncio without a thread hop per call: the driver connection SQLAlchemy's
aiosqlite dialect is given (through `async_creator`) instead of aiosqlite's.

Why: aiosqlite runs every call (execute, fetch, close, commit) on a worker thread and wakes
the event loop to hand the result back. Measured here, that hop costs ~180 µs, while the
statement itself costs ~15 µs: a progress reply's seven statements spent most of their time
waiting for thread switches (bench/README.md, finding C). SQLite is an in-process library
whose statements on this schema take microseconds, so this driver runs them on the event
loop's thread directly.

What it must not do is block the loop while another connection holds the write lock: that
would stall every update, and deadlock with a transaction of this same process. So the
connection has no busy timeout (SQLite answers SQLITE_BUSY at once) and a busy call is
retried after `asyncio.sleep`, with backoff, until `busy_timeout` has passed; meanwhile the
loop runs, and the transaction holding the lock can finish. In WAL mode only the statement
that takes the write lock (the first write of a transaction) or a commit can be busy, so
retrying that one statement is safe. SQLITE_BUSY_SNAPSHOT is not retried: the transaction
read an older snapshot and must be rolled back, as with any driver.

The contract: SQLAlchemy's aiosqlite adapter (sqlalchemy/dialects/sqlite/aiosqlite.py and
sqlalchemy/connectors/asyncio.py) calls aiosqlite's public methods and also reaches into
private attributes: `_connection` (None once closed), `_conn` (the sqlite3 connection) and
`_tx` (the queue aiosqlite's worker thread reads; the adapter puts the isolation level
change there, for `execution_options(isolation_level="AUTOCOMMIT")`). These classes offer the
same names. That is why pyproject.toml pins SQLAlchemy's minor version, and
tests/storage/test_sqlite_inline.py reads the adapter's source for every name it uses on a
driver connection or cursor and checks that these classes have it, then drives each path
(executemany, a streamed result, AUTOCOMMIT, invalidation) through SQLAlchemy.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_BUSY_RECOVERY, 773})  # 773: TIMEOUT
FIRST_BACKOFF = 0.001
MAX_BACKOFF = 0.05


def is_busy(error: sqlite3.OperationalError) -> bool:
    """True when another connection holds the lock and the call may simply be retried."""
    return getattr(error, "sqlite_errorcode", None) in BUSY_CODES


class InlineCursor:
    """The subset of aiosqlite's Cursor that SQLAlchemy's adapter calls."""

    __slots__ = ("_connection", "_cursor")

    def __init__(self, connection: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._connection = connection
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    async def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()
    ) -> InlineCursor:
        await self._connection.retrying(self._cursor.execute, sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        rows = list(parameters)  # a retry must see every row again
        await self._connection.retrying(self._cursor.executemany, sql, rows)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def setinputsizes(self, *_sizes: Any) -> None:
        return None

    async def nextset(self) -> None:
        return None

    def __aiter__(self) -> AsyncIterator[Any]:
        """The rows still to fetch (a streamed result: SQLAlchemy's server-side cursor)."""
        return self._remaining_rows()

    async def _remaining_rows(self) -> AsyncIterator[Any]:
        while rows := self._cursor.fetchmany(self._cursor.arraysize):
            for row in rows:
                yield row

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class InlineCalls:
    """Stands in for aiosqlite's `_tx`, the queue of `(future, function)` its worker thread
    runs. SQLAlchemy's adapter puts a call there to change the isolation level (AUTOCOMMIT
    and back); here the call runs at once, on the loop's thread, like every other."""

    __slots__ = ()

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except Exception as error:
            future.set_exception(error)
        else:
            future.set_result(result)


class InlineConnection:
    """The subset of aiosqlite's Connection that SQLAlchemy's aiosqlite dialect calls."""

    def __init__(self, connection: sqlite3.Connection, *, busy_timeout: float) -> None:
        self._conn = connection  # aiosqlite's name: the adapter reads it
        self._tx = InlineCalls()  # aiosqlite's name: the adapter puts calls there
        self._busy_timeout = busy_timeout
        self._closed = False

    @property
    def _connection(self) -> sqlite3.Connection | None:
        """SQLAlchemy's adapter checks this before commit and rollback (None once closed)."""
        return None if self._closed else self._conn

    async def retrying(self, call: Callable[..., T], *args: Any) -> T:
        """Run `call`; while the database is locked, yield to the loop and try again."""
        deadline: float | None = None
        delay = FIRST_BACKOFF
        while True:
            try:
                return call(*args)
            except sqlite3.OperationalError as error:
                if not is_busy(error):
                    raise
                now = time.monotonic()
                deadline = deadline if deadline is not None else now + self._busy_timeout
                if now >= deadline:
                    raise
                await asyncio.sleep(min(delay, deadline - now))
                delay = min(delay * 2, MAX_BACKOFF)

    def cursor(self) -> InlineCursor:
        return InlineCursor(self, self._conn.cursor())

    async def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()
    ) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        await self.retrying(self._conn.commit)

    def commit_at_once(self) -> bool:
        """Commit now unless that would wait (the unit of work's way without a greenlet,
        storage/sqlite_adapter.py). False: nothing was committed and the transaction is still
        open (the database is busy, or the commit failed in a way `commit` will meet and
        report again); an error only when the commit failed and SQLite ended the transaction."""
        try:
            self._conn.commit()
        except sqlite3.Error:
            if self._conn.in_transaction:
                return False
            raise
        return True

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Close at once (SQLAlchemy's terminate); closing twice is harmless."""
        self._closed = True
        self._conn.close()

    async def create_function(
        self, name: str, num_params: int, func: Callable[..., Any], **kw: Any
    ) -> None:
        self._conn.create_function(name, num_params, func, **kw)

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction


async def connect(database: str, *, busy_timeout: float, uri: bool = False) -> InlineConnection:
    """Open `database` with no busy handler of SQLite's own (see the module docstring)."""
    connection = sqlite3.connect(database, timeout=0, check_same_thread=False, uri=uri)
    return InlineConnection(connection, busy_timeout=busy_timeout)
