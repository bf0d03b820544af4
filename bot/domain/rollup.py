"""The roll-up model (tổng hợp): every assignment in exactly one cell of a partition.

Each live assignment has, on a given day, a *status* (Đã hoàn thành, Chờ xác nhận, Đang thực
hiện, Chưa thực hiện) and a *timing* (trong hạn, sắp đến hạn, quá hạn, không thời hạn). The
report's columns are the cells of that grid the office uses (`Category`, eleven of them):
seven for assignments with a deadline, four for those without, so a task without deadline
still shows whether it is done, awaited, under way or not started. Every total, in every
message, file and JSON, is the sum of its cells (`Counts.total == sum(Counts.cells())`), and
the rates say their base in words (docs/rollup.md explains each cell and rate).

Rules (and why):

* The deadline that counts is the adjusted one only once the extension was approved; a
  requested-but-not-approved extension changes nothing.
* Lateness is by calendar date (completed after the deadline date = late), as the office
  counts it; `late_working_days` is the working-day measure shown beside it and can be 0
  when a deadline fell on a day off.
* Done is judged on `completed_on`, the day the agency reported completion, not the day the
  office confirmed it: the office's delay must not make an agency late. A done assignment
  with no completion date gets the benefit of the doubt (on time).
* Awaiting confirmation is its own cell (the ball is in the office's court): never overdue.
* The status alone says "not started" (an acknowledgement keeps it; any report of work, a
  note included, moves it to in progress); blocked counts as in progress, and so does a
  completion the office returned (thực hiện lại: the work goes on), its difficulty
  quoted beside the figures; a difficulty stated beside done or a figure is quoted too and
  changes no cell.
* Overdue = open (not started or in progress) and the deadline that counts before today.
* Cancelled assignments are left out (classify returns None).
"""

from __future__ import annotations

import operator
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


class State(StrEnum):
    """The first dimension: where the work stands."""

    DONE = "done"
    AWAITING = "awaiting"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


class Timing(StrEnum):
    """The second dimension: where it stands against its deadline."""

    ON_TIME = "on_time"  # done by the deadline, or open and the deadline not passed
    DUE_SOON = "due_soon"  # open, the deadline within DUE_SOON_DAYS (a kind of on time)
    OVERDUE = "overdue"  # done after the deadline, or open and the deadline passed
    NO_DEADLINE = "no_deadline"


class Category(StrEnum):
    """The partition: exactly one per live assignment; the report's columns, in order."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    AWAITING = "awaiting"
    IN_PROGRESS_ON_TIME = "in_progress_on_time"
    IN_PROGRESS_OVERDUE = "in_progress_overdue"
    NOT_STARTED_NOT_DUE = "not_started_not_due"
    NOT_STARTED_OVERDUE = "not_started_overdue"
    DONE_NO_DEADLINE = "done_no_deadline"
    AWAITING_NO_DEADLINE = "awaiting_no_deadline"
    IN_PROGRESS_NO_DEADLINE = "in_progress_no_deadline"
    NOT_STARTED_NO_DEADLINE = "not_started_no_deadline"


WITH_DEADLINE = (
    Category.DONE_ON_TIME,
    Category.DONE_LATE,
    Category.AWAITING,
    Category.IN_PROGRESS_ON_TIME,
    Category.IN_PROGRESS_OVERDUE,
    Category.NOT_STARTED_NOT_DUE,
    Category.NOT_STARTED_OVERDUE,
)
WITHOUT_DEADLINE = (
    Category.DONE_NO_DEADLINE,
    Category.AWAITING_NO_DEADLINE,
    Category.IN_PROGRESS_NO_DEADLINE,
    Category.NOT_STARTED_NO_DEADLINE,
)
OVERDUE_CELLS = (Category.IN_PROGRESS_OVERDUE, Category.NOT_STARTED_OVERDUE)
STATE_OF: Mapping[Category, State] = {
    Category.DONE_ON_TIME: State.DONE,
    Category.DONE_LATE: State.DONE,
    Category.DONE_NO_DEADLINE: State.DONE,
    Category.AWAITING: State.AWAITING,
    Category.AWAITING_NO_DEADLINE: State.AWAITING,
    Category.IN_PROGRESS_ON_TIME: State.IN_PROGRESS,
    Category.IN_PROGRESS_OVERDUE: State.IN_PROGRESS,
    Category.IN_PROGRESS_NO_DEADLINE: State.IN_PROGRESS,
    Category.NOT_STARTED_NOT_DUE: State.NOT_STARTED,
    Category.NOT_STARTED_OVERDUE: State.NOT_STARTED,
    Category.NOT_STARTED_NO_DEADLINE: State.NOT_STARTED,
}


class Flag(StrEnum):
    """Cut across the cells (a sum of cells, or a subset of one: never added to them)."""

    DUE_SOON = "due_soon"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    OVERDUE = "overdue"


# The cells' names, in the office's words (the text catalogue's summary keys reuse them).
CATEGORY_LABELS_VI: Mapping[Category | Flag, str] = {
    Category.DONE_ON_TIME: "Đã hoàn thành đúng hạn",
    Category.DONE_LATE: "Đã hoàn thành quá hạn",
    Category.AWAITING: "Chờ xác nhận (có thời hạn)",
    Category.IN_PROGRESS_ON_TIME: "Đang thực hiện trong hạn",
    Category.IN_PROGRESS_OVERDUE: "Đang thực hiện quá hạn",
    Category.NOT_STARTED_NOT_DUE: "Chưa thực hiện, chưa đến hạn",
    Category.NOT_STARTED_OVERDUE: "Chưa thực hiện, đã quá hạn",
    Category.DONE_NO_DEADLINE: "Không thời hạn: đã hoàn thành",
    Category.AWAITING_NO_DEADLINE: "Không thời hạn: chờ xác nhận",
    Category.IN_PROGRESS_NO_DEADLINE: "Không thời hạn: đang thực hiện",
    Category.NOT_STARTED_NO_DEADLINE: "Không thời hạn: chưa thực hiện",
    Flag.DUE_SOON: "Sắp đến hạn",
    Flag.AWAITING_CONFIRMATION: "Chờ xác nhận",
    Flag.OVERDUE: "Quá hạn",
}

CATEGORY_LABELS_EN: Mapping[Category | Flag, str] = {
    Category.DONE_ON_TIME: "Done on time",
    Category.DONE_LATE: "Done late",
    Category.AWAITING: "Awaiting confirmation (with deadline)",
    Category.IN_PROGRESS_ON_TIME: "In progress, on time",
    Category.IN_PROGRESS_OVERDUE: "In progress, overdue",
    Category.NOT_STARTED_NOT_DUE: "Not started, not yet due",
    Category.NOT_STARTED_OVERDUE: "Not started, overdue",
    Category.DONE_NO_DEADLINE: "No deadline: done",
    Category.AWAITING_NO_DEADLINE: "No deadline: awaiting confirmation",
    Category.IN_PROGRESS_NO_DEADLINE: "No deadline: in progress",
    Category.NOT_STARTED_NO_DEADLINE: "No deadline: not started",
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
    timing: Timing = Timing.NO_DEADLINE
    returned: bool = False  # in progress again: the office returned the completion

    @property
    def state(self) -> State:
        return STATE_OF[self.category]


def state_of(status: AssignmentStatus) -> State | None:
    """The report's state of a stored status; None for a cancelled assignment."""
    return _STATES.get(status)


