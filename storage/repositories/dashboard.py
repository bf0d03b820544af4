"""The web dashboard's reads beyond the roll-up: an agency's (or a filter's) assignments as
plain rows, an assignment's extension requests, the notices, and the week-by-week trend as
one aggregate statement (no row per report leaves the database)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from storage.models import Agency, Assignment, ExtensionRequest, Notice, ProgressUpdate, Task
from storage.repositories.summary import (
    REPORT_KINDS,
    ListedAssignment,
    Scope,
    effective_deadline,
    scope_filters,
)
from storage.unit_of_work import UnitOfWork

MAX_ROWS = 2000  # a page never lists more; the count says how many there are


async def assignments(
    uow: UnitOfWork,
    *,
    scope: Scope,
    statuses: Sequence[str] | None = None,
    deadline_from: date | None = None,
    deadline_to: date | None = None,
    limit: int = MAX_ROWS,
) -> list[ListedAssignment]:
    """Live assignments in the scope (optionally of these statuses, with the deadline that
    counts in [deadline_from, deadline_to]), earliest deadline first, no deadline last."""
    deadline = effective_deadline()
    conditions = list(scope_filters(scope))
    if statuses:
        conditions.append(Assignment.status.in_(list(statuses)))
    if deadline_from is not None:
        conditions.append(deadline >= deadline_from)
    if deadline_to is not None:
        conditions.append(deadline <= deadline_to)
    query = (
        select(
            Assignment.id,
            Assignment.agency_id,
            Assignment.status,
            Assignment.percent,
            Assignment.completed_on,
            Assignment.last_update_at,
            Task.code,
            Task.text,
            Task.restricted,
            Task.deadline_end,
            Task.adjusted_deadline_end,
            Task.extension_approved,
            Task.notice_id,
            Notice.number,
            Agency.name,
        )
        .join(Task, Task.id == Assignment.task_id)
        .join(Notice, Notice.id == Task.notice_id)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(*conditions)
        .order_by(deadline.is_(None), deadline, Agency.name, Assignment.id)
        .limit(limit)
    )
    return [ListedAssignment(*row) for row in (await uow.execute(query)).all()]


async def extension_requests(uow: UnitOfWork, *, assignment_id: int) -> list[ExtensionRequest]:
    """Every extension request of an assignment, oldest first, with its decision."""
    result = await uow.session.execute(
        select(ExtensionRequest)
        .where(ExtensionRequest.assignment_id == assignment_id)
        .order_by(ExtensionRequest.created_at, ExtensionRequest.id)
    )
    return list(result.scalars().all())


async def notices(uow: UnitOfWork) -> list[tuple[int, str, date | None, str | None]]:
    """(id, number, date, title) of every notice, the newest first."""
    rows = await uow.execute(
        select(Notice.id, Notice.number, Notice.issued_on, Notice.title).order_by(
            Notice.issued_on.desc(), Notice.id.desc()
        )
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows.all()]


async def weekly_trend(
    uow: UnitOfWork,
    *,
    scope: Scope,
    weeks: Sequence[tuple[date, date, datetime, datetime]],
) -> list[tuple[int, int, int]]:
    """Per week (first day, last day, and the same as UTC instants [start, end)): reports
    received, assignments completed, and assignments overdue at the week's end as the data
    stands now (open then: not completed by that day). Two statements, one aggregate row each."""
    deadline = effective_deadline()
    counts: list[Any] = []
    for first, last, _start, _end in weeks:
        counts.append(
            func.sum(
                case(
                    (and_(Assignment.completed_on >= first, Assignment.completed_on <= last), 1),
                    else_=0,
                )
            )
        )
        counts.append(
            func.sum(
                case(
                    (
                        and_(
                            deadline < last,
                            or_(Assignment.completed_on.is_(None), Assignment.completed_on > last),
                            Assignment.created_at < _end,
                        ),
                        1,
                    ),
                    else_=0,
                )
            )
        )
    states = (
        await uow.execute(
            select(*counts)
            .select_from(Assignment)
            .join(Task, Task.id == Assignment.task_id)
            .where(*scope_filters(scope))
        )
    ).one()
    reports = [
        func.sum(
            case(
                (and_(ProgressUpdate.created_at >= start, ProgressUpdate.created_at < end), 1),
                else_=0,
            )
        )
        for _first, _last, start, end in weeks
    ]
    received = (
        await uow.execute(
            select(*reports)
            .select_from(ProgressUpdate)
            .join(Assignment, Assignment.id == ProgressUpdate.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(
                *scope_filters(scope),
                ProgressUpdate.kind.in_(REPORT_KINDS),
                ProgressUpdate.created_at >= weeks[0][2],
                ProgressUpdate.created_at < weeks[-1][3],
            )
        )
    ).one()
    return [
        (int(received[i] or 0), int(states[2 * i] or 0), int(states[2 * i + 1] or 0))
        for i in range(len(weeks))
    ]
