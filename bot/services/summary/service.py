"""The roll-up use case (tổng hợp): counts by the official categories, the period's changes,
the difficulties reported, and the export's task list.

The counting is the database's (storage/repositories/summary.py: GROUP BY over expressions
that restate the domain's rules); Python only classifies the few rows it lists by name
(overdue tasks with their lateness in working days).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.calendar import WorkCalendar
from bot.domain.league import LeagueRow, league
from bot.domain.periods import Period, PeriodKind, week
from bot.domain.rollup import AssignmentFacts, Counts, add_up, classify, grace_cutoff
from bot.domain.text import fold
from bot.domain.types import AssignmentStatus
from bot.services.calendar import load_calendar
from bot.services.context import ServiceContext
from bot.services.summary.export import build_task_rows
from bot.services.summary.model import (
    AgencyRow,
    Changes,
    Difficulty,
    NoticeRow,
    Rollup,
    SilentAgency,
    TaskItem,
    TaskRow,
    empty_changes,
    worst_first,
)
from storage.models import Notice
from storage.repositories import notices as notice_repo
from storage.repositories import onboarding as onboarding_repo
from storage.repositories import summary as queries
from storage.repositories import summary_export as export_queries
from storage.repositories.summary import ListedAssignment, Scope, Window
from storage.unit_of_work import UnitOfWork

NOTICES_PER_READ = 5  # the export's notices read per unit of work (~750 tasks at 100x)


class SummaryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def default_period(self, at: date) -> Period:
        """The reporting week ending on the weekly summary's weekday."""
        return week(at, week_ends_on=self._ctx.settings.weekly_summary_weekday)

    async def notice_numbers(self) -> tuple[str, ...]:
        async with self._ctx.uow() as uow:
            return await notice_repo.distinct_numbers(uow)

    async def notice_id(self, number: str | None) -> int | None:
        """The first notice a /tonghop filter names, for a button to carry (None: all)."""
        async with self._ctx.uow() as uow:
            notices = await _resolve_notice(uow, number)
        return min(notice_id for notice_id, _ in notices) if notices else None

    async def notice_number(self, notice_id: int) -> str | None:
        """The number of the notice a button carries; None when it is gone."""
        async with self._ctx.uow() as uow:
            found = await notice_repo.by_ids(uow, notice_ids={notice_id})
        notice = found.get(notice_id)
        return notice.number if notice is not None else None

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
        async with self._ctx.uow() as uow:
            notices = await _resolve_notice(uow, notice_number)
            if notices is not None and not notices:
                return _empty(today, period, notice_number, agency_id)
            notice_ids = [notice_id for notice_id, _ in notices] if notices is not None else None
            shown_number = notices[0][1] if notices else None
            calendar = await load_calendar(uow, today=today)
            scope = Scope(notice_ids, agency_id)
            grouped = await queries.grouped_counts(uow, today=today, scope=scope)
            task_counts = await queries.task_counts(uow, scope=scope)
            unassigned = 0
            if agency_id is None:  # an agency's roll-up counts only what it was given
                unassigned = await queries.unassigned_tasks(uow, notice_ids=notice_ids)
            notice_meta = await notice_repo.by_ids(uow, notice_ids={n for _, _, n, _ in grouped})
            window = self._window(period)
            ranked: list[tuple[int, str, int, Counts]] = []
            if period.kind is not PeriodKind.WEEK:
                ranked = await queries.grouped_counts(
                    uow, today=today, scope=scope, due_between=(period.start, period.end)
                )
            reports = await queries.reports_by_agency(uow, scope=scope, window=window)
            updates = sum(count for count, _ in reports.values())
            changes = await _changes(uow, scope, period, updates, today, calendar)
            changes = replace(
                changes,
                new_count=await queries.assigned_between(
                    uow, scope=scope, start=window.start, end=window.end
                ),
                new_today=await queries.assigned_between(
                    uow, scope=scope, start=self._start_of(today), end=self._start_of(today, 1)
                ),
            )
            overdue = _items(await queries.overdue(uow, scope=scope, today=today), today, calendar)
            cutoff = grace_cutoff(today, self._ctx.settings.report_grace_days, calendar)
            silent = await queries.silent_agencies(
                uow,
                scope=scope,
                reported=reports.keys(),
                today=today,
                assigned_before=self._start_of(cutoff, 1),
            )
            bound = await onboarding_repo.bound_agency_ids(uow)
            difficulties_count = sum(hard for _, hard in reports.values())
            reported = await queries.difficulties(uow, scope=scope, window=window)
        agencies, notice_rows, overall = _assemble(grouped, notice_meta, task_counts)
        silent_agencies = sorted(
            (SilentAgency(*row, bound=row[0] in bound) for row in silent),
            key=lambda a: (-a.open_count, fold(a.name), a.agency_id),
        )
        tz = self._ctx.tz
        difficulties = tuple(
            Difficulty(
                agency_id=r.agency_id,
                agency_name=r.name,
                task_code=r.code,
                notice_number=r.number,
                text="" if r.restricted else r.report,
                reported_on=r.created_at.astimezone(tz).date(),
                restricted=bool(r.restricted),
            )
            for r in reported
        )
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
            silent_agencies=tuple(silent_agencies),
            difficulties=difficulties,
            difficulties_count=difficulties_count,
            tasks=sum(task_counts.values()),
            unassigned_tasks=unassigned,
            league=_league(ranked),
        )

    async def table(self, *, at: date | None = None, notice_number: str | None = None) -> Rollup:
        """The roll-up's table alone: the cells per agency and per notice, the totals, the
        tasks and those given to no agency, by the same queries as `rollup` (so the same
        numbers), without the period's changes, lists and league (left empty). What the web
        pages that show only the Phụ lục's table read (/agencies, /notices, /notices/{id}):
        half the work of a whole roll-up at 100 times the seed."""
        today = at or self._ctx.today()
        period = self.default_period(today)
        async with self._ctx.uow() as uow:
            notices = await _resolve_notice(uow, notice_number)
            if notices is not None and not notices:
                return _empty(today, period, notice_number, None)
            notice_ids = [notice_id for notice_id, _ in notices] if notices is not None else None
            scope = Scope(notice_ids, None)
            grouped = await queries.grouped_counts(uow, today=today, scope=scope)
            task_counts = await queries.task_counts(uow, scope=scope)
            unassigned = await queries.unassigned_tasks(uow, notice_ids=notice_ids)
            notice_meta = await notice_repo.by_ids(uow, notice_ids={n for _, _, n, _ in grouped})
        agencies, notice_rows, overall = _assemble(grouped, notice_meta, task_counts)
        return replace(
            _empty(today, period, notices[0][1] if notices else None, None),
            overall=overall,
            agencies=agencies,
            notices=notice_rows,
            unknown_notice=False,
            tasks=sum(task_counts.values()),
            unassigned_tasks=unassigned,
        )

    async def task_rows(
        self,
        *,
        at: date | None = None,
        notice_number: str | None = None,
        agency_id: int | None = None,
    ) -> tuple[TaskRow, ...]:
        """Every live task with its agencies, status and latest report, for the export.

        Read `NOTICES_PER_READ` notices at a time, each batch in a unit of work of its own
        (tasks ⨝ assignments ⨝ agencies, then the latest report per assignment), yielding
        between batches: on SQLite the statements run on the loop's thread and a unit of work
        holds the engine's turn, so the whole read in one piece (0.7 s at 100x) held every
        chat's answer (bench/README.md, finding P). Batches follow the notices' order, so the
        rows are in the one-piece read's order; a task's rows are all in its notice's batch.
        """
        today = at or self._ctx.today()
        async with self._ctx.uow() as uow:
            notices = await _resolve_notice(uow, notice_number)
            if notices is not None and not notices:
                return ()
            notice_ids = [notice_id for notice_id, _ in notices] if notices is not None else None
            calendar = await load_calendar(uow, today=today)
            ordered = await export_queries.notices_in_order(uow, notice_ids=notice_ids)
        rows: list[export_queries.TaskAssignmentRow] = []
        latest: dict[int, tuple[datetime, str]] = {}
        for start in range(0, len(ordered), NOTICES_PER_READ):
            await asyncio.sleep(0)  # the loop's turn between batches
            scope = Scope(ordered[start : start + NOTICES_PER_READ], agency_id)
            async with self._ctx.uow() as uow:
                rows += await export_queries.task_assignment_rows(uow, scope=scope)
                latest.update(await export_queries.latest_reports(uow, scope=scope))
        # 10,000 rows at 100x, ~0.45 s of pure Python: in a thread, so the loop keeps its turns.
        return await asyncio.to_thread(
            build_task_rows,
            rows,
            latest,
            today=today,
            calendar=calendar,
            agency_id=agency_id,
            tz=self._ctx.tz,
        )

    def _start_of(self, day: date, plus_days: int = 0) -> datetime:
        """The UTC instant of local midnight opening `day` (+ `plus_days`)."""
        local = datetime.combine(day + timedelta(days=plus_days), time(0), tzinfo=self._ctx.tz)
        return local.astimezone(UTC)

    def _window(self, period: Period) -> Window:
        """The period as UTC instants [first day 00:00, day after the last 00:00), local."""
        return Window(self._start_of(period.start), self._start_of(period.end, 1))


