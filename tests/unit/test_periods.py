"""Periods typed after /tonghop: the week, month, quarter, half-year, year, or two dates."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.periods import Period, PeriodKind, backwards_range, date_range, parse_period, week

TODAY = date(2025, 3, 12)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "start", "end", "kind", "label"),
    [
        (
            "tuan",
            date(2025, 3, 8),
            date(2025, 3, 14),
            PeriodKind.WEEK,
            "Tuần 08/03/2025 - 14/03/2025",
        ),
        (
            "tuần",
            date(2025, 3, 8),
            date(2025, 3, 14),
            PeriodKind.WEEK,
            "Tuần 08/03/2025 - 14/03/2025",
        ),
        (
            "  TUẦN ",
            date(2025, 3, 8),
            date(2025, 3, 14),
            PeriodKind.WEEK,
            "Tuần 08/03/2025 - 14/03/2025",
        ),
        ("thang", date(2025, 3, 1), date(2025, 3, 31), PeriodKind.MONTH, "Tháng 03/2025"),
        ("tháng 2/2024", date(2024, 2, 1), date(2024, 2, 29), PeriodKind.MONTH, "Tháng 02/2024"),
        ("thang 12", date(2025, 12, 1), date(2025, 12, 31), PeriodKind.MONTH, "Tháng 12/2025"),
        ("quy", date(2025, 1, 1), date(2025, 3, 31), PeriodKind.QUARTER, "Quý I/2025"),
        ("quý II", date(2025, 4, 1), date(2025, 6, 30), PeriodKind.QUARTER, "Quý II/2025"),
        ("quy 4/2024", date(2024, 10, 1), date(2024, 12, 31), PeriodKind.QUARTER, "Quý IV/2024"),
        (
            "6thang",
            date(2025, 1, 1),
            date(2025, 6, 30),
            PeriodKind.HALF_YEAR,
            "6 tháng đầu năm 2025",
        ),
        (
            "6 tháng cuối",
            date(2025, 7, 1),
            date(2025, 12, 31),
            PeriodKind.HALF_YEAR,
            "6 tháng cuối năm 2025",
        ),
        (
            "6thang dau 2024",
            date(2024, 1, 1),
            date(2024, 6, 30),
            PeriodKind.HALF_YEAR,
            "6 tháng đầu năm 2024",
        ),
        ("nam", date(2025, 1, 1), date(2025, 12, 31), PeriodKind.YEAR, "Năm 2025"),
        ("năm 2024", date(2024, 1, 1), date(2024, 12, 31), PeriodKind.YEAR, "Năm 2024"),
        (
            "01/03/2025-15/03/2025",
            date(2025, 3, 1),
            date(2025, 3, 15),
            PeriodKind.RANGE,
            "Từ 01/03/2025 đến 15/03/2025",
        ),
        (
            "1/3/2025 – 15/3/2025",
            date(2025, 3, 1),
            date(2025, 3, 15),
            PeriodKind.RANGE,
            "Từ 01/03/2025 đến 15/03/2025",
        ),
        (
            "từ 1.3.2025 đến 1.3.2025",
            date(2025, 3, 1),
            date(2025, 3, 1),
            PeriodKind.RANGE,
            "Từ 01/03/2025 đến 01/03/2025",
        ),
    ],
)
def test_parse_period(text: str, start: date, end: date, kind: PeriodKind, label: str) -> None:
    assert parse_period(text, today=TODAY) == Period(start, end, label, kind)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "thang 13",
        "thang 0",
        "quy 5",
        "quy V",
        "nam 24",
        "6thang giua",
        "tuan 3",
        "15/03/2025-01/03/2025",
        "31/02/2025-01/03/2025",
        "01/03/2025",
        "01/03/2025-",
    ],
)
def test_not_a_period(text: str) -> None:
    assert parse_period(text, today=TODAY) is None


def test_the_second_half_of_the_year_is_the_default_after_june() -> None:
    period = parse_period("6thang", today=date(2025, 7, 1))
    assert period is not None and (period.start, period.end) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
    )


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2025, 3, 14), date(2025, 3, 8), date(2025, 3, 14)),  # Friday: the week ends today
        (date(2025, 3, 15), date(2025, 3, 15), date(2025, 3, 21)),  # Saturday: a new week
        (date(2024, 12, 30), date(2024, 12, 28), date(2025, 1, 3)),  # across the new year
    ],
)
def test_the_week_follows_the_weekly_summary(today: date, start: date, end: date) -> None:
    period = week(today)
    assert (period.start, period.end) == (start, end) and today in period


def test_the_week_can_end_on_another_day() -> None:
    period = parse_period("tuan", today=TODAY, week_ends_on=6)  # weeks ending on Sunday
    assert period is not None and (period.start, period.end) == (
        date(2025, 3, 10),
        date(2025, 3, 16),
    )


def test_a_period_never_ends_before_it_starts() -> None:
    with pytest.raises(ValueError):
        date_range(date(2025, 3, 2), date(2025, 3, 1))
    assert date(2025, 3, 1) in date_range(date(2025, 3, 1), date(2025, 3, 1))
    assert "2025-03-01" not in date_range(date(2025, 3, 1), date(2025, 3, 1))


def test_a_backwards_range_is_recognised_to_be_explained() -> None:
    assert backwards_range("31/01/2020-01/01/2020") == (date(2020, 1, 31), date(2020, 1, 1))
    assert backwards_range("từ 31/01/2020 đến 01/01/2020") == (date(2020, 1, 31), date(2020, 1, 1))
    assert backwards_range("01/01/2020-31/01/2020") is None  # a period, not backwards
    assert backwards_range("31/02/2020-01/01/2020") is None  # not a date at all
    assert backwards_range("thang 3") is None
