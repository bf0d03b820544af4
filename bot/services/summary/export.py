"""The export's task list for the Excel appendix's per-notice sheets: one row per live task
and lead agency (a task shared by several leads shows each lead's own state), with the
coordinating agencies and that lead's latest report. A task with no lead gets a row per
agency it was given to (filtered to one agency: that agency's row); a task with none, one
row that says so."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkCalendar
from bot.domain.rollup import AssignmentFacts, classify
from bot.domain.types import AssignmentStatus
from bot.services.summary.model import TaskRow
from storage.repositories.summary_export import TaskAssignmentRow


def build_task_rows(
    rows: Sequence[TaskAssignmentRow],
    latest: dict[int, tuple[datetime, str]],
    *,
    today: date,
    calendar: WorkCalendar,
    agency_id: int | None,
    tz: ZoneInfo,
) -> tuple[TaskRow, ...]:
    """Rows of (task, assignment) in task order -> one TaskRow per task and lead agency."""
    by_task: dict[int, list[TaskAssignmentRow]] = defaultdict(list)
    for row in rows:
        by_task[row.task_id].append(row)
    return tuple(
        row
        for group in by_task.values()
        for row in _task_rows(group, latest, today, calendar, agency_id, tz)
    )


def _task_rows(
    group: list[TaskAssignmentRow],
    latest: dict[int, tuple[datetime, str]],
    today: date,
    calendar: WorkCalendar,
    agency_id: int | None,
    tz: ZoneInfo,
) -> list[TaskRow]:
    assigned = [r for r in group if r.assignment_id is not None]
    if not assigned:
        return [_task_row(group[0], None, (), latest, today, calendar, tz)]
    coordinating = tuple(r.agency_name or "" for r in assigned if r.role != "lead")
    return [
        _task_row(group[0], row, coordinating, latest, today, calendar, tz)
        for row in _judged_rows(assigned, agency_id)
    ]


def _judged_rows(
    assigned: list[TaskAssignmentRow], agency_id: int | None
) -> list[TaskAssignmentRow]:
    """The assignments that get a row: the filtered agency's, else each lead's, else all."""
    if agency_id is not None:
        mine = [r for r in assigned if r.agency_id == agency_id]
        if mine:
            return mine[:1]
    return [r for r in assigned if r.role == "lead"] or assigned


def _task_row(
    first: TaskAssignmentRow,
    primary: TaskAssignmentRow | None,
    coordinating: tuple[str, ...],
    latest: dict[int, tuple[datetime, str]],
    today: date,
    calendar: WorkCalendar,
    tz: ZoneInfo,
) -> TaskRow:
    judged = None
    last_on: date | None = None
    last_text = ""
    if primary is not None:
        judged = classify(_facts(primary), today=today, calendar=calendar)
        if primary.assignment_id in latest:
            moment, last_text = latest[primary.assignment_id]
            last_on = moment.astimezone(tz).date()
    lead = (primary.agency_name or "",) if primary is not None else ()
    return TaskRow(
        notice_id=first.notice_id,
        notice_number=first.number,
        notice_issued_on=first.issued_on,
        task_id=first.task_id,
        code=first.code,
        text=first.text,
        restricted=bool(first.restricted),
        leads=lead,
        coordinating=tuple(c for c in coordinating if c not in lead),
        deadline=_facts(first).deadline,
        original_deadline=first.deadline_end,
        deadline_phrase=first.deadline_phrase,
        category=judged.category if judged else None,
        awaiting_confirmation=bool(judged and judged.awaiting_confirmation),
        overdue=bool(judged and judged.overdue),
        late_working_days=judged.late_working_days if judged else 0,
        returned=bool(judged and judged.returned),
        percent=primary.percent if primary is not None else None,
        last_update_on=last_on,
        last_report=last_text,
    )


def _facts(row: TaskAssignmentRow) -> AssignmentFacts:
    return AssignmentFacts(
        assignment_id=row.assignment_id or 0,
        agency_id=row.agency_id or 0,
        agency_name=row.agency_name or "",
        notice_id=row.notice_id,
        status=AssignmentStatus(row.status or AssignmentStatus.NOT_STARTED),
        percent=row.percent,
        original_deadline_end=row.deadline_end,
        adjusted_deadline_end=row.adjusted_deadline_end,
        extension_approved=bool(row.extension_approved),
        completed_on=row.completed_on,
        has_update=row.last_update_at is not None,
    )
