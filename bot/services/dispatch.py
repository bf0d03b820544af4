"""Exactly-once for messages that are not per assignment (the weekly summary...).

A send is claimed by inserting (kind, target, period) under a UNIQUE constraint, in its own
transaction, before sending; only the instance whose insert succeeded sends. The outcome
(message id or error) is recorded after. A claim whose send failed is released (deleted) so
the next run tries again; a process killed between claim and send leaves a claim with no
outcome, which `release_stale` frees after the claim timeout.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.services.context import ServiceContext
from storage.models import DispatchLog


class DispatchService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def claim(self, *, kind: str, target: str, period: str) -> int | None:
        """The claim's id when this instance won it; None when it was already claimed."""
        try:
            async with self._ctx.uow() as session:
                row = DispatchLog(
                    kind=kind, target=target, period=period, claimed_at=self._ctx.now()
                )
                session.add(row)
                await session.flush()
                return row.id
        except IntegrityError:
            return None

    async def sent(self, claim_id: int, *, message_id: int | None) -> None:
        async with self._ctx.uow() as session:
            await session.execute(
                update(DispatchLog)
                .where(DispatchLog.id == claim_id)
                .values(sent_at=self._ctx.now(), message_id=message_id)
            )

    async def failed(self, claim_id: int, *, error: str) -> None:
        """Release the claim so that the next run retries the send."""
        async with self._ctx.uow() as session:
            await session.execute(delete(DispatchLog).where(DispatchLog.id == claim_id))

    async def release_stale(self, *, kind: str) -> int:
        timeout = timedelta(seconds=self._ctx.settings.claim_timeout_seconds)
        async with self._ctx.uow() as session:
            result = await session.execute(
                delete(DispatchLog).where(
                    DispatchLog.kind == kind,
                    DispatchLog.sent_at.is_(None),
                    DispatchLog.claimed_at < self._ctx.now() - timeout,
                )
            )
            return result.rowcount or 0

    async def is_done(self, *, kind: str, target: str, period: str) -> bool:
        async with self._ctx.uow() as session:
            row = (
                await session.execute(
                    select(DispatchLog.id).where(
                        DispatchLog.kind == kind,
                        DispatchLog.target == target,
                        DispatchLog.period == period,
                        DispatchLog.sent_at.is_not(None),
                    )
                )
            ).first()
            return row is not None

    async def mark_done(self, *, kind: str, target: str, period: str) -> None:
        """Record that a whole run finished (cheap check for the next run)."""
        claim = await self.claim(kind=kind, target=target, period=period)
        if claim is not None:
            await self.sent(claim, message_id=None)
