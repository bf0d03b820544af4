"""PostgreSQL on the wire (storage/psycopg_begin.py: the pool's ping is the BEGIN). A unit of
work is its statements plus one BEGIN and one COMMIT, nothing more (no ping of its own, no
second BEGIN), counted in libpq's own trace of what the connection sent and received; and a
pooled connection that died while it waited is replaced at the next checkout, before anything
of the caller runs, so the next unit of work succeeds without an error."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from psycopg import pq
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import ManualClock
from bot.config import Settings
from bot.services import build_services
from bot.services.access import Identity
from bot.services.progress import Source
from bot.services.replies import Handled
from storage.engine import make_engine, make_session_factory
from storage.ledger import applying_update
from storage.models import Notice
from storage.unit_of_work import UnitOfWork
from tests.storage.test_unit_of_work import DIGEST, FOCAL, GROUP, NOW, _seed_reply_world

pytestmark = pytest.mark.pg


class Wire:
    """libpq's own trace (PQtrace) of every connection the engine opens, one file each.
    `mark()` starts over; `round_trips()` lists, per connection still open, each exchange
    since (a Query, or Parse/Bind/Execute up to Sync, until the server's ReadyForQuery) by the
    first word of what was sent."""

    def __init__(self, engine: AsyncEngine, folder: Path) -> None:
        self._folder = folder
        self._traced: list[tuple[Any, Path]] = []
        event.listen(engine.sync_engine, "connect", self._connected)

    def _connected(self, dbapi_connection: Any, _record: Any) -> None:
        pgconn = dbapi_connection.driver_connection.pgconn
        self._traced.append((pgconn, self._trace(pgconn)))

    def _trace(self, pgconn: Any) -> Path:
        path = self._folder / f"wire-{uuid.uuid4().hex}.txt"
        pgconn.trace(os.open(path, os.O_WRONLY | os.O_CREAT))
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        return path

    def _open(self) -> list[tuple[Any, Path]]:
        return [(pgconn, path) for pgconn, path in self._traced if _alive(pgconn)]

    def mark(self) -> None:
        self._traced = [(pgconn, self._retrace(pgconn)) for pgconn, _ in self._open()]

    def _retrace(self, pgconn: Any) -> Path:
        pgconn.untrace()
        return self._trace(pgconn)

    def round_trips(self) -> list[list[str]]:
        out = []
        for pgconn, path in self._open():
            pgconn.untrace()  # libpq flushes the trace
            out.append(_exchanges(path.read_text()))
        return out


def _alive(pgconn: Any) -> bool:
    return pgconn.pgconn_ptr is not None and pgconn.status == pq.ConnStatus.OK


def _exchanges(trace: str) -> list[str]:
    exchanges, sent = [], ""
    for line in trace.splitlines():
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        side, message, body = parts[0], parts[2], parts[3]
        if side == "F" and message in {"Query", "Parse"} and not sent:
            # Query "BEGIN"; Parse "" "SELECT …" (the stock dialect's ping is the query ";")
            quoted = body.split('"')[3 if message == "Parse" else 1]
            sent = (quoted.split() or [";"])[0].upper()
        elif side == "F" and message == "Bind" and not sent:
            sent = "(prepared)"
        elif side == "B" and message == "ReadyForQuery":
            exchanges.append(sent)
            sent = ""
    return exchanges


@pytest.fixture
async def traced(pg_database: str, tmp_path: Path) -> AsyncIterator[tuple[AsyncEngine, Wire]]:
    """A fresh engine on the run's (emptied) PostgreSQL database, its wire traced."""
    from tests.conftest import _truncate_pg

    _truncate_pg(pg_database)
    engine = make_engine(pg_database)
    wire = Wire(engine, tmp_path)
    try:
        yield engine, wire
    finally:
        wire.round_trips()
        await engine.dispose()


async def _count_notices(factory: async_sessionmaker[AsyncSession]) -> int:
    async with UnitOfWork(factory) as uow:
        return int((await uow.execute(select(func.count(Notice.id)))).scalar_one())


async def test_a_unit_of_work_is_begin_its_statements_and_commit(
    traced: tuple[AsyncEngine, Wire],
) -> None:
    """No ping of its own before the BEGIN, and psycopg sends no BEGIN of its own before the
    statement: on a connection new to the pool (which the pool does not ping) and on one taken
    from it (whose ping is the BEGIN) alike."""
    engine, wire = traced
    factory = make_session_factory(engine)
    await _count_notices(factory)  # the engine's first connection: SQLAlchemy's questions
    await engine.dispose()
    wire.mark()
    for _ in range(2):
        await _count_notices(factory)
    assert wire.round_trips() == [["BEGIN", "SELECT", "COMMIT"] * 2]


async def test_two_transactions_on_one_checkout_each_begin(
    traced: tuple[AsyncEngine, Wire],
) -> None:
    """The checkout's BEGIN serves the first transaction; the next one on the same connection
    (no checkout between) sends its own: nothing ever runs outside a transaction."""
    engine, wire = traced
    await _count_notices(make_session_factory(engine))  # a connection in the pool
    wire.mark()
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        await connection.commit()
        await connection.execute(text("SELECT 2"))
        await connection.rollback()
    assert wire.round_trips() == [["BEGIN", "SELECT", "COMMIT", "BEGIN", "SELECT", "ROLLBACK"]]


@pytest.mark.parametrize("update", [None, 9], ids=["outside an update", "the bot's update"])
async def test_a_progress_reply_is_its_statements_a_begin_and_a_commit(
    traced: tuple[AsyncEngine, Wire], update: int | None
) -> None:
    """bench/README.md, findings G and L: the reply's statements (test_unit_of_work counts
    them), a BEGIN and a COMMIT. The first reply to a message: who/where/question, its links,
    the target, its history, and the history row with the assignment's move and the update's
    claim in one WITH: seven round trips, where the ping, psycopg's own BEGIN, a separate
    UPDATE and the claim's own INSERT made ten. The next, its links known: the target read
    and locked with who/where/question, then the history: five (bench item 1's replies, but
    each chat's first). The bot's update (its claim: storage/ledger.py) adds none."""
    engine, wire = traced
    factory = make_session_factory(engine)
    await _seed_reply_world(factory)
    services = build_services(factory, ManualClock(NOW), Settings())
    trips = []
    for percent in (30, 60):
        wire.mark()
        with applying_update(7, update + percent, NOW) if update else nullcontext() as claim:
            outcome = await services.replies.take(
                Identity(FOCAL, "Lan", GROUP, "supergroup"),
                replied_message_id=DIGEST,
                text=f"đạt {percent}%",
                evidence=(),
                source=Source(FOCAL, "Lan", GROUP, 100 + percent),
            )
        assert isinstance(outcome, Handled)
        assert claim is None or claim.applied
        trips.append(wire.round_trips())
    assert trips == [
        [["BEGIN"] + ["SELECT"] * 4 + ["WITH", "COMMIT"]],
        [["BEGIN"] + ["SELECT"] * 2 + ["WITH", "COMMIT"]],
    ]


def _terminate(database_url: str, pids: list[int]) -> None:
    """What a server restart does to the pool: these backends end, their sockets close."""
    admin = create_engine(
        database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            for pid in pids:
                killed = connection.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                assert killed.scalar() is True
            for _ in range(100):  # terminated is not yet gone
                alive = connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:p)"),
                    {"p": pids},
                ).scalar()
                if not alive:
                    break
                time.sleep(0.05)
            assert not alive
    finally:
        admin.dispose()


