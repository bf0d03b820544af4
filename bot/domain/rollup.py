"""Assignments -> the official summary categories (the Phụ lục columns) and their counts.

Rules (and why):

* The deadline that counts is the adjusted one only when the extension was approved; a
  requested-but-not-approved extension changes nothing.
* Lateness is by calendar date (completed after the deadline date = late), as the office
  counts it; `late_working_days` is the working-day measure shown beside it and can be 0
  when a deadline fell on a day off.
* Done is judged on `completed_on`, the day the agency reported completion, not the day the
  office confirmed it: the office's delay must not make an agency late. A done assignment
  with no completion date gets the benefit of the doubt (on time).
* Awaiting confirmation counts as in progress (the office has not accepted it yet), judged
  against the claimed completion date when known, and is flagged separately. It is not
  "overdue": the ball is in the office's court.
* Not started (no update at all, status not_started) wins over in-progress-on-time/late, but
  still carries its lateness and the `overdue` flag for the "quá hạn" filters.
* No deadline: `no_deadline` unless done (then done on time); it is never overdue or due soon.
* Cancelled assignments are left out (classify returns None).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

from bot.domain.calendar import WorkCalendar
from bot.domain.types import (
    OPEN_STATUSES,
    AssignmentStatus,
    effective_deadline_end,
    is_overdue,
)

DUE_SOON_DAYS = 7

K = TypeVar("K", bound=Hashable)


class Category(StrEnum):
    """Exactly one per (non-cancelled) assignment; the report's columns."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS_ON_TIME = "in_progress_on_time"
    IN_PROGRESS_LATE = "in_progress_late"
    NOT_STARTED = "not_started"
    NO_DEADLINE = "no_deadline"


class Flag(StrEnum):
    """Cut across the categories (an assignment may have several)."""

    DUE_SOON = "due_soon"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    OVERDUE = "overdue"


# One dict per language until the text catalogue takes them over.
CATEGORY_LABELS_VI: Mapping[Category | Flag, str] = {
    Category.DONE_ON_TIME: "Đã hoàn thành đúng hạn",
    Category.DONE_LATE: "Đã hoàn thành quá hạn",
    Category.IN_PROGRESS_ON_TIME: "Đang thực hiện trong hạn",
    Category.IN_PROGRESS_LATE: "Đang thực hiện quá hạn",
    Category.NOT_STARTED: "Chưa thực hiện",
    Category.NO_DEADLINE: "Không thời hạn",
    Flag.DUE_SOON: "Sắp đến hạn",
    Flag.AWAITING_CONFIRMATION: "Chờ xác nhận",
    Flag.OVERDUE: "Quá hạn",
}

CATEGORY_LABELS_EN: Mapping[Category | Flag, str] = {
    Category.DONE_ON_TIME: "Done on time",
    Category.DONE_LATE: "Done late",
    Category.IN_PROGRESS_ON_TIME: "In progress, on time",
    Category.IN_PROGRESS_LATE: "In progress, past the deadline",
    Category.NOT_STARTED: "Not started",
    Category.NO_DEADLINE: "No deadline",
    Flag.DUE_SOON: "Due soon",
    Flag.AWAITING_CONFIRMATION: "Awaiting confirmation",
    Flag.OVERDUE: "Overdue",
}


@dataclass(frozen=True, slots=True)
class AssignmentFacts:
    """What the summary needs about one assignment, read by the service."""

    assignment_id: int
    agency_id: int
    agency_name: str
    notice_id: int
    status: AssignmentStatus
    percent: int | None
    original_deadline_end: date | None
    adjusted_deadline_end: date | None
    extension_approved: bool
    completed_on: date | None
    has_update: bool

    @property
    def deadline(self) -> date | None:
        """The deadline that counts: the extension only once approved (and if it has a date)."""
        return effective_deadline_end(
            self.original_deadline_end, self.adjusted_deadline_end, self.extension_approved
        )


@dataclass(frozen=True, slots=True)
class Classification:
    category: Category
    due_soon: bool
    awaiting_confirmation: bool
    late_working_days: int
    overdue: bool


