"""Every update applied once (storage/ledger.py): the bot opens a claim around each update,
and the scheduler prunes what no redelivery can need any more."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from bot.services.context import ServiceContext
from storage.ledger import UpdateAlreadyApplied as UpdateAlreadyApplied
from storage.ledger import UpdateClaim, applying_update
from storage.repositories import ledger as ledger_repo

# Telegram redelivers an update for 24 hours at most; a week covers a long outage of ours.
KEEP = timedelta(days=7)
PRUNE_EVERY = timedelta(hours=1)


def bot_id_of(token: str) -> int:
    """The bot's id, the token's first part: update ids count per bot."""
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 0


class UpdateLedger:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._pruned_at: datetime | None = None

    @contextmanager
    def applying(self, update_id: int) -> Iterator[UpdateClaim]:
        """Around the handling of one update: its first writing transaction claims it."""
        bot_id = bot_id_of(self._ctx.settings.telegram_bot_token or "")
        with applying_update(bot_id, update_id, self._ctx.now()) as claim:
            yield claim

    async def prune(self, *, force: bool = False) -> int:
        """Forget claims older than `KEEP`; at most once an hour unless `force`."""
        now = self._ctx.now()
        if not force and self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return 0
        self._pruned_at = now
        async with self._ctx.uow() as uow:
            return await ledger_repo.prune(uow, before=now - KEEP)