async def test_connections_killed_while_idle_in_the_pool_are_replaced_before_the_unit_of_work(
    pg_database: str, traced: tuple[AsyncEngine, Wire]
) -> None:
    """The pool's two idle connections lose their backends (pg_terminate_backend, as a server
    restart would). The next unit of work's checkout finds out from its BEGIN, the ping, the
    pool drops every connection older than the failure and opens a new one, and the unit of
    work runs there: no error reaches it, and what it writes is stored. Without the pool's
    reconnection the BEGIN's error reaches the caller (checked: this test then fails)."""
    engine, wire = traced
    factory = make_session_factory(engine)
    first, second = await asyncio.gather(_held(factory), _held(factory))
    assert first != second  # two connections, both back in the pool
    _terminate(pg_database, [first, second])
    wire.mark()
    for n in range(2):
        async with UnitOfWork(factory) as uow:
            uow.session.add(Notice(number=f"{n}-TB/X", source_text=""))
            await uow.session.flush()
            pid = (await uow.execute(select(func.pg_backend_pid()))).scalar_one()
        assert pid not in (first, second)
    # Each unit of work on a new connection (the second dead one was older than the first's
    # failure: replaced without a try), each its statements between one BEGIN and one COMMIT.
    assert wire.round_trips() == [["BEGIN", "INSERT", "SELECT", "COMMIT"]] * 2
    assert await _count_notices(factory) == 2


async def _held(factory: async_sessionmaker[AsyncSession]) -> int:
    """A unit of work that holds its connection a moment, so two run on two connections."""
    async with UnitOfWork(factory) as uow:
        pid = int((await uow.execute(select(func.pg_backend_pid()))).scalar_one())
        await asyncio.sleep(0.1)
        return pid
