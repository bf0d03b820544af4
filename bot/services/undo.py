"""Undo: reports taken back within the undo window, by appending an undo row per report
(history is append-only, nothing is deleted).

One report (↩️ Hoàn tác under its confirmation), or every report one message recorded (↩️
Hoàn tác tất cả under a digest answered line by line, whose lines may be more than a phone's
buttons, and whose one line may hold two reports: a figure stated with a request for more
time). Each assignment goes back to its latest report not taken back; a request for more time
taken back is withdrawn, so the office can no longer approve what the agency took back.

A report the office has acted on since (a confirmation, a return, an extension decided: any
row after it that is neither a report nor an undo) is not taken back: the office's decision
stands on it, and the undo would keep the decision's status while saying it went back. The
whole undo is refused (`Refusal.DECIDED`), nothing appended; the agency sends a new report or
asks the office to correct its decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.repeats import REPORT_KINDS
from bot.domain.types import AssignmentStatus
from bot.services.progress_types import Refusal
from storage.models import Assignment, ProgressUpdate, Task
from storage.repositories import progress as progress_repo
from storage.repositories import tasks as task_repo
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Reverted:
    """One assignment put back: the last undo row appended, and the assignment as it is now."""

    undo_id: int
    assignment: Assignment
    task: Task
    agency_id: int
    agency_name: str


async def revert(
    uow: UnitOfWork,
    originals: list[ProgressUpdate],
    *,
    author_user_id: int,
    author_name: str,
    chat_id: int | None,
    message_id: int | None,
    at: datetime,
) -> list[Reverted] | Refusal:
    """Take back those of `originals` not undone yet, assignment by assignment (each locked,
    in id order, then its history read: two presses at once revert once); the caller checked
    who may and the window. Nothing left to take back: []. One of them acted on by the office
    since: `Refusal.DECIDED`, nothing taken back."""
    by_assignment: dict[int, list[ProgressUpdate]] = {}
    for original in originals:
        by_assignment.setdefault(original.assignment_id, []).append(original)
    read = []
    for assignment_id in sorted(by_assignment):
        row = await task_repo.assignment_row(uow, assignment_id=assignment_id, lock=True)
        assert row is not None
        updates = await progress_repo.history(uow, assignment_id=assignment_id, limit=500)
        undone = {u.reverts_id for u in updates if u.reverts_id}
        taken = [u for u in by_assignment[assignment_id] if u.id not in undone]
        if not taken:
            continue
        if _decided_since(updates, min(u.id or 0 for u in taken)):
            return Refusal.DECIDED
        read.append((row, updates, undone, taken))
    reverted: list[Reverted] = []
    for (assignment, task, _notice, agency), updates, undone, taken in read:
        assignment_id = assignment.id or 0
        skipped = undone | {u.id for u in taken}
        previous = next((u for u in updates if u.id not in skipped and u.reverts_id is None), None)
        status = previous.status if previous else AssignmentStatus.NOT_STARTED
        percent = (previous.percent or 0) if previous else 0
        undo_id = 0
        for original in taken:
            undo_id = await progress_repo.append_update(
                uow, assignment_id=assignment_id, kind="undo", status=status, percent=percent,
                author_user_id=author_user_id, author_name=author_name, source_chat_id=chat_id,
                source_message_id=message_id, reverts_id=original.id, created_at=at,
            )  # fmt: skip
            if original.kind == "extension_request":
                await _withdraw_request(uow, original, at)
        assignment.status = status
        assignment.percent = percent
        if status not in (AssignmentStatus.DONE, AssignmentStatus.AWAITING_CONFIRMATION):
            assignment.completed_on = None
        assignment.last_update_at = previous.created_at if previous else None
        reverted.append(Reverted(undo_id, assignment, task, agency.id or 0, agency.name))
    return reverted


def _decided_since(updates: list[ProgressUpdate], first_id: int) -> bool:
    """Whether a row after `first_id` is the office's (not a report, not an undo)."""
    return any(
        (u.id or 0) > first_id and u.kind not in REPORT_KINDS and u.kind != "undo" for u in updates
    )


async def _withdraw_request(uow: UnitOfWork, original: ProgressUpdate, at: datetime) -> None:
    """The request for more time the report asked (its author's, for the date its history row
    names: "30/04/2020: <words>"), if the office has not decided it yet."""
    asked = original.text.split(":", 1)[0]
    for request in await progress_repo.pending_extensions(
        uow, assignment_id=original.assignment_id
    ):
        if request.requested_by == original.author_user_id and (
            f"{request.requested_end:%d/%m/%Y}" == asked
        ):
            await progress_repo.withdraw_extension(
                uow, request=request, by_user_id=original.author_user_id or 0, at=at
            )
