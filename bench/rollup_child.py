"""One size of item 3, measured in its own process so its peak RSS is its own.

`python -m bench.rollup_child URL` prints one JSON line: start-up (build_application +
initialize + the first update handled: a focal point's progress reply), the weekly roll-up
(SummaryService.rollup), the xlsx export (task_rows + render_xlsx), today's reminder plan,
the RSS after imports, the peak RSS (VmHWM) of start-up + roll-up + export, and the peak
once the reminder plan has run too (the bot's sweep runs it every minute).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "true")


def status_kib(field: str) -> int:
    """VmRSS / VmHWM from /proc/self/status, else ru_maxrss (KiB on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def measure(url: str, repeat: int) -> dict[str, Any]:
    from telegram import Update

    from bench.common import ADMIN, TOKEN, TZ, TimedEmulator, median
    from bench.scale import ROLLUP_DAY, STARTUP_CHAT, STARTUP_USER, rollup_day
    from bot.app import build_application
    from bot.clock import ManualClock
    from bot.config import Settings
    from bot.reports.xlsx import render_xlsx

    after_imports = status_kib("VmRSS")
    emulator = TimedEmulator(TOKEN)
    emulator.add_user(STARTUP_USER, "Đầu mối khởi động")
    emulator.add_chat(STARTUP_CHAT, "supergroup", "Nhóm khởi động")
    emulator.add_member(STARTUP_CHAT, STARTUP_USER)
    await emulator.call("sendMessage", chat_id=STARTUP_CHAT, text="Nhắc việc")
    settings = Settings(
        telegram_bot_token=TOKEN, database_url=url, admin_ids=frozenset({ADMIN}), timezone=TZ
    )

    started = time.perf_counter()
    app = build_application(
        settings,
        request=emulator.make_request(),
        get_updates_request=emulator.make_get_updates_request(),
        clock=ManualClock(rollup_day()),
    )
    await app.initialize()
    message = emulator.user_sends(
        STARTUP_USER, STARTUP_CHAT, "đạt 50% khối lượng", reply_to_message_id=1
    )
    for raw in emulator.take_updates():
        await app.process_update(Update.de_json(raw, app.bot))
    startup = time.perf_counter() - started
    handled = (STARTUP_CHAT, message["message_id"]) in emulator.replied_at

    services = app.bot_data["services"]
    rollups = []
    for _ in range(repeat):
        began = time.perf_counter()
        rollup = await services.summary.rollup(at=ROLLUP_DAY)
        rollups.append(time.perf_counter() - began)
    exports = []
    size = 0
    for _ in range(max(1, repeat // 2)):
        began = time.perf_counter()
        rows = await services.summary.task_rows(at=ROLLUP_DAY)
        size = len(render_xlsx(rollup, rows, title="Phụ lục"))
        exports.append(time.perf_counter() - began)
    peak = status_kib("VmHWM")  # start-up, roll-up and export: item 3's workload
    began = time.perf_counter()
    digests = await services.reminders.plan(rollup_day().replace(hour=8))
    plan = time.perf_counter() - began
    await app.shutdown()
    return {
        "startup": startup,
        "first_update_handled": handled,
        "rollup": median(rollups),
        "export": median(exports),
        "export_bytes": size,
        "task_rows": len(rows),
        "assignments": rollup.overall.total,
        "plan": plan,
        "plan_digests": len(digests),
        "rss_after_imports_kib": after_imports,
        "peak_rss_kib": peak,
        "peak_rss_with_plan_kib": status_kib("VmHWM"),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.WARNING)
    result = asyncio.run(measure(args.url, args.repeat))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
