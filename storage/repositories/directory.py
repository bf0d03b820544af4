"""The office's directory: groups of agencies and their members; renaming and merging
agencies (the merged one stays, inactive, so its history keeps its name)."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from storage.models import (
    Agency,
    AgencyAlias,
    AgencyGroup,
    AgencyGroupMember,
    AgencyMember,
    Assignment,
    ChatBinding,
)
from storage.unit_of_work import UnitOfWork


async def groups(uow: UnitOfWork) -> list[tuple[AgencyGroup, list[int]]]:
    """Every group by name, with its members' ids (in the order they were added)."""
    session = uow.session
    rows = (await session.execute(select(AgencyGroup).order_by(AgencyGroup.name))).scalars().all()
    members: dict[int, list[int]] = {}
    for member in (
        await session.execute(select(AgencyGroupMember).order_by(AgencyGroupMember.id))
    ).scalars():
        members.setdefault(member.group_id, []).append(member.agency_id)
    return [(g, members.get(g.id or 0, [])) for g in rows]


async def group_by_key(uow: UnitOfWork, *, key: str) -> AgencyGroup | None:
    result = await uow.session.execute(select(AgencyGroup).where(AgencyGroup.key == key))
    return result.scalar_one_or_none()


async def save_group(
    uow: UnitOfWork, *, name: str, key: str, member_ids: list[int], province: str | None = None
) -> AgencyGroup:
    """Create the group, or give the existing one (same key) exactly these members."""
    group = await group_by_key(uow, key=key)
    if group is None:
        group = AgencyGroup(name=name, key=key, province=province)
        uow.session.add(group)
        await uow.session.flush()
    else:
        group.name = name
        group.province = province or group.province
        await uow.session.execute(
            delete(AgencyGroupMember).where(AgencyGroupMember.group_id == group.id)
        )
    for agency_id in dict.fromkeys(member_ids):
        uow.session.add(AgencyGroupMember(group_id=group.id or 0, agency_id=agency_id))
    await uow.session.flush()
    return group


async def agencies_with_counts(uow: UnitOfWork) -> list[tuple[Agency, int, int]]:
    """Every active agency by name: (agency, live assignments, bound chats)."""
    session = uow.session
    assigned: dict[int, int] = dict(
        (
            await session.execute(
                select(Assignment.agency_id, func.count(Assignment.id))
                .where(Assignment.status != "cancelled")
                .group_by(Assignment.agency_id)
            )
        ).all()
    )
    bound: dict[int, int] = dict(
        (
            await session.execute(
                select(ChatBinding.agency_id, func.count(ChatBinding.id))
                .where(ChatBinding.active.is_(True), ChatBinding.agency_id.is_not(None))
                .group_by(ChatBinding.agency_id)
            )
        ).all()
    )
    agencies = (
        await session.execute(
            select(Agency)
            .where(Agency.active.is_(True), Agency.is_group.is_(False))
            .order_by(Agency.name)
        )
    ).scalars()
    return [(a, int(assigned.get(a.id, 0)), int(bound.get(a.id, 0))) for a in agencies]


async def rename_agency(uow: UnitOfWork, *, agency: Agency, name: str, key: str) -> None:
    """The new name becomes the agency's; the old one stays an alias (notices still use it)."""
    old_name, old_key = agency.name, agency.key
    existing = (
        await uow.session.execute(select(AgencyAlias).where(AgencyAlias.key == key))
    ).scalar_one_or_none()
    if existing is not None and existing.agency_id == agency.id:
        await uow.session.delete(existing)
        await uow.session.flush()
    agency.name, agency.key = name, key
    await uow.session.flush()
    if old_key != key:
        uow.session.add(AgencyAlias(agency_id=agency.id or 0, alias=old_name, key=old_key))
        await uow.session.flush()


async def merge_agencies(uow: UnitOfWork, *, source: Agency, target: Agency) -> int:
    """Move ``source``'s assignments, people, chats, aliases and groups to ``target``; the
    source stays as an inactive row (its name becomes the target's alias). An assignment of
    a task both already have stays with the source, its history intact. Returns how many
    assignments moved."""
    session = uow.session
    source_id, target_id = source.id or 0, target.id or 0
    target_tasks = select(Assignment.task_id).where(Assignment.agency_id == target_id)
    moved = await session.execute(
        update(Assignment)
        .where(Assignment.agency_id == source_id, Assignment.task_id.not_in(target_tasks))
        .values(agency_id=target_id)
    )
    target_people = select(AgencyMember.person_id).where(AgencyMember.agency_id == target_id)
    await session.execute(
        update(AgencyMember)
        .where(AgencyMember.agency_id == source_id, AgencyMember.person_id.not_in(target_people))
        .values(agency_id=target_id)
    )
    await session.execute(
        update(AgencyMember).where(AgencyMember.agency_id == source_id).values(active=False)
    )
    await session.execute(
        update(ChatBinding).where(ChatBinding.agency_id == source_id).values(agency_id=target_id)
    )
    await session.execute(
        update(AgencyAlias).where(AgencyAlias.agency_id == source_id).values(agency_id=target_id)
    )
    in_target_groups = select(AgencyGroupMember.group_id).where(
        AgencyGroupMember.agency_id == target_id
    )
    await session.execute(
        update(AgencyGroupMember)
        .where(
            AgencyGroupMember.agency_id == source_id,
            AgencyGroupMember.group_id.not_in(in_target_groups),
        )
        .values(agency_id=target_id)
    )
    await session.execute(delete(AgencyGroupMember).where(AgencyGroupMember.agency_id == source_id))
    old_name, old_key = source.name, source.key
    source.key = f"~{source_id}~{old_key}"[:300]
    source.active = False
    await session.flush()
    session.add(AgencyAlias(agency_id=target_id, alias=old_name, key=old_key))
    await session.flush()
    return int(getattr(moved, "rowcount", 0) or 0)
