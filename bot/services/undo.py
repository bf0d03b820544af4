"""Undo: reports taken back within the undo window, by appending an undo row per report
(history is append-only, nothing is deleted).

One report (↩️ Hoàn tác under its confirmation), or every report one message recorded (↩️
Hoàn tác tất cả under a digest answered line by line, whose lines may be more than a phone's
buttons, and whose one line may hold two reports: a figure stated with a request for more
time). Each assignment goes back to its latest report not taken back; a request for more time
taken back is withdrawn, so the office can no longer approve what the agency took back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.types import AssignmentStatus
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
) -> list[Reverted]:
    """Take back those of `originals` not undone yet, assignment by assignment (each locked,
    in id order, then its history read: two presses at once revert once); the caller checked
    who may and the window. Nothing left to take back: []."""
    by_assignment: dict[int, list[ProgressUpdate]] = {}
    for original in originals:
        by_assignment.setdefault(original.assignment_id, []).append(original)
    reverted: list[Reverted] = []
    for assignment_id in sorted(by_assignment):
        row = await task_repo.assignment_row(uow, assignment_id=assignment_id, lock=True)
        assert row is not None
        assignment, task, _notice, agency = row
        updates = await progress_repo.history(uow, assignment_id=assignment_id, limit=500)
        undone = {u.reverts_id for u in updates if u.reverts_id}
        taken = [u for u in by_assignment[assignment_id] if u.id not in undone]
        if not taken:
            continue
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
