"""What the progress use cases answer with (bot.services.progress re-exports each): a report
recorded, a refusal, who sent it, a request waiting for the office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["Recorded", "Refusal", "Source", "Waiting"]


class Refusal(StrEnum):
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"
    CLOSED = "closed"  # done or cancelled: nothing more to report
    NOT_AWAITING = "not_awaiting"
    TOO_LATE_TO_UNDO = "too_late_to_undo"
    ALREADY_UNDONE = "already_undone"
    DECIDED = "decided"  # the office acted after the report: undo is no longer the agency's
    NO_PENDING_EXTENSION = "no_pending_extension"
    NOT_AFTER_DEADLINE = "not_after_deadline"  # an extension must end after the deadline
    NO_DEADLINE = "no_deadline"  # nothing to extend: a date may be proposed as its deadline


@dataclass(frozen=True, slots=True)
class Recorded:
    update_id: int
    assignment_id: int
    agency_id: int
    agency_name: str
    task_label: str
    status: str
    percent: int
    kind: str


@dataclass(frozen=True, slots=True)
class Source:
    """Who sent a report and from where: kept with every update."""

    user_id: int
    name: str
    chat_id: int | None = None
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Waiting:
    """A request for more time (or a proposed deadline, `proposal`) the office has not decided
    yet: another one for the same assignment is not stored nor sent; the agency is told this
    one waits. One pending request per assignment, so the office's buttons decide it."""

    assignment_id: int
    requested_end: date
    sent_on: date  # local day the request was sent
    proposal: bool
