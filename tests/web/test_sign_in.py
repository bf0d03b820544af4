"""Signing in by Telegram, and everything that must be refused with nothing written: a forged,
stale or replayed initData, a stranger, a used or expired one-time link, a link asked for in a
group, a logout without the session's token; and no secret in the logs."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.domain.webauth import INIT_DATA_MAX_AGE
from storage.models import WebInitDataUse, WebLoginLink, WebSession
from storage.unit_of_work import UnitOfWork
from tests.harness import ADMIN, FOCAL_A, GROUP_A, STRANGER
from tests.web.support import BASE, WebWorld, init_data, link_from_bot, sign_in_by_link

COOKIE = "__Host-dondoc"


async def count(web: WebWorld, model: type) -> int:
    async with UnitOfWork(web.harness.services.ctx.session_factory) as uow:
        return int((await uow.session.execute(select(func.count()).select_from(model))).scalar())


def set_cookie(response) -> str:  # type: ignore[no-untyped-def]
    return next(v for k, v in response.headers.multi_items() if k == "set-cookie")


# --- the one-time link ---------------------------------------------------------------------


async def test_the_link_opens_a_strict_session_once(web: WebWorld) -> None:
    path = await link_from_bot(web.harness, ADMIN)
    assert "/login/" in path and await count(web, WebLoginLink) == 1
    async with web.client() as client:
        # A GET (a link preview, a second look) consumes nothing.
        for _ in range(2):
            page = await client.get(path)
            assert page.status_code == 200 and "Đăng nhập" in page.text
        assert await count(web, WebSession) == 0
        opened = await client.post(path)
        assert opened.status_code == 303 and opened.headers["location"] == "/"
        cookie = set_cookie(opened)
        for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=43200"):
            assert attribute in cookie
        assert (await client.get("/")).status_code == 200
    async with web.client() as other:
        again = await other.post(path)
        assert again.status_code == 401 and "đã dùng" in again.text
        assert (await other.get(path)).status_code == 401
    assert await count(web, WebSession) == 1


async def test_an_expired_link_is_refused_and_writes_nothing(web: WebWorld) -> None:
    path = await link_from_bot(web.harness, FOCAL_A)
    web.harness.clock.advance(timedelta(minutes=10, seconds=1))
    async with web.client() as client:
        assert (await client.get(path)).status_code == 401
        assert (await client.post(path)).status_code == 401
        assert (await client.post("/login/" + "x" * 43)).status_code == 401
        assert (await client.post("/login/" + "é" * 300)).status_code == 401
        assert COOKIE not in client.cookies
    assert await count(web, WebSession) == 0


async def test_links_only_in_private_and_only_for_people_the_bot_knows(web: WebWorld) -> None:
    await web.harness.send(FOCAL_A, GROUP_A, "/web")
    assert "cuộc trò chuyện riêng" in web.harness.last_text(GROUP_A)
    await web.harness.send(STRANGER, STRANGER, "/web")
    assert "chưa được gắn" in web.harness.last_text(STRANGER)
    assert BASE not in web.harness.last_text(GROUP_A) + web.harness.last_text(STRANGER)
    assert await count(web, WebLoginLink) == 0


# --- the Mini App ----------------------------------------------------------------------------


async def test_init_data_opens_a_session_for_the_mini_app(web: WebWorld) -> None:
    now = web.harness.clock.now()
    async with web.client() as client:
        response = await client.post("/auth/miniapp", json={"init_data": init_data(FOCAL_A, now)})
        assert response.status_code == 200
        assert response.json() == {"ok": True, "next": "/app"}
        cookie = set_cookie(response)
        for attribute in ("HttpOnly", "Secure", "SameSite=None", "Partitioned"):
            assert attribute in cookie
        page = await client.get("/app")
        assert page.status_code == 200 and "Sở Tài chính" in page.text


@pytest.mark.parametrize(
    "case",
    ["forged", "other_bot", "expired", "future", "stranger", "garbage", "not_a_string"],
)
async def test_refused_init_data_answers_401_and_writes_nothing(web: WebWorld, case: str) -> None:
    now = web.harness.clock.now()
    good = init_data(FOCAL_A, now)
    payload: object = {
        "forged": good.replace("2001", "2002"),
        "other_bot": init_data(FOCAL_A, now, token="999:ANOTHER-BOT-abcdefghijklmnopqrst"),
        "expired": init_data(FOCAL_A, now - INIT_DATA_MAX_AGE - timedelta(seconds=1)),
        "future": init_data(FOCAL_A, now + timedelta(hours=1)),
        "stranger": init_data(STRANGER, now),
        "garbage": "%%%&&&===",
        "not_a_string": 12,
    }[case]
    async with web.client() as client:
        response = await client.post("/auth/miniapp", json={"init_data": payload})
        assert response.status_code == 401 and response.json() == {"ok": False}
        assert COOKIE not in client.cookies
        assert (await client.get("/app")).status_code == 401
    assert await count(web, WebSession) == 0
    assert await count(web, WebInitDataUse) == 0


async def test_a_replayed_init_data_is_refused(web: WebWorld) -> None:
    data = init_data(FOCAL_A, web.harness.clock.now())
    async with web.client() as first:
        assert (await first.post("/auth/miniapp", json={"init_data": data})).status_code == 200
    web.harness.clock.advance(timedelta(minutes=30))  # still fresh: only the replay is wrong
    async with web.client() as thief:
        replay = await thief.post("/auth/miniapp", json={"init_data": data})
        assert replay.status_code == 401
        assert COOKIE not in thief.cookies
    assert await count(web, WebSession) == 1


@pytest.mark.parametrize(
    ("method", "body", "headers"),
    [
        ("GET", None, {}),
        ("POST", b"init_data=abc", {"content-type": "application/x-www-form-urlencoded"}),
        ("POST", b"{not json", {"content-type": "application/json"}),
        ("POST", b'["init_data"]', {"content-type": "application/json"}),
        ("POST", b'{"init_data": "' + b"a" * 9000 + b'"}', {"content-type": "application/json"}),
    ],
)
async def test_anything_else_at_auth_miniapp_is_401(
    web: WebWorld, method: str, body: bytes | None, headers: dict[str, str]
) -> None:
    async with web.client() as client:
        response = await client.request(method, "/auth/miniapp", content=body, headers=headers)
        assert response.status_code == 401
    assert await count(web, WebSession) == 0


async def test_an_oversized_request_is_refused_before_it_is_read(web: WebWorld) -> None:
    async with web.client() as client:
        response = await client.post(
            "/auth/miniapp",
            content=b"{" + b" " * (200 * 1024) + b"}",
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 413
    assert await count(web, WebSession) == 0


# --- the session ---------------------------------------------------------------------------


async def test_logout_needs_the_sessions_token_and_ends_it_everywhere(web: WebWorld) -> None:
    async with web.client() as client:
        await sign_in_by_link(web, client, ADMIN)
        refused = await client.post("/logout", data={"csrf": "wrong"})
        assert refused.status_code == 403
        assert (await client.get("/")).status_code == 200
        page = await client.get("/agencies")
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        token = client.cookies[COOKIE]
        out = await client.post("/logout", data={"csrf": csrf})
        assert out.status_code == 303
        assert "Max-Age=0" in set_cookie(out)
    async with web.client() as stolen:  # the same cookie, kept by someone else
        stolen.cookies.set(COOKIE, token, domain="dondoc.test")
        assert (await stolen.get("/")).status_code == 401


async def test_a_session_expires(web: WebWorld) -> None:
    async with web.client() as client:
        await sign_in_by_link(web, client, ADMIN)
        web.harness.clock.advance(timedelta(hours=12, seconds=1))
        assert (await client.get("/")).status_code == 401


async def test_no_token_link_or_init_data_in_the_logs(
    web: WebWorld, caplog: pytest.LogCaptureFixture
) -> None:
    # As `dondoc run` logs (LOG_LEVEL=INFO, httpx at WARNING; this test's own client is httpx).
    caplog.set_level(logging.INFO)
    data = init_data(FOCAL_A, web.harness.clock.now())
    path = await link_from_bot(web.harness, ADMIN)
    async with web.client() as client:
        await client.get(path)
        await client.post(path)
        await client.post("/auth/miniapp", json={"init_data": data})
        await client.post("/auth/miniapp", json={"init_data": data})  # a replay, refused
        await client.post("/auth/miniapp", json={"init_data": data.replace("2001", "9")})
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")
    secret = path.rsplit("/", 1)[1]
    assert "POST /login/…" in logged and "replayed" in logged
    for forbidden in (
        secret,
        data,
        data.rsplit("hash=", 1)[1],
        web.harness.settings.telegram_bot_token,
    ):
        assert forbidden and forbidden not in logged


def test_at_debug_the_link_in_a_sent_message_is_redacted() -> None:
    """python-telegram-bot logs what it sends at DEBUG: the logging filter takes the link's
    secret (and the token) out of it."""
    from bot.cli.logging_setup import RedactTokenFilter

    token = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
    record = logging.LogRecord(
        "telegram.ext.ExtBot", logging.DEBUG, __file__, 1,
        "Calling sendMessage with %s", ({"text": f"{BASE}/login/fBWhCQ9gdn8p8RRutgLAgGTB"},), None,
    )  # fmt: skip
    RedactTokenFilter(token).filter(record)
    assert record.getMessage() == f"Calling sendMessage with {{'text': '{BASE}/login/…'}}"
