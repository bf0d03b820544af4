"""CPU per reply of item 1's burst, the echo bot against dondoc, in one process: the harness
findings G–N measured with (run from a work tree with its own virtual environment, so that it
measures that tree's code):

    python -m bench.cpu_per_reply sqlite|postgresql [--replies 1000] [--rounds 3]
        [--agencies 200] [--profile FILE.pstats] [--variant serial|unlinked]

Why beside `python -m bench`: item 1's rates move with the machine's load (on a shared 2-core
machine the echo bot's own rate moved 170–320/s between runs), while the CPU the process spends
per reply *during the burst only* (start-up excluded) moves less, and the function calls per
reply under cProfile hardly at all. Each round runs the echo bot, then dondoc, on the same world
(a fresh database per round) and prints both rates, the CPU per reply and the garbage
collector's share of it; then the medians and their ratios. `--profile`: one more dondoc round
with cProfile on during the burst only; prints the function calls per reply and saves the stats.
`--variant`: dondoc as one of bench/updates.py's experiments (`serial`: one update at a time).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import resource
import statistics
import time
from datetime import date
from typing import Any

from bench import updates
from bench.common import Databases, local, pg_reachable
from bench.worlds import build_world

_gc = {"seconds": 0.0, "started": 0.0}
_burst: dict[str, Any] = {}
_drive = updates._drive


def _time_collections(phase: str, _info: dict[str, Any]) -> None:
    if phase == "start":
        _gc["started"] = time.perf_counter()
    else:
        _gc["seconds"] += time.perf_counter() - _gc["started"]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _measured_drive(*args: Any, **kwargs: Any) -> Any:
    """bench/updates.py's `_drive` (the users' replies), its CPU and GC time kept."""
    profile = _burst.pop("profile", None)
    cpu, collected = _cpu(), _gc["seconds"]
    if profile is not None:
        profile.enable()
    try:
        return await _drive(*args, **kwargs)
    finally:
        if profile is not None:
            profile.disable()
        _burst["cpu"], _burst["gc"] = _cpu() - cpu, _gc["seconds"] - collected


async def _round(
    url: str,
    replies: int,
    agencies: int,
    profile: cProfile.Profile | None = None,
    variant: str | None = None,
) -> dict[str, tuple[float, float, float]]:
    world = await build_world(
        url,
        agencies=agencies,
        tasks_per_agency=updates.TASKS_PER_AGENCY,
        deadline=date(2020, 1, 31),
        linked=True,
    )
    out: dict[str, tuple[float, float, float]] = {}
    if profile is None:
        echo = await updates.run_echo(world, replies=replies, sequential=0)
        out["echo"] = _figures(echo.burst.per_second, replies)
    else:
        _burst["profile"] = profile
    run = await updates.run_dondoc(
        url, world, replies=replies, sequential=0, clock_now=local(2020, 1, 15, 9), floor=variant
    )
    if run.stored != replies:
        raise RuntimeError(f"dondoc stored {run.stored} of {replies} replies")
    out["dondoc"] = _figures(run.burst.per_second, replies)
    for name, (rate, cpu, collected) in out.items():
        label = name if name == "echo" or run.name == name else f"{name} ({run.name})"
        print(f"  {label:6s} {rate:6.0f}/s  cpu/reply {cpu:5.2f} ms (gc {collected:4.2f})")
    return out


def _figures(rate: float, replies: int) -> tuple[float, float, float]:
    return rate, 1000 * _burst["cpu"] / replies, 1000 * _burst["gc"] / replies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", choices=("sqlite", "postgresql"))
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--profile", default="")
    parser.add_argument("--variant", choices=updates.VARIANTS, default=None)
    args = parser.parse_args(argv)
    updates._drive = _measured_drive  # type: ignore[assignment]  # until this returns
    gc.callbacks.append(_time_collections)
    try:
        _run(args)
    finally:
        updates._drive = _drive  # type: ignore[assignment]
        gc.callbacks.remove(_time_collections)


def _run(args: argparse.Namespace) -> None:
    pg = pg_reachable() if args.database == "postgresql" else None
    with Databases(pg) as dbs:
        results = []
        for number in range(args.rounds):
            print(f"round {number + 1}")
            results.append(
                asyncio.run(
                    _round(
                        dbs.fresh(args.database), args.replies, args.agencies, variant=args.variant
                    )
                )
            )
        if results:
            echo, dondoc = (
                [statistics.median(r[bot][i] for r in results) for i in range(3)]
                for bot in ("echo", "dondoc")
            )
            print(
                f"median, {args.database}: echo {echo[0]:.0f}/s {echo[1]:.2f} ms; dondoc "
                f"{dondoc[0]:.0f}/s {dondoc[1]:.2f} ms (gc {dondoc[2]:.2f}); rate ratio "
                f"{dondoc[0] / echo[0]:.2f}, CPU ratio echo/dondoc {echo[1] / dondoc[1]:.2f}"
            )
        if args.profile:
            profile = cProfile.Profile()
            world = (dbs.fresh(args.database), args.replies, args.agencies)
            asyncio.run(_round(*world, profile, args.variant))
            profile.dump_stats(args.profile)
            stats = pstats.Stats(args.profile)
            calls = stats.total_calls / args.replies  # type: ignore[attr-defined]
            print(f"profile, {args.database}: {calls:.0f} function calls per reply; {args.profile}")


if __name__ == "__main__":
    main()
