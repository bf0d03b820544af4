"""Task, assignment and progress-history queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, Select, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import defer

from storage.models import Agency, Assignment, Notice, ProgressUpdate, Task

OPEN = ("not_started", "in_progress", "blocked", "awaiting_confirmation")


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
    .where(Task.cancelled.is_(False), Assignment.status.in_(OPEN))
    .order_by(Assignment.id)
)
ROWS_PER_QUERY = 500  # bound parameters per IN (...), far below every backend's limit


async def open_assignment_states(session: AsyncSession) -> Sequence[Row[Any]]:
    connection = await session.connection()
    return (await connection.execute(OPEN_ASSIGNMENT_STATES)).all()


async def assignment_rows_by_id(
    session: AsyncSession, assignment_ids: Iterable[int]
) -> dict[int, tuple[Assignment, Task, Notice, Agency]]:
    """`assignment_rows` for these ids only, in chunks."""
    ids = sorted(set(assignment_ids))
    found: dict[int, tuple[Assignment, Task, Notice, Agency]] = {}
    for start in range(0, len(ids), ROWS_PER_QUERY):
        chunk = ids[start : start + ROWS_PER_QUERY]
        result = await session.execute(assignment_rows().where(Assignment.id.in_(chunk)))
        for assignment, task, notice, agency in result.all():
            found[assignment.id or 0] = (assignment, task, notice, agency)
    return found


async def open_assignments(
    session: AsyncSession,
    *,
    agency_ids: Sequence[int] | None = None,
    notice_id: int | None = None,
    include_done: bool = False,
) -> list[tuple[Assignment, Task, Notice, Agency]]:
    query = assignment_rows().where(Task.cancelled.is_(False))
    if not include_done:
        query = query.where(Assignment.status.in_(OPEN))
    if agency_ids is not None:
        query = query.where(Assignment.agency_id.in_(list(agency_ids)))
    if notice_id is not None:
        query = query.where(Notice.id == notice_id)
    result = await session.execute(query.order_by(Assignment.id))
    return [tuple(row) for row in result.all()]  # type: ignore[misc]


async def assignment_row(
    session: AsyncSession, *, assignment_id: int
) -> tuple[Assignment, Task, Notice, Agency] | None:
    row = (await session.execute(assignment_rows().where(Assignment.id == assignment_id))).first()
    return tuple(row) if row else None  # type: ignore[return-value]


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
# three statements built once and run on a plain connection (bench finding C).
REPORT_TARGET = (
    select(
        Assignment.id,
        Assignment.agency_id,
        Agency.name,
        Task.code,
        Task.cancelled,
        Assignment.status,
        Assignment.percent,
    )
    .join(Task, Task.id == Assignment.task_id)
    .join(Agency, Agency.id == Assignment.agency_id)
    .where(Assignment.id == bindparam("assignment_id"))
)
APPEND_UPDATE = insert(ProgressUpdate).returning(ProgressUpdate.id)
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


async def report_target(connection: AsyncConnection, *, assignment_id: int) -> ReportTarget | None:
    row = (await connection.execute(REPORT_TARGET, {"assignment_id": assignment_id})).first()
    return ReportTarget(*row) if row else None


async def append_update(connection: AsyncConnection, values: dict[str, Any]) -> int:
    """Insert one history row (every column given) and return its id."""
    return int((await connection.execute(APPEND_UPDATE, values)).scalar_one())


async def move_assignment(
    connection: AsyncConnection,
    *,
    assignment_id: int,
    status: str,
    percent: int,
    completed_on: date | None,
    last_update_at: datetime,
) -> None:
    """Set the assignment's current state (derived from the history row just appended)."""
    await connection.execute(
        MOVE_ASSIGNMENT,
        {
            "assignment_id": assignment_id,
            "new_status": status,
            "new_percent": percent,
            "new_completed_on": completed_on,
            "new_last_update_at": last_update_at,
        },
    )


async def task_agencies(session: AsyncSession, *, task_id: int) -> list[tuple[str, str]]:
    """(role, agency name) of every assignment of a task."""
    result = await session.execute(
        select(Assignment.role, Agency.name)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(Assignment.task_id == task_id)
        .order_by(Assignment.id)
    )
    return [(role, name) for role, name in result.all()]


async def history(
    session: AsyncSession, *, assignment_id: int, limit: int = 50
) -> list[ProgressUpdate]:
    result = await session.execute(
        select(ProgressUpdate)
        .where(ProgressUpdate.assignment_id == assignment_id)
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(limit)
    )
    return list(result.scalars().all())


async def notices_by_number(session: AsyncSession) -> list[tuple[str, int]]:
    rows = await session.execute(select(Notice.number, Notice.id).order_by(Notice.id.desc()))
    return [(number, notice_id) for number, notice_id in rows.all()]
