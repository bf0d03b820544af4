"""The sandbox from a terminal: `dondoc sandbox` (and `make run` without a token).

Reads lines from the keyboard or a script (examples/tour.txt) and hands each to the
`Sandbox` (session.py); fails (exit 1) when the bot logged an error along the way.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from bot.config import Settings
from bot.sandbox.session import SANDBOX_TOKEN, SEED_NAME, Sandbox
from bot.sandbox.texts import WELCOME

__all__ = ["SANDBOX_TOKEN", "run", "run_sandbox"]


class _ErrorCounter(logging.Handler):
    """Counts ERROR records: a tour that logged one failed, whatever its transcript shows."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def find_seed() -> tuple[str, bytes] | None:
    """The seed notice shipped in examples/ (name, bytes), or None outside a checkout."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "examples" / SEED_NAME,):
        if candidate.exists():
            return candidate.name, candidate.read_bytes()
    return None


async def run(
    settings: Settings,
    lines: Iterator[str] | None,
    *,
    out: TextIO,
    workdir: Path,
    interactive: bool,
) -> int:
    counter = _ErrorCounter()
    logging.getLogger().addHandler(counter)
    sandbox = Sandbox(settings, workdir=workdir, out=out)
    try:
        await sandbox.start(find_seed())
        sandbox.write(
            f"🕗 {sandbox.clock.now().astimezone(settings.timezone):%d/%m/%Y %H:%M} · "
            f"{len(sandbox.agencies)} đơn vị đã gắn nhóm"
        )
        sandbox.write(WELCOME)
        sandbox.write(f"Bạn đang là: {sandbox.persona.label}")
        if lines is None:
            lines = _prompt_lines(sandbox)
        for line in lines:
            if not interactive and sandbox.block is not None:
                sandbox.write(f"    {line.rstrip()}")
            if not interactive and sandbox.block is None:
                if line.startswith("#"):
                    sandbox.write(line.rstrip())
                    continue
                if not line.strip():
                    continue
                sandbox.write(f"\n>>> [{sandbox.persona.label}] {line.rstrip()}")
            if not await sandbox.handle(line):
                break
    finally:
        await sandbox.close()
        logging.getLogger().removeHandler(counter)
    return 1 if counter.count or sandbox.errors else 0


def _prompt_lines(sandbox: Sandbox) -> Iterator[str]:
    while True:
        prompt = "… " if sandbox.block is not None else f"[{sandbox.persona.label}] > "
        try:
            yield input(prompt)
        except EOFError:
            return


def run_sandbox(settings: Settings, argv: list[str]) -> int:
    """Entry point of `dondoc sandbox` and of `make run` without a token."""
    parser = argparse.ArgumentParser(prog="dondoc sandbox")
    parser.add_argument("--script", type=Path)
    parser.add_argument("--workdir", type=Path, default=Path("data") / "sandbox")
    args = parser.parse_args(argv)
    print(
        "▶ Sandbox: bot thật chạy với Bot API mô phỏng, không cần Telegram. "
        "Để chạy trên Telegram: đặt TELEGRAM_BOT_TOKEN trong .env rồi `make run`.",
        flush=True,
    )
    workdir: Path = args.workdir / datetime.now().strftime("%Y%m%d-%H%M%S")
    workdir.mkdir(parents=True, exist_ok=True)
    logging.getLogger().setLevel(logging.WARNING)
    interactive = args.script is None and sys.stdin.isatty()
    lines: Any = None
    if args.script is not None:
        lines = iter(args.script.read_text(encoding="utf-8").splitlines())
    elif not interactive:
        lines = iter(sys.stdin.read().splitlines())
    return asyncio.run(
        run(settings, lines, out=sys.stdout, workdir=workdir, interactive=interactive)
    )
