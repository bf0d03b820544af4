"""Every route of the web app and the action of the permission rule it opens with: the one
table the permission test (tests/web/test_permission_table.py) walks, route × role.

`action` is checked by the guard with no agency named (web_scope: the person alone); pages
about one agency or one task then ask the rule again with that agency, in the service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from bot.domain.permissions import Action
from web import auth, form, pages


@dataclass(frozen=True, slots=True)
class WebRoute:
    name: str
    path: str
    endpoint: Callable[[Request], Awaitable[Response]]
    methods: tuple[str, ...]
    action: Action | None  # None: open to anyone (signing in, static pages)


ROUTES = (
    WebRoute("overview", "/", pages.overview, ("GET",), Action.WEB_SIGN_IN),
    WebRoute("agencies", "/agencies", pages.agencies, ("GET",), Action.VIEW_ALL),
    WebRoute("agency", "/agencies/{agency_id:int}", pages.agency, ("GET",), Action.VIEW_AGENCY),
    WebRoute("tasks", "/tasks", pages.tasks, ("GET",), Action.VIEW_ALL),
    WebRoute("task", "/tasks/{assignment_id:int}", pages.task, ("GET",), Action.VIEW_AGENCY),
    WebRoute("notices", "/notices", pages.notices, ("GET",), Action.VIEW_ALL),
    WebRoute("notice", "/notices/{notice_id:int}", pages.notice, ("GET",), Action.VIEW_ALL),
    WebRoute("export", "/export/{kind:str}", pages.export, ("GET",), Action.EXPORT),
    WebRoute(
        "evidence",
        "/files/{update_id:int}/{index:int}",
        pages.evidence,
        ("GET",),
        Action.VIEW_AGENCY,
    ),
    WebRoute("form", "/app", form.form, ("GET",), Action.REPORT),
    WebRoute(
        "form_task", "/app/tasks/{assignment_id:int}", form.form_task, ("GET",), Action.REPORT
    ),
    WebRoute(
        "act", "/app/tasks/{assignment_id:int}/{action:str}", form.act, ("POST",), Action.REPORT
    ),
    WebRoute("undo", "/app/undo/{update_id:int}", form.undo, ("POST",), Action.REPORT),
    WebRoute("login", "/login/{token:str}", auth.login_link, ("GET", "POST"), None),
    WebRoute("miniapp", "/auth/miniapp", auth.miniapp, ("GET", "POST"), None),
    WebRoute("logout", "/logout", auth.logout, ("POST",), None),
    WebRoute("signed_out", "/signed-out", auth.signed_out, ("GET",), None),
)
