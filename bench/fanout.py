"""Item 2: the 08:00 reminder fan-out against Telegram's flood limits.

1,000 agencies, each with a bound group and a task due today; the emulator (over loopback
HTTP) enforces 30 messages a second per bot and 20 a minute per group and answers 429 with
retry_after beyond them; the bot is build_application's own, with its production rate
limiter unless the caller passes another one (the experiment in bench/README.md).

The baseline is the least time the limits allow: messages / 30 s.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from bench.common import ADMIN, LOOP_TICK, TOKEN, TZ, Row, local, loop_stalls, ms, secs, within
from bench.worlds import build_world, make_emulator
from bot.sandbox.http_server import EmulatorServer

SWEEP_TIMEOUT = 300.0
STALL_TARGET = 0.1  # the loop's longest stall during the sweep: every chat's answer waits it  # 1,000 reminders take ~35 s at 30 a second

PER_SECOND = 30
PER_GROUP_PER_MINUTE = 20
SWEEP_AT = local(2020, 1, 15, 8, 0)  # a Wednesday, a working day: "due today" reminders
DUE = date(2020, 1, 15)


@dataclass(frozen=True, slots=True)
class FanoutResult:
    chats: int
    seconds: float  # from the sweep's start until the last message was accepted
    messages: int  # sendMessage calls accepted by the emulator
    rate_limited: int  # 429 answers
    once: int
    twice_or_more: int
    never: int
    sweep_sent: int  # reminders the sweep reports delivered
    limiter: str
    sweep_stall: float = 0.0  # the event loop's longest stall during run_sweep_now

    @property
    def minimum(self) -> float:
        return self.chats / PER_SECOND

    @property
    def ratio(self) -> float:
        return self.seconds / self.minimum if self.minimum else 0.0


async def bench_fanout(
    database_url: str, *, chats: int = 1000, rate_limiter: Any = "default", label: str = ""
) -> FanoutResult:
    """One sweep at 08:00 to `chats` bound groups; `database_url` migrated and empty."""
    from bot.app import build_application, outbox_of
    from bot.clock import ManualClock
    from bot.config import Settings
    from bot.messaging.sweep import run_sweep_now

    world = await build_world(
        database_url, agencies=chats, tasks_per_agency=1, deadline=DUE, linked=False
    )
    emulator = make_emulator(world)  # real time: the flood windows are wall-clock
    emulator.enforce_limits(per_bot_per_second=PER_SECOND, per_chat_per_minute=PER_GROUP_PER_MINUTE)
    async with EmulatorServer(emulator) as server:
        settings = Settings(
            telegram_bot_token=TOKEN,
            telegram_api_base_url=server.base_url,
            telegram_file_base_url=server.base_file_url,
            database_url=database_url,
            admin_ids=frozenset({ADMIN}),
            timezone=TZ,
        )
        app = build_application(
            settings,
            request=server.make_aiohttp_request(),  # production's transport (bot/app.py)
            get_updates_request=server.make_aiohttp_request(polling=True),
            clock=ManualClock(SWEEP_AT),
            rate_limiter=rate_limiter,
            with_jobs=False,
            menus=False,  # a menu per chat would share the limiter with the fan-out
        )
        async with app:
            emulator.reset_records()  # set_menus' calls are not part of the fan-out
            emulator.sends.clear()
            started = time.perf_counter()
            # The plan and the claims run on the loop that answers every chat: how long did
            # it hold them (bench/README.md, finding P)?
            async with loop_stalls() as stalls:
                report = await within(run_sweep_now(app), SWEEP_TIMEOUT, "the reminder sweep")
            # It claims them into the outbox, whose sender delivers them (as `dondoc run`'s).
            await within(outbox_of(app).drain(), SWEEP_TIMEOUT, "the outbox's fan-out")
            finished = time.perf_counter()
    per_chat = Counter(record.chat_id for record in emulator.sent if record.method == "sendMessage")
    targets = [seat.chat_id for seat in world.seats]
    last = max((at for _, at in emulator.sends), default=finished)
    return FanoutResult(
        chats=chats,
        seconds=last - started,
        messages=sum(per_chat.values()),
        rate_limited=emulator.stats["rate_limited"],
        once=sum(1 for chat in targets if per_chat[chat] == 1),
        twice_or_more=sum(1 for chat in targets if per_chat[chat] > 1),
        never=sum(1 for chat in targets if per_chat[chat] == 0),
        sweep_sent=report.sent,
        limiter=label or ("flood_limiter()" if rate_limiter == "default" else ""),
        sweep_stall=max(stalls, default=0.0),
    )


def rows(result: FanoutResult, db: str, *, experiment: bool = False) -> list[Row]:
    exact = result.once == result.chats
    name = "reminder fan-out" + (f" [experiment: {result.limiter}]" if experiment else "")
    return [
        Row(
            "2",
            f"{name}: time until all {result.chats} delivered",
            db,
            secs(result.seconds),
            f"minimum {secs(result.minimum)} ({PER_SECOND}/s)",
            f"{result.ratio:.2f}",
            "≤ 1.15",
            result.ratio <= 1.15,
        ),
        Row(
            "2",
            f"{name}: 429s received / delivered once, twice+, never",
            db,
            f"{result.rate_limited} / {result.once}, {result.twice_or_more}, {result.never}",
            f"0 / {result.chats}, 0, 0",
            "—",
            "0 429s, exactly once",
            result.rate_limited == 0 and exact,
        ),
        Row(
            "2",
            f"{name}: the event loop's longest stall during the sweep (plan and claims; "
            f"a {ms(LOOP_TICK)} ticker)",
            db,
            ms(result.sweep_stall),
            "—",
            "—",
            f"< {ms(STALL_TARGET)}",
            result.sweep_stall < STALL_TARGET,
        ),
    ]
