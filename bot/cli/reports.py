"""`dondoc summary` and `dondoc export`: the roll-up for scripts, cron and the office's IT.

Each call opens its own services (and engine) and runs one `asyncio.run`, so a command never shares an
event loop with the bot. Exit codes follow bot.cli: 0 done, 1 failed, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.domain.rollup import CATEGORY_LABELS_VI, Category, Counts, Rate
from bot.services import open_services
from bot.services.summary import Rollup, SummaryService, TaskRow

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
# The partition's cells (they sum to "total"), then figures beside them (sums or subsets of
# cells, never added to them).
CELL_FIELDS = tuple(c.value for c in Category)
SIDE_FIELDS: tuple[str, ...] = ("with_deadline", "no_deadline", "done", "awaiting_confirmation")
# `returned`: thực hiện lại (the office returned the completion), a part of the in-progress cells.
SIDE_FIELDS += ("in_progress", "not_started", "overdue", "due_soon", "returned")


def parse_date(text: str | None) -> date | None:
    """`--at` as YYYY-MM-DD or dd/mm/yyyy; None when not given. Raises ValueError if wrong."""
    if text is None or not text.strip():
        return None
    raw = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"ngày không hợp lệ / invalid date: {raw!r} (YYYY-MM-DD hoặc dd/mm/yyyy)")


def counts_json(counts: Counts) -> dict[str, Any]:
    """`total` (assignments, lượt giao), `categories` (the partition: its values sum to
    `total`), the figures beside them, and each rate with its numerator and base."""
    data: dict[str, Any] = {"total": counts.total, "categories": counts.cells()}
    data.update({name: getattr(counts, name) for name in SIDE_FIELDS})
    data["on_time_rate"] = _round(counts.on_time_rate)
    data["on_time"] = _rate_json(
        counts.on_time, "done_on_time / (done_on_time + done_late + overdue)"
    )
    data["completion_rate"] = _round(counts.completion_rate)
    data["completion"] = _rate_json(counts.completion, "done / total")
    return data


def _rate_json(rate: Rate, formula: str) -> dict[str, Any]:
    return {"numerator": rate.numerator, "base": rate.base, "formula": formula}


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def rollup_json(rollup: Rollup) -> dict[str, Any]:
    """The roll-up as plain JSON: per-agency and per-notice counts by category."""
    return {
        "at": rollup.at.isoformat(),
        "period": {
            "start": rollup.period.start.isoformat(),
            "end": rollup.period.end.isoformat(),
            "label": rollup.period.label,
        },
        "notice": rollup.notice_number,
        "unit": "assignments (lượt giao): one task given to one agency",
        "tasks": rollup.tasks,
        # Live tasks of the notices in scope given to no agency (in no count below).
        "unassigned_tasks": rollup.unassigned_tasks,
        "overall": counts_json(rollup.overall),
        "agencies": [
            {"agency_id": a.agency_id, "agency": a.name, **counts_json(a.counts)}
            for a in rollup.agencies
        ],
        "notices": [
            {
                "notice_id": n.notice_id,
                "number": n.number,
                "issued_on": n.issued_on.isoformat() if n.issued_on else None,
                "tasks": n.tasks,
                **counts_json(n.counts),
            }
            for n in rollup.notices
        ],
        "changes": {
            "updates": rollup.changes.updates,
            "completed": rollup.changes.completed_count,
            "completed_confirmed": rollup.changes.confirmed_count,
            "completed_awaiting": rollup.changes.awaiting_count,
            "newly_overdue": rollup.changes.overdue_count,
        },
        "silent_agencies": [a.name for a in rollup.silent_agencies],
        "difficulties": [
            {
                "agency": d.agency_name,
                "task": d.task_code,
                "notice": d.notice_number,
                "reported_on": d.reported_on.isoformat(),
                "text": d.text,
            }
            for d in rollup.difficulties
        ],
    }


_TABLE_COLUMNS = (
    ("Tổng", "total"),
    ("HT đúng", Category.DONE_ON_TIME.value),
    ("HT quá", Category.DONE_LATE.value),
    ("Chờ XN", Category.AWAITING.value),
    ("ĐTH trong", Category.IN_PROGRESS_ON_TIME.value),
    ("ĐTH quá", Category.IN_PROGRESS_OVERDUE.value),
    ("CTH chưa", Category.NOT_STARTED_NOT_DUE.value),
    ("CTH quá", Category.NOT_STARTED_OVERDUE.value),
    ("KTH HT", Category.DONE_NO_DEADLINE.value),
    ("KTH XN", Category.AWAITING_NO_DEADLINE.value),
    ("KTH ĐTH", Category.IN_PROGRESS_NO_DEADLINE.value),
    ("KTH CTH", Category.NOT_STARTED_NO_DEADLINE.value),
)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def rollup_table(rollup: Rollup) -> str:
    """A plain-text appendix for a terminal."""
    name_width = max([len("Tổng cộng"), *(len(a.name) for a in rollup.agencies)])
    name_width = min(name_width, 48)
    head = f"{'Đơn vị':<{name_width}} " + " ".join(f"{h:>9}" for h, _ in _TABLE_COLUMNS)
    head += f" {'Tỷ lệ ĐH':>9} {'Tỷ lệ HT':>9}"

    def line(name: str, counts: Counts) -> str:
        cells = " ".join(f"{getattr(counts, f):>9}" for _, f in _TABLE_COLUMNS)
        rates = f" {_pct(counts.on_time_rate):>9} {_pct(counts.completion_rate):>9}"
        return f"{name[:name_width]:<{name_width}} {cells}{rates}"

    scope = f" · Thông báo số {rollup.notice_number}" if rollup.notice_number else ""
    overall = rollup.overall
    lines = [
        f"Tổng hợp đến ngày {rollup.at:%d/%m/%Y}{scope} · {rollup.period.label}",
        f"{rollup.tasks} nhiệm vụ, {overall.total} lượt giao (mỗi lượt giao: một nhiệm vụ giao "
        "cho một đơn vị; các cột đếm lượt giao)",
        *(
            [f"+ {rollup.unassigned_tasks} nhiệm vụ chưa giao đơn vị (không tính vào các cột)"]
            if rollup.unassigned_tasks
            else []
        ),
        head,
        "-" * len(head),
        *(line(a.name, a.counts) for a in rollup.agencies),
        "-" * len(head),
        line("Tổng cộng", rollup.overall),
        f"Thực hiện lại (Văn phòng trả lại): {overall.returned} lượt giao, đã tính trong các cột "
        "ĐTH trong, ĐTH quá, KTH ĐTH.",
        "",
        f"Tỷ lệ ĐH = HT đúng / {overall.on_time.base} lượt giao có thời hạn đã hoàn thành "
        f"hoặc đã quá hạn; Tỷ lệ HT = lượt giao đã hoàn thành / {overall.total} lượt giao.",
        f"Trong kỳ: {rollup.changes.updates} lượt cập nhật, {rollup.changes.completed_count} "
        f"lượt giao báo hoàn thành ({rollup.changes.confirmed_count} đã xác nhận), "
        f"{rollup.changes.overdue_count} lượt giao mới quá hạn; "
        f"{len(rollup.silent_agencies)} đơn vị chưa cập nhật; "
        f"{rollup.difficulties_count} ý kiến vướng mắc.",
        "Chú thích: "
        + "; ".join(f"{h} = {CATEGORY_LABELS_VI[Category(f)]}" for h, f in _TABLE_COLUMNS[1:]),
    ]
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Export:
    rollup: Rollup
    tasks: tuple[TaskRow, ...]


async def _with_service(settings: Settings, work: Any) -> Any:
    async with open_services(settings) as services:
        return await work(services.summary)


def _arg(args: argparse.Namespace, name: str) -> Any:
    return getattr(args, name, None)


def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    """Print the roll-up as JSON (--json) or a table."""
    try:
        at = parse_date(_arg(args, "at"))
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    notice = _arg(args, "notice")

    async def work(service: SummaryService) -> Rollup:
        return await service.rollup(at=at, notice_number=notice)

    rollup: Rollup = asyncio.run(_with_service(settings, work))
    if rollup.unknown_notice:
        print(f"Không tìm thấy Thông báo số {notice} / notice not found", file=sys.stderr)
        return EXIT_FAILURE
    if _arg(args, "json"):
        print(json.dumps(rollup_json(rollup), ensure_ascii=False, indent=2))
    else:
        print(rollup_table(rollup))
    return EXIT_OK


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the Excel appendix and/or the Word draft report."""
    xlsx_path: Path | None = _arg(args, "xlsx")
    docx_path: Path | None = _arg(args, "docx")
    if xlsx_path is None and docx_path is None:
        print(
            "Cần --xlsx TỆP và/hoặc --docx TỆP / give --xlsx FILE and/or --docx FILE",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        at = parse_date(_arg(args, "at"))
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    notice = _arg(args, "notice")

    async def work(service: SummaryService) -> _Export:
        rollup = await service.rollup(at=at, notice_number=notice)
        tasks = await service.task_rows(at=at, notice_number=notice) if xlsx_path else ()
        return _Export(rollup, tasks)

    export: _Export = asyncio.run(_with_service(settings, work))
    if export.rollup.unknown_notice:
        print(f"Không tìm thấy Thông báo số {notice} / notice not found", file=sys.stderr)
        return EXIT_FAILURE
    from bot.reports.letterhead import letterhead  # python-docx: only when exporting

    org_name = _arg(args, "org")  # replaces ORG_NAME for this report
    head = letterhead(settings)
    written = []
    if xlsx_path is not None:
        from bot.reports.xlsx import render_xlsx

        title = "PHỤ LỤC KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ"
        _write(xlsx_path, render_xlsx(export.rollup, export.tasks, title=title, head=head))
        written.append(xlsx_path)
    if docx_path is not None:
        from bot.reports.docx import render_docx

        _write(docx_path, render_docx(export.rollup, head=head, org_name=org_name))
        written.append(docx_path)
    for path in written:
        print(f"Đã ghi / written: {path}")
    return EXIT_OK


def _write(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
