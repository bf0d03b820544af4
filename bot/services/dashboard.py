"""What the web app reads beyond the roll-up (which is SummaryService's): task tables with
their category, the focal point's form list, a task's full append-only history, the evidence
a report carries, the notices and the week-by-week trend.

Every read takes the `Who` and asks the permission rule first, so a URL or a form naming
another agency's task shows nothing of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkCalendar
from bot.domain.permissions import Action
from bot.domain.rollup import (
    AssignmentFacts,
    Category,
    Classification,
    Counts,
    classify,
)
from bot.domain.types import AssignmentStatus
from bot.services.access import Who
from bot.services.calendar import load_calendar
from bot.services.context import ServiceContext
from bot.services.tasks import TaskLine, make_line, sort_lines
from storage.models import Agency
from storage.repositories import agencies as agency_repo
from storage.repositories import dashboard as queries
from storage.repositories import progress as progress_repo
from storage.repositories import summary as summary_repo
from storage.repositories import tasks as task_repo
from storage.repositories.summary import ListedAssignment, Scope

TIMINGS = ("overdue", "due_soon", *(c.value for c in Category))
PAGE_SIZE = 50  # a task table's page: enough to scan, light enough for a phone


@dataclass(frozen=True, slots=True)
class TaskView:
    """One assignment as a dashboard row: judged by the roll-up's rule."""

    assignment_id: int
    code: str
    notice_id: int
    notice_number: str
    agency_id: int
    agency_name: str
    text: str  # empty when restricted
    restricted: bool
    status: str
    percent: int
    deadline: date | None
    completed_on: date | None
    category: Category
    overdue: bool
    due_soon: bool
    late_working_days: int


@dataclass(frozen=True, slots=True)
class TaskTable:
    """One page of a task table: its rows, where they stand in the whole selection, and for
    one agency's table the figures of everything its scope holds (the roll-up's counts)."""

    rows: tuple[TaskView, ...]
    total: int  # rows in the whole selection
    page: int  # 1-based, within 1..pages
    per_page: int
    counts: Counts | None = None  # one agency's table only
    agency_name: str | None = None  # the agency's, when the table is one agency's

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The 1-based position of the page's first row (0 when there is none)."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.rows)


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """Filters of a task table; None = any."""

    agency_id: int | None = None
    notice_id: int | None = None
    status: str | None = None
    timing: str | None = None  # a Category value, "overdue" or "due_soon"
    deadline_from: date | None = None
    deadline_to: date | None = None


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One row of a task's append-only history, as stored (never edited)."""

    update_id: int
    at: datetime
    author: str
    author_user_id: int | None
    kind: str
    status: str
    percent: int | None
    text: str
    evidence: int  # how many files it carries
    undone: bool  # a later row reverted it
    reverts_id: int | None


@dataclass(frozen=True, slots=True)
class ExtensionItem:
    requested_end: date
    reason: str
    status: str  # pending | approved | refused
    requested_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class TaskDetail:
    line: TaskLine
    notice_id: int
    notice_title: str | None
    leads: tuple[str, ...]
    coordinating: tuple[str, ...]
    history: tuple[HistoryItem, ...]  # oldest first
    extensions: tuple[ExtensionItem, ...]
    category: Category | None
    may_report: bool


@dataclass(frozen=True, slots=True)
class TrendWeek:
    first: date
    last: date
    reports: int
    completed: int
    overdue: int


