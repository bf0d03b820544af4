"""Item 8 (issue 20): the morning peak, with the production limiter on.

At 08:00 the sweep reminds every agency (1,000 groups) while, over the first minute, 300
reports arrive from 100 groups (20 of them send five within ten seconds), every tenth one a
completion that the office must be asked to confirm. The emulator (loopback HTTP) enforces
Telegram's limits on wall-clock time: 30 messages a second per bot, 20 a minute per group,
429 beyond them. The bot is `build_application`'s, with `flood_limiter()`, polling.

Two designs in the same run, on identical worlds:

* **dondoc** as it is: updates concurrent across chats (bot/messaging/updates.py), messages
  to other chats, the sweep's reminders included, through the outbox's sender
  (bot/messaging/outbox.py);
* **baseline**, the design before issue 20: one update at a time (`concurrent=False`), each
  update waits for its notifications to be sent (the outbox drained inside the update, paced
  like the old sends through the flood limiter's per-group slot), the sweep's digests go
  one after another (a sender of their own, one send at a time), and the limiter is
  python-telegram-bot's first-come-first-served one (answers not first).

Reported beside the minimum Telegram's limits allow for the same traffic:

* reply→confirmation latency p50 / p99, and the p99 of the reports sent to a chat that was
  under its own limit (no bot message there in the 3.05 s before, no earlier report pending);
* the time until the office has every completion's notification, against the moment the
  last completion was sent (coalescing lets one message carry what waited);
* the fan-out: the time until every group has its reminder, against all the messages the
  bot sent meanwhile at 30 a second;
* 429s received; reports answered once (none twice, none never), reminders once per group,
  each completion's ✅ once in the office.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bench.common import (
    ADMIN,
    TOKEN,
    TZ,
    BotStalled,
    Row,
    TimedEmulator,
    local,
    ms,
    percentile,
    secs,
    within,
)
from bench.updates import polling
from bench.worlds import World, build_world, make_emulator, post_reminders
from bot.messaging.outbox import OUTBOX, REMINDERS, OutboxSender
from bot.sandbox.http_server import EmulatorServer

PER_SECOND = 30
PER_GROUP_PER_MINUTE = 20
GROUP_INTERVAL = 60 / PER_GROUP_PER_MINUTE  # what "a chat under its own limit" leaves free
SWEEP_AT = local(2020, 1, 15, 8, 0)  # a working day; the tasks are due today
DUE = date(2020, 1, 15)
OFFICE = -1000000999
TIMEOUT = 300.0


@dataclass(frozen=True, slots=True)
class Report:
    at: float  # seconds after 08:00
    seat: int
    text: str

    @property
    def completion(self) -> bool:
        return "hoàn thành" in self.text


def schedule(groups: int, reports: int, *, busy: int, minute: float = 60.0) -> list[Report]:
    """The minute's reports, in order: `busy` groups send five within ten seconds, the others
    share the rest; every tenth report is a completion (of line 3, once per group), the
    others a percent that grows, on lines 1 and 2 by turns (never a repeat)."""
    rng = random.Random(20)
    moments: list[tuple[float, int]] = []
    for group in range(busy):
        start = rng.uniform(0, minute - 10)
        moments += [(start + 2 * k + rng.uniform(0, 0.5), group) for k in range(5)]
    others = list(range(busy, groups))
    moments += [
        (rng.uniform(0, minute), others[i % len(others)]) for i in range(reports - 5 * busy)
    ]
    moments.sort()
    done: set[int] = set()
    said: Counter[int] = Counter()
    out = []
    for n, (at, seat) in enumerate(moments):
        if n % 10 == 9 and seat not in done:
            done.add(seat)
            out.append(Report(at, seat, "3 đã hoàn thành, đã gửi báo cáo kết quả"))
            continue
        k = said[seat]
        said[seat] += 1
        out.append(Report(at, seat, f"{1 + k % 2} đạt {min(10 + 7 * k, 95)}% khối lượng"))
    return out


class RunningClock:
    """08:00 when the run starts, then real time: the outbox's and the claims' times move."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._began = time.perf_counter()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.perf_counter() - self._began)


