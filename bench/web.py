"""Item 7: the web app's pages at 100 times the seed, against the roll-up they show computed
in-process in the same run.

The world is item 3's (bench/scale.py: the seed imported for real, cloned to 100 notices,
~15,000 assignments and ~200,000 progress updates). The office signs in (a one-time link,
redeemed through the service) and GETs, through the ASGI app in-process (routing, the session,
the permission rule, the services, the templates, the middleware: everything but a socket):

* the overview `/` — baseline: `SummaryService.rollup()`;
* the busiest agency's page `/agencies/{id}` — baseline: `rollup(agency_id=…)`;
* a notice's Phụ lục `/notices/{id}` — baseline: `rollup(notice_number=…)`;
* a task's page `/tasks/{id}` (the busiest agency's first task, its whole history) — baseline:
  `rollup(agency_id=…)` of its agency (no roll-up is shown on it: the row says how it compares).

Each figure is the median of `repeat` requests after one warm-up; the target is 300 ms per
page at 100x. The ratio says what the page adds to the roll-up it is built on. Beside the
wall-clock median, the process's CPU time per page (median): on a shared machine the wall
clock grows with the load, the CPU time much less (on SQLite, run in-process, it is nearly all
of the page's work; on PostgreSQL the server's part is not in it).

On PostgreSQL the bulk-loaded world is VACUUM ANALYZEd before timing: autovacuum would have
done it on a production server within a minute of such a load, and the test server has it off,
which left the planner without statistics and every index-only scan visiting the heap.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import create_engine, func, select, text

from bench.common import ADMIN, TOKEN, Row, median, ms, sync_url
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
    cpu: dict[str, float]  # name -> the page's median CPU time in this process


async def _timed(call: Any, repeat: int) -> tuple[float, float]:
    """(wall-clock median, CPU-time median) of `repeat` calls after a warm-up."""
    await call()  # warm-up: templates compiled, caches filled
    times, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        await call()
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return median(times), median(cpu)


def analyze(database_url: str) -> None:
    """VACUUM ANALYZE a PostgreSQL database (what autovacuum does after a bulk load)."""
    if not database_url.startswith("postgresql"):
        return
    engine = create_engine(sync_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


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
            task_id = (
                await uow.session.execute(
                    select(func.min(Assignment.id)).where(Assignment.agency_id == busiest)
                )
            ).scalar_one()
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
                "task": (page(f"/tasks/{task_id}"), baseline(agency_id=busiest)),
            }
            measured, cpu = {}, {}
            for name, (get, compute) in pages.items():
                (wall, cpu[name]), (rollup, _cpu) = (
                    await _timed(get, repeat),
                    await _timed(compute, repeat),
                )
                measured[name] = (wall, rollup)
    finally:
        await engine.dispose()
    return PageResult(copies, await counts(database_url), measured, cpu)


async def bench_web(
    database_url: str, seed_text: str, *, sizes: tuple[int, ...] = (1, 100), repeat: int = 5
) -> list[PageResult]:
    base = await build_base(database_url, seed_text)
    results = []
    for copies in sizes:
        await grow(database_url, base, copies)
        await asyncio.to_thread(analyze, database_url)
        results.append(await measure(database_url, copies, repeat))
    return results


LABELS = {
    "overview": "overview page / (categories, chart, trend)",
    "agency": "the busiest agency's page /agencies/{id} (its figures and every task)",
    "appendix": "a notice's Phụ lục /notices/{id}",
    "task": "a task's page /tasks/{id} (its card and whole history)",
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
                f"{ms(page)} (CPU {ms(last.cpu[name])})",
                f"roll-up {ms(rollup)}",
                f"×{page / rollup:.1f}" if rollup > 0 else "—",
                f"< {ms(TARGET_SECONDS)}",
                page < TARGET_SECONDS,
            )
        )
    return out