_STATES: Mapping[AssignmentStatus, State] = {
    AssignmentStatus.DONE: State.DONE,
    AssignmentStatus.AWAITING_CONFIRMATION: State.AWAITING,
    AssignmentStatus.IN_PROGRESS: State.IN_PROGRESS,
    AssignmentStatus.BLOCKED: State.IN_PROGRESS,
    AssignmentStatus.RETURNED: State.IN_PROGRESS,  # thực hiện lại: under way again
    AssignmentStatus.NOT_STARTED: State.NOT_STARTED,
}

_NO_DEADLINE_CELL: Mapping[State, Category] = {
    State.DONE: Category.DONE_NO_DEADLINE,
    State.AWAITING: Category.AWAITING_NO_DEADLINE,
    State.IN_PROGRESS: Category.IN_PROGRESS_NO_DEADLINE,
    State.NOT_STARTED: Category.NOT_STARTED_NO_DEADLINE,
}


def classify(
    facts: AssignmentFacts, *, today: date, calendar: WorkCalendar
) -> Classification | None:
    """The cell and flags of one assignment on `today`; None for cancelled ones."""
    state = state_of(facts.status)
    if state is None:
        return None
    deadline = facts.deadline
    awaiting = state is State.AWAITING
    returned = facts.status == AssignmentStatus.RETURNED
    if deadline is None:
        return Classification(
            _NO_DEADLINE_CELL[state], False, awaiting, 0, False, returned=returned
        )
    is_open = facts.status in OPEN_STATUSES
    # The day lateness is measured on: completion (claimed or confirmed) or, if open, today.
    measured_on = today if is_open else (facts.completed_on or min(today, deadline))
    late = measured_on > deadline
    due_soon = is_open and 0 <= (deadline - today).days <= DUE_SOON_DAYS
    timing = Timing.OVERDUE if late else Timing.DUE_SOON if due_soon else Timing.ON_TIME
    return Classification(
        category=_cell(state, late),
        due_soon=due_soon,
        awaiting_confirmation=awaiting,
        late_working_days=max(0, calendar.working_days_between(deadline, measured_on)),
        overdue=is_overdue(facts.status, deadline, today),
        timing=timing,
        returned=returned,
    )


def _cell(state: State, late: bool) -> Category:
    if state is State.DONE:
        return Category.DONE_LATE if late else Category.DONE_ON_TIME
    if state is State.AWAITING:
        return Category.AWAITING
    if state is State.NOT_STARTED:
        return Category.NOT_STARTED_OVERDUE if late else Category.NOT_STARTED_NOT_DUE
    return Category.IN_PROGRESS_OVERDUE if late else Category.IN_PROGRESS_ON_TIME


