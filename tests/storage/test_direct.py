"""Statements run on the driver (storage/direct.py) give what SQLAlchemy's execution gives:
every `Direct` statement of the repositories and the ledger, run both ways on SQLite and
PostgreSQL, returns the same rows with the same types and stores the same; every column type
of the models survives the round trip the same way; what the direct path cannot do is
refused by looking at the compiled statement; and SQLAlchemy's private attributes it reads
still have the shape it reads."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import greenlet
import pytest
from sqlalchemy import bindparam, event, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import DateTime
from sqlmodel import SQLModel

import storage.repositories
from storage import ledger
from storage.direct import Direct, DirectResult
from storage.engine import make_engine, make_session_factory
from storage.models import (
    Agency,
    AgencyMember,
    AppliedUpdate,
    Assignment,
    ChatBinding,
    MessageLink,
    Notice,
    PendingInput,
    Person,
    ProgressUpdate,
    Task,
)
from storage.repositories import conversation, people, progress, report
from storage.types import UTCDateTime
from storage.unit_of_work import UnitOfWork, journal_writes
from tests.storage.test_pg_round_trips import _terminate
from tests.storage.test_sqlite_adapter import write_lock_held

NOW = datetime(2020, 1, 14, 2, 0, 30, 123456, tzinfo=UTC)
USER, CHAT = 5_000_000_001, -1_001_234_567_890


class Rollback(Exception):
    """Ends a unit of work without committing what it did."""


async def _seed(factory: async_sessionmaker[AsyncSession]) -> int:
    async with UnitOfWork(factory) as uow:
        s = uow.session
        agency = Agency(name="Sở Tài chính", key="so tai chinh", kind="so")
        notice = Notice(number="22-TB/BCĐ", source_text="")
        person = Person(telegram_user_id=USER, display_name="Lan", is_admin=True)
        s.add_all([agency, notice, person])
        await s.flush()
        task = Task(notice_id=notice.id, code="I.1", text="Giải ngân", deadline_kind="none")
        s.add(task)
        await s.flush()
        assignment = Assignment(
            task_id=task.id, agency_id=agency.id, status="in_progress", percent=40,
            completed_on=date(2020, 1, 10), last_update_at=NOW,
        )  # fmt: skip
        s.add_all(
            [
                assignment,
                AgencyMember(person_id=person.id, agency_id=agency.id, role="focal_point"),
                ChatBinding(chat_id=CHAT, thread_id=0, agency_id=agency.id, title="Sở TC"),
                PendingInput(
                    chat_id=CHAT, telegram_user_id=USER, action="blocker", target_id=7,
                    payload="x", expires_at=NOW + timedelta(hours=1),
                ),
            ]
        )  # fmt: skip
        await s.flush()
        for i, minutes in enumerate([1, 3, 30]):
            s.add(
                ProgressUpdate(
                    assignment_id=assignment.id, kind="in_progress", status="in_progress",
                    percent=10 * i, text=f"đạt {10 * i}%", author_user_id=USER,
                    author_name="Lan", source_chat_id=CHAT, source_message_id=100 + i,
                    created_at=NOW - timedelta(minutes=minutes, microseconds=7),
                )
            )  # fmt: skip
        s.add(MessageLink(chat_id=CHAT, message_id=900, assignment_id=assignment.id, position=1))
        await s.flush()
        return assignment.id or 0


def _cases(aid: int) -> dict[str, tuple[Direct, dict[str, Any], Any]]:
    """Every Direct statement with parameters that find rows, and for a write the table it
    changes (read back after it)."""
    since = NOW - timedelta(minutes=10)
    history = progress.update_values(
        assignment_id=aid, kind="done", status="done", percent=100, text="Đã xong",
        author_user_id=USER, author_name="Lan", source_chat_id=CHAT, source_message_id=42,
        created_at=NOW,
    )  # fmt: skip
    return {
        "who_where_and_question": (
            people._WHO_WHERE_AND_QUESTION,
            {"user_id": USER, "chat_id": CHAT, "thread_id": 0},
            None,
        ),
        "who_where_nobody": (
            people._WHO_WHERE_AND_QUESTION,
            {"user_id": 1, "chat_id": 2, "thread_id": 3},
            None,
        ),
        "who_where_question_and_target": (
            report._WHO_WHERE_QUESTION_AND_TARGET,
            {"user_id": USER, "chat_id": CHAT, "thread_id": 0, "assignment_id": aid},
            None,
        ),
        "who_where_question_target_and_recent": (
            report._WHO_WHERE_QUESTION_TARGET_AND_RECENT,
            {
                "user_id": USER,
                "chat_id": CHAT,
                "thread_id": 0,
                "assignment_id": aid,
                "since": since,
            },
            None,
        ),
        "report_target": (report._REPORT_TARGET, {"assignment_id": aid}, None),
        "report_target_and_recent": (
            report._REPORT_TARGET_AND_RECENT,
            {"assignment_id": aid, "since": since},
            None,
        ),
        "recent_updates": (progress._RECENT_UPDATES, {"assignment_id": aid, "since": since}, None),
        "linked_assignments": (
            conversation._LINKED_ASSIGNMENTS,
            {"chat_id": CHAT, "message_id": 900},
            None,
        ),
        "move_assignment": (
            report._MOVE_ASSIGNMENT,
            {
                "assignment_id": aid,
                "new_status": "done",
                "new_percent": 100,
                "new_completed_on": date(2020, 1, 14),
                "new_last_update_at": NOW,
            },
            Assignment,
        ),
        "append_update": (progress._APPEND_UPDATE, history, ProgressUpdate),
        "claim": (
            None,  # per dialect: ledger._claim_statement
            {"bot_id": 77, "update_id": 88, "applied_at": NOW},
            AppliedUpdate,
        ),
    }


def _all_directs() -> set[int]:
    """The Direct statements defined by the repositories (module constants)."""
    found: set[int] = set()
    for info in pkgutil.iter_modules(storage.repositories.__path__):
        module = importlib.import_module(f"storage.repositories.{info.name}")
        for value in vars(module).values():
            values = value.values() if isinstance(value, dict) else [value]
            found |= {id(v) for v in values if isinstance(v, Direct)}
    return found


def _appends(aid: int) -> dict[str, tuple[Direct, dict[str, Any], Any]]:
    """PostgreSQL's history row with the move and the claim, one statement (report._APPENDS)."""
    history = progress.update_values(
        assignment_id=aid, kind="done", status="done", percent=100, text="Đã xong",
        author_user_id=USER, author_name="Lan", source_chat_id=CHAT, source_message_id=43,
        created_at=NOW,
    )  # fmt: skip
    cases = {}
    for (move, claim), statement in report._APPENDS.items():
        params: dict[str, Any] = {key: history[name] for name, key in report._HISTORY_KEYS.items()}
        if move:
            params.update(
                assignment_id=aid, new_status="done", new_percent=100,
                new_completed_on=date(2020, 1, 14), new_last_update_at=NOW,
            )  # fmt: skip
        if claim:
            claimed = ledger.UpdateClaim(bot_id=77, update_id=89, at=NOW)
            params.update(ledger.claim_parameters(claimed))
        cases[f"append move={move} claim={claim}"] = (statement, params, ProgressUpdate)
    return cases


