"""The filter of a /tonghop written into its 📊/📄 buttons (`rep:x|w[:n<id>][:a<id>][:p…]`).

The files a button sends must be the roll-up of exactly what the message above it shows, so
the notice, the agency and the period travel with the button. Each is an optional, tagged
field after the kind, so `rep:x` (the buttons sent before there was a filter, and the weekly
digest's) keeps its meaning: everything, this week. Pure: the handler resolves the notice id
against the database and re-checks permissions at press time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.bounds import MAX_ID, date_in_bounds
from bot.domain.periods import (
    Period,
    PeriodKind,
    date_range,
    half_year,
    month,
    quarter,
    week,
    year,
)

_KIND_CODES = {
    PeriodKind.WEEK: "w",
    PeriodKind.MONTH: "m",
    PeriodKind.QUARTER: "q",
    PeriodKind.HALF_YEAR: "h",
    PeriodKind.YEAR: "y",
    PeriodKind.RANGE: "r",
}
_CODE_KINDS = {code: kind for kind, code in _KIND_CODES.items()}
_ID = re.compile(r"[na](\d{1,12})")
_OVERDUE = re.compile(r"od(?:n(\d{1,12}))?(?:a(\d{1,12}))?")
_PERIOD = re.compile(r"p([wmqhyr])(\d{8})(\d{8})")


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """A roll-up's scope as a button carries it; all None: everything, the current week."""

    notice_id: int | None = None
    agency_id: int | None = None
    period: Period | None = None


def filter_args(f: ReportFilter) -> tuple[str, ...]:
    """The callback fields after the kind; none for the unfiltered roll-up."""
    args: list[str] = []
    if f.notice_id is not None:
        args.append(f"n{f.notice_id}")
    if f.agency_id is not None:
        args.append(f"a{f.agency_id}")
    if f.period is not None:
        p = f.period
        args.append(f"p{_KIND_CODES[p.kind]}{p.start:%Y%m%d}{p.end:%Y%m%d}")
    return tuple(args)


def parse_filter_args(args: tuple[str, ...]) -> ReportFilter | None:
    """The filter written by `filter_args`; None when a field is malformed or repeated (a
    forged or damaged button is refused, never widened to everything)."""
    notice_id: int | None = None
    agency_id: int | None = None
    period: Period | None = None
    seen: set[str] = set()
    for arg in args:
        tag = arg[:1]
        if tag in seen:
            return None
        seen.add(tag)
        if tag in ("n", "a"):
            match = _ID.fullmatch(arg)
            if match is None or int(match[1]) > MAX_ID:
                return None
            if tag == "n":
                notice_id = int(match[1])
            else:
                agency_id = int(match[1])
        elif tag == "p":
            period = _period(arg)
            if period is None:
                return None
        else:
            return None
    return ReportFilter(notice_id=notice_id, agency_id=agency_id, period=period)


def _period(arg: str) -> Period | None:
    """The period a `p<kind><start><end>` field names, labelled as /tonghop labelled it."""
    match = _PERIOD.fullmatch(arg)
    if match is None:
        return None
    try:
        start = date(int(match[2][:4]), int(match[2][4:6]), int(match[2][6:]))
        end = date(int(match[3][:4]), int(match[3][4:6]), int(match[3][6:]))
    except ValueError:
        return None
    if not (date_in_bounds(start) and date_in_bounds(end)) or end < start:
        return None
    kind = _CODE_KINDS[match[1]]
    made: Period
    if kind is PeriodKind.WEEK:
        made = week(start, week_ends_on=end.weekday())
    elif kind is PeriodKind.MONTH:
        made = month(start.year, start.month)
    elif kind is PeriodKind.QUARTER:
        made = quarter(start.year, (start.month - 1) // 3 + 1)
    elif kind is PeriodKind.HALF_YEAR:
        made = half_year(start.year, 1 if start.month <= 6 else 2)
    elif kind is PeriodKind.YEAR:
        made = year(start.year)
    else:
        made = date_range(start, end)
    return made if (made.start, made.end) == (start, end) else None


def overdue_token(f: ReportFilter) -> str:
    """The ⚠️ button's filter, one callback field: `od`, then `n<notice id>` and `a<agency
    id>` when the digest has them. No period: what is overdue is counted on the roll-up's day,
    whatever the period, so the list is what the digest's overdue figure counts."""
    token = "od"
    if f.notice_id is not None:
        token += f"n{f.notice_id}"
    if f.agency_id is not None:
        token += f"a{f.agency_id}"
    return token


def parse_overdue_token(token: str) -> ReportFilter | None:
    """The filter of an overdue-list token (`od`, `odn3`, `oda7`, `odn3a7`); None when the
    token is not one (a forged or damaged one is refused, never widened)."""
    match = _OVERDUE.fullmatch(token)
    if match is None:
        return None
    ids = [int(found) if found else None for found in (match[1], match[2])]
    if any(found is not None and found > MAX_ID for found in ids):
        return None
    return ReportFilter(notice_id=ids[0], agency_id=ids[1])


def is_overdue_token(token: str | None) -> bool:
    """Whether a task list's filter token lists overdue tasks only."""
    return token is not None and parse_overdue_token(token) is not None
