"""Reading tasks: an agency's list (overdue first), the admin's filtered lists, a task card.

Every read takes the `Who` and asks the permission rule, so a forged button or a typed code
can never show another agency's task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from bot.domain.bounds import bounded_id
from bot.domain.permissions import Action
from bot.domain.report_filter import ReportFilter, is_overdue_token, parse_overdue_token
from bot.domain.rollup import DUE_SOON_DAYS
from bot.domain.text import fold
from bot.domain.types import effective_deadline_end, moved_start
from bot.services.access import Who
from bot.services.agencies import AgencyMatch, find_agency
from bot.services.context import ServiceContext
from storage.models import Agency, Assignment, Notice, ProgressUpdate, Task
from storage.repositories import agencies as agency_repo
from storage.repositories import notices as notice_repo
from storage.repositories import progress as progress_repo
from storage.repositories import tasks as task_repo
from storage.unit_of_work import UnitOfWork

OVERDUE_WORDS = frozenset({"quahan", "qua han", "overdue"})  # /nhiemvu quahan


class Urgency(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    LATER = "later"
    NO_DEADLINE = "no_deadline"


URGENCY_ORDER = {Urgency.OVERDUE: 0, Urgency.DUE_SOON: 1, Urgency.LATER: 2, Urgency.NO_DEADLINE: 3}


@dataclass(frozen=True, slots=True)
class TaskLine:
    """One assignment as a list line or the head of a card. `code` is what users type."""

    assignment_id: int
    task_id: int
    task_code: str
    notice_number: str
    notice_date: date | None
    text: str
    restricted: bool
    agency_id: int
    agency_name: str
    role: str
    status: str
    percent: int
    deadline_kind: str
    deadline_start: date | None
    deadline_end: date | None
    original_deadline_end: date | None
    extension_approved: bool
    urgency: Urgency
    days_left: int | None

    @property
    def code(self) -> str:
        return f"#{self.assignment_id}"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    author: str
    kind: str
    status: str
    percent: int | None
    text: str
    undone: bool


@dataclass(frozen=True, slots=True)
class TaskCard:
    line: TaskLine
    notice_title: str | None
    leads: tuple[str, ...]
    coordinating: tuple[str, ...]
    history: tuple[HistoryEntry, ...]


@dataclass(frozen=True, slots=True)
class Listing:
    """The result of /nhiemvu: lines, or why there are none."""

    lines: tuple[TaskLine, ...]
    title: str
    denied: bool = False
    unknown_filter: str | None = None
    agency_match: AgencyMatch | None = None  # an unknown filter: the agencies it could mean
    token: str = "all"  # the filter, compact enough to ride in a page button
    show_agency: bool = False


class DeadlineFields(Protocol):
    """A task's deadline columns, read only: a Task, or a plain row of them (the reminder
    sweep's)."""

    @property
    def deadline_kind(self) -> str: ...
    @property
    def deadline_start(self) -> date | None: ...
    @property
    def deadline_end(self) -> date | None: ...
    @property
    def deadline_phrase(self) -> str | None: ...
    @property
    def adjusted_deadline_end(self) -> date | None: ...
    @property
    def extension_approved(self) -> bool: ...


def effective_deadline(task: DeadlineFields) -> date | None:
    """The deadline that counts: the adjusted one only once the extension was approved."""
    return effective_deadline_end(
        task.deadline_end, task.adjusted_deadline_end, task.extension_approved
    )


def effective_start(task: DeadlineFields) -> date | None:
    """The window's first day that goes with `effective_deadline` (see `moved_start`)."""
    return moved_start(task.deadline_start, task.deadline_end, effective_deadline(task))


