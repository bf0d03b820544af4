"""Run the bot on Telegram (polling or webhook), or explain what the sandbox needs."""

from __future__ import annotations

import argparse
import logging
import sys

from telegram import Update

from bot.config import Settings
from storage import migrate

log = logging.getLogger(__name__)


def ensure_schema(settings: Settings, *, auto_upgrade: bool) -> None:
    """An out-of-date database stops start-up with the fix, unless --auto-upgrade is given.

    Chosen over silent upgrades so that an operator with a backup policy decides when the
    schema changes; the sandbox and `--auto-upgrade` upgrade by themselves.
    """
    from bot.cli import StartupError

    if migrate.is_up_to_date(settings.database_url):
        return
    if auto_upgrade:
        migrate.upgrade(settings.database_url)
        return
    current = migrate.current_revision(settings.database_url) or "trống / empty"
    raise StartupError(
        f"Cơ sở dữ liệu chưa cập nhật ({current}); chạy `dondoc db upgrade` rồi chạy lại. "
        "/ The database schema is out of date: run `dondoc db upgrade` (or `dondoc run --auto-upgrade`)."
    )


def run_bot(settings: Settings, *, auto_upgrade: bool = False) -> int:
    from bot.cli import StartupError
    from storage.instance_lock import DatabaseInUse, single_instance

    try:
        with single_instance(settings.database_url):
            return _run_bot(settings, auto_upgrade=auto_upgrade)
    except DatabaseInUse as error:
        raise StartupError(
            f"Một dondoc khác ({error.holder}) đang chạy trên {error.database}: trên SQLite chỉ "
            "chạy được một bản; muốn chạy nhiều bản, dùng PostgreSQL (docs/deploy.md). / "
            f"Another dondoc ({error.holder}) is running on {error.database}: SQLite takes one "
            "instance; for several, use PostgreSQL (docs/deploy.md)."
        ) from None


def _run_bot(settings: Settings, *, auto_upgrade: bool) -> int:
    from bot.app import build_application

    ensure_schema(settings, auto_upgrade=auto_upgrade)
    app = build_application(settings)
    if settings.webhook_url:
        # One port behind the TLS proxy: the webhook and the web app (bot/serve.py).
        from bot.serve import run_webhook_server

        run_webhook_server(app, settings)
    else:
        log.info("dondoc: polling Telegram (%s)", settings.telegram_api_base_url.split("/bot")[0])
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


def run_sandbox_or_explain(settings: Settings, argv: list[str]) -> int:
    """Without a token: the sandbox when it is installed, else a clear line on what to set."""
    try:
        from bot.sandbox.terminal import run_sandbox
    except ImportError:
        print(
            "Chưa có TELEGRAM_BOT_TOKEN: đặt token do @BotFather cấp trong .env (xem "
            "config.example.env) rồi chạy lại `make run`. / TELEGRAM_BOT_TOKEN is not set: put the "
            "token from @BotFather in .env and run `make run` again.",
            file=sys.stderr,
        )
        return 2
    return run_sandbox(settings, argv)


def cmd_sandbox(args: argparse.Namespace, settings: Settings) -> int:
    argv = ["--script", str(args.script)] if args.script else []
    if getattr(args, "workdir", None):
        argv += ["--workdir", str(args.workdir)]
    return run_sandbox_or_explain(settings, argv)


def cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    """`dondoc web`: the dashboard and the Mini App form, for a polling deployment (in webhook
    mode `dondoc run` serves them on the webhook's port already)."""
    import asyncio

    from bot.cli import StartupError

    if not settings.telegram_bot_token:
        raise StartupError(
            "Chưa có TELEGRAM_BOT_TOKEN: trang web cần token để kiểm tra đăng nhập qua Telegram. "
            "/ TELEGRAM_BOT_TOKEN is not set: the web app needs it to check Telegram sign-ins."
        )
    ensure_schema(settings, auto_upgrade=args.auto_upgrade)
    from bot.serve import serve_web

    asyncio.run(serve_web(settings, host=args.host, port=args.port))
    return 0
