"""`dondoc import FILE [--json] [--dry-run]`: read a notice and store it (or just print it)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from bot.config import Settings
from bot.domain.notice import ParsedNotice
from bot.notice_files import NoticeFileError, read_notice_file
from bot.services import open_services
from bot.services.notices import ImportResult, deadline_text
from storage import migrate


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"Không đọc được tệp / cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        parsed = read_notice_file(
            args.file.name, data, max_size=settings.max_upload_mb * 1024 * 1024
        )
    except NoticeFileError as error:
        print(
            f"Không nhập được / cannot import: {error.code} {error.detail}".strip(), file=sys.stderr
        )
        return 1
    if args.json:
        print(json.dumps(parsed.to_json_dict(), ensure_ascii=False, indent=2))
    else:
        _print_summary(parsed)
    if args.dry_run:
        return 0
    migrate.upgrade(settings.database_url)
    result = asyncio.run(_store(parsed, data.decode("utf-8", "replace"), settings))
    message = (
        f"Đã lưu Thông báo số {result.number}: {result.tasks_added} nhiệm vụ mới, "
        f"{result.tasks_updated} cập nhật, {result.assignments_created} lượt giao."
    )
    print(message, file=sys.stderr if args.json else sys.stdout)
    return 0


async def _store(parsed: ParsedNotice, source_text: str, settings: Settings) -> ImportResult:
    async with open_services(settings) as services:
        return await services.notices.import_notice(
            parsed, source_text=source_text, by_user_id=None
        )


def _print_summary(parsed: ParsedNotice) -> None:
    meta = parsed.document
    date_text = meta.date.strftime("%d/%m/%Y") if meta.date else "—"
    print(f"Thông báo số {meta.number or '—'}, ngày {date_text}: {len(parsed.tasks)} nhiệm vụ")
    for task in parsed.tasks:
        leads = ", ".join(task.lead)
        print(f"  {task.code:<8} {deadline_text(task):<25} {leads}")
    for problem in parsed.problems:
        print(f"  ! {problem}")
