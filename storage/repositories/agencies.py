"""Agencies and their aliases: found by canonical key, never duplicated; an agency's pause."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.domain.types import AssignmentStatus
from storage.models import Agency, AgencyAlias, Assignment, Task
from storage.unit_of_work import UnitOfWork


async def get(uow: UnitOfWork, *, agency_id: int) -> Agency | None:
    return await uow.session.get(Agency, agency_id)


async def by_key(uow: UnitOfWork, *, key: str) -> Agency | None:
    """The agency whose name or one of whose aliases has this canonical key."""
    session = uow.session
    agency = (await session.execute(select(Agency).where(Agency.key == key))).scalar_one_or_none()
    if agency is not None:
        return agency
    alias = (
        await session.execute(select(AgencyAlias).where(AgencyAlias.key == key))
    ).scalar_one_or_none()
    return await session.get(Agency, alias.agency_id) if alias else None


async def all_active(uow: UnitOfWork) -> list[Agency]:
    result = await uow.session.execute(
        select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)
    )
    return list(result.scalars().all())


async def aliases(uow: UnitOfWork) -> list[AgencyAlias]:
    return list((await uow.session.execute(select(AgencyAlias))).scalars().all())


async def members_of_kind(uow: UnitOfWork, *, kind: str) -> list[Agency]:
    """Registered (non-group) agencies of a kind: a group addressee expands to these."""
    result = await uow.session.execute(
        select(Agency)
        .where(Agency.kind == kind, Agency.is_group.is_(False), Agency.active.is_(True))
        .order_by(Agency.id)
    )
    return list(result.scalars().all())


async def add(uow: UnitOfWork, *, name: str, key: str, kind: str, is_group: bool) -> Agency:
    """A new agency (its id assigned)."""
    agency = Agency(name=name, key=key, kind=kind, is_group=is_group)
    uow.session.add(agency)
    await uow.session.flush()
    return agency


async def add_alias(uow: UnitOfWork, *, agency_id: int, alias: str, key: str) -> None:
    existing = (
        await uow.session.execute(select(AgencyAlias).where(AgencyAlias.key == key))
    ).scalar_one_or_none()
    if existing is None:
        uow.session.add(AgencyAlias(agency_id=agency_id, alias=alias, key=key))


async def set_pause(uow: UnitOfWork, *, agency_id: int, until: date | None) -> Agency | None:
    """Pause the agency's reminders up to `until` (inclusive), or resume them (None)."""
    agency = await uow.session.get(Agency, agency_id)
    if agency is not None:
        agency.paused_until = until
    return agency


async def retire_idle_group_rows(uow: UnitOfWork) -> list[str]:
    """Collectives an earlier version stored as agencies (``is_group``) once no live
    assignment is left on them (a re-import handed their tasks to the group's members): made
    inactive, so they leave the summaries and lists. Their rows, assignments and reports stay,
    for history. Returns their names."""
    live = (
        select(Assignment.id)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            Assignment.agency_id == Agency.id,
            Assignment.status != AssignmentStatus.CANCELLED,
            Task.cancelled.is_(False),
        )
        .exists()
    )
    result = await uow.session.execute(
        select(Agency).where(Agency.is_group.is_(True), Agency.active.is_(True), ~live)
    )
    retired = list(result.scalars().all())
    for agency in retired:
        agency.active = False
    await uow.session.flush()
    return [a.name for a in retired]
