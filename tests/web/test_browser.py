"""The web app in a real browser: headless Chromium (Debian's package) driven by Playwright,
uvicorn serving the ASGI app on a loopback port, the real Application and the emulator, on a
SQLite file (and PostgreSQL when DATABASE_URL_TEST is set). Both sign-ins, every page, every
form action, at 360 and 1366 pixels; what each action wrote is read back from the database
and the group's messages."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import select

from bot.domain.notice import parse_notice
from storage.models import Assignment, ExtensionRequest, ProgressUpdate, Task
from storage.unit_of_work import UnitOfWork
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, SEED, Harness
from tests.web.browser import PHONE, PROJECTOR, chromium, chromium_missing, served
from tests.web.support import WebWorld, init_data, link_from_bot, web_world

pytestmark = pytest.mark.skipif(chromium_missing() is not None, reason=chromium_missing() or "")

DARK = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
}


@asynccontextmanager
async def running(database_url: str) -> AsyncIterator[tuple[WebWorld, str, Any]]:
    async with web_world(database_url) as web, served(web.app) as base, chromium() as browser:
        yield web, base, browser


async def fits(page: Any, width: int) -> None:
    """Nothing wider than the screen but the tables' own scrolling boxes."""
    overflow = await page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow}px wide at {width}px"


async def last_update(web: WebWorld, assignment_id: int) -> ProgressUpdate:
    async with UnitOfWork(web.harness.services.ctx.session_factory) as uow:
        rows = await uow.session.execute(
            select(ProgressUpdate)
            .where(ProgressUpdate.assignment_id == assignment_id)
            .order_by(ProgressUpdate.id.desc())
        )
        return rows.scalars().first()  # type: ignore[return-value]


async def test_the_office_signs_in_by_link_and_reads_every_page(database_url: str) -> None:
    async with running(database_url) as (web, base, browser):
        context = await browser.new_context(
            viewport=PROJECTOR, locale="vi-VN", accept_downloads=True
        )
        page = await context.new_page()
        await page.goto(base + await link_from_bot(web.harness, ADMIN))
        await page.get_by_role("button", name="Đăng nhập").click()
        await page.wait_for_url(base + "/")
        assert await page.locator("h1").inner_text() == "Tổng quan tình hình thực hiện nhiệm vụ"
        not_started = [
            int(await page.locator(f".card.cat-{cell} .num").inner_text())
            for cell in ("not_started_not_due", "not_started_overdue")
        ]
        assert sum(not_started) == 2  # the seed's two not started with a deadline
        assert await page.locator("svg.chart rect").count() >= 2
        assert await page.locator("table.trend tbody tr").count() == 8

        await page.get_by_role("link", name="Đơn vị", exact=True).click()
        await page.get_by_role("link", name=re.compile("^Quá hạn")).click()
        assert "sort=overdue" in page.url
        await page.get_by_role("link", name="Sở Tài chính").click()
        assert await page.locator("h1").inner_text() == "Sở Tài chính"
        await page.select_option("select[name=status]", "not_started")
        await page.get_by_role("button", name="Lọc").click()
        assert "status=not_started" in page.url
        assert await page.locator("table.tasks tbody tr").count() == 1
        await page.get_by_role("link", name=f"#{web.world.open_task['A']}").click()
        assert await page.locator("h2#history").inner_text() == "Quá trình thực hiện"

        await page.get_by_role("link", name="Văn bản", exact=True).click()
        await page.get_by_role("link", name="99-TB/BCĐ").click()
        assert await page.locator("table.appendix tbody tr").count() == 2
        async with page.expect_download() as download:
            await page.get_by_role("link", name=re.compile("Phụ lục \\(Excel\\)")).click()
        saved = await (await download.value).path()
        assert saved is not None
        assert (await asyncio.to_thread(Path(saved).read_bytes))[:2] == b"PK"

        await page.set_viewport_size(PHONE)
        for path in ("/", "/agencies", "/notices", f"/notices/{web.world.notice_id}", "/tasks",
                     f"/tasks/{web.world.open_task['A']}", "/app"):  # fmt: skip
            await page.goto(base + path)
            await fits(page, PHONE["width"])

        await page.get_by_role("button", name="Đăng xuất").click()
        await page.wait_for_url(base + "/signed-out")
        await page.goto(base + "/")
        assert await page.locator("h1").inner_text() == "Đăng nhập"
        await context.close()


