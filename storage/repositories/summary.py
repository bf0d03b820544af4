"""The roll-up's queries (tổng hợp): counts by the official categories, the period's changes,
the difficulties reported, the agencies that stayed silent, and the export's task list.

The counts are computed by the database (GROUP BY over CASE expressions that restate
`bot.domain.rollup.classify` and the state words of `bot.domain.types`), so a summary over
100,000 assignments moves a few hundred aggregate rows, not 100,000 objects;
tests/storage/test_summary.py holds the SQL to the pure rule on a varied data set. Lists come
back as plain rows (`ListedAssignment`...); the service classifies the few it names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from bot.domain.progress import ProgressKind
from bot.domain.rollup import DUE_SOON_DAYS, Category, Counts
from bot.domain.types import OPEN_STATUSES, AssignmentStatus
from storage.models import Agency, Assignment, Notice, ProgressUpdate, Task
from storage.repositories.unindexed import unindexed
from storage.unit_of_work import UnitOfWork

# What an agency sends (the office's confirmations and decisions are not the agency's news).
REPORT_KINDS = tuple(kind.value for kind in ProgressKind)
# Lists named line by line are capped; their full size is counted separately.
LIST_LIMIT = 100

_OPEN = tuple(s.value for s in OPEN_STATUSES)
_DONE = AssignmentStatus.DONE.value
_AWAITING = AssignmentStatus.AWAITING_CONFIRMATION.value
_NOT_STARTED = AssignmentStatus.NOT_STARTED.value
_RETURNED = AssignmentStatus.RETURNED.value
_CANCELLED = AssignmentStatus.CANCELLED.value


@dataclass(frozen=True, slots=True)
class Scope:
    """What a roll-up covers: these notices (None: all) and this agency (None: all)."""

    notice_ids: Sequence[int] | None = None
    agency_id: int | None = None


@dataclass(frozen=True, slots=True)
class Window:
    """A period as UTC instants [start, end) for the `created_at` columns."""

    start: datetime
    end: datetime


class ListedAssignment(NamedTuple):
    """An assignment named in a list (overdue, newly completed), as stored."""

    id: int
    agency_id: int
    status: str
    percent: int
    completed_on: date | None
    last_update_at: datetime | None
    code: str
    text: str
    restricted: bool
    deadline_end: date | None
    adjusted_deadline_end: date | None
    extension_approved: bool
    notice_id: int
    number: str
    name: str  # the agency's


class ReportedDifficulty(NamedTuple):
    """A difficulty an agency reported (vướng mắc), with where it came from."""

    report: str
    created_at: datetime
    agency_id: int
    name: str  # the agency's
    code: str
    restricted: bool
    number: str


# --- the state words and categories as SQL ---------------------------------------------------


def effective_deadline() -> ColumnElement[date]:
    """`bot.domain.types.effective_deadline_end` as SQL: the adjusted deadline only once the
    extension was approved."""
    return case(
        (
            and_(Task.extension_approved.is_(True), Task.adjusted_deadline_end.is_not(None)),
            Task.adjusted_deadline_end,
        ),
        else_=Task.deadline_end,
    )


def is_open() -> ColumnElement[bool]:
    """`OPEN_STATUSES` (bot.domain.types): the agency's move."""
    return Assignment.status.in_(_OPEN)


def is_overdue(today: date) -> ColumnElement[bool]:
    """`bot.domain.types.is_overdue` as SQL: open, the deadline that counts before today."""
    return and_(is_open(), effective_deadline() < today)


def category_expression(
    today: date, value: Callable[[Category], Any] = attrgetter("value")
) -> ColumnElement[Any]:
    """`classify(...).category` (the partition's cell) as SQL; keep in step with
    bot.domain.rollup. Each cell gives `value(cell)`: its name by default, or e.g. its rank in
    an order (one CASE either way, never one per cell)."""
    deadline = effective_deadline()
    status = Assignment.status
    is_done = status == _DONE
    is_awaiting = status == _AWAITING
    is_not_started = status == _NOT_STARTED
    done_late = and_(Assignment.completed_on.is_not(None), Assignment.completed_on > deadline)
    return case(
        (and_(deadline.is_(None), is_done), value(Category.DONE_NO_DEADLINE)),
        (and_(deadline.is_(None), is_awaiting), value(Category.AWAITING_NO_DEADLINE)),
        (and_(deadline.is_(None), is_not_started), value(Category.NOT_STARTED_NO_DEADLINE)),
        (deadline.is_(None), value(Category.IN_PROGRESS_NO_DEADLINE)),
        (and_(is_done, done_late), value(Category.DONE_LATE)),
        (is_done, value(Category.DONE_ON_TIME)),
        (is_awaiting, value(Category.AWAITING)),
        (and_(is_not_started, deadline < today), value(Category.NOT_STARTED_OVERDUE)),
        (is_not_started, value(Category.NOT_STARTED_NOT_DUE)),
        (deadline < today, value(Category.IN_PROGRESS_OVERDUE)),
        else_=value(Category.IN_PROGRESS_ON_TIME),
    )


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def due_soon_expression(today: date) -> ColumnElement[int]:
    """The due-soon flag of `classify` as a 0/1 column (the other flags are sums of cells)."""
    deadline = effective_deadline()
    return _flag(
        and_(is_open(), deadline >= today, deadline <= today + timedelta(days=DUE_SOON_DAYS))
    )


