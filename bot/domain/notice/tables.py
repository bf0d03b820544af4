"""Task tables (.docx "TT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn").

Columns are found by their header words, not their positions, since every office draws the
table its own way. Roman-numeral rows with no lead open a section ("I", "II") that prefixes
the codes below them. bot/notice_files.py merges these tasks with the ones from the text.
"""

from __future__ import annotations

import re

from bot.domain.agency_names import split_agency_list
from bot.domain.deadlines import parse_deadline, parse_deadline_cell
from bot.domain.notice.leads import explicit_lead
from bot.domain.notice.model import DocumentMeta, ParsedTask
from bot.domain.text import clean, fold, fold_spaces

_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coordinating", ("phoi hop",)),
    ("lead", ("chu tri", "don vi thuc hien", "co quan thuc hien", "don vi giao", "don vi")),
    ("deadline", ("thoi han", "han hoan thanh", "thoi gian", "tien do")),
    ("content", ("noi dung", "nhiem vu", "cong viec")),
    ("code", ("stt", "tt", "so tt", "so thu tu")),
)


def _table_columns(row: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        folded = fold(cell)
        for role, words in _COLUMN_WORDS:
            if role in columns:
                continue
            if role == "code" and folded not in words:
                continue
            if any(re.search(rf"\b{w}\b", folded) for w in words):
                columns[role] = index
                break
    return columns


def find_task_table_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The header row (within the first three) with at least a content and a lead column."""
    for index, row in enumerate(rows[:3]):
        columns = _table_columns(row)
        if "content" in columns and "lead" in columns:
            return index, columns
    return None


def parse_task_table(rows: list[list[str]], meta: DocumentMeta) -> tuple[ParsedTask, ...]:
    """Tasks from a table whose columns are found by their header words (not positions)."""
    try:
        return _parse_task_table(rows, meta)
    except (ValueError, IndexError, TypeError):
        return ()


def _cell(row: list[str], columns: dict[str, int], role: str) -> str:
    index = columns.get(role)
    if index is None or index >= len(row):
        return ""
    return fold_spaces(clean(row[index] or ""))


def _parse_task_table(rows: list[list[str]], meta: DocumentMeta) -> tuple[ParsedTask, ...]:
    header = find_task_table_header(rows)
    if header is None:
        return ()
    start, columns = header
    tasks: list[ParsedTask] = []
    section: str | None = None
    running = 0
    used: set[str] = set()
    for row in rows[start + 1 :]:
        content = _cell(row, columns, "content")
        code = _cell(row, columns, "code").rstrip(".")
        lead_cell = _cell(row, columns, "lead")
        if not content or re.fullmatch(r"[\d\s().]+", content):
            continue
        if re.fullmatch(r"[IVX]+", code) and not lead_cell:
            section = code
            running = 0
            continue
        running += 1
        code = code or str(running)
        code = f"{section}.{code}" if section and not code.startswith(section) else code
        while code in used:
            code += "'"
        used.add(code)
        tasks.append(_table_task(row, columns, code, content, lead_cell, meta))
    return tuple(tasks)


def _table_task(
    row: list[str],
    columns: dict[str, int],
    code: str,
    content: str,
    lead_cell: str,
    meta: DocumentMeta,
) -> ParsedTask:
    lead = tuple(split_agency_list(lead_cell))
    coordinating = tuple(split_agency_list(_cell(row, columns, "coordinating")))
    problems: list[str] = []
    deadline_cell = _cell(row, columns, "deadline")
    result = (
        parse_deadline_cell(deadline_cell, notice_date=meta.date)
        if deadline_cell
        else parse_deadline(content, notice_date=meta.date)
    )
    if result.deadline.kind == "none" and deadline_cell:
        fallback = parse_deadline(content, notice_date=meta.date)
        if fallback.deadline.kind != "none":
            result = fallback
    problems.extend(result.problems)
    if not lead:
        explicit = explicit_lead(content)
        lead = explicit.names if explicit else ()
    if not lead:
        problems.append("Không xác định được đơn vị chủ trì")
    return ParsedTask(code, lead, coordinating, content, result.deadline, tuple(problems))
