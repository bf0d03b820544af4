"""Bound agencies in bulk: the database rows and the emulator's chats for items 1 and 2.

Rows go in with SQLAlchemy core `insert(...)` over lists of dicts and explicit ids (one
statement per table, not one ORM object at a time), so 1,000 agencies take well under a
second on either database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert

from bench.common import TimedEmulator, fix_pg_sequences, local
from storage.engine import make_engine
from storage.models import (
    Agency,
    AgencyMember,
    Assignment,
    ChatBinding,
    MessageLink,
    Notice,
    Person,
    Task,
)

CHAT_BASE = -1_002_000_000_000
USER_BASE = 5_000_000
ASSIGNED = local(2019, 12, 27, 9)
REMINDER_TEXT = "Nhắc việc ngày 15/01/2020: các nhiệm vụ của đơn vị"


@dataclass(frozen=True, slots=True)
class AgencySeat:
    """One bound agency as users see it: its group, its focal point, its digest message."""

    agency_id: int
    chat_id: int
    user_id: int
    tasks: int
    reminder_message_id: int = 1  # the first message in a fresh chat


@dataclass(frozen=True, slots=True)
class World:
    seats: tuple[AgencySeat, ...]
    notice_id: int = 1


def seats(count: int, tasks_per_agency: int) -> tuple[AgencySeat, ...]:
    return tuple(
        AgencySeat(agency_id=i + 1, chat_id=CHAT_BASE - i, user_id=USER_BASE + i, tasks=tasks)
        for i, tasks in enumerate([tasks_per_agency] * count)
    )


async def build_world(
    database_url: str,
    *,
    agencies: int,
    tasks_per_agency: int,
    deadline: date,
    linked: bool,
) -> World:
    """Agencies each with a bound group, a focal point, `tasks_per_agency` acknowledged
    assignments due on `deadline`; with `linked`, a reminder digest (message 1 of the chat)
    mapped to those assignments, numbered 1..n, as the reminder sweep leaves it."""
    world = World(seats(agencies, tasks_per_agency))
    rows: dict[Any, list[dict[str, Any]]] = {
        Notice: [
            {
                "id": 1,
                "number": "22-TB/BCĐ",
                "issued_on": date(2019, 12, 27),
                "source_text": "",
                "imported_at": ASSIGNED,
                "updated_at": ASSIGNED,
            }
        ],
        Agency: [],
        Task: [],
        Assignment: [],
        Person: [],
        AgencyMember: [],
        ChatBinding: [],
        MessageLink: [],
    }
    for seat in world.seats:
        n = seat.agency_id
        rows[Agency].append(
            {"id": n, "name": f"Đơn vị số {n:04d}", "key": f"don vi so {n:04d}", "kind": "so"}
        )
        rows[Person].append(
            {"id": n, "telegram_user_id": seat.user_id, "display_name": f"Đầu mối {n}"}
        )
        rows[AgencyMember].append({"id": n, "person_id": n, "agency_id": n, "role": "focal_point"})
        rows[ChatBinding].append(
            {"id": n, "chat_id": seat.chat_id, "agency_id": n, "title": f"Nhóm đơn vị {n}"}
        )
        for k in range(seat.tasks):
            task_id = (n - 1) * seat.tasks + k + 1
            rows[Task].append(
                {
                    "id": task_id,
                    "notice_id": 1,
                    "code": f"{n}.{k + 1}",
                    "text": f"Nhiệm vụ {n}.{k + 1}: đẩy nhanh tiến độ giải ngân vốn năm 2019",
                    "deadline_kind": "date",
                    "deadline_start": deadline,
                    "deadline_end": deadline,
                    "created_at": ASSIGNED,
                    "updated_at": ASSIGNED,
                }
            )
            rows[Assignment].append(
                {
                    "id": task_id,
                    "task_id": task_id,
                    "agency_id": n,
                    "role": "lead",
                    "created_at": ASSIGNED,
                    "acknowledged_at": ASSIGNED,
                }
            )
            if linked:
                rows[MessageLink].append(
                    {
                        "id": task_id,
                        "chat_id": seat.chat_id,
                        "message_id": seat.reminder_message_id,
                        "assignment_id": task_id,
                        "position": k + 1,
                        "purpose": "digest",
                        "created_at": ASSIGNED,
                    }
                )
    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            for model, values in rows.items():
                if values:
                    await connection.execute(insert(model), values)
            await fix_pg_sequences(connection, [m.__tablename__ for m in rows])  # type: ignore[attr-defined]
    finally:
        await engine.dispose()
    return world


def make_emulator(world: World, *, clock: Any = None) -> TimedEmulator:
    """The same users and groups on a fresh emulator (each run starts from the same state)."""
    from bench.common import TOKEN

    emulator = TimedEmulator(TOKEN, clock=clock)
    for seat in world.seats:
        emulator.add_user(seat.user_id, f"Đầu mối {seat.agency_id}")
        emulator.add_chat(seat.chat_id, "supergroup", f"Nhóm đơn vị {seat.agency_id}")
        emulator.add_member(seat.chat_id, seat.user_id)
    return emulator


async def post_reminders(emulator: TimedEmulator, world: World) -> None:
    """Put the digest each reply answers in every group (as the bot would), then forget the
    calls so the benchmark counts only its own."""
    for seat in world.seats:
        message = await emulator.call("sendMessage", chat_id=seat.chat_id, text=REMINDER_TEXT)
        assert message["message_id"] == seat.reminder_message_id
    emulator.reset_records()
    emulator.replied_at.clear()
    emulator.sends.clear()
