"""The composition root: the one place that knows every layer.

`build_application` is used by production, the sandbox, the tests and the benchmarks alike,
so what the tests exercise is what runs.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.jobs import schedule_jobs
from bot.messaging.keyboards import form_menu_button
from bot.messaging.texts import texts_for
from bot.services import build_services
from handlers import register_all
from handlers.base import BotContext
from handlers.menu import set_menus
from storage.engine import make_engine, make_session_factory

log = logging.getLogger(__name__)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    clock: Clock | None = None,
    engine: AsyncEngine | None = None,
    rate_limiter: Any = "default",
    with_jobs: bool = True,
) -> Application:
    """Wire storage, services, handlers and jobs into a python-telegram-bot Application."""
    if not settings.telegram_bot_token:
        raise ValueError("build_application needs a token (the sandbox supplies its own)")
    engine = engine or make_engine(settings.database_url)
    services = build_services(make_session_factory(engine), clock or SystemClock(), settings)

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .defaults(Defaults(tzinfo=settings.timezone, parse_mode=ParseMode.HTML))
        .context_types(ContextTypes(context=BotContext))
        .application_class(DondocApplication)
        .concurrent_updates(False)
    )
    builder = builder.request(request or HTTPXRequest(connection_pool_size=16))
    builder = builder.get_updates_request(
        get_updates_request or HTTPXRequest(read_timeout=40, connection_pool_size=2)
    )
    if rate_limiter == "default":
        rate_limiter = flood_limiter()
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    if not with_jobs:
        builder = builder.job_queue(None)
    app = builder.build()
    app.bot_data["services"] = services
    app.bot_data["engine"] = engine
    register_all(app)
    if with_jobs and app.job_queue is not None:
        schedule_jobs(app)
    return app


def flood_limiter() -> AIORateLimiter:
    """Keep under Telegram's limits instead of hitting them, and retry a 429 if one comes.

    A leaky bucket with no burst: 29.5 messages a second overall and 19.7 a minute per group.
    The default limiter allows a burst of 30 then 30 a second, which Telegram's sliding
    window answers with 429s (bench: 33 of them for 1,000 reminders, 1.35x slower)."""
    return AIORateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / 29.5,
        group_max_rate=1,
        group_time_period=3.05,
        max_retries=3,
    )


class DondocApplication(Application):
    """Sets the command menus on start and closes the database pool on shutdown, whether
    run by run_polling, run_webhook or `async with` (tests, sandbox, benchmarks)."""

    async def initialize(self) -> None:
        await super().initialize()
        settings = self.bot_data["services"].ctx.settings
        await set_menus(
            self,
            settings.admin_ids,
            language=settings.language,
            per_client=settings.follow_telegram_language,
        )
        if settings.web_base_url:  # the web app's form as the bot's menu button
            t = texts_for(None, settings.language)
            await self.bot.set_chat_menu_button(
                menu_button=form_menu_button(t, settings.web_base_url)
            )

    async def shutdown(self) -> None:
        try:
            await super().shutdown()
        finally:
            engine: AsyncEngine | None = self.bot_data.get("engine")
            if engine is not None:
                await engine.dispose()
