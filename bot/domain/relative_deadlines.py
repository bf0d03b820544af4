"""Deadlines a notice states by a rule rather than a date, computed from the notice's own date.

"trong 30 ngày làm việc kể từ ngày ban hành", "không quá 2 tháng kể từ ngày ký", "trước Tết
Nguyên đán", "trong tuần đầu tháng 11/2025", "trước ngày 25 hằng tháng", "trước ngày 15/12
hằng năm": each is turned into the day reminders count against, and keeps its rule in words
("30 ngày làm việc kể từ ngày 20/10/2025") so the preview shows how the date was reached.

A period counted from an event the notice cannot date ("kể từ ngày nhận đủ hồ sơ") is not a
deadline of the task and gives none. Working days come from the calendar the caller passes
(the office's: public holidays, Tết, make-up Saturdays); without one, Monday to Friday are
counted and the result says so. Tết's date is computed (bot/domain/lunar.py). No clock: the
notice date is the only "today" here. Pure, standard library only.

``find_relative`` works on the accent-free lower-case form that bot/domain/deadlines.py
matches on, and returns candidates with their spans; deadlines.py scores them with the rest.
"""

from __future__ import annotations

import calendar as month_calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from bot.domain.lunar import can_chi, lunar_new_year, year_of_can_chi

__all__ = ["CALENDAR_MISSING", "RelativeCandidate", "WorkingDays", "find_relative"]

CALENDAR_MISSING = "Chưa trừ ngày nghỉ lễ khi tính ngày làm việc"


class WorkingDays(Protocol):
    """What a working-day calendar must answer (bot.domain.calendar.WorkCalendar does)."""

    def add_working_days(self, d: date, n: int) -> date: ...


@dataclass(frozen=True, slots=True)
class RelativeCandidate:
    """A deadline phrase found by rule: its span in the text, base score, window and rule."""

    start_pos: int
    end_pos: int
    score: int
    kind: str  # a DeadlineKind value
    start: date
    end: date
    rule: str
    problem: str | None = None


class _Weekdays:
    """Monday to Friday, when the caller gave no calendar (public holidays are not known)."""

    def add_working_days(self, d: date, n: int) -> date:
        step = timedelta(days=1 if n > 0 else -1)
        for _ in range(abs(n)):
            d += step
            while d.weekday() >= 5:
                d += step
        return d


# "trong 30 ngày làm việc", "không quá 2 tháng kể từ ngày ban hành", "trong vòng 15 ngày"
_SPAN = re.compile(
    r"\b(?P<pre>trong(?:\s+vong|\s+thoi\s+han|\s+thoi\s+gian)?|khong\s+qua|toi\s+da"
    r"|cham\s+nhat(?:\s+la)?(?:\s+sau)?|han)\s+(?P<n>\d{1,3})\s+(?P<unit>ngay\s+lam\s+viec"
    r"|ngay|tuan|thang)\b(?P<after>[^.;:()]{0,80})"
)
_ANCHOR = re.compile(r"^\s*,?\s*(?:ke\s+tu|tinh\s+tu|sau)\s+(?:ngay\s+)?(?P<what>.*)$")
_ISSUE_ANCHOR = re.compile(
    r"^(?:ky|ban\s+hanh|(?:van\s+ban|thong\s+bao|chi\s+thi|ke\s+hoach|quyet\s+dinh|cong\s+van"
    r"|cong\s+dien)\s+nay)\b"
)
_DATE_ANCHOR = re.compile(
    r"^(?P<d>\d{1,2})\s*(?:[/.-]|\s+thang\s+)\s*(?P<m>\d{1,2})\s*(?:[/.-]|,?\s*nam\s+)\s*(?P<y>\d{4})"
)
_EVENT_AFTER = re.compile(r"^\s*,?\s*(?:sau\s+khi|ke\s+tu\s+khi|khi)\b")
# "trong 6 tháng đầu năm 2021", "3 tháng cuối năm", "30 ngày qua": a period, not a count.
_PERIOD_AFTER = re.compile(r"^\s*(?:dau|cuoi|qua|vua\s+qua|nam\s+\d|cua\s+nam)\b")
_COMPLETION = re.compile(
    r"\b(?:hoan\s+thanh|xong|trinh|bao\s+cao|gui|nop|ban\s+hanh|tham\s+muu|de\s+xuat)\b"
)
_CYCLE = (
    r"(?:giap|at|binh|dinh|mau|ky|canh|tan|nham|quy)\s+"
    r"(?:ty|suu|dan|mao|meo|thin|ti|ngo|mui|than|dau|tuat|hoi)"
)
# "trước Tết Nguyên đán (Bính Ngọ) (2026)", "trước Tết Dương lịch"
_TET = re.compile(
    r"\b(?:truoc|cham\s+nhat(?:\s+la)?(?:\s+truoc)?|den\s+truoc)\s+(?:dip\s+)?tet"
    r"(?P<solar>\s+duong\s+lich)?(?:\s+(?:nguyen\s+dan|am\s+lich|co\s+truyen))?"
    rf"(?:\s+(?:xuan\s+)?(?P<cycle>{_CYCLE}))?(?:\s+(?:nam\s+)?(?P<y>\d{{4}}))?(?![\d/])"
)
# "(trong) tuần đầu tháng 11/2025", "tuần cuối tháng 12"
_WEEK = re.compile(
    r"\b(?:(?P<pre>trong|vao|truoc)\s+)?tuan\s+(?P<which>dau|cuoi|thu\s+(?:nhat|hai|ba|tu|[1-4]))"
    r"\s+(?:cua\s+)?thang\s+(?P<m>\d{1,2})(?:\s*(?:/|-|,?\s*nam)\s*(?P<y>\d{4}))?(?![\d/])"
)
_WEEK_NUMBER = {"dau": 1, "thu nhat": 1, "thu hai": 2, "thu ba": 3, "thu tu": 4}
_WEEK_LABEL = {
    "dau": "đầu",
    "cuoi": "cuối",
    "thu nhat": "thứ nhất",
    "thu hai": "thứ hai",
    "thu ba": "thứ ba",
    "thu tu": "thứ tư",
}
# "trước ngày 25 hằng tháng"; "trước ngày 15/12 hằng năm"
_MONTHLY = re.compile(
    r"\b(?:(?P<pre>truoc|cham\s+nhat(?:\s+la)?|vao|den)\s+)?ngay\s+(?P<d>\d{1,2})\s+(?:cua\s+)?"
    r"hang\s+thang\b"
)
_YEARLY = re.compile(
    r"\b(?:(?P<pre>truoc|cham\s+nhat(?:\s+la)?|vao|den)\s+)?(?:ngay\s+)?(?P<d>\d{1,2})"
    r"\s*(?:[/.-]|\s+thang\s+)\s*(?P<m>\d{1,2})\s+(?:cua\s+)?hang\s+nam\b"
)


