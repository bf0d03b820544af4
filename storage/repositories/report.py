"""The progress report's own statements: its target (the assignment, locked), the history the
repeat rule reads, the history row with the assignment's move (and, on PostgreSQL, the
update's claim), built once each: a report runs them on every reply (bench/README.md,
findings C, G and L). Split from tasks.py, which re-exports them."""

from __future__ import annotations

import weakref
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import and_, bindparam, insert, select, true, update

from storage import ledger
from storage.direct import Direct
from storage.models import Agency, Assignment, ProgressUpdate, Task
from storage.repositories import people
from storage.repositories import progress as progress_repo
from storage.repositories.progress import RecentUpdate
from storage.unit_of_work import UnitOfWork


class ReportTarget(NamedTuple):
    """The little a progress report needs of its assignment: whose, which task, where it is."""

    assignment_id: int
    agency_id: int
    agency_name: str
    task_code: str
    cancelled: bool
    status: str
    percent: int


# A progress reply reads one assignment, appends one history row and moves the assignment:
# Core statements built once (bench finding C; the history row is progress.APPEND_UPDATE).
_TARGET_COLUMNS = (
    Assignment.id,
    Assignment.agency_id,
    Agency.name,
    Task.code,
    Task.cancelled,
    Assignment.status,
    Assignment.percent,
)
_TARGET_WIDTH = len(_TARGET_COLUMNS)
REPORT_TARGET = (
    select(*_TARGET_COLUMNS)
    .join(Task, Task.id == Assignment.task_id)
    .join(Agency, Agency.id == Assignment.agency_id)
    .where(Assignment.id == bindparam("assignment_id"))
    # The assignment's row is held to the end of the report's transaction (PostgreSQL): two
    # reports at once take turns, so the second one reads the first (the repeat rule).
    .with_for_update(of=Assignment)
)
# SQLite: the target and the repeat rule's rows (the history since `since`) in one statement,
# one row per history row, at least one (NULLs when there is none). Only where one writer
# and one snapshot per transaction make it read what the two statements would.
REPORT_TARGET_AND_RECENT = (
    select(*_TARGET_COLUMNS, *progress_repo.RECENT_COLUMNS)
    .join(Task, Task.id == Assignment.task_id)
    .join(Agency, Agency.id == Assignment.agency_id)
    .outerjoin(
        ProgressUpdate,
        and_(
            ProgressUpdate.assignment_id == Assignment.id,
            ProgressUpdate.created_at >= bindparam("since"),
        ),
    )
    .where(Assignment.id == bindparam("assignment_id"))
    .order_by(*progress_repo.RECENT_ORDER)
    .limit(progress_repo.RECENT_LIMIT)
)
MOVE_ASSIGNMENT = (
    update(Assignment)
    .where(Assignment.id == bindparam("assignment_id"))
    .values(
        status=bindparam("new_status"),
        percent=bindparam("new_percent"),
        completed_on=bindparam("new_completed_on"),
        last_update_at=bindparam("new_last_update_at"),
    )
)


# The reply's first statement (who is writing, where, their open question) can also read the
# task it reports on, as its report would: on PostgreSQL its row locked as REPORT_TARGET locks
# it (the history is read after the lock, as before); on SQLite with its history, as
# REPORT_TARGET_AND_RECENT reads them (one snapshot from the transaction's first read on).
# A subquery on the nullable side of a LEFT JOIN: who and where are read whatever it finds,
# one row per (membership, binding[, history row]). One statement a reply fewer.
def _who_where_question_and(target: Any) -> Any:
    read = target.subquery("target")
    return people.WHO_WHERE_AND_QUESTION.add_columns(
        *(column.label(f"target_{n}") for n, column in enumerate(read.c))
    ).outerjoin(read, true())


_WHO_WIDTH = len(people.WHO_WHERE_AND_QUESTION.selected_columns)
_HISTORY_AT = _WHO_WIDTH + _TARGET_WIDTH  # where a history row's columns begin (SQLite)
WHO_WHERE_QUESTION_AND_TARGET = _who_where_question_and(REPORT_TARGET)
WHO_WHERE_QUESTION_TARGET_AND_RECENT = _who_where_question_and(REPORT_TARGET_AND_RECENT)
# The reply's statements run on the driver, compiled once (storage/direct.py, finding O).
_REPORT_TARGET = Direct(REPORT_TARGET)
_REPORT_TARGET_AND_RECENT = Direct(REPORT_TARGET_AND_RECENT)
_MOVE_ASSIGNMENT = Direct(MOVE_ASSIGNMENT)
_WHO_WHERE_QUESTION_AND_TARGET = Direct(WHO_WHERE_QUESTION_AND_TARGET)
_WHO_WHERE_QUESTION_TARGET_AND_RECENT = Direct(WHO_WHERE_QUESTION_TARGET_AND_RECENT)


