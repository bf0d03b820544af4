"""`dondoc import FILE [--json] [--dry-run]`: read a notice, show its import plan, apply it.

The plan is the chat preview's (bot.domain.import_plan): the same code computes it and the
same code saves it. `--json` prints what the reader found (tasks, problems, unclassified
lines and every line not used with its number), the agencies (each name in the text -> its
canonical agency, new or existing, or the group and its members) and the plan. `--dry-run`
saves nothing: it plans against the database when it is there and up to date, else against
an empty one (and says so)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from bot.agency_data import standard_directory
from bot.config import Settings
from bot.domain.agency_directory import Directory
from bot.domain.import_plan import ImportPlan
from bot.domain.import_planner import Stored, plan_import
from bot.domain.notice import ParsedNotice
from bot.notice_files import NoticeFileError, read_notice_file
from bot.services import open_services
from bot.services.import_apply import ImportResult
from bot.services.notices import dates_text
from storage import migrate


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"Không đọc được tệp / cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    stored = migrate.is_up_to_date(settings.database_url)
    directory = asyncio.run(_reader_directory(settings)) if stored else None
    try:
        parsed = read_notice_file(
            args.file.name, data, max_size=settings.max_upload_mb * 1024 * 1024, directory=directory
        )
    except NoticeFileError as error:
        print(
            f"Không nhập được / cannot import: {error.code} {error.detail}".strip(), file=sys.stderr
        )
        return 1
    if args.dry_run:
        if stored:
            plan = asyncio.run(_plan(parsed, settings))
        else:
            plan = plan_import(parsed, Stored(), standard_directory())
            print(
                "Chưa có cơ sở dữ liệu: kế hoạch so với danh bạ trống / "
                "no database yet: planned against an empty directory",
                file=sys.stderr,
            )
        _print(parsed, plan, as_json=args.json)
        return 0
    migrate.upgrade(settings.database_url)
    plan, result = asyncio.run(_store(parsed, data.decode("utf-8", "replace"), settings))
    _print(parsed, plan, as_json=args.json)
    if result is None:
        print(
            "Dữ liệu vừa thay đổi, chưa lưu gì: chạy lại lệnh / the database moved, nothing "
            "saved: run the command again",
            file=sys.stderr,
        )
        return 1
    if result.no_change:
        message = f"Thông báo số {result.number} đã lưu trước đó: không có thay đổi."
    else:
        message = (
            f"Đã lưu Thông báo số {result.number}: {result.tasks_added} nhiệm vụ mới, "
            f"{result.tasks_updated} cập nhật, {result.tasks_removed} bỏ, "
            f"{result.assignments_created} lượt giao mới, {result.assignments_removed} lượt bỏ."
        )
    print(message, file=sys.stderr if args.json else sys.stdout)
    return 0


async def _reader_directory(settings: Settings) -> Directory:
    """The office's agencies and groups with the standard structure, as the chat reads."""
    async with open_services(settings) as services:
        return await services.directory.reader_directory()


async def _plan(parsed: ParsedNotice, settings: Settings) -> ImportPlan:
    async with open_services(settings) as services:
        return await services.notices.plan(parsed)


async def _store(
    parsed: ParsedNotice, source_text: str, settings: Settings
) -> tuple[ImportPlan, ImportResult | None]:
    """The plan, then that plan applied (not planned again): what is printed is what is saved."""
    async with open_services(settings) as services:
        plan = await services.notices.plan(parsed)
        result = await services.notices.apply(plan, source_text=source_text, by_user_id=None)
        return plan, result


def agencies_json(plan: ImportPlan) -> list[dict[str, Any]]:
    """Each name as the notice writes it -> its agency (canonical, new or existing) or group."""
    out: list[dict[str, Any]] = []
    for agency in plan.agencies:
        for written in agency.written or (agency.name,):
            out.append(
                {
                    "written": written,
                    "kind": "agency",
                    "canonical": agency.name,
                    "new": agency.is_new,
                    "agency_id": agency.agency_id,
                }
            )
    for group in plan.groups:
        for written in group.written:
            out.append(
                {
                    "written": written,
                    "kind": "group",
                    "canonical": group.name,
                    "status": group.status,
                    "members": list(group.members),
                }
            )
    return out


def _print(parsed: ParsedNotice, plan: ImportPlan, *, as_json: bool) -> None:
    if as_json:
        data = parsed.to_report_dict()
        data["agencies"] = agencies_json(plan)
        data["plan"] = plan.to_dict()
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    meta = parsed.document
    date_text = meta.date.strftime("%d/%m/%Y") if meta.date else "—"
    print(f"Thông báo số {plan.notice.number}, ngày {date_text}: {len(parsed.tasks)} nhiệm vụ")
    for task in plan.tasks:
        leads = ", ".join(a.agency for a in task.assignments if a.role == "lead")
        leads = leads or ", ".join(task.open_groups) or "—"
        deadline = dates_text(task.deadline_start, task.deadline_end)
        print(f"  {task.code:<8} {task.change:<9} {deadline:<25} {leads}")
    for agency in plan.new_agencies:
        print(f"  + đơn vị mới / new agency: {agency.name}")
    for group in plan.open_groups:
        print(f"  ? nhóm chưa có danh sách / group without members: {group.name}")
    for problem in plan.problems:
        print(f"  ! {problem}")
    for line in parsed.unused:
        if line.reason == "unclassified":
            print(f"  ? dòng {line.line} chưa phân loại / unclassified: {line.text[:80]}")
