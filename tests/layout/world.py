"""Worlds for the layout budget: the seed notice as imported, and the same grown to 60
agencies, every agency bound to its own group with its focal point, the office group bound.

The seed is imported through the service (its real agencies and tasks); the extra agencies
get the seed's own task texts and deadlines, so the messages read as the office's would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from bot.domain.notice import parse_notice
from storage.models import Agency, AgencyMember, Assignment, ChatBinding, Notice, Person, Task
from storage.unit_of_work import UnitOfWork
from tests.harness import ADMIN, OFFICE_GROUP, SEED, TZ, Harness, running_bot

GROUP_BASE = -1_007_000_000
FOCAL_BASE = 700_000
# District and provincial names for the agencies beyond the seed's (a province has about 60).
EXTRA_NAMES = [
    *(f"UBND huyện {n}" for n in ("Đức Thọ", "Vũ Quang", "Can Lộc", "Lộc Hà", "Cẩm Xuyên")),
    *(f"UBND thị xã {n}" for n in ("Hồng Lĩnh", "Kỳ Anh")),
    "UBND thành phố Hà Tĩnh",
    *(
        f"Sở {n}"
        for n in (
            "Nội vụ", "Tư pháp", "Khoa học và Công nghệ", "Tài nguyên và Môi trường",
            "Thông tin và Truyền thông", "Ngoại vụ",
        )
    ),
    *(f"UBND xã {n} (huyện Đức Thọ)" for n in ("Tùng Ảnh", "Trường Sơn", "Liên Minh", "Đức Lạng")),
    *(f"UBND xã {n} (huyện Can Lộc)" for n in ("Thiên Lộc", "Vượng Lộc", "Kim Song Trường")),
    *(f"UBND xã {n} (huyện Cẩm Xuyên)" for n in ("Cẩm Bình", "Cẩm Vịnh", "Cẩm Thành", "Cẩm Quan")),
    *(f"UBND xã {n} (huyện Lộc Hà)" for n in ("Thạch Kim", "Hộ Độ", "Mai Phụ", "Thạch Mỹ")),
    *(f"UBND xã {n} (huyện Vũ Quang)" for n in ("Ân Phú", "Đức Giang", "Hương Minh")),
    *(f"Phòng Nông nghiệp và PTNT huyện {n}" for n in ("Đức Thọ", "Can Lộc", "Cẩm Xuyên")),
    *(f"Hội {n} tỉnh" for n in ("Nông dân", "Liên hiệp Phụ nữ", "Cựu chiến binh")),
    "Tỉnh đoàn Hà Tĩnh",
    "Liên minh Hợp tác xã tỉnh",
    "Ngân hàng Chính sách xã hội chi nhánh tỉnh",
    "Ban Dân tộc tỉnh",
    "Kho bạc Nhà nước tỉnh",
    "Cục Thống kê tỉnh",
    "Ban Quản lý Khu kinh tế tỉnh",
]  # fmt: skip


@dataclass
class LayoutWorld:
    bot: Harness
    groups: dict[str, int] = field(default_factory=dict)  # agency name -> its group
    focal: dict[str, int] = field(default_factory=dict)  # agency name -> its focal point

    def group(self, name: str = "Sở Tài chính") -> int:
        return self.groups[name]

    def focal_point(self, name: str = "Sở Tài chính") -> int:
        return self.focal[name]


@asynccontextmanager
async def layout_world(
    database_url: str, *, agencies: int | None, **overrides: Any
) -> AsyncIterator[LayoutWorld]:
    """The seed's world (`agencies=None`) or grown to `agencies` agencies; `overrides` are
    Settings fields (`web_base_url`: the web app on, its form button on cards and digests)."""
    start = datetime(2019, 12, 27, 8, 0, tzinfo=TZ)
    async with running_bot(database_url, now=start, **overrides) as bot:
        text = SEED.read_text(encoding="utf-8")
        await bot.services.notices.import_notice(
            parse_notice(text), source_text=text, by_user_id=None
        )
        world = LayoutWorld(bot)
        async with UnitOfWork(bot.services.ctx.session_factory) as uow:
            session = uow.session
            if agencies is not None:
                await _grow(uow, agencies, assigned=start)
            rows = (await session.execute(select(Agency).order_by(Agency.id))).scalars().all()
            for agency in rows:
                assert agency.id is not None
                chat, user = GROUP_BASE - agency.id, FOCAL_BASE + agency.id
                world.groups[agency.name] = chat
                world.focal[agency.name] = user
                person = Person(telegram_user_id=user, display_name=f"Đầu mối {agency.name}"[:60])
                session.add(person)
                await session.flush()
                session.add(AgencyMember(person_id=person.id, agency_id=agency.id))
                session.add(ChatBinding(chat_id=chat, agency_id=agency.id, title=agency.name))
                bot.emulator.add_user(user, f"Đầu mối {agency.name}"[:60])
                bot.emulator.add_chat(user, "private")
                bot.emulator.add_chat(chat, "supergroup", agency.name[:120])
                bot.emulator.add_member(chat, user)
                bot.emulator.add_member(chat, ADMIN)
            session.add(ChatBinding(chat_id=OFFICE_GROUP, is_office=True, title="Văn phòng"))
        yield world


async def _grow(uow: UnitOfWork, total: int, *, assigned: datetime) -> None:
    """Add agencies up to `total`, each given three of the seed's tasks (with their texts and
    deadlines, so some are overdue, some due soon, some without a deadline), assigned when the
    seed was imported (`assigned`: the world's clock, not the machine's, or the reminder
    policy sees tasks given after their deadlines and reminds nobody of them)."""
    session = uow.session
    have = len((await session.execute(select(Agency.id))).all())
    notice = (await session.execute(select(Notice))).scalars().first()
    tasks = (await session.execute(select(Task).order_by(Task.id))).scalars().all()
    assert notice is not None and tasks
    for n, name in enumerate(EXTRA_NAMES[: max(0, total - have)]):
        agency = Agency(name=name, key=f"layout-{n}", kind="other")
        session.add(agency)
        await session.flush()
        for k in range(3):
            source = tasks[(3 * n + k) % len(tasks)]
            end = source.deadline_end or (date(2019, 12, 31) if k == 0 else None)
            task = Task(
                notice_id=notice.id or 0,
                code=f"{source.code}.{n}",
                text=source.text,
                deadline_kind=source.deadline_kind if source.deadline_end else "date",
                deadline_start=source.deadline_start or end,
                deadline_end=end,
            )
            if end is None:
                task.deadline_kind = "none"
            session.add(task)
            await session.flush()
            session.add(
                Assignment(task_id=task.id or 0, agency_id=agency.id or 0, created_at=assigned)
            )