def make_line(
    assignment: Assignment, task: Task, notice: Notice, agency: Agency, today: date
) -> TaskLine:
    deadline = effective_deadline(task)
    days_left = (deadline - today).days if deadline else None
    if days_left is None:
        urgency = Urgency.NO_DEADLINE
    elif days_left < 0:
        urgency = Urgency.OVERDUE
    elif days_left <= DUE_SOON_DAYS:
        urgency = Urgency.DUE_SOON
    else:
        urgency = Urgency.LATER
    assert assignment.id is not None and task.id is not None and agency.id is not None
    return TaskLine(
        assignment_id=assignment.id,
        task_id=task.id,
        task_code=task.code,
        notice_number=notice.number,
        notice_date=notice.issued_on,
        text=task.text,
        restricted=task.restricted,
        agency_id=agency.id,
        agency_name=agency.name,
        role=assignment.role,
        status=assignment.status,
        percent=assignment.percent,
        deadline_kind=task.deadline_kind,
        deadline_start=effective_start(task),
        deadline_end=deadline,
        original_deadline_end=task.deadline_end,
        extension_approved=task.extension_approved,
        urgency=urgency,
        days_left=days_left,
    )


def sort_lines(lines: list[TaskLine]) -> list[TaskLine]:
    """Overdue first (most overdue on top), then due soon, then the rest, no deadline last."""
    return sorted(
        lines,
        key=lambda line: (
            URGENCY_ORDER[line.urgency],
            line.deadline_end or date.max,
            line.agency_name,
            line.assignment_id,
        ),
    )


