"""What an import plan reads: the office's agencies with their other names, and a stored
notice's tasks with their assignments and the office's moves between agencies."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Agency, AgencyAlias, Assignment, Task, TaskRevision
from storage.unit_of_work import UnitOfWork


async def agencies_with_aliases(uow: UnitOfWork) -> list[tuple[Agency, list[str]]]:
    """Every active agency that is not a legacy group row, by id, with its aliases."""
    session = uow.session
    agencies = (
        await session.execute(
            select(Agency)
            .where(Agency.active.is_(True), Agency.is_group.is_(False))
            .order_by(Agency.id)
        )
    ).scalars()
    aliases: dict[int, list[str]] = {}
    for alias in (await session.execute(select(AgencyAlias).order_by(AgencyAlias.id))).scalars():
        aliases.setdefault(alias.agency_id, []).append(alias.alias)
    return [(a, aliases.get(a.id or 0, [])) for a in agencies]


async def legacy_group_agencies(uow: UnitOfWork) -> list[Agency]:
    """Collectives an earlier version stored as agencies (is_group): a re-import moves their
    assignments to the group's members."""
    result = await uow.session.execute(
        select(Agency).where(Agency.is_group.is_(True), Agency.active.is_(True)).order_by(Agency.id)
    )
    return list(result.scalars().all())


async def tasks_with_assignments(
    uow: UnitOfWork, *, notice_id: int
) -> list[tuple[Task, list[Assignment]]]:
    """The notice's tasks by code, each with its assignments by id (cancelled ones too)."""
    session = uow.session
    tasks = list(
        (await session.execute(select(Task).where(Task.notice_id == notice_id).order_by(Task.id)))
        .scalars()
        .all()
    )
    by_task: dict[int, list[Assignment]] = {t.id or 0: [] for t in tasks}
    if tasks:
        rows = await session.execute(
            select(Assignment)
            .where(Assignment.task_id.in_(sorted(by_task)))
            .order_by(Assignment.id)
        )
        for assignment in rows.scalars():
            by_task[assignment.task_id].append(assignment)
    return [(t, by_task[t.id or 0]) for t in tasks]


async def agency_moves(uow: UnitOfWork, *, notice_id: int) -> list[tuple[int, str, str]]:
    """(task id, from agency, to agency) of the office's reassignments in the notice."""
    rows = await uow.session.execute(
        select(TaskRevision.task_id, TaskRevision.old_value, TaskRevision.new_value)
        .join(Task, Task.id == TaskRevision.task_id)
        .where(Task.notice_id == notice_id, TaskRevision.field_name == "agency")
        .order_by(TaskRevision.id)
    )
    return [(task_id, old or "", new or "") for task_id, old, new in rows.all()]
