"""Logging that never prints the bot token, nor the secret of a web sign-in link.

Request URLs contain the token (https://api.telegram.org/bot<TOKEN>/...), so httpx and aiohttp
are kept at WARNING and every record passes through a filter that redacts the token. At DEBUG,
python-telegram-bot logs the messages it sends: the one-time link `/web` answers with is
redacted from them too (the web app's own request log never prints it: web/security.py).
"""

from __future__ import annotations

import logging
import re
from typing import TextIO

from bot.config import redact

LOGIN_LINK = re.compile(r"/login/[A-Za-z0-9_-]{16,}")


class RedactTokenFilter(logging.Filter):
    """Replaces the token in a record's message and arguments before any handler sees it."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        # Freeze the message now: arguments are live objects (PTB logs a result dict and then
        # rewrites its file_path into a URL with the token), and a handler that formats later
        # (MemoryHandler, a queue) would otherwise render the token.
        record.msg = LOGIN_LINK.sub("/login/…", redact(record.getMessage(), self._token))
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = LOGIN_LINK.sub("/login/…", redact(text, self._token))
        return True


class _ConsoleHandler(logging.StreamHandler[TextIO]):
    """The console handler setup_logging installs: recognised on a second call."""


def setup_logging(level: str, token: str | None) -> None:
    """Configure the root logger once; idempotent so tests and the sandbox can call it."""
    root = logging.getLogger()
    root.setLevel(level)
    if not any(isinstance(h, _ConsoleHandler) for h in root.handlers):
        console = _ConsoleHandler()
        console.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(console)
    for handler in root.handlers:
        for existing in [f for f in handler.filters if isinstance(f, RedactTokenFilter)]:
            handler.removeFilter(existing)
        handler.addFilter(RedactTokenFilter(token))
    for noisy in ("httpx", "httpcore", "aiohttp", "apscheduler", "aiosqlite", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
