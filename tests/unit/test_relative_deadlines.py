"""Deadlines stated as rules: counted from the notice date on the working-day calendar, Tết,
weeks of a month, recurring days; and bare years in a table's deadline column."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from bot.domain.calendar import WorkCalendar
from bot.domain.deadlines import parse_deadline, parse_deadline_cell
from bot.domain.lunar import can_chi, lunar_new_year, year_of_can_chi
from bot.domain.types import DeadlineKind

D = DeadlineKind
# Vietnam's public holidays 2023-2027, as the service layer builds the office's calendar.
VN = WorkCalendar(holidays=frozenset(holidays.country_holidays("VN", years=range(2023, 2028))))


def test_lunar_new_year_matches_the_holidays_package_for_a_century() -> None:
    for year in range(1990, 2101):
        known = holidays.country_holidays("VN", years=year)
        tet = next(day for day, name in known.items() if name == "Lunar New Year")
        assert lunar_new_year(year) == tet, year


def test_year_names_of_the_sixty_year_cycle() -> None:
    assert (can_chi(2019), can_chi(2024), can_chi(2026)) == ("kỷ hợi", "giáp thìn", "bính ngọ")
    assert year_of_can_chi("Bính Ngọ", not_before=2025) == 2026
    assert year_of_can_chi("binh ngo", not_before=2027) == 2086
    assert year_of_can_chi("Quý Mẹo", not_before=2020) == 2023  # the southern "Mẹo" is "Mão"
    assert year_of_can_chi("Ngọ", not_before=2020) is None


@pytest.mark.parametrize(
    ("text", "notice", "end", "rule"),
    [
        # Friday 08/03/2024 + 30 working days, Giỗ Tổ (Thursday 18/04/2024) not worked
        (
            "hoàn thành trong 30 ngày làm việc kể từ ngày ký văn bản này",
            date(2024, 3, 8),
            date(2024, 4, 22),
            "30 ngày làm việc kể từ ngày ký 08/03/2024",
        ),
        # across the 2026 Tết holiday (16-20/02/2026)
        (
            "báo cáo UBND tỉnh trong 10 ngày làm việc kể từ ngày ban hành Thông báo này",
            date(2026, 2, 9),
            date(2026, 3, 2),
            "10 ngày làm việc kể từ ngày ban hành 09/02/2026",
        ),
        (
            "trình UBND tỉnh không quá 2 tháng kể từ ngày ban hành",
            date(2025, 10, 20),
            date(2025, 12, 20),
            "2 tháng kể từ ngày ban hành 20/10/2025",
        ),
        (
            "gửi Sở Tài chính không quá 30 ngày kể từ ngày ký",
            date(2025, 8, 12),
            date(2025, 9, 11),
            "30 ngày kể từ ngày ký 12/08/2025",
        ),
        (  # a month end: 31/12 + 2 months is the last day of February
            "hoàn thành không quá 2 tháng kể từ ngày ký",
            date(2025, 12, 31),
            date(2026, 2, 28),
            "2 tháng kể từ ngày ký 31/12/2025",
        ),
        (  # counted from a date the notice gives
            "báo cáo trong 15 ngày kể từ ngày 02/01/2024",
            date(2023, 12, 20),
            date(2024, 1, 17),
            "15 ngày kể từ ngày 02/01/2024",
        ),
        (  # no starting day written: the notice's own date
            "tổng hợp, báo cáo UBND tỉnh trong vòng 7 ngày",
            date(2024, 5, 6),
            date(2024, 5, 13),
            "7 ngày kể từ ngày ban hành 06/05/2024",
        ),
        (
            "chậm nhất sau 2 tuần kể từ ngày ban hành phải gửi báo cáo",
            date(2024, 5, 6),
            date(2024, 5, 20),
            "2 tuần kể từ ngày ban hành 06/05/2024",
        ),
    ],
)
def test_periods_counted_from_the_notice(text: str, notice: date, end: date, rule: str) -> None:
    result = parse_deadline(text, notice_date=notice, calendar=VN)
    assert (result.deadline.kind, result.deadline.end, result.deadline.rule) == (D.DATE, end, rule)
    assert result.deadline.start == end
    assert result.deadline.source_phrase and result.deadline.source_phrase in text
    assert result.problems == ()


@pytest.mark.parametrize(
    "text",
    [
        # counted from an event the notice cannot date: a processing time, not a deadline
        "thẩm định hồ sơ trong 10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        "trả lời trong 5 ngày sau khi nhận được đề nghị của địa phương",
        # a duration, not a deadline ("trong" with nothing to finish)
        "tổ chức đợt cao điểm trong 30 ngày, bảo đảm an toàn",
        # a period of the year, read by the half-year rule (below), not as "6 months from"
        "tăng cường tuyên truyền trong 3 tháng qua",
    ],
)
def test_periods_that_are_not_deadlines(text: str) -> None:
    assert parse_deadline(text, notice_date=date(2024, 5, 6), calendar=VN).deadline.end is None


def test_six_months_of_the_year_stay_a_half_year() -> None:
    deadline = parse_deadline(
        "tuyên truyền trong 6 tháng đầu năm 2021", notice_date=date(2021, 2, 5)
    )
    assert (deadline.deadline.kind, deadline.deadline.end) == (D.HALF_YEAR, date(2021, 6, 30))


def test_without_a_calendar_working_days_are_monday_to_friday_and_said_so() -> None:
    result = parse_deadline(
        "hoàn thành trong 30 ngày làm việc kể từ ngày ký", notice_date=date(2024, 3, 8)
    )
    assert result.deadline.end == date(2024, 4, 19)  # Giỗ Tổ not known, so counted as worked
    assert len(result.problems) == 1 and "ngày nghỉ lễ" in result.problems[0]


def test_a_period_without_a_notice_date_gives_nothing() -> None:
    assert parse_deadline("trong 30 ngày làm việc kể từ ngày ký").deadline.end is None


@pytest.mark.parametrize(
    ("text", "notice", "end", "rule"),
    [
        (
            "hoàn thành trước Tết Nguyên đán Bính Ngọ 2026",
            date(2025, 10, 20),
            date(2026, 2, 16),
            "trước Tết Nguyên đán Bính Ngọ (17/02/2026)",
        ),
        (  # no year: the next Tết after the notice
            "khắc phục các điểm sạt lở trước Tết Nguyên đán.",
            date(2025, 12, 10),
            date(2026, 2, 16),
            "trước Tết Nguyên đán Bính Ngọ (17/02/2026)",
        ),
        (  # a notice after Tết: next year's
            "hoàn thành việc chi trả trước Tết",
            date(2024, 3, 1),
            date(2025, 1, 28),
            "trước Tết Nguyên đán Ất Tỵ (29/01/2025)",
        ),
        (  # only the year's name
            "giải ngân xong trước Tết Giáp Thìn",
            date(2023, 11, 2),
            date(2024, 2, 9),
            "trước Tết Nguyên đán Giáp Thìn (10/02/2024)",
        ),
        (
            "hoàn thành trước Tết Dương lịch",
            date(2024, 11, 5),
            date(2024, 12, 31),
            "trước Tết Dương lịch (01/01/2025)",
        ),
    ],
)
def test_before_tet(text: str, notice: date, end: date, rule: str) -> None:
    result = parse_deadline(text, notice_date=notice)
    assert (result.deadline.kind, result.deadline.end, result.deadline.rule) == (D.DATE, end, rule)


def test_tet_is_no_deadline_when_not_a_limit() -> None:
    for text in ("bảo đảm trực cấp cứu 24/24 giờ trong dịp Tết", "tổ chức lễ hội sau Tết"):
        assert parse_deadline(text, notice_date=date(2025, 12, 10)).deadline.end is None


@pytest.mark.parametrize(
    ("text", "notice", "kind", "start", "end"),
    [
        ("tổ chức tập huấn trong tuần đầu tháng 11/2025", date(2025, 10, 20), D.RANGE, 1, 7),
        ("nạo vét cống trong tuần đầu tháng 9", date(2025, 8, 12), D.RANGE, 1, 7),
        ("báo cáo vào tuần cuối tháng 9/2025", date(2025, 8, 12), D.RANGE, 24, 30),
        ("tổ chức hội nghị trong tuần thứ hai của tháng 9/2025", date(2025, 8, 1), D.RANGE, 8, 14),
    ],
)
def test_weeks_of_a_month(
    text: str, notice: date, kind: DeadlineKind, start: int, end: int
) -> None:
    deadline = parse_deadline(text, notice_date=notice).deadline
    assert (deadline.kind, deadline.start.day, deadline.end.day, deadline.end.month) == (  # type: ignore[union-attr]
        kind,
        start,
        end,
        9 if "tháng 9" in text else 11,
    )
    assert deadline.rule and deadline.rule.startswith("tuần")


def test_a_week_of_a_month_already_past_rolls_to_next_year() -> None:
    deadline = parse_deadline("trong tuần đầu tháng 1", notice_date=date(2025, 10, 20)).deadline
    assert (deadline.start, deadline.end) == (date(2026, 1, 1), date(2026, 1, 7))


@pytest.mark.parametrize(
    ("text", "notice", "end", "rule"),
    [
        (
            "báo cáo Chủ tịch UBND tỉnh trước ngày 25 hằng tháng",
            date(2025, 9, 5),
            date(2025, 9, 25),
            "hằng tháng, lần đầu 25/09/2025",
        ),
        (  # the day has passed this month: next month's
            "gửi báo cáo trước ngày 5 hàng tháng",
            date(2025, 9, 10),
            date(2025, 10, 5),
            "hằng tháng, lần đầu 05/10/2025",
        ),
        (
            "tổng hợp, báo cáo trước ngày 15/12 hằng năm",
            date(2023, 5, 10),
            date(2023, 12, 15),
            "hằng năm, lần đầu 15/12/2023",
        ),
        (
            "báo cáo trước ngày 10/01 hằng năm",
            date(2023, 5, 10),
            date(2024, 1, 10),
            "hằng năm, lần đầu 10/01/2024",
        ),
    ],
)
def test_recurring_deadlines_count_from_their_first_time(
    text: str, notice: date, end: date, rule: str
) -> None:
    deadline = parse_deadline(text, notice_date=notice).deadline
    assert (deadline.kind, deadline.end, deadline.rule) == (D.DATE, end, rule)


def test_recurring_without_a_day_stays_none() -> None:
    for text in ("báo cáo định kỳ hằng tháng", "báo cáo trước 15 giờ hằng ngày"):
        deadline = parse_deadline(text, notice_date=date(2025, 7, 15)).deadline
        assert deadline.end is None and deadline.source_phrase


@pytest.mark.parametrize(
    ("cell", "kind", "start", "end"),
    [
        ("2023", D.YEAR, date(2023, 1, 1), date(2023, 12, 31)),
        ("Năm 2023", D.YEAR, date(2023, 1, 1), date(2023, 12, 31)),
        ("2023 - 2025", D.RANGE, date(2023, 1, 1), date(2025, 12, 31)),
        ("Giai đoạn 2021-2025", D.RANGE, date(2021, 1, 1), date(2025, 12, 31)),
        ("Trước ngày 15/12 hằng năm", D.DATE, date(2023, 12, 15), date(2023, 12, 15)),
        ("Không quá 2 tháng kể từ ngày ký", D.DATE, date(2023, 7, 10), date(2023, 7, 10)),
        ("Hằng năm", D.NONE, None, None),
        ("2025 - 2023", D.NONE, None, None),  # backwards: not a span
    ],
)
def test_deadline_cells_with_years_and_rules(
    cell: str, kind: DeadlineKind, start: date | None, end: date | None
) -> None:
    deadline = parse_deadline_cell(cell, notice_date=date(2023, 5, 10)).deadline
    assert (deadline.kind, deadline.start, deadline.end) == (kind, start, end)