async def _resolve_notice(uow: UnitOfWork, number: str | None) -> list[tuple[int, str]] | None:
    """(id, number) of the notices with this number, typed loosely ("22/TB-BCĐ" ==
    "22-TB/BCD"); None = all."""
    if number is None or not number.strip():
        return None
    rows = await notice_repo.ids_and_numbers(uow)
    exact = [r for r in rows if r[1] == number.strip()]
    if exact:
        return exact
    wanted = _loose(number)
    return [r for r in rows if _loose(r[1]) == wanted]


def _loose(number: str) -> str:
    """A notice number folded and stripped of separators, for loose matching."""
    return "".join(ch for ch in fold(number) if ch.isalnum())


async def _changes(
    uow: UnitOfWork,
    scope: Scope,
    period: Period,
    updates: int,
    today: date,
    calendar: WorkCalendar,
) -> Changes:
    completed_by_status, completed = await queries.completed_between(
        uow, scope=scope, first_day=period.start, last_day=period.end
    )
    overdue_count, overdue = await queries.newly_overdue(
        uow, scope=scope, first_day=period.start, last_day=period.end, today=today
    )
    return Changes(
        updates=updates,
        completed_count=sum(completed_by_status.values()),
        completed=_items(completed, today, calendar),
        overdue_count=overdue_count,
        overdue=_items(overdue, today, calendar),
        confirmed_count=completed_by_status.get(AssignmentStatus.DONE.value, 0),
    )


