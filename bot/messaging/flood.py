"""The flood limiter: Telegram's limits kept, not hit, with the answers first.

Every Bot API call that names a chat takes a slot of the bot's overall rate (29.5 a second,
no burst: Telegram's window answers a burst with 429s) and, for a group, one of that group's
(one message every 3.05 s, and never more than 19 in any minute, under Telegram's 20; an
answer goes at once while the minute has room, even just after another message there, so a
reminder sent a moment before a report never makes its answer wait for the group's next
slot). Calls that wait for a slot are served
**urgent first**: a call made while an update is being answered (bot/messaging/answers.py: the
confirmation to the person who just wrote, a card, a list) goes before the outbox's fan-out
and the menus, whatever their number, so the morning's thousand reminders never stand
between an agency and its answer; among calls of one kind, first come first served. A 429
that still comes is waited out (`retry_after`, every call held meanwhile, as python-telegram-
bot's AIORateLimiter does, and no slot granted meanwhile, so the held calls resume at the
cadence rather than all at once) and tried again, `max_retries` times.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from itertools import count
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.messaging.answers import current_scope, seconds_of

log = logging.getLogger(__name__)
JSON = Any
URGENT, LATER = 0, 1
MINUTE = 60.0
CATCH_UP = 0.005  # seconds a late timer may catch up on (the cadence, not a burst)


def answering() -> bool:
    """Whether the call in hand answers the update being handled (urgent)."""
    return current_scope() is not None


class _Slots:
    """One call per `interval` seconds, the waiting served by (priority, arrival)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.next_at = 0.0
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = count()
        self._timer: asyncio.TimerHandle | None = None

    @property
    def idle(self) -> bool:
        return not self._waiting and asyncio.get_running_loop().time() >= self.next_at

    async def take(self, priority: int) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        if not self._waiting and now >= self.next_at:
            self.next_at = now + self.interval
            return
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiting, (priority, next(self._arrivals), future))
        self._arm(loop)
        await future

    def hold(self, until: float) -> None:
        """Grant nothing before `until` (a 429's wait): the calls waiting then go at the
        cadence from there, not together when the wait ends."""
        if until <= self.next_at:
            return
        self.next_at = until
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._arm(asyncio.get_running_loop())

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is None and self._waiting:
            self._timer = loop.call_at(self.next_at, self._release)

    def _release(self) -> None:
        self._timer = None
        loop = asyncio.get_running_loop()
        now = loop.time()
        while self._waiting:
            _priority, _n, future = heapq.heappop(self._waiting)
            if future.done():  # its caller was cancelled
                continue
            future.set_result(None)
            self.next_at = max(self.next_at, now - CATCH_UP) + self.interval
            break
        self._arm(loop)


class _GroupSlots(_Slots):
    """A group's slots: one call every `interval` seconds, and never more than `per_minute`
    in any sixty seconds (Telegram's limit is twenty a minute, not a spacing). An urgent call
    (an answer) goes at once while the minute has room, even just after another message
    there: a reminder sent a moment before a report does not make its answer wait for the
    next slot."""

    def __init__(self, interval: float, *, per_minute: int) -> None:
        super().__init__(interval)
        self.per_minute = per_minute
        self._sent: deque[float] = deque()  # loop times of the calls of the last minute

    @property
    def idle(self) -> bool:
        now = asyncio.get_running_loop().time()
        return super().idle and not (self._sent and self._sent[-1] > now - MINUTE)

    def _room(self, now: float) -> bool:
        while self._sent and self._sent[0] <= now - MINUTE:
            self._sent.popleft()
        return len(self._sent) < self.per_minute

    async def take(self, priority: int) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        ahead = self._waiting and self._waiting[0][0] <= priority
        if priority == URGENT and not ahead and self._room(now):
            self.next_at = max(self.next_at, now + self.interval)
            self._sent.append(now)
            return
        while True:
            await super().take(priority)
            now = loop.time()
            if self._room(now):
                self._sent.append(now)
                return
            self.next_at = max(self.next_at, self._sent[0] + MINUTE)


class FloodLimiter(BaseRateLimiter[int]):
    """`overall_per_second` calls a second across chats, one per `group_interval` seconds in
    each group and at most `group_per_minute` in any minute there (answers: only the latter),
    answers first (`urgent`), 429s waited out `max_retries` times."""

    def __init__(
        self,
        *,
        overall_per_second: float = 29.5,
        group_interval: float = 3.05,
        group_per_minute: int = 19,
        max_retries: int = 3,
        urgent: Callable[[], bool] = answering,
    ) -> None:
        self.max_retries = max_retries
        self._overall = _Slots(1 / overall_per_second)
        self._group_interval = group_interval
        self._group_per_minute = group_per_minute
        self._groups: dict[int | str, _Slots] = {}
        self._urgent = urgent
        self._open = asyncio.Event()
        self._open.set()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _group(self, chat_id: int | str) -> _Slots:
        slots = self._groups.get(chat_id)
        if slots is None:
            if len(self._groups) > 1000:  # forget the groups that are idle
                for key in [k for k, s in self._groups.items() if s.idle]:
                    del self._groups[key]
            slots = self._groups[chat_id] = _GroupSlots(
                self._group_interval, per_minute=self._group_per_minute
            )
        return slots

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        del endpoint
        priority = URGENT if self._urgent() else LATER
        chat_id: Any = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        group = (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str)
        retries = rate_limit_args or self.max_retries
        for attempt in range(retries + 1):
            if chat_id is not None:  # what names no chat (getUpdates, a button's answer): free
                if group:
                    await self._group(chat_id).take(priority)
                await self._overall.take(priority)
            await self._open.wait()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                wait = seconds_of(error) + 0.1
                log.info("flood limit hit; every call waits %.1f s", wait)
                # Slots granted during the wait would all go when it ends: a burst over
                # Telegram's window, another 429, and so on every two seconds (bench item 8
                # under load: 30-40 of them). No slot is granted until the wait is over.
                self._overall.hold(asyncio.get_running_loop().time() + wait)
                self._open.clear()
                try:
                    await asyncio.sleep(wait)
                finally:
                    self._open.set()
        raise AssertionError("unreachable")
