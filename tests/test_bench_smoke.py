"""The benchmarks still run: each at a tiny size, checking the shape of what it returns and
that every message arrives exactly once. Timings are never asserted (they are the bench's)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bench import fanout, hostile, imports, replies, rollup, updates
from bench.common import Row, render_table, seed_path

SEED = seed_path()


def _check_rows(rows: list[Row], item: str) -> None:
    assert rows and all(isinstance(row, Row) and row.item == item for row in rows)
    table = render_table(rows)
    assert table.count("\n") == len(rows) + 1  # header, rule, one line per row


async def test_progress_replies_through_the_stack(sqlite_url: str) -> None:
    result = await updates.bench_updates(sqlite_url, agencies=5, replies=20, sequential=5)
    for run in (result.echo, result.dondoc):
        assert run.burst.count == run.burst.confirmed == 20
        assert run.sequential.count == run.sequential.confirmed == 5
        assert len(run.burst.latencies) == 20 and all(x > 0 for x in run.burst.latencies)
    assert result.dondoc.stored == 25  # every reply became one progress row
    _check_rows(updates.rows(result, "sqlite"), "1")


async def test_a_bot_that_errors_fails_the_bench_instead_of_hanging(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reply path that raises: the bot apologises but confirms nothing, and the bench stops
    with what is missing once no confirmation has come for `STALL` seconds."""
    from datetime import date

    from bench.common import BotStalled, local
    from bench.worlds import build_world
    from bot.services.replies import ReplyService

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the reply path is broken (test)")

    monkeypatch.setattr(ReplyService, "take", broken)
    monkeypatch.setattr(updates, "STALL", 1.0)
    world = await build_world(
        sqlite_url, agencies=2, tasks_per_agency=2, deadline=date(2020, 1, 31), linked=True
    )
    with pytest.raises(BotStalled, match="answered 0 of 4 messages, no answer for 1 s"):
        await updates.run_dondoc(
            sqlite_url, world, replies=4, sequential=1, clock_now=local(2020, 1, 15, 9)
        )


@pytest.mark.pg
@pytest.mark.parametrize("floor", ["sqlalchemy", "psycopg", "pipeline"])
async def test_the_floor_experiment_stores_every_reply(pg_database: str, floor: str) -> None:
    """bench/floor.py stands in for the reply path: it must still store and confirm each."""
    from tests.conftest import _truncate_pg

    _truncate_pg(pg_database)
    result = await updates.bench_updates(
        pg_database, agencies=3, replies=9, sequential=3, floor=floor
    )
    assert result.dondoc.name == floor
    assert result.dondoc.burst.confirmed == 9 and result.dondoc.sequential.confirmed == 3
    assert result.dondoc.stored == 12
    _check_rows(updates.floor_rows(result, "postgresql"), "1")


@pytest.mark.parametrize("variant", updates.VARIANTS)
async def test_the_reply_experiments_store_every_reply(sqlite_url: str, variant: str) -> None:
    """Item 1's experiments on the real bot (updates one at a time; no link for the
    confirmation) still confirm and store each reply once."""
    result = await updates.bench_updates(
        sqlite_url, agencies=3, replies=9, sequential=3, floor=variant
    )
    assert result.dondoc.name == variant
    assert result.dondoc.burst.confirmed == 9 and result.dondoc.sequential.confirmed == 3
    assert result.dondoc.stored == 12
    _check_rows(updates.floor_rows(result, "sqlite"), "1")


async def test_the_echo_bot_on_dondocs_transport_answers_every_reply(sqlite_url: str) -> None:
    """Item 1's experiment row: the echo bot again, on production's aiohttp transport, against
    the baseline echo bot on python-telegram-bot's httpx in the same run."""
    result = await updates.bench_updates(
        sqlite_url, agencies=3, replies=9, sequential=3, floor=updates.ECHO_ON_AIOHTTP
    )
    assert (result.echo.name, result.dondoc.name) == ("echo", "echo on aiohttp")
    for run in (result.echo, result.dondoc):
        assert run.burst.confirmed == 9 and run.sequential.confirmed == 3
    _check_rows(updates.floor_rows(result, "—"), "1")


async def test_reminder_fanout_delivers_each_chat_exactly_once(sqlite_url: str) -> None:
    result = await fanout.bench_fanout(sqlite_url, chats=20)
    assert (result.once, result.twice_or_more, result.never) == (20, 0, 0)
    assert result.messages == result.sweep_sent == 20
    assert result.minimum == pytest.approx(20 / 30)
    _check_rows(fanout.rows(result, "sqlite"), "2")


