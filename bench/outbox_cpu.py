"""CPU per message of the outbox's sender (bench/README.md, finding Q): the morning's 1,000
reminders queued by the sweep, then `drain()` on build_application's bot over loopback HTTP
(production's aiohttp transport), no flood limiter so that nothing waits but the CPU:

    python -m bench.outbox_cpu [--messages 1000] [--rounds 3] [--profile FILE.pstats]

Each round builds a fresh SQLite world, runs the sweep (not measured), then measures the
process's CPU during the drain only (the emulator's share included, as in item 8's process);
`--profile`: one more round under cProfile, printing the function calls per message.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import resource
import statistics
from datetime import date

from bench.common import ADMIN, TOKEN, TZ, Databases, local
from bench.worlds import build_world, make_emulator
from bot.sandbox.http_server import EmulatorServer


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _round(url: str, messages: int, profile: cProfile.Profile | None = None) -> float:
    """CPU seconds per message of one drain of `messages` reminders."""
    from bot.app import build_application, outbox_of
    from bot.clock import ManualClock
    from bot.config import Settings
    from bot.messaging.sweep import run_sweep_now

    due = date(2020, 1, 15)
    world = await build_world(
        url, agencies=messages, tasks_per_agency=1, deadline=due, linked=False
    )
    emulator = make_emulator(world)
    async with EmulatorServer(emulator) as server:
        settings = Settings(
            telegram_bot_token=TOKEN,
            telegram_api_base_url=server.base_url,
            telegram_file_base_url=server.base_file_url,
            database_url=url,
            admin_ids=frozenset({ADMIN}),
            timezone=TZ,
        )
        app = build_application(
            settings,
            request=server.make_aiohttp_request(),
            get_updates_request=server.make_aiohttp_request(polling=True),
            clock=ManualClock(local(2020, 1, 15, 8, 0)),
            rate_limiter=None,
            with_jobs=False,
            menus=False,
        )
        async with app:
            await run_sweep_now(app)
            cpu = _cpu()
            if profile is not None:
                profile.enable()
            sent = await outbox_of(app).drain()
            if profile is not None:
                profile.disable()
            cpu = _cpu() - cpu
    if sent != messages:
        raise RuntimeError(f"the outbox sent {sent} of {messages}")
    print(f"  {sent} messages, cpu/message {1000 * cpu / sent:.2f} ms")
    return cpu / sent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", default="")
    args = parser.parse_args(argv)
    with Databases(None) as dbs:
        cpus = [asyncio.run(_round(dbs.fresh("sqlite"), args.messages)) for _ in range(args.rounds)]
        if cpus:
            print(f"median cpu/message {1000 * statistics.median(cpus):.2f} ms")
        if args.profile:
            profile = cProfile.Profile()
            asyncio.run(_round(dbs.fresh("sqlite"), args.messages, profile))
            profile.dump_stats(args.profile)
            calls = pstats.Stats(args.profile).total_calls / args.messages  # type: ignore[attr-defined]
            print(f"profile: {calls:.0f} function calls per message; {args.profile}")


if __name__ == "__main__":
    main()
