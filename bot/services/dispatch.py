"""Exactly-once for messages that are not per assignment (the weekly summary...).

A send is claimed by inserting (kind, target, period) under a UNIQUE constraint (an insert
that does nothing on conflict), in its own transaction, before sending; only the instance
whose insert succeeded sends. The outcome (message id or error) is recorded after. A claim whose send failed is released (deleted) so
the next run tries again; a process killed between claim and send leaves a claim with no
outcome, which `release_stale` frees after the claim timeout.
"""

from __future__ import annotations

from datetime import timedelta

from bot.services.context import ServiceContext
from storage.repositories import dispatch_log


class DispatchService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def claim(self, *, kind: str, target: str, period: str) -> int | None:
        """The claim's id when this instance won it; None when it was already claimed."""
        async with self._ctx.uow() as uow:
            return await dispatch_log.claim(
                uow, kind=kind, target=target, period=period, at=self._ctx.now()
            )

    async def sent(self, claim_id: int, *, message_id: int | None) -> None:
        async with self._ctx.uow() as uow:
            await dispatch_log.mark_sent(
                uow, claim_id=claim_id, at=self._ctx.now(), message_id=message_id
            )

    async def failed(self, claim_id: int, *, error: str) -> None:
        """Release the claim so that the next run retries the send."""
        async with self._ctx.uow() as uow:
            await dispatch_log.release(uow, claim_id=claim_id)

    async def release_stale(self, *, kind: str) -> int:
        timeout = timedelta(seconds=self._ctx.settings.claim_timeout_seconds)
        async with self._ctx.uow() as uow:
            return await dispatch_log.release_unsent(
                uow, kind=kind, claimed_before=self._ctx.now() - timeout
            )

    async def is_done(self, *, kind: str, target: str, period: str) -> bool:
        async with self._ctx.uow() as uow:
            return await dispatch_log.is_sent(uow, kind=kind, target=target, period=period)

    async def mark_done(self, *, kind: str, target: str, period: str) -> None:
        """Record that a whole run finished (cheap check for the next run)."""
        claim = await self.claim(kind=kind, target=target, period=period)
        if claim is not None:
            await self.sent(claim, message_id=None)
