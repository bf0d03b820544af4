"""The dispatch log: the exactly-once claim of a message that is not per assignment (the
weekly summary to a chat...), one row per `(kind, target, period)` under a UNIQUE constraint."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import DispatchLog
from storage.unit_of_work import UnitOfWork


async def claim(
    uow: UnitOfWork, *, kind: str, target: str, period: str, at: datetime
) -> int | None:
    """Insert the claim; its id, or None when it was already claimed (by anyone)."""
    insert = postgresql.insert if uow.dialect_name == "postgresql" else sqlite.insert
    statement = (
        insert(DispatchLog)
        .values(kind=kind, target=target, period=period, claimed_at=at)
        .on_conflict_do_nothing(index_elements=["kind", "target", "period"])
        .returning(DispatchLog.id)
    )
    return (await uow.execute(statement)).scalar_one_or_none()


async def mark_sent(
    uow: UnitOfWork, *, claim_id: int, at: datetime, message_id: int | None
) -> None:
    await uow.execute(
        update(DispatchLog)
        .where(DispatchLog.id == claim_id)
        .values(sent_at=at, message_id=message_id)
    )


async def release(uow: UnitOfWork, *, claim_id: int) -> None:
    """Delete the claim, so that the next run claims and sends again."""
    await uow.execute(delete(DispatchLog).where(DispatchLog.id == claim_id))


async def release_unsent(uow: UnitOfWork, *, kind: str, claimed_before: datetime) -> int:
    """Delete this kind's claims still unsent that were taken before `claimed_before`."""
    result = await uow.execute(
        delete(DispatchLog).where(
            DispatchLog.kind == kind,
            DispatchLog.sent_at.is_(None),
            DispatchLog.claimed_at < claimed_before,
        )
    )
    return result.rowcount or 0


async def is_sent(uow: UnitOfWork, *, kind: str, target: str, period: str) -> bool:
    row = (
        await uow.execute(
            select(DispatchLog.id).where(
                DispatchLog.kind == kind,
                DispatchLog.target == target,
                DispatchLog.period == period,
                DispatchLog.sent_at.is_not(None),
            )
        )
    ).first()
    return row is not None
