"""Tasks and their assignments: the rows lists and cards show, the reminder sweep's states,
the progress reply's target and state change, the office's edits and their revisions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Row, Select, and_, bindparam, func, insert, select, update
from sqlalchemy.orm import defer

from bot.domain.types import OPEN_STATUSES, UNFINISHED_STATUSES, AssignmentStatus
from storage import ledger
from storage.models import Agency, Assignment, Notice, ProgressUpdate, Task, TaskRevision
from storage.repositories import progress as progress_repo
from storage.repositories.progress import RecentUpdate
from storage.unit_of_work import UnitOfWork

_OPEN = tuple(s.value for s in OPEN_STATUSES)
_UNFINISHED = tuple(s.value for s in UNFINISHED_STATUSES)
ROWS_PER_QUERY = 500  # bound parameters per IN (...), far below every backend's limit

AssignmentRow = tuple[Assignment, Task, Notice, Agency]


def assignment_rows() -> Select[Any]:
    """Assignment with its task, notice and agency: what a list line or card shows.

    The notice's full text is never needed here and is large (15 kB a notice): deferred,
    and refused if touched, so a sweep over every open assignment stays small in memory."""
    return (
        select(Assignment, Task, Notice, Agency)
        .join(Task, Task.id == Assignment.task_id)
        .join(Notice, Notice.id == Task.notice_id)
        .join(Agency, Agency.id == Assignment.agency_id)
        .options(defer(Notice.source_text, raiseload=True))
    )


# What the reminder policy reads of every open assignment. The sweep runs it every minute
# over all of them, so plain rows of these columns: no ORM objects, no task text (bench 3).
OPEN_ASSIGNMENT_STATES = (
    select(
        Assignment.id.label("assignment_id"),
        Assignment.agency_id,
        Assignment.task_id,
        Assignment.status,
        Assignment.created_at,
        Assignment.acknowledged_at,
        Assignment.last_update_at,
        Task.deadline_kind,
        Task.deadline_start,
        Task.deadline_end,
        Task.deadline_phrase,
        Task.adjusted_deadline_end,
        Task.extension_approved,
        Agency.paused_until,
        Agency.active.label("agency_active"),
    )
    .join(Task, Task.id == Assignment.task_id)
    .join(Agency, Agency.id == Assignment.agency_id)
    .where(Task.cancelled.is_(False), Assignment.status.in_(_OPEN))
    .order_by(Assignment.id)
)


async def open_assignment_states(uow: UnitOfWork) -> Sequence[Row[Any]]:
    """Every open assignment of a live task, as the reminder policy reads it."""
    return (await uow.execute(OPEN_ASSIGNMENT_STATES)).all()


async def assignment_rows_by_id(
    uow: UnitOfWork, *, assignment_ids: Iterable[int]
) -> dict[int, AssignmentRow]:
    """`assignment_rows` for these ids only, in chunks."""
    ids = sorted(set(assignment_ids))
    found: dict[int, AssignmentRow] = {}
    for start in range(0, len(ids), ROWS_PER_QUERY):
        chunk = ids[start : start + ROWS_PER_QUERY]
        result = await uow.session.execute(assignment_rows().where(Assignment.id.in_(chunk)))
        for assignment, task, notice, agency in result.all():
            found[assignment.id or 0] = (assignment, task, notice, agency)
    return found


async def unfinished_assignments(
    uow: UnitOfWork,
    *,
    agency_ids: Sequence[int] | None = None,
    notice_id: int | None = None,
) -> list[AssignmentRow]:
    """Unfinished assignments of live tasks (what a task list shows), by assignment id."""
    query = assignment_rows().where(Task.cancelled.is_(False), Assignment.status.in_(_UNFINISHED))
    if agency_ids is not None:
        query = query.where(Assignment.agency_id.in_(list(agency_ids)))
    if notice_id is not None:
        query = query.where(Notice.id == notice_id)
    result = await uow.session.execute(query.order_by(Assignment.id))
    return [tuple(row) for row in result.all()]


async def still_open(uow: UnitOfWork, *, assignment_ids: Iterable[int]) -> set[int]:
    """Those of the assignments that are still the agency's move (open, their task not
    cancelled): what a reminder written earlier may still be about."""
    ids = list(assignment_ids)
    if not ids:
        return set()
    query = (
        select(Assignment.id)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            Assignment.id.in_(ids),
            Assignment.status.in_(OPEN_STATUSES),
            Task.cancelled.is_(False),
        )
    )
    return {int(row[0]) for row in (await uow.execute(query)).all()}


async def assignment_row(
    uow: UnitOfWork, *, assignment_id: int, lock: bool = False
) -> AssignmentRow | None:
    """One assignment with its task, notice and agency. `lock` holds the assignment's row
    until the transaction ends (PostgreSQL; SQLite's one writer needs none): a change that
    reads the state first (a decision, an undo) then sees the one made just before it."""
    query = assignment_rows().where(Assignment.id == assignment_id)
    if lock:
        query = query.with_for_update(of=Assignment).execution_options(populate_existing=True)
    row = (await uow.session.execute(query)).first()
    return tuple(row) if row else None


async def task_agencies(uow: UnitOfWork, *, task_id: int) -> list[tuple[str, str]]:
    """(role, agency name) of every assignment of a task, but those moved to another agency
    (/giaolai cancels the old row: that agency no longer leads or helps)."""
    result = await uow.session.execute(
        select(Assignment.role, Agency.name)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(Assignment.task_id == task_id, Assignment.status != AssignmentStatus.CANCELLED)
        .order_by(Assignment.id)
    )
    return [(role, name) for role, name in result.all()]


class TaskAgency(NamedTuple):
    """One agency holding a task: its assignment (its code, `#assignment_id`) and role."""

    assignment_id: int
    agency_id: int
    agency_name: str
    role: str


async def task_holders(uow: UnitOfWork, *, task_id: int) -> list[TaskAgency]:
    """Every agency holding a task now (not moved away), the lead first, then in order."""
    result = await uow.session.execute(
        select(Assignment.id, Assignment.agency_id, Agency.name, Assignment.role)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(Assignment.task_id == task_id, Assignment.status != AssignmentStatus.CANCELLED)
        .order_by(Assignment.role != "lead", Assignment.id)
    )
    return [TaskAgency(*row) for row in result.all()]


# --- the progress reply ----------------------------------------------------------------------


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


async def report_target(uow: UnitOfWork, *, assignment_id: int) -> ReportTarget | None:
    row = (await uow.execute(REPORT_TARGET, {"assignment_id": assignment_id})).first()
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
    on, so the two statements would see the same rows)."""
    if since is None or uow.dialect_name != "sqlite":
        target = await report_target(uow, assignment_id=assignment_id)
        if target is None or since is None:
            return target, []
        return target, await progress_repo.recent_updates(
            uow, assignment_id=assignment_id, since=since
        )
    params = {"assignment_id": assignment_id, "since": since}
    rows = (await uow.execute(REPORT_TARGET_AND_RECENT, params)).all()
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


_APPENDS = {
    (m, c): _append_statement(move=m, claim=c) for m in (True, False) for c in (True, False)
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
        MOVE_ASSIGNMENT,
        {
            "assignment_id": assignment_id,
            "new_status": status,
            "new_percent": percent,
            "new_completed_on": completed_on,
            "new_last_update_at": last_update_at,
        },
    )


# --- acknowledgement (tiếp nhận) -------------------------------------------------------------


async def unacknowledged_of(uow: UnitOfWork, *, agency_id: int, notice_id: int) -> list[int]:
    """The agency's assignments of live tasks from a notice that it has not acknowledged."""
    rows = await uow.execute(
        select(Assignment.id)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            Assignment.agency_id == agency_id,
            Task.notice_id == notice_id,
            Assignment.acknowledged_at.is_(None),
            Task.cancelled.is_(False),
        )
        .order_by(Assignment.id)
    )
    return [aid for aid in rows.scalars().all() if aid is not None]