class _ReadAhead(NamedTuple):
    assignment_id: int
    target: ReportTarget | None
    recent: list[RecentUpdate] | None  # SQLite: the history since `since`, newest first
    since: datetime | None


# What that statement read, for this transaction's report on that assignment: kept until
# the report takes it, and only while the transaction has written nothing since.
_READ_AHEAD: weakref.WeakKeyDictionary[UnitOfWork, _ReadAhead] = weakref.WeakKeyDictionary()


async def who_where_question_and_target(
    uow: UnitOfWork,
    *,
    telegram_user_id: int,
    chat_id: int,
    thread_id: int,
    assignment_id: int,
    since: datetime | None,
) -> tuple[people.WhoAndWhere, people.OpenQuestion | None]:
    """`people.who_where_and_question`, and the target of the report this transaction is
    about to make on `assignment_id` (its history since `since` too, on SQLite) in the same
    statement: `report_target_and_recent` then reads only the history on PostgreSQL, nothing
    on SQLite. A target read and not reported on (the message answered a question, or
    another task was reported first) was only read (and locked)."""
    sqlite = uow.dialect_name == "sqlite"
    if uow.wrote or (sqlite and since is None):
        return await people.who_where_and_question(
            uow, telegram_user_id=telegram_user_id, chat_id=chat_id, thread_id=thread_id
        )
    statement = _WHO_WHERE_QUESTION_TARGET_AND_RECENT if sqlite else _WHO_WHERE_QUESTION_AND_TARGET
    params: dict[str, Any] = {
        "user_id": telegram_user_id,
        "chat_id": chat_id,
        "thread_id": thread_id,
        "assignment_id": assignment_id,
    }
    if sqlite:
        params["since"] = since
    rows = (await uow.execute(statement, params)).all()
    first = rows[0][_WHO_WIDTH : _WHO_WIDTH + _TARGET_WIDTH]
    target = ReportTarget(*first) if first[0] is not None else None
    recent = None
    if sqlite:  # each history row once per (membership, binding): once each, newest first
        history = {row[_HISTORY_AT]: RecentUpdate(*row[_HISTORY_AT:]) for row in rows}
        history.pop(None, None)
        recent = sorted(history.values(), key=lambda r: (r.created_at, r.id), reverse=True)
    _READ_AHEAD[uow] = _ReadAhead(assignment_id, target, recent, since)
    return people.who_where_and_question_of(rows, thread_id)


async def report_target(uow: UnitOfWork, *, assignment_id: int) -> ReportTarget | None:
    row = (await uow.execute(_REPORT_TARGET, {"assignment_id": assignment_id})).first()
    return ReportTarget(*row) if row else None


async def report_target_and_recent(
    uow: UnitOfWork, *, assignment_id: int, since: datetime | None
) -> tuple[ReportTarget | None, list[RecentUpdate]]:
    """The report's target (its row locked, as `report_target`'s) and its history since
    `since`, newest first (none read when `since` is None: the repeat rule is off).

    PostgreSQL: two statements, the lock first. Under READ COMMITTED a statement reads the
    snapshot taken when it began, so history read in the statement that waited for the lock
    would miss what the transaction holding it wrote (tests/reliability/test_repeat_race.py).
    SQLite: one statement (one writer; a transaction reads one snapshot from its first read
    on, so the two statements would see the same rows). What the transaction's first
    statement read for it (`who_where_question_and_target`) is taken instead: then only the
    history on PostgreSQL, nothing on SQLite."""
    ahead = _READ_AHEAD.pop(uow, None)
    if ahead is not None and ahead.assignment_id == assignment_id and not uow.wrote:
        target = ahead.target  # read (locked on PostgreSQL) by the transaction's first statement
        if target is None or since is None:
            return target, []
        if ahead.recent is not None and ahead.since is not None and ahead.since <= since:
            # The newest rows since a moment before `since`: those since `since` lead them.
            return target, [r for r in ahead.recent if r.created_at >= since]
        return target, await progress_repo.recent_updates(
            uow, assignment_id=assignment_id, since=since
        )
    if since is None or uow.dialect_name != "sqlite":
        target = await report_target(uow, assignment_id=assignment_id)
        if target is None or since is None:
            return target, []
        return target, await progress_repo.recent_updates(
            uow, assignment_id=assignment_id, since=since
        )
    params = {"assignment_id": assignment_id, "since": since}
    rows = (await uow.execute(_REPORT_TARGET_AND_RECENT, params)).all()
    if not rows:
        return None, []
    width = _TARGET_WIDTH
    recent = [RecentUpdate(*row[width:]) for row in rows if row[width] is not None]
    return ReportTarget(*rows[0][:width]), recent


