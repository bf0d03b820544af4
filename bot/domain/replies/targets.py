"""Which task each part of a reply is about: digest line numbers and task codes.

A digest numbers its lines 1..N; officials name them every way: "2 …", "2. …", "2) …", "2- …",
"2.xong", "số 2 …", "nv 2: …", "nv2 …", "nhiệm vụ (số) 2 …", "mục 2", "ý 2", lists ("1, 2 đã
hoàn thành", "1 và 3 xong", "1,2,3 xong"), ranges ("từ 1 đến 3"), all of them ("tất cả", "cả
3 nhiệm vụ" when there are 3). A bare number names a line only where a list item can start
(the start of a line, after "Dạ, em báo cáo:", after , ; : or a sentence's end) and only when
it is not a count ("3 xã", "50 hồ sơ", "2 tuần") or part of a percent, a date or a document
number ("Tờ trình số 15/TTr"). A bare number written straight before a word, with no
". ) : -" after it and no "số / nv / mục" before it, names a line only when that word says what
the task's state is ("2 đang làm", "3 vướng kinh phí", "1 đạt 50%", "2 tiếp tục", "1 ok"): "2
đứa đang làm", "3 chị đi công tác", "2 anh em đang khảo sát" count people, as "3 người" does
(R4: a group's chatter is not a report on line 2). Such a number still names a line in a
message that names another line in a plainer way ("1 đã hoàn thành\n2 UBND tỉnh đang thẩm
định"). A task code is "#23" anywhere, or, in a digest, a bare number at such a place that is
one of the digest's codes but not a line.

Each marker starts an item that runs to the next one; a line without a number continues the
item above. With several markers, what comes before the first is a preamble ("Sở Tài chính
báo cáo:") and adds nothing; with one marker, it belongs to that item ("Sở Y tế đã hoàn thành
nhiệm vụ #15"). Matching runs on the aligned form, so every item's words are the official's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.replies.model import ReplyContext
from bot.domain.replies.normalise import aligned, trim
from bot.domain.replies.percents import COUNTED

_LIST = r"\d{1,3}(?:\s*(?:,|&|\+|\bva\b)\s*\d{1,3}(?!\s*[/%\d]))*"
_CODES = re.compile(r"#\s?(\d{1,7})(?:\s*(?:,|&|\+|\bva\b)\s*#\s?\d{1,7})*")
_PREFIXED = re.compile(
    rf"(?<![\w/])(?P<prefix>(?:nhiem vu|nv)\s*(?:so\s*)?|so\s+)(?P<nums>{_LIST})"
)
_DOCUMENT_BEFORE = re.compile(
    r"\b(?:quyet dinh|qd|cong van|cv|to trinh|ttr|van ban|ke hoach|bao cao|thong bao|tb"
    r"|nghi quyet|chi thi|ket luan|dien thoai|sdt)\s*$"
)
_AT_START = re.compile(
    rf"[\s\-–•*+>\"“'(\[«]*(?:(?:da|vang|thua (?:anh|chi))\b[\s,]*)*"
    rf"(?:(?:em\s+)?(?:xin\s+)?(?:kinh\s+)?bao cao(?:\s+(?:anh|chi))?\s*[:,]?\s*)?"
    rf"(?P<named>(?:muc|y|cau)\s+)?(?P<nums>{_LIST})"
)
_GLUED = re.compile(r"(?<!\S)(?P<nums>\d{1,3})[.)](?=[^\W\d_])")  # "2.xong"
_RANGE = re.compile(r"\btu\s+(\d{1,3})\s+den\s+(\d{1,3})\b")
_ALL = re.compile(r"\btat ca\b|\bca\s+(?P<n>\d{1,3})\s+(?:nhiem vu|nv|viec|noi dung)\b")
_AFTER_NUMBER_OK = re.compile(r"^(?:\s*[.,):\-]|\s|$)")
_SEPARATOR = re.compile(r"\s*[.):\-]?")
_DIGITS = re.compile(r"\d+")
_COUNT_AFTER = re.compile(
    rf"^\s*[.):\-]?\s*(?:{COUNTED}|ngay|tuan|thang|nam|lan|gio|ha|m|nghin|tram|chiec|cai)\b"
)
_POSITIONS = re.compile(r"\n|[,;:]\s*|\.\s+")
_WORD_AFTER = re.compile(r"\s+[^\W\d_]")  # a bare number, then a word: "2 đang", "2 đứa"
# The words that open what a line's task is at (aligned form: no diacritics, teencode as typed):
# done, a figure, under way, near, waiting, a difficulty, more time, not ours, receipt, not yet.
_STATE_WORD = re.compile(
    r"\s+(?:da|roi|r|xong|xog|hoan|ht|done|dat|duoc|dc|dang|sap|gan|co ban|du kien|se|tiep"
    r"|cho|vuong|kho|thieu|bi|chua|khong|ko|k|kg|xin|de (?:nghi|xuat)|kien nghi|gia han|lui"
    r"|nhan|ok|oke|okie|okay|vang|bao cao|thuc hien|trien khai|lam|nop|gui|trinh|chuyen|tam"
    r"|giai ngan|moi (?:dat|duoc|xong|lam|bat|trien)|con (?:vuong|kho|thieu|lai|phai|dang|cho)"
    r"|van (?:dang|chua|vuong|cho|tiep|con)|co (?:vuong|kho))\b"
)


@dataclass(frozen=True, slots=True)
class Segment:
    """One item's words and the lines and task codes it names."""

    text: str
    lines: tuple[int, ...] = ()
    tasks: tuple[str, ...] = ()

    def targets(self) -> list[tuple[int | None, str | None]]:
        if self.lines and self.tasks and len(self.lines) == len(self.tasks):
            return list(zip(self.lines, self.tasks, strict=True))
        if self.lines and len(self.tasks) == 1:
            return [(line, self.tasks[0]) for line in self.lines]
        targets: list[tuple[int | None, str | None]] = [(line, None) for line in self.lines]
        targets += [(None, task) for task in self.tasks]
        return targets or [(None, None)]