def _items(
    rows: Sequence[ListedAssignment], today: date, calendar: WorkCalendar
) -> tuple[TaskItem, ...]:
    return tuple(_to_item(row, today=today, calendar=calendar) for row in rows)


def _to_item(row: ListedAssignment, *, today: date, calendar: WorkCalendar) -> TaskItem:
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


def _empty(today: date, period: Period, notice_number: str | None, agency_id: int | None) -> Rollup:
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


def _league(grouped: list[tuple[int, str, int, Counts]]) -> tuple[LeagueRow, ...]:
    by_agency: dict[int, Counts] = defaultdict(Counts)
    names: dict[int, str] = {}
    for agency_id, name, _notice_id, counts in grouped:
        by_agency[agency_id] += counts
        names[agency_id] = name
    return league((a, names[a], c) for a, c in by_agency.items())


def _assemble(
    grouped: list[tuple[int, str, int, Counts]],
    notices: dict[int, Notice],
    task_counts: dict[int, int],
) -> tuple[tuple[AgencyRow, ...], tuple[NoticeRow, ...], Counts]:
    """Per (agency, notice) counts -> per agency, per notice and overall (rows add up)."""
    agency_rows: dict[int, list[Counts]] = defaultdict(list)
    names: dict[int, str] = {}
    notice_rows_of: dict[int, list[Counts]] = defaultdict(list)
    for agency_id, name, notice_id, counts in grouped:
        agency_rows[agency_id].append(counts)
        names[agency_id] = name
        notice_rows_of[notice_id].append(counts)
    by_agency = {a: add_up(rows) for a, rows in agency_rows.items()}
    by_notice = {n: add_up(rows) for n, rows in notice_rows_of.items()}
    overall = add_up(by_agency.values())
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
            tasks=task_counts.get(n, 0),
        )
        for n, c in by_notice.items()
    ]
    notice_rows.sort(key=lambda r: (r.issued_on or date.min, r.number, r.notice_id))
    return tuple(agencies), tuple(notice_rows), overall
