"""The roll-up (tổng hợp): counts by the official categories, the period's changes, the
difficulties reported, and the task list the Excel export shows.

The counts are computed by the database (GROUP BY over CASE expressions that restate
`bot.domain.rollup.classify`), so a summary over 100,000 assignments moves a few hundred
aggregate rows, not 100,000 objects; tests/storage/test_summary.py holds the SQL to the pure
rule on a varied data set. Python only classifies the few rows it lists by name (overdue
tasks with their lateness in working days). Results are frozen dataclasses: handlers and
reports never see storage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.domain.calendar import WorkCalendar
from bot.domain.periods import Period, week
from bot.domain.rollup import (
    DUE_SOON_DAYS,
    AssignmentFacts,
    Category,
    Counts,
    classify,
)
from bot.domain.text import fold
from bot.domain.types import OPEN_STATUSES, AssignmentStatus
from bot.services.calendar import load_calendar
from bot.services.context import ServiceContext
from storage.models import Agency, Assignment, Notice, ProgressUpdate, Task

# What an agency sends (the office's confirmations and decisions are not the agency's news).
REPORT_KINDS = ("done", "in_progress", "blocked", "note")
BLOCKED_KIND = "blocked"
# Lists named line by line are capped; their full size is counted separately.
LIST_LIMIT = 100

_OPEN = tuple(s.value for s in OPEN_STATUSES)
_DONE = AssignmentStatus.DONE.value
_AWAITING = AssignmentStatus.AWAITING_CONFIRMATION.value
_NOT_STARTED = AssignmentStatus.NOT_STARTED.value
_CANCELLED = AssignmentStatus.CANCELLED.value


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencyRow:
    """One line of the appendix (Phụ lục)."""

    agency_id: int
    name: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class NoticeRow:
    notice_id: int
    number: str
    issued_on: date | None
    title: str | None
    issuer: str | None
    counts: Counts


@dataclass(frozen=True, slots=True)
class TaskItem:
    """An assignment named in a list (overdue, newly completed); `text` is empty if restricted."""

    assignment_id: int
    task_code: str
    notice_number: str
    agency_id: int
    agency_name: str
    text: str
    restricted: bool
    status: str
    deadline: date | None
    completed_on: date | None
    category: Category
    late_working_days: int


@dataclass(frozen=True, slots=True)
class Difficulty:
    """A vướng mắc an agency reported, to be quoted with its agency."""

    agency_id: int
    agency_name: str
    task_code: str
    notice_number: str
    text: str
    reported_on: date
    restricted: bool


@dataclass(frozen=True, slots=True)
class SilentAgency:
    """An agency with open tasks that sent no report in the period."""

    agency_id: int
    name: str
    open_count: int


@dataclass(frozen=True, slots=True)
class Changes:
    """The period's news. Lists are capped at LIST_LIMIT; the counts are exact."""

    updates: int
    completed_count: int
    completed: tuple[TaskItem, ...]
    overdue_count: int
    overdue: tuple[TaskItem, ...]


