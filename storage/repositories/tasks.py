"""Task, assignment and progress-history queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
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
