"""Who is on board: the agencies with work to do, which have a bound group, their latest
invite codes, and the revocation of a code when a new one is issued (issue 21)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update

from storage.models import Agency, Assignment, ChatBinding, InviteCode, Notice, Task
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class AgencyNoticeWork:
    """How many tasks of one notice an agency has (lead or coordinating, not cancelled)."""

    agency_id: int
    agency_name: str
    notice_id: int
    notice_number: str
    notice_date: date | None
    tasks: int
    first_assigned_at: datetime


async def agency_work(uow: UnitOfWork) -> list[AgencyNoticeWork]:
    """Every (agency, notice) pair with work, for active agencies that are not groups (a
    group's tasks are its members'), by agency name then notice date."""
    rows = (
        await uow.session.execute(
            select(
                Agency.id,
                Agency.name,
                Notice.id,
                Notice.number,
                Notice.issued_on,
                func.count(Assignment.id),
                func.min(Assignment.created_at),
            )
            .join(Assignment, Assignment.agency_id == Agency.id)
            .join(Task, Task.id == Assignment.task_id)
            .join(Notice, Notice.id == Task.notice_id)
            .where(Agency.active.is_(True), Agency.is_group.is_(False), Task.cancelled.is_(False))
            .group_by(Agency.id, Agency.name, Notice.id, Notice.number, Notice.issued_on)
            .order_by(Agency.name, Notice.issued_on, Notice.id)
        )
    ).all()
    return [
        AgencyNoticeWork(
            agency_id=agency_id,
            agency_name=name,
            notice_id=notice_id,
            notice_number=number,
            notice_date=issued_on,
            tasks=int(tasks),
            first_assigned_at=first,
        )
        for agency_id, name, notice_id, number, issued_on, tasks, first in rows
    ]


async def bound_agency_ids(uow: UnitOfWork) -> set[int]:
    """Agencies with at least one active group or topic binding."""
    rows = await uow.session.execute(
        select(ChatBinding.agency_id)
        .where(ChatBinding.active.is_(True), ChatBinding.agency_id.is_not(None))
        .distinct()
    )
    return {agency_id for (agency_id,) in rows.all() if agency_id is not None}


async def latest_invites(uow: UnitOfWork) -> dict[int, InviteCode]:
    """Each agency's most recent invite code (used, expired, revoked or not)."""
    latest = (
        select(InviteCode.agency_id, func.max(InviteCode.id).label("last_id"))
        .group_by(InviteCode.agency_id)
        .subquery()
    )
    rows = (
        (
            await uow.session.execute(
                select(InviteCode).join(latest, InviteCode.id == latest.c.last_id)
            )
        )
        .scalars()
        .all()
    )
    return {row.agency_id: row for row in rows}


async def revoke_open_invites(uow: UnitOfWork, *, agency_ids: Collection[int], at: datetime) -> int:
    """Revoke the agencies' codes that could still bind (unused, unexpired, not revoked):
    a re-issued code replaces them. Returns how many were revoked."""
    if not agency_ids:
        return 0
    result = await uow.execute(
        update(InviteCode)
        .where(
            InviteCode.agency_id.in_(list(agency_ids)),
            InviteCode.used_at.is_(None),
            InviteCode.revoked_at.is_(None),
            InviteCode.expires_at > at,
        )
        .values(revoked_at=at)
    )
    return result.rowcount or 0
