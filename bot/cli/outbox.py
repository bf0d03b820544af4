"""`dondoc outbox [--failed] [--limit N]`: what waits in the outbox, or what could not be
delivered (the office sees the same in chat with /hopthu). Reads only."""

from __future__ import annotations

import argparse
import asyncio

from bot.config import Settings
from bot.messaging.format import shorten
from bot.messaging.layout import plain
from bot.services import Services, open_services
from bot.services.outbox import Queued

EXIT_OK = 0


def cmd_outbox(args: argparse.Namespace, settings: Settings) -> int:
    """Expects `args.failed: bool` and `args.limit: int`."""
    from bot.cli.run import ensure_schema

    ensure_schema(settings, auto_upgrade=False)
    print(asyncio.run(_report(settings, failed=args.failed, limit=args.limit)))
    return EXIT_OK


async def _report(settings: Settings, *, failed: bool, limit: int) -> str:
    async with open_services(settings) as services:
        if failed:
            count, rows = await services.outbox.failures(limit=limit)
            head = f"Không gửi được / failed: {count}"
        else:
            count, rows = await services.outbox.waiting(limit=limit)
            head = f"Đang chờ gửi / waiting: {count}"
        lines = [head]
        for queued in rows:
            lines.append(await _line(services, queued, failed=failed))
        if count > len(rows):
            lines.append(f"… (+{count - len(rows)})")
        return "\n".join(lines)


async def _line(services: Services, queued: Queued, *, failed: bool) -> str:
    tz = services.ctx.tz
    where = await services.bindings.chat_name(queued.chat_id, queued.thread_id)
    said = shorten(plain(queued.item or queued.text).replace("\n", " "), 70)
    moment = (queued.failed_at if failed and queued.failed_at else queued.created_at).astimezone(tz)
    line = f"#{queued.id} {moment:%d/%m/%Y %H:%M} → {where} ({queued.chat_id}): {said}"
    if failed or queued.attempts:
        line += f"\n    {queued.attempts} lần thử / tries; {shorten(queued.error or '', 120)}"
        if not failed:
            line += f"; thử lại lúc / next try {queued.due_at.astimezone(tz):%d/%m/%Y %H:%M}"
    return line
