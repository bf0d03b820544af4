"""`dondoc invites [--notice NUMBER | --all] [--pdf FILE] [--xlsx FILE] [--docx FILE] [--json]`:
invite codes for many agencies at once, and the printable kit (issue 21).

Issues a new code (valid `INVITE_TTL_DAYS`, single use) for every agency with tasks that has
no bound group: all of them (`--all`) or those of one notice (`--notice 22-TB/BCĐ`). A new
code revokes the agency's previous one. The kit's QR codes carry the bot's deep link, so the
bot's username is needed: `--bot <username>`, or asked of Telegram with TELEGRAM_BOT_TOKEN.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.reports.kit import KitFormat, invite_link, render_kit
from bot.reports.kit.issued import kit_rows, office_header
from bot.services import open_services
from bot.services.onboarding import IssueResult

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def cmd_invites(args: argparse.Namespace, settings: Settings) -> int:
    notice: str | None = getattr(args, "notice", None)
    every: bool = bool(getattr(args, "all", False))
    if bool(notice) == every:
        print(
            "Cần đúng một trong --notice SỐ hoặc --all / give either --notice NUMBER or --all",
            file=sys.stderr,
        )
        return EXIT_USAGE
    username = _username(args, settings)
    if username is None:
        return EXIT_USAGE
    from bot.cli.run import ensure_schema

    ensure_schema(settings, auto_upgrade=False)
    result, numbers, today = asyncio.run(_issue(settings, notice))
    if result.unknown_notice:
        listed = ", ".join(numbers) or "—"
        print(
            f"Không có văn bản số {notice} có nhiệm vụ giao cho đơn vị (đã nhập: {listed}) / "
            "no such notice with assigned tasks",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    outputs = {
        KitFormat.PDF: getattr(args, "pdf", None),
        KitFormat.DOCX: getattr(args, "docx", None),
        KitFormat.XLSX: getattr(args, "xlsx", None),
    }
    wanted = {kind: Path(path) for kind, path in outputs.items() if path is not None}
    if result.invites and wanted:
        files = render_kit(
            kit_rows(result.invites, bot_username=username),
            office_header(settings, today),
            wanted,
            bot_username=username,
            tz=settings.timezone,
        )
        for kind, path in wanted.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[kind])
    if getattr(args, "json", False):
        print(json.dumps(_json(result, username, settings), ensure_ascii=False, indent=2))
    else:
        print(_table(result, settings))
        for path in wanted.values() if result.invites else ():
            print(f"Đã ghi / written: {path}")
    return EXIT_OK


async def _issue(
    settings: Settings, notice: str | None
) -> tuple[IssueResult, tuple[str, ...], Any]:
    async with open_services(settings) as services:
        result = await services.onboarding.issue(by_user_id=None, notice_number=notice)
        numbers = await services.summary.notice_numbers() if result.unknown_notice else ()
        return result, numbers, services.ctx.today()


def _username(args: argparse.Namespace, settings: Settings) -> str | None:
    """The bot's username for the deep links: --bot, else getMe with the token."""
    given: str | None = getattr(args, "bot", None)
    if given:
        return given.lstrip("@")
    if not settings.telegram_bot_token:
        print(
            "Cần --bot TÊN_BOT hoặc TELEGRAM_BOT_TOKEN để in đường dẫn của bot / "
            "give --bot USERNAME or set TELEGRAM_BOT_TOKEN",
            file=sys.stderr,
        )
        return None
    from bot.app import plain_bot

    async def get_me() -> str:
        async with plain_bot(settings) as bot:  # production's transport, closed on the way out
            return bot.username

    return asyncio.run(get_me())


def _json(result: IssueResult, username: str, settings: Settings) -> dict[str, Any]:
    return {
        "notice": result.notice_number,
        "already_bound": result.already_bound,
        "invites": [
            {
                "agency": invite.agency.name,
                "code": invite.code,
                "link": invite_link(username, invite.code),
                "expires_at": invite.expires_at.astimezone(settings.timezone).isoformat(),
                "tasks": invite.task_count,
                "notices": [n.number for n in invite.notices],
            }
            for invite in result.invites
        ],
    }


def _table(result: IssueResult, settings: Settings) -> str:
    if not result.invites:
        if result.already_bound:
            return f"Mọi đơn vị đã gắn nhóm ({result.already_bound}); không cấp mã mới."
        return "Chưa có đơn vị nào được giao nhiệm vụ; hãy nhập Thông báo trước."
    assert result.expires_at is not None
    expires = result.expires_at.astimezone(settings.timezone).strftime("%d/%m/%Y %H:%M")
    width = max(len(i.agency.name) for i in result.invites)
    lines = [f"Đã cấp {len(result.invites)} mã mời, hiệu lực đến {expires}, dùng một lần:"]
    lines += [f"  {i.agency.name:<{width}}  {i.code}" for i in result.invites]
    if result.already_bound:
        lines.append(f"{result.already_bound} đơn vị đã gắn nhóm, không cấp lại.")
    return "\n".join(lines)
