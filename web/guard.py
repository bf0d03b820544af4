"""The door of every page: a session, then the permission rule, then (for a POST) the CSRF
token. A request without a session gets the sign-in page (401) and no data; one the rule
refuses gets 403; an agency-specific refusal is the service's (it returns nothing: 404)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from bot.domain.permissions import Action
from bot.services.web_auth import WebPerson
from web.render import problem, render
from web.session import csrf_ok, current_person
from web.state import state_of

Handler = Callable[[Request, WebPerson], Awaitable[Response]]
MAX_FIELDS = 20


def sign_in_page(request: Request) -> Response:
    """What anyone without a session sees: how to sign in (and, in the Mini App, the script
    signs in by itself). Status 401, no data."""
    return render(request, "sign_in.html", person=None, status_code=401)


def page(action: Action) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a handler: it runs only for a person with a session whom the rule allows
    `action` (with no agency named: the service checks the agency a page is about)."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            person = await current_person(request)
            if person is None:
                return sign_in_page(request)
            if not person.who.may(action).allowed:
                return problem(request, 403, "web.forbidden", person=person)
            if request.method != "POST":
                return await handler(request, person)
            form = await read_form(request)
            if form is None:
                return problem(request, 400, "web.bad_form", person=person)
            try:
                if not await csrf_ok(request, str(form.get("csrf", ""))):
                    return problem(request, 403, "web.bad_csrf", person=person)
                return await handler(request, person)
            finally:
                await form.close()  # an uploaded file's temporary copy goes now

        endpoint.action = action  # type: ignore[attr-defined]
        return endpoint

    return wrap


async def read_form(request: Request) -> FormData | None:
    """The POSTed form (parsed once, then cached by Starlette), or None when malformed."""
    limit = state_of(request).settings.max_upload_mb * 1024 * 1024
    try:
        return await request.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=limit)
    except Exception:  # multipart errors come in several classes; each means "malformed"
        return None
