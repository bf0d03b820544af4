"""Item 1: progress replies through the whole stack, against a bare echo bot.

Both bots poll the same kind of emulator over loopback HTTP (EmulatorServer, real sockets,
keep-alive), each with its own transport: the echo bot python-telegram-bot's default
(HTTPXRequest), dondoc production's (one aiohttp session behind the wire's bound:
bot/app.py `production_request`); users answer the reminder digest of their agency's group
("2 đạt 60% ..."). Two phases per bot:

* burst: every reply is queued at once; throughput = replies / (last confirmation - first
  reply). Latency under burst is mostly queueing and is shown for information.
* one at a time: the next reply is sent once the previous is confirmed; p50/p99 of this
  phase are the response time a user sees, and what the latency target is about.

The rate limiter is left out here (`rate_limiter=None`, emulator limits off): with it both
bots would be held to Telegram's 30 messages a second and the comparison would measure the
limiter, which item 2 measures on its own.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.common import ADMIN, STALL, TOKEN, TZ, Row, TimedEmulator, ms, percentile
from bench.worlds import World, build_world, make_emulator, post_reminders
from bot.sandbox.http_server import EmulatorServer

TASKS_PER_AGENCY = 5
# The burst's throughput against the echo bot's: issue 20 (item 4) asks 0.7 on SQLite, 0.5
# on PostgreSQL with updates handled concurrently (bench/README.md, finding E).
TARGETS = {"sqlite": 0.7, "postgresql": 0.5}
TIMEOUT = 600.0  # the whole burst; a bot that stops answering fails after `STALL` seconds
# Experiments on the real bot, this run's instance only (rows marked experiment, no target):
# what two of issues 20 and 22's additions cost in the burst (bench/README.md, finding F).
VARIANTS = ("serial", "unlinked")
# Experiment: the echo bot again, on production's transport instead of python-telegram-bot's
# default, against the echo baseline of the same run (bench/README.md, finding K): what the
# transport alone buys a bot that does nothing else.
ECHO_ON_AIOHTTP = "echo-aiohttp"


@dataclass(frozen=True, slots=True)
class Phase:
    """Latencies (seconds) of one phase and its wall time."""

    count: int
    confirmed: int
    seconds: float
    latencies: tuple[float, ...]

    @property
    def per_second(self) -> float:
        return self.confirmed / self.seconds if self.seconds > 0 else 0.0

    @property
    def p50(self) -> float:
        return percentile(list(self.latencies), 50)

    @property
    def p99(self) -> float:
        return percentile(list(self.latencies), 99)


@dataclass(frozen=True, slots=True)
class BotRun:
    """One bot's two phases; `stored` counts the progress rows written (dondoc only)."""

    name: str
    burst: Phase
    sequential: Phase
    stored: int | None = None


@dataclass(frozen=True, slots=True)
class UpdatesResult:
    echo: BotRun
    dondoc: BotRun
    replies: int
    agencies: int


def reply_text(round_: int, position: int) -> str:
    percent = min(10 + 8 * round_, 95)
    return f"{position} đạt {percent}% khối lượng, đang hoàn thiện hồ sơ"


def plan(world: World, replies: int, *, after: int = 0) -> list[tuple[int, int, str]]:
    """(user, chat, text) in arrival order: agencies take turns, each numbering its tasks.
    `after` continues a plan that sent that many already: every reply is a new report (the
    same one again within ten minutes would be a repeat, stored once: issue 22)."""
    out = []
    seats = world.seats
    for n in range(after, after + replies):
        seat = seats[n % len(seats)]
        round_ = n // len(seats)
        out.append((seat.user_id, seat.chat_id, reply_text(round_, round_ % seat.tasks + 1)))
    return out


async def _drive(emulator: TimedEmulator, world: World, replies: int, sequential: int) -> tuple:
    """Play the users: a burst, then one reply at a time; return both phases."""
    first_id = {seat.chat_id: seat.reminder_message_id for seat in world.seats}
    sent: dict[tuple[int, int], float] = {}
    started = time.perf_counter()
    for user, chat, text in plan(world, replies):
        message = emulator.user_sends(user, chat, text, reply_to_message_id=first_id[chat])
        sent[(chat, message["message_id"])] = time.perf_counter()
    await emulator.replies_to(sent, TIMEOUT, stall=STALL)
    burst = _phase(emulator, sent, started)

    one_by_one: dict[tuple[int, int], float] = {}
    started = time.perf_counter()
    for user, chat, text in plan(world, sequential, after=replies):
        message = emulator.user_sends(user, chat, text, reply_to_message_id=first_id[chat])
        key = (chat, message["message_id"])
        one_by_one[key] = time.perf_counter()
        await emulator.replies_to([key], STALL, stall=STALL)
    return burst, _phase(emulator, one_by_one, started)