def _typed(rows: list[Any]) -> list[list[tuple[type, Any, Any]]]:
    """Each value with its type (and a datetime's offset), for an exact comparison."""
    return [
        [(type(v), v, v.utcoffset() if isinstance(v, datetime) else None) for v in row]
        for row in rows
    ]


async def _stored(uow: UnitOfWork, table: Any) -> list[Any]:
    if table is None:
        return []
    keys = [c for c in table.__table__.columns if c.name != "id"]
    rows = (await uow.execute(select(*keys).order_by(*keys))).all()
    return _typed([tuple(r) for r in rows])


async def _run_both(
    factory: async_sessionmaker[AsyncSession], statement: Direct, params: dict[str, Any], table: Any
) -> tuple[Any, Any]:
    """The statement run on the driver and SQLAlchemy's way, each in a transaction rolled
    back: (keys, typed rows, rowcount, the table after) of each."""
    outcomes = []
    for way in ("direct", "sqlalchemy"):
        try:
            async with UnitOfWork(factory) as uow:
                if way == "direct":
                    result = await uow.execute(statement, params)
                    assert isinstance(result, DirectResult)
                    rows = result.all()
                    keys = list(rows[0]._fields) if rows and hasattr(rows[0], "_fields") else None
                    outcome = (keys, _typed(rows), result.rowcount, uow.wrote)
                else:
                    cursor = await uow.execute(statement.statement, params)
                    rows = cursor.all() if cursor.returns_rows else []
                    keys = list(cursor.keys()) if rows else None
                    outcome = (keys, _typed([tuple(r) for r in rows]), cursor.rowcount, uow.wrote)
                outcomes.append((*outcome, await _stored(uow, table)))
                raise Rollback
        except Rollback:
            pass
    return outcomes[0], outcomes[1]


