"""What each item of a reply does to its task (issue 14, item 2), inside the reply's one
transaction: the reader (bot/domain/replies/) says what the official wrote, this says what the
bot records, and the handler says what it answers.

| intent | recorded | then |
|---|---|---|
| done, progress, blocked | a report (status and percent as stated; never "0%" for "đang làm") | confirmed; a completion or a difficulty is told to the office with the quote |
| note | the words, in the history; the status does not move | a note citing a document is asked "Nhiệm vụ đã hoàn thành chưa?" |
| acknowledge | receipt (tiếp nhận), if not recorded yet; nothing else | one line |
| extension | the same request as the 📅 button, when a date was understood; a figure or a difficulty stated with it ("Đạt 70%, xin gia hạn…") is recorded first, in the same transaction | the office decides with one tap; without a date the bot asks for it; one message confirms both |
| reassign | the words, in the history; the status does not move | the office decides with buttons |
| unclear | nothing | the bot asks, with the card's buttons |

A file or photo sent with words that record nothing ("ok" + a photo) is kept as a note with
its evidence: a file is never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.permissions import Action
from bot.domain.progress import EVIDENCE_ONLY_NOTE, ProgressKind, ProgressReport
from bot.domain.replies import Intent, ReplyItem, names_difficulty
from bot.domain.types import CLOSED_STATUSES
from bot.services.access import Who
from bot.services.agencies import AgencyRef, find_agency
from bot.services.progress import (
    ProgressService,
    Recorded,
    Refusal,
    Source,
    Waiting,
    deadline_now,
)
from bot.services.repeats import Repeat
from storage.repositories import tasks as task_repo
from storage.unit_of_work import UnitOfWork

KIND_OF = {
    Intent.DONE: ProgressKind.DONE,
    Intent.PROGRESS: ProgressKind.IN_PROGRESS,
    Intent.BLOCKED: ProgressKind.BLOCKED,
    Intent.NOTE: ProgressKind.NOTE,
    Intent.REASSIGN: ProgressKind.NOTE,  # their words kept; the office decides
}
NOTHING_TO_RECORD = frozenset({Intent.ACKNOWLEDGE, Intent.UNCLEAR})


@dataclass(frozen=True, slots=True)
class Stored:
    """A report was stored (or refused, or found to repeat the person's own)."""

    report: ProgressReport
    result: Recorded | Refusal | Repeat
    proposed: AgencyRef | None = None  # reassign: the agency the official named, when found


@dataclass(frozen=True, slots=True)
class Acknowledged:
    """Receipt: `newly` when this reply recorded it; the status is unchanged."""

    result: Refusal | None
    newly: bool = False
    status: str = ""
    percent: int = 0


@dataclass(frozen=True, slots=True)
class ExtensionAsked:
    """The request sent (Recorded, request id), refused (a date not after the deadline), a
    repeat, or another request waiting for the office; `until` is the date understood from
    the words."""

    result: tuple[Recorded, int] | Refusal | Repeat | Waiting
    until: date
    current: date | None
    reason: str
    stored: Stored | None = None  # the figure or difficulty stated with the request


@dataclass(frozen=True, slots=True)
class DateNeeded:
    """More time is asked without a date the bot can use: it asks for one. `past` is the
    date understood when it is already behind us ("đến 30/04/2020" typed in May)."""

    reason: str
    past: date | None = None
    stored: Stored | None = None  # the figure or difficulty stated with the request


@dataclass(frozen=True, slots=True)
class NoDeadline:
    """More time asked for a task that has no deadline: nothing to extend, nothing sent. The
    date understood (`until`, when there is one) may be sent as a proposed deadline."""

    until: date | None
    stored: Stored | None = None  # the figure or difficulty stated with the request


@dataclass(frozen=True, slots=True)
class Unclear:
    """Nothing recorded: the bot asks what is meant, with the card's buttons."""


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """An extension request taken back by its agency (✏️ Sửa ngày), to be sent again."""

    assignment_id: int
    agency_name: str
    until: date
    reason: str


Effect = Stored | Acknowledged | ExtensionAsked | DateNeeded | NoDeadline | Unclear


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    item: ReplyItem
    assignment_id: int
    effect: Effect


def effective_intent(item: ReplyItem, evidence: tuple[str, ...]) -> Intent:
    """A file with words that record nothing is a note: the file is kept."""
    if evidence and item.intent in NOTHING_TO_RECORD:
        return Intent.NOTE
    return item.intent


async def current_deadline(uow: UnitOfWork, assignment_id: int) -> date | None:
    """The task's deadline now (an approved extension included); None without one."""
    row = await task_repo.assignment_row(uow, assignment_id=assignment_id)
    return deadline_now(row[1]) if row is not None else None


async def apply_item(
    uow: UnitOfWork,
    progress: ProgressService,
    who: Who,
    item: ReplyItem,
    assignment_id: int,
    *,
    words: str,
    evidence: tuple[str, ...],
    source: Source,
    today: date,
) -> ItemOutcome:
    """Do what one item says to its task; `words` are kept in the history (the whole message
    for a reply about one task, the item's own words in a digest). Joins `uow`."""
    intent = effective_intent(item, evidence)
    note = words or (EVIDENCE_ONLY_NOTE if evidence else "")
    effect: Effect
    if intent in KIND_OF:
        kind = KIND_OF[intent]
        percent = 100 if kind is ProgressKind.DONE else item.percent
        if kind is ProgressKind.NOTE:
            percent = None
        report = ProgressReport(kind, percent, note, obstacle=item.obstacle)
        result = await progress.report(who, assignment_id, report, source, evidence=evidence)
        proposed = None
        if intent is Intent.REASSIGN and item.agency and isinstance(result, Recorded):
            match = await find_agency(uow, item.agency)
            if match.agency is not None and match.agency.id != result.agency_id:
                proposed = match.agency
        effect = Stored(report, result, proposed)
    elif intent is Intent.ACKNOWLEDGE:
        effect = await _acknowledge(uow, progress, who, assignment_id, source)
    elif intent is Intent.EXTENSION:
        stored = await _stated_with_request(progress, who, item, assignment_id, note, source)
        if stored is not None and isinstance(stored.result, Refusal):
            effect = stored  # not theirs, or closed: the request would be refused the same
        elif await _without_deadline(uow, who, assignment_id):
            until = item.until if item.until is not None and item.until >= today else None
            effect = NoDeadline(until, stored)
        elif item.until is None or item.until < today:
            effect = DateNeeded(note, past=item.until, stored=stored)
        else:
            requested = await progress.request_extension(
                who, assignment_id, new_end=item.until, reason=note, source=source
            )
            current = await current_deadline(uow, assignment_id)
            effect = ExtensionAsked(requested, item.until, current, note, stored)
    else:
        effect = Unclear()
    return ItemOutcome(item, assignment_id, effect)


async def _without_deadline(uow: UnitOfWork, who: Who, assignment_id: int) -> bool:
    """The task, open and the person's to report on, has no deadline (a task that is not
    theirs, or closed, gets the request's own refusal)."""
    row = await task_repo.assignment_row(uow, assignment_id=assignment_id)
    if row is None:
        return False
    assignment, task, _notice, _agency = row
    return (
        not task.cancelled
        and assignment.status not in CLOSED_STATUSES
        and who.may(Action.REPORT, agency_id=assignment.agency_id).allowed
        and deadline_now(task) is None
    )


async def _stated_with_request(
    progress: ProgressService,
    who: Who,
    item: ReplyItem,
    assignment_id: int,
    note: str,
    source: Source,
) -> Stored | None:
    """A figure or a difficulty written beside a request for more time ("Đạt 70%, xin gia hạn
    đến 30/4 do…"): recorded as the report it is (blocked when a difficulty is named, its
    percent kept), before the request and in the same transaction. None when only time is
    asked, with or without its reason (the reason is the request's, the status stays)."""
    difficulty = item.obstacle and names_difficulty(item.text or note)
    if item.percent is None and not difficulty:
        return None
    kind = ProgressKind.BLOCKED if difficulty else ProgressKind.IN_PROGRESS
    report = ProgressReport(kind, item.percent, note, obstacle=difficulty)
    return Stored(report, await progress.report(who, assignment_id, report, source))


async def _acknowledge(
    uow: UnitOfWork, progress: ProgressService, who: Who, assignment_id: int, source: Source
) -> Acknowledged:
    target = await task_repo.report_target(uow, assignment_id=assignment_id)
    if target is None or target.cancelled:
        return Acknowledged(Refusal.NOT_FOUND)
    if not who.may(Action.REPORT, agency_id=target.agency_id).allowed:
        return Acknowledged(Refusal.NOT_ALLOWED)
    # Receipt is the agency's to state: the office's "ok" under its own copy records none.
    newly = target.agency_id in who.actor.agencies and (
        await progress.acknowledge(who, [assignment_id], source) > 0
    )
    return Acknowledged(None, newly, target.status, target.percent)
