"""Reading the stored state an import plan depends on, and applying a plan as it was shown.

``read_stored`` gathers what ``bot.domain.import_planner.plan_import`` reads; ``apply_plan``
writes exactly the plan: the agencies it creates, the tasks it adds, changes or cancels, the
assignments it adds, restores, moves between roles or cancels. Nothing else is written, so an
unchanged re-import writes nothing at all. Progress is never touched: a removed task or
assignment is cancelled and its history stays; an assignment the agency has finished (done,
or awaiting confirmation) is never cancelled (held: its task stays live, the office decides).

An assignment's status a re-import moves is written in its history too (append-only, by the
office's import of the notice, the number as its text): ``import_cancelled`` when the notice
no longer gives it (or drops its task), ``import_restored`` when a later version gives it back,
which restores the status its history supports (its latest row not taken back, before the
cancellation), not "Chưa thực hiện": earlier progress is not lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain.agency_names import agency_key
from bot.domain.import_plan import ImportPlan, PlannedTask
from bot.domain.import_planner import (
    Stored,
    StoredAgency,
    StoredAssignment,
    StoredGroup,
    StoredTask,
    notice_number,
)
from bot.domain.notice import ParsedNotice
from bot.domain.types import AssignmentStatus
from storage.models import Agency, Task
from storage.repositories import agencies as agency_repo
from storage.repositories import directory as directory_repo
from storage.repositories import import_state
from storage.repositories import notices as notice_repo
from storage.repositories import progress as progress_repo
from storage.repositories import tasks as task_repo
from storage.unit_of_work import UnitOfWork

# Work an agency has completed: a re-import never cancels it (the plan holds it).
FINISHED = frozenset({AssignmentStatus.DONE, AssignmentStatus.AWAITING_CONFIRMATION})


@dataclass(slots=True)
class ImportResult:
    notice_id: int
    number: str
    created: bool
    tasks_added: int = 0
    tasks_updated: int = 0
    tasks_removed: int = 0
    agencies_created: list[str] = field(default_factory=list)
    assignments_created: int = 0
    assignments_removed: int = 0
    new_assignments_by_agency: dict[int, list[int]] = field(default_factory=dict)
    no_change: bool = False
    groups_retired: list[str] = field(default_factory=list)  # legacy collective rows retired
    # History rows to append for the task just applied: (assignment, kind, status, percent).
    moved: list[tuple[int, str, str, int]] = field(default_factory=list)


async def read_stored(uow: UnitOfWork, parsed: ParsedNotice) -> Stored:
    """The office's agencies and groups, and the stored notice with this number and date."""
    return await read_stored_for(uow, notice_number(parsed), parsed.document.date)


async def read_stored_for(uow: UnitOfWork, number: str, issued_on: date | None) -> Stored:
    agencies = await read_agencies(uow)
    groups = await read_groups(uow)
    notice = await notice_repo.by_number_and_date(uow, number=number, issued_on=issued_on)
    if notice is None or notice.id is None:
        return Stored(agencies, groups)
    legacy = tuple(
        StoredAgency(a.id or 0, a.name, a.kind)
        for a in await import_state.legacy_group_agencies(uow)
    )
    names = {a.id: a.name for a in (*agencies, *legacy)}
    moved_from: set[tuple[int, str]] = set()
    moved_to: set[tuple[int, str]] = set()
    for task_id, old, new in await import_state.agency_moves(uow, notice_id=notice.id):
        moved_from.add((task_id, old))
        moved_to.add((task_id, new))
    tasks = []
    for task, assignments in await import_state.tasks_with_assignments(uow, notice_id=notice.id):
        task_id = task.id or 0
        tasks.append(
            StoredTask(
                task_id,
                task.code,
                task.text,
                task.deadline_kind,
                task.deadline_start,
                task.deadline_end,
                task.cancelled,
                tuple(
                    StoredAssignment(
                        a.id or 0,
                        a.agency_id,
                        a.role,
                        a.status == AssignmentStatus.CANCELLED,
                        (task_id, names.get(a.agency_id, "")) in moved_from,
                        (task_id, names.get(a.agency_id, "")) in moved_to,
                        a.status in FINISHED,
                        a.completed_on,
                    )
                    for a in assignments
                ),
                task.adjusted_deadline_end,
                task.extension_approved,
            )
        )
    meta_tuple = (notice.title, notice.issuer, notice.signer, notice.signer_title, notice.place)
    return Stored(agencies, groups, notice.id, meta_tuple, tuple(tasks), legacy)