@dataclass(frozen=True, slots=True)
class Rollup:
    """Everything a digest, a report or the CLI shows. Agencies come worst first."""

    at: date
    period: Period
    notice_number: str | None
    agency_id: int | None
    overall: Counts
    agencies: tuple[AgencyRow, ...]
    notices: tuple[NoticeRow, ...]
    changes: Changes
    overdue: tuple[TaskItem, ...]
    silent_agencies: tuple[SilentAgency, ...]
    difficulties: tuple[Difficulty, ...]
    difficulties_count: int
    unknown_notice: bool = False

    @property
    def agency_name(self) -> str | None:
        """The agency's name in a one-agency roll-up."""
        if self.agency_id is None:
            return None
        return next((a.name for a in self.agencies if a.agency_id == self.agency_id), None)


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One task of the Excel per-notice sheet, judged on its lead (or the filtered agency)."""

    notice_id: int
    notice_number: str
    notice_issued_on: date | None
    task_id: int
    code: str
    text: str
    restricted: bool
    leads: tuple[str, ...]
    coordinating: tuple[str, ...]
    deadline: date | None
    original_deadline: date | None
    deadline_phrase: str | None
    category: Category | None
    awaiting_confirmation: bool
    percent: int | None
    last_update_on: date | None
    last_report: str


def empty_changes() -> Changes:
    return Changes(0, 0, (), 0, ())


def worst_first(row: AgencyRow) -> tuple[Any, ...]:
    """Most overdue first, then most not started, most done late, lowest on-time rate."""
    c = row.counts
    rate = c.on_time_rate if c.on_time_rate is not None else 1.0
    return (-c.overdue, -c.not_started, -c.done_late, rate, fold(row.name), row.agency_id)


# --- SQL building blocks -----------------------------------------------------------------------


def effective_deadline() -> ColumnElement[date]:
    """The deadline that counts: the adjusted one only once the extension was approved."""
    return case(
        (
            and_(Task.extension_approved.is_(True), Task.adjusted_deadline_end.is_not(None)),
            Task.adjusted_deadline_end,
        ),
        else_=Task.deadline_end,
    )


def category_expression(today: date) -> ColumnElement[str]:
    """`classify(...).category` as SQL; keep in step with bot.domain.rollup."""
    deadline = effective_deadline()
    is_open = Assignment.status.in_(_OPEN)
    is_done = Assignment.status == _DONE
    late = or_(
        and_(is_open, deadline < today),
        and_(
            not_(is_open), Assignment.completed_on.is_not(None), Assignment.completed_on > deadline
        ),
    )
    return case(
        (and_(deadline.is_(None), is_done), Category.DONE_ON_TIME.value),
        (deadline.is_(None), Category.NO_DEADLINE.value),
        (and_(is_done, late), Category.DONE_LATE.value),
        (is_done, Category.DONE_ON_TIME.value),
        (
            and_(Assignment.status == _NOT_STARTED, Assignment.last_update_at.is_(None)),
            Category.NOT_STARTED.value,
        ),
        (late, Category.IN_PROGRESS_LATE.value),
        else_=Category.IN_PROGRESS_ON_TIME.value,
    )


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def flag_expressions(today: date) -> dict[str, ColumnElement[int]]:
    """The flags of `classify` as 0/1 columns."""
    deadline = effective_deadline()
    is_open = Assignment.status.in_(_OPEN)
    return {
        "due_soon": _flag(
            and_(is_open, deadline >= today, deadline <= today + timedelta(days=DUE_SOON_DAYS))
        ),
        "awaiting_confirmation": _flag(Assignment.status == _AWAITING),
        "overdue": _flag(and_(is_open, deadline < today)),
    }


def scope_filters(
    notice_ids: Sequence[int] | None, agency_id: int | None
) -> list[ColumnElement[bool]]:
    """Live assignments of live tasks, within the notice and agency asked for."""
    conditions: list[ColumnElement[bool]] = [
        Task.cancelled.is_(False),
        Assignment.status != _CANCELLED,
    ]
    if notice_ids is not None:
        conditions.append(Task.notice_id.in_(list(notice_ids)))
    if agency_id is not None:
        conditions.append(Assignment.agency_id == agency_id)
    return conditions


def _not_reverted() -> ColumnElement[bool]:
    """Not undone. Uncorrelated on purpose: evaluated once, not once per update row."""
    undone = select(ProgressUpdate.reverts_id).where(ProgressUpdate.reverts_id.is_not(None))
    return ProgressUpdate.id.not_in(undone.scalar_subquery())


@dataclass(frozen=True, slots=True)
class _Window:
    """A period as UTC instants [start, end) for the `created_at` columns."""

    start: datetime
    end: datetime


def _window(period: Period, ctx: ServiceContext) -> _Window:
    def instant(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=ctx.tz).astimezone(UTC)

    return _Window(instant(period.start), instant(period.end + timedelta(days=1)))


# --- the queries -------------------------------------------------------------------------------


async def grouped_counts(
    session: AsyncSession,
    *,
    today: date,
    notice_ids: Sequence[int] | None = None,
    agency_id: int | None = None,
) -> list[tuple[int, str, int, Counts]]:
    """(agency id, agency name, notice id, counts) per agency and notice, counted in SQL."""
    inner = (
        select(
            Assignment.agency_id.label("agency_id"),
            Agency.name.label("agency_name"),
            Task.notice_id.label("notice_id"),
            category_expression(today).label("category"),
            *(expr.label(name) for name, expr in flag_expressions(today).items()),
        )
        .join(Task, Task.id == Assignment.task_id)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(*scope_filters(notice_ids, agency_id))
        .subquery()
    )
    per_category = [
        func.sum(case((inner.c.category == category.value, 1), else_=0)).label(category.value)
        for category in Category
    ]
    query = select(
        inner.c.agency_id,
        inner.c.agency_name,
        inner.c.notice_id,
        func.count().label("total"),
        *per_category,
        func.sum(inner.c.due_soon).label("due_soon"),
        func.sum(inner.c.awaiting_confirmation).label("awaiting_confirmation"),
        func.sum(inner.c.overdue).label("overdue"),
    ).group_by(inner.c.agency_id, inner.c.agency_name, inner.c.notice_id)
    rows = (await session.execute(query)).mappings().all()
    count_names = ["total", *(c.value for c in Category)]
    count_names += ["due_soon", "awaiting_confirmation", "overdue"]
    return [
        (
            int(row["agency_id"]),
            str(row["agency_name"]),
            int(row["notice_id"]),
            Counts(**{name: int(row[name] or 0) for name in count_names}),
        )
        for row in rows
    ]


def _item_columns() -> tuple[Any, ...]:
    return (
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


def _items_query(conditions: Iterable[ColumnElement[bool]]) -> Any:
    return (
        select(*_item_columns())
        .join(Task, Task.id == Assignment.task_id)
        .join(Notice, Notice.id == Task.notice_id)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(*conditions)
    )


def _count_query(conditions: Iterable[ColumnElement[bool]]) -> Any:
    return (
        select(func.count(Assignment.id))
        .join(Task, Task.id == Assignment.task_id)
        .where(*conditions)
    )


def _to_item(row: Any, *, today: date, calendar: WorkCalendar) -> TaskItem:
    facts = AssignmentFacts(
        assignment_id=row.id,
        agency_id=row.agency_id,
        agency_name=row.name,
        notice_id=row.notice_id,
        status=AssignmentStatus(row.status),
        percent=row.percent,
        original_deadline_end=row.deadline_end,
        adjusted_deadline_end=row.adjusted_deadline_end,
        extension_approved=bool(row.extension_approved),
        completed_on=row.completed_on,
        has_update=row.last_update_at is not None,
    )
    judged = classify(facts, today=today, calendar=calendar)
    assert judged is not None  # cancelled rows are filtered out in SQL
    return TaskItem(
        assignment_id=row.id,
        task_code=row.code,
        notice_number=row.number,
        agency_id=row.agency_id,
        agency_name=row.name,
        text="" if row.restricted else row.text,
        restricted=bool(row.restricted),
        status=row.status,
        deadline=facts.deadline,
        completed_on=row.completed_on,
        category=judged.category,
        late_working_days=judged.late_working_days,
    )


class SummaryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def default_period(self, at: date) -> Period:
        """The reporting week ending on the weekly summary's weekday."""
        return week(at, week_ends_on=self._ctx.settings.weekly_summary_weekday)

    async def notice_numbers(self) -> tuple[str, ...]:
        async with self._ctx.uow() as session:
            rows = await session.execute(select(Notice.number).distinct().order_by(Notice.number))
            return tuple(rows.scalars().all())

    async def rollup(
        self,
        *,
        at: date | None = None,
        notice_number: str | None = None,
        agency_id: int | None = None,
        period: Period | None = None,
    ) -> Rollup:
        """The roll-up on `at` (default today), over one notice or agency when given; the
        changes are those of `period` (default: the reporting week holding `at`)."""
        today = at or self._ctx.today()
        period = period or self.default_period(today)
        async with self._ctx.uow() as session:
            notices = await self._resolve_notice(session, notice_number)
            if notices is not None and not notices:
                return self._empty(today, period, notice_number, agency_id)
            notice_ids = [n.id for n in notices] if notices is not None else None
            shown_number = notices[0].number if notices else None
            calendar = await load_calendar(session, today=today)
            grouped = await grouped_counts(
                session, today=today, notice_ids=notice_ids, agency_id=agency_id
            )
            notice_meta = await self._notice_meta(session, {n for _, _, n, _ in grouped})
            scope = scope_filters(notice_ids, agency_id)
            window = _window(period, self._ctx)
            changes = await self._changes(session, scope, period, window, today, calendar)
            overdue = await self._overdue(session, scope, today, calendar)
            silent = await self._silent(session, scope, notice_ids, window, today)
            difficulties, difficulties_count = await self._difficulties(session, scope, window)
        agencies, notice_rows, overall = _assemble(grouped, notice_meta)
        return Rollup(
            at=today,
            period=period,
            notice_number=shown_number,
            agency_id=agency_id,
            overall=overall,
            agencies=agencies,
            notices=notice_rows,
            changes=changes,
            overdue=overdue,
            silent_agencies=silent,
            difficulties=difficulties,
            difficulties_count=difficulties_count,
        )

    def _empty(
        self, today: date, period: Period, notice_number: str | None, agency_id: int | None
    ) -> Rollup:
        return Rollup(
            at=today,
            period=period,
            notice_number=notice_number,
            agency_id=agency_id,
            overall=Counts(),
            agencies=(),
            notices=(),
            changes=empty_changes(),
            overdue=(),
            silent_agencies=(),
            difficulties=(),
            difficulties_count=0,
            unknown_notice=True,
        )

    async def _resolve_notice(self, session: AsyncSession, number: str | None) -> list[Any] | None:
        """Notices with this number, typed loosely ("22/TB-BCĐ" == "22-TB/BCD"); None = all."""
        if number is None or not number.strip():
            return None
        rows = (await session.execute(select(Notice.id, Notice.number))).all()
        exact = [r for r in rows if r.number == number.strip()]
        if exact:
            return exact
        wanted = _loose(number)
        return [r for r in rows if _loose(r.number) == wanted]

    async def _notice_meta(self, session: AsyncSession, ids: set[int]) -> dict[int, Notice]:
        if not ids:
            return {}
        result = await session.execute(select(Notice).where(Notice.id.in_(sorted(ids))))
        return {n.id: n for n in result.scalars().all() if n.id is not None}

    async def _changes(
        self,
        session: AsyncSession,
        scope: list[ColumnElement[bool]],
        period: Period,
        window: _Window,
        today: date,
        calendar: WorkCalendar,
    ) -> Changes:
        updates = await session.scalar(
            select(func.count(ProgressUpdate.id))
            .join(Assignment, Assignment.id == ProgressUpdate.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(*scope, *_reports_in(window))
        )
        completed = [
            *scope,
            Assignment.status.in_((_DONE, _AWAITING)),
            Assignment.completed_on >= period.start,
            Assignment.completed_on <= period.end,
        ]
        # Overdue from the day after the deadline: "newly overdue" in the period is a deadline
        # from the day before its start to the day before its end, already passed on `today`.
        deadline = effective_deadline()
        overdue = [
            *scope,
            Assignment.status.in_(_OPEN),
            deadline >= period.start - timedelta(days=1),
            deadline < period.end,
            deadline < today,
        ]
        return Changes(
            updates=int(updates or 0),
            completed_count=int(await session.scalar(_count_query(completed)) or 0),
            completed=await self._items(
                session, completed, (Assignment.completed_on.desc(),), today, calendar
            ),
            overdue_count=int(await session.scalar(_count_query(overdue)) or 0),
            overdue=await self._items(session, overdue, (deadline,), today, calendar),
        )

    async def _overdue(
        self,
        session: AsyncSession,
        scope: list[ColumnElement[bool]],
        today: date,
        calendar: WorkCalendar,
    ) -> tuple[TaskItem, ...]:
        """Open assignments past their deadline, most late first (capped)."""
        deadline = effective_deadline()
        conditions = [*scope, Assignment.status.in_(_OPEN), deadline < today]
        return await self._items(session, conditions, (deadline,), today, calendar)

    async def _items(
        self,
        session: AsyncSession,
        conditions: list[ColumnElement[bool]],
        order: tuple[Any, ...],
        today: date,
        calendar: WorkCalendar,
    ) -> tuple[TaskItem, ...]:
        query = _items_query(conditions).order_by(*order, Agency.name, Assignment.id)
        rows = (await session.execute(query.limit(LIST_LIMIT))).all()
        return tuple(_to_item(row, today=today, calendar=calendar) for row in rows)

    async def _silent(
        self,
        session: AsyncSession,
        scope: list[ColumnElement[bool]],
        notice_ids: Sequence[int] | None,
        window: _Window,
        today: date,
    ) -> tuple[SilentAgency, ...]:
        """Active, unpaused agencies with open assignments and no report in the period."""
        # The agencies that did report, computed once (uncorrelated), then excluded.
        other = aliased(Assignment)
        other_task = aliased(Task)
        reported = (
            select(other.agency_id)
            .select_from(ProgressUpdate)
            .join(other, other.id == ProgressUpdate.assignment_id)
            .join(other_task, other_task.id == other.task_id)
            .where(*_reports_in(window))
            .distinct()
        )
        if notice_ids is not None:
            reported = reported.where(other_task.notice_id.in_(list(notice_ids)))
        query = (
            select(Agency.id, Agency.name, func.count(Assignment.id).label("open_count"))
            .select_from(Assignment)
            .join(Task, Task.id == Assignment.task_id)
            .join(Agency, Agency.id == Assignment.agency_id)
            .where(
                *scope,
                Assignment.status.in_(_OPEN),
                Agency.active.is_(True),
                or_(Agency.paused_until.is_(None), Agency.paused_until < today),
                Assignment.agency_id.not_in(reported.scalar_subquery()),
            )
            .group_by(Agency.id, Agency.name)
        )
        rows = (await session.execute(query)).all()
        agencies = [SilentAgency(r.id, r.name, int(r.open_count)) for r in rows]
        return tuple(sorted(agencies, key=lambda a: (-a.open_count, fold(a.name), a.agency_id)))

    async def _difficulties(
        self, session: AsyncSession, scope: list[ColumnElement[bool]], window: _Window
    ) -> tuple[tuple[Difficulty, ...], int]:
        conditions = [*scope, *_reports_in(window), ProgressUpdate.kind == BLOCKED_KIND]
        base = (
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
            .where(*conditions)
        )
        count = await session.scalar(
            select(func.count(ProgressUpdate.id))
            .join(Assignment, Assignment.id == ProgressUpdate.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(*conditions)
        )
        query = base.order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        rows = (await session.execute(query.limit(LIST_LIMIT))).all()
        tz = self._ctx.tz
        items = tuple(
            Difficulty(
                agency_id=r.agency_id,
                agency_name=r.name,
                task_code=r.code,
                notice_number=r.number,
                text="" if r.restricted else r.report,
                reported_on=r.created_at.astimezone(tz).date(),
                restricted=bool(r.restricted),
            )
            for r in rows
        )
        return items, int(count or 0)

    async def task_rows(
        self,
        *,
        at: date | None = None,
        notice_number: str | None = None,
        agency_id: int | None = None,
    ) -> tuple[TaskRow, ...]:
        """Every live task with its agencies, status and latest report, for the export.

        Two queries: tasks ⨝ assignments ⨝ agencies, then the latest report per assignment.
        """
        today = at or self._ctx.today()
        async with self._ctx.uow() as session:
            notices = await self._resolve_notice(session, notice_number)
            if notices is not None and not notices:
                return ()
            notice_ids = [n.id for n in notices] if notices is not None else None
            calendar = await load_calendar(session, today=today)
            rows = await _task_assignment_rows(session, notice_ids, agency_id)
            latest = await _latest_reports(session, notice_ids, agency_id)
        return _build_task_rows(rows, latest, today, calendar, agency_id, self._ctx)


def _reports_in(window: _Window) -> list[ColumnElement[bool]]:
    return [
        ProgressUpdate.kind.in_(REPORT_KINDS),
        ProgressUpdate.created_at >= window.start,
        ProgressUpdate.created_at < window.end,
        _not_reverted(),
    ]


def _loose(number: str) -> str:
    """A notice number folded and stripped of separators, for loose matching."""
    return "".join(ch for ch in fold(number) if ch.isalnum())


def _assemble(
    grouped: list[tuple[int, str, int, Counts]], notices: dict[int, Notice]
) -> tuple[tuple[AgencyRow, ...], tuple[NoticeRow, ...], Counts]:
    """Per (agency, notice) counts -> per agency, per notice and overall (rows add up)."""
    by_agency: dict[int, Counts] = defaultdict(Counts)
    names: dict[int, str] = {}
    by_notice: dict[int, Counts] = defaultdict(Counts)
    overall = Counts()
    for agency_id, name, notice_id, counts in grouped:
        by_agency[agency_id] += counts
        names[agency_id] = name
        by_notice[notice_id] += counts
        overall += counts
    agencies = sorted(
        (AgencyRow(a, names[a], c) for a, c in by_agency.items()),
        key=worst_first,
    )
    notice_rows = [
        NoticeRow(
            notice_id=n,
            number=notices[n].number if n in notices else "",
            issued_on=notices[n].issued_on if n in notices else None,
            title=notices[n].title if n in notices else None,
            issuer=notices[n].issuer if n in notices else None,
            counts=c,
        )
        for n, c in by_notice.items()
    ]
    notice_rows.sort(key=lambda r: (r.issued_on or date.min, r.number, r.notice_id))
    return tuple(agencies), tuple(notice_rows), overall


# --- the export's task list --------------------------------------------------------------------


async def _task_assignment_rows(
    session: AsyncSession, notice_ids: Sequence[int] | None, agency_id: int | None
) -> list[Any]:
    """Live tasks with their live assignments and agencies (a task with none still appears)."""
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
    if notice_ids is not None:
        query = query.where(Task.notice_id.in_(list(notice_ids)))
    if agency_id is not None:
        mine = select(Assignment.task_id).where(
            Assignment.agency_id == agency_id, Assignment.status != _CANCELLED
        )
        query = query.where(Task.id.in_(mine))
    return list((await session.execute(query)).all())


async def _latest_reports(
    session: AsyncSession, notice_ids: Sequence[int] | None, agency_id: int | None
) -> dict[int, tuple[datetime, str]]:
    """assignment id -> (time, text) of its latest report that was not undone."""
    latest = (
        select(func.max(ProgressUpdate.id).label("id"))
        .join(Assignment, Assignment.id == ProgressUpdate.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(ProgressUpdate.kind.in_(REPORT_KINDS), _not_reverted(), Task.cancelled.is_(False))
        .group_by(ProgressUpdate.assignment_id)
    )
    if notice_ids is not None:
        latest = latest.where(Task.notice_id.in_(list(notice_ids)))
    if agency_id is not None:
        mine = select(Assignment.task_id).where(Assignment.agency_id == agency_id)
        latest = latest.where(Assignment.task_id.in_(mine))
    query = select(
        ProgressUpdate.assignment_id, ProgressUpdate.created_at, ProgressUpdate.text
    ).where(ProgressUpdate.id.in_(latest.scalar_subquery()))
    rows = (await session.execute(query)).all()
    return {r.assignment_id: (r.created_at, r.text) for r in rows}


def _build_task_rows(
    rows: list[Any],
    latest: dict[int, tuple[datetime, str]],
    today: date,
    calendar: WorkCalendar,
    agency_id: int | None,
    ctx: ServiceContext,
) -> tuple[TaskRow, ...]:
    by_task: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_task[row.task_id].append(row)
    return tuple(
        _task_row(group, latest, today, calendar, agency_id, ctx) for group in by_task.values()
    )


def _task_row(
    group: list[Any],
    latest: dict[int, tuple[datetime, str]],
    today: date,
    calendar: WorkCalendar,
    agency_id: int | None,
    ctx: ServiceContext,
) -> TaskRow:
    first = group[0]
    assigned = [r for r in group if r.assignment_id is not None]
    leads = tuple(r.agency_name for r in assigned if r.role == "lead")
    coordinating = tuple(r.agency_name for r in assigned if r.role != "lead")
    primary = _primary(assigned, agency_id)
    judged = None
    if primary is not None:
        judged = classify(_facts(primary), today=today, calendar=calendar)
    reports = [
        (latest[r.assignment_id], r.agency_name) for r in assigned if r.assignment_id in latest
    ]
    last_on: date | None = None
    last_text = ""
    if reports:
        (moment, text), agency_name = max(reports, key=lambda item: item[0][0])
        last_on = moment.astimezone(ctx.tz).date()
        last_text = f"{agency_name}: {text}" if len(assigned) > 1 and text else text
    return TaskRow(
        notice_id=first.notice_id,
        notice_number=first.number,
        notice_issued_on=first.issued_on,
        task_id=first.task_id,
        code=first.code,
        text=first.text,
        restricted=bool(first.restricted),
        leads=leads,
        coordinating=coordinating,
        deadline=_facts(first).deadline,
        original_deadline=first.deadline_end,
        deadline_phrase=first.deadline_phrase,
        category=judged.category if judged else None,
        awaiting_confirmation=bool(judged and judged.awaiting_confirmation),
        percent=primary.percent if primary is not None else None,
        last_update_on=last_on,
        last_report=last_text,
    )


def _primary(assigned: list[Any], agency_id: int | None) -> Any | None:
    """The assignment a task's status is read from: the filtered agency's, else the lead's."""
    if agency_id is not None:
        mine = [r for r in assigned if r.agency_id == agency_id]
        if mine:
            return mine[0]
    leads = [r for r in assigned if r.role == "lead"]
    return (leads or assigned or [None])[0]


def _facts(row: Any) -> AssignmentFacts:
    return AssignmentFacts(
        assignment_id=row.assignment_id or 0,
        agency_id=row.agency_id or 0,
        agency_name=row.agency_name or "",
        notice_id=row.notice_id,
        status=AssignmentStatus(row.status or _NOT_STARTED),
        percent=row.percent,
        original_deadline_end=row.deadline_end,
        adjusted_deadline_end=row.adjusted_deadline_end,
        extension_approved=bool(row.extension_approved),
        completed_on=row.completed_on,
        has_update=row.last_update_at is not None,
    )
