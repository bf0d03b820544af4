"""The web dashboard's reads beyond the roll-up: a task table's size and one page of its rows
(filtered, ordered and cut in SQL), an assignment's extension requests, the notices, and the
week-by-week trend's two grouped scans (no row per report or per assignment leaves the
database)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from bot.domain.rollup import Category
from storage.models import Agency, Assignment, ExtensionRequest, Notice, ProgressUpdate, Task
from storage.repositories.summary import (
    REPORT_KINDS,
    ListedAssignment,
    Scope,
    category_expression,
    due_soon_expression,
    effective_deadline,
    is_overdue,
    is_report,
    scope_filters,
)
from storage.unit_of_work import UnitOfWork

# The table's "worst first" order, cell by cell (after the overdue and the due-soon rows).
CELL_ORDER = (
    Category.NOT_STARTED_OVERDUE,
    Category.IN_PROGRESS_OVERDUE,
    Category.NOT_STARTED_NOT_DUE,
    Category.IN_PROGRESS_ON_TIME,
    Category.NOT_STARTED_NO_DEADLINE,
    Category.IN_PROGRESS_NO_DEADLINE,
    Category.AWAITING,
    Category.AWAITING_NO_DEADLINE,
    Category.DONE_LATE,
    Category.DONE_ON_TIME,
    Category.DONE_NO_DEADLINE,
)


@dataclass(frozen=True, slots=True)
class TableQuery:
    """A task table's selection: the scope, then the status, the timing (a cell, "overdue"
    or "due_soon", judged on `today` as the roll-up judges it) and the deadline's days."""

    scope: Scope
    today: date
    status: str | None = None
    timing: str | None = None
    deadline_between: tuple[date, date] | None = None


def _table_conditions(wanted: TableQuery) -> list[ColumnElement[bool]]:
    conditions = list(scope_filters(wanted.scope))
    if wanted.status:
        conditions.append(Assignment.status == wanted.status)
    if wanted.timing == "overdue":
        conditions.append(is_overdue(wanted.today))
    elif wanted.timing == "due_soon":
        conditions.append(due_soon_expression(wanted.today) == 1)
    elif wanted.timing:
        conditions.append(category_expression(wanted.today) == wanted.timing)
    if wanted.deadline_between is not None:
        first, last = wanted.deadline_between
        deadline = effective_deadline()
        conditions.extend((deadline >= first, deadline <= last))
    return conditions


async def table_size(uow: UnitOfWork, *, wanted: TableQuery) -> int:
    """How many live assignments the table's selection holds (one COUNT, no row leaves)."""
    query = (
        select(func.count())
        .select_from(Assignment)
        .join(Task, Task.id == Assignment.task_id)
        .where(*_table_conditions(wanted))
    )
    return int((await uow.execute(query)).scalar_one())


async def table_page(
    uow: UnitOfWork, *, wanted: TableQuery, offset: int, limit: int
) -> list[ListedAssignment]:
    """One page of the table, worst first: the overdue (the longest overdue first), then the
    due-soon, then cell by cell (`CELL_ORDER`); within those by deadline (none last), agency
    name and id. Ordered and cut by the database on narrow rows (the cells are the roll-up's
    own CASE, `category_expression`), then only the page's rows are read whole: a page of 50
    out of 15,000 moves 50 texts, and the sort stays in memory."""
    today = wanted.today
    deadline = effective_deadline()
    band = case((is_overdue(today), 0), (due_soon_expression(today) == 1, 1), else_=2)
    rank = {cell: n for n, cell in enumerate(CELL_ORDER)}
    ids_query = (
        select(Assignment.id)
        .join(Task, Task.id == Assignment.task_id)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(*_table_conditions(wanted))
        .order_by(
            band,
            case((is_overdue(today), deadline)),  # the oldest deadline is the most days late
            category_expression(today, rank.__getitem__),
            deadline.is_(None),
            deadline,
            Agency.name,
            Assignment.id,
        )
        .offset(offset)
        .limit(limit)
    )
    ids = list((await uow.execute(ids_query)).scalars().all())
    if not ids:
        return []
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
        .where(Assignment.id.in_(ids))
    )
    found = {row[0]: ListedAssignment(*row) for row in (await uow.execute(query)).all()}
    return [found[i] for i in ids if i in found]


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


async def completion_dates(
    uow: UnitOfWork, *, scope: Scope
) -> list[tuple[date | None, date | None, datetime, int]]:
    """(deadline that counts, completion day, created, how many) of the live assignments in
    the scope, grouped: a few hundred rows however many assignments there are, from which the
    trend's completed and overdue figures of any week are counted (services/dashboard.py)."""
    deadline = effective_deadline()
    created = func.min(Assignment.created_at)
    query = (
        select(deadline, Assignment.completed_on, created, func.count(Assignment.id))
        .select_from(Assignment)
        .join(Task, Task.id == Assignment.task_id)
        .where(*scope_filters(scope))
        .group_by(deadline, Assignment.completed_on)
    )
    rows = (await uow.execute(query)).all()
    return [(r[0], r[1], _aware(r[2]), int(r[3])) for r in rows]


async def reports_in(
    uow: UnitOfWork, *, scope: Scope, windows: Sequence[tuple[datetime, datetime]]
) -> list[int]:
    """Reports received in each [start, end) window, those undone left out (as the roll-up
    counts them: `not_reverted`). One statement of one COUNT per window, each over its range
    of the covering `ix_update_window` index (a CASE putting every report of the span in its
    week was several times slower on SQLite: the CASE's text comparisons, not the scan, cost),
    then the few undone reports of the span, found from the undo rows' `ix_update_reverts` and
    looked up by id. Without a scope no join is made, so a report on a task cancelled since
    still counts as received."""
    if not windows:
        return []

    def received(start: datetime, end: datetime) -> Any:
        query = (
            select(func.count())
            .select_from(ProgressUpdate)
            .where(
                ProgressUpdate.created_at >= start,
                ProgressUpdate.created_at < end,
                is_report(scope),
            )
        )
        return _scoped(query, scope).scalar_subquery()

    counts_row = (await uow.execute(select(*(received(s, e) for s, e in windows)))).one()
    counts = [int(count or 0) for count in counts_row]
    # Looked up by id only (filtered here): given the kind and the span too, both databases
    # would rather scan the span's reports on `ix_update_window` than probe a few ids.
    undone = select(ProgressUpdate.reverts_id).where(ProgressUpdate.reverts_id.is_not(None))
    reverted = select(ProgressUpdate.kind, ProgressUpdate.created_at).where(
        ProgressUpdate.id.in_(undone.scalar_subquery())
    )
    for kind, moment in (await uow.execute(_scoped(reverted, scope))).all():
        if kind not in REPORT_KINDS:
            continue
        moment = _aware(moment)
        for n, (start, end) in enumerate(windows):
            if start <= moment < end:
                counts[n] -= 1
    return counts


def _scoped(query: Any, scope: Scope) -> Any:
    """A query on progress_updates limited to the scope's live assignments (none: all)."""
    if scope.notice_ids is None and scope.agency_id is None:
        return query
    return (
        query.join(Assignment, Assignment.id == ProgressUpdate.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(*scope_filters(scope))
    )


def _aware(value: datetime) -> datetime:
    """A datetime read through an aggregate (MIN) comes back as stored: naive UTC on SQLite."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
