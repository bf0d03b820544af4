"""The roll-up's results (tổng hợp): frozen dataclasses that handlers, reports and the CLI
read; they never see storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain.league import LeagueRow
from bot.domain.periods import Period
from bot.domain.rollup import Category, Counts
from bot.domain.text import fold


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
    tasks: int = 0  # distinct tasks (nhiệm vụ); `counts` counts assignments (lượt giao)


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
    """An agency with open tasks that sent no report in the period. `bound` False: it has no
    group bound yet (issue 21), so it could not report; the summary names it apart."""

    agency_id: int
    name: str
    open_count: int
    bound: bool = True


@dataclass(frozen=True, slots=True)
class Changes:
    """The period's news. Lists are capped (storage.repositories.summary.LIST_LIMIT); the
    counts are exact."""

    updates: int
    completed_count: int  # assignments reported done: confirmed + awaiting confirmation
    completed: tuple[TaskItem, ...]
    overdue_count: int
    overdue: tuple[TaskItem, ...]
    confirmed_count: int = 0  # of completed_count, those the office confirmed (done)
    new_count: int = 0  # assignments given in the period (a notice imported, a task added)
    new_today: int = 0  # of which given on the roll-up's day

    @property
    def awaiting_count(self) -> int:
        return self.completed_count - self.confirmed_count


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
    tasks: int = 0  # distinct tasks (nhiệm vụ) in scope; `overall.total` counts assignments
    # Live tasks of the notices in scope given to no agency: in no cell, counted beside them.
    unassigned_tasks: int = 0
    # Agencies ranked by on-time completion of what fell due in the period (not for a week).
    league: tuple[LeagueRow, ...] = ()

    @property
    def agency_name(self) -> str | None:
        """The agency's name in a one-agency roll-up."""
        if self.agency_id is None:
            return None
        return next((a.name for a in self.agencies if a.agency_id == self.agency_id), None)


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One row of the Excel per-notice sheet: a task and one lead agency (`leads` holds that
    one agency, or none when the task has no live assignment), judged on that agency."""

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
    overdue: bool = False
    late_working_days: int = 0
    returned: bool = False  # the office returned its completion: thực hiện lại


def empty_changes() -> Changes:
    return Changes(0, 0, (), 0, ())


def worst_first(row: AgencyRow) -> tuple[Any, ...]:
    """Most overdue first (not started before in progress), then most done late, lowest
    on-time rate, most not started."""
    c = row.counts
    rate = c.on_time_rate if c.on_time_rate is not None else 1.0
    return (
        -c.overdue,
        -c.not_started_overdue,
        -c.done_late,
        rate,
        -c.not_started,
        fold(row.name),
        row.agency_id,
    )
