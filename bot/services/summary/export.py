"""The export's task list: one row per live task, judged on its lead (or the filtered agency),
with its agencies and latest report, for the Excel appendix's per-notice sheets."""

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
    """Rows of (task, assignment) in task order -> one TaskRow per task."""
    by_task: dict[int, list[TaskAssignmentRow]] = defaultdict(list)
    for row in rows:
        by_task[row.task_id].append(row)
    return tuple(
        _task_row(group, latest, today, calendar, agency_id, tz) for group in by_task.values()
    )


def _task_row(
    group: list[TaskAssignmentRow],
    latest: dict[int, tuple[datetime, str]],
    today: date,
    calendar: WorkCalendar,
    agency_id: int | None,
    tz: ZoneInfo,
) -> TaskRow:
    first = group[0]
    assigned = [r for r in group if r.assignment_id is not None]
    leads = tuple(r.agency_name or "" for r in assigned if r.role == "lead")
    coordinating = tuple(r.agency_name or "" for r in assigned if r.role != "lead")
    primary = _primary(assigned, agency_id)
    judged = None
    if primary is not None:
        judged = classify(_facts(primary), today=today, calendar=calendar)
    reports = [
        (latest[r.assignment_id], r.agency_name)
        for r in assigned
        if r.assignment_id is not None and r.assignment_id in latest
    ]
    last_on: date | None = None
    last_text = ""
    if reports:
        (moment, text), agency_name = max(reports, key=lambda item: item[0][0])
        last_on = moment.astimezone(tz).date()
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


def _primary(assigned: list[TaskAssignmentRow], agency_id: int | None) -> TaskAssignmentRow | None:
    """The assignment a task's status is read from: the filtered agency's, else the lead's."""
    if agency_id is not None:
        mine = [r for r in assigned if r.agency_id == agency_id]
        if mine:
            return mine[0]
    leads = [r for r in assigned if r.role == "lead"]
    candidates = leads or assigned
    return candidates[0] if candidates else None


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