async def row_ids(page: Any) -> list[int]:
    links = await page.locator("table.tasks tbody th a").all_inner_texts()
    return [int(link.lstrip("#")) for link in links]


async def test_the_task_list_is_paged_with_its_filters_kept(database_url: str) -> None:
    """/tasks in pages of 50 on a phone: "1–50 trong số N", ◀ ▶ and page numbers, each task
    on exactly one page, worst first across pages, the filter kept in every link."""
    async with running(database_url) as (web, base, browser):
        seed = SEED.read_text(encoding="utf-8")
        for number in (22, 31, 32, 33, 34):  # the seed notice and four like it: > 3 pages
            text = seed.replace("Số 22 - TB/BCĐ", f"Số {number} - TB/BCĐ")
            await web.harness.services.notices.import_notice(
                parse_notice(text), source_text=text, by_user_id=None
            )
        async with UnitOfWork(web.harness.services.ctx.session_factory) as uow:
            rows = await uow.session.execute(
                select(Assignment.id, Assignment.status)
                .join(Task, Task.id == Assignment.task_id)
                .where(Assignment.status != "cancelled", Task.cancelled.is_(False))
            )
            live = {assignment: status for assignment, status in rows.all()}
        total, pages = len(live), -(-len(live) // 50)
        assert pages >= 3
        context = await browser.new_context(viewport=PHONE, locale="vi-VN")
        page = await context.new_page()
        await page.goto(base + await link_from_bot(web.harness, ADMIN))
        await page.get_by_role("button", name="Đăng nhập").click()
        await page.wait_for_url(base + "/")
        await page.goto(base + "/tasks")
        count = page.locator("p.count")
        assert await count.inner_text() == f"1–50 trong số {total} nhiệm vụ · trang 1/{pages}"
        await fits(page, PHONE["width"])
        seen, overdue = [], []
        for number in range(1, pages + 1):
            if number > 1:
                await page.get_by_role("link", name="Trang sau").click()
                await page.wait_for_url(f"{base}/tasks?page={number}")
            current = page.locator(".pager [aria-current=page]")
            assert await current.inner_text() == str(number)
            seen += await row_ids(page)
            overdue += await page.locator("table.tasks tbody tr").evaluate_all(
                "rows => rows.map(r => r.classList.contains('overdue'))"
            )
        assert sorted(seen) == sorted(live)  # every task once, on one page
        assert overdue == sorted(overdue, reverse=True)  # the overdue ones lead
        last = min(total, pages * 50)
        assert await count.inner_text() == (
            f"{(pages - 1) * 50 + 1}–{last} trong số {total} nhiệm vụ · trang {pages}/{pages}"
        )
        assert await page.get_by_role("link", name="Trang sau").count() == 0
        await page.get_by_role("link", name="Trang 1", exact=True).click()
        await page.wait_for_url(f"{base}/tasks?page=1")
        assert await row_ids(page) == seen[:50]

        await page.select_option("select[name=status]", "not_started")
        await page.get_by_role("button", name="Lọc").click()
        wanted = [i for i, status in live.items() if status == "not_started"]
        assert len(wanted) > 50
        assert (await count.inner_text()).startswith(f"1–50 trong số {len(wanted)} nhiệm vụ")
        await page.get_by_role("link", name="Trang sau").click()
        await page.wait_for_url(re.compile(r".*status=not_started&page=2$"))
        assert set(await row_ids(page)) <= set(wanted)
        await page.get_by_role("link", name="Trang trước").click()
        await page.wait_for_url(re.compile(r".*status=not_started&page=1$"))
        await page.goto(base + "/tasks?status=not_started&page=999")  # past the last: the last
        assert await page.locator(".pager [aria-current=page]").inner_text() == str(
            -(-len(wanted) // 50)
        )
        await context.close()


async def said(harness: Harness, chat_id: int) -> str:
    """The last text in a chat, once the outbox has sent what the form wrote (production's
    sender task would have)."""
    await harness.drain()
    return harness.last_text(chat_id)


async def test_the_focal_point_reports_through_the_mini_app(database_url: str) -> None:
    async with running(database_url) as (web, base, browser):
        harness, task = web.harness, web.world.open_task["A"]
        context = await browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True)
        page = await context.new_page()
        launch = init_data(FOCAL_A, harness.clock.now())
        await page.goto(
            f"{base}/app#tgWebAppData={quote(launch, safe='')}"
            f"&tgWebAppThemeParams={quote(json.dumps(DARK), safe='')}"
        )
        await page.wait_for_selector(f"#task-{task}")
        assert page.url == base + "/app"
        background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(23, 33, 43)"  # Telegram's theme, not ours
        await fits(page, PHONE["width"])
        card = page.locator(f"#task-{task}")

        async def send(summary: str) -> None:
            await card.locator("summary", has_text=summary).click()

        # 🔄 a chip, then ↩️ Hoàn tác from the confirmation.
        await send("Tiến độ")
        await card.get_by_text("50%").click()
        await card.get_by_role("button", name="Gửi").first.click()
        await page.wait_for_selector(".flash")
        row = await last_update(web, task)
        assert (row.kind, row.percent, row.author_user_id) == ("in_progress", 50, FOCAL_A)
        assert "🔄 Đã ghi nhận" in await said(harness, GROUP_A)
        await page.get_by_role("button", name=re.compile("Hoàn tác")).click()
        await page.wait_for_selector(f"#task-{task}")
        assert (await last_update(web, task)).reverts_id == row.id
        assert "Đã hoàn tác" in await said(harness, GROUP_A)

        # ⚠️ a blocker, which the office is told of.
        card = page.locator(f"#task-{task}")
        await send("Vướng mắc")
        await card.locator("textarea[name=text]").first.fill("chưa được bố trí vốn")
        await card.locator("details[open] button").click()
        await page.wait_for_selector(".flash")
        assert (await last_update(web, task)).kind == "blocked"
        assert "báo vướng mắc" in await said(harness, OFFICE_GROUP)

        # 📅 a bounded date.
        card = page.locator(f"#task-{task}")
        await send("Xin gia hạn")
        date_input = card.locator("input[type=date]")
        assert await date_input.get_attribute("min") == "2019-12-28"
        await date_input.fill("2020-04-30")
        await card.locator("details[open] textarea").fill("chờ vốn")
        await card.locator("details[open] button").click()
        await page.wait_for_selector(".flash")
        async with UnitOfWork(harness.services.ctx.session_factory) as uow:
            requested = (
                (
                    await uow.session.execute(
                        select(ExtensionRequest.requested_end).order_by(ExtensionRequest.id.desc())
                    )
                )
                .scalars()
                .first()
            )
        assert requested is not None and requested.isoformat() == "2020-04-30"
        assert "xin gia hạn" in await said(harness, OFFICE_GROUP)

        # 📎 a file, posted to the group and kept with the report.
        card = page.locator(f"#task-{task}")
        await send("Minh chứng")
        await card.locator("input[type=file]").set_input_files(
            {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}
        )
        await card.locator("details[open] button").click()
        await page.wait_for_selector(".flash")
        evidence = await last_update(web, task)
        assert evidence.evidence_file_ids and evidence.kind == "note"

        # The task's own page: its history, with the file.
        await page.goto(f"{base}/app/tasks/{task}")
        history = await page.locator("ol.history").inner_text()
        assert "vướng mắc: chưa được bố trí vốn" in history and "tệp 1" in history
        await fits(page, PHONE["width"])

        # ✅ Hoàn thành: awaiting the office, which gets its buttons.
        await page.goto(f"{base}/app")
        await page.locator(f"#task-{task}").get_by_role("button", name="✅ Hoàn thành").click()
        await page.wait_for_selector(".flash")
        assert (await last_update(web, task)).status == "awaiting_confirmation"
        await harness.drain()
        office = harness.last(OFFICE_GROUP)
        assert "báo hoàn thành" in office["text"]
        assert harness.button(office, "✅").startswith("conf:")
        await context.close()


async def test_a_groups_link_to_one_task_opens_that_task(sqlite_url: str) -> None:
    """t.me/<bot>?startapp=t12 (the button in groups): Telegram passes the start parameter in
    the launch; after signing in the form opens at that task."""
    async with running(sqlite_url) as (web, base, browser):
        task = web.world.open_task["A"]
        context = await browser.new_context(viewport=PHONE, locale="vi-VN")
        page = await context.new_page()
        launch = init_data(FOCAL_A, web.harness.clock.now(), extra={"start_param": f"t{task}"})
        await page.goto(
            f"{base}/app#tgWebAppData={quote(launch, safe='')}&tgWebAppStartParam=t{task}"
        )
        await page.wait_for_url(f"{base}/app/tasks/{task}")
        assert await page.locator("h1").inner_text() == f"Nhiệm vụ #{task}"
        await context.close()
