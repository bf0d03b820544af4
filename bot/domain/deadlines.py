"""Find the deadline phrase inside one task's wording ("hoàn thành trước 31/03/2020").

A task sentence often holds several dates: a reference date ("thực trạng ... đến 31/12/2019"),
a period in a plan's name ("giai đoạn 2021-2025") and the real deadline ("trước ngày
15/01/2020"). Every date-like phrase becomes a *candidate* scored by the words around it; the
best one wins. Impossible dates are reported in ``problems`` and never guessed.

Matching runs on an accent-free, lower-case copy that is aligned character by character with
the cleaned text, so ``source_phrase`` is an exact substring of ``normalize_deadline_text(text)``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.relative_deadlines import WorkingDays, find_relative
from bot.domain.text import clean, fold_spaces, match_form
from bot.domain.types import Deadline, DeadlineKind

__all__ = [
    "DeadlineResult",
    "WorkingDays",
    "normalize_deadline_text",
    "parse_deadline",
    "parse_deadline_cell",
]

MIN_YEAR = 1990
MAX_YEAR = 2100


@dataclass(frozen=True, slots=True)
class DeadlineResult:
    """The chosen deadline plus the problems met on the way (shown to the office, in Vietnamese)."""

    deadline: Deadline
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Candidate:
    score: int
    start_pos: int
    end_pos: int
    kind: DeadlineKind
    start: date
    end: date
    rule: str | None = None


_Finder = Callable[[re.Match[str], str, "date | None"], "_Candidate | None"]


class _Invalid(ValueError):
    """A date phrase that names an impossible day; its message is the user-facing problem."""


# --- patterns (run on the accent-free lower-case form) -------------------------------------

_YEAR = r"(\d{4}|\d{2})"
_NUM_DATE = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s?([/.\-])\s?(\d{1,2})(?:\s?\2\s?" + _YEAR + r")?(?![\d])"
)
_LONG_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*(?:,\s*)?(?:nam|/)\s*(\d{4}))?(?!\d)"
)
_RANGE = re.compile(
    r"\btu\s+(?:ngay\s+)?(\d{1,2})(?:\s?[/.\-]\s?(\d{1,2})(?:\s?[/.\-]\s?" + _YEAR + r")?)?"
    r"\s*(?:-|–|—|\bden\b(?:\s+het)?|\btoi\b)\s*(?:ngay\s+)?"
    r"(\d{1,2})\s?[/.\-]\s?(\d{1,2})(?:\s?[/.\-]\s?" + _YEAR + r")?(?!\d)"
)
_LONG_RANGE = re.compile(
    r"\btu\s+(?:ngay\s+)?(\d{1,2})(?:\s+thang\s+(\d{1,2}))?\s*(?:-|–|den|toi)\s*(?:ngay\s+)?"
    r"(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*(?:nam|/)\s*(\d{4}))?(?!\d)"
)
_MONTH_RANGE = re.compile(
    r"\btu\s+thang\s+(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?\s*(?:-|–|den|toi)\s*(?:thang\s+)?"
    r"(\d{1,2})\s*(?:/|nam)\s*(\d{4})(?!\d)"
)
_PERIOD_PRE = (
    r"(?:(?P<pre>xong\s+trong|hoan\s+thanh\s+trong|trong(?:\s+thoi\s+gian)?|truoc|cuoi|het"
    r"|(?:thoi\s+)?han(?:\s+chot|\s+hoan\s+thanh)?\s*:?|thoi\s+gian(?:\s+thuc\s+hien|\s+hoan\s+thanh)?\s*:)\s*)?"
)
_MONTH = re.compile(
    r"\b"
    + _PERIOD_PRE
    + r"\bthang\s+(?P<m>\d{1,2})(?:\s*(?:/|-|,?\s*nam)\s*(?P<y>\d{4}))?(?![\d/])"
)
_QUARTER = re.compile(
    r"\b"
    + _PERIOD_PRE
    + r"\bquy\s+(?P<q>iv|i{1,3}|[1-4])\b(?:\s*(?:/|-|,?\s*nam)\s*(?P<y>\d{4}))?(?!\d)"
)
_HALF = re.compile(
    r"\b(?:(?P<pre>trong|truoc|het)\s+)?(?:6|sau)\s+thang\s+(?P<h>dau|cuoi)\s+(?:nam\s*)?(?P<y>\d{4})(?!\d)"
    r"|\b(?:(?P<pre2>trong|truoc|het)\s+)?nua\s+(?P<h2>dau|cuoi)\s+nam\s*(?P<y2>\d{4})(?!\d)"
)
_YEAR_PHRASE = re.compile(r"\b(?P<pre>trong|cuoi|het|truoc|trong\s+ca)\s+nam\s+(?P<y>\d{4})(?!\d)")

_STRONG = re.compile(
    r"(?:\btruoc(?:\s+han)?|\bcham\s+nhat(?:\s+la)?(?:\s+vao|\s+trong)?|\b(?:thoi\s+)?han(?:\s+chot|\s+cuoi)?"
    r"(?:\s+hoan\s+thanh|\s+thuc\s+hien|\s+bao\s+cao|\s+nop|\s+gui)?\s*:?"
    r"|\bthoi\s+gian(?:\s+thuc\s+hien|\s+hoan\s+thanh)?\s*:|\bxong\s+truoc|\btu\s+nay\s+den(?:\s+het)?"
    r"|\bden\s+het|\bden\s+truoc)\s*(?:ngay\s*)?[(*\s]*$"
)
_ON_DAY = re.compile(r"\b(?:trong|vao)\s+ngay\s*$")
_UNTIL = re.compile(r"\b(?:den|toi)\s*(?:ngay\s*)?$")
_BARE_DAY = re.compile(r"\bngay\s*$")
_COMPLETION = re.compile(
    r"\b(?:hoan\s+thanh|xong|trinh|bao\s+cao|ra\s+mat|to\s+chuc|ban\s+hanh|gui|nop|giai\s+ngan"
    r"|di\s+vao\s+hoat\s+dong|phe\s+duyet|ket\s+thuc|khanh\s+thanh|dua\s+vao\s+su\s+dung)\b"
)
_AIM_BEFORE = re.compile(r"\b(?:phan\s+dau|hoan\s+thanh|xong|ket\s+thuc)\b[^,.;:()]{0,40}$")
_DONE_AFTER = re.compile(r"^\s*(?:phai\s+|se\s+|de\s+)?(?:hoan\s+thanh|xong|ket\s+thuc)\b")
_PERIODIC = re.compile(
    r"\b(?:thuong\s+xuyen|hang\s+(?:nam|thang|quy|tuan|ngay)|dinh\s+ky|lien\s+tuc|khong\s+thoi\s+han)\b"
)
_ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def normalize_deadline_text(text: str) -> str:
    """The text form ``source_phrase`` is quoted from: NFC, no zero-width chars, spaces folded."""
    return fold_spaces(clean(text))


def parse_deadline(
    text: str, *, notice_date: date | None = None, calendar: WorkingDays | None = None
) -> DeadlineResult:
    """Find the best deadline phrase in a task's text; NONE when there is none.

    ``notice_date`` supplies the year of dates written without one ("trước 15/01"); such a
    date rolls to the next year when it would fall before the notice itself. It is also the
    day rules count from ("trong 30 ngày làm việc", bot/domain/relative_deadlines.py), on
    ``calendar``'s working days (Monday to Friday when none is given, said in ``problems``).
    """
    try:
        return _parse(text if isinstance(text, str) else "", notice_date, calendar)
    except (ValueError, OverflowError, IndexError):  # defensive: a parser must never crash
        return DeadlineResult(Deadline.none())


def _parse(text: str, notice_date: date | None, calendar: WorkingDays | None) -> DeadlineResult:
    cleaned = normalize_deadline_text(text)
    folded = match_form(cleaned, accentless=True)
    problems: list[str] = []
    candidates = _collect(cleaned, folded, notice_date, problems, calendar)
    if not candidates:
        periodic = _PERIODIC.search(folded)
        phrase = cleaned[periodic.start() : periodic.end()] if periodic else None
        return DeadlineResult(Deadline.none(phrase), tuple(problems))
    best = max(candidates, key=lambda c: (c.score, -c.start_pos))
    phrase = cleaned[best.start_pos : best.end_pos].strip(" (*,")
    deadline = Deadline(best.kind, best.start, best.end, phrase, best.rule)
    return DeadlineResult(deadline, tuple(problems))


def _collect(
    cleaned: str,
    folded: str,
    notice_date: date | None,
    problems: list[str],
    calendar: WorkingDays | None = None,
) -> list[_Candidate]:
    """Every plausible deadline phrase, each scored; invalid dates go to ``problems``.

    Rules ("trong 30 ngày làm việc kể từ ngày ký 12/8/2025") are read first: the dates inside
    them belong to the rule, not to a deadline of their own."""
    taken = bytearray(len(folded) + 1)  # positions already claimed by an earlier finder
    found: list[_Candidate] = []
    for rel in sorted(find_relative(folded, notice_date, calendar), key=lambda r: r.start_pos):
        if any(taken[rel.start_pos : rel.end_pos]):
            continue
        taken[rel.start_pos : rel.end_pos] = b"\x01" * (rel.end_pos - rel.start_pos)
        score = rel.score + _completion_bonus(folded, rel.start_pos)
        kind = DeadlineKind(rel.kind)
        found.append(
            _Candidate(score, rel.start_pos, rel.end_pos, kind, rel.start, rel.end, rel.rule)
        )
        if rel.problem and rel.problem not in problems:
            problems.append(rel.problem)
    for pattern, finder in _finders():
        for match in pattern.finditer(folded):
            if any(taken[match.start() : match.end()]):
                continue
            taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
            try:
                cand = finder(match, folded, notice_date)
            except _Invalid as exc:
                if _is_triggered(folded, match.start()):
                    problems.append(f"{exc}: {cleaned[match.start() : match.end()].strip()}")
                continue
            if cand is not None:
                found.append(cand)
    return found


def _finders() -> tuple[tuple[re.Pattern[str], _Finder], ...]:
    """Finders in priority order: a range is claimed before its two dates are seen alone."""
    return (
        (_RANGE, _ranges),
        (_LONG_RANGE, _long_ranges),
        (_MONTH_RANGE, _month_ranges),
        (_LONG_DATE, _long_dates),
        (_NUM_DATE, _numeric_dates),
        (_MONTH, _months),
        (_QUARTER, _quarters),
        (_HALF, _halves),
        (_YEAR_PHRASE, _years),
    )


def _is_triggered(folded: str, pos: int) -> bool:
    """Whether a date is introduced like a deadline (only then is its invalidity reported)."""
    window = folded[max(0, pos - 40) : pos]
    return bool(_STRONG.search(window) or _ON_DAY.search(window) or _UNTIL.search(window))


# --- date arithmetic --------------------------------------------------------------------------


def _year(raw: str | None, notice_date: date | None) -> int | None:
    if raw is None:
        return None
    value = int(raw)
    if len(raw) == 2:
        value += 2000
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise _Invalid("Năm không hợp lệ")
    return value


def _make_date(day: int, month: int, year: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _Invalid("Ngày không hợp lệ") from exc


def _resolve(day: int, month: int, year: int | None, notice_date: date | None) -> date:
    """A concrete date; a missing year comes from the notice date, rolling forward if needed."""
    if year is not None:
        return _make_date(day, month, year)
    if notice_date is None:
        raise _Invalid("Không xác định được năm của thời hạn")
    if not 1 <= month <= 12:
        raise _Invalid("Ngày không hợp lệ")
    if month == 2 and day == 29:
        try:
            candidate = date(notice_date.year, 2, 29)
        except ValueError:
            candidate = _make_date(29, 2, notice_date.year + 1)
    else:
        candidate = _make_date(day, month, notice_date.year)
    if candidate < notice_date:
        candidate = _make_date(day, month, notice_date.year + 1)
    return candidate


def _month_bounds(month: int, year: int) -> tuple[date, date]:
    if not 1 <= month <= 12:
        raise _Invalid("Tháng không hợp lệ")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _period_year(raw: str | None, notice_date: date | None) -> int:
    year = _year(raw, notice_date)
    if year is not None:
        return year
    if notice_date is None:
        raise _Invalid("Không xác định được năm của thời hạn")
    return notice_date.year


# --- scoring ----------------------------------------------------------------------------------


def _completion_bonus(folded: str, pos: int) -> int:
    """+2 when a completion verb (hoàn thành, trình, báo cáo...) leads up to the phrase."""
    window = folded[max(0, pos - 45) : pos]
    cut = max(window.rfind("."), window.rfind(";"))
    return 2 if _COMPLETION.search(window[cut + 1 :]) else 0


def _date_score(folded: str, start: int, end: int) -> tuple[int, int] | None:
    """Score of a single date from the words before it, and where its phrase starts."""
    window_start = max(0, start - 45)
    window = folded[window_start:start]
    for pattern, score in ((_STRONG, 10), (_ON_DAY, 7)):
        hit = pattern.search(window)
        if hit:
            return score, window_start + hit.start()
    hit = _UNTIL.search(window)
    if hit:
        before = folded[max(0, window_start + hit.start() - 50) : window_start + hit.start()]
        if _AIM_BEFORE.search(before) or _DONE_AFTER.search(folded[end : end + 30]):
            return 6, window_start + hit.start()
        return None
    hit = _BARE_DAY.search(window)
    if hit and _completion_bonus(folded, window_start + hit.start()):
        return 3, window_start + hit.start()
    return None


def _period_score(folded: str, match: re.Match[str], pre: str | None) -> int | None:
    """Score of a month/quarter/half-year/year phrase from its leading word."""
    if pre is None:
        bonus = _completion_bonus(folded, match.start())
        if bonus or _DONE_AFTER.search(folded[match.end() : match.end() + 30]):
            return 5 + bonus
        return None
    pre = pre.strip()
    if pre.startswith(("truoc", "han", "thoi")):
        return 9
    return 7 + _completion_bonus(folded, match.start())


def _roll_period(
    first: date, last: date, raw_year: str | None, nd: date | None
) -> tuple[date, date]:
    """A month or quarter written without a year that already ended rolls to the next year."""
    if raw_year is None and nd is not None and last < nd:
        return first.replace(year=first.year + 1), last.replace(
            year=last.year + 1, day=calendar.monthrange(last.year + 1, last.month)[1]
        )
    return first, last


# --- finders: each returns a candidate for one regex match -----------------------------------


def _ranges(m: re.Match[str], folded: str, nd: date | None) -> _Candidate | None:
    d1, m1, y1, d2, m2, y2 = m.groups()
    end = _resolve(int(d2), int(m2), _year(y2, nd), nd)
    start_month = int(m1) if m1 else end.month
    start_year = _year(y1, nd) or (end.year if start_month <= end.month else end.year - 1)
    start = _make_date(int(d1), start_month, start_year)
    if start > end:
        raise _Invalid("Khoảng thời gian không hợp lệ")
    return _Candidate(
        8 + _completion_bonus(folded, m.start()), m.start(), m.end(), DeadlineKind.RANGE, start, end
    )


def _long_ranges(m: re.Match[str], folded: str, nd: date | None) -> _Candidate | None:
    d1, m1, d2, m2, y2 = m.groups()
    end = _resolve(int(d2), int(m2), _year(y2, nd), nd)
    start_month = int(m1) if m1 else end.month
    start_year = end.year if start_month <= end.month else end.year - 1
    start = _make_date(int(d1), start_month, start_year)
    if start > end:
        raise _Invalid("Khoảng thời gian không hợp lệ")
    return _Candidate(8, m.start(), m.end(), DeadlineKind.RANGE, start, end)


def _month_ranges(m: re.Match[str], folded: str, nd: date | None) -> _Candidate | None:
    m1, y1, m2, y2 = m.groups()
    end_year = _period_year(y2, nd)
    _, end = _month_bounds(int(m2), end_year)
    start_year = _year(y1, nd) or (end_year if int(m1) <= int(m2) else end_year - 1)
    start, _ = _month_bounds(int(m1), start_year)
    if start > end:
        raise _Invalid("Khoảng thời gian không hợp lệ")
    return _Candidate(8, m.start(), m.end(), DeadlineKind.RANGE, start, end)


def _single_date(m: re.Match[str], folded: str, day: date) -> _Candidate | None:
    scored = _date_score(folded, m.start(), m.end())
    if scored is None:
        return None
    score, phrase_start = scored
    if score >= 6:
        score += _completion_bonus(folded, phrase_start)
    return _Candidate(score, phrase_start, m.end(), DeadlineKind.DATE, day, day)


def _long_dates(m: re.Match[str], folded: str, nd: date | None) -> _Candidate | None:
    if _date_score(folded, m.start(), m.end()) is None:
        return None
    d, mo, y = m.groups()
    return _single_date(m, folded, _resolve(int(d), int(mo), _year(y, nd), nd))


def _numeric_dates(m: re.Match[str], folded: str, nd: date | None) -> _Candidate | None:
    if _date_score(folded, m.start(), m.end()) is None:
        return None
    d, _sep, mo, y = m.groups()
    return _single_date(m, folded, _resolve(int(d), int(mo), _year(y, nd), nd))


def _months(m: re.Match[str], folded: str, nd: date | None) -> _Candidate | None:
    pre = m.group("pre")
    score = _period_score(folded, m, pre)
    if score is None:
        return None
    first, last = _month_bounds(int(m.group("m")), _period_year(m.group("y"), nd))
    first, last = _roll_period(first, last, m.group("y"), nd)
    if pre and pre.strip() == "truoc":
        day = first - timedelta(days=1)
        return _Candidate(score, m.start(), m.end(), DeadlineKind.DATE, day, day)
    if pre and pre.strip() in ("cuoi", "het"):
        return _Candidate(score, m.start(), m.end(), DeadlineKind.DATE, last, last)
    return _Candidate(score, m.start(), m.end(), DeadlineKind.MONTH, first, last)


def _quarters(m: re.Match[str], folded: str, nd: date | None) -> _Candidate | None:
    pre = m.group("pre")
    score = _period_score(folded, m, pre)
    if score is None:
        return None
    raw = m.group("q")
    quarter = _ROMAN_QUARTER.get(raw) or int(raw)
    year = _period_year(m.group("y"), nd)
    first = date(year, 3 * quarter - 2, 1)
    _, last = _month_bounds(3 * quarter, year)
    first, last = _roll_period(first, last, m.group("y"), nd)
    if pre and pre.strip() == "truoc":
        day = first - timedelta(days=1)
        return _Candidate(score, m.start(), m.end(), DeadlineKind.DATE, day, day)
    return _Candidate(score, m.start(), m.end(), DeadlineKind.QUARTER, first, last)


def _halves(m: re.Match[str], folded: str, nd: date | None) -> _Candidate | None:
    half = m.group("h") or m.group("h2")
    year = _period_year(m.group("y") or m.group("y2"), nd)
    if half == "dau":
        first, last = date(year, 1, 1), date(year, 6, 30)
    else:
        first, last = date(year, 7, 1), date(year, 12, 31)
    score = 6 + _completion_bonus(folded, m.start())
    return _Candidate(score, m.start(), m.end(), DeadlineKind.HALF_YEAR, first, last)


def _years(m: re.Match[str], folded: str, nd: date | None) -> _Candidate | None:
    pre = " ".join(m.group("pre").split())
    if pre == "truoc":  # "trước năm 2025" names a target, not a deadline
        return None
    year = _period_year(m.group("y"), nd)
    first, last = date(year, 1, 1), date(year, 12, 31)
    if pre in ("cuoi", "het"):
        return _Candidate(6, m.start(), m.end(), DeadlineKind.DATE, last, last)
    return _Candidate(
        4 + _completion_bonus(folded, m.start()), m.start(), m.end(), DeadlineKind.YEAR, first, last
    )


_BARE_YEARS = re.compile(
    r"^(?:(?:trong\s+|ca\s+)?nam\s+|giai\s+doan\s+|tu\s+(?:nam\s+)?)?(?P<first>\d{4})"
    r"(?:\s*(?:-|–|—|\bden\b)\s*(?:nam\s+)?(?P<last>\d{4}))?\s*\.?$"
)


def parse_deadline_cell(
    cell: str, *, notice_date: date | None = None, calendar: WorkingDays | None = None
) -> DeadlineResult:
    """A table's "Thời hạn" cell: the whole cell is the deadline, so a bare "31/3/2020" counts,
    and so do a bare year ("2023", "Năm 2023": the year) and a span ("2023 - 2025")."""
    cell = normalize_deadline_text(cell or "")
    years = _BARE_YEARS.match(match_form(cell, accentless=True))
    if (
        years
        and MIN_YEAR <= int(years["first"]) <= int(years["last"] or years["first"]) <= MAX_YEAR
    ):
        first, last = int(years["first"]), int(years["last"] or years["first"])
        kind = DeadlineKind.YEAR if first == last else DeadlineKind.RANGE
        return DeadlineResult(Deadline(kind, date(first, 1, 1), date(last, 12, 31), cell))
    direct = parse_deadline(cell, notice_date=notice_date, calendar=calendar)
    if direct.deadline.kind != DeadlineKind.NONE or not cell:
        return direct
    prefix = "Thời hạn: "
    wrapped = parse_deadline(prefix + cell, notice_date=notice_date, calendar=calendar)
    found = wrapped.deadline
    if found.kind == DeadlineKind.NONE:
        return DeadlineResult(direct.deadline, direct.problems + wrapped.problems)
    phrase = found.source_phrase or ""
    phrase = phrase[len(prefix) :] if phrase.startswith(prefix) else phrase
    deadline = Deadline(found.kind, found.start, found.end, phrase.strip() or cell, found.rule)
    return DeadlineResult(deadline, wrapped.problems)
