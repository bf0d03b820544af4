"""How SQLite reads a window's reports (issue 19, item 6: the overview at 100 times the seed).

SQLite keeps no statistics, so its plan follows from the statements' shape and the indexes
alone, the same on an empty database as on a full one: these tests hold the shapes that made
the overview fast. Over everything, a week's reports are read from the covering
`ix_update_window` alone (no table row per report); over one notice, the notice's assignments
lead and their reports are found on `ix_update_assignment_time` (not every report of the
week scanned and the other notices' dropped).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_engine, make_session_factory
from storage.models import ProgressUpdate
from storage.repositories import dashboard, summary
from storage.repositories.summary import Scope, Window
from storage.repositories.unindexed import unindexed
from storage.unit_of_work import UnitOfWork

WEEK = Window(datetime(2020, 2, 7, 17, tzinfo=UTC), datetime(2020, 2, 14, 17, tzinfo=UTC))


@contextmanager
def _statements(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def _plan(path: str, statement: str, params: Any) -> str:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {statement}", params).fetchall()
    return "\n".join(str(row[-1]) for row in rows)


async def _plans(sqlite_url: str, call: Any) -> list[str]:
    engine = make_engine(sqlite_url)
    try:
        with _statements(engine) as seen:
            async with UnitOfWork(make_session_factory(engine)) as uow:
                await call(uow)
    finally:
        await engine.dispose()
    path = sqlite_url.split("///", 1)[1]
    return [_plan(path, s, p) for s, p in seen if "progress_updates" in s]


async def test_a_week_over_everything_reads_the_covering_index_alone(sqlite_url: str) -> None:
    (plan,) = await _plans(
        sqlite_url, lambda uow: summary.reports_by_agency(uow, scope=Scope(), window=WEEK)
    )
    assert "COVERING INDEX ix_update_window (kind=? AND created_at>? AND created_at<?)" in plan
    assert "SCAN progress_updates" not in plan


async def test_the_trend_counts_each_week_on_the_covering_index(sqlite_url: str) -> None:
    weeks = [(WEEK.start, WEEK.end), (WEEK.end, WEEK.end.replace(day=21))]
    counts, undone = await _plans(
        sqlite_url, lambda uow: dashboard.reports_in(uow, scope=Scope(), windows=weeks)
    )
    assert counts.count("COVERING INDEX ix_update_window (kind=?") == len(weeks)
    # The undone reports are looked up by id, not found by scanning the span again.
    assert "INTEGER PRIMARY KEY" in undone and "ix_update_window" not in undone


async def test_one_notice_leads_from_its_assignments(sqlite_url: str) -> None:
    one = Scope(notice_ids=[1])
    plans = await _plans(
        sqlite_url,
        lambda uow: summary.reports_by_agency(uow, scope=one, window=WEEK),
    )
    plans += await _plans(sqlite_url, lambda uow: summary.difficulties(uow, scope=one, window=WEEK))
    for plan in plans:
        assert "ix_update_assignment_time (assignment_id=?" in plan
        assert "ix_update_window" not in plan


def test_unindexed_is_sqlites_unary_plus_and_the_column_elsewhere() -> None:
    term = unindexed(ProgressUpdate.kind) == "done"  # type: ignore[arg-type]
    assert str(term.compile(dialect=sqlite.dialect())).startswith("+progress_updates.kind =")
    assert str(term.compile(dialect=postgresql.dialect())).startswith("progress_updates.kind =")