@dataclass
class PeakRun:
    design: str
    latencies: list[float] = field(default_factory=list)
    under_limit: list[float] = field(default_factory=list)
    answered_once: int = 0
    answered_twice: int = 0
    unanswered: int = 0
    office_seconds: float = 0.0
    office_minimum: float = 0.0
    office_expected: int = 0
    office_got: int = 0
    office_doubled: int = 0
    office_messages: int = 0
    fanout_seconds: float = 0.0
    fanout_minimum: float = 0.0
    reminded_once: int = 0
    reminded_other: int = 0
    rate_limited: int = 0


@dataclass(frozen=True, slots=True)
class PeakResult:
    groups: int
    reporting: int
    reports: int
    completions: int
    dondoc: PeakRun
    baseline: PeakRun


async def _bind_office(database_url: str) -> None:
    from storage.engine import make_engine
    from storage.models import ChatBinding

    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(ChatBinding),
                [{"chat_id": OFFICE, "thread_id": 0, "is_office": True, "title": "VP"}],
            )
    finally:
        await engine.dispose()


async def _await_sends(app: Application) -> None:
    """The baseline's way: the update is done once what it caused for other chats is sent."""
    from bot.app import outbox_of

    await outbox_of(app).drain()


def _fifo_limiter() -> Any:
    """`flood_limiter()` before issue 20: the same slots, python-telegram-bot's FIFO limiter."""
    from telegram.ext import AIORateLimiter

    return AIORateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / 29.5,
        group_max_rate=1,
        group_time_period=3.05,
        max_retries=3,
    )


async def _sweep(app: Application, reminders: OutboxSender | None) -> None:
    """The 08:00 sweep: it claims the reminders into the outbox, whose sender (the app's
    task; the baseline's own, one digest after another) delivers them."""
    from bot.messaging.sweep import run_sweep_now

    await run_sweep_now(app)
    if reminders is not None:
        await reminders.drain()


async def _outbox_settles(app: Application, within: float) -> None:
    """Wait until the outbox holds nothing more to send (every reminder delivered), or
    `within` seconds."""
    services = app.bot_data["services"]
    deadline = time.perf_counter() + within
    while time.perf_counter() < deadline:
        waiting, _rows = await services.outbox.waiting(limit=0)
        if not waiting:
            return
        await asyncio.sleep(0.2)


async def run_design(
    database_url: str, world: World, plan: list[Report], *, design: str
) -> PeakRun:
    from bot.app import build_application, outbox_of
    from bot.config import Settings

    emulator = make_emulator(world)
    emulator.add_chat(OFFICE, "supergroup", "Văn phòng Điều phối")
    await post_reminders(emulator, world)
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
        # dondoc on production's transport (bot/app.py); the baseline on the httpx it shipped with.
        httpx, dondoc = server.make_request, design == "dondoc"
        request = server.make_aiohttp_request() if dondoc else httpx(connection_pool_size=16)
        poll = (
            server.make_aiohttp_request(polling=True) if dondoc else httpx(connection_pool_size=2)
        )
        app = build_application(
            settings,
            request=request,
            get_updates_request=poll,
            clock=RunningClock(SWEEP_AT),  # type: ignore[arg-type]
            with_jobs=False,
            menus=False,
            concurrent=design == "dondoc",
            # The baseline's limiter is the one before issue 20: first come, first served.
            rate_limiter="default" if design == "dondoc" else _fifo_limiter(),
        )
        reminders: OutboxSender | None = None
        if design == "baseline":
            from bot.messaging.sweep import FANOUT_KEY

            app.bot_data[FANOUT_KEY] = 1  # one agency's digest after another, as before
            # The sweep sent its digests itself, one after another: a sender of its own,
            # one send at a time; each update sends the rest (the app's sender, stopped).
            services = app.bot_data["services"]
            reminders = OutboxSender(app.bot, services, concurrency=1, purposes=REMINDERS)
            app.bot_data[OUTBOX] = OutboxSender(app.bot, services, skip_purposes=REMINDERS)

            async def after(_update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
                await _await_sends(context.application)

            app.add_handler(TypeHandler(Update, after), group=1_000)
        async with polling(app):
            if design == "baseline":
                await outbox_of(app).stop()  # sent by each update itself, as before
            emulator.reset_records()
            emulator.sends.clear()
            emulator.replied_at.clear()
            began = time.perf_counter()
            sweep = asyncio.create_task(_sweep(app, reminders))
            sent = await _play(emulator, world, plan, began)
            # A report never answered is counted (the "never" figure), not a failure; only a
            # sweep that never ends fails the run.
            with contextlib.suppress(BotStalled):
                await emulator.replies_to(list(sent), TIMEOUT, stall=TIMEOUT)
            await within(sweep, TIMEOUT, "the reminder sweep")
            await _office_settles(emulator, plan, TIMEOUT)
            await _outbox_settles(app, TIMEOUT)
    return _measure(design, emulator, world, plan, sent, began)


async def _play(
    emulator: TimedEmulator, world: World, plan: list[Report], began: float
) -> dict[tuple[int, int], tuple[float, Report]]:
    sent: dict[tuple[int, int], tuple[float, Report]] = {}
    for report in plan:
        wait = began + report.at - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        seat = world.seats[report.seat]
        message = emulator.user_sends(
            seat.user_id, seat.chat_id, report.text, reply_to_message_id=seat.reminder_message_id
        )
        sent[(seat.chat_id, message["message_id"])] = (time.perf_counter(), report)
    return sent


def _confirms(record: Any) -> list[str]:
    """The ✅ Xác nhận callbacks under a message the bot sent (one per completion)."""
    rows = (record.reply_markup or {}).get("inline_keyboard", [])
    found = [str(b.get("callback_data", "")) for row in rows for b in row]
    return [data for data in found if data.startswith("conf:")]


def _confirmations(emulator: TimedEmulator) -> list[str]:
    return [
        data for record in emulator.sent if record.chat_id == OFFICE for data in _confirms(record)
    ]


async def _office_settles(emulator: TimedEmulator, plan: list[Report], within: float) -> None:
    """Wait (polling the emulator's record, which has no event for it) until the office has
    every completion's ✅, or `within` seconds."""
    expected = sum(1 for r in plan if r.completion)
    deadline = time.perf_counter() + within
    while len(set(_confirmations(emulator))) < expected and time.perf_counter() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)


