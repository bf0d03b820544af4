"""Signing in and out: the one-time link from `/web` (GET shows a button, POST consumes the
link: a link preview fetching the URL consumes nothing), the Mini App's initData
(POST /auth/miniapp, JSON), and logging out. Every refusal writes nothing."""

from __future__ import annotations

import json
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from bot.domain.webauth import InitDataProblem
from bot.services.web_auth import WebSignIn
from web.guard import read_form
from web.render import render
from web.session import COOKIE, clear_session_cookie, csrf_ok, set_session_cookie
from web.state import state_of

log = logging.getLogger(__name__)
MAX_JSON = 8192


def landing(signed_in: WebSignIn, is_admin: bool) -> str:
    return "/" if is_admin else "/app"


async def login_link(request: Request) -> Response:
    """GET: a page with one button (nothing consumed). POST: the link opens a session."""
    token = request.path_params["token"]
    services = state_of(request).services
    if request.method == "GET":
        if not await services.web_auth.link_is_usable(token):
            return render(request, "link_unusable.html", person=None, status_code=401)
        return render(request, "link_confirm.html", person=None, token=token)
    result = await services.web_auth.redeem_link(token)
    if not isinstance(result, WebSignIn):
        log.info("web sign-in by link refused: %s", result.value)
        return render(request, "link_unusable.html", person=None, status_code=401)
    person = await services.web_auth.person(result.token)
    response = RedirectResponse(
        landing(result, bool(person and person.who.actor.is_admin)), status_code=303
    )
    set_session_cookie(response, result, now=services.ctx.now())
    return response


async def miniapp(request: Request) -> Response:
    """POST {"init_data": "…"}: Telegram's signed launch data opens a session; anything else
    (another method, another body, a forged, stale or replayed initData, a stranger) is 401."""
    refused = JSONResponse({"ok": False}, status_code=401)
    if request.method != "POST":
        return refused
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return refused
    body = await request.body()
    if len(body) > MAX_JSON:
        return refused
    try:
        payload = json.loads(body)
    except ValueError:
        return refused
    init_data = payload.get("init_data") if isinstance(payload, dict) else None
    if not isinstance(init_data, str):
        return refused
    services = state_of(request).services
    result = await services.web_auth.sign_in_miniapp(init_data)
    if not isinstance(result, WebSignIn):
        # The reason only: initData itself is never logged.
        reason = result.value if isinstance(result, InitDataProblem | str) else "refused"
        log.info("web sign-in by Mini App refused: %s", reason)
        return refused
    person = await services.web_auth.person(result.token)
    response = JSONResponse(
        {"ok": True, "next": landing(result, bool(person and person.who.actor.is_admin))}
    )
    set_session_cookie(response, result, now=services.ctx.now())
    return response


async def logout(request: Request) -> Response:
    """POST with the session's CSRF token: the session ends (on every instance) and the
    cookie goes. Allowed to anyone with a session, even one whose membership just ended."""
    form = await read_form(request)
    if form is None or not await csrf_ok(request, str(form.get("csrf", ""))):
        return render(
            request,
            "problem.html",
            person=None,
            status_code=403,
            message_key="web.bad_csrf",
            message_values={},
        )
    await state_of(request).services.web_auth.sign_out(request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/signed-out", status_code=303)
    clear_session_cookie(response)
    return response


async def signed_out(request: Request) -> Response:
    return render(request, "signed_out.html", person=None)