@dataclass(frozen=True, slots=True)
class _Marker:
    start: int
    end: int
    lines: tuple[int, ...] = ()
    tasks: tuple[str, ...] = ()


def split_targets(cleaned: str, context: ReplyContext) -> list[Segment]:
    """The reply's items in the order written (see the module docstring)."""
    form = aligned(cleaned)
    markers = _merge(form, _markers(form, context))
    if not markers:
        every = _everything(form, context)
        return [Segment(trim(cleaned), every)]
    if len(markers) == 1:
        (only,) = markers
        text = f"{cleaned[: only.start]} {cleaned[only.end :]}"
        return [Segment(_tidy(text), only.lines, only.tasks)]
    ends = [m.start for m in markers[1:]] + [len(cleaned)]
    return [
        Segment(_tidy(cleaned[m.end : end]), m.lines, m.tasks)
        for m, end in zip(markers, ends, strict=True)
    ]


def _tidy(text: str) -> str:
    return trim(text) if text.strip(" \n,;:-–.") else ""


def _numbers(raw: str) -> list[int]:
    return [int(n) for n in _DIGITS.findall(raw)]


def _markers(form: str, context: ReplyContext) -> list[_Marker]:
    found = [
        _Marker(m.start(), m.end(), tasks=tuple(_DIGITS.findall(m.group(0))))
        for m in _CODES.finditer(form)
    ]
    if not context.is_digest:
        return found
    for match in _PREFIXED.finditer(form):
        if match.group("prefix").startswith("so") and _DOCUMENT_BEFORE.search(
            form[: match.start()]
        ):
            continue
        found += _number_marker(form, match, context)
    counts: list[_Marker] = []  # a bare number before a word that says no state: "2 đứa"
    starts = [0] + [m.end() for m in _POSITIONS.finditer(form)]
    for position in starts:
        at_start = _AT_START.match(form, position)
        if at_start:
            marker = _number_marker(form, at_start, context)
            (counts if marker and _counts_people(form, at_start) else found).extend(marker)
    for match in _GLUED.finditer(form):
        found += _number_marker(form, match, context)
    for match in _RANGE.finditer(form):
        first, last = int(match.group(1)), int(match.group(2))
        if 1 <= first < last <= context.digest_lines:
            found.append(_Marker(match.start(), match.end(), tuple(range(first, last + 1))))
    if any(marker.lines for marker in found):  # a list: its bare numbers are lines too
        found += counts
    return found


def _counts_people(form: str, match: re.Match[str]) -> bool:
    """Whether a number where a list item can start is a count rather than a line: bare
    (no "mục / ý / câu" before it, no ". ) : -" after it), then a word that says no state."""
    after = form[match.end("nums") :]
    return (
        match.group("named") is None
        and _WORD_AFTER.match(after) is not None
        and _STATE_WORD.match(after) is None
    )


def _number_marker(form: str, match: re.Match[str], context: ReplyContext) -> list[_Marker]:
    after = form[match.end("nums") :]
    if not _AFTER_NUMBER_OK.match(after) or _COUNT_AFTER.match(after):
        return []
    separator = _SEPARATOR.match(after)
    end = match.end("nums") + (separator.end() if separator else 0)
    numbers = _numbers(match.group("nums"))
    lines = tuple(n for n in numbers if 1 <= n <= context.digest_lines)
    tasks = tuple(str(n) for n in numbers if str(n) in context.codes and n not in lines)
    if not lines and not tasks:
        return []
    return [_Marker(match.start(), end, lines, tasks)]


def _merge(form: str, markers: list[_Marker]) -> list[_Marker]:
    """Drop overlaps (the earliest, then longest, wins) and join a line and a code written
    side by side ("2. #32 xong")."""
    kept: list[_Marker] = []
    for marker in sorted(markers, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and marker.start < kept[-1].end:
            continue
        if kept and not form[kept[-1].end : marker.start].strip(" ,.:;-–"):
            last = kept.pop()
            marker = _Marker(
                last.start, marker.end, last.lines + marker.lines, last.tasks + marker.tasks
            )
        kept.append(marker)
    return kept


def _everything(form: str, context: ReplyContext) -> tuple[int, ...]:
    """Every line, when the reply says "tất cả" or "cả N nhiệm vụ" for all N of them."""
    if not context.is_digest:
        return ()
    match = _ALL.search(form)
    if match is None:
        return ()
    if match.group("n") and int(match.group("n")) != context.digest_lines:
        return ()
    return tuple(range(1, context.digest_lines + 1))