def _dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def find_relative(
    folded: str, notice_date: date | None, calendar: WorkingDays | None
) -> list[RelativeCandidate]:
    """Every rule-based deadline phrase in ``folded`` (accent-free, lower case, one line)."""
    found: list[RelativeCandidate] = []
    for finder in (_spans, _tet, _weeks, _monthly, _yearly):
        found.extend(finder(folded, notice_date, calendar))
    return found


def _spans(
    folded: str, notice_date: date | None, calendar: WorkingDays | None
) -> list[RelativeCandidate]:
    out: list[RelativeCandidate] = []
    for match in _SPAN.finditer(folded):
        after = match.group("after")
        if _EVENT_AFTER.match(after):
            continue  # "trong 5 ngày sau khi nhận được": counted from an unknown day
        if _PERIOD_AFTER.match(after):
            continue
        anchor_match = _ANCHOR.match(after)
        end_pos = match.start("after")
        if anchor_match is None:
            origin, said = notice_date, "ngày ban hành"
            pre = match.group("pre")
            window = folded[max(0, match.start() - 60) : match.start()]
            if pre.startswith("trong") and not _COMPLETION.search(window):
                continue  # "tổ chức trong 30 ngày" is a duration, not a deadline
        else:
            what = anchor_match.group("what")
            dated = _DATE_ANCHOR.match(what)
            if _ISSUE_ANCHOR.match(what):
                origin = notice_date
                said = "ngày ký" if what.startswith("ky") else "ngày ban hành"
                end_pos = (
                    match.start("after")
                    + anchor_match.start("what")
                    + len(
                        _ISSUE_ANCHOR.match(what).group()  # type: ignore[union-attr]
                    )
                )
            elif dated:
                try:
                    origin = date(int(dated["y"]), int(dated["m"]), int(dated["d"]))
                except ValueError:
                    continue
                said = "ngày"
                end_pos = match.start("after") + anchor_match.start("what") + dated.end()
            else:
                continue  # "kể từ ngày nhận đủ hồ sơ": an event the notice cannot date
        if origin is None:
            continue
        count, unit = int(match.group("n")), " ".join(match.group("unit").split())
        problem = None
        if unit == "ngay lam viec":
            days = calendar if calendar is not None else _Weekdays()
            if calendar is None:
                problem = f"{CALENDAR_MISSING} (không có lịch làm việc)"
            end = days.add_working_days(origin, count)
            words = f"{count} ngày làm việc"
        elif unit == "ngay":
            end, words = origin + timedelta(days=count), f"{count} ngày"
        elif unit == "tuan":
            end, words = origin + timedelta(weeks=count), f"{count} tuần"
        else:
            end, words = _add_months(origin, count), f"{count} tháng"
        rule = f"{words} kể từ {said} {_dmy(origin)}"
        out.append(RelativeCandidate(match.start(), end_pos, 9, "date", end, end, rule, problem))
    return out


