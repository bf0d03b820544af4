"""The session cookie and who it belongs to, the CSRF token of its forms, and the page every
request without a session gets instead of data.

The cookie holds a random token (the database keeps its SHA-256: services/web_auth.py); it is
HttpOnly and Secure, and expires with the session. A browser's session (the one-time link) is
SameSite=Strict. A Mini App's is SameSite=None and Partitioned: Telegram's web clients show
the Mini App in a frame of web.telegram.org, where a Strict cookie is never sent; partitioned,
it is readable only inside that frame. Every POST carries the CSRF token derived from the
session's secret (bot.domain.webauth.csrf_token), so a cross-site form cannot use either.
"""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from bot.domain.webauth import csrf_token, same_token
from bot.services.web_auth import WebPerson, WebSignIn
from web.state import state_of

COOKIE = "__Host-dondoc"


async def current_person(request: Request) -> WebPerson | None:
    token = request.cookies.get(COOKIE, "")
    if not token:
        return None
    cached = request.scope.get("dondoc.person")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    person = await state_of(request).services.web_auth.person(token)
    request.scope["dondoc.person"] = person
    return person


def csrf_of(request: Request) -> str:
    token = request.cookies.get(COOKIE, "")
    return csrf_token(token) if token else ""


async def csrf_ok(request: Request, submitted: str) -> bool:
    expected = csrf_of(request)
    return bool(expected) and same_token(expected, submitted or "")


def set_session_cookie(response: Response, signed_in: WebSignIn, *, now: datetime) -> None:
    """Written by hand: Starlette writes `Partitioned` only on Python 3.14 and later."""
    max_age = max(0, int((signed_in.expires_at - now).total_seconds()))
    same_site = "None; Partitioned" if signed_in.via == "miniapp" else "Strict"
    response.headers.append(
        "set-cookie",
        f"{COOKIE}={signed_in.token}; Max-Age={max_age}; Path=/; Secure; HttpOnly; "
        f"SameSite={same_site}",
    )


def clear_session_cookie(response: Response) -> None:
    response.headers.append(
        "set-cookie", f"{COOKIE}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict"
    )
