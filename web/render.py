"""Pages from templates: every page gets the catalogue (`t`), the date formats (dd/mm/yyyy),
the person, the CSRF token and where it is; errors are pages too, in the same words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.messaging.format import fmt_count, fmt_date, fmt_moment
from bot.messaging.texts import Texts, texts_for
from bot.services.web_auth import WebPerson
from web.security import is_miniapp_path
from web.session import csrf_of
from web.state import state_of


def texts(request: Request) -> Texts:
    return texts_for(None, state_of(request).settings.language)


def render(
    request: Request,
    template: str,
    *,
    person: WebPerson | None,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    state = state_of(request)
    t = texts(request)
    tz = state.settings.timezone

    def say(key: str, **kwargs: Any) -> Markup:
        return Markup(t.t(key, **kwargs))

    def moment(value: datetime | None) -> str:
        return fmt_moment(value, tz) if value else "—"

    def day(value: date | None) -> str:
        return fmt_date(value)

    def count(value: int) -> str:
        return fmt_count(value, t.lang)

    context = {
        "t": say,
        "n": count,
        "d": day,
        "dt": moment,
        "person": person,
        "is_admin": bool(person and person.who.actor.is_admin),
        "csrf": csrf_of(request),
        "path": request.url.path,
        "miniapp": is_miniapp_path(request.url.path),
        "lang": t.lang,
        **values,
    }
    html = state.templates.get_template(template).render(context)
    return HTMLResponse(html, status_code=status_code)


def problem(
    request: Request,
    status_code: int,
    key: str,
    *,
    person: WebPerson | None,
    **values: Any,
) -> HTMLResponse:
    """A page that says, in the catalogue's words, why nothing is shown or changed."""
    return render(
        request,
        "problem.html",
        person=person,
        status_code=status_code,
        message_key=key,
        message_values=values,
    )
