"""Reporting periods the office asks for: tuần, tháng, quý, 6 tháng, năm, or two dates.

Pure and standard-library only, so `/tonghop thang` and `dondoc summary` read a period the
same way and the rules can be tested without a clock. A period is a closed range of local
calendar dates; the label is the Vietnamese wording used in reports (the presenter may
re-word it from `kind` for another language).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.bounds import date_in_bounds
from bot.domain.rollup import week_bounds
from bot.domain.text import fold

_ROMAN = ("I", "II", "III", "IV")


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    RANGE = "range"


@dataclass(frozen=True, slots=True)
class Period:
    """Dates `start`..`end`, both included."""

    start: date
    end: date
    label: str
    kind: PeriodKind = PeriodKind.RANGE

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def week(today: date, *, week_ends_on: int = 4) -> Period:
    """The reporting week holding `today` (Saturday..Friday by default, as the weekly summary)."""
    start, end = week_bounds(today, week_ends_on=week_ends_on)
    return Period(start, end, f"Tuần {_d(start)} - {_d(end)}", PeriodKind.WEEK)


def month(year: int, number: int) -> Period:
    start = date(year, number, 1)
    end = date(year, 12, 31) if number == 12 else date(year, number + 1, 1) - timedelta(days=1)
    return Period(start, end, f"Tháng {number:02d}/{year}", PeriodKind.MONTH)


def quarter(year: int, number: int) -> Period:
    first = month(year, 3 * number - 2)
    last = month(year, 3 * number)
    return Period(first.start, last.end, f"Quý {_ROMAN[number - 1]}/{year}", PeriodKind.QUARTER)


def half_year(year: int, number: int) -> Period:
    start = date(year, 1 if number == 1 else 7, 1)
    end = date(year, 6, 30) if number == 1 else date(year, 12, 31)
    label = f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    return Period(start, end, label, PeriodKind.HALF_YEAR)


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), f"Năm {number}", PeriodKind.YEAR)


def date_range(start: date, end: date) -> Period:
    return Period(start, end, f"Từ {_d(start)} đến {_d(end)}", PeriodKind.RANGE)


_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
_RANGE = re.compile(rf"^(?:tu\s+)?{_DATE}\s*(?:-|–|—|den|to|\.\.)\s*{_DATE}$")
# "thang", "thang 3", "thang 3/2025", "thang 03-2025"
_NUMBERED = re.compile(r"^(tuan|week|thang|month|quy|quarter|6\s*thang|nam|year)(?:\s+(.+))?$")
_NUMBER_YEAR = re.compile(r"^(\d{1,2})(?:\s*[/-]\s*(\d{4}))?$")
_ROMAN_NUMBERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_HALF_WORDS = {"dau": 1, "1": 1, "i": 1, "cuoi": 2, "2": 2, "ii": 2}


def parse_period(text: str, *, today: date, week_ends_on: int = 4) -> Period | None:
    """`_parse_period`, kept within the years the office works in (bot/domain/bounds.py):
    a period from year 1 to 9999 is not one, and would overflow the dates computed from it."""
    period = _parse_period(text, today=today, week_ends_on=week_ends_on)
    if period is None or not (date_in_bounds(period.start) and date_in_bounds(period.end)):
        return None
    return period


def _parse_period(text: str, *, today: date, week_ends_on: int = 4) -> Period | None:
    """Read what an official types after /tonghop; None when it is not a period.

    `tuan`/`tuần` is the reporting week holding `today`; `thang`, `quy`, `6thang`, `nam` the
    month, quarter, half-year or year holding it, or a given one (`thang 3/2025`, `quy II`,
    `6thang cuoi`, `nam 2024`); `dd/mm/yyyy-dd/mm/yyyy` two dates, both included.
    """
    folded = fold(text).strip()
    if not folded:
        return None
    match = _RANGE.match(folded)
    if match:
        return _parse_range(match.groups())
    match = _NUMBERED.match(folded)
    if not match:
        return None
    word = re.sub(r"\s+", "", match[1])
    rest = (match[2] or "").strip()
    if word in {"tuan", "week"}:
        return week(today, week_ends_on=week_ends_on) if not rest else None
    if word in {"nam", "year"}:
        return _parse_year(rest, today)
    if word == "6thang":
        return _parse_half(rest, today)
    if word in {"quy", "quarter"}:
        return _parse_numbered(rest, today, (today.month - 1) // 3 + 1, 4, quarter)
    return _parse_numbered(rest, today, today.month, 12, month)


def backwards_range(text: str) -> tuple[date, date] | None:
    """(start, end) when `text` is two valid dates with the later one first: not a period, but
    worth saying so rather than "not understood"."""
    match = _RANGE.match(fold(text).strip())
    if match is None:
        return None
    groups = match.groups()
    try:
        start = date(int(groups[2] or 0), int(groups[1] or 0), int(groups[0] or 0))
        end = date(int(groups[5] or 0), int(groups[4] or 0), int(groups[3] or 0))
    except ValueError:
        return None
    return (start, end) if start > end else None


def _parse_range(groups: tuple[str | None, ...]) -> Period | None:
    try:
        start = date(int(groups[2] or 0), int(groups[1] or 0), int(groups[0] or 0))
        end = date(int(groups[5] or 0), int(groups[4] or 0), int(groups[3] or 0))
    except ValueError:
        return None
    return date_range(start, end) if start <= end else None


def _parse_year(rest: str, today: date) -> Period | None:
    if not rest:
        return year(today.year)
    return year(int(rest)) if re.fullmatch(r"\d{4}", rest) and int(rest) >= 1 else None


def _parse_half(rest: str, today: date) -> Period | None:
    current = 1 if today.month <= 6 else 2
    if not rest:
        return half_year(today.year, current)
    parts = rest.replace("nam", " ").split()
    number = _HALF_WORDS.get(parts[0]) if parts else None
    if number is None or len(parts) > 2:
        return None
    if len(parts) == 2:
        if not re.fullmatch(r"\d{4}", parts[1]):
            return None
        return half_year(int(parts[1]), number)
    return half_year(today.year, number)


def _parse_numbered(
    rest: str, today: date, current: int, maximum: int, make: Callable[[int, int], Period]
) -> Period | None:
    if not rest:
        return make(today.year, current)
    head, _, tail = rest.partition("/")
    if head.strip() in _ROMAN_NUMBERS and maximum == 4:
        rest = f"{_ROMAN_NUMBERS[head.strip()]}{'/' + tail if tail else ''}"
    match = _NUMBER_YEAR.match(rest)
    if not match:
        return None
    number = int(match[1])
    the_year = int(match[2]) if match[2] else today.year
    if not 1 <= number <= maximum or the_year < 1:
        return None
    return make(the_year, number)
