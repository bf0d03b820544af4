"""The entry point: a notice's text -> `ParsedNotice`, through each step in turn.

text -> encoding check -> lines (and tables pasted as text) -> layout (metadata, bodies) ->
task tables (pasted, or passed in from a .docx) and walk (task drafts) -> codes, deadlines,
groups -> every line not used, with its reason -> `ParsedNotice`. It never raises: an
unexpected error becomes a problem in the result, and the office sees it in the preview.

What the caller may pass: the agency directory (names bounded and classified by it, groups
given their known members), the office's working-day calendar (relative deadlines) and the
tables of a .docx. All optional; none is read from anywhere here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from bot.domain.agency_directory import Directory
from bot.domain.agency_names import agency_key
from bot.domain.deadlines import WorkingDays, parse_deadline
from bot.domain.notice.agencies import is_group
from bot.domain.notice.encoding import detect_legacy_encoding
from bot.domain.notice.layout import read_layout
from bot.domain.notice.leads import split_partners
from bot.domain.notice.lines import TextLines, read_lines
from bot.domain.notice.model import (
    Addressee,
    DocumentMeta,
    ParsedNotice,
    ParsedTask,
    UnusedLine,
    UnusedReason,
)
from bot.domain.notice.tables import find_task_table_header, read_task_table
from bot.domain.notice.walk import Draft, Walk, walk_body
from bot.domain.relative_deadlines import CALENDAR_MISSING
from bot.domain.text import fold, fold_spaces

MAX_INPUT_CHARS = 2_000_000
NO_TASKS = "Không tìm thấy nhiệm vụ nào"


def parse_notice(
    text: str,
    *,
    directory: Directory | None = None,
    calendar: WorkingDays | None = None,
    tables: Sequence[list[list[str]]] = (),
) -> ParsedNotice:
    """Parse a notice's text; never raises (a failure becomes a problem in the result).

    ``tables`` are task tables found beside the text (a .docx's); tables pasted into the text
    as pipe- or tab-separated lines are found here. Table tasks come first, then the text's.
    """
    try:
        return _parse_notice(text if isinstance(text, str) else "", directory, calendar, tables)
    except (ValueError, IndexError, KeyError, TypeError, RecursionError) as exc:
        return ParsedNotice(
            DocumentMeta(), problems=(f"Lỗi khi phân tích văn bản: {type(exc).__name__}",)
        )


def _parse_notice(
    text: str,
    directory: Directory | None,
    calendar: WorkingDays | None,
    tables: Sequence[list[list[str]]],
) -> ParsedNotice:
    problems: list[str] = []
    if len(text) > MAX_INPUT_CHARS:
        text = text[:MAX_INPUT_CHARS]
        problems.append("Văn bản quá dài, chỉ phân tích phần đầu")
    legacy = detect_legacy_encoding(text)
    if legacy:
        problems.append(f"Văn bản dùng bảng mã cũ ({legacy}); hãy chuyển sang Unicode")
    read = read_lines(text)
    layout = read_layout(read.lines)
    meta = layout.meta
    table_reading = _pasted_tables(read, meta, directory, calendar)
    for rows in tables:
        reading = read_task_table(rows, meta, directory=directory, calendar=calendar)
        table_reading.tasks.extend(task for _row, task in reading)
    walk = walk_body(
        read.lines,
        layout.bodies,
        directory=directory,
        skip=frozenset(table_reading.lines) | layout.skip,
    )
    text_tasks = _finish_tasks(walk.drafts, meta, read, directory, calendar)
    tasks = _merge(tuple(table_reading.tasks), text_tasks)
    if meta.number is None:
        problems.append("Không tìm thấy số, ký hiệu văn bản")
    if meta.date is None:
        problems.append("Không tìm thấy ngày ban hành")
    if not tasks:
        problems.append(NO_TASKS)
    for task in tasks:  # said once for the notice: the calendar was missing
        for problem in task.problems:
            if problem.startswith(CALENDAR_MISSING) and problem not in problems:
                problems.append(problem)
    return ParsedNotice(
        document=meta,
        tasks=tasks,
        agencies=_agencies(tasks),
        unclassified=tuple(walk.unclassified),
        problems=tuple(problems),
        unused=_unused(read, layout.outside, walk, table_reading),
        addressees=_addressees(tasks, directory, meta),
    )


@dataclass
class _Tables:
    """The tasks read from tables, the lines pasted tables take, and those rows used."""

    tasks: list[ParsedTask] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    used: list[int] = field(default_factory=list)


def _pasted_tables(
    read: TextLines,
    meta: DocumentMeta,
    directory: Directory | None,
    calendar: WorkingDays | None,
) -> _Tables:
    """Task tables pasted as text: their tasks, and the lines they take from the walk."""
    found = _Tables()
    for table in read.tables:
        if find_task_table_header(table.rows) is None:
            continue
        reading = read_task_table(table.rows, meta, directory=directory, calendar=calendar)
        found.tasks.extend(
            replace(task, lines=tuple(read.numbers(table.row_lines[row]))) for row, task in reading
        )
        found.lines.extend(range(table.first, table.last + 1))
        found.used.extend(table.row_lines[row] for row, _task in reading)
    return found


def _finish_tasks(
    drafts: list[Draft],
    meta: DocumentMeta,
    read: TextLines,
    directory: Directory | None,
    calendar: WorkingDays | None,
) -> tuple[ParsedTask, ...]:
    """Drafts -> tasks: each gets its code, the deadline its own wording gives, its groups."""
    tasks: list[ParsedTask] = []
    for draft, code in zip(drafts, _task_codes(drafts), strict=True):
        text = fold_spaces(draft.text)
        result = parse_deadline(text, notice_date=meta.date, calendar=calendar)
        named, groups = split_partners(draft.coordinating, directory)
        numbers = sorted({n for i in draft.lines for n in read.numbers(i)})
        tasks.append(
            ParsedTask(
                code,
                draft.lead,
                named,
                text,
                result.deadline,
                result.problems,
                lead_groups=tuple(n for n in draft.lead if is_group(n, directory)),
                coordinating_groups=groups,
                lines=tuple(numbers),
            )
        )
    return tuple(tasks)


def _merge(
    table_tasks: tuple[ParsedTask, ...], text_tasks: tuple[ParsedTask, ...]
) -> tuple[ParsedTask, ...]:
    """Table tasks first; text tasks whose wording repeats a table row are dropped, and a
    text task whose code clashes with a row's is coded "VB.<code>"."""
    if not table_tasks:
        return text_tasks
    seen_texts = {fold(t.text) for t in table_tasks}
    codes = {t.code for t in table_tasks}
    tasks = list(table_tasks)
    for task in text_tasks:
        if fold(task.text) in seen_texts:
            continue
        code = task.code if task.code not in codes else f"VB.{task.code}"
        codes.add(code)
        tasks.append(replace(task, code=code))
    return tuple(tasks)


def _agencies(tasks: tuple[ParsedTask, ...]) -> tuple[str, ...]:
    """Every agency named, leads and coordinating, once each, in order of first mention."""
    seen: dict[str, str] = {}
    for task in tasks:
        for name in (*task.lead, *task.coordinating):
            seen.setdefault(agency_key(name), name)
    return tuple(seen.values())


def _addressees(
    tasks: tuple[ParsedTask, ...], directory: Directory | None, meta: DocumentMeta
) -> tuple[Addressee, ...]:
    """Each name a task is given to or shared with, as an agency or a group (with the members
    the directory knows; None when it knows no member list)."""
    seen: dict[str, Addressee] = {}
    for task in tasks:
        groups = set(task.lead_groups) | set(task.coordinating_groups)
        for name in (*task.lead, *task.coordinating, *task.coordinating_groups):
            key = agency_key(name)
            if key in seen:
                continue
            resolution = directory.resolve(name, on=meta.date) if directory else None
            canonical = (
                resolution.name
                if resolution is not None and resolution.kind in ("agency", "group")
                else None
            )
            if name in groups:
                members = (
                    directory.members(name, on=meta.date)
                    if directory is not None and resolution and resolution.kind == "group"
                    else None
                )
                seen[key] = Addressee(name, "group", canonical, members or None)
            else:
                current = resolution.current if resolution is not None else None
                seen[key] = Addressee(name, "agency", canonical, (), current)
    return tuple(seen.values())


def _task_codes(drafts: list[Draft]) -> list[str]:
    """ "I.1" + running number; a marker frame holding one task gets the frame's own label."""
    codes: list[str] = []
    used: set[str] = set()
    repeats: dict[str, int] = {}  # a repeated numbering ("1." twice) gets "-2", "-3"...
    for draft in drafts:
        if draft.frame.collapsible and draft.container and draft.frame.counter == 1:
            code = draft.container
        else:
            code = ".".join(p for p in (draft.container, str(draft.seq)) if p)
        base = code
        while code in used:
            repeats[base] = repeats.get(base, 1) + 1
            code = f"{base}-{repeats[base]}"
        used.add(code)
        codes.append(code)
    return codes


def _unused(
    read: TextLines,
    outside: dict[int, UnusedReason],
    walk: Walk,
    tables: _Tables,
) -> tuple[UnusedLine, ...]:
    """Every line with words that no task was made from, with its number and reason; and
    the pieces set aside from lines that were used (a cited document's clause...)."""
    notes: dict[int, list[tuple[str, UnusedReason]]] = {}
    for index, text, reason in walk.notes:
        notes.setdefault(index, []).append((text, reason))
    used = walk.used | set(tables.used)
    used_numbers = {n for i in used for n in read.numbers(i)}  # a raw line partly used
    table_lines = set(tables.lines)
    out: list[UnusedLine] = []
    for index, line in enumerate(read.lines):
        if not any(ch.isalnum() for ch in line):
            continue
        first, last = read.origins[index]
        part = any(n in used_numbers for n in range(first, last + 1))
        here = notes.get(index, [])
        if index in used:
            out.extend(
                UnusedLine(first, text, reason, True, last)
                for text, reason in here
                if len(text) < len(line) - 8
            )
        elif index in table_lines:
            out.append(UnusedLine(first, line, "table", part, last))
        elif len(here) == 1 or (here and len({r for _t, r in here}) == 1):
            out.append(UnusedLine(first, line, here[0][1], part, last))
        elif here:
            out.extend(UnusedLine(first, text, reason, True, last) for text, reason in here)
        else:
            out.append(UnusedLine(first, line, outside.get(index, "unclassified"), part, last))
    return tuple(out)