def scope_filters(scope: Scope) -> list[ColumnElement[bool]]:
    """Live assignments of live tasks, within the notices and agency asked for."""
    conditions: list[ColumnElement[bool]] = [
        Task.cancelled.is_(False),
        Assignment.status != _CANCELLED,
    ]
    if scope.notice_ids is not None:
        conditions.append(Task.notice_id.in_(list(scope.notice_ids)))
    if scope.agency_id is not None:
        conditions.append(Assignment.agency_id == scope.agency_id)
    return conditions


def not_reverted() -> ColumnElement[bool]:
    """Not undone. Uncorrelated on purpose: evaluated once, not once per update row."""
    undone = select(ProgressUpdate.reverts_id).where(ProgressUpdate.reverts_id.is_not(None))
    return ProgressUpdate.id.not_in(undone.scalar_subquery())


def _flagged() -> ColumnElement[bool]:
    """A report stating a difficulty: blocked, or done/progress with an obstacle beside it."""
    return or_(ProgressUpdate.kind == ProgressKind.BLOCKED.value, ProgressUpdate.obstacle)


def is_report(scope: Scope | None = None) -> ColumnElement[bool]:
    """What an agency sends (REPORT_KINDS). Narrowed to a notice or an agency, the scope's few
    hundred assignments should lead, each one's reports found on `ix_update_assignment_time`:
    PostgreSQL's planner sees it from its statistics; SQLite keeps none and, offered the kind,
    scans every report of the window on `ix_update_window` (its equality on the kind looks the
    better start) and drops the other notices' after: the kind is tested, not sought, there."""
    narrowed = scope is not None and (scope.notice_ids is not None or scope.agency_id is not None)
    kind = unindexed(ProgressUpdate.kind) if narrowed else ProgressUpdate.kind
    return kind.in_(REPORT_KINDS)


def _reports_in(window: Window, scope: Scope | None = None) -> list[ColumnElement[bool]]:
    return [
        is_report(scope),
        ProgressUpdate.created_at >= window.start,
        ProgressUpdate.created_at < window.end,
        not_reverted(),
    ]


# --- the counts ------------------------------------------------------------------------------


async def grouped_counts(
    uow: UnitOfWork, *, today: date, scope: Scope, due_between: tuple[date, date] | None = None
) -> list[tuple[int, str, int, Counts]]:
    """(agency id, agency name, notice id, counts) per agency and notice, counted in SQL;
    with `due_between`, only the assignments whose deadline that counts falls in it (the
    league table's period).

    Grouped by (agency, notice, cell) and turned into one `Counts` per (agency, notice) here:
    the cell's CASE is evaluated once per assignment. Eleven `SUM(CASE WHEN cell = …)` over a
    subquery had both databases inline the whole CASE into each sum (eleven evaluations per
    assignment: most of the overview's time at 100 times the seed)."""
    inner = (
        select(
            Task.notice_id.label("notice_id"),
            Assignment.agency_id.label("agency_id"),
            category_expression(today).label("category"),
            due_soon_expression(today).label("due_soon"),
            _flag(Assignment.status == _RETURNED).label("returned"),
        )
        .join(Task, Task.id == Assignment.task_id)
        .where(*scope_filters(scope), *_due_between(due_between))
        .subquery()
    )
    # Notice first: SQLite reads assignments in (task, agency) order, so the sorter gets its
    # rows nearly in order (a third less time than agency first).
    key = (inner.c.notice_id, inner.c.agency_id, inner.c.category)
    query = select(
        *key, func.count(), func.sum(inner.c.due_soon), func.sum(inner.c.returned)
    ).group_by(*key)
    cells: dict[tuple[int, int], dict[str, int]] = {}
    rows = (await uow.execute(query)).all()
    for notice_id, agency_id, category, count, due_soon, returned in rows:
        cell = cells.get((agency_id, notice_id))
        if cell is None:
            cell = cells[(agency_id, notice_id)] = {"total": 0, "due_soon": 0, "returned": 0}
        cell[category] = count
        cell["total"] += count
        cell["due_soon"] += due_soon or 0
        cell["returned"] += returned or 0
    names = await _agency_names(uow, {agency_id for agency_id, _ in cells})
    return [
        (int(agency_id), names.get(int(agency_id), ""), int(notice_id), Counts(**cell))
        for (agency_id, notice_id), cell in cells.items()
    ]


