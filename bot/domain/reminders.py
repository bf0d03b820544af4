"""Which reminders (nhắc việc, đôn đốc) and escalations (nhắc nhở) are due today.

The service sweeps every minute and claims each `(assignment_id, kind, due_on)` under a UNIQUE
constraint, so this module answers one question only: what belongs to *today*. A sweep run late
the same day still finds today's reminders; a second sweep finds the same ones and sends nothing.
Nothing is back-dated: a day the bot was down is not caught up (a stale "7 days left" is noise).

Policy choices (see `ReminderPolicy` for the numbers):

* Nothing is sent on a day off, and nothing for done, cancelled or awaiting-confirmation
  assignments (the office has the ball).
* Nothing is sent on or before the day of assignment: the assignment message carries the
  deadline, and a task imported late does not get back-dated reminders.
* `before_N` is N working days before the deadline, so it always falls on a working day; a
  deadline on a day off is announced ("due today") on the working day before it.
* One agency-facing reminder per assignment per day, the most urgent (`urgency_key`);
  escalations go to other people and may coexist with it.
* Overdue reminders: on the 1st working day after the deadline, then every `overdue_every`
  working days. A progress update made *after* the deadline restarts the count: the next
  "please report" comes `overdue_every` working days after that update (the anchor is
  max(deadline, last update); an update on or before the deadline day does not delay the
  first overdue notice, because the agency has not yet been told it is late).
* Escalation to the office follows the overdue reminders' days (so an update postpones it
  too), from the `escalate_office_from`-th overdue working day on. Escalation to the leaders
  happens once, on the `escalate_leaders_after`-th overdue working day, whatever the updates.
* A paused agency (paused_until, inclusive) gets nothing agency-facing; escalations to the
  office and leaders still happen, because pausing is the agency's choice, not the office's.
* Windows (từ … đến, tháng, quý, 6 tháng, năm): the end is the deadline; the start is
  announced on the first working day on or after it (Q1 2020 opens on 02/01/2020, since
  01/01 is a holiday), only if the window starts after the assignment date.
* No deadline (thường xuyên): a progress request every `no_deadline_every_days` calendar days
  from the later of assignment and last update; a request falling on a day off goes out on
  the working day before.
* Not acknowledged (tiếp nhận) and not reported on: one nudge `ack_nudge_after` working days
  after assignment. Deadline reminders keep coming anyway, each of which can be acknowledged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.calendar import WorkCalendar
from bot.domain.types import OPEN_STATUSES, AssignmentStatus, Deadline, DeadlineKind

WINDOW_KINDS = frozenset(
    {
        DeadlineKind.RANGE,
        DeadlineKind.MONTH,
        DeadlineKind.QUARTER,
        DeadlineKind.HALF_YEAR,
        DeadlineKind.YEAR,
    }
)


class ReminderKind(StrEnum):
    """The stored kind of a reminder; `before_N` names come from the policy (`before_kind`)."""

    BEFORE_7 = "before_7"
    BEFORE_3 = "before_3"
    BEFORE_1 = "before_1"
    DUE_TODAY = "due_today"
    WINDOW_START = "window_start"
    OVERDUE = "overdue"
    ESCALATE_OFFICE = "escalate_office"
    ESCALATE_LEADERS = "escalate_leaders"
    NO_DEADLINE = "no_deadline"
    ACK_NUDGE = "ack_nudge"


class Audience(StrEnum):
    """Who reads a reminder: the agency's chat, the office (VPĐP), or the leaders."""

    AGENCY = "agency"
    OFFICE = "office"
    LEADERS = "leaders"


_BEFORE_PREFIX = "before_"

# Lower is more urgent. `before_N` sits at one rank and is ordered by N inside it.
_RANK: dict[str, int] = {
    ReminderKind.ESCALATE_LEADERS: 0,
    ReminderKind.ESCALATE_OFFICE: 1,
    ReminderKind.OVERDUE: 2,
    ReminderKind.DUE_TODAY: 3,
    _BEFORE_PREFIX: 4,
    ReminderKind.WINDOW_START: 5,
    ReminderKind.ACK_NUDGE: 6,
    ReminderKind.NO_DEADLINE: 7,
}


