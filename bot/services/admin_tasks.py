"""The office's edits: a new task, a new deadline, reassignment, cancellation, restriction.

Every edit leaves a TaskRevision row (who, when, old, new); a changed deadline is stored as
the adjusted deadline, so the original one stays for the statistics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from bot.domain.deadlines import parse_deadline_cell
from bot.domain.permissions import Action
from bot.domain.types import AssignmentStatus, DeadlineKind, effective_deadline_end
from bot.services.access import Who
from bot.services.agencies import AgencyMatch, find_agency
from bot.services.context import ServiceContext
from bot.services.tasks import Holder, task_holders
from storage.models import Task
from storage.repositories import notices as notice_repo
from storage.repositories import people
from storage.repositories import tasks as task_repo
from storage.unit_of_work import UnitOfWork

DIRECT_NOTICE_NUMBER = "Giao trực tiếp"


class EditError(StrEnum):
    NOT_ALLOWED = "not_allowed"
    TASK_NOT_FOUND = "task_not_found"
    BAD_DEADLINE = "bad_deadline"
    EMPTY_TEXT = "empty_text"
    SAME_AGENCY = "same_agency"
    MOVED = "moved"  # the assignment was already given to another agency, or cancelled
    # `/doihan #16 Sở Tài chính 30/04/2020`: a deadline is the task's, shared by its agencies
    PER_AGENCY = "per_agency"


@dataclass(frozen=True, slots=True)
class Edited:
    assignment_id: int
    task_code: str
    agency_name: str
    deadline: date | None = None
    new_assignment_ids: tuple[int, ...] = ()
    agency_id: int = 0
    restricted: bool = False
    changed: bool = True  # False: it was so already (a button pressed twice), nothing written
    # A reassignment: whom the task was taken from, and what the new agency's card shows.
    old_agency_id: int = 0
    old_agency_name: str = ""
    notice_number: str = ""
    text: str = ""
    holders: tuple[Holder, ...] = ()  # a new deadline: every agency it applies to


class AdminTaskService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def new_task(
        self, who: Who, *, agency_query: str, text: str, deadline_text: str
    ) -> Edited | EditError | AgencyMatch:
        """A task given directly by the office, outside any imported notice."""
        if not who.may(Action.ASSIGN).allowed:
            return EditError.NOT_ALLOWED
        text = " ".join(text.split())
        if not text:
            return EditError.EMPTY_TEXT
        parsed = parse_deadline_cell(deadline_text, notice_date=self._ctx.today())
        deadline = parsed.deadline
        if parsed.problems or (
            deadline_text.strip()
            and deadline.kind == DeadlineKind.NONE
            and not deadline.source_phrase
            and not _says_none(deadline_text)
        ):
            return EditError.BAD_DEADLINE
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            match = await find_agency(uow, agency_query)
            if match.agency is None:
                return match
            notice = await notice_repo.first_by_number(uow, number=DIRECT_NOTICE_NUMBER)
            if notice is None:
                notice = await notice_repo.add(
                    uow,
                    number=DIRECT_NOTICE_NUMBER,
                    title="Nhiệm vụ do Văn phòng Điều phối giao trực tiếp",
                )
            assert notice.id is not None
            count = await task_repo.count_tasks_of_notice(uow, notice_id=notice.id)
            task = await task_repo.add_task(
                uow,
                notice_id=notice.id,
                code=f"GV.{count + 1}",
                text=text,
                deadline_kind=deadline.kind.value,
                deadline_start=deadline.start,
                deadline_end=deadline.end,
                deadline_phrase=(deadline.source_phrase or "")[:300] or None,
                at=now,
            )
            assignment = await task_repo.add_assignment(
                uow, task_id=task.id or 0, agency_id=match.agency.id, role="lead", at=now
            )
            return Edited(
                assignment_id=assignment.id or 0,
                task_code=task.code,
                agency_name=match.agency.name,
                deadline=deadline.end,
                new_assignment_ids=(assignment.id or 0,),
                agency_id=match.agency.id,
            )

    async def change_deadline(
        self, who: Who, *, assignment_id: int, deadline_text: str
    ) -> Edited | EditError:
        """A new deadline approved by the office: adjusted, the original kept.

        A deadline belongs to the task (`Task.adjusted_deadline_end`), so it changes for every
        agency holding the task, which `holders` lists (each told by the caller); an agency
        named before the date is refused (`PER_AGENCY`) rather than read as a change for all.
        The deadline it already has changes nothing (`changed=False`) and writes nothing."""
        if not who.may(Action.EDIT_TASK).allowed:
            return EditError.NOT_ALLOWED
        today = self._ctx.today()
        deadline = parse_deadline_cell(deadline_text, notice_date=today)
        if deadline.deadline.end is None or deadline.problems:
            return (
                EditError.PER_AGENCY
                if _agency_then_date(deadline_text, today)
                else (EditError.BAD_DEADLINE)
            )
        new_end = deadline.deadline.end
        async with self._ctx.uow() as uow:
            row = await task_repo.assignment_row(uow, assignment_id=assignment_id, lock=True)
            if row is None or row[1].cancelled:
                return EditError.TASK_NOT_FOUND
            _assignment, task, _notice, agency = row
            holders = await task_holders(uow, task_id=task.id or 0)
            edited = Edited(
                assignment_id, task.code, agency.name, new_end, agency_id=agency.id or 0,
                holders=holders,
            )  # fmt: skip
            current = effective_deadline_end(
                task.deadline_end, task.adjusted_deadline_end, task.extension_approved
            )
            if current == new_end:
                return replace(edited, changed=False)
            await self._revise(
                uow, task, who, "adjusted_deadline", task.adjusted_deadline_end, new_end
            )
            task.adjusted_deadline_end = new_end
            task.extension_approved = True
            task.updated_at = self._ctx.now()
            return edited

    async def reassign(
        self, who: Who, *, assignment_id: int, agency_query: str
    ) -> Edited | EditError | AgencyMatch:
        """Give the task to another agency: the old assignment is cancelled, history kept.

        Asked again for an assignment already moved (its button pressed twice, say): the
        same agency is `changed=False`, nothing written; another agency is refused (`MOVED`),
        since the task is now the other agency's and its code names that agency's row."""
        if not who.may(Action.ASSIGN).allowed:
            return EditError.NOT_ALLOWED
        async with self._ctx.uow() as uow:
            row = await task_repo.assignment_row(uow, assignment_id=assignment_id, lock=True)
            if row is None or row[1].cancelled:
                return EditError.TASK_NOT_FOUND
            assignment, task, notice, old_agency = row
            match = await find_agency(uow, agency_query)
            if match.agency is None:
                return match
            if match.agency.id == old_agency.id:
                return EditError.SAME_AGENCY
            existing = await task_repo.assignment_of(
                uow, task_id=task.id or 0, agency_id=match.agency.id
            )
            deadline = effective_deadline_end(
                task.deadline_end, task.adjusted_deadline_end, task.extension_approved
            )
            edited = Edited(
                0,
                task.code,
                match.agency.name,
                deadline,
                agency_id=match.agency.id or 0,
                restricted=task.restricted,
                old_agency_id=old_agency.id or 0,
                old_agency_name=old_agency.name,
                notice_number=notice.number,
                text=task.text,
            )
            if assignment.status == AssignmentStatus.CANCELLED:
                if existing is not None and existing.status != AssignmentStatus.CANCELLED:
                    return replace(edited, assignment_id=existing.id or 0, changed=False)
                return EditError.MOVED
            if existing is None:
                existing = await task_repo.add_assignment(
                    uow,
                    task_id=task.id or 0,
                    agency_id=match.agency.id,
                    role=assignment.role,
                    at=self._ctx.now(),
                )
            else:
                existing.status = (
                    AssignmentStatus.NOT_STARTED
                    if existing.status == AssignmentStatus.CANCELLED
                    else existing.status
                )
                existing.role = assignment.role
            assignment.status = AssignmentStatus.CANCELLED
            await self._revise(uow, task, who, "agency", old_agency.name, match.agency.name)
            return replace(
                edited,
                assignment_id=existing.id or 0,
                new_assignment_ids=(existing.id or 0,),
            )

    async def cancel(self, who: Who, *, assignment_id: int) -> Edited | EditError:
        """Cancel the whole task (all its agencies); it leaves lists, reminders and statistics."""
        return await self._edit_task(who, assignment_id, "cancelled", lambda task: True)

    async def toggle_restricted(self, who: Who, *, assignment_id: int) -> Edited | EditError:
        """A restricted task shows only its code and deadline in chats, never its text."""
        return await self._edit_task(
            who, assignment_id, "restricted", lambda task: not task.restricted
        )

    async def _edit_task(
        self, who: Who, assignment_id: int, field_name: str, new_value: Callable[[Task], bool]
    ) -> Edited | EditError:
        """Set one flag of the task behind an assignment, with its revision row."""
        if not who.may(Action.EDIT_TASK).allowed:
            return EditError.NOT_ALLOWED
        async with self._ctx.uow() as uow:
            row = await task_repo.assignment_row(uow, assignment_id=assignment_id, lock=True)
            if row is None:
                return EditError.TASK_NOT_FOUND
            _assignment, task, _notice, agency = row
            value = new_value(task)
            if getattr(task, field_name) == value:
                return Edited(assignment_id, task.code, agency.name, changed=False)
            await self._revise(
                uow, task, who, field_name, str(getattr(task, field_name)), str(value)
            )
            setattr(task, field_name, value)
            task.updated_at = self._ctx.now()
            return Edited(
                assignment_id,
                task.code,
                agency.name,
                restricted=task.restricted,
                agency_id=agency.id or 0,
            )

    async def set_admin(self, who: Who, *, user_id: int, admin: bool) -> bool:
        """Add or remove an office admin (ADMIN_IDS from the configuration always stay)."""
        if not who.may(Action.MANAGE_BINDINGS).allowed:
            return False
        async with self._ctx.uow() as uow:
            await people.set_admin(uow, telegram_user_id=user_id, admin=admin)
        return True

    async def _revise(
        self, uow: UnitOfWork, task: Task, who: Who, field_name: str, old: object, new: object
    ) -> None:
        await task_repo.add_revision(
            uow,
            task_id=task.id or 0,
            field_name=field_name,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
            changed_by=who.actor.user_id,
            at=self._ctx.now(),
        )


def _says_none(text: str) -> bool:
    folded = text.strip().lower()
    return folded in {
        "không",
        "khong",
        "không thời hạn",
        "khong thoi han",
        "thường xuyên",
        "thuong xuyen",
        "-",
        "none",
    }


def _agency_then_date(text: str, today: date) -> bool:
    """`Sở Tài chính 30/04/2020`: words before a deadline that reads alone (an agency named,
    as if one agency's deadline could change apart from the others')."""
    head, _, tail = text.strip().rpartition(" ")
    if not head.strip() or not tail:
        return False
    parsed = parse_deadline_cell(tail, notice_date=today)
    return parsed.deadline.end is not None and not parsed.problems
