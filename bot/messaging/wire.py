"""The Bot API calls on the wire: at most `in_flight` at once, first come first served.

python-telegram-bot sends every call (getUpdates aside) through one `BaseRequest`. In
production that is one aiohttp session of `CONNECTIONS` connections
(bot/messaging/aiohttp_request.py) behind a `ShardedRequest` of one shard and `in_flight`
turns: a call with no turn free waits here, before it opens anything. This is the one bound on
the calls on the wire; the flood limiter and AnswerRetry's retries (bot/messaging/answers.py)
run above it, as python-telegram-bot's rate limiter hook.

Why shards: an `HTTPXRequest` with a pool of N connections costs, with N calls in flight, O(N)
of httpcore's work per call (its pool rescans its queue against every connection whenever a
request comes or goes: bench/README.md, findings E and F), so with httpx each call took an idle
shard of one connection. aiohttp's connector takes a pooled connection without a scan: one
session of 8 measured no dearer than 8 shards of one (finding K), so production has one shard.
Several shards still work (an httpx transport given by hand): each call takes an idle one.

Given one request (production's; the tests' in-process one; the benchmarks' baselines),
`in_flight` calls share it: the same bound, with that request's pool behind it.

With a `TrailingWindow` (production, with the flood limiter), the calls that name a chat (what
counts toward Telegram's 30 a second) also never number more than its `calls` in any trailing
`seconds` when they take their shard, a call counting from its start until `seconds` after its
answer: the limiter paces its grants, but a grant reaches Telegram later than it is made (the
woken task, a shard's turn, the network, the loop's stalls), so calls granted a pace apart can
arrive bunched (bench item 8: counted from the calls' starts only, over 1.025 s, the emulator
still saw 31 in a second once); the window waits until the oldest leaves.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Sequence

from telegram._utils.types import ODVInput  # what BaseRequest.do_request is annotated with
from telegram.request import BaseRequest, RequestData


class TrailingWindow:
    """Never more than `calls` in any trailing `seconds` as the far end counts them, first
    come first served. The far end counts a call somewhere between its start and its answer,
    so a call takes its place when it starts and leaves `seconds` after its answer came (or
    it failed): a call answered late (the loop stalled before the far end read it) is not
    forgotten while the calls after it go."""

    def __init__(self, calls: int, seconds: float) -> None:
        if calls < 1 or seconds <= 0:
            raise ValueError("a window holds at least one call over a positive time")
        self.calls = calls
        self.seconds = seconds
        self._on_the_wire = 0
        self._leaving: list[float] = []  # heap: loop times at which the answered calls leave
        self._turn = asyncio.Lock()  # FIFO: the waiting calls in order
        self._changed = asyncio.Event()

    async def enter(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._turn:
            while True:
                now = loop.time()
                while self._leaving and self._leaving[0] <= now:
                    heapq.heappop(self._leaving)
                if self._on_the_wire + len(self._leaving) < self.calls:
                    break
                # Wait for the oldest to leave or a call on the wire to be answered; a timer
                # may fire a little early (the loop's clock resolution): checked again.
                self._changed.clear()
                timer = loop.call_at(self._leaving[0], self._changed.set) if self._leaving else None
                try:
                    await self._changed.wait()
                finally:
                    if timer is not None:
                        timer.cancel()
            self._on_the_wire += 1

    def leave(self) -> None:
        """The call was answered (or failed): it leaves the window `seconds` from now."""
        self._on_the_wire -= 1
        heapq.heappush(self._leaving, asyncio.get_running_loop().time() + self.seconds)
        self._changed.set()


def names_a_chat(request_data: RequestData | None) -> bool:
    """What the flood limiter counts toward the bot's overall rate: a call naming a chat."""
    return request_data is not None and "chat_id" in request_data.parameters


class ShardedRequest(BaseRequest):
    """`in_flight` calls at once (by default one per shard), each on an idle shard; with a
    `window`, the calls naming a chat also within it when they take their shard."""

    def __init__(
        self,
        shards: Sequence[BaseRequest],
        *,
        in_flight: int | None = None,
        window: TrailingWindow | None = None,
    ) -> None:
        if not shards:
            raise ValueError("ShardedRequest needs at least one request")
        self._shards = tuple(shards)
        self.window = window
        turns = self._capacity = in_flight or len(self._shards)
        # A shard per turn; with fewer shards than turns they are shared round the table.
        self._idle = [self._shards[n % len(self._shards)] for n in range(turns)]
        self._turns = asyncio.Semaphore(turns)  # FIFO, and never more waiters woken than idle

    @property
    def in_flight(self) -> int:
        """How many calls may be on the wire at once."""
        return self._capacity

    @property
    def shards(self) -> tuple[BaseRequest, ...]:
        return self._shards

    @property
    def read_timeout(self) -> float | None:
        return self._shards[0].read_timeout

    async def initialize(self) -> None:
        await asyncio.gather(*(shard.initialize() for shard in self._shards))

    async def shutdown(self) -> None:
        await asyncio.gather(*(shard.shutdown() for shard in self._shards))

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        async with self._turns:
            window = self.window if names_a_chat(request_data) else None
            if window is not None:
                await window.enter()  # holding the turn: the wire is next
            # The most recently used first: its connection is the likeliest to be open still.
            shard = self._idle.pop()
            try:
                return await shard.do_request(
                    url,
                    method,
                    request_data,
                    read_timeout=read_timeout,
                    write_timeout=write_timeout,
                    connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout,
                )
            finally:
                self._idle.append(shard)
                if window is not None:
                    window.leave()