def before_kind(n: int) -> ReminderKind | str:
    """`before_N` for a policy's N: the enum member when there is one, else the plain name
    (a policy with other days still gets stable, storable kinds)."""
    name = f"{_BEFORE_PREFIX}{n}"
    try:
        return ReminderKind(name)
    except ValueError:
        return name


def before_days_of(kind: str) -> int | None:
    """N for a `before_N` kind, else None."""
    if not kind.startswith(_BEFORE_PREFIX):
        return None
    suffix = kind.removeprefix(_BEFORE_PREFIX)
    return int(suffix) if suffix.isdigit() else None


def audience_of(kind: str) -> Audience:
    if kind == ReminderKind.ESCALATE_OFFICE:
        return Audience.OFFICE
    if kind == ReminderKind.ESCALATE_LEADERS:
        return Audience.LEADERS
    return Audience.AGENCY


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """The follow-up rhythm; `None` switches a step off."""

    before_days: tuple[int, ...] = (7, 3, 1)
    overdue_every: int = 3
    escalate_office_from: int | None = 1
    escalate_leaders_after: int | None = 10
    no_deadline_every_days: int | None = 14
    ack_nudge_after: int | None = 2
    announce_window_start: bool = True

    def __post_init__(self) -> None:
        if any(n < 1 for n in self.before_days) or len(set(self.before_days)) != len(
            self.before_days
        ):
            raise ValueError("before_days must be distinct positive working-day counts")
        if self.overdue_every < 1:
            raise ValueError("overdue_every must be at least 1 working day")
        for name in (
            "escalate_office_from",
            "escalate_leaders_after",
            "no_deadline_every_days",
            "ack_nudge_after",
        ):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be positive or None")


@dataclass(frozen=True, slots=True)
class AssignmentState:
    """What the policy needs to know about one open assignment (deadline = the effective one,
    i.e. the approved extension when there is one)."""

    assignment_id: int
    agency_id: int
    task_id: int
    status: AssignmentStatus
    deadline: Deadline
    assigned_on: date
    acknowledged: bool
    last_update_on: date | None = None
    paused_until: date | None = None


@dataclass(frozen=True, slots=True)
class DueReminder:
    """One reminder to claim and send. `due_on` is the send day (today); `overdue_working_days`
    is how late the assignment is today (0 when the deadline has not passed or there is none)."""

    assignment_id: int
    agency_id: int
    task_id: int
    kind: ReminderKind | str
    due_on: date
    overdue_working_days: int

    @property
    def audience(self) -> Audience:
        return audience_of(self.kind)


def urgency_key(reminder: DueReminder) -> tuple[int, int, int, int]:
    """Sort key, most urgent first: leaders > office > overdue (latest first) > due today >
    before_1 > before_3 > before_7 > window start > acknowledgement nudge > no-deadline request."""
    n = before_days_of(reminder.kind)
    if n is not None:
        rank, sub = _RANK[_BEFORE_PREFIX], n
    else:
        rank, sub = _RANK.get(reminder.kind, len(_RANK)), -reminder.overdue_working_days
    return (rank, sub, reminder.task_id, reminder.assignment_id)


def due_reminders(
    states: Iterable[AssignmentState],
    *,
    today: date,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
) -> list[DueReminder]:
    """The reminders whose send day is `today`, in input order, most urgent first per assignment."""
    if not calendar.is_working_day(today):
        return []
    due: list[DueReminder] = []
    for state in states:
        due.extend(_for_state(state, today, calendar, policy))
    return due


def group_digests(
    reminders: Iterable[DueReminder], *, audience: Audience = Audience.AGENCY
) -> dict[int, list[DueReminder]]:
    """One list per agency, most urgent first, so each chat gets one message a day.

    Only reminders for `audience` are kept: escalations must never land in the agency's chat.
    """
    groups: dict[int, list[DueReminder]] = defaultdict(list)
    for reminder in reminders:
        if reminder.audience == audience:
            groups[reminder.agency_id].append(reminder)
    return {agency: sorted(items, key=urgency_key) for agency, items in groups.items()}


# --- one assignment ------------------------------------------------------------------------