async def never_acknowledged(uow: UnitOfWork) -> list[tuple[int, str, datetime]]:
    """(agency id, agency name, assigned at) of every assignment of a live task to an active
    agency that is not started, not acknowledged and never reported on."""
    rows = await uow.execute(
        select(Agency.id, Agency.name, Assignment.created_at)
        .join(Assignment, Assignment.agency_id == Agency.id)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            Assignment.acknowledged_at.is_(None),
            Assignment.last_update_at.is_(None),
            Assignment.status == AssignmentStatus.NOT_STARTED,
            Task.cancelled.is_(False),
            Agency.active.is_(True),
        )
    )
    return [(agency_id, name, created_at) for agency_id, name, created_at in rows.all()]


# --- creating and editing --------------------------------------------------------------------


async def tasks_of_notice(uow: UnitOfWork, *, notice_id: int) -> list[Task]:
    result = await uow.session.execute(select(Task).where(Task.notice_id == notice_id))
    return list(result.scalars().all())


async def count_tasks_of_notice(uow: UnitOfWork, *, notice_id: int) -> int:
    count = await uow.session.scalar(select(func.count(Task.id)).where(Task.notice_id == notice_id))
    return int(count or 0)


async def add_task(
    uow: UnitOfWork,
    *,
    notice_id: int,
    code: str,
    text: str,
    deadline_kind: str,
    deadline_start: date | None,
    deadline_end: date | None,
    deadline_phrase: str | None,
    at: datetime,
) -> Task:
    """A new task (its id assigned)."""
    task = Task(
        notice_id=notice_id,
        code=code,
        text=text,
        deadline_kind=deadline_kind,
        deadline_start=deadline_start,
        deadline_end=deadline_end,
        deadline_phrase=deadline_phrase,
        created_at=at,
        updated_at=at,
    )
    uow.session.add(task)
    await uow.session.flush()
    return task