def _without_ids(outcome: Any, table: Any) -> Any:
    """PostgreSQL's sequences move on in a rolled-back transaction: a new row's id differs.
    A row count is compared where it means something, a statement without rows: with rows,
    psycopg's cursor reports -1 once SQLAlchemy has read them and closed it (the rows' own
    count before), sqlite3's -1 for a SELECT."""
    keys, rows, rowcount, wrote, stored = outcome
    if table is ProgressUpdate:
        rows = [[(t, None, o) for t, _v, o in row] for row in rows]
    return keys, rows, rowcount if keys is None else None, wrote, stored


async def test_every_direct_statement_gives_what_sqlalchemy_gives(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    aid = await _seed(session_factory)
    cases = _cases(aid)
    async with UnitOfWork(session_factory) as uow:
        dialect = uow.connection.sync_connection.dialect  # type: ignore[union-attr]
    cases["claim"] = (ledger._claim_statement(dialect.name), *cases["claim"][1:])
    appends = _appends(aid)
    if dialect.name == "postgresql":  # SQLite appends with two statements (report.py)
        cases.update(appends)
    covered = {id(s) for s, _p, _t in [*cases.values(), *appends.values()] if s is not None}
    assert _all_directs() <= covered
    for name, (statement, params, table) in cases.items():
        assert statement is not None
        assert statement.plan(dialect, params) is not None, f"{name} is refused"
        ran, expected = await _run_both(session_factory, statement, params, table)
        assert _without_ids(ran, table) == _without_ids(expected, table), name
        assert ran[1] or table is Assignment, f"{name} found nothing to compare"


@pytest.mark.parametrize("width", [1, 2])
async def test_a_direct_insert_given_a_list_runs_one_row_on_the_driver_and_many_sqlalchemys_way(
    session_factory: async_sessionmaker[AsyncSession], width: int
) -> None:
    aid = await _seed(session_factory)
    statement = Direct(insert(MessageLink))
    rows = [
        {"chat_id": CHAT, "message_id": 1000 + i, "assignment_id": aid, "position": 1,
         "purpose": "answer", "created_at": NOW}
        for i in range(width)
    ]  # fmt: skip
    with journal_writes() as journal:
        async with UnitOfWork(session_factory) as uow:
            result = await uow.execute(statement, rows)
            assert uow.wrote
    assert isinstance(result, DirectResult) and journal.commits == 1
    async with UnitOfWork(session_factory) as uow:
        stored = (await uow.execute(select(MessageLink.message_id, MessageLink.created_at))).all()
    assert sorted(stored)[-width:] == [(1000 + i, NOW) for i in range(width)]


def _samples(column: Any) -> list[Any]:
    """Values a column of this type holds, None where it may be empty."""
    python = getattr(column.type, "impl_instance", column.type).python_type  # TypeDecorators
    values: list[Any]
    if python is bool:
        values = [True, False]
    elif python is int:
        big = "big" in type(column.type).__name__.lower()
        values = [0, -7, 2**31 - 1] + ([2**53 + 1, -(2**62)] if big else [])
    elif python is str:
        values = ["", "Sở Tài chính 🙂", "a'b\"c %s %(x)s ?", "  x\n"]
    elif python is datetime:
        aware = isinstance(column.type, UTCDateTime) or getattr(column.type, "timezone", False)
        hanoi = timezone(timedelta(hours=7))
        values = (
            [
                NOW,
                datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=hanoi),
                NOW.replace(microsecond=0),
            ]
            if aware
            else [NOW.replace(tzinfo=None), datetime(2000, 2, 29, 0, 0)]
        )
    elif python is date:
        values = [date(2020, 1, 14), date(1, 1, 1), date(9999, 12, 31)]
    else:
        raise AssertionError(f"a column type the test does not know: {column.type!r}")
    return values + ([None] if column.nullable else [])


def _column_types() -> dict[str, Any]:
    """One column of each distinct type in the models."""
    kinds: dict[str, Any] = {}
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            kinds.setdefault(repr(column.type), column)
    return kinds


