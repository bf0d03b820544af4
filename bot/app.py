"""The composition root: the one place that knows every layer.

`build_application` is used by production, the sandbox, the tests and the benchmarks alike,
so what the tests exercise is what runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.jobs import schedule_jobs
from bot.messaging.aiohttp_request import AiohttpRequest
from bot.messaging.answer_bot import AnswerBot
from bot.messaging.answers import AnswerPolicy, AnswerRetry
from bot.messaging.delivery import hand_over_to, pending_hand_overs
from bot.messaging.flood import FloodLimiter
from bot.messaging.keyboards import form_menu_button
from bot.messaging.outbox import OUTBOX, OutboxSender, Pace
from bot.messaging.texts import texts_for
from bot.messaging.updates import PerChatUpdates
from bot.messaging.wire import ShardedRequest, TrailingWindow
from bot.services import Services, build_services
from bot.services.calendar import warm_public_holidays
from handlers import register_all
from handlers.base import BotContext
from handlers.menu import MENUS_TASK, refresh_menus
from storage.engine import make_engine, make_session_factory

log = logging.getLogger(__name__)
# Bot API calls on the wire at once (bot/messaging/wire.py), on one aiohttp session of as many
# connections (bot/messaging/aiohttp_request.py). Behind the flood limiter's 29.5 calls a second,
# 8 calls of up to 250 ms each keep up.
CONNECTIONS = 8
TELEGRAM_PER_SECOND = 30  # the bot's overall limit, calls in any second
GC_GEN0_THRESHOLD = 5_000
"""Allocations (less deallocations) of container objects between two collections of the
cyclic garbage collector's youngest generation; CPython's default is 700. A reply allocates
a few thousand such objects (Telegram's JSON, SQLAlchemy's rows, httpx's requests), most of
them freed by reference counting: at 700 the collector ran ~430 times a 1,000 replies, ~0.4 ms
of a reply's ~3.9 ms of CPU on SQLite. Chosen by measurement with `settle_heap` (bench/README.md,
finding H): a higher threshold keeps more garbage between collections, which the peak RSS
measured there bounds."""
_heap_settled = False


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    clock: Clock | None = None,
    engine: AsyncEngine | None = None,
    rate_limiter: Any = "default",
    answer_policy: AnswerPolicy | None = None,
    with_jobs: bool = True,
    menus: bool = True,
    outbox_pace: Pace | None = None,
    concurrent: bool = True,
) -> Application:
    """Wire storage, services, handlers and jobs into a python-telegram-bot Application.

    `rate_limiter` is the flood limiter (None: none); answers to the update in hand are retried
    around it by `AnswerRetry` with `answer_policy` (bot/messaging/answers.py), and what still
    fails is handed over (bot/messaging/delivery.py). `menus=False` leaves the command menus as
    they are at start-up (the benchmarks: a thousand chats' menus would share the flood limiter
    with what they measure). `outbox_pace` is how often the outbox's sender writes to one
    chat (bot/messaging/outbox.py; when None, Telegram's limits, or none without a flood
    limiter). `concurrent=False` handles one update at a time, as before issue 20 (the
    morning-peak benchmark's baseline). `request` carries at most `CONNECTIONS` calls at once
    (bot/messaging/wire.py): by default `production_request()`; one given is shared by that
    many, unless it is a `ShardedRequest` already. `get_updates_request` is by default
    `polling_request()`."""
    if not settings.telegram_bot_token:
        raise ValueError("build_application needs a token (the sandbox supplies its own)")
    engine = engine or make_engine(settings.database_url)
    services = build_services(make_session_factory(engine), clock or SystemClock(), settings)
    warm_public_holidays(services.ctx.today())  # before the loop serves (finding P)

    if rate_limiter == "default":
        rate_limiter = flood_limiter()
    # With the flood limiter, Telegram's overall limit is also kept where the calls reach
    # the wire (bot/messaging/wire.py): the limiter's grants can arrive there bunched.
    window = wire_window() if isinstance(rate_limiter, FloodLimiter) else None
    if request is None:
        request = production_request()
    if not isinstance(request, ShardedRequest):
        request = ShardedRequest([request], in_flight=CONNECTIONS, window=window)
    answers = AnswerRetry(
        answer_policy or AnswerPolicy(),
        hand_over_to(services),
        inner=rate_limiter,
    )
    # The bot ApplicationBuilder would build from these settings, with `answer`
    # (bot/messaging/answer_bot.py): handlers answer through it.
    bot = AnswerBot(
        settings.telegram_bot_token,
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_file_base_url,
        request=request,
        get_updates_request=get_updates_request or polling_request(),
        defaults=Defaults(tzinfo=settings.timezone, parse_mode=ParseMode.HTML),
        rate_limiter=answers,
    )
    limited = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=BotContext))
        .application_class(DondocApplication)
        # Across chats at once, in order within one (bot/messaging/updates.py).
        .concurrent_updates(PerChatUpdates() if concurrent else False)
    )
    if not with_jobs:
        # PTB documents job_queue(None) as the way to build without a JobQueue, but its
        # annotation leaves None out.
        limited = limited.job_queue(None)  # type: ignore[arg-type]
    app = limited.build()
    app.bot_data["services"] = services
    app.bot_data["engine"] = engine
    app.bot_data["answers"] = answers
    if outbox_pace is None and rate_limiter is None:
        outbox_pace = Pace(0, 0)  # no flood limiter (tests, the sandbox): no pacing either
    app.bot_data[OUTBOX] = OutboxSender(app.bot, services, pace=outbox_pace)
    app.bot_data["menus_at_start"] = menus
    register_all(app)
    if with_jobs and app.job_queue is not None:
        schedule_jobs(app)
    return app


def production_request(*, trust_env: bool = True) -> BaseRequest:
    """The Bot API calls' transport as `dondoc run` ships it: one aiohttp session of
    `CONNECTIONS` connections (bot/messaging/aiohttp_request.py; CPU per call ~0.2 ms against
    httpx's ~0.8 ms, bench/README.md finding K). One session, not a shard per connection as
    httpx needed (finding F): taking an aiohttp connection does not scan the pool, and 8 shards
    of one measured no cheaper than one session of 8. `build_application` puts it behind the
    bound of `CONNECTIONS` calls and, with the flood limiter, the wire's window
    (bot/messaging/wire.py). `trust_env=False` ignores proxies named in the environment (the
    benchmarks on loopback)."""
    return AiohttpRequest(connection_pool_size=CONNECTIONS, trust_env=trust_env)


def plain_bot(settings: Settings, *, trust_env: bool = True) -> Bot:
    """A bot outside the Application, on production's transport (`production_request`,
    `polling_request`) instead of python-telegram-bot's default httpx: `dondoc web`'s (getMe
    for the form's links, the form's sends) and `dondoc invites`' getMe. Its `async with`
    opens both aiohttp sessions and closes them (`Bot.shutdown` shuts both requests down):
    use it only so. `trust_env=False` ignores proxies named in the environment (loopback)."""
    return Bot(
        settings.telegram_bot_token or "",
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_file_base_url,
        request=production_request(trust_env=trust_env),
        get_updates_request=polling_request(trust_env=trust_env),
    )


def polling_request(*, trust_env: bool = True) -> BaseRequest:
    """getUpdates' own transport (python-telegram-bot keeps it apart so polling never waits
    behind sends): a long poll's read waits up to 40 s beyond the poll's own timeout."""
    return AiohttpRequest(connection_pool_size=2, read_timeout=40, trust_env=trust_env)


def flood_limiter() -> FloodLimiter:
    """Keep under Telegram's limits instead of hitting them, answers first, and retry a 429 if
    one comes (bot/messaging/flood.py).

    Slots of one, no burst: 29.5 messages a second overall and one every 3.05 s per group
    (python-telegram-bot's default limiter allows a burst of 30 then 30 a second, which
    Telegram's sliding window answers with 429s: bench, 33 of them for 1,000 reminders). A
    call that answers the update being handled takes the next free slot before the outbox's
    fan-out, and in a group goes at once while the group's minute has room (19 of Telegram's
    20; bench item 8)."""
    return FloodLimiter(
        overall_per_second=29.5, group_interval=3.05, group_per_minute=19, max_retries=3
    )


def wire_window() -> TrailingWindow:
    """Telegram's 30 calls a second overall, kept where the calls reach the wire
    (bot/messaging/wire.py): a call counts from its start until a second (and 10 ms) after its
    answer, whatever bunched the calls on their way from the limiter or after (the limiter's
    29.5 a second alone left 17 ms: one 429 a run in bench item 8). With answers back within
    7 ms the limiter's pace keeps 30 calls clear of it (1.017 s apart); slower answers
    (Telegram over a real network) make it the pace: 30 per (1.01 s + the round trip)."""
    return TrailingWindow(TELEGRAM_PER_SECOND, 1.01)


class DondocApplication(Application):
    """Sets the command menus on start, then settles the heap (once per process: `settle_heap`);
    on shutdown writes the answers' links still queued and closes the database pool, whether
    run by run_polling, run_webhook or `async with` (tests, sandbox, benchmarks); handles each
    update in its answer scope (bot/messaging/answers.py) and under its claim in the ledger of
    applied updates (storage/ledger.py); runs the outbox's sender between `start` and `stop`
    (without them, `outbox_of(app).drain()` sends what is due)."""

    async def start(self) -> None:
        await super().start()
        await outbox_of(self).start()

    async def stop(self) -> None:
        await outbox_of(self).stop()
        await super().stop()

    async def process_update(self, update: object) -> None:
        answers: AnswerRetry | None = self.bot_data.get("answers")
        if answers is None or not isinstance(update, Update):
            await super().process_update(update)
            return
        services: Services = self.bot_data["services"]
        if not services.ledger.first_delivery(update.update_id):
            # Taken already by this process (a webhook's retry): a read-only update would be
            # answered twice, which the ledger below cannot see (bot/services/ledger.py).
            log.info("update %s delivered again: already handled here", update.update_id)
            return
        # Claimed by its first writing transaction: applied once, whatever delivers it
        # (storage/ledger.py); its answers retried in their scope (bot/messaging/answers.py).
        with services.ledger.applying(update.update_id), answers.answering(update):
            await super().process_update(update)

    async def initialize(self) -> None:
        await super().initialize()
        if self.bot_data.get("menus_at_start", True):
            # In the background: a menu per bound chat and per person is a few hundred calls
            # through the flood limiter, and the bot need not wait for them to answer.
            self.bot_data[MENUS_TASK] = asyncio.create_task(self._set_menus())
        settings = self.bot_data["services"].ctx.settings
        if settings.web_base_url:  # the web app's form as the bot's menu button: one call
            t = texts_for(None, settings.language)
            try:
                await self.bot.set_chat_menu_button(
                    menu_button=form_menu_button(t, settings.web_base_url)
                )
            except TelegramError:  # a convenience, as the menus: never a reason to stop
                log.warning("could not set the menu button to the form", exc_info=True)
        # Everything long-lived is built: `dondoc run` (polling or webhook, with the web app),
        # the sandbox, the benchmarks and the tests all come through here.
        settle_heap()

    async def _set_menus(self) -> None:
        try:
            await refresh_menus(self, force=True)
        except Exception:  # the menus are a convenience: never a reason to stop
            log.warning("could not set the command menus", exc_info=True)

    async def shutdown(self) -> None:
        task: asyncio.Task[None] | None = self.bot_data.pop(MENUS_TASK, None)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await pending_hand_overs()
        try:
            await super().shutdown()
        finally:
            try:
                # The links of the last answers, written behind (bot/services/link_writer.py).
                await self.bot_data["services"].conversation.close()
            finally:
                engine: AsyncEngine | None = self.bot_data.get("engine")
                if engine is not None:
                    await engine.dispose()


def settle_heap() -> bool:
    """Once per process, after start-up: collect, then move every object alive (the imported
    modules, the engine, services, handlers: ~250,000 objects) into the collector's permanent
    generation, where it never looks again (`gc.freeze`, CPython's advice for long-running
    servers), and collect the young generation every `GC_GEN0_THRESHOLD` allocations. Objects
    frozen are never collected, even once unreachable: right for what lives as long as the
    process, and the reason this runs once, not per Application (the tests build hundreds).
    True the first time, False after."""
    global _heap_settled
    if _heap_settled:
        return False
    _heap_settled = True
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)
    return True


def outbox_of(app: Application) -> OutboxSender:
    """The application's outbox sender (bot/messaging/outbox.py)."""
    sender: OutboxSender = app.bot_data[OUTBOX]
    return sender
