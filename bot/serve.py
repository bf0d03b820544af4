"""The web server's composition: the ASGI app (web/) served by uvicorn, with the services and
a Bot to send with; in webhook mode the same server also receives Telegram's webhook for the
Application (python-telegram-bot's custom-webhook pattern), so production has one port.

* `serve_web` — `dondoc web`, beside a polling bot (`dondoc run`): its own services on the
  same database and a Bot built from the same settings (it only sends the form's
  confirmations and fetches evidence files; updates stay the polling bot's).
* `run_webhook_server` — `dondoc run` with WEBHOOK_URL: the Application from
  `build_application`, its webhook set with the secret, its updates fed from the web app's
  webhook route to `application.update_queue`, and the pages on the same port.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import uvicorn
from telegram import Update
from telegram.ext import Application

from bot.app import plain_bot
from bot.config import Settings
from bot.services import open_services
from web import WebhookTarget, create_app

log = logging.getLogger(__name__)


class Server(uvicorn.Server):
    """uvicorn's server, stopping as `dondoc run` does on SIGTERM or Ctrl+C: a graceful
    shutdown and exit status 0 (uvicorn's own handlers raise the signal again afterwards, so
    the process would end "killed by SIGTERM", which service managers report as a failure)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.handle_exit, sig, None)
        try:
            yield
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)

    async def serve_until_stopped(self) -> None:
        """`serve()`, and when the task serving is cancelled instead of signalled (the
        sandbox, a test, an embedding program), the same shutdown a signal gets: uvicorn's
        own `serve` skips it on cancellation, leaving the listening socket open."""
        try:
            await self.serve()
        except asyncio.CancelledError:
            if self.started:
                self.should_exit = True
                await self.shutdown()
            raise


def uvicorn_config(app: Any, *, host: str, port: int) -> uvicorn.Config:
    """uvicorn as the app wants it: no access log (web/security.py logs each request without
    tokens or query strings), our logging left alone, the proxy's X-Forwarded-* trusted only
    from the loopback address the TLS proxy connects from."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,
        log_config=None,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
        lifespan="off",
    )


async def serve_web(settings: Settings, *, host: str, port: int) -> None:
    """`dondoc web`: the pages and the form on host:port until stopped."""
    if not settings.telegram_bot_token:
        raise ValueError("dondoc web needs TELEGRAM_BOT_TOKEN (it checks Mini App sign-ins)")
    # The bot on production's aiohttp transport (bot/app.py), closed when serving ends; its
    # `async with` calls getMe: the bot's username for the form's links.
    async with open_services(settings) as services, plain_bot(settings) as bot:
        server = Server(uvicorn_config(create_app(services, bot), host=host, port=port))
        log.info("dondoc web: serving on %s:%s", host, port)
        await server.serve_until_stopped()


def webhook_target(application: Application) -> WebhookTarget:
    settings = application.bot_data["services"].ctx.settings
    path = urlparse(settings.webhook_url).path or "/"

    async def feed(data: dict[str, Any]) -> None:
        await application.update_queue.put(Update.de_json(data, application.bot))

    return WebhookTarget(path=path, secret=settings.webhook_secret, feed=feed)


def web_app_for(application: Application) -> Any:
    """The ASGI app sharing the Application's services and bot, with its webhook route."""
    services = application.bot_data["services"]
    return create_app(services, application.bot, webhook=webhook_target(application))


async def serve_webhook(application: Application, settings: Settings) -> None:
    """Set the webhook, start the Application (its jobs too), serve until stopped."""
    server = Server(
        uvicorn_config(
            web_app_for(application), host=settings.webhook_listen, port=settings.webhook_port
        )
    )
    async with application:
        await application.bot.set_webhook(
            url=settings.webhook_url or "",
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
        await application.start()
        log.info(
            "dondoc: webhook and web app on %s:%s", settings.webhook_listen, settings.webhook_port
        )
        try:
            await server.serve_until_stopped()
        finally:
            await application.stop()


def run_webhook_server(application: Application, settings: Settings) -> None:
    asyncio.run(serve_webhook(application, settings))