async def test_rollup_at_1x_in_a_child_process(sqlite_url: str) -> None:
    text = await asyncio.to_thread(SEED.read_text, encoding="utf-8")
    results = await rollup.bench_rollup(sqlite_url, text, sizes=(1,), repeat=1)
    (one,) = results
    assert one.rows == {"notices": 1, "tasks": 33, "assignments": 150, "progress_updates": 2000}
    figures = one.figures
    assert figures["first_update_handled"] is True
    # One row per task and lead agency: the five tasks of "Các huyện, thành phố, thị xã" have
    # a row for each of the 13 districts of the office's group (issue 15).
    assert figures["task_rows"] == 100 and figures["assignments"] == 150
    assert figures["export_bytes"] > 0 and figures["peak_rss_kib"] > 0
    for key in ("startup", "rollup", "export", "plan"):
        assert figures[key] > 0
    _check_rows(rollup.rows(results, "sqlite"), "3")


def test_import_of_a_long_notice_made_from_the_seed() -> None:
    result = imports.bench_import(SEED, pages=6, repeat=1)
    assert result.seed.tasks == 33
    assert result.long.chars > 2 * result.seed.chars and result.long.tasks > 2 * result.seed.tasks
    _check_rows(imports.rows(result), "4")


def test_hostile_inputs_are_timed_at_two_sizes() -> None:
    results = hostile.bench_hostile(scale=0.02, repeat=1)
    assert len(results) == len(hostile.NOTICES) + len(hostile.DEADLINES)
    assert all(r.full > 0 and r.quarter > 0 and r.chars > 0 for r in results)
    _check_rows(hostile.rows(results), "4")


def test_reading_replies_scores_both_readers() -> None:
    entries = replies.load_corpus()[:40]
    new, old = replies.bench_replies(entries)
    assert new.items >= 40 and old.items >= 40
    assert 0 <= old.accuracy <= new.accuracy <= 1
    _check_rows(replies.rows(new, old), "6")


async def test_web_pages_at_1x(sqlite_url: str) -> None:
    """Item 7 signs in and opens every page and both downloads (each answered 200, or it
    raises), with the loop's longest stall during each download."""
    from bench import web

    text = await asyncio.to_thread(SEED.read_text, encoding="utf-8")
    (one,) = await web.bench_web(sqlite_url, text, sizes=(1,), repeat=1)
    assert set(one.pages) == {name for name in web.LABELS if not name.endswith("_stall")}
    assert set(one.stalls) == set(web.FILES) and all(s >= 0 for s in one.stalls.values())
    assert all(page > 0 and (base is None or base > 0) for page, base in one.pages.values())
    assert set(one.cpu) == set(one.pages) and all(cpu > 0 for cpu in one.cpu.values())
    _check_rows(web.rows([one], "sqlite"), "7")


async def test_the_morning_peak_answers_each_report_and_reminds_each_group_once(
    sqlite_template: Path, tmp_path: Path
) -> None:
    from bench import peak

    urls = []
    for name in ("dondoc", "baseline"):
        shutil.copy(sqlite_template, tmp_path / f"{name}.sqlite3")
        urls.append(f"sqlite+aiosqlite:///{tmp_path / name}.sqlite3")
    result = await peak.bench_peak(*urls, groups=12, reporting=6, reports=20, busy=2, minute=3.0)
    for run in (result.dondoc, result.baseline):
        assert (run.answered_once, run.answered_twice, run.unanswered) == (20, 0, 0)
        assert (run.reminded_once, run.reminded_other) == (12, 0)
        assert run.office_got == run.office_expected == result.completions > 0
        assert run.office_doubled == 0
    _check_rows(peak.rows(result, "sqlite"), "8")


@pytest.mark.parametrize("variant", [None, "serial"])
def test_cpu_per_reply_harness_measures_both_bots(
    capsys: pytest.CaptureFixture[str], variant: str | None
) -> None:
    """bench/cpu_per_reply.py (findings G–N's harness): one round at a tiny size prints both
    bots' figures and their ratio, and leaves bench/updates.py as it found it; `--variant`
    runs dondoc as that experiment of bench/updates.py (finding M: `serial`)."""
    from bench import cpu_per_reply

    drive = updates._drive
    options = ["--variant", variant] if variant else []
    cpu_per_reply.main(["sqlite", "--replies", "12", "--rounds", "1", "--agencies", "4", *options])
    out = capsys.readouterr().out
    assert "echo" in out and "dondoc" in out and "CPU ratio echo/dondoc" in out
    assert ("dondoc (serial)" in out) == (variant == "serial")
    assert updates._drive is drive
