"""Today's due reminders, planned in pages that let the event loop run between them.

Why: on SQLite every statement runs on the event loop's thread (storage/sqlite_inline.py) and
a unit of work holds the engine's one turn (storage/unit_of_work.py). Planned in one piece,
the 08:00 sweep over 3,000 open assignments (1,000 agency groups) held the loop, and with it
every chat's answer, for 0.6–1 s, and longer on a loaded machine (bench/README.md, finding
P). So the plan reads `PAGE` open assignments per unit of work and judges them with the
policy, then yields; reads the due lines `LINES` at a time, each in a unit of work of its
own, and yields again. Nothing is held across a yield: no transaction, no turn. The result
is the one-piece plan's, in the same order (assignment id, then the policy's order within an
assignment); an assignment changed between two pages is seen as its page read it, as it
would have been by a sweep a moment earlier or later. What a reminder claims is decided by
the claim (bot/services/reminders.py), not by the plan.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain.calendar import WorkCalendar
from bot.domain.reminders import AssignmentState, DueReminder, ReminderPolicy, due_reminders
from bot.domain.types import AssignmentStatus, Deadline, DeadlineKind
from bot.services.context import ServiceContext
from bot.services.tasks import DeadlineFields, effective_deadline, effective_start
from storage.repositories import reminder_plan as plan_repo
from storage.repositories.reminder_plan import ReminderLine

PAGE = 250  # open assignments read and judged between two turns of the loop (~10 ms)
LINES = 250  # due lines read and built between two turns of the loop


@dataclass(frozen=True, slots=True)
class ReminderItem:
    """One due reminder with what its line needs (the digest renders it, the claim keys it)."""

    reminder: DueReminder
    agency_name: str
    notice_id: int
    notice_number: str
    task_code: str
    text: str
    restricted: bool
    deadline_start: date | None
    deadline_end: date | None
    working_days_left: int | None  # None without a deadline; negative once overdue

    @property
    def assignment_id(self) -> int:
        return self.reminder.assignment_id

    @property
    def kind(self) -> str:
        return str(self.reminder.kind)


def deadline_of(task: DeadlineFields) -> Deadline:
    """The effective deadline: the approved extension's end when there is one."""
    end = effective_deadline(task)
    if task.deadline_kind == DeadlineKind.NONE or end is None:
        return Deadline.none(task.deadline_phrase)
    try:
        kind = DeadlineKind(task.deadline_kind)
    except ValueError:
        kind = DeadlineKind.DATE
    return Deadline(kind, effective_start(task), end, task.deadline_phrase)


async def due_items(
    ctx: ServiceContext, policy: ReminderPolicy, *, today: date, calendar: WorkCalendar
) -> list[ReminderItem]:
    """Every reminder due `today` (a working day) with its line, in pages (see the module)."""
    due: list[DueReminder] = []
    after = 0
    while True:
        async with ctx.uow() as uow:
            rows = await plan_repo.open_states_page(uow, after=after, limit=PAGE)
        if rows:
            after = rows[-1].assignment_id
            states = _states(rows, ctx)
            due.extend(due_reminders(states, today=today, calendar=calendar, policy=policy))
        await asyncio.sleep(0)  # the loop's turn: updates, the outbox's sender
        if len(rows) < PAGE:
            break
    items: list[ReminderItem] = []
    for start in range(0, len(due), LINES):
        part = due[start : start + LINES]
        async with ctx.uow() as uow:
            lines = await plan_repo.reminder_lines(
                uow, assignment_ids=sorted({r.assignment_id for r in part})
            )
        # Only what is due is read whole (task text, notice, agency name) for the digests.
        items.extend(
            _item(reminder, lines[reminder.assignment_id], calendar)
            for reminder in part
            if reminder.assignment_id in lines
        )
        await asyncio.sleep(0)
    return items


def _states(rows: Sequence[Any], ctx: ServiceContext) -> list[AssignmentState]:
    """What the policy needs of these open assignments of active agencies."""
    tz = ctx.tz
    states: list[AssignmentState] = []
    for row in rows:
        if not row.agency_active:
            continue
        try:
            status = AssignmentStatus(row.status)
        except ValueError:
            continue
        last = row.last_update_at
        states.append(
            AssignmentState(
                assignment_id=row.assignment_id,
                agency_id=row.agency_id,
                task_id=row.task_id,
                status=status,
                deadline=deadline_of(row),
                assigned_on=row.created_at.astimezone(tz).date(),
                acknowledged=row.acknowledged_at is not None,
                last_update_on=last.astimezone(tz).date() if last else None,
                paused_until=row.paused_until,
            )
        )
    return states


def _item(reminder: DueReminder, line: ReminderLine, calendar: WorkCalendar) -> ReminderItem:
    end = effective_deadline(line) if line.deadline_kind != DeadlineKind.NONE else None
    left = calendar.working_days_between(reminder.due_on, end) if end else None
    return ReminderItem(
        reminder=reminder,
        agency_name=line.agency_name,
        notice_id=line.notice_id,
        notice_number=line.notice_number,
        task_code=line.task_code,
        text=line.text,
        restricted=line.restricted,
        deadline_start=effective_start(line),
        deadline_end=end,
        working_days_left=left,
    )
