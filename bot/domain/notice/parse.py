"""The entry point: a notice's text -> `ParsedNotice`, through each step in turn.

text -> encoding check -> lines -> layout (metadata, body bounds) -> walk (task drafts)
-> codes and deadlines -> `ParsedNotice`. It never raises: an unexpected error becomes a
problem in the result, and the office sees it in the preview.
"""

from __future__ import annotations

from bot.domain.agency_names import agency_key
from bot.domain.deadlines import parse_deadline
from bot.domain.notice.encoding import detect_legacy_encoding
from bot.domain.notice.layout import read_layout
from bot.domain.notice.lines import prepare_lines
from bot.domain.notice.model import DocumentMeta, ParsedNotice, ParsedTask
from bot.domain.notice.walk import Draft, walk_body
from bot.domain.text import fold_spaces

MAX_INPUT_CHARS = 2_000_000


def parse_notice(text: str) -> ParsedNotice:
    """Parse a notice's text; never raises (a failure becomes a problem in the result)."""
    try:
        return _parse_notice(text if isinstance(text, str) else "")
    except (ValueError, IndexError, KeyError, TypeError, RecursionError) as exc:
        return ParsedNotice(
            DocumentMeta(), problems=(f"Lỗi khi phân tích văn bản: {type(exc).__name__}",)
        )


def _parse_notice(text: str) -> ParsedNotice:
    problems: list[str] = []
    if len(text) > MAX_INPUT_CHARS:
        text = text[:MAX_INPUT_CHARS]
        problems.append("Văn bản quá dài, chỉ phân tích phần đầu")
    legacy = detect_legacy_encoding(text)
    if legacy:
        problems.append(f"Văn bản dùng bảng mã cũ ({legacy}); hãy chuyển sang Unicode")
    lines = prepare_lines(text)
    layout = read_layout(lines)
    meta = layout.meta
    walk = walk_body(lines[layout.body_start : layout.body_end])
    tasks = _finish_tasks(walk.drafts, meta)
    if meta.number is None:
        problems.append("Không tìm thấy số, ký hiệu văn bản")
    if meta.date is None:
        problems.append("Không tìm thấy ngày ban hành")
    if not tasks:
        problems.append("Không tìm thấy nhiệm vụ nào")
    return ParsedNotice(
        document=meta,
        tasks=tasks,
        agencies=_agencies(tasks),
        unclassified=tuple(walk.unclassified),
        problems=tuple(problems),
    )


def _finish_tasks(drafts: list[Draft], meta: DocumentMeta) -> tuple[ParsedTask, ...]:
    """Drafts -> tasks: each gets its code and the deadline its own wording gives."""
    tasks: list[ParsedTask] = []
    for draft, code in zip(drafts, _task_codes(drafts), strict=True):
        text = fold_spaces(draft.text)
        result = parse_deadline(text, notice_date=meta.date)
        tasks.append(
            ParsedTask(code, draft.lead, draft.coordinating, text, result.deadline, result.problems)
        )
    return tuple(tasks)


def _agencies(tasks: tuple[ParsedTask, ...]) -> tuple[str, ...]:
    """Every agency named, leads and coordinating, once each, in order of first mention."""
    seen: dict[str, str] = {}
    for task in tasks:
        for name in (*task.lead, *task.coordinating):
            seen.setdefault(agency_key(name), name)
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
