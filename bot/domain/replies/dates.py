"""The deadline an extension asks for, resolved against today and the current deadline.

`base` is the later of the current deadline and today (today when there is none): an
extension counted from a deadline already past would end in the past. Rules:

- "30/4/2020", "30/04/20", "ngay 30 thang 4 nam 2020" → that day (a 2-digit year is 20yy);
- "30/4", "ngay 30 thang 4" → the first 30/4 on or after today;
- "het / cuoi / trong thang 4" → the last day of the first April ending on or after today;
  "thang 4/2020" → 30/04/2020; "dau / giua thang" is too vague: no date;
- "het quy I", "quy 2/2020" → the quarter's last day, the same way;
- "het nam", "cuoi nam (2020)" → 31/12 of today's year (or the year written);
- "them 2 tuan", "2 tuan nua", "gia han 2 tuan", "lui lai 1 tuan", "them 10 ngay", "them 1
  thang" → base + that much (a month
  keeps the day number, or the month's last day when shorter);
- "tuan sau / tuan toi" → the Friday of the week after base's week;
- "thang sau / thang toi" → the last day of the month after base's month;
- anything else (vague or none) → None: the bot asks.

When a text holds several, the first one written after the request words wins.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

_Y = r"(\d{4}|\d{2})"
_FULL = re.compile(rf"(?<![\d/.])(\d{{1,2}})\s*([/.\-])\s*(\d{{1,2}})\s*\2\s*{_Y}(?!\d)")
_WORDS = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*(?:,\s*)?nam\s+(\d{4}))?(?!\d)")
_DAY_MONTH = re.compile(r"(?<![\d/.,\-])(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?![\d%]|\s*[/.\-]\s*\d)")
_MONTH = re.compile(
    r"\b(?P<vague>dau\s+|giua\s+)?thang\s+(?P<m>\d{1,2})(?:\s*(?:/|-|,?\s*nam)\s*(?P<y>\d{4}))?(?![\d/])"
)
_QUARTER = re.compile(
    r"\bquy\s+(?P<q>iv|iii|ii|i|[1-4])\b(?:\s*(?:/|-|,?\s*nam)\s*(?P<y>\d{4}))?(?!\d)"
)
_YEAR_END = re.compile(r"\b(?:het|cuoi)\s+nam(?:\s+(?P<y>\d{4}))?\b")
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "muoi": 10, "muoi lam": 15}
_COUNT = r"(\d{1,3}|mot|hai|ba|bon|muoi lam|muoi)"
_RELATIVE = re.compile(
    rf"\b(?:(?:them|lui(?:\s+lai)?|gia han|keo dai)\s+(?:them\s+)?{_COUNT}\s+(?P<u1>tuan|ngay|thang)"
    rf"|{_COUNT}\s+(?P<u2>tuan|ngay|thang)\s+nua)\b"
)
_NEXT_WEEK = re.compile(r"\btuan\s+(?:sau|toi)\b")
_NEXT_MONTH = re.compile(r"\bthang\s+(?:sau|toi)\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    day: date | None


def requested_date(
    folded: str, *, today: date, deadline: date | None, after: int = 0
) -> date | None:
    """The date an extension request names, or None (see the module docstring)."""
    base = max(today, deadline) if deadline else today
    found = _non_overlapping(_candidates(folded, today, base))
    later = [f for f in found if f.start >= after] or found
    return later[0].day if later else None


def _non_overlapping(found: list[_Found]) -> list[_Found]:
    """Longest first, then in reading order: "ngay 30 thang 4 nam 2020" beats "thang 4"."""
    kept: list[_Found] = []
    for f in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def _candidates(folded: str, today: date, base: date) -> list[_Found]:
    finders: list[tuple[re.Pattern[str], Callable[[re.Match[str]], date | None]]] = [
        (_FULL, lambda m: _day(_year(m.group(4)), int(m.group(3)), int(m.group(1)))),
        (_WORDS, lambda m: _words(m, today)),
        (_DAY_MONTH, lambda m: _next_day_month(int(m.group(1)), int(m.group(2)), today)),
        (_MONTH, lambda m: _month(m, today)),
        (_QUARTER, lambda m: _quarter(m, today)),
        (_YEAR_END, lambda m: date(int(m.group("y") or today.year), 12, 31)),
        (_RELATIVE, lambda m: _relative(m, base)),
        (_NEXT_WEEK, lambda m: _friday_after(base)),
        (_NEXT_MONTH, lambda m: _month_end(*_month_after(base.year, base.month))),
    ]
    return list(_found(folded, finders))


def _found(
    folded: str,
    finders: list[tuple[re.Pattern[str], Callable[[re.Match[str]], date | None]]],
) -> Iterator[_Found]:
    for pattern, resolve in finders:
        for match in pattern.finditer(folded):
            yield _Found(match.start(), match.end(), resolve(match))


def _year(raw: str) -> int:
    return int(raw) + 2000 if len(raw) == 2 else int(raw)


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_day_month(day: int, month: int, today: date) -> date | None:
    """The first such day on or after today (this year's, else next year's)."""
    for year in (today.year, today.year + 1, today.year + 2):
        found = _day(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _words(match: re.Match[str], today: date) -> date | None:
    day, month = int(match.group(1)), int(match.group(2))
    if match.group(3):
        return _day(int(match.group(3)), month, day)
    return _next_day_month(day, month, today)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _month(match: re.Match[str], today: date) -> date | None:
    month = int(match.group("m"))
    if match.group("vague") or not 1 <= month <= 12:
        return None
    if match.group("y"):
        return _month_end(int(match.group("y")), month)
    end = _month_end(today.year, month)
    return end if end >= today else _month_end(today.year + 1, month)


def _quarter(match: re.Match[str], today: date) -> date:
    raw = match.group("q")
    number = _ROMAN.get(raw) or int(raw)
    if match.group("y"):
        return _month_end(int(match.group("y")), 3 * number)
    end = _month_end(today.year, 3 * number)
    return end if end >= today else _month_end(today.year + 1, 3 * number)


def _relative(match: re.Match[str], base: date) -> date:
    raw = match.group(1) or match.group(3)
    count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    unit = match.group("u1") or match.group("u2")
    if unit == "ngay":
        return base + timedelta(days=count)
    if unit == "tuan":
        return base + timedelta(weeks=count)
    year, month = base.year, base.month
    for _ in range(count):
        year, month = _month_after(year, month)
    return date(year, month, min(base.day, calendar.monthrange(year, month)[1]))


def _friday_after(base: date) -> date:
    next_monday = base + timedelta(days=7 - base.weekday())
    return next_monday + timedelta(days=4)
