"""`make web-screens`: pictures of the web app's main pages for the README and docs/web.md.

The data is bench/scale.py's 1x world (the seed notice 22-TB/BCĐ imported for real, the
districts, seven weeks of reports), on the roll-up day 14/02/2020; the pages are taken by
headless Chromium (Debian's package) from the app served by uvicorn, signed in as the office
(one-time link) and as a focal point (the Mini App, in Telegram's dark theme, 360 px wide).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import func, select, update

from bench.scale import STARTUP_USER, build_base, rollup_day
from storage import migrate
from storage.models import Assignment, Person, ProgressUpdate
from tests.harness import ADMIN, SEED, running_bot
from tests.web.browser import PHONE, PROJECTOR, chromium, served
from tests.web.support import BASE, init_data, link_from_bot
from web import create_app

OUT = Path(__file__).resolve().parents[2] / "docs" / "img"
DARK = {
    "bg_color": "#17212b", "text_color": "#f5f5f5", "hint_color": "#708499",
    "link_color": "#6ab3f3", "button_color": "#5288c1", "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
}  # fmt: skip


async def take(out: Path) -> list[Path]:
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite+aiosqlite:///{folder / 'screens.sqlite3'}"
    await asyncio.to_thread(migrate.upgrade, url)
    await build_base(url, SEED.read_text(encoding="utf-8"))
    saved: list[Path] = []
    async with running_bot(url, now=rollup_day(), web_base_url=BASE) as harness:
        emulator = harness.emulator
        emulator.add_user(STARTUP_USER, "Nguyễn Thị Lan")
        emulator.add_chat(STARTUP_USER, "private")
        async with harness.services.ctx.uow() as uow:
            await uow.session.execute(
                update(Person)
                .where(Person.telegram_user_id == STARTUP_USER)
                .values(display_name="Nguyễn Thị Lan")
            )
            busiest = (
                await uow.session.execute(
                    select(ProgressUpdate.assignment_id)
                    .join(Assignment, Assignment.id == ProgressUpdate.assignment_id)
                    .group_by(ProgressUpdate.assignment_id)
                    .order_by(func.count().desc())
                    .limit(1)
                )
            ).scalar_one()
        notices = await harness.services.summary.notice_numbers()
        assert notices
        app = create_app(harness.services, harness.app.bot)
        async with served(app) as base, chromium() as browser:
            office = await browser.new_context(viewport=PROJECTOR, locale="vi-VN")
            page = await office.new_page()
            await page.goto(base + await link_from_bot(harness, ADMIN))
            await page.get_by_role("button", name="Đăng nhập").click()
            await page.wait_for_url(base + "/")

            async def shot(name: str, path: str, *, full: bool = True) -> None:
                await page.goto(base + path)
                target = out / f"web-{name}.png"
                await page.screenshot(path=str(target), full_page=full)
                saved.append(target)

            await shot("overview", "/")
            await shot("agencies", "/agencies?sort=overdue&dir=desc", full=False)
            notice_link = page.locator("a[href^='/notices/']").first
            await page.goto(base + "/notices")
            href = await notice_link.get_attribute("href")
            await shot("appendix", href or "/notices", full=False)
            await shot("task", f"/tasks/{busiest}", full=False)
            await page.set_viewport_size(PHONE)
            await shot("overview-phone", "/", full=False)
            await office.close()

            phone = await browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True)
            page = await phone.new_page()
            launch = init_data(STARTUP_USER, harness.clock.now(), name="Lan")
            await page.goto(
                f"{base}/app#tgWebAppData={quote(launch, safe='')}"
                f"&tgWebAppThemeParams={quote(json.dumps(DARK), safe='')}"
            )
            await page.wait_for_selector("article.task-card")
            await page.locator("article.task-card summary").nth(0).click()
            target = out / "web-form.png"
            await page.screenshot(path=str(target), full_page=False)
            saved.append(target)
            await phone.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.web.screens", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNG files go")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(take(args.out)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
