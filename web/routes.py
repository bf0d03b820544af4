"""Every route of the web app and the action of the permission rule it opens with: the one
table the permission test (tests/web/test_permission_table.py) walks, route × role.

Each endpoint's `action` (set by `web.guard.page`) is checked by the guard with no agency named (web_scope: the person alone); pages
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

    @property
    def action(self) -> Action | None:
        """What the guard checks first (`web.guard.page`); None: open to anyone (signing in,
        signing out, the page after it)."""
        found: Action | None = getattr(self.endpoint, "action", None)
        return found


ROUTES = (
    WebRoute("overview", "/", pages.overview, ("GET",)),
    WebRoute("agencies", "/agencies", pages.agencies, ("GET",)),
    WebRoute("agency", "/agencies/{agency_id:int}", pages.agency, ("GET",)),
    WebRoute("tasks", "/tasks", pages.tasks, ("GET",)),
    WebRoute("task", "/tasks/{assignment_id:int}", pages.task, ("GET",)),
    WebRoute("notices", "/notices", pages.notices, ("GET",)),
    WebRoute("notice", "/notices/{notice_id:int}", pages.notice, ("GET",)),
    WebRoute("export", "/export/{kind:str}", pages.export, ("GET",)),
    WebRoute("evidence", "/files/{update_id:int}/{index:int}", pages.evidence, ("GET",)),
    WebRoute("form", "/app", form.form, ("GET",)),
    WebRoute("form_task", "/app/tasks/{assignment_id:int}", form.form_task, ("GET",)),
    WebRoute("act", "/app/tasks/{assignment_id:int}/{action:str}", form.act, ("POST",)),
    WebRoute("undo", "/app/undo/{update_id:int}", form.undo, ("POST",)),
    WebRoute("login", "/login/{token:str}", auth.login_link, ("GET", "POST")),
    WebRoute("miniapp", "/auth/miniapp", auth.miniapp, ("GET", "POST")),
    WebRoute("logout", "/logout", auth.logout, ("POST",)),
    WebRoute("signed_out", "/signed-out", auth.signed_out, ("GET",)),
)
