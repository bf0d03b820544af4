"""Tasks and their assignments: the rows lists and cards show, the reminder sweep's states,
the office's edits and their revisions. The progress reply's own statements are in report.py
(re-exported here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import defer

from bot.domain.types import OPEN_STATUSES, UNFINISHED_STATUSES, AssignmentStatus
from storage.models import Agency, Assignment, Notice, Task, TaskRevision
from storage.repositories.report import MOVE_ASSIGNMENT as MOVE_ASSIGNMENT
from storage.repositories.report import REPORT_TARGET as REPORT_TARGET
from storage.repositories.report import AssignmentMove as AssignmentMove
from storage.repositories.report import ReportTarget as ReportTarget
from storage.repositories.report import append_update_and_move as append_update_and_move
from storage.repositories.report import move_assignment as move_assignment
from storage.repositories.report import report_target as report_target
from storage.repositories.report import report_target_and_recent as report_target_and_recent
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
