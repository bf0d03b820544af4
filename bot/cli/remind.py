"""`dondoc remind [--dry-run] [--at "2020-01-13 08:00"]`: the reminder sweep for operators.

`--dry-run` prints which reminders would go out at that moment, reading only (nothing is
claimed or sent), and marks those already sent that day. Without it, the same sweep the
scheduler runs is run once, on Telegram, with the real token; claims keep it idempotent,
so running it beside a live bot sends nothing twice.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock, ManualClock, SystemClock
from bot.config import Settings
from bot.domain.reminders import Audience, ReminderKind
from bot.services import Services, open_services
from bot.services.reminders import PlannedDigest, QuietReason

EXIT_OK = 0
EXIT_USAGE = 2
_AT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M")
_DATE_ONLY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\s*$")
_ESCALATION_NOTE: dict[str, str] = {
    ReminderKind.ESCALATE_LEADERS: "đề nghị Lãnh đạo nhắc nhở",
    ReminderKind.ESCALATE_OFFICE: "Văn phòng đôn đốc",
}


def parse_at(raw: str, settings: Settings) -> datetime | None:
    """A local moment: "2020-01-13 08:00", "13/01/2020 08:00", or a date (at REMINDER_TIME)."""
    tz: ZoneInfo = settings.timezone
    text = raw.strip()
    if _DATE_ONLY.match(text):
        text = f"{text} {settings.reminder_time.strftime('%H:%M')}"
    for fmt in _AT_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    return None


def cmd_remind(args: argparse.Namespace, settings: Settings) -> int:
    """Expects `args.dry_run: bool` and `args.at: str | None`."""
    at: datetime | None = None
    if getattr(args, "at", None):
        at = parse_at(args.at, settings)
        if at is None:
            print(
                f'--at không hợp lệ: {args.at!r}; dùng dạng "2020-01-13 08:00" hoặc '
                '"13/01/2020 08:00". / --at: expected "YYYY-MM-DD HH:MM".',
                file=sys.stderr,
            )
            return EXIT_USAGE
    from bot.cli.run import ensure_schema

    ensure_schema(settings, auto_upgrade=False)
    clock: Clock = ManualClock(at) if at else SystemClock()
    if getattr(args, "dry_run", False):
        return asyncio.run(_dry_run(settings, clock))
    if not settings.telegram_bot_token:
        print(
            "Cần TELEGRAM_BOT_TOKEN để gửi nhắc việc (xem config.example.env); dùng --dry-run "
            "để xem trước. / Sending needs TELEGRAM_BOT_TOKEN; use --dry-run to preview.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return asyncio.run(_send(settings, clock))


async def _dry_run(settings: Settings, clock: Clock) -> int:
    async with open_services(settings, clock) as services:
        for line in await dry_run_lines(services):
            print(line)
    return EXIT_OK


async def dry_run_lines(services: Services) -> list[str]:
    """What `--dry-run` prints: per chat, the reminders a sweep would send now."""
    from bot.messaging.reminder_presenter import plain_line
    from bot.messaging.texts import texts_for

    ctx = services.ctx
    t = texts_for(None, ctx.settings.language)
    reminders = services.reminders
    local = reminders.local()
    lines = [f"Nhắc việc lúc {local:%d/%m/%Y %H:%M} ({ctx.tz.key}) — chạy thử, không gửi:"]
    digests = await reminders.plan()
    if not digests:
        quiet = await reminders.quiet_reason()
        if quiet is QuietReason.BEFORE_TIME:
            reason = f"chưa đến giờ nhắc việc ({ctx.settings.reminder_time:%H:%M})"
        elif quiet is QuietReason.DAY_OFF:
            reason = "hôm nay là ngày nghỉ"
        else:
            reason = "không có nhiệm vụ đến kỳ nhắc"
        return [*lines, f"Không có nhắc việc nào: {reason}."]
    already = await reminders.sent_keys(local.date())
    total = fresh = 0
    for digest in digests:
        targets = await _targets(services, digest)
        lines.append("")
        lines.append(f"[{digest.agency_name or 'Văn phòng Điều phối'}] → {_targets_text(targets)}")
        for item in digest.items:
            total += 1
            sent = (item.assignment_id, item.kind) in already
            fresh += 0 if sent or not targets else 1
            prefix = f"{item.agency_name}: " if digest.audience != Audience.AGENCY else ""
            note = _ESCALATION_NOTE.get(item.kind)
            suffix = (f" ({note})" if note else "") + (" [đã gửi]" if sent else "")
            lines.append(f"  {prefix}{plain_line(t, item)}{suffix}")
    lines.append("")
    lines.append(f"Tổng: {total} lượt nhắc đến kỳ hôm nay; {fresh} lượt sẽ được gửi nếu chạy thật.")
    return lines


async def _targets(services: Services, digest: PlannedDigest) -> int:
    if digest.audience == Audience.AGENCY and digest.agency_id is not None:
        return len(await services.conversation.agency_chats(digest.agency_id))
    return len(await services.conversation.office_chats())


def _targets_text(count: int) -> str:
    if count == 0:
        return "chưa có nhóm hoặc đầu mối nhận tin: sẽ không gửi"
    return f"{count} nơi nhận (nhóm/tin nhắn riêng)"


async def _send(settings: Settings, clock: Clock) -> int:
    from bot.app import build_application, outbox_of
    from bot.messaging.sweep import run_sweep_now

    app = build_application(settings, clock=clock, with_jobs=False)
    async with app:
        report = await run_sweep_now(app)
        # Sent now, through the outbox (a running bot's sender may take some of them: each
        # goes once); what Telegram refuses for now waits there and the bot sends it later.
        delivered = await outbox_of(app).drain()
        waiting, _rows = await app.bot_data["services"].outbox.waiting(limit=0)
    print(
        f"Đã gửi {report.messages} tin ({report.sent} lượt nhắc) qua hộp thư đi "
        f"({delivered} tin vừa gửi); {waiting} tin còn chờ gửi lại (bot sẽ tự gửi, "
        f"xem `dondoc outbox`); {len(report.unreachable)} nơi chưa có người nhận."
    )
    if report.quiet is QuietReason.BEFORE_TIME:
        print(f"Chưa đến giờ nhắc việc ({settings.reminder_time:%H:%M}).")
    elif report.quiet is QuietReason.DAY_OFF:
        print("Hôm nay là ngày nghỉ: không gửi nhắc việc.")
    return EXIT_OK if waiting == 0 else 1
