"""The seed notice at 1x, 10x, 100x: data for item 3, built in bulk.

1x is the real import of the seed (NoticeService.import_notice, 33 tasks) with the 13
districts of Hà Tĩnh registered first, and the office's group of them, so "Các huyện,
thành phố, thị xã" expands to them;
30 coordinating assignments are added to reach 150, and 2,000 progress updates spread
over the seven weeks before the roll-up day (reports, blocked ones, notes, completions
and the office's confirmations), the assignments' current state following from them.
Larger sizes clone those rows under new notice numbers with core inserts and explicit ids:
100 notices ≈ 3,300 tasks, 15,000 assignments, 200,000 progress updates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from bench.common import TZ, fix_pg_sequences, local
from storage.engine import make_engine, make_session_factory
from storage.models import (
    Agency,
    AgencyGroup,
    AgencyGroupMember,
    AgencyMember,
    Assignment,
    ChatBinding,
    MessageLink,
    Notice,
    Person,
    ProgressUpdate,
    Task,
)

DISTRICTS = (
    "Thành phố Hà Tĩnh", "Thị xã Hồng Lĩnh", "Thị xã Kỳ Anh", "Huyện Nghi Xuân",
    "Huyện Đức Thọ", "Huyện Hương Sơn", "Huyện Vũ Quang", "Huyện Can Lộc", "Huyện Thạch Hà",
    "Huyện Lộc Hà", "Huyện Cẩm Xuyên", "Huyện Kỳ Anh", "Huyện Hương Khê",
)  # fmt: skip
ASSIGNMENTS_PER_NOTICE = 150
UPDATES_PER_NOTICE = 2000
IMPORTED_AT = local(2019, 12, 27, 9)
FIRST_REPORT = local(2019, 12, 28, 8)
ROLLUP_DAY = date(2020, 2, 14)  # a Friday: the weekly summary's day
LAST_REPORT = local(2020, 2, 14, 7)
STARTUP_CHAT = -1_009_000_000_001
STARTUP_USER = 9_000_001
CHUNK = 10_000
REPORTS = (
    "đang triển khai, đã hoàn thành khảo sát hiện trạng",
    "đã ban hành kế hoạch, đang tổ chức thực hiện",
    "đang phối hợp với các huyện hoàn thiện hồ sơ",
    "đã giải ngân một phần vốn, đang đôn đốc nhà thầu",
)
BLOCKERS = (
    "vướng mắc mặt bằng thi công, đề nghị UBND tỉnh chỉ đạo",
    "chưa được bố trí kinh phí, đề nghị Sở Tài chính xem xét",
)


@dataclass
class Base:
    """The 1x rows, kept in memory to be cloned."""

    notice: dict[str, Any]
    tasks: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    copies: int = 1


async def build_base(database_url: str, seed_text: str) -> Base:
    """Import the seed for real, then add assignments and progress to the 1x proportions."""
    from bot.clock import ManualClock
    from bot.config import Settings
    from bot.domain.agency_directory import name_key
    from bot.domain.agency_names import agency_key
    from bot.domain.notice import parse_notice
    from bot.services import build_services

    text = seed_text
    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(Agency),
                [{"name": n, "key": agency_key(n), "kind": "huyen"} for n in DISTRICTS],
            )
            # The office's group of its districts (issue 15: a group expands to its members).
            group = await connection.execute(
                insert(AgencyGroup).values(
                    name="Các huyện, thị xã, thành phố",
                    key=name_key("Các huyện, thị xã, thành phố"),
                    province="Hà Tĩnh",
                    created_at=IMPORTED_AT,
                )
            )
            ids = (await connection.execute(select(Agency.id).order_by(Agency.id))).scalars()
            await connection.execute(
                insert(AgencyGroupMember),
                [{"group_id": group.inserted_primary_key[0], "agency_id": i} for i in ids],
            )
        settings = Settings(telegram_bot_token="1:x", database_url=database_url, timezone=TZ)
        services = build_services(make_session_factory(engine), ManualClock(IMPORTED_AT), settings)
        result = await services.notices.import_notice(
            parse_notice(text), source_text=text, by_user_id=None
        )
        async with engine.begin() as connection:
            base = await _complete_base(connection, result.notice_id)
            await _startup_fixture(connection, base)
            await fix_pg_sequences(connection, _TABLES)
    finally:
        await engine.dispose()
    return base


_TABLES = ("agencies", "people", "agency_members", "chat_bindings", "message_links")
_TABLES += ("notices", "tasks", "assignments", "progress_updates")


async def _complete_base(connection: Any, notice_id: int) -> Base:
    rng = random.Random(22)
    notice = (await connection.execute(select(Notice).where(Notice.id == notice_id))).one()
    base = Base(notice=dict(notice._mapping))
    tasks = (await connection.execute(select(Task).where(Task.notice_id == notice_id))).all()
    base.tasks = [dict(t._mapping) for t in tasks]
    agencies = (
        (await connection.execute(select(Agency.id).where(Agency.is_group.is_(False))))
        .scalars()
        .all()
    )
    existing = (
        await connection.execute(select(Assignment).join(Task).where(Task.notice_id == notice_id))
    ).all()
    taken = {(a.task_id, a.agency_id) for a in existing}
    next_id = max(a.id for a in existing) + 1
    extra = []
    while len(existing) + len(extra) < ASSIGNMENTS_PER_NOTICE:
        pair = (rng.choice(base.tasks)["id"], rng.choice(agencies))
        if pair in taken:
            continue
        taken.add(pair)
        extra.append(
            {
                "id": next_id,
                "task_id": pair[0],
                "agency_id": pair[1],
                "role": "coordinating",
                "created_at": IMPORTED_AT,
            }
        )
        next_id += 1
    if extra:
        await connection.execute(insert(Assignment), extra)
    rows = (
        await connection.execute(select(Assignment).join(Task).where(Task.notice_id == notice_id))
    ).all()
    assignments = sorted((dict(a._mapping) for a in rows), key=lambda a: a["id"])
    first_update = (await connection.scalar(select(func.max(ProgressUpdate.id)))) or 0
    updates = _progress(assignments, rng, first_update + 1)
    await _insert(connection, ProgressUpdate, updates)
    for a in assignments:
        await connection.execute(
            update(Assignment)
            .where(Assignment.id == a["id"])
            .values(
                status=a["status"],
                percent=a["percent"],
                completed_on=a["completed_on"],
                last_update_at=a["last_update_at"],
                acknowledged_at=a["acknowledged_at"],
            )
        )
    base.assignments = assignments
    base.updates = updates
    return base


def _progress(
    assignments: list[dict[str, Any]], rng: random.Random, first_id: int
) -> list[dict[str, Any]]:
    """UPDATES_PER_NOTICE reports over the assignments; sets each assignment's state."""
    span = (LAST_REPORT - FIRST_REPORT).total_seconds()
    per = [UPDATES_PER_NOTICE // len(assignments)] * len(assignments)
    for i in range(UPDATES_PER_NOTICE - sum(per)):
        per[i] += 1
    out: list[dict[str, Any]] = []
    next_id = first_id
    for a, count in zip(assignments, per, strict=True):
        moments = sorted(
            FIRST_REPORT + timedelta(seconds=rng.random() * span) for _ in range(count)
        )
        finishes = rng.random() < 0.35
        status, percent = "in_progress", 0
        for n, moment in enumerate(moments):
            last = n == len(moments) - 1
            if finishes and n >= len(moments) - 2:
                kind, status, percent = (
                    ("confirmed", "done", 100)
                    if last
                    else (
                        "done",
                        "awaiting_confirmation",
                        100,
                    )
                )
                text = "" if last else "đã hoàn thành, gửi kèm báo cáo kết quả"
            elif rng.random() < 0.08:
                kind, status, text = "blocked", "blocked", rng.choice(BLOCKERS)
            elif rng.random() < 0.1:
                kind, text = "note", rng.choice(REPORTS)
            else:
                kind, status = "in_progress", "in_progress"
                percent = min(99, percent + rng.randint(3, 12))
                text = f"đạt {percent}%, {rng.choice(REPORTS)}"
            out.append(
                {
                    "id": next_id,
                    "assignment_id": a["id"],
                    "kind": kind,
                    "status": status,
                    "percent": percent,
                    "text": text,
                    "evidence_file_ids": "",
                    "author_user_id": 700_000 + a["agency_id"],
                    "author_name": f"Đầu mối đơn vị {a['agency_id']}",
                    "source_chat_id": None,
                    "source_message_id": None,
                    "reverts_id": None,
                    "created_at": moment,
                }
            )
            next_id += 1
        done = status in ("done", "awaiting_confirmation")
        a["status"] = status if count else "not_started"
        a["percent"] = percent
        a["completed_on"] = moments[-2].astimezone(TZ).date() if done and count > 1 else None
        a["last_update_at"] = moments[-1] if moments else None
        a["acknowledged_at"] = IMPORTED_AT + timedelta(days=1) if count else None
    return out


async def _startup_fixture(connection: Any, base: Base) -> None:
    """A bound group, its focal point and a reminder (message 1) on an open assignment: what
    start-up's first update replies to."""
    open_one = next(
        a for a in base.assignments if a["status"] == "in_progress" and a["role"] == "lead"
    )
    person = await connection.execute(
        insert(Person).values(telegram_user_id=STARTUP_USER, display_name="Đầu mối khởi động")
    )
    person_id = person.inserted_primary_key[0]
    await connection.execute(
        insert(AgencyMember).values(person_id=person_id, agency_id=open_one["agency_id"])
    )
    await connection.execute(
        insert(ChatBinding).values(chat_id=STARTUP_CHAT, agency_id=open_one["agency_id"])
    )
    await connection.execute(
        insert(MessageLink).values(
            chat_id=STARTUP_CHAT,
            message_id=1,
            assignment_id=open_one["id"],
            purpose="digest",
            created_at=IMPORTED_AT,
        )
    )


async def _insert(connection: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        await connection.execute(insert(model), rows[start : start + CHUNK])


async def grow(database_url: str, base: Base, copies: int) -> None:
    """Clone the 1x rows until the database holds `copies` notices' worth."""
    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            ids = {
                model: int((await connection.scalar(select(func.max(model.id)))) or 0)
                for model in (Notice, Task, Assignment, ProgressUpdate)
            }
            for copy in range(base.copies + 1, copies + 1):
                await _clone(connection, base, copy, ids)
            await fix_pg_sequences(connection, _TABLES)
    finally:
        await engine.dispose()
    base.copies = max(base.copies, copies)


async def _clone(connection: Any, base: Base, copy: int, ids: dict[Any, int]) -> None:
    ids[Notice] += 1
    notice_id = ids[Notice]
    notice = dict(base.notice, id=notice_id, number=f"{100 + copy}-TB/BCĐ")
    await connection.execute(insert(Notice), [notice])
    task_ids: dict[int, int] = {}
    tasks = []
    for t in base.tasks:
        ids[Task] += 1
        task_ids[t["id"]] = ids[Task]
        tasks.append(dict(t, id=ids[Task], notice_id=notice_id))
    await connection.execute(insert(Task), tasks)
    assignment_ids: dict[int, int] = {}
    assignments = []
    for a in base.assignments:
        ids[Assignment] += 1
        assignment_ids[a["id"]] = ids[Assignment]
        assignments.append(dict(a, id=ids[Assignment], task_id=task_ids[a["task_id"]]))
    await connection.execute(insert(Assignment), assignments)
    updates = []
    for u in base.updates:
        ids[ProgressUpdate] += 1
        updates.append(
            dict(u, id=ids[ProgressUpdate], assignment_id=assignment_ids[u["assignment_id"]])
        )
    await _insert(connection, ProgressUpdate, updates)


async def counts(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            return {
                model.__tablename__: int(await connection.scalar(select(func.count(model.id))) or 0)
                for model in (Notice, Task, Assignment, ProgressUpdate)
            }
    finally:
        await engine.dispose()


def rollup_day() -> datetime:
    return local(ROLLUP_DAY.year, ROLLUP_DAY.month, ROLLUP_DAY.day, 16)