def _tet(
    folded: str, notice_date: date | None, calendar: WorkingDays | None
) -> list[RelativeCandidate]:
    out: list[RelativeCandidate] = []
    for match in _TET.finditer(folded):
        explicit = int(match["y"]) if match["y"] else None
        if match["solar"]:
            year = explicit or (notice_date.year + 1 if notice_date else None)
            if year is None:
                continue
            end = date(year - 1, 12, 31)
            rule = f"trước Tết Dương lịch ({_dmy(date(year, 1, 1))})"
        else:
            year = explicit
            if year is None and notice_date is not None:
                year = _next_tet_year(notice_date, match["cycle"])
            if year is None:
                continue
            tet = lunar_new_year(year)
            end = tet - timedelta(days=1)
            rule = f"trước Tết Nguyên đán {can_chi(year).title()} ({_dmy(tet)})"
        out.append(RelativeCandidate(match.start(), match.end(), 10, "date", end, end, rule))
    return out


def _next_tet_year(notice_date: date, cycle: str | None) -> int | None:
    """The year of the first Tết after the notice (of the named cycle year, when one is named)."""
    year = (
        notice_date.year if lunar_new_year(notice_date.year) > notice_date else notice_date.year + 1
    )
    if cycle is None:
        return year
    return year_of_can_chi(cycle, not_before=year)


def _weeks(
    folded: str, notice_date: date | None, calendar: WorkingDays | None
) -> list[RelativeCandidate]:
    out: list[RelativeCandidate] = []
    for match in _WEEK.finditer(folded):
        month = int(match["m"])
        if not 1 <= month <= 12:
            continue
        if match["y"]:
            year = int(match["y"])
        elif notice_date is not None:
            year = notice_date.year + (1 if month < notice_date.month else 0)
        else:
            continue
        last_day = month_calendar.monthrange(year, month)[1]
        which = " ".join(match["which"].split())
        if which == "cuoi":
            first, last = date(year, month, last_day - 6), date(year, month, last_day)
        else:
            number = _WEEK_NUMBER.get(which) or int(which.split()[-1])
            first = date(year, month, 7 * (number - 1) + 1)
            last = first + timedelta(days=6)
        label = _WEEK_LABEL.get(which, which)
        rule = f"tuần {label} tháng {month:02d}/{year}: {first:%d/%m}–{_dmy(last)}"
        if match["pre"] == "truoc":
            day = first - timedelta(days=1)
            out.append(RelativeCandidate(match.start(), match.end(), 9, "date", day, day, rule))
            continue
        score = 7 if match["pre"] else 5
        out.append(RelativeCandidate(match.start(), match.end(), score, "range", first, last, rule))
    return out


def _monthly(
    folded: str, notice_date: date | None, calendar: WorkingDays | None
) -> list[RelativeCandidate]:
    out: list[RelativeCandidate] = []
    if notice_date is None:
        return out
    for match in _MONTHLY.finditer(folded):
        day = int(match["d"])
        if not 1 <= day <= 31:
            continue
        first = _clamped(notice_date.year, notice_date.month, day)
        if first < notice_date:
            nxt = _add_months(date(notice_date.year, notice_date.month, 1), 1)
            first = _clamped(nxt.year, nxt.month, day)
        rule = f"hằng tháng, lần đầu {_dmy(first)}"
        score = 10 if match["pre"] in ("truoc", "cham nhat", "cham nhat la") else 7
        out.append(RelativeCandidate(match.start(), match.end(), score, "date", first, first, rule))
    return out


def _yearly(
    folded: str, notice_date: date | None, calendar: WorkingDays | None
) -> list[RelativeCandidate]:
    out: list[RelativeCandidate] = []
    if notice_date is None:
        return out
    for match in _YEARLY.finditer(folded):
        try:
            first = date(notice_date.year, int(match["m"]), int(match["d"]))
            if first < notice_date:
                first = date(notice_date.year + 1, int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        rule = f"hằng năm, lần đầu {_dmy(first)}"
        score = 10 if match["pre"] in ("truoc", "cham nhat", "cham nhat la") else 7
        out.append(RelativeCandidate(match.start(), match.end(), score, "date", first, first, rule))
    return out


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, month_calendar.monthrange(year, month)[1]))
