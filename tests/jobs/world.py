"""The reminder tests' world: notice 22-TB/BCĐ of 27/12/2019 with tasks on the real Vietnamese
calendar, two bound agencies and an unbound one, and what to read back (reminder_log, sends).

Scenario data only: the bot itself is started with tests/harness.py's `running_bot`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from bot.sandbox.emulator import BotApiEmulator
from storage.models import (
    Agency,
    AgencyMember,
    Assignment,
    ChatBinding,
    Notice,
    Person,
    ReminderLog,
    Task,
)
from storage.unit_of_work import UnitOfWork
from tests.harness import (
    DEPUTY_A,
    FOCAL_A,
    FOCAL_B,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    TZ,
    Harness,
)


def at(day: str, hour: int = 8, minute: int = 0) -> datetime:
    """A local moment, "dd/mm/yyyy" at hh:mm in Asia/Ho_Chi_Minh."""
    d, m, y = map(int, day.split("/"))
    return datetime(y, m, d, hour, minute, tzinfo=TZ)


def day(text: str) -> date:
    d, m, y = map(int, text.split("/"))
    return date(y, m, d)


@dataclass
class World:
    """Ids of what `seed_world` created; `aid[code]` is the assignment of a task code."""

    agencies: dict[str, int] = field(default_factory=dict)
    aid: dict[str, int] = field(default_factory=dict)
    notice_id: int = 0


TC, CT, NN = "Sở Tài chính", "Sở Công Thương", "Sở Nông nghiệp và PTNT"
ASSIGNED = at("27/12/2019", 9)


async def seed_world(
    harness: Harness,
    tasks: list[tuple[str, str, str | None]] | None = None,
    *,
    acknowledged: bool = True,
    restricted: frozenset[str] = frozenset(),
) -> World:
    """Notice 22-TB/BCĐ with tasks `(code, agency, deadline dd/mm/yyyy | None)`; Sở Tài chính
    bound to GROUP_A (FOCAL_A, DEPUTY_A), Sở Công Thương to GROUP_B (FOCAL_B), Sở Nông
    nghiệp unbound, the office group bound."""
    tasks = tasks if tasks is not None else DEFAULT_TASKS
    world = World()
    async with UnitOfWork(harness.services.ctx.session_factory) as uow:
        notice = Notice(number="22-TB/BCĐ", issued_on=day("27/12/2019"), imported_at=ASSIGNED)
        uow.session.add(notice)
        for name in (TC, CT, NN):
            agency = Agency(name=name, key=name.lower(), kind="so")
            uow.session.add(agency)
            await uow.session.flush()
            world.agencies[name] = agency.id or 0
        await uow.session.flush()
        world.notice_id = notice.id or 0
        for code, agency_name, deadline in tasks:
            end = day(deadline) if deadline else None
            task = Task(
                notice_id=notice.id or 0,
                code=code,
                text=f"Nhiệm vụ {code}: đôn đốc, đẩy nhanh tiến độ giải ngân vốn năm 2019",
                deadline_kind="date" if end else "none",
                deadline_start=end,
                deadline_end=end,
                restricted=code in restricted,
            )
            uow.session.add(task)
            await uow.session.flush()
            assignment = Assignment(
                task_id=task.id or 0,
                agency_id=world.agencies[agency_name],
                created_at=ASSIGNED,
                acknowledged_at=ASSIGNED if acknowledged else None,
            )
            uow.session.add(assignment)
            await uow.session.flush()
            world.aid[code] = assignment.id or 0
        for user, agency_name, role in (
            (FOCAL_A, TC, "focal_point"),
            (DEPUTY_A, TC, "deputy"),
            (FOCAL_B, CT, "focal_point"),
        ):
            person = Person(telegram_user_id=user, display_name=f"Đầu mối {user}")
            uow.session.add(person)
            await uow.session.flush()
            uow.session.add(
                AgencyMember(person_id=person.id, agency_id=world.agencies[agency_name], role=role)
            )
        uow.session.add(ChatBinding(chat_id=GROUP_A, agency_id=world.agencies[TC]))
        uow.session.add(ChatBinding(chat_id=GROUP_B, agency_id=world.agencies[CT]))
        uow.session.add(ChatBinding(chat_id=OFFICE_GROUP, is_office=True))
    return world


# Sở Tài chính: 31/01 (Friday), 25/01 (Saturday in Tết), 03/02 (Monday).
# Sở Công Thương: 31/12/2019 (overdue from 02/01/2020). Sở Nông nghiệp: unbound.
DEFAULT_TASKS: list[tuple[str, str, str | None]] = [
    ("I.1", TC, "31/01/2020"),
    ("I.2", TC, "25/01/2020"),
    ("I.3", TC, "03/02/2020"),
    ("II.1", CT, "31/12/2019"),
    ("III.1", NN, "31/01/2020"),
]


async def log_rows(harness: Harness, *where: Any) -> list[ReminderLog]:
    async with UnitOfWork(harness.services.ctx.session_factory) as uow:
        query = select(ReminderLog).where(*where).order_by(ReminderLog.id)
        return list((await uow.session.execute(query)).scalars().all())


def kinds_on(rows: list[ReminderLog], world: World, when: date) -> set[tuple[str, str]]:
    code_of = {aid: code for code, aid in world.aid.items()}
    return {(code_of[r.assignment_id], r.kind) for r in rows if r.due_on == when}


def sends(emulator: BotApiEmulator, chat_id: int) -> list[str]:
    """Texts of the successful sendMessage calls to a chat (as a phone shows them)."""
    return [r.plain or "" for r in emulator.sent_to(chat_id) if r.method == "sendMessage"]
