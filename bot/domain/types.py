"""Value types shared by the pure domain modules (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class DeadlineKind(StrEnum):
    """How a notice wrote its deadline; the end date is what reminders count against."""

    DATE = "date"
    RANGE = "range"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Deadline:
    """A parsed deadline: a window [start, end] (both None for NONE) and the words it came from.

    ``rule`` says how a deadline written as a rule became dates ("30 ngày làm việc kể từ ngày
    20/10/2025", "trước Tết Nguyên đán Bính Ngọ (17/02/2026)"); None for a date as written."""

    kind: DeadlineKind
    start: date | None = None
    end: date | None = None
    source_phrase: str | None = None
    rule: str | None = None

    @classmethod
    def none(cls, source_phrase: str | None = None) -> Deadline:
        return cls(DeadlineKind.NONE, None, None, source_phrase)


def moved_start(start: date | None, original_end: date | None, end: date | None) -> date | None:
    """The first day of a deadline window whose end may have moved (an approved extension, the
    office's /doihan). A range keeps its start while that is still before the new end; a single
    date that moved stays a single date: never "31/03/2020 – 31/12/2019" for a task that was
    due 31/03/2020 and is now due 31/12/2019."""
    if start is None or end is None or end == original_end:
        return start
    if start == original_end or start > end:
        return end
    return start


class AssignmentStatus(StrEnum):
    """Where one agency's assignment stands; the office's words are in the text catalogue."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    # The office did not accept the completion (Trả lại): to be done again, the agency's move.
    RETURNED = "returned"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    DONE = "done"
    CANCELLED = "cancelled"


# The state words, defined once: storage's queries and the domain's rules both read these.
#
# * open: the agency's move (not started, in progress, blocked, returned by the office to be
#   done again). Only an open assignment is reminded, can be overdue or due soon.
# * unfinished: still on the agency's list: open, or awaiting the office's confirmation (the
#   agency says done; the ball is in the office's court, so it is not overdue).
# * closed: done (confirmed) or cancelled: nothing more to report.
OPEN_STATUSES = frozenset(
    {
        AssignmentStatus.NOT_STARTED,
        AssignmentStatus.IN_PROGRESS,
        AssignmentStatus.BLOCKED,
        AssignmentStatus.RETURNED,
    }
)
UNFINISHED_STATUSES = OPEN_STATUSES | {AssignmentStatus.AWAITING_CONFIRMATION}
CLOSED_STATUSES = frozenset({AssignmentStatus.DONE, AssignmentStatus.CANCELLED})


def effective_deadline_end(
    deadline_end: date | None, adjusted_deadline_end: date | None, extension_approved: bool
) -> date | None:
    """The deadline that counts: the adjusted one only once the extension was approved (and
    if it has a date); a requested-but-not-approved extension changes nothing."""
    if extension_approved and adjusted_deadline_end is not None:
        return adjusted_deadline_end
    return deadline_end


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    """Overdue (quá hạn): open, and the deadline that counts was before today."""
    return status in OPEN_STATUSES and deadline is not None and deadline < today
