"""Tasks given to no agency (review I2): in the import's count, in no cell of the roll-up,
counted beside it from the database on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.summary import SummaryService
from storage.models import Task
from storage.repositories.summary import unassigned_tasks
from storage.unit_of_work import UnitOfWork
from tests.storage.test_summary import Builder, make_ctx


async def test_only_live_tasks_without_a_live_assignment_are_counted(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        build = Builder(session)
        await build.task("Sở A")  # assigned: in the roll-up
        await build.task("Sở A", status="cancelled")  # its one assignment withdrawn
        await build.task("Sở B", cancelled_task=True)  # the task itself cancelled
        notice = await build.notice("22-TB/BCĐ")
        other = await build.notice("35-TB/BCĐ")
        for owner, code in ((notice, "X1"), (notice, "X2"), (other, "Y1")):
            session.add(Task(notice_id=owner.id, code=code, text="Chưa giao", deadline_kind="none"))
        session.add(
            Task(notice_id=notice.id, code="X3", text="Hủy", deadline_kind="none", cancelled=True)
        )
        ids = (notice.id, other.id)
        await session.commit()
    async with UnitOfWork(session_factory) as uow:
        assert await unassigned_tasks(uow, notice_ids=None) == 4
        assert await unassigned_tasks(uow, notice_ids=[ids[0]]) == 3
        assert await unassigned_tasks(uow, notice_ids=[ids[1]]) == 1
        assert await unassigned_tasks(uow, notice_ids=[]) == 0

    service = SummaryService(make_ctx(session_factory))
    everything = await service.rollup()
    assert (everything.tasks, everything.unassigned_tasks) == (1, 4)
    assert everything.overall.total == 1  # no cell changes
    assert (await service.rollup(notice_number="35-TB/BCĐ")).unassigned_tasks == 1
