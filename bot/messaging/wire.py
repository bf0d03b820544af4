"""The Bot API calls on the wire: at most `in_flight` at once, each on a connection of its own.

python-telegram-bot sends every call (getUpdates aside) through one `BaseRequest`. An
`HTTPXRequest` with a pool of N connections costs, with N calls in flight, O(N) of httpcore's
work per call: its pool rescans its queue against every connection, polling each idle socket,
whenever a request comes or goes (bench/README.md, findings E and F). `ShardedRequest` holds
several independent requests instead (`shards`, in production `CONNECTIONS` HTTPXRequests of
one connection each) and hands each call an idle one, so each pool's scan is over one
connection; a call with no idle shard waits its turn here, first come first served, before it
opens anything. This is the one bound on the calls on the wire; the flood limiter and
AnswerRetry's retries (bot/messaging/answers.py) run above it, as python-telegram-bot's rate
limiter hook.

Given one request (tests, the benchmarks' baselines), `in_flight` calls share it: the same
bound, with that request's pool behind it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from telegram._utils.types import ODVInput  # what BaseRequest.do_request is annotated with
from telegram.request import BaseRequest, RequestData


class ShardedRequest(BaseRequest):
    """`in_flight` calls at once (by default one per shard), each on an idle shard."""

    def __init__(self, shards: Sequence[BaseRequest], *, in_flight: int | None = None) -> None:
        if not shards:
            raise ValueError("ShardedRequest needs at least one request")
        self._shards = tuple(shards)
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