def _measure(
    design: str,
    emulator: TimedEmulator,
    world: World,
    plan: list[Report],
    sent: dict[tuple[int, int], tuple[float, Report]],
    began: float,
) -> PeakRun:
    run = PeakRun(design)
    stamped = list(zip(emulator.sent, (at for _, at in emulator.sends), strict=True))
    bot_at: dict[int, list[float]] = {}
    for record, at in stamped:
        bot_at.setdefault(record.chat_id, []).append(at)
    replies = Counter(
        (record.chat_id, record.reply_to_message_id)
        for record, _ in stamped
        if record.method == "sendMessage" and record.reply_to_message_id
    )
    by_chat: dict[int, list[float]] = {}
    for (chat, _), (at, _report) in sent.items():
        by_chat.setdefault(chat, []).append(at)
    for key, (at, _report) in sent.items():
        count = replies[key]
        run.answered_once += count == 1
        run.answered_twice += count > 1
        run.unanswered += count == 0
        if key not in emulator.replied_at:
            continue
        latency = emulator.replied_at[key] - at
        run.latencies.append(latency)
        chat = key[0]
        quiet = all(not (at - GROUP_INTERVAL < t < at) for t in bot_at.get(chat, []))
        alone = all(not (at - GROUP_INTERVAL < t < at) for t in by_chat[chat])
        if quiet and alone:
            run.under_limit.append(latency)
    # The office: each completion's ✅ once; when the last one arrived.
    seen: Counter[str] = Counter()
    last = began
    for record, at in stamped:
        if record.chat_id != OFFICE:
            continue
        confirms = _confirms(record)
        if confirms:
            run.office_messages += 1
            seen.update(confirms)
            last = max(last, at)
    completions = [at for at, report in sent.values() if report.completion]
    run.office_expected = len(completions)
    run.office_got = len(seen)
    run.office_doubled = sum(1 for n in seen.values() if n > 1)
    run.office_seconds = last - began
    run.office_minimum = max(completions, default=began) - began
    # The fan-out: each group's first message that answers no one is its reminder.
    reminded: dict[int, list[float]] = {}
    for record, at in stamped:
        if (
            record.method == "sendMessage"
            and record.chat_id != OFFICE
            and not record.reply_to_message_id
        ):
            reminded.setdefault(record.chat_id, []).append(at)
    chats = [seat.chat_id for seat in world.seats]
    run.reminded_once = sum(1 for chat in chats if len(reminded.get(chat, [])) == 1)
    run.reminded_other = len(chats) - run.reminded_once
    end = max((times[0] for times in reminded.values()), default=began)
    during = sum(1 for _, at in stamped if at <= end)
    run.fanout_seconds = end - began
    run.fanout_minimum = during / PER_SECOND
    run.rate_limited = emulator.stats["rate_limited"]
    return run


