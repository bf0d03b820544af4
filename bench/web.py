"""Item 7: the web app's pages at 100 times the seed, against the roll-up they show computed
in-process in the same run.

The world is item 3's (bench/scale.py: the seed imported for real, cloned to 100 notices,
~15,000 assignments and ~200,000 progress updates). The office signs in (a one-time link,
redeemed through the service) and GETs, through the ASGI app in-process (routing, the session,
the permission rule, the services, the templates, the middleware: everything but a socket):

* the overview `/` — baseline: `SummaryService.rollup()`;
* the busiest agency's page `/agencies/{id}` — baseline: `rollup(agency_id=…)`;
* a notice's Phụ lục `/notices/{id}` — baseline: `rollup(notice_number=…)`.

Each figure is the median of `repeat` requests after one warm-up; the target is 300 ms per
page at 100x. The ratio says what the page adds to the roll-up it is built on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select

from bench.common import ADMIN, TOKEN, Row, median, ms
from bench.scale import build_base, counts, grow, rollup_day
from bot.clock import ManualClock
from bot.config import Settings
from bot.services import build_services
from storage.engine import make_engine, make_session_factory
from storage.models import Assignment, Notice
from web import create_app

TARGET_SECONDS = 0.3


@dataclass(frozen=True, slots=True)
class PageResult:
    copies: int
    rows: dict[str, int]
    pages: dict[str, tuple[float, float]]  # name -> (page median, baseline median)


async def _timed(call: Any, repeat: int) -> float:
    await call()  # warm-up: templates compiled, caches filled
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await call()
        times.append(time.perf_counter() - began)
    return median(times)


async def measure(database_url: str, copies: int, repeat: int) -> PageResult:
    engine = make_engine(database_url)
    try:
        settings = Settings(
            telegram_bot_token=TOKEN,
            database_url=database_url,
            admin_ids=frozenset({ADMIN}),
            web_base_url="https://bench.test",
        )
        services = build_services(make_session_factory(engine), ManualClock(rollup_day()), settings)
        async with services.ctx.uow() as uow:
            busiest = (
                await uow.session.execute(
                    select(Assignment.agency_id)
                    .group_by(Assignment.agency_id)
                    .order_by(func.count().desc())
                    .limit(1)
                )
            ).scalar_one()
            notice_id, number = (
                await uow.session.execute(select(Notice.id, Notice.number).order_by(Notice.id))
            ).first()  # type: ignore[misc]
        admin = await services.access.resolve(
            user_id=ADMIN, display_name="", chat_id=ADMIN, chat_type="private"
        )
        token = await services.web_auth.issue_link(admin)
        assert token is not None
        app = create_app(services, bot=None)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://bench.test") as client:
            opened = await client.post(f"/login/{token}")
            assert opened.status_code == 303, opened.status_code

            def page(path: str) -> Any:
                async def get() -> None:
                    response = await client.get(path)
                    assert response.status_code == 200, (path, response.status_code)

                return get

            def baseline(**kwargs: Any) -> Any:
                async def compute() -> None:
                    await services.summary.rollup(**kwargs)

                return compute

            pages = {
                "overview": (page("/"), baseline()),
                "agency": (page(f"/agencies/{busiest}"), baseline(agency_id=busiest)),
                "appendix": (page(f"/notices/{notice_id}"), baseline(notice_number=number)),
            }
            measured = {}
            for name, (get, compute) in pages.items():
                measured[name] = (await _timed(get, repeat), await _timed(compute, repeat))
    finally:
        await engine.dispose()
    return PageResult(copies, await counts(database_url), measured)


async def bench_web(
    database_url: str, seed_text: str, *, sizes: tuple[int, ...] = (1, 100), repeat: int = 5
) -> list[PageResult]:
    base = await build_base(database_url, seed_text)
    results = []
    for copies in sizes:
        await grow(database_url, base, copies)
        results.append(await measure(database_url, copies, repeat))
    return results


LABELS = {
    "overview": "overview page / (categories, chart, trend)",
    "agency": "the busiest agency's page /agencies/{id} (its figures and every task)",
    "appendix": "a notice's Phụ lục /notices/{id}",
}


def rows(results: list[PageResult], db: str) -> list[Row]:
    if not results:
        return []
    last = results[-1]
    shape = f"{last.rows['assignments']} assignments, {last.rows['progress_updates']} updates"
    out = []
    for name, (page, rollup) in last.pages.items():
        out.append(
            Row(
                "7",
                f"{LABELS[name]} at {last.copies}x — {shape}",
                db,
                ms(page),
                f"roll-up {ms(rollup)}",
                f"×{page / rollup:.1f}" if rollup > 0 else "—",
                f"< {ms(TARGET_SECONDS)}",
                page < TARGET_SECONDS,
            )
        )
    return out
