"""A person's repeat and a decision pressed twice, as the progress use cases see them.

The rule itself is pure (bot/domain/repeats.py); this reads what it needs in the caller's
transaction (after the assignment's row was locked: PostgreSQL's two identical reports at once
take turns, and the second finds the first) and says what was found as a `Repeat`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.config import Settings
from bot.domain.repeats import Candidate, Entry, pending_done, repeat_of
from storage.models import Assignment, ProgressUpdate
from storage.repositories import progress as progress_repo
from storage.repositories.progress import RecentUpdate
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Repeat:
    """Nothing was stored: the same was recorded already (`update_id`, at `at`, by
    `author_name`), a report by this person or the office's decision. `status` and `percent`
    are the assignment's now."""

    update_id: int
    assignment_id: int
    kind: str
    at: datetime
    author_name: str
    status: str
    percent: int
    on: date | None = None  # the date an extension request asked for


def window_start(settings: Settings, now: datetime) -> datetime | None:
    """Where the history the repeat rule reads begins (REPEAT_WINDOW_MINUTES before `now`);
    None when the rule is off, and then nothing is read."""
    window = timedelta(minutes=settings.repeat_window_minutes)
    return now - window if window > timedelta(0) else None


async def find_repeat(
    uow: UnitOfWork,
    settings: Settings,
    candidate: Candidate,
    *,
    now: datetime,
    target: tuple[int, str, int],
    recent: Sequence[RecentUpdate] | None = None,
) -> Repeat | None:
    """The report `candidate` repeats on the assignment `target` (its id, status and percent
    now), or None: REPEAT_WINDOW_MINUTES of its history, read in the caller's transaction
    (`recent`: read already, with the target, by `tasks.report_target_and_recent`)."""
    assignment_id, status, percent = target
    since = window_start(settings, now)
    if since is None:
        return None  # off: not even the read
    rows = recent
    if rows is None:
        rows = await progress_repo.recent_updates(uow, assignment_id=assignment_id, since=since)
    found = None
    if rows:
        entries = [entry_of(row) for row in rows]
        found = repeat_of(entries, candidate, now=now, window=now - since)
    if found is None:
        return await awaiting_decision(uow, candidate, target=target)
    uow.decides_the_answer()  # this update's answer is "recorded already": answered once
    name = next((row.author_name for row in rows if row.id == found.id), None)
    return Repeat(
        update_id=found.id,
        assignment_id=assignment_id,
        kind=found.kind,
        at=found.at,
        author_name=name or "",
        status=status,
        percent=percent,
        on=found.on,
    )


async def awaiting_decision(
    uow: UnitOfWork, candidate: Candidate, *, target: tuple[int, str, int]
) -> Repeat | None:
    """A done on a task whose completion already awaits the office's decision, whenever it is
    sent and by whichever of the agency's people: the task is not put through confirmation
    again (`pending_done`); the answer is the pending one's moment."""
    assignment_id, status, percent = target
    if not pending_done(candidate, status=status):
        return None
    row = await progress_repo.latest_of(uow, assignment_id=assignment_id, kinds=("done",))
    if row is None:
        return None
    uow.decides_the_answer()
    return Repeat(
        update_id=row.id or 0,
        assignment_id=assignment_id,
        kind=row.kind,
        at=row.created_at,
        author_name=row.author_name or "",
        status=status,
        percent=percent,
    )


def entry_of(row: RecentUpdate) -> Entry:
    """A history row (progress_repo.RECENT_COLUMNS) as the repeat rule reads it."""
    return Entry(
        id=row.id,
        kind=row.kind,
        author_user_id=row.author_user_id,
        percent=row.percent,
        on=requested_on(row.text) if row.kind == "extension_request" else None,
        words=row.text or "",
        evidence=frozenset(f for f in (row.evidence_file_ids or "").split(",") if f),
        at=row.created_at,
    )


def requested_on(text: str) -> date | None:
    """The date an extension request's history row names (ProgressService.request_extension
    writes it first, as dd/mm/yyyy)."""
    try:
        return datetime.strptime(text[:10], "%d/%m/%Y").date()
    except ValueError:
        return None


def decision_made(uow: UnitOfWork, decision: ProgressUpdate, assignment: Assignment) -> Repeat:
    """An office decision already made, as the answer to the same button pressed again (that
    answer is the update's effect: claimed, so a second delivery is silent)."""
    uow.decides_the_answer()
    return Repeat(
        update_id=decision.id or 0,
        assignment_id=assignment.id or 0,
        kind=decision.kind,
        at=decision.created_at,
        author_name=decision.author_name or "",
        status=assignment.status,
        percent=assignment.percent,
    )
