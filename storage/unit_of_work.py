"""The one transaction style: `async with ctx.uow() as uow:` — commit on success, roll back on
any error. Repositories take the unit of work and never commit; this does.

A unit of work begins a transaction on a connection and hands it out two ways:

* `uow.execute(statement, parameters)` runs a Core statement on the connection. This is the
  progress reply's path: a session costs more than the reply's statements (bench/README.md,
  finding C), so a unit of work that only ever executes Core statements never creates one, and
  costs what `engine.begin()` costs: one checkout, the statements, one COMMIT. A statement
  wrapped in `Direct` (the reply's, built once) is compiled once and run on the driver
  connection of this transaction, without SQLAlchemy's per-statement execution
  (storage/direct.py);
* `uow.session` is an ORM session bound to that same connection, created the first time it is
  asked for (objects stay readable after the commit: `expire_on_commit=False`). A Core
  statement executed after the session changed objects first flushes them, so both ways see
  one transaction's state.

On SQLite both ways run on the event loop's thread (storage/sqlite_inline.py), and a unit of
work's own calls (its checkout and BEGIN, `execute`, the COMMIT and the close) go without a
greenlet each (storage/sqlite_adapter.py); where one of them would have to wait for another
connection's lock, it goes SQLAlchemy's asyncio way, which waits without blocking the loop.

A use case called while another use case's unit of work is open in the same task, on the same
database, joins it instead of opening a second transaction: the reply path reads who is
writing, consumes their open question and records the report (ProgressService.report) in one
transaction. A joined unit of work neither commits nor rolls back; the outermost one decides.

What committed: inside `journal_writes()`, every outermost unit of work that wrote something
(an INSERT, UPDATE or DELETE, through a Core statement or the session) and committed counts in
the journal. The bot opens one per update, so its error handler can tell "nothing was stored"
(say so, and ask to try again) from "it was stored, something after it failed" (do not
invite a duplicate). It costs an attribute check per Core statement and nothing per read.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from types import TracebackType
from typing import Any, overload

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    AsyncTransaction,
    async_sessionmaker,
)
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import Executable

from storage import psycopg_begin, sqlite_adapter
from storage.direct import Direct, DirectResult, run_psycopg, run_sqlite
from storage.ledger import UpdateClaim, claim_before_commit

_CURRENT: ContextVar[UnitOfWork | None] = ContextVar("dondoc_unit_of_work", default=None)
_JOURNAL: ContextVar[WriteJournal | None] = ContextVar("dondoc_write_journal", default=None)
_UOW_KEY = "dondoc.unit_of_work"  # in Session.info: the unit of work a session belongs to


@dataclass
class WriteJournal:
    """How many transactions that wrote something committed while the journal was open."""

    commits: int = 0


@contextmanager
def journal_writes() -> Iterator[WriteJournal]:
    """Count the writing transactions committed in this context (and the tasks it starts)."""
    journal = WriteJournal()
    token = _JOURNAL.set(journal)
    try:
        yield journal
    finally:
        _JOURNAL.reset(token)


def in_unit_of_work() -> bool:
    """True when a unit of work is open in this task: a use case called now joins it."""
    return _open_in_this_task() is not None


def _open_in_this_task() -> UnitOfWork | None:
    """The unit of work open in this task, which one opened now on its engine joins."""
    outer = _CURRENT.get()
    open_here = (
        outer is not None
        and outer._connection is not None
        and outer._task is asyncio.current_task()
    )
    return outer if open_here else None


_SQLITE_TURNS: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()


def _sqlite_turn(engine: AsyncEngine) -> asyncio.Lock | None:
    """SQLite: one unit of work at a time per engine, for those that take turns (every use
    case's: `ServiceContext.uow()`). The bot handles updates of different
    chats concurrently (bot/messaging/updates.py); two transactions of one process on one
    SQLite file would otherwise meet SQLITE_BUSY_SNAPSHOT (one read, the other wrote and
    committed, the first then writes) and fail. Statements run on the event loop's thread
    anyway (storage/sqlite_inline.py), so taking turns costs no parallelism; units of work
    never wait on the network inside. The rule that follows: a use case's unit of work never
    awaits another task's (it would wait for its own end). PostgreSQL: None, its row locks
    order what must be."""
    if engine.dialect.name != "sqlite":
        return None
    turn = _SQLITE_TURNS.get(engine.sync_engine)
    if turn is None:
        turn = _SQLITE_TURNS[engine.sync_engine] = asyncio.Lock()
    return turn


class UnitOfWork:
    """`async with UnitOfWork(session_factory) as uow:` — one transaction, see the module."""

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], *, take_turns: bool = False
    ) -> None:
        self._factory = session_factory
        self._engine: AsyncEngine = session_factory.kw["bind"]
        self._connection: AsyncConnection | None = None
        self._transaction: AsyncTransaction | None = None
        self._session: AsyncSession | None = None
        self._task: asyncio.Task[Any] | None = None
        self._token: Token[UnitOfWork | None] | None = None
        self._joined: UnitOfWork | None = None
        self.wrote = False  # an INSERT, UPDATE or DELETE ran in this transaction
        self._after_commit: list[Callable[[], None]] = []
        self._take_turns = take_turns
        self._turn: asyncio.Lock | None = None  # SQLite: this engine's one unit of work at a time
        self._inline = False  # SQLite's inline driver: no greenlet per call (sqlite_adapter)
        # The driver connection Direct statements run on (storage/direct.py), found at the
        # first: SQLite's sqlite3 connection, PostgreSQL's psycopg AsyncConnection (False: none).
        self._sqlite: Any = None
        self._psycopg: Any = None
        # This transaction decided the update's answer without writing (a repeat found): it
        # claims the update all the same, so a second delivery is silent (storage/ledger.py).
        self.answers_update = False
        # The update's claim, made by a statement of this transaction (ledger.claim_made).
        self.claimed: UpdateClaim | None = None

    async def __aenter__(self) -> UnitOfWork:
        outer = _open_in_this_task()
        if outer is not None and outer._engine is self._engine:
            self._joined = outer
            return outer
        self._inline = sqlite_adapter.is_inline(self._engine)
        self._turn = _sqlite_turn(self._engine) if self._take_turns else None
        if self._turn is not None:
            await self._turn.acquire()
        try:
            # SQLite: without a greenlet when nothing has to wait (storage/sqlite_adapter.py).
            connection = sqlite_adapter.begin_now(self._engine) if self._inline else None
            if connection is not None:
                self._transaction = connection.get_transaction()
            else:
                connection = await self._engine.connect()
                try:
                    self._transaction = await connection.begin()
                except BaseException:
                    await connection.close()
                    raise
        except BaseException:
            if self._turn is not None:
                self._turn.release()
            raise
        self._connection = connection
        self._task = asyncio.current_task()
        self._token = _CURRENT.set(self)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._joined is not None:
            self._joined = None
            return  # the outermost unit of work commits or rolls back
        assert self._connection is not None and self._transaction is not None
        try:
            if exc_type is None:
                if self._session is not None:
                    await self._session.flush()
                # The update being handled is claimed in the transaction of its effect
                # (storage/ledger.py): a second delivery rolls back here, effect and all.
                applies = self.wrote or self.answers_update
                claim = self.claimed
                if claim is None and applies:
                    claim = await claim_before_commit(self.dialect_name, self._direct)
                if not (self._inline and sqlite_adapter.commit_now(self._transaction)):
                    await self._transaction.commit()
                if claim is not None:
                    claim.applied = True
                journal = _JOURNAL.get()
                if self.wrote and journal is not None:
                    journal.commits += 1
                for callback in self._after_commit:
                    callback()
        finally:
            try:
                if self._session is not None:
                    await self._session.close()
                if self._transaction.is_active:
                    await self._transaction.rollback()
            finally:
                try:
                    if self._inline:
                        sqlite_adapter.close_now(self._connection)
                    else:
                        await self._connection.close()
                finally:
                    if self._turn is not None:
                        self._turn.release()
                        self._turn = None
                if self._token is not None:
                    _CURRENT.reset(self._token)
                self._connection = self._transaction = self._session = None
                self._token = self._task = self._sqlite = self._psycopg = None

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` once this transaction (the outermost one) has committed; never if
        it rolls back (the outbox wakes its sender so: bot/services/outbox.py)."""
        self._after_commit.append(callback)

    def decides_the_answer(self) -> None:
        """Claim the update being handled in this transaction even if it writes nothing: what
        it found (a repeat, a decision made already) is the update's whole effect, and a
        second delivery of the same update must not be answered again."""
        (self._joined or self).answers_update = True

    @property
    def connection(self) -> AsyncConnection:
        """The transaction's connection (for what needs the driver, e.g. its dialect)."""
        if self._connection is None:
            raise RuntimeError("the unit of work is not open")
        return self._connection

    @property
    def dialect_name(self) -> str:
        return self.connection.dialect.name

    @property
    def session(self) -> AsyncSession:
        """An ORM session in this transaction, created on first use."""
        if self._session is None:
            self._session = self._factory(
                bind=self.connection, join_transaction_mode="rollback_only", info={_UOW_KEY: self}
            )
        return self._session

    @overload
    async def execute(
        self, statement: Direct, parameters: dict[str, Any] | list[dict[str, Any]] | None = None
    ) -> DirectResult: ...

    @overload
    async def execute(
        self, statement: Executable, parameters: dict[str, Any] | list[dict[str, Any]] | None = None
    ) -> CursorResult[Any]: ...

    async def execute(
        self,
        statement: Direct | Executable,
        parameters: dict[str, Any] | list[dict[str, Any]] | None = None,
    ) -> DirectResult | CursorResult[Any]:
        """Run a Core statement in this transaction (after flushing the session's changes);
        a `Direct` one on the driver (storage/direct.py)."""
        if self._session is not None:
            await self._session.flush()
        if getattr(statement, "is_dml", False):
            self.wrote = True
        if isinstance(statement, Direct):
            return await self._direct(statement, parameters)
        return await self._run(statement, parameters)

    async def _direct(
        self, statement: Direct, parameters: dict[str, Any] | list[dict[str, Any]] | None
    ) -> DirectResult:
        """Run `statement` on the driver if its plan allows, else SQLAlchemy's way."""
        given = parameters
        if isinstance(given, list):
            given = given[0] if len(given) == 1 else None  # executemany: SQLAlchemy's way
        sync = self.connection.sync_connection
        assert sync is not None
        # Events of the connection or the engine (SQLAlchemy's own test, per statement: a
        # listener may come while the transaction is open): a direct statement would not
        # reach them, so SQLAlchemy runs it.
        if (given is not None or parameters is None) and not (
            sync._has_events or sync.engine._has_events
        ):
            dialect = sync.dialect
            if self._sqlite is None:  # the first Direct statement of the transaction
                self._sqlite, self._psycopg = _drivers(sync, inline=self._inline)
            if self._sqlite:
                plan = statement.plan(dialect, given)
                if plan is not None:
                    result = run_sqlite(plan, dialect, self._sqlite, given)
                    if result is not None:
                        return result
            elif self._psycopg:
                plan = statement.plan(dialect, given)
                if plan is not None:
                    try:
                        return await run_psycopg(plan, dialect, self._psycopg, given)
                    except DBAPIError as error:
                        if error.connection_invalidated:
                            await self.connection.invalidate(error)
                        raise
        return DirectResult.of(await self._run(statement.statement, parameters))

    async def _run(
        self, statement: Executable, parameters: dict[str, Any] | list[dict[str, Any]] | None
    ) -> CursorResult[Any]:
        connection = self.connection
        if self._inline:  # SQLite: without a greenlet unless it must wait for the lock
            result = sqlite_adapter.execute_now(connection, statement, parameters)
            if result is not None:
                return result
        return await connection.execute(statement, parameters)


def _drivers(sync: Connection, *, inline: bool) -> tuple[Any, Any]:
    """The driver connection a Direct statement runs on: (sqlite3's, psycopg's
    AsyncConnection); False for neither (another driver)."""
    if inline:
        return sqlite_adapter.sqlite3_of(sync), False
    if isinstance(sync.dialect, psycopg_begin.BeginPingDialect):
        return False, sync.connection.driver_connection
    return False, False


# The session's writes: its flushes (only those with changes reach `after_flush`) and the
# INSERT/UPDATE/DELETE statements it executes. Sessions outside a unit of work are ignored.
@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    owner = session.info.get(_UOW_KEY)
    if owner is not None:
        owner.wrote = True


@event.listens_for(Session, "do_orm_execute")
def _orm_statement(state: ORMExecuteState) -> None:
    owner = state.session.info.get(_UOW_KEY)
    if owner is not None and (state.is_insert or state.is_update or state.is_delete):
        owner.wrote = True