async def _agency_names(uow: UnitOfWork, agency_ids: set[int]) -> dict[int, str]:
    if not agency_ids:
        return {}
    rows = await uow.execute(
        select(Agency.id, Agency.name).where(Agency.id.in_(sorted(agency_ids)))
    )
    return {int(agency_id): str(name) for agency_id, name in rows.all()}


async def task_counts(uow: UnitOfWork, *, scope: Scope) -> dict[int, int]:
    """notice id -> how many distinct live tasks (nhiệm vụ) have a live assignment in scope:
    the unit beside the assignments (lượt giao) the cells count."""
    query = (
        select(Task.notice_id, func.count(func.distinct(Task.id)))
        .select_from(Assignment)
        .join(Task, Task.id == Assignment.task_id)
        .where(*scope_filters(scope))
        .group_by(Task.notice_id)
    )
    return {int(n): int(c) for n, c in (await uow.execute(query)).all()}


async def unassigned_tasks(uow: UnitOfWork, *, notice_ids: Sequence[int] | None) -> int:
    """Live tasks of these notices (None: all) with no live assignment: in the import's count
    (the preview's nhiệm vụ) but in no cell, so the roll-up says they exist (review I2)."""
    live = (
        select(Assignment.id)
        .where(Assignment.task_id == Task.id, Assignment.status != _CANCELLED)
        .exists()
    )
    query = select(func.count(Task.id)).where(Task.cancelled.is_(False), ~live)
    if notice_ids is not None:
        query = query.where(Task.notice_id.in_(list(notice_ids)))
    return int((await uow.execute(query)).scalar() or 0)


async def assigned_between(uow: UnitOfWork, *, scope: Scope, start: datetime, end: datetime) -> int:
    """Live assignments given in [start, end): the period's new tasks."""
    return await _count(
        uow, [*scope_filters(scope), Assignment.created_at >= start, Assignment.created_at < end]
    )


def _due_between(days: tuple[date, date] | None) -> list[ColumnElement[bool]]:
    if days is None:
        return []
    return [effective_deadline() >= days[0], effective_deadline() <= days[1]]


