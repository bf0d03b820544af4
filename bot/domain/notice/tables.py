"""Task tables ("TT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn").

A .docx's tables, tables pasted into the text with pipes or tabs, a PDF's tables rebuilt from
their drawn cells: all are read here. Columns are found by their header words, not their
positions, since every office draws the table its own way. Roman-numeral rows with no lead open
a section ("I", "II") that prefixes the codes below them. A cell may name several agencies
("Sở Tài chính, Sở Kế hoạch và Đầu tư"), heads' titles and groups included; a deadline cell
may hold a bare year ("2023"), a span ("2023 - 2025") or a rule ("Trước ngày 15/12 hằng năm").
parse.py merges these tasks with the ones from the text.
"""

from __future__ import annotations

import re

from bot.domain.agency_directory import Directory
from bot.domain.deadlines import WorkingDays, parse_deadline, parse_deadline_cell
from bot.domain.notice.agencies import is_group, name_list
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
    return tuple(task for _row, task in read_task_table(rows, meta))


def read_task_table(
    rows: list[list[str]],
    meta: DocumentMeta,
    *,
    directory: Directory | None = None,
    calendar: WorkingDays | None = None,
) -> list[tuple[int, ParsedTask]]:
    """(row index, task) for each task row; [] when ``rows`` is not a task table."""
    try:
        return _read_task_table(rows, _Reading(meta, directory, calendar))
    except (ValueError, IndexError, TypeError):
        return []


class _Reading:
    """What every row is read with: the notice's metadata, the directory and the calendar."""

    def __init__(
        self, meta: DocumentMeta, directory: Directory | None, calendar: WorkingDays | None
    ) -> None:
        self.meta, self.directory, self.calendar = meta, directory, calendar


def _cell(row: list[str], columns: dict[str, int], role: str) -> str:
    index = columns.get(role)
    if index is None or index >= len(row):
        return ""
    return fold_spaces(clean(row[index] or ""))


def _read_task_table(rows: list[list[str]], reading: _Reading) -> list[tuple[int, ParsedTask]]:
    header = find_task_table_header(rows)
    if header is None:
        return []
    start, columns = header
    tasks: list[tuple[int, ParsedTask]] = []
    section: str | None = None
    running = 0
    used: set[str] = set()
    repeats: dict[str, int] = {}
    for index in range(start + 1, len(rows)):
        row = rows[index]
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
        if code in used:  # a repeated number: "1'", "1''"… (counted, not searched)
            repeats[code] = repeats.get(code, 0) + 1
            code += "'" * repeats[code]
        used.add(code)
        tasks.append((index, _table_task(row, columns, code, content, lead_cell, reading)))
    return tasks


def _table_task(
    row: list[str],
    columns: dict[str, int],
    code: str,
    content: str,
    lead_cell: str,
    reading: _Reading,
) -> ParsedTask:
    directory = reading.directory
    lead = tuple(name_list(lead_cell, directory))
    partners = name_list(_cell(row, columns, "coordinating"), directory)
    groups = tuple(n for n in partners if is_group(n, directory))
    coordinating = tuple(n for n in partners if n not in groups)  # the column names agencies
    problems: list[str] = []
    deadline_cell = _cell(row, columns, "deadline")
    nd, calendar = reading.meta.date, reading.calendar
    result = (
        parse_deadline_cell(deadline_cell, notice_date=nd, calendar=calendar)
        if deadline_cell
        else parse_deadline(content, notice_date=nd, calendar=calendar)
    )
    if result.deadline.kind == "none" and deadline_cell:
        fallback = parse_deadline(content, notice_date=nd, calendar=calendar)
        if fallback.deadline.kind != "none":
            result = fallback
    problems.extend(result.problems)
    if not lead:
        explicit = explicit_lead(content, directory)
        lead = explicit.names if explicit else ()
    if not lead:
        problems.append("Không xác định được đơn vị chủ trì")
    return ParsedTask(
        code,
        lead,
        coordinating,
        content,
        result.deadline,
        tuple(problems),
        lead_groups=tuple(n for n in lead if is_group(n, directory)),
        coordinating_groups=groups,
    )
