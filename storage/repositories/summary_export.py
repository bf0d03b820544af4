"""The export's task list (the Excel appendix's per-notice sheets): live tasks with their
live assignments and agencies, and the latest report of each assignment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import and_, func, select

from bot.domain.types import AssignmentStatus
from storage.models import Agency, Assignment, Notice, ProgressUpdate, Task
from storage.repositories.summary import Scope, is_report, not_reverted
from storage.unit_of_work import UnitOfWork

_CANCELLED = AssignmentStatus.CANCELLED.value


class TaskAssignmentRow(NamedTuple):
    """A live task with one of its live assignments (all None when it has none)."""

    task_id: int
    notice_id: int
    code: str
    text: str
    restricted: bool
    deadline_end: date | None
    adjusted_deadline_end: date | None
    extension_approved: bool
    deadline_phrase: str | None
    number: str
    issued_on: date | None
    assignment_id: int | None
    agency_id: int | None
    role: str | None
    status: str | None
    percent: int | None
    completed_on: date | None
    last_update_at: datetime | None
    agency_name: str | None


async def notices_in_order(uow: UnitOfWork, *, notice_ids: Sequence[int] | None) -> list[int]:
    """The notices' ids (None: every notice's) in the export's order: by date, then id."""
    query = select(Notice.id).order_by(Notice.issued_on, Notice.id)
    if notice_ids is not None:
        query = query.where(Notice.id.in_(list(notice_ids)))
    return [int(row[0]) for row in (await uow.execute(query)).all()]


async def task_assignment_rows(uow: UnitOfWork, *, scope: Scope) -> list[TaskAssignmentRow]:
    """Live tasks with their live assignments and agencies (a task with none still appears),
    by notice date, notice, task and assignment."""
    live = and_(Assignment.task_id == Task.id, Assignment.status != _CANCELLED)
    query = (
        select(
            Task.id.label("task_id"),
            Task.notice_id,
            Task.code,
            Task.text,
            Task.restricted,
            Task.deadline_end,
            Task.adjusted_deadline_end,
            Task.extension_approved,
            Task.deadline_phrase,
            Notice.number,
            Notice.issued_on,
            Assignment.id.label("assignment_id"),
            Assignment.agency_id,
            Assignment.role,
            Assignment.status,
            Assignment.percent,
            Assignment.completed_on,
            Assignment.last_update_at,
            Agency.name.label("agency_name"),
        )
        .select_from(Task)
        .join(Notice, Notice.id == Task.notice_id)
        .outerjoin(Assignment, live)
        .outerjoin(Agency, Agency.id == Assignment.agency_id)
        .where(Task.cancelled.is_(False))
        .order_by(Notice.issued_on, Notice.id, Task.id, Assignment.id)
    )
    if scope.notice_ids is not None:
        query = query.where(Task.notice_id.in_(list(scope.notice_ids)))
    if scope.agency_id is not None:
        mine = select(Assignment.task_id).where(
            Assignment.agency_id == scope.agency_id, Assignment.status != _CANCELLED
        )
        query = query.where(Task.id.in_(mine))
    return [TaskAssignmentRow(*row) for row in (await uow.execute(query)).all()]


async def latest_reports(uow: UnitOfWork, *, scope: Scope) -> dict[int, tuple[datetime, str]]:
    """assignment id -> (time, text) of its latest report that was not undone."""
    latest = (
        select(func.max(ProgressUpdate.id).label("id"))
        .join(Assignment, Assignment.id == ProgressUpdate.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        # Narrowed to some notices (the export reads a few at a time), the scope's
        # assignments lead, not a scan of every report (summary.is_report).
        .where(is_report(scope), not_reverted(), Task.cancelled.is_(False))
        .group_by(ProgressUpdate.assignment_id)
    )
    if scope.notice_ids is not None:
        latest = latest.where(Task.notice_id.in_(list(scope.notice_ids)))
    if scope.agency_id is not None:
        mine = select(Assignment.task_id).where(Assignment.agency_id == scope.agency_id)
        latest = latest.where(Assignment.task_id.in_(mine))
    query = select(
        ProgressUpdate.assignment_id, ProgressUpdate.created_at, ProgressUpdate.text
    ).where(ProgressUpdate.id.in_(latest.scalar_subquery()))
    rows = (await uow.execute(query)).all()
    return {r.assignment_id: (r.created_at, r.text) for r in rows}