def _for_state(
    state: AssignmentState, today: date, calendar: WorkCalendar, policy: ReminderPolicy
) -> list[DueReminder]:
    if state.status not in OPEN_STATUSES or today <= state.assigned_on:
        return []
    end = state.deadline.end if state.deadline.kind != DeadlineKind.NONE else None
    overdue = max(0, calendar.working_days_between(end, today)) if end else 0

    def make(kind: ReminderKind | str) -> DueReminder:
        return DueReminder(
            state.assignment_id, state.agency_id, state.task_id, kind, today, overdue
        )

    agency_kinds = list(_agency_kinds(state, end, overdue, today, calendar, policy))
    escalations = _escalation_kinds(state, end, overdue, today, calendar, policy)
    result = [make(kind) for kind in escalations]
    paused = state.paused_until is not None and today <= state.paused_until
    if agency_kinds and not paused:
        result.append(min((make(kind) for kind in agency_kinds), key=urgency_key))
    return sorted(result, key=urgency_key)


def _agency_kinds(
    state: AssignmentState,
    end: date | None,
    overdue: int,
    today: date,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
) -> Iterator[ReminderKind | str]:
    """Every agency-facing kind that falls today; the caller keeps the most urgent."""
    if end is None:
        if _no_deadline_request_today(state, today, calendar, policy):
            yield ReminderKind.NO_DEADLINE
    elif overdue >= 1:
        if _on_overdue_schedule(state, end, overdue, today, calendar, policy):
            yield ReminderKind.OVERDUE
    else:
        yield from _before_kinds(end, today, calendar, policy)
        if _window_opens_today(state.deadline, state.assigned_on, today, calendar, policy):
            yield ReminderKind.WINDOW_START
    if _ack_nudge_today(state, today, calendar, policy):
        yield ReminderKind.ACK_NUDGE


def _escalation_kinds(
    state: AssignmentState,
    end: date | None,
    overdue: int,
    today: date,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
) -> Iterator[ReminderKind]:
    if end is None or overdue < 1:
        return
    office_from = policy.escalate_office_from
    if (
        office_from is not None
        and overdue >= office_from
        and _on_overdue_schedule(state, end, overdue, today, calendar, policy)
    ):
        yield ReminderKind.ESCALATE_OFFICE
    if overdue == policy.escalate_leaders_after:
        yield ReminderKind.ESCALATE_LEADERS


def _before_kinds(
    end: date, today: date, calendar: WorkCalendar, policy: ReminderPolicy
) -> Iterator[ReminderKind | str]:
    if calendar.on_or_before_working_day(end) == today:
        yield ReminderKind.DUE_TODAY
    for n in policy.before_days:
        if calendar.add_working_days(end, -n) == today:
            yield before_kind(n)


def _window_opens_today(
    deadline: Deadline,
    assigned_on: date,
    today: date,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
) -> bool:
    start = deadline.start
    if not policy.announce_window_start or deadline.kind not in WINDOW_KINDS or start is None:
        return False
    return start > assigned_on and calendar.on_or_after_working_day(start) == today


def _on_overdue_schedule(
    state: AssignmentState,
    end: date,
    overdue: int,
    today: date,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
) -> bool:
    """Day 1 after the deadline, then every `overdue_every`; an update after the deadline
    restarts the count from the update (see the module docstring)."""
    every = policy.overdue_every
    updated = state.last_update_on
    if updated is None or updated <= end:
        return (overdue - 1) % every == 0
    since_update = calendar.working_days_between(updated, today)
    return since_update >= every and since_update % every == 0


def _no_deadline_request_today(
    state: AssignmentState, today: date, calendar: WorkCalendar, policy: ReminderPolicy
) -> bool:
    """A request is due every N calendar days from the anchor; one that falls on a day off is
    sent on the working day before, i.e. today if the nominal day is in [today, next working)."""
    every = policy.no_deadline_every_days
    if every is None:
        return False
    anchor = max(state.assigned_on, state.last_update_on or state.assigned_on)
    day, stop = today, calendar.next_working_day(today)
    while day < stop:
        elapsed = (day - anchor).days
        if elapsed > 0 and elapsed % every == 0:
            return True
        day += timedelta(days=1)
    return False


def _ack_nudge_today(
    state: AssignmentState, today: date, calendar: WorkCalendar, policy: ReminderPolicy
) -> bool:
    """Once, when the agency has neither acknowledged nor reported anything."""
    after = policy.ack_nudge_after
    if after is None or state.acknowledged or state.last_update_on is not None:
        return False
    if state.status != AssignmentStatus.NOT_STARTED:
        return False
    return calendar.working_days_between(state.assigned_on, today) == after