async def test_every_column_type_of_the_models_round_trips_as_through_sqlalchemy(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    kinds = _column_types()
    assert {UTCDateTime, DateTime} & {type(c.type) for c in kinds.values()}
    for name, column in kinds.items():
        statement = Direct(select(bindparam("v", type_=column.type).label("v")))
        for value in _samples(column):
            ran, expected = await _run_both(session_factory, statement, {"v": value}, None)
            assert _without_ids(ran, None) == _without_ids(expected, None), (name, value)
        stored = Direct(select(column).where(column == bindparam("v")).limit(1))
        async with UnitOfWork(session_factory) as uow:
            dialect = uow.connection.sync_connection.dialect  # type: ignore[union-attr]
        assert stored.plan(dialect, {"v": _samples(column)[0]}) is not None, name


async def test_a_naive_datetime_is_refused_as_sqlalchemy_refuses_it(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    aid = await _seed(session_factory)
    statement, params, _table = _cases(aid)["move_assignment"]
    params = {**params, "new_last_update_at": NOW.replace(tzinfo=None)}
    for target in (statement, statement.statement):
        with pytest.raises(StatementError, match="naive datetime"):
            async with UnitOfWork(session_factory) as uow:
                await uow.execute(target, params)


async def test_a_constraint_breaks_as_through_sqlalchemy_and_the_claim_still_refuses_a_repeat(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    aid = await _seed(session_factory)
    link = Direct(insert(MessageLink))
    row = {"chat_id": CHAT, "message_id": 900, "assignment_id": aid, "position": 1,
           "purpose": "card", "created_at": NOW}  # fmt: skip
    with pytest.raises(IntegrityError):
        async with UnitOfWork(session_factory) as uow:
            await uow.execute(link, row)  # the seed's link, again
    with ledger.applying_update(77, 88, NOW) as first:
        async with UnitOfWork(session_factory) as uow:
            await uow.execute(report._MOVE_ASSIGNMENT, _cases(aid)["move_assignment"][1])
    assert first.applied
    with ledger.applying_update(77, 88, NOW) as second, pytest.raises(ledger.UpdateAlreadyApplied):
        async with UnitOfWork(session_factory) as uow:
            await uow.execute(report._MOVE_ASSIGNMENT, _cases(aid)["move_assignment"][1])
    assert second.duplicate and not second.applied


def _compiled_for(engine: AsyncEngine, statement: Any, names: list[str]) -> SQLCompiler:
    compiled = statement.compile(dialect=engine.sync_engine.dialect, column_keys=names)
    assert isinstance(compiled, SQLCompiler)
    return compiled


_REFUSED: dict[str, Callable[[], tuple[Any, dict[str, Any]]]] = {
    "a Python-side default (prefetch)": lambda: (
        insert(Agency),
        {"name": "A", "key": "a", "kind": "so"},  # created_at: utcnow() in Python
    ),
    "an expanding IN": lambda: (
        select(Agency.id).where(Agency.id.in_(bindparam("ids", expanding=True))),
        {"ids": [1, 2]},
    ),
    "a literal-execute parameter": lambda: (
        select(Agency.id).where(Agency.id == bindparam("x", literal_execute=True)),
        {"x": 1},
    ),
    "an ORM entity": lambda: (select(Agency).where(Agency.id == bindparam("x")), {"x": 1}),
    "a parameter with a callable": lambda: (
        select(Agency.id).where(Agency.id == bindparam("x", callable_=lambda: 1)),
        {},
    ),
    "collected .params()": lambda: (
        select(Agency.id).where(Agency.id == bindparam("x")).params(x=1),
        {},
    ),
    "a required parameter missing": lambda: (
        update(Assignment).where(Assignment.id == bindparam("aid")).values(percent=5),
        {},
    ),
    "execution options": lambda: (select(Agency.id).execution_options(dondoc_note=1), {}),
    "a result name that is no attribute": lambda: (select(Agency.id.label("two words")), {}),
}


@pytest.mark.parametrize("why", list(_REFUSED))
async def test_what_the_direct_path_cannot_do_is_refused_and_runs_sqlalchemys_way(
    session_factory: async_sessionmaker[AsyncSession], why: str
) -> None:
    statement, params = _REFUSED[why]()
    wrapped = Direct(statement)
    async with UnitOfWork(session_factory) as uow:
        dialect = uow.connection.sync_connection.dialect  # type: ignore[union-attr]
        assert wrapped.plan(dialect, params) is None
        if why == "a required parameter missing":
            with pytest.raises(StatementError, match="aid"):
                await uow.execute(wrapped, params)
            return
        if why == "a Python-side default (prefetch)":
            await uow.execute(wrapped, params)
            assert (await uow.execute(select(Agency.key))).scalar_one() == "a"
        else:
            assert isinstance(await uow.execute(wrapped, params), DirectResult)


async def test_sqlalchemys_private_attributes_the_direct_path_reads_keep_their_shape(
    engine: AsyncEngine,
) -> None:
    """storage/direct.py reads `_result_columns` (keyname first, type fourth, one entry per
    column in order), `_ordered_columns`, `_textual_ordered_columns` and `_collected_params`:
    if SQLAlchemy changes them, this fails before a wrong row does."""
    statement = report.REPORT_TARGET_AND_RECENT
    compiled = _compiled_for(engine, statement, ["assignment_id", "since"])
    columns = compiled._result_columns
    assert len(columns) == len(statement.selected_columns)
    for entry, column in zip(columns, statement.selected_columns, strict=True):
        assert len(entry) == 4 and isinstance(entry[0], str)
        assert entry[3]._type_affinity is column.type._type_affinity
    assert [e[0] for e in columns][:3] == ["id", "agency_id", "name"]
    assert compiled._ordered_columns is True and compiled._textual_ordered_columns is False
    assert not compiled._collected_params
    params = select(Agency.id).where(Agency.id == bindparam("x")).params(x=1)
    assert _compiled_for(engine, params, [])._collected_params == {"x": 1}


async def test_a_direct_statement_that_meets_another_writer_waits_for_it(
    sqlite_url: str,
) -> None:
    """SQLite busy: nothing ran on the driver; the statement runs SQLAlchemy's asyncio way,
    which waits for the lock while the loop runs (storage/sqlite_inline.py)."""
    engine = make_engine(sqlite_url)
    factory = make_session_factory(engine)
    try:
        aid = await _seed(factory)
        params = _cases(aid)["move_assignment"][1]
        async with write_lock_held(sqlite_url, seconds=0.2), UnitOfWork(factory) as uow:
            result = await uow.execute(report._MOVE_ASSIGNMENT, params)  # waits
            again = await uow.execute(report._MOVE_ASSIGNMENT, params)  # on the driver
        assert (result.rowcount, again.rowcount) == (1, 1)
        async with UnitOfWork(factory) as uow:
            status = (await uow.execute(select(Assignment.status))).scalar_one()
        assert status == "done"
    finally:
        await engine.dispose()


async def test_a_direct_statement_runs_on_the_driver_without_a_greenlet(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """SQLite's sqlite3 connection, PostgreSQL's psycopg AsyncConnection, awaited: no greenlet
    switch (SQLAlchemy's asyncio engine switches twice or more a statement on PostgreSQL)."""
    aid = await _seed(session_factory)
    seen: list[str] = []
    async with UnitOfWork(session_factory) as uow:
        previous = greenlet.settrace(lambda event, _args: seen.append(event))
        try:
            target = await uow.execute(report._REPORT_TARGET, {"assignment_id": aid})
        finally:
            greenlet.settrace(previous)
        assert target.first() is not None
        await uow.execute(report._REPORT_TARGET.statement, {"assignment_id": aid})  # warm
    assert seen == []


async def test_a_direct_statement_reaches_cursor_listeners_added_while_the_transaction_is_open(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """SQLAlchemy's own test for events (`Connection._has_events`, `Engine._has_events`) sends a
    Direct statement its way when anything listens: a listener counting statements sees it."""
    aid = await _seed(session_factory)
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.split()[0])

    async with UnitOfWork(session_factory) as uow:
        await uow.execute(report._REPORT_TARGET, {"assignment_id": aid})  # on the driver
        sync = uow.connection.sync_connection
        assert sync is not None and not (sync._has_events or sync.engine._has_events)
        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            assert engine.sync_engine._has_events
            target = await uow.execute(report._REPORT_TARGET, {"assignment_id": aid})
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert seen == ["SELECT"] and target.first() is not None


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_backend_lost_under_a_direct_statement_invalidates_it_and_the_next_unit_works(
    database_url: str,
) -> None:
    """PostgreSQL: the backend dies inside the transaction (pg_terminate_backend, as a crash or
    a restart). The direct statement raises SQLAlchemy's DBAPIError marked invalidated, the
    unit of work rolls back, the connection leaves the pool, and the next unit of work runs on
    a new one."""
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    try:
        aid = await _seed(factory)
        with pytest.raises(DBAPIError) as lost:
            async with UnitOfWork(factory) as uow:
                pid = (await uow.execute(select(func.pg_backend_pid()))).scalar_one()
                await asyncio.to_thread(_terminate, database_url, [pid])
                await uow.execute(report._REPORT_TARGET, {"assignment_id": aid})
        assert lost.value.connection_invalidated
        async with UnitOfWork(factory) as uow:
            again = (await uow.execute(select(func.pg_backend_pid()))).scalar_one()
            target = (await uow.execute(report._REPORT_TARGET, {"assignment_id": aid})).first()
        assert again != pid and target is not None
    finally:
        await engine.dispose()
