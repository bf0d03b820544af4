"""A small, fully known world for the reliability tests: two agencies, their chats, a topic.

Sở Tài chính (A) is bound to GROUP_A and to a forum topic; Sở Công Thương (B) to GROUP_B;
the office to OFFICE_GROUP. Each agency has an open task and a task awaiting the office's
confirmation (with a pending extension request, asked before the completion). Task texts carry a unique marker, so a test
can scan everything the emulator received for a task's text.

Scenario data only: the bot is started with tests/harness.py's `running_bot(url, now=NOW,
topics=TOPICS)` (the forum topic must exist before `seed` binds it).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from storage.models import (
    Agency,
    AgencyMember,
    Assignment,
    ChatBinding,
    ExtensionRequest,
    Notice,
    Person,
    Task,
)
from storage.unit_of_work import UnitOfWork
from tests.harness import (
    DEPUTY_A,
    FOCAL_A,
    FOCAL_B,
    FORUM,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    TZ,
    Harness,
)

A_NAME = "Sở Tài chính"
B_NAME = "Sở Công Thương"
NOW = datetime(2019, 12, 27, 9, 0, tzinfo=TZ)
MARK_A = "ALPHAMARK"
MARK_B = "BRAVOMARK"
TOPIC_NAME = "Sở Tài chính"
TOPICS = (TOPIC_NAME,)  # running_bot(..., topics=TOPICS): A's forum topic
# Day 1 overdue for the open tasks (due 31/03/2020): both agencies and the office get a
# reminder in a sweep.
FANOUT_DAY = datetime(2020, 4, 1, 9, 0, tzinfo=TZ)


@dataclass
class World:
    """Ids of what `seed` created."""

    agency: dict[str, int] = field(default_factory=dict)  # "A"/"B" -> agency id
    open_task: dict[str, int] = field(default_factory=dict)  # "A"/"B" -> assignment id
    awaiting: dict[str, int] = field(default_factory=dict)  # "A"/"B" -> assignment id
    extension: dict[str, int] = field(default_factory=dict)  # "A"/"B" -> request id
    notice_id: int = 0
    topic: int = 0


async def seed(harness: Harness, *, restricted: bool = False) -> World:
    """Insert the world directly (fast): no parsing, no Telegram round trips."""
    world = World(topic=harness.topics[TOPIC_NAME])
    async with UnitOfWork(harness.services.ctx.session_factory) as uow:
        notice = Notice(number="99-TB/BCĐ", issued_on=date(2019, 12, 20), imported_at=NOW)
        uow.session.add(notice)
        await uow.session.flush()
        world.notice_id = notice.id or 0
        for key, name, mark in (("A", A_NAME, MARK_A), ("B", B_NAME, MARK_B)):
            agency = Agency(name=name, key=name.lower(), kind="so")
            uow.session.add(agency)
            await uow.session.flush()
            world.agency[key] = agency.id or 0
            for n, status in enumerate(("not_started", "awaiting_confirmation"), start=1):
                task = Task(
                    notice_id=world.notice_id,
                    code=f"{key}.{n}",
                    text=f"{mark}{n} rà soát, đôn đốc giải ngân vốn đầu tư công",
                    deadline_kind="date",
                    deadline_start=date(2020, 3, 31),
                    deadline_end=date(2020, 3, 31),
                    restricted=restricted,
                )
                uow.session.add(task)
                await uow.session.flush()
                assignment = Assignment(
                    task_id=task.id or 0,
                    agency_id=agency.id or 0,
                    status=status,
                    percent=100 if status == "awaiting_confirmation" else 0,
                    created_at=NOW,
                    acknowledged_at=NOW,
                )
                uow.session.add(assignment)
                await uow.session.flush()
                if n == 1:
                    world.open_task[key] = assignment.id or 0
                else:
                    world.awaiting[key] = assignment.id or 0
                    # The request waiting for the office sits on the awaiting task (asked,
                    # then reported done): a second request while one waits is refused, and
                    # the open task must stay free to ask for more time.
                    request = ExtensionRequest(
                        assignment_id=assignment.id or 0,
                        requested_end=date(2020, 6, 30),
                        reason="chờ vốn",
                        created_at=NOW,
                    )
                    uow.session.add(request)
                    await uow.session.flush()
                    world.extension[key] = request.id or 0
        for user, key, role in (
            (FOCAL_A, "A", "focal_point"),
            (DEPUTY_A, "A", "deputy"),
            (FOCAL_B, "B", "focal_point"),
        ):
            person = Person(telegram_user_id=user, display_name=f"Cán bộ {user}")
            uow.session.add(person)
            await uow.session.flush()
            uow.session.add(
                AgencyMember(person_id=person.id, agency_id=world.agency[key], role=role)
            )
        uow.session.add(ChatBinding(chat_id=GROUP_A, agency_id=world.agency["A"], title="Nhóm A"))
        uow.session.add(ChatBinding(chat_id=GROUP_B, agency_id=world.agency["B"], title="Nhóm B"))
        uow.session.add(
            ChatBinding(chat_id=FORUM, thread_id=world.topic, agency_id=world.agency["A"])
        )
        uow.session.add(ChatBinding(chat_id=OFFICE_GROUP, is_office=True, title="Văn phòng"))
    return world


async def read_world(harness: Harness) -> World:
    """The ids `seed` created, read back: for a copy of a database seeded once as a template."""
    world = World(topic=harness.topics[TOPIC_NAME])
    async with UnitOfWork(harness.services.ctx.session_factory) as uow:
        agencies = (await uow.session.execute(select(Agency))).scalars().all()
        names = {a.name: a.id for a in agencies}
        world.agency = {"A": names[A_NAME] or 0, "B": names[B_NAME] or 0}
        notice_ids = await uow.session.execute(select(Notice.id).order_by(Notice.id))
        world.notice_id = notice_ids.scalars().first() or 0
        for key in ("A", "B"):
            rows = (
                (
                    await uow.session.execute(
                        select(Assignment)
                        .where(Assignment.agency_id == world.agency[key])
                        .order_by(Assignment.id)
                    )
                )
                .scalars()
                .all()
            )
            world.open_task[key] = rows[0].id or 0
            world.awaiting[key] = rows[1].id or 0
            request = (
                await uow.session.execute(
                    select(ExtensionRequest).where(
                        ExtensionRequest.assignment_id == world.awaiting[key]
                    )
                )
            ).scalar_one()
            world.extension[key] = request.id or 0
    return world


def copy_database(template: Path, target: Path) -> str:
    """A SQLite copy of a seeded template: each case starts from the same state, quickly."""
    shutil.copy(template, target)
    return f"sqlite+aiosqlite:///{target}"
