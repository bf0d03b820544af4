"""Safe defaults for every response, and the limits every request meets before a handler.

* Headers: a Content-Security-Policy with no inline script or style (the one script is a
  static file), `frame-ancestors 'none'` except on the Mini App's pages (/app…), which only
  Telegram's web clients may frame; no referrer (a one-time link never leaks through one);
  nosniff; HSTS; no caching of pages that carry a person's data.
* Bodies: a request larger than its route allows is refused with 413 before it is read.
* Logs: each request is logged by method, route and status, never with its token, query
  string or body (initData, a one-time link's secret); uvicorn's own access log is off.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.messaging.texts import texts_for

log = logging.getLogger("web")

TELEGRAM_WEB_CLIENTS = (
    "https://web.telegram.org",
    "https://webk.telegram.org",
    "https://webz.telegram.org",
)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
)
FORM_BODY_LIMIT = 64 * 1024  # a report's text is at most 4,000 characters


def is_miniapp_path(path: str) -> bool:
    return path == "/app" or path.startswith("/app/")


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    ancestors = " ".join(TELEGRAM_WEB_CLIENTS) if is_miniapp_path(path) else "'none'"
    headers = [
        (b"content-security-policy", CSP.format(ancestors=ancestors).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"strict-transport-security", b"max-age=31536000"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
        (b"cross-origin-resource-policy", b"same-origin"),
    ]
    if not is_miniapp_path(path):
        headers.append((b"x-frame-options", b"DENY"))
    if not path.startswith("/static/"):
        headers.append((b"cache-control", b"no-store"))
    return headers


def redacted_path(path: str) -> str:
    """The path as logged: a one-time link's secret and a file's numbers never appear."""
    if path.startswith("/login/"):
        return "/login/…"
    return path


class SafetyMiddleware:
    """Headers on every response, the body limit on every request, one log line each."""

    def __init__(self, app: ASGIApp, *, upload_limit: int, webhook_path: str | None = None) -> None:
        self.app = app
        self.upload_limit = upload_limit
        self.webhook_path = webhook_path

    def limit_for(self, path: str) -> int:
        if path.endswith("/evidence"):
            return self.upload_limit
        if path == self.webhook_path:
            return 1024 * 1024  # Telegram's updates are small; a large one is not Telegram's
        return FORM_BODY_LIMIT

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.limit_for(path)
        declared = _content_length(scope)
        began = time.perf_counter()
        status: dict[str, Any] = {"code": 0}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in security_headers(path) if h[0] not in names),
                ]
            await send(message)

        try:
            if declared is not None and declared > limit:
                await _too_large(send_with_headers)
                return
            received = 0

            async def counted_receive() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        raise BodyTooLarge
                return message

            try:
                await self.app(scope, counted_receive, send_with_headers)
            except BodyTooLarge:
                if not status["code"]:
                    await _too_large(send_with_headers)
        finally:
            log.info(
                "%s %s %s %.0f ms",
                scope.get("method", "-"),
                redacted_path(path),
                status["code"] or "-",
                (time.perf_counter() - began) * 1000,
            )


class BodyTooLarge(Exception):
    """A request body went past its route's limit while being read."""


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send) -> None:
    # Refused before any session or setting is read, so in both languages of the catalogue.
    body = " / ".join(texts_for(None, lang).t("web.too_large") for lang in ("vi", "en")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
