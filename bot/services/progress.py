"""Recording progress: reports, undo, the office's confirmation, extension requests.

History is append-only: each report, undo, confirmation or decision is a new row carrying
the status it results in; the assignment row is the current state derived from it.

A person's repeat (bot/domain/repeats.py) is recognised in the same transaction as the insert
it replaces, after the assignment's row is locked (PostgreSQL: two identical reports at once
store one); it stores nothing and comes back as `Repeat`. A decision pressed twice finds the
first (`Repeat` of it) instead of acting again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.domain.permissions import Action
from bot.domain.progress import ProgressKind, ProgressReport
from bot.domain.repeats import REPORT_KINDS, Candidate
from bot.domain.types import CLOSED_STATUSES, AssignmentStatus, DeadlineKind
from bot.services.access import Who
from bot.services.context import ServiceContext
from bot.services.progress_types import Recorded, Refusal, Source, Waiting
from bot.services.repeats import Repeat, decision_made, find_repeat, window_start
from bot.services.tasks import Holder, effective_deadline, task_holders
from bot.services.undo import revert
from storage.models import Assignment, ExtensionRequest, Task
from storage.repositories import progress as progress_repo
from storage.repositories import tasks as task_repo
from storage.repositories.tasks import AssignmentMove, AssignmentRow
from storage.unit_of_work import UnitOfWork

# The answers live in bot.services.progress_types; callers import them from here.
__all__ = ["ProgressService", "Recorded", "Refusal", "Source", "Waiting", "deadline_now"]
__all__ += ["COMPLETION_DECISIONS", "EXTENSION_DECISIONS", "STATUS_FOR_KIND", "refusal_for"]

COMPLETION_DECISIONS = ("confirmed", "returned")
EXTENSION_DECISIONS = ("extension_approved", "extension_refused")
STATUS_FOR_KIND = {
    ProgressKind.IN_PROGRESS: AssignmentStatus.IN_PROGRESS,
    ProgressKind.BLOCKED: AssignmentStatus.BLOCKED,
}


class ProgressService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def report(
        self,
        who: Who,
        assignment_id: int,
        report: ProgressReport,
        source: Source,
        *,
        evidence: tuple[str, ...] = (),
    ) -> Recorded | Refusal | Repeat:
        """Store a focal point's report and move the assignment to the status it implies,
        unless it repeats the person's own report (then `Repeat`, nothing stored).

        The reply path calls this inside its own unit of work, which this one joins: Core
        statements (read and lock the assignment and read its latest history for the repeat
        rule: one statement on SQLite, two on PostgreSQL, `report_target_and_recent`; append
        the history row; move the assignment) in the reply's one transaction (bench/README.md,
        findings C and G)."""
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            target, recent = await task_repo.report_target_and_recent(
                uow,
                assignment_id=assignment_id,
                since=window_start(self._ctx.settings, now),
            )
            if target is None:
                return Refusal.NOT_FOUND
            refusal = refusal_for(
                who, agency_id=target.agency_id, status=target.status, cancelled=target.cancelled
            )
            if refusal is not None and refusal is not Refusal.CLOSED:
                return refusal
            status, percent = self._next_state(target.status, target.percent, report)
            candidate = Candidate(
                kind=report.kind.value,
                author_user_id=source.user_id,
                percent=percent,
                on=None,
                words=report.note,
                evidence=frozenset(evidence),
            )
            repeat = await find_repeat(
                uow,
                self._ctx.settings,
                candidate,
                now=now,
                target=(assignment_id, target.status, target.percent),
                recent=recent,
            )
            if repeat is not None:  # before CLOSED: a done that closed the task, sent again
                return repeat
            if refusal is not None:
                return refusal
            closing = status in (AssignmentStatus.DONE, AssignmentStatus.AWAITING_CONFIRMATION)
            # A note on a task not started moves nothing: the roll-up keeps it "Chưa thực
            # hiện" (a question or a promise is not a start), the history keeps the words.
            move = None
            if not (report.kind is ProgressKind.NOTE and status == AssignmentStatus.NOT_STARTED):
                completed_on = self._ctx.today() if closing else None
                move = AssignmentMove(status, percent, completed_on, now)
            update_id = await _append(
                uow, assignment_id, report.kind.value, source, now, text=report.note,
                status=status, percent=percent, evidence_file_ids=",".join(evidence),
                obstacle=report.obstacle or report.kind is ProgressKind.BLOCKED, move=move,
            )  # fmt: skip
        return Recorded(
            update_id=update_id,
            assignment_id=assignment_id,
            agency_id=target.agency_id,
            agency_name=target.agency_name,
            task_label=f"#{assignment_id} ({target.task_code})",
            status=status,
            percent=percent,
            kind=report.kind.value,
        )

    def _next_state(self, status: str, percent: int, report: ProgressReport) -> tuple[str, int]:
        if report.kind is ProgressKind.DONE:
            done = (
                AssignmentStatus.AWAITING_CONFIRMATION
                if self._ctx.settings.require_confirmation
                else AssignmentStatus.DONE
            )
            return done, 100
        if report.kind in STATUS_FOR_KIND:
            reported = report.percent if report.percent is not None else percent
            return STATUS_FOR_KIND[report.kind], min(reported, 99)
        # A note is information: no status moves (issue 14: "ok", a question, a promise
        # counted as "Đang thực hiện 0%" poisoned the roll-up).
        return status, percent

    async def undo(self, who: Who, update_id: int, source: Source) -> Recorded | Refusal:
        """Revert a report within UNDO_MINUTES, by appending an undo row (never deleting)."""
        undone = await self._undo(who, update_id, source, whole_message=False)
        return undone if isinstance(undone, Refusal) else undone[0]

    async def undo_message(
        self, who: Who, update_id: int, source: Source
    ) -> list[Recorded] | Refusal:
        """↩️ Hoàn tác tất cả: revert every report the message of `update_id` recorded (its
        author's, not undone yet), one assignment after another, in one transaction."""
        return await self._undo(who, update_id, source, whole_message=True)

    async def _undo(
        self, who: Who, update_id: int, source: Source, *, whole_message: bool
    ) -> list[Recorded] | Refusal:
        now = self._ctx.now()
        window = timedelta(minutes=self._ctx.settings.undo_minutes)
        async with self._ctx.uow() as uow:
            original = await progress_repo.get_update(uow, update_id=update_id)
            if original is None:
                return Refusal.NOT_FOUND
            if original.author_user_id != who.actor.user_id and not who.actor.is_admin:
                return Refusal.NOT_ALLOWED
            if now - original.created_at > window:
                return Refusal.TOO_LATE_TO_UNDO
            taken = [original]
            if whole_message and original.source_message_id is not None:
                taken = await progress_repo.updates_from_message(
                    uow, chat_id=original.source_chat_id or 0,
                    message_id=original.source_message_id,
                    author_user_id=original.author_user_id, since=now - window,
                )  # fmt: skip
            if original.reverts_id is not None:
                return Refusal.ALREADY_UNDONE
            taken = [u for u in taken if u is original or u.kind in REPORT_KINDS]
            rows = await task_repo.assignment_rows_by_id(
                uow, assignment_ids=[u.assignment_id for u in taken]
            )
            for _assignment, _task, _notice, agency in rows.values():
                if not who.may(Action.REPORT, agency_id=agency.id).allowed:
                    return Refusal.NOT_ALLOWED
            reverted = await revert(
                uow, taken, author_user_id=source.user_id, author_name=source.name,
                chat_id=source.chat_id, message_id=source.message_id, at=now,
            )  # fmt: skip
            if isinstance(reverted, Refusal):
                return reverted
            if not reverted:
                return Refusal.ALREADY_UNDONE
            return [
                _recorded(r.undo_id, "undo", r.assignment, r.agency_name, r.task) for r in reverted
            ]

    async def decide_completion(
        self, who: Who, assignment_id: int, *, accept: bool, reason: str, source: Source
    ) -> Recorded | Refusal | Repeat:
        """The office confirms a completion, or returns it (Từ chối xác nhận / Thực hiện lại).
        Pressed again once decided: the decision made (`Repeat`), nothing stored."""
        if not who.may(Action.CONFIRM).allowed:
            return Refusal.NOT_ALLOWED
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            row = await task_repo.assignment_row(uow, assignment_id=assignment_id, lock=True)
            if row is None:
                return Refusal.NOT_FOUND
            assignment, task, _notice, agency = row
            if assignment.status != AssignmentStatus.AWAITING_CONFIRMATION:
                decided = await progress_repo.latest_of(
                    uow, assignment_id=assignment_id, kinds=COMPLETION_DECISIONS
                )
                if decided is None:
                    return Refusal.NOT_AWAITING
                return decision_made(uow, decided, assignment)
            # Returned: to be done again, said as such everywhere (never "Đang thực hiện 99%").
            status = AssignmentStatus.DONE if accept else AssignmentStatus.RETURNED
            kind = "confirmed" if accept else "returned"
            percent = 100 if accept else await _figure_before_done(uow, assignment_id)
            update_id = await _append(
                uow, assignment_id, kind, source, now, text=reason, status=status,
                percent=percent,
            )  # fmt: skip
            assignment.status = status
            assignment.percent = percent
            if not accept:
                assignment.completed_on = None
            return _recorded(update_id, kind, assignment, agency.name, task)

    async def request_extension(
        self,
        who: Who,
        assignment_id: int,
        *,
        new_end: date,
        reason: str,
        source: Source,
        proposal: bool = False,
    ) -> tuple[Recorded, int] | Refusal | Repeat | Waiting:
        """Record the request (history and a pending ExtensionRequest) for the office; the
        same request from the same person again is a `Repeat` (nothing stored or sent), and
        another while one waits for the office is `Waiting` (nothing stored or sent: ↩️ on
        the first takes it back). A task with no deadline has nothing to extend
        (`Refusal.NO_DEADLINE`), unless the date is sent as a `proposal`: the deadline the
        agency proposes, which the office decides as it decides an extension."""
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            row = await _reportable(uow, who, assignment_id)
            if isinstance(row, Refusal):
                return row
            assignment, task, _notice, agency = row
            candidate = Candidate(
                kind="extension_request",
                author_user_id=source.user_id,
                percent=assignment.percent,
                on=new_end,
                words=reason,
            )
            repeat = await find_repeat(
                uow, self._ctx.settings, candidate, now=now,
                target=(assignment_id, assignment.status, assignment.percent),
            )  # fmt: skip
            if repeat is not None:
                return repeat
            current = deadline_now(task)
            waiting = await progress_repo.pending_extensions(uow, assignment_id=assignment_id)
            if waiting:
                uow.decides_the_answer()
                first = waiting[0]
                return Waiting(
                    assignment_id,
                    first.requested_end,
                    first.created_at.astimezone(self._ctx.tz).date(),
                    proposal=current is None,
                )
            if current is None and not proposal:
                return Refusal.NO_DEADLINE
            if current is not None and new_end <= current:
                return Refusal.NOT_AFTER_DEADLINE
            request_id = await progress_repo.add_extension_request(
                uow,
                assignment_id=assignment_id,
                requested_end=new_end,
                reason=reason,
                requested_by=source.user_id,
                at=now,
            )
            update_id = await _append(
                uow, assignment_id, "extension_request", source, now,
                text=f"{new_end:%d/%m/%Y}: {reason}",
                status=assignment.status, percent=assignment.percent,
            )  # fmt: skip
            return _recorded(update_id, "extension_request", assignment, agency.name, task), (
                request_id
            )

    async def decide_extension(
        self, who: Who, request_id: int, *, approve: bool, source: Source
    ) -> tuple[Recorded, date, bool, tuple[Holder, ...]] | Refusal | Repeat:
        """Approve (the task gets an adjusted deadline; the original stays) or refuse; the
        flag says it was a deadline proposed for a task that had none (R8), not an extension.
        A deadline is the task's: approved, it moves for the other agencies holding the task
        too, which come last (to be told), and the task's revisions keep the change as
        /doihan's do. Pressed again once decided: the decision made (`Repeat`), nothing
        stored."""
        if not who.may(Action.DECIDE_EXTENSION).allowed:
            return Refusal.NOT_ALLOWED
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            request = await progress_repo.extension_request(uow, request_id=request_id, lock=True)
            if request is None:
                return Refusal.NO_PENDING_EXTENSION
            row = await task_repo.assignment_row(uow, assignment_id=request.assignment_id)
            assert row is not None
            assignment, task, _notice, agency = row
            if request.status != "pending":
                decided = await progress_repo.latest_of(
                    uow, assignment_id=request.assignment_id, kinds=EXTENSION_DECISIONS
                )
                if decided is None:
                    return Refusal.NO_PENDING_EXTENSION
                return replace(decision_made(uow, decided, assignment), on=request.requested_end)
            proposal = deadline_now(task) is None
            await progress_repo.decide_extension(
                uow, request=request, approve=approve, by_user_id=source.user_id, at=now
            )
            others: tuple[Holder, ...] = ()
            if approve:
                await task_repo.add_revision(
                    uow, task_id=task.id or 0, field_name="adjusted_deadline",
                    old_value=_day(task.adjusted_deadline_end),
                    new_value=_day(request.requested_end), changed_by=source.user_id, at=now,
                )  # fmt: skip
                task.adjusted_deadline_end = request.requested_end
                task.extension_approved = True
                task.updated_at = now
                others = tuple(
                    h
                    for h in await task_holders(uow, task_id=task.id or 0)
                    if h.assignment_id != assignment.id
                )
            kind = "extension_approved" if approve else "extension_refused"
            update_id = await _append(
                uow, assignment.id or 0, kind, source, now,
                text=f"{request.requested_end:%d/%m/%Y}",
                status=assignment.status, percent=assignment.percent,
            )  # fmt: skip
            recorded = _recorded(update_id, kind, assignment, agency.name, task)
            return recorded, request.requested_end, proposal, others

    async def pending_extension(self, assignment_id: int) -> ExtensionRequest | None:
        async with self._ctx.uow() as uow:
            return await progress_repo.pending_extension(uow, assignment_id=assignment_id)

    async def acknowledge(self, who: Who, assignment_ids: list[int], source: Source) -> int:
        """👍 Đã tiếp nhận: mark the agency's new assignments as received; returns how many."""
        now = self._ctx.now()
        count = 0
        async with self._ctx.uow() as uow:
            for assignment_id in assignment_ids:
                row = await task_repo.assignment_row(uow, assignment_id=assignment_id)
                if row is None:
                    continue
                assignment, _task, _notice, agency = row
                if assignment.acknowledged_at is not None:
                    continue
                if not who.may(Action.REPORT, agency_id=agency.id).allowed:
                    continue
                assignment.acknowledged_at = now
                count += 1
        return count


def refusal_for(who: Who, *, agency_id: int, status: str, cancelled: bool) -> Refusal | None:
    """Why `who` may not report on this assignment, or None when they may."""
    if cancelled:
        return Refusal.NOT_FOUND
    if not who.may(Action.REPORT, agency_id=agency_id).allowed:
        return Refusal.NOT_ALLOWED
    if status in CLOSED_STATUSES:
        return Refusal.CLOSED
    return None


async def _reportable(uow: UnitOfWork, who: Who, assignment_id: int) -> AssignmentRow | Refusal:
    """The assignment's row (locked: bot/services/progress.py) when `who` may still report on
    it, else why not."""
    row = await task_repo.assignment_row(uow, assignment_id=assignment_id, lock=True)
    if row is None:
        return Refusal.NOT_FOUND
    assignment, task, _notice, agency = row
    refusal = refusal_for(
        who, agency_id=agency.id or 0, status=assignment.status, cancelled=task.cancelled
    )
    return refusal or row


async def _append(
    uow: UnitOfWork,
    assignment_id: int,
    kind: str,
    source: Source,
    at: datetime,
    *,
    text: str = "",
    status: str,
    percent: int | None,
    evidence_file_ids: str = "",
    reverts_id: int | None = None,
    obstacle: bool = False,
    move: AssignmentMove | None = None,
) -> int:
    """Append a history row by `source`, carrying the status and percent the assignment has
    after it, and with `move` set that state on the assignment (in one statement where the
    database allows: tasks.append_update_and_move); returns the row's id."""
    values = progress_repo.update_values(
        assignment_id=assignment_id,
        kind=kind,
        status=status,
        percent=percent,
        text=text,
        evidence_file_ids=evidence_file_ids,
        author_user_id=source.user_id,
        author_name=source.name,
        source_chat_id=source.chat_id,
        source_message_id=source.message_id,
        reverts_id=reverts_id,
        obstacle=obstacle,
        created_at=at,
    )
    return await task_repo.append_update_and_move(uow, update=values, move=move)


def deadline_now(task: Task) -> date | None:
    """The deadline that counts now; None for a task without one (thường xuyên), unless the
    office approved a deadline the agency proposed for it."""
    if task.deadline_kind == DeadlineKind.NONE and not task.extension_approved:
        return None
    return effective_deadline(task)


async def _figure_before_done(uow: UnitOfWork, assignment_id: int) -> int:
    """The agency's last figure before it reported done (a completion returned goes back to
    it, not to "99%"); 0 when it never gave one."""
    updates = await progress_repo.history(uow, assignment_id=assignment_id, limit=200)
    undone = {u.reverts_id for u in updates if u.reverts_id}
    return next(
        (
            u.percent or 0
            for u in updates
            if u.kind in ("in_progress", "blocked") and u.id not in undone
        ),
        0,
    )


def _recorded(
    update_id: int, kind: str, assignment: Assignment, agency_name: str, task: Task
) -> Recorded:
    return Recorded(
        update_id=update_id,
        assignment_id=assignment.id or 0,
        agency_id=assignment.agency_id,
        agency_name=agency_name,
        task_label=f"#{assignment.id} ({task.code})",
        status=assignment.status,
        percent=assignment.percent,
        kind=kind,
    )


def _day(day: date | None) -> str | None:
    """A date as the task's revisions keep it (ISO, as /doihan's)."""
    return None if day is None else day.isoformat()
