"""`python -m bench [--quick] [--no-pg] [--no-experiment] [--only 12345678]`: run every benchmark, print
one table, write it with the machine's description to bench/results.md.

Sizes are the issue's by default (200 agencies and 2,000 replies; 1,000 chats; 1x/10x/100x;
a 100-page notice); `--quick` shrinks them for a run of about a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import fanout, hostile, imports, notices, peak, replies, rollup, updates, web
from bench.common import (
    ROOT,
    BenchFailed,
    Row,
    databases,
    machine,
    pg_reachable,
    render_table,
    seed_path,
)
from bench.floor import FLOORS

RESULTS = ROOT / "bench" / "results.md"


@dataclass(frozen=True, slots=True)
class Sizes:
    agencies: int
    replies: int
    sequential: int
    chats: int
    scales: tuple[int, ...]
    pages: int
    peak: tuple[int, int, int, int] = (1000, 100, 300, 20)  # groups, reporting, reports, busy


FULL = Sizes(agencies=200, replies=2000, sequential=200, chats=1000, scales=(1, 10, 100), pages=100)
QUICK = Sizes(
    agencies=50, replies=500, sequential=100, chats=150, scales=(1, 10), pages=20,
    peak=(150, 30, 90, 6),
)  # fmt: skip


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def experiment_limiter() -> object:
    """The rate limiter proposed in bench/README.md: no burst, just under 30 a second."""
    from telegram.ext import AIORateLimiter

    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 29.5, max_retries=3)


def run(
    sizes: Sizes, *, use_pg: bool, experiment: bool, only: frozenset[str] = frozenset("12345678")
) -> tuple[list[Row], dict[str, str]]:
    pg_url = pg_reachable() if use_pg else None
    info = machine(pg_url)
    seed = seed_path()
    if not seed.exists():
        raise SystemExit(f"seed notice not found at {seed} (set DONDOC_SEED)")
    seed_text = seed.read_text(encoding="utf-8")
    backends = ["sqlite"] + (["postgresql"] if pg_url else [])
    table: list[Row] = []
    with databases(pg_url) as dbs:
        for db in backends if "1" in only else ():
            log(f"1. progress replies on {db}: {sizes.replies} replies, {sizes.agencies} groups")
            result = asyncio.run(
                updates.bench_updates(
                    dbs.fresh(db),
                    agencies=sizes.agencies,
                    replies=sizes.replies,
                    sequential=sizes.sequential,
                )
            )
            table += updates.rows(result, db)
        if "1" in only and experiment and "postgresql" in backends:
            for floor in FLOORS:
                log(f"1. experiment: the floor of a reply on postgresql ({floor})")
                result = asyncio.run(
                    updates.bench_updates(
                        dbs.fresh("postgresql"),
                        agencies=sizes.agencies,
                        replies=sizes.replies,
                        sequential=sizes.sequential,
                        floor=floor,
                    )
                )
                table += updates.floor_rows(result, "postgresql")
        for variant in updates.VARIANTS if "1" in only and experiment else ():
            for db in backends:
                log(f"1. experiment: dondoc {variant} on {db}")
                result = asyncio.run(
                    updates.bench_updates(
                        dbs.fresh(db),
                        agencies=sizes.agencies,
                        replies=sizes.replies,
                        sequential=sizes.sequential,
                        floor=variant,
                    )
                )
                table += updates.floor_rows(result, db)
        if "1" in only and experiment:
            log("1. experiment: the echo bot on dondoc's transport (aiohttp)")
            result = asyncio.run(
                updates.bench_updates(
                    dbs.sqlite(),
                    agencies=sizes.agencies,
                    replies=sizes.replies,
                    sequential=sizes.sequential,
                    floor=updates.ECHO_ON_AIOHTTP,
                )
            )
            table += updates.floor_rows(result, "—")
        if "2" in only:
            log(f"2. reminder fan-out to {sizes.chats} chats (production limiter)")
            fan = asyncio.run(fanout.bench_fanout(dbs.sqlite(), chats=sizes.chats))
            table += fanout.rows(fan, "sqlite")
        if "2" in only and experiment:
            log("2. reminder fan-out, experiment: the proposed limiter")
            trial = asyncio.run(
                fanout.bench_fanout(
                    dbs.sqlite(),
                    chats=sizes.chats,
                    rate_limiter=experiment_limiter(),
                    label="AIORateLimiter(overall_max_rate=1, overall_time_period=1/29.5)",
                )
            )
            table += fanout.rows(trial, "sqlite", experiment=True)
        if "8" in only:
            groups, reporting, reports, busy = sizes.peak
            log(f"8. the morning peak: {groups} groups reminded, {reports} reports, two designs")
            result = asyncio.run(
                peak.bench_peak(
                    dbs.sqlite(), dbs.sqlite(), groups=groups, reporting=reporting,
                    reports=reports, busy=busy,
                )
            )  # fmt: skip
            table += peak.rows(result, "sqlite")
        for db in backends if "3" in only else ():
            log(f"3. roll-up at {', '.join(f'{s}x' for s in sizes.scales)} on {db}")
            scaled = asyncio.run(rollup.bench_rollup(dbs.fresh(db), seed_text, sizes=sizes.scales))
            table += rollup.rows(scaled, db)
        for db in backends if "7" in only else ():
            largest = max(sizes.scales)
            log(f"7. the web app's pages at 1x and {largest}x on {db}")
            pages = asyncio.run(web.bench_web(dbs.fresh(db), seed_text, sizes=(1, largest)))
            table += web.rows(pages, db)
    if "4" in only:
        log(f"4. parse_notice: the seed and a {sizes.pages}-page notice")
        table += imports.rows(imports.bench_import(seed, pages=sizes.pages))
        log("4. hostile notices and deadlines at a quarter and at full size")
        table += hostile.rows(hostile.bench_hostile(scale=1.0 if sizes is FULL else 0.25))
    if "5" in only:
        log("5. the notice corpus: task F1, lead and deadline accuracy")
        table += notices.rows(notices.evaluate_corpus())
    if "6" in only:
        log("6. reading replies: the labelled corpus, new reader against the old parser")
        table += replies.rows(*replies.bench_replies())
    return table, info


def write_results(table: str, info: dict[str, str], *, seconds: float, command: str) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"`{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {seconds:.0f} s in all. "
        "Each figure beside its baseline from the same run; see bench/README.md.",
        "",
        *[f"- **{key}**: {value}" for key, value in info.items()],
        "",
        table,
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument(
        "--no-experiment",
        action="store_true",
        help="skip the experiments (proposed rate limiter, floor of a reply on PostgreSQL, item 1's serial and unlinked dondoc and its echo bot on aiohttp)",
    )
    parser.add_argument(
        "--only", default="12345678", help="which items to run, e.g. --only 13 (default: all)"
    )
    parser.add_argument("--output", type=Path, help="where to write the results (Markdown)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    global RESULTS
    if args.output:
        RESULTS = args.output
    began = time.perf_counter()
    try:
        rows, info = run(
            QUICK if args.quick else FULL,
            use_pg=not args.no_pg,
            experiment=not args.no_experiment,
            only=frozenset(args.only),
        )
    except BenchFailed as failure:
        log(f"FAILED after {time.perf_counter() - began:.0f} s: {failure}")
        return 1
    seconds = time.perf_counter() - began
    table = render_table(rows)
    print(table)
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    write_results(table, info, seconds=seconds, command=command.strip())
    log(f"done in {seconds:.0f} s; written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