class AssignmentMove(NamedTuple):
    """An assignment's new state, as a report leaves it (MOVE_ASSIGNMENT's values)."""

    status: str
    percent: int
    completed_on: date | None
    last_update_at: datetime


# PostgreSQL: the history row, the assignment's new state and the update's claim in one
# statement, data-modifying CTEs (SQLite has none): up to two round trips fewer a report. The history row's values are bound under their own names (`h_` +
# column), apart from the move's and the claim's, so no part can take another's. With the
# claim, the history row is inserted only `FROM claimed`: none for a second delivery, which
# then raises and rolls back, move included (storage/ledger.py).
_HISTORY_KEYS = {name: f"h_{name}" for name in progress_repo.UPDATE_COLUMNS}
_HISTORY_TYPES = {name: ProgressUpdate.__table__.c[name].type for name in _HISTORY_KEYS}


def _append_statement(*, move: bool, claim: bool) -> Any:
    history = insert(ProgressUpdate)
    if claim:
        claimed = ledger.claim_cte()
        row = [bindparam(key, type_=_HISTORY_TYPES[name]) for name, key in _HISTORY_KEYS.items()]
        history = history.from_select(list(_HISTORY_KEYS), select(*row).select_from(claimed))
    else:
        history = history.values({name: bindparam(key) for name, key in _HISTORY_KEYS.items()})
    if move:
        history = history.add_cte(MOVE_ASSIGNMENT.returning(Assignment.id).cte("moved"))
    if claim:
        history = history.add_cte(claimed)
    return history.returning(ProgressUpdate.id)


_APPENDS = {  # run on the driver, compiled once (storage/direct.py)
    (m, c): Direct(_append_statement(move=m, claim=c)) for m in (True, False) for c in (True, False)
}


async def append_update_and_move(
    uow: UnitOfWork, *, update: dict[str, object], move: AssignmentMove | None
) -> int:
    """Append the history row `update` (progress.update_values) and, with `move`, set the
    assignment's state it results in, in the caller's transaction; returns the row's id.
    PostgreSQL: one statement, which also makes the update's claim when it is still to be
    made; SQLite: two (the unit of work claims at its commit)."""
    if uow.dialect_name != "postgresql":
        update_id = await progress_repo.insert_update(uow, values=update)
        if move is not None:
            await move_assignment(
                uow,
                assignment_id=cast(int, update["assignment_id"]),
                status=move.status,
                percent=move.percent,
                completed_on=move.completed_on,
                last_update_at=move.last_update_at,
            )
        return update_id
    claim = ledger.claim_to_make(uow)
    params = {key: update[name] for name, key in _HISTORY_KEYS.items()}
    if move is not None:
        params.update(
            assignment_id=update["assignment_id"],
            new_status=move.status,
            new_percent=move.percent,
            new_completed_on=move.completed_on,
            new_last_update_at=move.last_update_at,
        )
    if claim is not None:
        params.update(ledger.claim_parameters(claim))
    statement = _APPENDS[move is not None, claim is not None]
    row = (await uow.execute(statement, params)).first()
    if claim is not None:
        ledger.claim_made(uow, claim, inserted=row is not None)
    assert row is not None
    return int(row[0])


async def move_assignment(
    uow: UnitOfWork,
    *,
    assignment_id: int,
    status: str,
    percent: int,
    completed_on: date | None,
    last_update_at: datetime,
) -> None:
    """Set the assignment's current state (derived from the history row just appended)."""
    await uow.execute(
        _MOVE_ASSIGNMENT,
        {
            "assignment_id": assignment_id,
            "new_status": status,
            "new_percent": percent,
            "new_completed_on": completed_on,
            "new_last_update_at": last_update_at,
        },
    )