@dataclass(frozen=True, slots=True)
class Rate:
    """A share with its parts, so every rate can be shown as "x% (a/b …)"."""

    numerator: int
    base: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.base if self.base > 0 else None


@dataclass(frozen=True, slots=True)
class Counts:
    """One row of the appendix (or the total row: rows add up with `+`). Counts assignments
    (lượt giao); `total` is the sum of the eleven cells, `due_soon` and `returned` subsets
    beside them (never added to them)."""

    total: int = 0
    done_on_time: int = 0
    done_late: int = 0
    awaiting: int = 0
    in_progress_on_time: int = 0
    in_progress_overdue: int = 0
    not_started_not_due: int = 0
    not_started_overdue: int = 0
    done_no_deadline: int = 0
    awaiting_no_deadline: int = 0
    in_progress_no_deadline: int = 0
    not_started_no_deadline: int = 0
    due_soon: int = 0
    returned: int = 0  # thực hiện lại: a part of the in-progress cells, beside them

    def __add__(self, other: Counts) -> Counts:
        # attrgetter over the field names, looked up once: the roll-up adds ~8,000 rows at
        # 100 times the seed, and `fields()` + getattr per add was a quarter of the overview.
        return Counts(*map(operator.add, _COUNT_VALUES(self), _COUNT_VALUES(other)))

    def cell(self, category: Category) -> int:
        return int(getattr(self, category.value))

    def cells(self) -> dict[str, int]:
        """The partition as {cell: count}: its values sum to `total`."""
        return {c.value: self.cell(c) for c in Category}

    def state(self, state: State) -> int:
        return sum(self.cell(c) for c, s in STATE_OF.items() if s is state)

    @property
    def with_deadline(self) -> int:
        return sum(self.cell(c) for c in WITH_DEADLINE)

    @property
    def no_deadline(self) -> int:
        return sum(self.cell(c) for c in WITHOUT_DEADLINE)

    @property
    def done(self) -> int:
        return self.state(State.DONE)

    @property
    def awaiting_confirmation(self) -> int:
        return self.state(State.AWAITING)

    @property
    def in_progress(self) -> int:
        return self.state(State.IN_PROGRESS)

    @property
    def not_started(self) -> int:
        return self.state(State.NOT_STARTED)

    @property
    def overdue(self) -> int:
        """Open past the deadline: in progress overdue + not started overdue."""
        return self.in_progress_overdue + self.not_started_overdue

    @property
    def on_time(self) -> Rate:
        """Tỷ lệ hoàn thành đúng hạn: done on time among the assignments with a deadline whose
        outcome is known, i.e. done (on time or late) or overdue. An assignment not yet due
        or awaiting confirmation is in neither part."""
        base = self.done_on_time + self.done_late + self.overdue
        return Rate(self.done_on_time, base)

    @property
    def completion(self) -> Rate:
        """Tỷ lệ hoàn thành: done (confirmed, with or without deadline) among all assignments."""
        return Rate(self.done, self.total)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time.value

    @property
    def completion_rate(self) -> float | None:
        return self.completion.value


_COUNT_VALUES = operator.attrgetter(*(f.name for f in fields(Counts)))


def add_up(rows: Iterable[Counts]) -> Counts:
    """The sum of many rows, built once (not one frozen Counts per `+`): the same figures as
    `sum(rows, Counts())`, several times faster over the ~8,000 rows of a roll-up at 100x."""
    return Counts(*map(sum, zip(*map(_COUNT_VALUES, rows), strict=True)))


def summarize(classifications: Iterable[Classification | None]) -> Counts:
    """Count one group's classifications (None, i.e. cancelled, is skipped)."""
    tally: dict[str, int] = defaultdict(int)
    for c in classifications:
        if c is None:
            continue
        tally["total"] += 1
        tally[c.category.value] += 1
        tally["due_soon"] += c.due_soon
        tally["returned"] += c.returned
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


def grace_cutoff(today: date, grace_days: int, calendar: WorkCalendar) -> date:
    """The last day an assignment may have been given and still be owed a report on `today`:
    one given later is younger than `grace_days` working days (REPORT_GRACE_DAYS), so it is
    not listed as "chưa cập nhật" and no summary scolds its agency for it."""
    return calendar.add_working_days(today, -grace_days)


def week_bounds(today: date, *, week_ends_on: int = 4) -> tuple[date, date]:
    """The reporting week containing `today`: seven days ending on the next `week_ends_on`
    weekday (Friday by default), today included, so a Friday summary covers Saturday..Friday."""
    if not 0 <= week_ends_on <= 6:
        raise ValueError("week_ends_on is a date.weekday() number 0..6")
    end = today + timedelta(days=(week_ends_on - today.weekday()) % 7)
    return end - timedelta(days=6), end
