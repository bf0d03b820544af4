"""retire_idle_group_rows on SQLite and PostgreSQL: a legacy collective row with no live
assignment (cancelled, or on a cancelled task) is made inactive; one with a live assignment,
or an ordinary agency without any, is left as it is."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_session_factory
from storage.models import Agency, Assignment, Notice, Task
from storage.repositories import agencies as agency_repo
from storage.unit_of_work import UnitOfWork


async def test_only_idle_legacy_group_rows_are_retired(engine: AsyncEngine) -> None:
    factory = make_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        idle = Agency(name="Các huyện", key="g-idle", is_group=True)
        on_cancelled_task = Agency(name="Các sở", key="g-task", is_group=True)
        busy = Agency(name="Các đoàn thể", key="g-busy", is_group=True)
        ordinary = Agency(name="Sở Y tế", key="so y te")
        notice = Notice(number="1/TB", source_text="")
        uow.session.add_all([idle, on_cancelled_task, busy, ordinary, notice])
        await uow.session.flush()
        live = Task(notice_id=notice.id, code="1", text="x")
        gone = Task(notice_id=notice.id, code="2", text="y", cancelled=True)
        uow.session.add_all([live, gone])
        await uow.session.flush()
        uow.session.add_all(
            [
                Assignment(task_id=live.id, agency_id=idle.id, status="cancelled"),
                Assignment(task_id=gone.id, agency_id=on_cancelled_task.id),
                Assignment(task_id=live.id, agency_id=busy.id, status="done"),
            ]
        )
        await uow.session.flush()
        retired = await agency_repo.retire_idle_group_rows(uow)
        assert sorted(retired) == ["Các huyện", "Các sở"]
        assert (idle.active, on_cancelled_task.active, busy.active, ordinary.active) == (
            False,
            False,
            True,
            True,
        )
        assert await agency_repo.retire_idle_group_rows(uow) == []  # once
