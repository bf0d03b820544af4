"""Every route of the web app × every role, through the ASGI app on the real services: what
each gets (the status), and for the routes that write, that the write happened only when
allowed. The table is docs/web.md's (the test checks the file is up to date).

Roles: the office (admin), the focal point of A (Sở Tài chính), the focal point of B (Sở Công
Thương), a stranger (signed in as A's deputy, then removed from A by the office: a live
session, no standing), and anonymous (no session). Ids in the paths are A's.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from storage.models import ProgressUpdate
from storage.unit_of_work import UnitOfWork
from tests.harness import ADMIN, DEPUTY_A, FOCAL_A, FOCAL_B
from tests.web.support import WebWorld, sign_in_by_link, sign_in_by_miniapp, web_world
from web.routes import ROUTES

DOC = Path(__file__).resolve().parents[2] / "docs" / "web.md"
ROLES = ("admin", "focal point of A", "focal point of B", "stranger", "anonymous")


@dataclass(frozen=True)
class Case:
    route: str  # a name in web.routes.ROUTES
    method: str
    path: str  # with {agency}, {task}, {notice}, {update} for A's
    expected: tuple[int, int, int, int, int]  # per role, in ROLES' order
    writes: bool = False
    check: str | None = None  # what the door checks on a route open to anyone


CASES = (
    Case("overview", "GET", "/", (200, 303, 303, 403, 401)),
    Case("agencies", "GET", "/agencies", (200, 403, 403, 403, 401)),
    Case("agency", "GET", "/agencies/{agency}", (200, 200, 404, 403, 401)),
    Case("tasks", "GET", "/tasks", (200, 403, 403, 403, 401)),
    Case("task", "GET", "/tasks/{task}", (200, 200, 404, 403, 401)),
    Case("notices", "GET", "/notices", (200, 403, 403, 403, 401)),
    Case("notice", "GET", "/notices/{notice}", (200, 403, 403, 403, 401)),
    Case("export", "GET", "/export/xlsx", (200, 403, 403, 403, 401)),
    Case("export", "GET", "/export/docx", (200, 403, 403, 403, 401)),
    Case("evidence", "GET", "/files/{update}/0", (200, 200, 404, 403, 401)),
    Case("form", "GET", "/app", (200, 200, 200, 403, 401)),
    Case("form", "GET", "/app?agency={agency}", (200, 200, 404, 403, 401)),
    Case("form_task", "GET", "/app/tasks/{task}", (200, 200, 404, 403, 401)),
    Case("undo", "POST", "/app/undo/{update}", (303, 303, 404, 403, 401), writes=True),
    Case("act", "POST", "/app/tasks/{task}/progress", (303, 303, 404, 403, 401), writes=True),
    # Open to anyone: what a session changes nothing in (test_sign_in.py: what each accepts).
    Case("login", "GET", "/login/{link}", (401,) * 5, check="the link (unknown here)"),
    Case("login", "POST", "/login/{link}", (401,) * 5, check="the link (unknown here)"),
    Case("miniapp", "GET", "/auth/miniapp", (401,) * 5, check="initData (none here)"),
    Case("miniapp", "POST", "/auth/miniapp", (401,) * 5, check="initData (none here)"),
    Case("signed_out", "GET", "/signed-out", (200,) * 5, check="none"),
    Case("logout", "POST", "/logout", (303, 303, 303, 303, 403), check="CSRF token"),
)


def test_every_route_has_cases() -> None:
    assert {r.name for r in ROUTES} <= {c.route for c in CASES}
    assert all((c.check is None) == (c.route not in OPEN) for c in CASES)


OPEN = {r.name for r in ROUTES if r.action is None}  # the guard's page() is not on them


@asynccontextmanager
async def as_role(
    database_url: str, role: str
) -> AsyncIterator[tuple[WebWorld, httpx.AsyncClient, dict[str, int]]]:
    """A fresh world where A's focal point has sent one evidence file through the form, and a
    client signed in as `role`."""
    async with web_world(database_url) as web, web.client() as client:
        async with web.client() as focal:
            await sign_in_by_miniapp(web, focal, FOCAL_A)
            csrf = re.search(r'name="csrf" value="(\w+)"', (await focal.get("/app")).text)[1]  # type: ignore[index]
            sent = await focal.post(
                f"/app/tasks/{web.world.open_task['A']}/evidence",
                data={"csrf": csrf},
                files={"file": ("bien-ban.txt", b"bien ban", "text/plain")},
            )
            update = int(re.search(r"[?&]ok=(\d+)", sent.headers["location"])[1])  # type: ignore[index]
        if role == "admin":
            await sign_in_by_link(web, client, ADMIN)
        elif role == "focal point of A":
            await sign_in_by_miniapp(web, client, FOCAL_A)
        elif role == "focal point of B":
            await sign_in_by_link(web, client, FOCAL_B)
        elif role == "stranger":
            await sign_in_by_miniapp(web, client, DEPUTY_A)
            await web.harness.send(ADMIN, ADMIN, f"/xoadaumoi {DEPUTY_A} Sở Tài chính")
        ids = {
            "agency": web.world.agency["A"],
            "task": web.world.open_task["A"],
            "notice": web.world.notice_id,
            "update": update,
            "link": "n0t-a-link-" + "x" * 32,
        }
        yield web, client, ids


async def history_size(web: WebWorld) -> int:
    async with UnitOfWork(web.harness.services.ctx.session_factory) as uow:
        return int((await uow.session.execute(select(func.count(ProgressUpdate.id)))).scalar() or 0)


@pytest.mark.parametrize("role", ROLES)
async def test_route_by_role(sqlite_url: str, role: str) -> None:
    column = ROLES.index(role)
    async with as_role(sqlite_url, role) as (web, client, ids):
        csrf_match = re.search(r'name="csrf" value="(\w+)"', (await client.get("/app")).text)
        csrf = csrf_match[1] if csrf_match else ""
        for case in CASES:
            path = case.path.format(**ids)
            before = await history_size(web)
            if case.method == "GET":
                response = await client.get(path)
            else:
                data = {"csrf": csrf, "percent": "40"}
                response = await client.post(path, data=data)
            expected = case.expected[column]
            assert response.status_code == expected, (role, case.method, path, response.text[:200])
            if case.writes:
                grew = await history_size(web) - before
                assert grew == (1 if expected == 303 else 0), (role, path)
            if expected in (401, 403, 404):
                assert "ALPHAMARK" not in response.text, (role, path)


def render_table() -> str:
    actions = {route.name: route.action for route in ROUTES}
    lines = [
        "| route | first check | " + " | ".join(ROLES) + " |",
        "|---|---|" + "---|" * len(ROLES),
    ]
    for case in CASES:
        cells = [SYMBOL.get(status, str(status)) for status in case.expected]
        action = actions[case.route]
        check = f"`{action.value}`" if action else str(case.check)
        lines.append(f"| `{case.method} {case.path}` | {check} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


SYMBOL = {
    200: "✅ 200",
    303: "✅ 303",
    401: "🔒 401",
    403: "⛔ 403",
    404: "⛔ 404",
}


def test_docs_show_this_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- permission table: start -->", 1)[1].split(
        "<!-- permission table: end -->", 1
    )[0]
    assert block.strip() == render_table(), "docs/web.md's table: paste render_table()'s output"
