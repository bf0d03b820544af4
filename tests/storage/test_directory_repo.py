"""The directory's SQL on SQLite and PostgreSQL: a group's members replaced exactly, a merge
that moves assignments, people, chats and aliases but leaves a task both had with the merged
agency (its history intact), and a rename that keeps the old name findable."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_session_factory
from storage.models import Agency, AgencyAlias, Assignment, ChatBinding, Notice, Task
from storage.repositories import agencies as agency_repo
from storage.repositories import directory
from storage.unit_of_work import UnitOfWork


async def _agency(uow: UnitOfWork, name: str, key: str) -> Agency:
    return await agency_repo.add(uow, name=name, key=key, kind="huyen", is_group=False)


async def test_groups_merge_and_rename(engine: AsyncEngine) -> None:
    factory = make_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        a = await _agency(uow, "UBND huyện Can Lộc", "ubnd huyen can loc")
        b = await _agency(uow, "Huyện Can Lộc", "huyen can loc")
        c = await _agency(uow, "Huyện Kỳ Anh", "huyen ky anh")
        group = await directory.save_group(
            uow, name="Các huyện", key="huyen", member_ids=[a.id, c.id], province="Hà Tĩnh"
        )
        await directory.save_group(uow, name="Các huyện", key="huyen", member_ids=[c.id, c.id])
        notice = Notice(number="1/TB", source_text="")
        uow.session.add(notice)
        await uow.session.flush()
        tasks = [Task(notice_id=notice.id, code=str(n), text="x") for n in range(3)]
        uow.session.add_all(tasks)
        await uow.session.flush()
        uow.session.add_all(
            [
                Assignment(task_id=tasks[0].id, agency_id=a.id),
                Assignment(task_id=tasks[1].id, agency_id=a.id),
                Assignment(task_id=tasks[1].id, agency_id=b.id),
                ChatBinding(chat_id=-5, agency_id=a.id),
            ]
        )
        await uow.session.flush()
        ((found, members),) = await directory.groups(uow)
        assert (found.id, found.province, members) == (group.id, "Hà Tĩnh", [c.id])
        moved = await directory.merge_agencies(uow, source=a, target=b)
        assert moved == 1
        await directory.rename_agency(uow, agency=c, name="Thị xã Kỳ Anh", key="thi xa ky anh")
    async with UnitOfWork(factory) as uow:
        rows = (await uow.session.execute(select(Assignment.task_id, Assignment.agency_id))).all()
        assert sorted(rows) == sorted(
            [(tasks[0].id, b.id), (tasks[1].id, a.id), (tasks[1].id, b.id)]
        )
        binding = (await uow.session.execute(select(ChatBinding))).scalar_one()
        assert binding.agency_id == b.id
        assert (await agency_repo.by_key(uow, key="ubnd huyen can loc")).id == b.id
        assert (await agency_repo.by_key(uow, key="huyen ky anh")).name == "Thị xã Kỳ Anh"
        merged = await agency_repo.get(uow, agency_id=a.id)
        assert merged is not None and not merged.active and merged.name == "UBND huyện Can Lộc"
        aliases = {x.alias for x in (await uow.session.execute(select(AgencyAlias))).scalars()}
        assert aliases == {"UBND huyện Can Lộc", "Huyện Kỳ Anh"}
        counts = {agency.name: n for agency, n, _ in await directory.agencies_with_counts(uow)}
        assert counts == {"Huyện Can Lộc": 2, "Thị xã Kỳ Anh": 0}