def _phase(emulator: TimedEmulator, sent: dict[tuple[int, int], float], started: float) -> Phase:
    latencies = [emulator.replied_at[k] - t for k, t in sent.items() if k in emulator.replied_at]
    last = max((emulator.replied_at[k] for k in sent if k in emulator.replied_at), default=started)
    return Phase(len(sent), len(latencies), last - started, tuple(latencies))


@contextlib.asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:
    """`async with app` + start + polling (run_polling would close the loop)."""
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(f"echo: {message.text}", do_quote=True)


async def run_echo(
    world: World, *, replies: int, sequential: int, transport: str = "httpx"
) -> BotRun:
    """The baseline: a bare python-telegram-bot Application that quotes every text back, on
    python-telegram-bot's own transport (HTTPXRequest); `transport="aiohttp"` gives it
    production's instead (the experiment row `ECHO_ON_AIOHTTP`: what the transport alone buys)."""
    emulator = make_emulator(world)
    await post_reminders(emulator, world)
    async with EmulatorServer(emulator) as server:
        if transport == "aiohttp":
            request = server.make_aiohttp_request()
            polling_request = server.make_aiohttp_request(polling=True)
        else:
            request = server.make_request(connection_pool_size=16)
            polling_request = server.make_request(connection_pool_size=2)
        app = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(server.base_url)
            .base_file_url(server.base_file_url)
            .request(request)
            .get_updates_request(polling_request)
            .build()
        )
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
        async with polling(app):
            burst, one = await _drive(emulator, world, replies, sequential)
    return BotRun("echo" if transport == "httpx" else f"echo on {transport}", burst, one)


async def run_dondoc(
    database_url: str,
    world: World,
    *,
    replies: int,
    sequential: int,
    clock_now: Any,
    floor: str | None = None,
) -> BotRun:
    """dondoc from build_application, on `database_url`, polling over loopback; with `floor`,
    its reply path swapped for the experiment's (bench/floor.py), or one of `VARIANTS`:
    "serial" handles one update at a time (`concurrent=False`, as before issue 20), and
    "unlinked" sends the confirmation without linking it to its task (no second
    transaction after the send; a reply to the confirmation would then not find its task)."""
    from bot.app import build_application
    from bot.clock import ManualClock
    from bot.config import Settings
    from storage.models import ProgressUpdate

    emulator = make_emulator(world)
    await post_reminders(emulator, world)
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
            # Production's transport (bot/app.py), proxies in the environment ignored;
            # build_application puts it behind the wire's bound as in production.
            request=server.make_aiohttp_request(),
            get_updates_request=server.make_aiohttp_request(polling=True),
            clock=ManualClock(clock_now),
            rate_limiter=None,
            with_jobs=False,
            menus=False,  # the measured replies, not a thousand chats' menus
            concurrent=floor != "serial",
        )
        stand_in = None
        if floor == "unlinked":

            async def unlinked(**_kwargs: Any) -> None:
                return None

            conversation = app.bot_data["services"].conversation
            conversation.remember = unlinked  # this instance only, for this run
        elif floor is not None and floor not in VARIANTS:
            from bench.floor import FloorReplies

            replies_service = app.bot_data["services"].replies
            stand_in = FloorReplies(replies_service, database_url, floor)
            replies_service.take = stand_in.take  # this instance only, for this run
        async with polling(app):
            burst, one = await _drive(emulator, world, replies, sequential)
            if stand_in is not None:
                await stand_in.close()
            engine = app.bot_data["engine"]
            async with engine.connect() as connection:
                stored = await connection.scalar(select(func.count(ProgressUpdate.id)))
    return BotRun(floor or "dondoc", burst, one, int(stored or 0))


