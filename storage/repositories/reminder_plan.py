"""The reminder sweep's reads, in pages: the policy's columns of the open assignments, a page
at a time by assignment id, and the columns a digest line shows, as plain rows.

Why pages: on SQLite a statement runs on the event loop's thread (storage/sqlite_inline.py)
and a unit of work holds the engine's one turn (storage/unit_of_work.py), so one read of
every open assignment held every chat's answer while it ran. The sweep reads a page per unit
of work and lets the loop run between them (bot/services/reminder_plan.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Row, bindparam, select

from storage.models import Agency, Assignment, Notice, Task
from storage.repositories.tasks import OPEN_ASSIGNMENT_STATES
from storage.unit_of_work import UnitOfWork

# Keyset pages of OPEN_ASSIGNMENT_STATES (ordered by assignment id).
_STATES_AFTER = OPEN_ASSIGNMENT_STATES.where(Assignment.id > bindparam("after")).limit(
    bindparam("limit")
)


class ReminderLine(NamedTuple):
    """What a digest's line shows of one assignment (a task's deadline columns included:
    bot/services/tasks.py `DeadlineFields`)."""

    assignment_id: int
    agency_name: str
    notice_id: int
    notice_number: str
    task_code: str
    text: str
    restricted: bool
    deadline_kind: str
    deadline_start: date | None
    deadline_end: date | None
    deadline_phrase: str | None
    adjusted_deadline_end: date | None
    extension_approved: bool


_LINES = (
    select(
        Assignment.id,
        Agency.name,
        Notice.id,
        Notice.number,
        Task.code,
        Task.text,
        Task.restricted,
        Task.deadline_kind,
        Task.deadline_start,
        Task.deadline_end,
        Task.deadline_phrase,
        Task.adjusted_deadline_end,
        Task.extension_approved,
    )
    .join(Task, Task.id == Assignment.task_id)
    .join(Notice, Notice.id == Task.notice_id)
    .join(Agency, Agency.id == Assignment.agency_id)
    .where(Assignment.id.in_(bindparam("ids", expanding=True)))
)


async def open_states_page(uow: UnitOfWork, *, after: int, limit: int) -> Sequence[Row[Any]]:
    """Up to `limit` rows of `tasks.open_assignment_states`, those with an id above `after`."""
    return (await uow.execute(_STATES_AFTER, {"after": after, "limit": limit})).all()


async def reminder_lines(
    uow: UnitOfWork, *, assignment_ids: Sequence[int]
) -> dict[int, ReminderLine]:
    """assignment id -> its line's columns, for these ids (keep them under
    tasks.ROWS_PER_QUERY); an id gone since is missing."""
    if not assignment_ids:
        return {}
    rows = (await uow.execute(_LINES, {"ids": list(assignment_ids)})).all()
    return {row[0]: ReminderLine(*row) for row in rows}
