"""Collectives an earlier version saved as agencies (issue 15): once a re-import hands their
assignments over to the group's members, the old row is made inactive, so it leaves the
agency listings and name look-ups (/nhiemvu, /moi, the web app's lists; /donvi already
leaves such rows out) and, having no live assignment, the summaries; its assignments and reports stay as history. A row that still
holds a live task elsewhere stays active until that one hands over too."""

from __future__ import annotations

from sqlalchemy import true

from storage.models import Agency, Assignment, Notice, ProgressUpdate, Task
from storage.unit_of_work import UnitOfWork
from tests.handlers.test_import_plan import _save, _send
from tests.harness import ADMIN, OFFICE_GROUP, SEED, Harness

DISTRICTS = "Các huyện, thành phố, thị xã"
DEPARTMENTS = "Các sở, ngành theo tiêu chí phụ trách"


async def _office_finds(bot: Harness, name: str) -> bool:
    """Whether the office's /nhiemvu <name> still finds the agency (listings match names
    among active agencies only)."""
    await bot.send(ADMIN, OFFICE_GROUP, f"/nhiemvu {name}")
    return f"Nhiệm vụ — {name}" in bot.last_text(OFFICE_GROUP)


async def test_a_collective_row_is_retired_once_its_tasks_hand_over(bot: Harness) -> None:
    await _save(bot, await _send(bot, SEED.name, SEED.read_bytes()))
    ii1 = next(t for t in await bot.rows(Task, true()) if t.code == "II.1")
    async with UnitOfWork(bot.services.ctx.session_factory) as uow:
        districts = Agency(name=DISTRICTS, key="legacy-districts", is_group=True)
        departments = Agency(name=DEPARTMENTS, key="legacy-departments", is_group=True)
        other = Notice(number="9/TB-CU", source_text="")
        uow.session.add_all([districts, departments, other])
        await uow.session.flush()
        old_task = Task(notice_id=other.id, code="1", text="Việc của một thông báo cũ")
        uow.session.add(old_task)
        await uow.session.flush()
        handed = Assignment(task_id=ii1.id, agency_id=districts.id)
        elsewhere = Assignment(task_id=old_task.id, agency_id=departments.id)
        uow.session.add_all([handed, elsewhere])
        await uow.session.flush()
        uow.session.add(
            ProgressUpdate(
                assignment_id=handed.id, kind="progress", status="in_progress", percent=30
            )
        )
        ids = (districts.id, departments.id, handed.id)
    await bot.send(ADMIN, OFFICE_GROUP, "/vanphong")
    assert await _office_finds(bot, DISTRICTS)  # before: an agency of its own

    await bot.send(
        ADMIN, ADMIN, "/donvi nhom Các huyện, thị xã, thành phố: Huyện Kỳ Anh; Huyện Nghi Xuân"
    )
    await _save(bot, await _send(bot, SEED.name, SEED.read_bytes()))

    agencies = {a.id: a for a in await bot.rows(Agency, true())}
    assert agencies[ids[0]].active is False  # handed over: retired
    assert agencies[ids[1]].active is True  # still holds a live task in another notice
    # History stays: the old assignment (cancelled) and its report.
    kept = (await bot.rows(Assignment, Assignment.id == ids[2]))[0]
    assert kept.status == "cancelled"
    assert await bot.rows(ProgressUpdate, ProgressUpdate.assignment_id == ids[2])
    assert not await _office_finds(bot, DISTRICTS)
    assert await _office_finds(bot, DEPARTMENTS)
    await bot.send(ADMIN, ADMIN, "/donvi")
    assert DISTRICTS not in bot.last_text(ADMIN)
