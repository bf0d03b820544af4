"""Item 3: the roll-up, the export and start-up at 1x, 10x and 100x the seed.

Data grows in place (1x, then cloned to 10x, then to 100x); each size is measured by a
fresh `python -m bench.rollup_child` so imports, caches and peak RSS start from zero. The
baseline is the 1x figure of the same run; "no worse than linear" means the 100x figure is
at most 100 times the 1x one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from bench.common import ROOT, Row, ms, secs
from bench.scale import build_base, counts, grow

TARGETS = {"rollup": 1.0, "export": 10.0, "startup": 3.0}
RSS_TARGET_MIB = 300


@dataclass(frozen=True, slots=True)
class SizeResult:
    copies: int
    rows: dict[str, int]  # table -> count
    figures: dict[str, Any]  # what rollup_child printed


def measure_size(url: str, *, repeat: int) -> dict[str, Any]:
    """Run the child for the database as it is now; return its JSON."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "bench.rollup_child", url, "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"rollup child failed ({done.returncode}): {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


async def bench_rollup(
    database_url: str, seed_text: str, *, sizes: tuple[int, ...] = (1, 10, 100), repeat: int = 3
) -> list[SizeResult]:
    """Build and measure each size in turn; `database_url` migrated and empty."""
    import asyncio

    base = await build_base(database_url, seed_text)
    results = []
    for copies in sizes:
        await grow(database_url, base, copies)
        table_rows = await counts(database_url)
        figures = await asyncio.to_thread(measure_size, database_url, repeat=repeat)
        results.append(SizeResult(copies, table_rows, figures))
    return results


def _growth(first: float, last: float) -> float:
    return last / first if first > 0 else float("inf")


def rows(results: list[SizeResult], db: str) -> list[Row]:
    """One row per figure: the largest size against the 1x baseline, with the middle one."""
    if not results:
        return []
    first, last = results[0], results[-1]
    middle = results[len(results) // 2] if len(results) > 2 else None
    data_growth = last.copies / first.copies
    shape = (
        f"{last.rows['notices']} notices, {last.rows['tasks']} tasks, "
        f"{last.rows['assignments']} assignments, {last.rows['progress_updates']} updates"
    )
    out = []
    for key, label, fmt in (
        ("rollup", "weekly roll-up (SummaryService.rollup)", ms),
        ("export", "xlsx export (task_rows + render_xlsx)", secs),
        ("startup", "start-up to first update handled", secs),
    ):
        value, base = last.figures[key], first.figures[key]
        growth = _growth(base, value)
        mid = f" ({middle.copies}x: {fmt(middle.figures[key])})" if middle else ""
        ok = value < TARGETS[key] and growth <= data_growth
        if key == "startup":
            ok = ok and bool(last.figures["first_update_handled"])
        out.append(
            Row(
                "3",
                f"{label} at {last.copies}x{mid}" + (f" — {shape}" if key == "rollup" else ""),
                db,
                fmt(value),
                f"1x {fmt(base)}",
                f"×{growth:.1f} for data ×{data_growth:.0f}",
                f"< {fmt(TARGETS[key])}, growth ≤ ×{data_growth:.0f}",
                ok,
            )
        )
    peak = last.figures["peak_rss_kib"] / 1024
    peak_1x = first.figures["peak_rss_kib"] / 1024
    imports = last.figures["rss_after_imports_kib"] / 1024
    out.append(
        Row(
            "3",
            f"peak RSS of the process at {last.copies}x (after imports: {imports:.0f} MiB)",
            db,
            f"{peak:.0f} MiB",
            f"1x {peak_1x:.0f} MiB",
            f"×{_growth(peak_1x, peak):.2f}",
            f"< {RSS_TARGET_MIB} MiB",
            peak < RSS_TARGET_MIB,
        )
    )
    plan, plan_1x = last.figures["plan"], first.figures["plan"]
    with_plan = last.figures["peak_rss_with_plan_kib"] / 1024
    with_plan_1x = first.figures["peak_rss_with_plan_kib"] / 1024
    out.append(
        Row(
            "3",
            f"reminder sweep's plan() at {last.copies}x (loads every open assignment; "
            "runs every minute)",
            db,
            ms(plan),
            f"1x {ms(plan_1x)}",
            f"×{_growth(plan_1x, plan):.1f} for data ×{data_growth:.0f}",
            "—",
            None,
        )
    )
    out.append(
        Row(
            "3",
            f"peak RSS at {last.copies}x once plan() has run too (the bot process as it lives)",
            db,
            f"{with_plan:.0f} MiB",
            f"1x {with_plan_1x:.0f} MiB",
            f"×{_growth(with_plan_1x, with_plan):.2f}",
            f"< {RSS_TARGET_MIB} MiB",
            with_plan < RSS_TARGET_MIB,
        )
    )
    return out