async def bench_updates(
    database_url: str,
    *,
    agencies: int = 200,
    replies: int = 2000,
    sequential: int = 200,
    floor: str | None = None,
) -> UpdatesResult:
    """Echo then dondoc (or a floor experiment, or with `ECHO_ON_AIOHTTP` the echo bot on
    production's transport), on identical worlds; `database_url` must be migrated and empty."""
    from bench.common import local

    world = await build_world(
        database_url,
        agencies=agencies,
        tasks_per_agency=TASKS_PER_AGENCY,
        deadline=date(2020, 1, 31),
        linked=True,
    )
    echo = await run_echo(world, replies=replies, sequential=sequential)
    if floor == ECHO_ON_AIOHTTP:
        other = await run_echo(world, replies=replies, sequential=sequential, transport="aiohttp")
        return UpdatesResult(echo, other, replies, agencies)
    dondoc = await run_dondoc(
        database_url,
        world,
        replies=replies,
        sequential=sequential,
        clock_now=local(2020, 1, 15, 9),
        floor=floor,
    )
    return UpdatesResult(echo, dondoc, replies, agencies)


def rows(result: UpdatesResult, db: str) -> list[Row]:
    """Throughput and latency ratios against the echo bot of the same run."""
    echo, dd = result.echo, result.dondoc
    size = f"{result.replies} replies, {result.agencies} groups"
    tput_ratio = dd.burst.per_second / echo.burst.per_second if echo.burst.per_second else 0.0
    p99_ratio = dd.sequential.p99 / echo.sequential.p99 if echo.sequential.p99 else float("inf")
    p50_ratio = dd.sequential.p50 / echo.sequential.p50 if echo.sequential.p50 else float("inf")
    complete = dd.burst.confirmed == result.replies and dd.stored == (
        result.replies + dd.sequential.count
    )
    target = TARGETS.get(db, 0.5)
    return [
        Row(
            "1",
            f"progress replies/s, burst ({size}); all confirmed & stored: "
            f"{'yes' if complete else 'NO'}",
            db,
            f"{dd.burst.per_second:.0f}/s",
            f"echo {echo.burst.per_second:.0f}/s",
            f"{tput_ratio:.2f}",
            f"≥ {target}",
            tput_ratio >= target and complete,
        ),
        Row(
            "1",
            f"reply→confirmation p50, one at a time ({dd.sequential.count} replies)",
            db,
            ms(dd.sequential.p50),
            f"echo {ms(echo.sequential.p50)}",
            f"{p50_ratio:.1f}",
            "—",
            None,
        ),
        Row(
            "1",
            f"reply→confirmation p99, one at a time ({dd.sequential.count} replies)",
            db,
            ms(dd.sequential.p99),
            f"echo {ms(echo.sequential.p99)}",
            f"{p99_ratio:.1f}",
            "≤ 3",
            p99_ratio <= 3,
        ),
        Row(
            "1",
            "reply→confirmation p50 / p99 under the burst (queueing)",
            db,
            f"{ms(dd.burst.p50)} / {ms(dd.burst.p99)}",
            f"echo {ms(echo.burst.p50)} / {ms(echo.burst.p99)}",
            f"{dd.burst.p99 / echo.burst.p99:.1f}" if echo.burst.p99 else "—",
            "—",
            None,
        ),
    ]


FLOOR_LABELS = {
    "sqlalchemy": "floor, two statements through SQLAlchemy, no checks",
    "psycopg": "floor, two statements on psycopg directly, no checks",
    "pipeline": "the reply's five statements pipelined on psycopg, two round trips",
    "serial": "dondoc with updates one at a time, as before issue 20 (item 2 off)",
    "unlinked": "dondoc without the confirmation's link (one transaction a reply, not two)",
    "echo on aiohttp": "the echo bot on dondoc's transport (aiohttp), against itself on httpx",
}


def floor_rows(result: UpdatesResult, db: str) -> list[Row]:
    """The floor experiment (bench/floor.py): throughput and one-at-a-time p50, no target."""
    echo, dd = result.echo, result.dondoc
    ratio = dd.burst.per_second / echo.burst.per_second if echo.burst.per_second else 0.0
    p50 = dd.sequential.p50 / echo.sequential.p50 if echo.sequential.p50 else float("inf")
    name = f"[experiment: {FLOOR_LABELS[dd.name]}]"
    return [
        Row(
            "1",
            f"{name} replies/s, burst; p50 one at a time",
            db,
            f"{dd.burst.per_second:.0f}/s; {ms(dd.sequential.p50)}",
            f"echo {echo.burst.per_second:.0f}/s; {ms(echo.sequential.p50)}",
            f"{ratio:.2f}; {p50:.1f}",
            "—",
            None,
        )
    ]
