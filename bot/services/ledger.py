"""Every update applied once (storage/ledger.py): the bot opens a claim around each update,
and the scheduler prunes what no redelivery can need any more.

An update this process has already taken is not handled again (`first_delivery`): a webhook
redelivered because our 200 came late, say. The ledger's claim only stops an update that
wrote, at its commit; one that only reads (a list, a card, the help) would be answered twice.
This check is a set in memory, no query: it costs the reply path nothing. It is not durable,
on purpose. After a restart the updates handed again are those of the batch fetched just
before the crash (python-telegram-bot confirms each batch by its next poll, and all of them at
a clean stop), which the crashed process had most likely not answered: answering them is the
safe side, and knowing otherwise would take a write for every read. Writes stay exactly-once
across restarts and instances through the ledger."""

from __future__ import annotations

from collections import deque
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from bot.services.context import ServiceContext
from storage.ledger import UpdateAlreadyApplied as UpdateAlreadyApplied
from storage.ledger import UpdateClaim, applying_update
from storage.repositories import ledger as ledger_repo

# Telegram redelivers an update for 24 hours at most; a week covers a long outage of ours.
KEEP = timedelta(days=7)
PRUNE_EVERY = timedelta(hours=1)
# Update ids this process remembers having taken: far more than arrive while a redelivery of
# one of them can still come in (a webhook's retry comes within a minute or two).
SEEN_KEPT = 4096


def bot_id_of(token: str) -> int:
    """The bot's id, the token's first part: update ids count per bot."""
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 0


class UpdateLedger:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._pruned_at: datetime | None = None
        self._seen: set[int] = set()
        self._seen_order: deque[int] = deque()

    def first_delivery(self, update_id: int) -> bool:
        """True the first time this process is handed `update_id` (and remembered from now);
        False for a delivery again, which is then not handled at all."""
        if update_id in self._seen:
            return False
        self._seen.add(update_id)
        self._seen_order.append(update_id)
        if len(self._seen_order) > SEEN_KEPT:
            self._seen.discard(self._seen_order.popleft())
        return True

    def applying(self, update_id: int) -> AbstractContextManager[UpdateClaim]:
        """Around the handling of one update: its first writing transaction claims it."""
        bot_id = bot_id_of(self._ctx.settings.telegram_bot_token or "")
        return applying_update(bot_id, update_id, self._ctx.now())

    async def prune(self, *, force: bool = False) -> int:
        """Forget claims older than `KEEP`; at most once an hour unless `force`."""
        now = self._ctx.now()
        if not force and self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return 0
        self._pruned_at = now
        async with self._ctx.uow() as uow:
            return await ledger_repo.prune(uow, before=now - KEEP)
