"""The roll-up (tổng hợp), along its seams: the results (`model`), the use case (`service`),
the export's task list (`export`); its queries are storage/repositories/summary.py's.
Everything is importable from here, as before the split."""

from bot.services.summary.export import build_task_rows
from bot.services.summary.model import (
    AgencyRow,
    Changes,
    Difficulty,
    NoticeRow,
    Rollup,
    SilentAgency,
    TaskItem,
    TaskRow,
    empty_changes,
    worst_first,
)
from bot.services.summary.service import SummaryService
from storage.repositories.summary import LIST_LIMIT, REPORT_KINDS

__all__ = [
    "LIST_LIMIT",
    "REPORT_KINDS",
    "AgencyRow",
    "Changes",
    "Difficulty",
    "NoticeRow",
    "Rollup",
    "SilentAgency",
    "SummaryService",
    "TaskItem",
    "TaskRow",
    "build_task_rows",
    "empty_changes",
    "worst_first",
]