def classify(
    facts: AssignmentFacts, *, today: date, calendar: WorkCalendar
) -> Classification | None:
    """The category and flags of one assignment on `today`; None for cancelled ones."""
    status = facts.status
    if status == AssignmentStatus.CANCELLED:
        return None
    deadline = facts.deadline
    awaiting = status == AssignmentStatus.AWAITING_CONFIRMATION
    if deadline is None:
        category = (
            Category.DONE_ON_TIME if status == AssignmentStatus.DONE else Category.NO_DEADLINE
        )
        return Classification(category, False, awaiting, 0, False)

    is_open = status in OPEN_STATUSES
    # The day lateness is measured on: completion (claimed or confirmed) or, if open, today.
    measured_on = today if is_open else (facts.completed_on or min(today, deadline))
    late = measured_on > deadline
    late_days = max(0, calendar.working_days_between(deadline, measured_on))
    return Classification(
        category=_category(facts, late),
        due_soon=is_open and 0 <= (deadline - today).days <= DUE_SOON_DAYS,
        awaiting_confirmation=awaiting,
        late_working_days=late_days,
        overdue=is_overdue(status, deadline, today),
    )


def _category(facts: AssignmentFacts, late: bool) -> Category:
    if facts.status == AssignmentStatus.DONE:
        return Category.DONE_LATE if late else Category.DONE_ON_TIME
    if facts.status == AssignmentStatus.NOT_STARTED and not facts.has_update:
        return Category.NOT_STARTED
    return Category.IN_PROGRESS_LATE if late else Category.IN_PROGRESS_ON_TIME


@dataclass(frozen=True, slots=True)
class Counts:
    """One row of the appendix (or the total row: rows add up with `+`)."""

    total: int = 0
    done_on_time: int = 0
    done_late: int = 0
    in_progress_on_time: int = 0
    in_progress_late: int = 0
    not_started: int = 0
    no_deadline: int = 0
    due_soon: int = 0
    awaiting_confirmation: int = 0
    overdue: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def on_time_rate(self) -> float | None:
        """Done on time among the assignments that have a deadline; None when there are none."""
        with_deadline = self.total - self.no_deadline
        return self.done_on_time / with_deadline if with_deadline > 0 else None

    @property
    def completion_rate(self) -> float | None:
        return (self.done_on_time + self.done_late) / self.total if self.total else None


def summarize(classifications: Iterable[Classification | None]) -> Counts:
    """Count one group's classifications (None, i.e. cancelled, is skipped)."""
    tally: dict[str, int] = defaultdict(int)
    for c in classifications:
        if c is None:
            continue
        tally["total"] += 1
        tally[c.category.value] += 1
        tally["due_soon"] += c.due_soon
        tally["awaiting_confirmation"] += c.awaiting_confirmation
        tally["overdue"] += c.overdue
    return Counts(**tally)


def summarize_by(
    facts: Iterable[AssignmentFacts],
    *,
    key: Callable[[AssignmentFacts], K],
    today: date,
    calendar: WorkCalendar,
) -> dict[K, Counts]:
    """Counts per group (e.g. `key=lambda f: f.agency_id` for the appendix); groups that only
    hold cancelled assignments are left out."""
    groups: dict[K, list[Classification]] = defaultdict(list)
    for f in facts:
        c = classify(f, today=today, calendar=calendar)
        if c is not None:
            groups[key(f)].append(c)
    return {k: summarize(cs) for k, cs in groups.items()}


def week_bounds(today: date, *, week_ends_on: int = 4) -> tuple[date, date]:
    """The reporting week containing `today`: seven days ending on the next `week_ends_on`
    weekday (Friday by default), today included, so a Friday summary covers Saturday..Friday."""
    if not 0 <= week_ends_on <= 6:
        raise ValueError("week_ends_on is a date.weekday() number 0..6")
    end = today + timedelta(days=(week_ends_on - today.weekday()) % 7)
    return end - timedelta(days=6), end