async def reports_by_agency(
    uow: UnitOfWork, *, scope: Scope, window: Window
) -> dict[int, tuple[int, int]]:
    """agency id -> (reports, of which difficulties) sent in the window, undone ones left
    out: one pass over the window's reports, from which the period's report count, the
    difficulties' count and who reported are all read.

    Over everything (the overview, the weekly summary) the window's reports are first counted
    per assignment from the covering index `ix_update_window` alone, and only those sums meet
    the assignments and tasks (one lookup per assignment, not one per report); over a notice
    or an agency the scope's few assignments lead and their reports are looked up."""
    hard = case((_flagged(), 1), else_=0)
    if scope.notice_ids is None and scope.agency_id is None:
        per_assignment = (
            select(
                ProgressUpdate.assignment_id.label("assignment_id"),
                func.count().label("reports"),
                func.sum(hard).label("hard"),
            )
            .where(*_reports_in(window))
            .group_by(ProgressUpdate.assignment_id)
            .subquery()
        )
        query = (
            select(
                Assignment.agency_id,
                func.sum(per_assignment.c.reports),
                func.sum(per_assignment.c.hard),
            )
            .select_from(per_assignment)
            .join(Assignment, Assignment.id == per_assignment.c.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(*scope_filters(scope))
            .group_by(Assignment.agency_id)
        )
    else:
        query = (
            select(Assignment.agency_id, func.count(ProgressUpdate.id), func.sum(hard))
            .select_from(ProgressUpdate)
            .join(Assignment, Assignment.id == ProgressUpdate.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(*scope_filters(scope), *_reports_in(window, scope))
            .group_by(Assignment.agency_id)
        )
    rows = (await uow.execute(query)).all()
    return {int(agency): (int(count), int(flagged or 0)) for agency, count, flagged in rows}


# --- lists of assignments --------------------------------------------------------------------


def _items_query(conditions: Iterable[ColumnElement[bool]]) -> Any:
    return (
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
    )


async def _count(uow: UnitOfWork, conditions: Iterable[ColumnElement[bool]]) -> int:
    count = (
        await uow.execute(
            select(func.count(Assignment.id))
            .join(Task, Task.id == Assignment.task_id)
            .where(*conditions)
        )
    ).scalar()
    return int(count or 0)


async def _listed(
    uow: UnitOfWork, conditions: list[ColumnElement[bool]], order: tuple[Any, ...]
) -> list[ListedAssignment]:
    query = _items_query(conditions).order_by(*order, Agency.name, Assignment.id)
    rows = (await uow.execute(query.limit(LIST_LIMIT))).all()
    return [ListedAssignment(*row) for row in rows]


async def completed_between(
    uow: UnitOfWork, *, scope: Scope, first_day: date, last_day: date
) -> tuple[dict[str, int], list[ListedAssignment]]:
    """Assignments reported done between the two days: how many per status (done, i.e.
    confirmed, and awaiting confirmation), and the latest LIST_LIMIT of them."""
    conditions = [
        *scope_filters(scope),
        Assignment.status.in_((_DONE, _AWAITING)),
        Assignment.completed_on >= first_day,
        Assignment.completed_on <= last_day,
    ]
    per_status = (
        await uow.execute(
            select(Assignment.status, func.count(Assignment.id))
            .join(Task, Task.id == Assignment.task_id)
            .where(*conditions)
            .group_by(Assignment.status)
        )
    ).all()
    counts = {str(status): int(count) for status, count in per_status}
    return counts, await _listed(uow, conditions, (Assignment.completed_on.desc(),))


async def newly_overdue(
    uow: UnitOfWork, *, scope: Scope, first_day: date, last_day: date, today: date
) -> tuple[int, list[ListedAssignment]]:
    """Assignments that became overdue in the period and still are on `today`: overdue from
    the day after the deadline, so a deadline from the day before the period's first day to
    the day before its last. How many, and the first LIST_LIMIT by deadline."""
    deadline = effective_deadline()
    conditions = [
        *scope_filters(scope),
        is_overdue(today),
        deadline >= first_day - timedelta(days=1),
        deadline < last_day,
    ]
    count = await _count(uow, conditions)
    return count, await _listed(uow, conditions, (deadline,))


async def overdue(uow: UnitOfWork, *, scope: Scope, today: date) -> list[ListedAssignment]:
    """Overdue assignments on `today`, most late first (capped)."""
    conditions = [*scope_filters(scope), is_overdue(today)]
    return await _listed(uow, conditions, (effective_deadline(),))


async def silent_agencies(
    uow: UnitOfWork,
    *,
    scope: Scope,
    reported: Iterable[int],
    today: date,
    assigned_before: datetime,
) -> list[tuple[int, str, int]]:
    """(agency id, name, open assignments) of active, unpaused agencies with open assignments
    given before `assigned_before` (the grace: a new assignment is not yet owed a report),
    leaving out the agencies that `reported` (reports_by_agency's keys)."""
    query = (
        select(Agency.id, Agency.name, func.count(Assignment.id).label("open_count"))
        .select_from(Assignment)
        .join(Task, Task.id == Assignment.task_id)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(
            *scope_filters(scope),
            is_open(),
            Assignment.created_at < assigned_before,
            Agency.active.is_(True),
            or_(Agency.paused_until.is_(None), Agency.paused_until < today),
        )
        .group_by(Agency.id, Agency.name)
    )
    done = set(reported)
    rows = (await uow.execute(query)).all()
    return [(r.id, r.name, int(r.open_count)) for r in rows if r.id not in done]


async def difficulties(
    uow: UnitOfWork, *, scope: Scope, window: Window
) -> list[ReportedDifficulty]:
    """The latest difficulty reported in the window for each assignment (blocked, or stated
    beside done/progress), newest first, at most LIST_LIMIT (their count: reports_by_agency)."""
    latest = (
        select(func.max(ProgressUpdate.id))
        .join(Assignment, Assignment.id == ProgressUpdate.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(*scope_filters(scope), *_reports_in(window, scope), _flagged())
        .group_by(ProgressUpdate.assignment_id)
    )
    query = (
        select(
            ProgressUpdate.text.label("report"),
            ProgressUpdate.created_at,
            Assignment.agency_id,
            Agency.name,
            Task.code,
            Task.restricted,
            Notice.number,
        )
        .join(Assignment, Assignment.id == ProgressUpdate.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .join(Notice, Notice.id == Task.notice_id)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(
            ProgressUpdate.id.in_(latest),
        )
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    )
    rows = (await uow.execute(query.limit(LIST_LIMIT))).all()
    return [ReportedDifficulty(*row) for row in rows]