class DashboardService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def agencies_of(self, who: Who) -> list[tuple[int, str]]:
        """(id, name) of the agencies `who` reports for: theirs, or every active one for the
        office, by name."""
        async with self._ctx.uow() as uow:
            active = await agency_repo.all_active(uow)
        return _agencies_of(who, active)

    async def choices(
        self, who: Who
    ) -> tuple[list[tuple[int, str, date | None, str | None]], list[tuple[int, str]]]:
        """What a page's filter bar offers, in one transaction: the notices (the office's
        alone: `notices`) and the agencies (`agencies_of`)."""
        async with self._ctx.uow() as uow:
            active = await agency_repo.all_active(uow)
            listed = await queries.notices(uow) if who.may(Action.VIEW_ALL).allowed else []
        return listed, _agencies_of(who, active)

    async def tasks(
        self, who: Who, wanted: TaskFilter, *, page: int = 1, per_page: int = PAGE_SIZE
    ) -> TaskTable | None:
        """One page of the assignments the filter selects, worst first (the database filters,
        orders and cuts them: storage.repositories.dashboard.table_page), how many there are,
        and, for one agency's table, the official figures of its (agency, notice) before the
        status, timing and period filters (the roll-up's own grouped counts); None when `who`
        may not see them (an agency not theirs, or every agency for someone who is not the
        office). A page past the last is the last."""
        if wanted.agency_id is not None:
            allowed = who.may(Action.VIEW_AGENCY, agency_id=wanted.agency_id).allowed
        else:
            allowed = who.may(Action.VIEW_ALL).allowed
        if not allowed:
            return None
        today = self._ctx.today()
        scope = Scope([wanted.notice_id] if wanted.notice_id else None, wanted.agency_id)
        between = None
        if wanted.deadline_from is not None and wanted.deadline_to is not None:
            between = (wanted.deadline_from, wanted.deadline_to)
        selection = queries.TableQuery(scope, today, wanted.status, wanted.timing, between)
        agency_name = None
        counts = None
        async with self._ctx.uow() as uow:
            if wanted.agency_id is not None:
                agency = await agency_repo.get(uow, agency_id=wanted.agency_id)
                if agency is None:
                    return None
                agency_name = agency.name
                grouped = await summary_repo.grouped_counts(uow, today=today, scope=scope)
                counts = sum((c for _a, _n, _id, c in grouped), Counts())
            total = await queries.table_size(uow, wanted=selection)
            page = max(1, min(page, -(-total // per_page)))
            rows = await queries.table_page(
                uow, wanted=selection, offset=(page - 1) * per_page, limit=per_page
            )
            calendar = await load_calendar(uow, today=today)
        views = tuple(_judge(row, today, calendar)[0] for row in rows)
        return TaskTable(views, total, page, per_page, counts, agency_name)

    async def form_lines(self, who: Who, agency_id: int) -> tuple[TaskLine, ...] | None:
        """The agency's unfinished tasks for the form, overdue first (as /nhiemvu orders
        them); None when `who` may not report for it."""
        if not who.may(Action.REPORT, agency_id=agency_id).allowed:
            return None
        today = self._ctx.today()
        async with self._ctx.uow() as uow:
            rows = await task_repo.unfinished_assignments(uow, agency_ids=[agency_id])
        return tuple(sort_lines([make_line(a, t, n, ag, today) for a, t, n, ag in rows]))

    async def task(self, who: Who, assignment_id: int) -> TaskDetail | None:
        """The task page: its card, every history row (oldest first) and extension request;
        None when it does not exist or is not `who`'s to see."""
        today = self._ctx.today()
        async with self._ctx.uow() as uow:
            row = await task_repo.assignment_row(uow, assignment_id=assignment_id)
            if row is None:
                return None
            assignment, task, notice, agency = row
            if not who.may(Action.VIEW_AGENCY, agency_id=agency.id).allowed:
                return None
            roles = await task_repo.task_agencies(uow, task_id=task.id or 0)
            updates = await progress_repo.history(uow, assignment_id=assignment_id, limit=100_000)
            requests = await queries.extension_requests(uow, assignment_id=assignment_id)
            calendar = await load_calendar(uow, today=today)
        line = make_line(assignment, task, notice, agency, today)
        reverted = {u.reverts_id for u in updates if u.reverts_id}
        judged = None
        if not task.cancelled:
            judged = classify(
                AssignmentFacts(
                    assignment_id=assignment_id,
                    agency_id=agency.id or 0,
                    agency_name=agency.name,
                    notice_id=notice.id or 0,
                    status=AssignmentStatus(assignment.status),
                    percent=assignment.percent,
                    original_deadline_end=task.deadline_end,
                    adjusted_deadline_end=task.adjusted_deadline_end,
                    extension_approved=task.extension_approved,
                    completed_on=assignment.completed_on,
                    has_update=assignment.last_update_at is not None,
                ),
                today=today,
                calendar=calendar,
            )
        return TaskDetail(
            line=line,
            notice_id=notice.id or 0,
            notice_title=notice.title,
            leads=tuple(name for role, name in roles if role == "lead"),
            coordinating=tuple(name for role, name in roles if role != "lead"),
            history=tuple(
                HistoryItem(
                    update_id=u.id or 0,
                    at=u.created_at,
                    author=u.author_name or "",
                    author_user_id=u.author_user_id,
                    kind=u.kind,
                    status=u.status,
                    percent=u.percent,
                    text="" if task.restricted else u.text,
                    evidence=len([f for f in u.evidence_file_ids.split(",") if f]),
                    undone=u.id in reverted,
                    reverts_id=u.reverts_id,
                )
                for u in reversed(updates)
            ),
            extensions=tuple(
                ExtensionItem(r.requested_end, r.reason, r.status, r.created_at, r.decided_at)
                for r in requests
            ),
            category=judged.category if judged else None,
            may_report=(
                who.may(Action.REPORT, agency_id=agency.id).allowed
                and not task.cancelled
                and assignment.status not in ("done", "cancelled")
            ),
        )

    async def evidence(self, who: Who, update_id: int, index: int) -> str | None:
        """The Telegram file id of a report's `index`-th evidence file, if `who` may see it."""
        async with self._ctx.uow() as uow:
            update = await progress_repo.get_update(uow, update_id=update_id)
            if update is None:
                return None
            row = await task_repo.assignment_row(uow, assignment_id=update.assignment_id)
        if row is None or not who.may(Action.VIEW_AGENCY, agency_id=row[3].id).allowed:
            return None
        files = [f for f in update.evidence_file_ids.split(",") if f]
        return files[index] if 0 <= index < len(files) else None

    async def notices(self, who: Who) -> list[tuple[int, str, date | None, str | None]] | None:
        if not who.may(Action.VIEW_ALL).allowed:
            return None
        async with self._ctx.uow() as uow:
            return await queries.notices(uow)

    async def trend(
        self,
        who: Who,
        *,
        last_day: date,
        weeks: int = 8,
        notice_ids: Sequence[int] | None = None,
        agency_id: int | None = None,
    ) -> tuple[TrendWeek, ...] | None:
        """Week by week up to `last_day`: reports received, tasks completed, tasks overdue at
        the week's end."""
        if agency_id is not None:
            allowed = who.may(Action.VIEW_AGENCY, agency_id=agency_id).allowed
        else:
            allowed = who.may(Action.VIEW_ALL).allowed
        if not allowed:
            return None
        tz = self._ctx.tz

        def instant(day: date) -> datetime:
            return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)

        spans = [
            (last_day - timedelta(days=7 * n + 6), last_day - timedelta(days=7 * n))
            for n in range(weeks - 1, -1, -1)
        ]
        windows = [(instant(first), instant(last + timedelta(days=1))) for first, last in spans]
        scope = Scope(notice_ids, agency_id)
        async with self._ctx.uow() as uow:
            states = await queries.completion_dates(uow, scope=scope)
            reports = await queries.reports_in(uow, scope=scope, windows=windows)
        return tuple(
            _trend_week(first, last, states, received, tz)
            for (first, last), received in zip(spans, reports, strict=True)
        )


def _agencies_of(who: Who, active: Sequence[Agency]) -> list[tuple[int, str]]:
    if who.may(Action.VIEW_ALL).allowed:
        chosen = [a for a in active if not a.is_group]
    else:
        chosen = [a for a in active if a.id in who.actor.agencies]
    return sorted(((a.id or 0, a.name) for a in chosen), key=lambda item: item[1])


def _trend_week(
    first: date,
    last: date,
    states: list[tuple[date | None, date | None, datetime, int]],
    reports: int,
    tz: ZoneInfo,
) -> TrendWeek:
    """One week: reports received in it (local days), assignments completed in it, and those
    overdue at its end as the data stands now (assigned by then, deadline before its last day,
    not completed by it)."""
    end_of_week = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    completed = sum(n for _d, done, _c, n in states if done is not None and first <= done <= last)
    overdue = sum(
        n
        for deadline, done, created, n in states
        if deadline is not None
        and deadline < last
        and (done is None or done > last)
        and created < end_of_week
    )
    return TrendWeek(first, last, reports, completed, overdue)


def _judge(
    row: ListedAssignment, today: date, calendar: WorkCalendar
) -> tuple[TaskView, Classification]:
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
    view = TaskView(
        assignment_id=row.id,
        code=row.code,
        notice_id=row.notice_id,
        notice_number=row.number,
        agency_id=row.agency_id,
        agency_name=row.name,
        text="" if row.restricted else row.text,
        restricted=bool(row.restricted),
        status=row.status,
        percent=row.percent,
        deadline=facts.deadline,
        completed_on=row.completed_on,
        category=judged.category,
        overdue=judged.overdue,
        due_soon=judged.due_soon,
        late_working_days=judged.late_working_days,
    )
    return view, judged