async def bench_peak(
    dondoc_url: str,
    baseline_url: str,
    *,
    groups: int = 1000,
    reporting: int = 100,
    reports: int = 300,
    busy: int = 20,
    minute: float = 60.0,
) -> PeakResult:
    """Both designs on identical worlds (two migrated, empty databases); the reports come
    over `minute` seconds."""
    plan = schedule(reporting, reports, busy=busy, minute=minute)
    runs: dict[str, PeakRun] = {}
    for design, url in (("baseline", baseline_url), ("dondoc", dondoc_url)):
        world = await build_world(
            url, agencies=groups, tasks_per_agency=3, deadline=DUE, linked=True
        )
        await _bind_office(url)
        runs[design] = await run_design(url, world, plan, design=design)
    completions = sum(1 for r in plan if r.completion)
    return PeakResult(groups, reporting, reports, completions, runs["dondoc"], runs["baseline"])


def _ratio(value: float, minimum: float) -> float:
    return value / minimum if minimum > 0 else float("inf")


def rows(result: PeakResult, db: str) -> list[Row]:
    dd, base = result.dondoc, result.baseline

    def p(values: list[float], q: float) -> float:
        return percentile(values, q) if values else float("nan")

    size = (
        f"{result.groups} groups reminded, {result.reports} reports from {result.reporting} groups"
    )
    office_ratio = _ratio(dd.office_seconds, dd.office_minimum)
    fan_ratio = _ratio(dd.fanout_seconds, dd.fanout_minimum)
    exact = (
        dd.answered_twice == 0
        and dd.unanswered == 0
        and dd.reminded_other == 0
        and dd.office_got == dd.office_expected
        and dd.office_doubled == 0
    )

    def whole(run: PeakRun) -> str:
        return (
            f"{run.rate_limited} / {run.answered_twice}, {run.unanswered} / {run.reminded_other}"
            f" / {run.office_got} of {run.office_expected}, {run.office_doubled}"
        )

    return [
        Row(
            "8",
            f"morning peak ({size}): reply→confirmation p50 / p99",
            db,
            f"{ms(p(dd.latencies, 50))} / {ms(p(dd.latencies, 99))}",
            f"before: {ms(p(base.latencies, 50))} / {ms(p(base.latencies, 99))}",
            f"{p(dd.latencies, 99) / p(base.latencies, 99):.2f}" if base.latencies else "—",
            "—",
            None,
        ),
        Row(
            "8",
            f"morning peak: p99 for a report in a chat under its own limit "
            f"({len(dd.under_limit)} of {result.reports})",
            db,
            ms(p(dd.under_limit, 99)),
            f"before: {ms(p(base.under_limit, 99))}",
            "—",
            "≤ 1 s",
            bool(dd.under_limit) and p(dd.under_limit, 99) <= 1.0,
        ),
        Row(
            "8",
            f"morning peak: office has all {dd.office_expected} completions "
            f"({dd.office_messages} messages)",
            db,
            secs(dd.office_seconds),
            f"minimum {secs(dd.office_minimum)}; before: {secs(base.office_seconds)}",
            f"{office_ratio:.2f}",
            "≤ 1.15",
            office_ratio <= 1.15,
        ),
        Row(
            "8",
            "morning peak: fan-out, every group reminded",
            db,
            secs(dd.fanout_seconds),
            f"minimum {secs(dd.fanout_minimum)}; before: {secs(base.fanout_seconds)}",
            f"{fan_ratio:.2f}",
            "≤ 1.15",
            fan_ratio <= 1.15,
        ),
        Row(
            "8",
            "morning peak: 429s / answered twice, never / reminders not once / office ✅ got, doubled",
            db,
            whole(dd),
            f"before: {whole(base)}",
            "—",
            "0 / 0, 0 / 0 / all, 0",
            dd.rate_limited == 0 and exact,
        ),
    ]