class TaskService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def list_tasks(self, who: Who, *, query: str = "", token: str | None = None) -> Listing:
        """The agency's tasks in its chat; everything, or filtered, for the office.

        `query` is what the user typed after /nhiemvu; `token` is the same filter as
        stored in a page button (`all`, `od`, `a<agency id>`, `n<notice id>`).
        """
        today = self._ctx.today()
        async with self._ctx.uow() as uow:
            if who.scope.agency_id is not None:
                if not who.may(Action.VIEW_AGENCY, agency_id=who.scope.agency_id).allowed:
                    return Listing((), who.scope.agency_name or "", denied=True)
                agency_ids: list[int] | None = [who.scope.agency_id]
                # In the agency's chat only "quahan" filters (its own tasks, overdue ones).
                overdue = is_overdue_token(token) or fold(query) in OVERDUE_WORDS
                title, notice_id = who.scope.agency_name or "", None
                token = "od" if overdue else "all"
            elif who.may(Action.VIEW_ALL).allowed:
                resolved = await self._resolve_filter(uow, query=query, token=token)
                if isinstance(resolved, AgencyMatch):  # no agency or notice by that name
                    return Listing((), "", unknown_filter=query, agency_match=resolved)
                agency_ids, notice_id, overdue, title, token = resolved
            elif who.actor.agencies and (who.scope.is_private or who.scope.is_office):
                agency_ids = list(who.actor.agencies)
                title, notice_id, overdue, token = "", None, False, "all"
            else:
                return Listing((), "", denied=True)
            rows = await task_repo.unfinished_assignments(
                uow, agency_ids=agency_ids, notice_id=notice_id
            )
        lines = [make_line(a, t, n, ag, today) for a, t, n, ag in rows]
        if overdue:
            lines = [line for line in lines if line.urgency is Urgency.OVERDUE]
        return Listing(
            tuple(sort_lines(lines)),
            title,
            token=token,
            show_agency=agency_ids is None or len(agency_ids) > 1,
        )

    async def _resolve_filter(
        self, uow: UnitOfWork, *, query: str, token: str | None
    ) -> tuple[list[int] | None, int | None, bool, str, str] | AgencyMatch:
        """(agency ids, notice id, overdue only, title, token); for a filter that names no
        notice and no single agency, the agency match (with its candidates, if any)."""
        query = query.strip()
        if token is None:
            if not query:
                token = "all"
            elif fold(query) in OVERDUE_WORDS:
                token = "od"
            else:
                notices = await notice_repo.numbers_and_ids(uow)
                matching = [nid for number, nid in notices if fold(number) == fold(query)]
                if matching:
                    token = f"n{matching[0]}"
                else:
                    match = await find_agency(uow, query)
                    if match.agency is None:
                        return match
                    token = f"a{match.agency.id}"
        overdue = parse_overdue_token(token)
        if overdue is not None:  # ⚠️ under a digest: its notice and agency, if any
            return await self._overdue_filter(uow, overdue, token)
        if token[:1] in ("a", "n") and bounded_id(token[1:]) is None:
            return None, None, False, "", "all"
        if token.startswith("a") and token[1:].isdigit():
            agency = await agency_repo.get(uow, agency_id=int(token[1:]))
            return [int(token[1:])], None, False, agency.name if agency else "", token
        if token.startswith("n") and token[1:].isdigit():
            notice = await notice_repo.get(uow, notice_id=int(token[1:]))
            return None, int(token[1:]), False, notice.number if notice else "", token
        return None, None, False, "", "all"

    async def _overdue_filter(
        self, uow: UnitOfWork, overdue: ReportFilter, token: str
    ) -> tuple[list[int] | None, int | None, bool, str, str]:
        names: list[str] = []
        if overdue.notice_id is not None:
            notice = await notice_repo.get(uow, notice_id=overdue.notice_id)
            names.append(notice.number if notice else "")
        agency_ids = None
        if overdue.agency_id is not None:
            agency_ids = [overdue.agency_id]
            agency = await agency_repo.get(uow, agency_id=overdue.agency_id)
            names.append(agency.name if agency else "")
        return agency_ids, overdue.notice_id, True, " · ".join(n for n in names if n), token

    async def find_line(self, who: Who, code: str) -> TaskLine | None:
        """A task the person may act on, from `#12`, `12` or a notice code like `I.1.2`."""
        today = self._ctx.today()
        code = code.strip().lstrip("#")
        if code.isdigit() and bounded_id(code) is None:
            return None  # past any id: no task, and no query that would overflow
        async with self._ctx.uow() as uow:
            if code.isdigit():
                row = await task_repo.assignment_row(uow, assignment_id=int(code))
                rows = [row] if row else []
            else:
                agency_ids = (
                    [who.scope.agency_id] if who.scope.agency_id else list(who.actor.agencies)
                )
                rows = [
                    r
                    for r in await task_repo.unfinished_assignments(
                        uow, agency_ids=agency_ids or None
                    )
                    if fold(r[1].code) == fold(code)
                ]
                if len(rows) != 1:
                    return None
        if not rows:
            return None
        assignment, task, notice, agency = rows[0]
        if task.cancelled or not who.may(Action.REPORT, agency_id=agency.id).allowed:
            return None
        return make_line(assignment, task, notice, agency, today)

    async def card(self, who: Who, assignment_id: int) -> TaskCard | None:
        """The full card, or None when it does not exist or is not this person's to see."""
        today = self._ctx.today()
        async with self._ctx.uow() as uow:
            row = await task_repo.assignment_row(uow, assignment_id=assignment_id)
            if row is None:
                return None
            assignment, task, notice, agency = row
            if not who.may(Action.VIEW_AGENCY, agency_id=agency.id).allowed:
                return None
            roles = await task_repo.task_agencies(uow, task_id=task.id or 0)
            updates = await progress_repo.history(uow, assignment_id=assignment_id)
        reverted = {u.reverts_id for u in updates if u.reverts_id}
        return TaskCard(
            line=make_line(assignment, task, notice, agency, today),
            notice_title=notice.title,
            leads=tuple(name for role, name in roles if role == "lead"),
            coordinating=tuple(name for role, name in roles if role != "lead"),
            history=tuple(_entry(u, reverted) for u in updates),
        )


def _entry(update: ProgressUpdate, reverted: set[int]) -> HistoryEntry:
    return HistoryEntry(
        at=update.created_at,
        author=update.author_name or "",
        kind=update.kind,
        status=update.status,
        percent=update.percent,
        text=update.text,
        undone=update.id in reverted,
    )


@dataclass(frozen=True, slots=True)
class Holder:
    """An agency holding a task, with its own code for it (`#assignment_id`) and its role."""

    assignment_id: int
    agency_id: int
    agency_name: str
    role: str


async def task_holders(uow: UnitOfWork, *, task_id: int) -> tuple[Holder, ...]:
    """Every agency holding the task now (a deadline is the task's: it applies to all of
    them), the lead first; in the caller's transaction."""
    return tuple(
        Holder(h.assignment_id, h.agency_id, h.agency_name, h.role)
        for h in await task_repo.task_holders(uow, task_id=task_id)
    )
