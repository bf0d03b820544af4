"""The web app's refusals in a real browser (issue 19, item 5): headless Chromium on uvicorn,
as in test_browser.py. A forged, expired or replayed Mini App launch; a used or expired
one-time link; another agency's task in a URL or in a form whose target was altered in the
page; an oversized and a malformed form field. Each is refused where the person sees it, and
nothing is written (no session, no report, no message to a group)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from bot.domain.webauth import INIT_DATA_MAX_AGE
from storage.models import ExtensionRequest, ProgressUpdate, WebSession
from storage.unit_of_work import UnitOfWork
from tests.harness import ADMIN, FOCAL_A, GROUP_A, GROUP_B, OFFICE_GROUP
from tests.web.browser import PHONE, chromium_missing
from tests.web.support import WebWorld, init_data, link_from_bot
from tests.web.test_browser import running

pytestmark = pytest.mark.skipif(chromium_missing() is not None, reason=chromium_missing() or "")

FAILED = "#sign-in .miniapp-failed"


async def count(web: WebWorld, model: type) -> int:
    async with UnitOfWork(web.harness.services.ctx.session_factory) as uow:
        return int((await uow.session.execute(select(func.count()).select_from(model))).scalar())


async def written(web: WebWorld) -> tuple[int, int, int, int, int]:
    """Sessions, reports, extension requests, and the messages sent to the two groups and the
    office (after the outbox has sent whatever was written)."""
    await web.harness.drain()
    sent = [len(web.harness.bot_messages(chat)) for chat in (GROUP_A, GROUP_B, OFFICE_GROUP)]
    return (
        await count(web, WebSession),
        await count(web, ProgressUpdate),
        await count(web, ExtensionRequest),
        sent[0] + sent[1],
        sent[2],
    )


async def launch(page: Any, base: str, data: str) -> None:
    await page.goto(f"{base}/app#tgWebAppData={quote(data, safe='')}")


async def test_forged_expired_and_replayed_launches_are_refused(database_url: str) -> None:
    async with running(database_url) as (web, base, browser):
        now = web.harness.clock.now()
        good = init_data(FOCAL_A, now)
        before = await written(web)
        for data in (
            good.replace(f"{FOCAL_A}", f"{FOCAL_A + 1}", 1),  # a signed field altered, hash kept
            init_data(FOCAL_A, now, token="999:ANOTHER-BOT-abcdefghijklmnopqrst"),
            init_data(FOCAL_A, now - INIT_DATA_MAX_AGE - timedelta(seconds=1)),
        ):
            context = await browser.new_context(viewport=PHONE, locale="vi-VN")
            page = await context.new_page()
            await launch(page, base, data)
            await page.wait_for_selector(FAILED, state="visible")
            assert page.url.startswith(base + "/app")
            assert await page.locator("h1").inner_text() == "Đăng nhập"
            assert await context.cookies() == []
            await context.close()
        assert await written(web) == before

        first = await browser.new_context(viewport=PHONE, locale="vi-VN")
        await launch(await first.new_page(), base, good)
        signed_in = await first.pages[0].wait_for_selector(f"#task-{web.world.open_task['A']}")
        assert signed_in is not None
        web.harness.clock.advance(timedelta(minutes=5))  # still fresh: only the replay is wrong
        thief = await browser.new_context(viewport=PHONE, locale="vi-VN")
        page = await thief.new_page()
        await launch(page, base, good)
        await page.wait_for_selector(FAILED, state="visible")
        assert await thief.cookies() == []
        assert await count(web, WebSession) == before[0] + 1  # the first launch's alone
        await first.close()
        await thief.close()


async def test_a_used_or_expired_link_opens_nothing(database_url: str) -> None:
    async with running(database_url) as (web, base, browser):
        used = await link_from_bot(web.harness, ADMIN)
        office = await browser.new_context(locale="vi-VN")
        page = await office.new_page()
        await page.goto(base + used)
        await page.get_by_role("button", name="Đăng nhập").click()
        await page.wait_for_url(base + "/")
        sessions = await count(web, WebSession)

        stale = await link_from_bot(web.harness, ADMIN)
        web.harness.clock.advance(timedelta(minutes=11))
        for path in (used, stale):
            other = await browser.new_context(locale="vi-VN")
            page = await other.new_page()
            response = await page.goto(base + path)
            assert response is not None and response.status == 401
            assert "không còn dùng được" in await page.locator("[role=alert]").inner_text()
            assert await page.get_by_role("button", name="Đăng nhập").count() == 0
            await page.goto(base + "/")
            assert await page.locator("h1").inner_text() == "Đăng nhập"
            assert await other.cookies() == []
            await other.close()
        assert await count(web, WebSession) == sessions
        await office.close()


async def test_another_agencys_task_and_bad_fields_write_nothing(database_url: str) -> None:
    async with running(database_url) as (web, base, browser):
        mine, theirs = web.world.open_task["A"], web.world.open_task["B"]
        context = await browser.new_context(viewport=PHONE, locale="vi-VN")
        page = await context.new_page()
        await launch(page, base, init_data(FOCAL_A, web.harness.clock.now()))
        await page.wait_for_selector(f"#task-{mine}")
        before = await written(web)

        # Another agency's task in the URL: nothing of it is shown.
        for path in (f"/app/tasks/{theirs}", f"/tasks/{theirs}"):
            response = await page.goto(base + path)
            assert response is not None and response.status == 404
            assert "BRAVOMARK" not in await page.content()

        # The form's target altered in the page to another agency's task.
        await page.goto(base + "/app")
        card = page.locator(f"#task-{mine}")
        await card.locator("summary", has_text="Vướng mắc").click()
        form = card.locator("details[open] form")
        await form.evaluate(
            "(f, to) => f.setAttribute('action', to)", f"/app/tasks/{theirs}/blocked"
        )
        await form.locator("textarea").fill("thiếu vốn")
        async with page.expect_navigation() as navigation:
            await form.locator("button").click()
        refused = await navigation.value
        assert refused is not None and refused.status == 404

        # An oversized text (past the page's maxlength, as a tampered page sends it) and a
        # percent that is not one.
        await page.goto(base + "/app")
        card = page.locator(f"#task-{mine}")
        await card.locator("summary", has_text="Vướng mắc").click()
        form = card.locator(f"form[action='/app/tasks/{mine}/blocked']")
        await form.locator("textarea").evaluate(
            "(t) => { t.removeAttribute('maxlength'); t.value = 'x'.repeat(70 * 1024); }"
        )
        async with page.expect_navigation() as navigation:
            await form.locator("button").click()
        too_big = await navigation.value
        assert too_big is not None and too_big.status == 413

        await page.goto(base + "/app")
        card = page.locator(f"#task-{mine}")
        await card.locator("summary", has_text="Tiến độ").click()
        other = card.locator("input[name=percent_other]")
        await other.evaluate("(i) => { i.type = 'text'; i.value = '150%'; }")
        async with page.expect_navigation() as navigation:
            await card.get_by_role("button", name="Gửi").first.click()
        malformed = await navigation.value
        assert malformed is not None and malformed.status == 400
        assert await page.locator("[role=alert]").count() >= 1

        assert await written(web) == before
        await context.close()