async def read_agencies(uow: UnitOfWork) -> tuple[StoredAgency, ...]:
    return tuple(
        StoredAgency(a.id or 0, a.name, a.kind, a.short_name, tuple(aliases))
        for a, aliases in await import_state.agencies_with_aliases(uow)
    )


async def read_groups(uow: UnitOfWork) -> tuple[StoredGroup, ...]:
    return tuple(
        StoredGroup(g.id or 0, g.name, tuple(members), province=g.province)
        for g, members in await directory_repo.groups(uow)
    )


async def apply_plan(
    uow: UnitOfWork, plan: ImportPlan, *, source_text: str, by_user_id: int | None, now: datetime
) -> ImportResult:
    """Write the plan (the caller checked that ``plan.base`` is still the stored state)."""
    n = plan.notice
    if plan.no_change:
        assert n.notice_id is not None
        return ImportResult(n.notice_id, n.number, created=False, no_change=True)
    existing = await notice_repo.get(uow, notice_id=n.notice_id) if n.notice_id else None
    if existing is None or n.changed:
        notice = await notice_repo.save_imported(
            uow,
            existing=existing,
            number=n.number,
            issued_on=n.issued_on,
            issuer=n.issuer,
            signer=n.signer,
            signer_title=n.signer_title,
            place=n.place,
            title=n.title,
            source_text=source_text,
            imported_by=by_user_id,
            at=now,
        )
    else:
        notice = existing
    assert notice.id is not None
    result = ImportResult(notice.id, notice.number, created=existing is None)
    ids: dict[str, int] = {}
    for planned in plan.agencies:
        if planned.agency_id is not None:
            ids[planned.name] = planned.agency_id
            continue
        agency = await new_agency(uow, planned.name, planned.kind, planned.short, planned.written)
        ids[planned.name] = agency.id or 0
        result.agencies_created.append(planned.name)
    # Codes that move (a paragraph dropped renumbers the rest) go through a temporary code
    # first, so two tasks never hold one code at once (a UNIQUE constraint per notice).
    for task in plan.tasks:
        if "code" in task.fields and task.task_id is not None:
            await task_repo.set_code(uow, task_id=task.task_id, code=f"~{task.task_id}")
    for task in plan.tasks:
        await _apply_task(uow, task, notice.id, ids, result, by_user_id, now)
        for assignment_id, kind, status, percent in result.moved:
            await progress_repo.append_update(
                uow, assignment_id=assignment_id, kind=kind, status=status, percent=percent,
                text=notice.number, author_user_id=by_user_id, author_name=None,
                source_chat_id=None, source_message_id=None, created_at=now,
            )  # fmt: skip
        result.moved.clear()
    # A collective stored as an agency by an earlier version, its tasks now handed over to
    # the group's members: it leaves the summaries and lists (its history stays).
    result.groups_retired = await agency_repo.retire_idle_group_rows(uow)
    return result


async def new_agency(
    uow: UnitOfWork, name: str, kind: str, short: str | None, written: tuple[str, ...]
) -> Agency:
    key = agency_key(name)
    agency = await agency_repo.add(uow, name=name, key=key, kind=kind, is_group=False)
    agency.short_name = short
    for other in written:
        other_key = agency_key(other)
        if other_key != key:
            await agency_repo.add_alias(uow, agency_id=agency.id or 0, alias=other, key=other_key)
    return agency


