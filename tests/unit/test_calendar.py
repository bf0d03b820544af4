"""WorkCalendar against a hand-written Vietnamese holiday set for 2019–2020."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.calendar import WorkCalendar


def d(text: str) -> date:
    """dd/mm/yyyy, the way the office writes dates."""
    day, month, year = map(int, text.split("/"))
    return date(year, month, day)


def _span(first: str, last: str) -> set[date]:
    start, end = d(first), d(last)
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


# Public holidays as decreed (weekday ones matter; weekend ones are listed for realism).
HOLIDAYS = frozenset(
    {d("01/01/2019")}
    | _span("02/02/2019", "10/02/2019")  # Tết Kỷ Hợi (Lunar New Year 05/02/2019)
    | {d("15/04/2019")}  # Giỗ Tổ Hùng Vương fell on Sunday 14/04: compensated
    | {d("29/04/2019"), d("30/04/2019"), d("01/05/2019")}  # 29/04 bridged, made up on 04/05
    | {d("02/09/2019")}
    | {d("01/01/2020")}
    | _span("23/01/2020", "29/01/2020")  # Tết Canh Tý (Lunar New Year 25/01/2020)
    | {d("02/04/2020"), d("30/04/2020"), d("01/05/2020"), d("02/09/2020")}
)
MAKE_UP_SATURDAYS = frozenset({d("04/05/2019")})
VN = WorkCalendar(holidays=HOLIDAYS, extra_working_days=MAKE_UP_SATURDAYS)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("02/01/2020", True),  # Thursday
        ("04/01/2020", False),  # Saturday
        ("05/01/2020", False),  # Sunday
        ("01/01/2020", False),  # New Year
        ("23/01/2020", False),  # first day of Tết
        ("29/01/2020", False),  # last day of Tết
        ("30/01/2020", True),  # back to work
        ("02/04/2020", False),  # Hùng Kings
        ("30/04/2020", False),
        ("01/05/2020", False),
        ("02/09/2020", False),
        ("04/05/2019", True),  # make-up Saturday
        ("29/04/2019", False),  # the bridged Monday
    ],
)
def test_is_working_day(day: str, working: bool) -> None:
    assert VN.is_working_day(d(day)) is working


def test_extra_working_day_wins_over_a_holiday_listing() -> None:
    cal = WorkCalendar(holidays=frozenset({d("04/05/2019")}), extra_working_days=MAKE_UP_SATURDAYS)
    assert cal.is_working_day(d("04/05/2019"))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("02/01/2020", "02/01/2020"),  # already a working day
        ("01/01/2020", "31/12/2019"),  # New Year -> the last day of the old year
        ("25/01/2020", "22/01/2020"),  # Lunar New Year -> before Tết
        ("29/01/2020", "22/01/2020"),
        ("09/02/2020", "07/02/2020"),  # Sunday -> Friday
        ("01/05/2020", "29/04/2020"),  # 30/04 and 01/05 -> Wednesday
        ("05/05/2019", "04/05/2019"),  # Sunday -> make-up Saturday
    ],
)
def test_on_or_before_working_day(day: str, expected: str) -> None:
    assert VN.on_or_before_working_day(d(day)) == d(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("01/01/2020", "02/01/2020"),
        ("22/01/2020", "30/01/2020"),  # across Tết
        ("31/01/2020", "03/02/2020"),  # month end on a Friday
        ("31/12/2019", "02/01/2020"),  # year end into a holiday
        ("29/04/2020", "04/05/2020"),
        ("03/05/2019", "04/05/2019"),  # Friday -> make-up Saturday
    ],
)
def test_next_working_day(day: str, expected: str) -> None:
    assert VN.next_working_day(d(day)) == d(expected)


def test_on_or_after_working_day() -> None:
    assert VN.on_or_after_working_day(d("01/01/2020")) == d("02/01/2020")
    assert VN.on_or_after_working_day(d("01/02/2020")) == d("03/02/2020")
    assert VN.on_or_after_working_day(d("03/02/2020")) == d("03/02/2020")


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("10/02/2020", 0, "10/02/2020"),
        ("08/02/2020", 0, "08/02/2020"),  # n == 0 keeps even a day off
        ("10/02/2020", -1, "07/02/2020"),  # Monday deadline: the working day before is Friday
        ("10/02/2020", -3, "05/02/2020"),
        ("10/02/2020", -7, "30/01/2020"),
        ("05/02/2020", -7, "20/01/2020"),  # across Tết
        ("22/01/2020", 1, "30/01/2020"),
        ("07/02/2020", 10, "21/02/2020"),
        ("08/02/2020", 1, "10/02/2020"),  # from a Saturday
        ("31/12/2019", 1, "02/01/2020"),
        ("02/01/2020", -1, "31/12/2019"),
    ],
)
def test_add_working_days(start: str, n: int, expected: str) -> None:
    assert VN.add_working_days(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("07/02/2020", "07/02/2020", 0),
        ("07/02/2020", "08/02/2020", 0),  # Saturday after a Friday deadline: not yet late
        ("07/02/2020", "10/02/2020", 1),
        ("07/02/2020", "21/02/2020", 10),
        ("22/01/2020", "30/01/2020", 1),  # Tết counts for nothing
        ("20/01/2020", "05/02/2020", 7),
        ("10/02/2020", "07/02/2020", -1),
        ("31/12/2019", "02/01/2020", 1),
        ("03/05/2019", "06/05/2019", 2),  # make-up Saturday counts
    ],
)
def test_working_days_between(a: str, b: str, expected: int) -> None:
    assert VN.working_days_between(d(a), d(b)) == expected


def _brute(a: date, b: date) -> int:
    sign, lo, hi = (1, a, b) if a <= b else (-1, b, a)
    days = (lo + timedelta(days=i) for i in range(1, (hi - lo).days + 1))
    return sign * sum(VN.is_working_day(x) for x in days)


def test_year_2020_has_the_expected_number_of_working_days() -> None:
    # 262 weekdays in 2020, minus 1 (New Year) + 5 (Tết Thu–Wed) + 1 + 2 + 1 on weekdays.
    assert VN.working_days_between(d("31/12/2019"), d("31/12/2020")) == 262 - 10


@pytest.mark.parametrize("weekend", [frozenset({7}), frozenset(range(7))])
def test_invalid_weekend_is_rejected(weekend: frozenset[int]) -> None:
    with pytest.raises(ValueError):
        WorkCalendar(weekend=weekend)


def test_calendars_compare_by_their_inputs() -> None:
    assert WorkCalendar(holidays=HOLIDAYS) == WorkCalendar(holidays=HOLIDAYS)
    assert hash(WorkCalendar()) == hash(WorkCalendar())


DATES = st.dates(min_value=date(2018, 12, 1), max_value=date(2021, 1, 31))


@settings(max_examples=200, deadline=None)
@given(a=DATES, b=DATES)
def test_between_matches_brute_force_and_is_antisymmetric(a: date, b: date) -> None:
    assert VN.working_days_between(a, b) == _brute(a, b)
    assert VN.working_days_between(a, b) == -VN.working_days_between(b, a)


@settings(max_examples=200, deadline=None)
@given(a=DATES, n=st.integers(min_value=0, max_value=40))
def test_add_then_count_round_trips(a: date, n: int) -> None:
    later = VN.add_working_days(a, n)
    assert VN.working_days_between(a, later) == n
    if n > 0:
        assert VN.is_working_day(later)
    if VN.is_working_day(a):
        assert VN.add_working_days(later, -n) == a
