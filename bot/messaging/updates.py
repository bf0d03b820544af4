"""Updates handled side by side across chats and one at a time within a chat.

python-telegram-bot hands each update fetched (polling or webhook) to the update processor
in a task of its own, in the order Telegram sent them; `PerChatUpdates` lets updates of
different chats run concurrently (up to `max_concurrent_updates`) and makes each update wait
for the ones before it *in its chat*: a focal point's second report is read after their
first, a button pressed after the message it answers, while another agency's report is
never held up by this one (nor by a send waiting for this chat's flood limit).

The key is the chat (a button press: the chat of its message); an update with no chat (an
inline query, a poll) is keyed by its user, and one with neither is not held at all. The
database copes with the concurrency below it: PostgreSQL with its row locks, SQLite with
one unit of work at a time (storage/unit_of_work.py).

Within a chat, order is the order in which updates enter the processor, which is the order
they were fetched as long as fewer than `max_concurrent_updates` are in flight (beyond that
python-telegram-bot's semaphore decides, and a chat's updates still never overlap).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 64


def chat_key(update: object) -> int | None:
    """What orders an update: its chat, else its user, else nothing."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatUpdates(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._last: dict[int, asyncio.Future[None]] = {}  # each chat's latest update

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        before = self._last.get(key)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._last[key] = mine
        try:
            if before is not None:
                await before
            await coroutine
        finally:
            mine.set_result(None)
            if self._last.get(key) is mine:
                del self._last[key]

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free: python-telegram-bot waits for the updates under way."""