async def _apply_task(
    uow: UnitOfWork,
    planned: PlannedTask,
    notice_id: int,
    ids: dict[str, int],
    result: ImportResult,
    by: int | None,
    now: datetime,
) -> None:
    task: Task | None
    if planned.change == "new":
        task = await task_repo.add_task(
            uow,
            notice_id=notice_id,
            code=planned.code,
            text=planned.text,
            deadline_kind=planned.deadline_kind,
            deadline_start=planned.deadline_start,
            deadline_end=planned.deadline_end,
            deadline_phrase=planned.deadline_phrase,
            at=now,
        )
        result.tasks_added += 1
    else:
        task = await task_repo.get_task(uow, task_id=planned.task_id or 0)
        assert task is not None
        if planned.change == "changed":
            await _revise(uow, task, planned, by, now)
            result.tasks_updated += 1
        elif planned.dropped:  # removed, and nothing finished holds it
            await task_repo.add_revision(
                uow,
                task_id=task.id or 0,
                field_name="cancelled",
                old_value="False",
                new_value="True",
                changed_by=by,
                at=now,
            )
            task.cancelled = True
            task.updated_at = now
            result.tasks_removed += 1
    task_id = task.id or 0
    for a in planned.assignments:
        agency_id = ids[a.agency]
        if a.change == "new":
            assignment = await task_repo.add_assignment(
                uow, task_id=task_id, agency_id=agency_id, role=a.role, at=now
            )
            result.assignments_created += 1
            result.new_assignments_by_agency.setdefault(agency_id, []).append(assignment.id or 0)
            continue
        if a.change in ("kept", "office", "held") or a.assignment_id is None:
            continue
        stored = await task_repo.get_assignment(uow, assignment_id=a.assignment_id)
        assert stored is not None
        stored.role = a.role
        if a.change == "restored":
            stored.status, stored.percent = await _before_cancelled(uow, a.assignment_id)
            result.moved.append((a.assignment_id, "import_restored", stored.status, stored.percent))
            result.assignments_created += 1
            result.new_assignments_by_agency.setdefault(agency_id, []).append(a.assignment_id)
        elif a.change == "removed":
            if not planned.dropped:  # a dropped task is cancelled whole: its rows keep theirs
                stored.status = AssignmentStatus.CANCELLED
                result.assignments_removed += 1
            result.moved.append(
                (a.assignment_id, "import_cancelled", stored.status, stored.percent)
            )


async def _before_cancelled(uow: UnitOfWork, assignment_id: int) -> tuple[str, int]:
    """The status and percent an assignment given back returns to: its latest history row not
    taken back and not a cancellation (an undo row carries the state it went back to); none:
    not started."""
    updates = await progress_repo.history(uow, assignment_id=assignment_id, limit=500)
    undone = {u.reverts_id for u in updates if u.reverts_id}
    for u in updates:
        if u.id in undone or u.kind == "import_cancelled":
            continue
        if u.status != AssignmentStatus.CANCELLED:
            return u.status, u.percent or 0
    return AssignmentStatus.NOT_STARTED, 0


async def _revise(
    uow: UnitOfWork, task: Task, planned: PlannedTask, by: int | None, now: datetime
) -> None:
    """The new text and deadline, the old values kept as revisions."""
    if "code" in planned.fields:
        await task_repo.add_revision(
            uow,
            task_id=task.id or 0,
            field_name="code",
            old_value=planned.previous_code,
            new_value=planned.code,
            changed_by=by,
            at=now,
        )
        task.code = planned.code
    if "text" in planned.fields:
        await task_repo.add_revision(
            uow,
            task_id=task.id or 0,
            field_name="text",
            old_value=task.text,
            new_value=planned.text,
            changed_by=by,
            at=now,
        )
    if "deadline" in planned.fields:
        await task_repo.add_revision(
            uow,
            task_id=task.id or 0,
            field_name="deadline",
            old_value=f"{task.deadline_kind}:{task.deadline_start}:{task.deadline_end}",
            new_value=(f"{planned.deadline_kind}:{planned.deadline_start}:{planned.deadline_end}"),
            changed_by=by,
            at=now,
        )
    task.text = planned.text
    task.deadline_kind = planned.deadline_kind
    task.deadline_start = planned.deadline_start
    task.deadline_end = planned.deadline_end
    task.deadline_phrase = planned.deadline_phrase
    task.updated_at = now
