"""Telegram's webhook on the web app's port (python-telegram-bot's custom-webhook pattern):
the update is checked (the secret header, JSON) and handed to the Application's queue, which
the composition root (bot/serve.py) feeds to the bot as `run_webhook` would."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

log = logging.getLogger(__name__)
SECRET_HEADER = "x-telegram-bot-api-secret-token"


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    """Where Telegram posts (`path`), the secret it must send, and what takes the update."""

    path: str
    secret: str | None
    feed: Callable[[dict[str, Any]], Awaitable[None]]


def webhook_endpoint(target: WebhookTarget) -> Callable[[Request], Awaitable[Response]]:
    async def receive(request: Request) -> Response:
        if target.secret is not None:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), target.secret.encode()):
                return PlainTextResponse("Forbidden", status_code=403)
        try:
            update = json.loads(await request.body())
        except ValueError:
            return PlainTextResponse("Bad Request", status_code=400)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return PlainTextResponse("Bad Request", status_code=400)
        await target.feed(update)
        return PlainTextResponse("OK")

    return receive
