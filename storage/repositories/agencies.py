"""Agencies and their aliases: found by canonical key, never duplicated."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Agency, AgencyAlias


async def by_key(session: AsyncSession, *, key: str) -> Agency | None:
    """The agency whose name or one of whose aliases has this canonical key."""
    agency = (await session.execute(select(Agency).where(Agency.key == key))).scalar_one_or_none()
    if agency is not None:
        return agency
    alias = (
        await session.execute(select(AgencyAlias).where(AgencyAlias.key == key))
    ).scalar_one_or_none()
    return await session.get(Agency, alias.agency_id) if alias else None


async def all_active(session: AsyncSession) -> list[Agency]:
    result = await session.execute(
        select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)
    )
    return list(result.scalars().all())


async def aliases(session: AsyncSession) -> list[AgencyAlias]:
    return list((await session.execute(select(AgencyAlias))).scalars().all())


async def members_of_kind(session: AsyncSession, *, kind: str) -> list[Agency]:
    """Registered (non-group) agencies of a kind: a group addressee expands to these."""
    result = await session.execute(
        select(Agency)
        .where(Agency.kind == kind, Agency.is_group.is_(False), Agency.active.is_(True))
        .order_by(Agency.id)
    )
    return list(result.scalars().all())


async def add_alias(session: AsyncSession, *, agency_id: int, alias: str, key: str) -> None:
    existing = (
        await session.execute(select(AgencyAlias).where(AgencyAlias.key == key))
    ).scalar_one_or_none()
    if existing is None:
        session.add(AgencyAlias(agency_id=agency_id, alias=alias, key=key))