async def assignment_of(uow: UnitOfWork, *, task_id: int, agency_id: int) -> Assignment | None:
    """The task's assignment to this agency (whatever its status), if any."""
    result = await uow.session.execute(
        select(Assignment).where(Assignment.task_id == task_id, Assignment.agency_id == agency_id)
    )
    return result.scalar_one_or_none()


async def add_assignment(
    uow: UnitOfWork, *, task_id: int, agency_id: int, role: str, at: datetime
) -> Assignment:
    """A new assignment (its id assigned)."""
    assignment = Assignment(task_id=task_id, agency_id=agency_id, role=role, created_at=at)
    uow.session.add(assignment)
    await uow.session.flush()
    return assignment


async def add_revision(
    uow: UnitOfWork,
    *,
    task_id: int,
    field_name: str,
    old_value: str | None,
    new_value: str | None,
    changed_by: int | None,
    at: datetime,
) -> None:
    """Who changed which field of a task, from what to what, and when."""
    uow.session.add(
        TaskRevision(
            task_id=task_id,
            field_name=field_name,
            old_value=old_value,
            new_value=new_value,
            changed_by=changed_by,
            changed_at=at,
        )
    )


async def get_task(uow: UnitOfWork, *, task_id: int) -> Task | None:
    return await uow.session.get(Task, task_id)


async def get_assignment(uow: UnitOfWork, *, assignment_id: int) -> Assignment | None:
    return await uow.session.get(Assignment, assignment_id)


async def set_code(uow: UnitOfWork, *, task_id: int, code: str) -> None:
    """Give a task another code, written at once (a renumbering goes through a free code)."""
    task = await uow.session.get(Task, task_id)
    if task is not None:
        task.code = code
        await uow.session.flush()
