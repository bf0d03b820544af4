"""Deadline phrases -> Deadline(kind, start, end, source_phrase); non-deadlines stay NONE."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from bot.domain.deadlines import normalize_deadline_text, parse_deadline, parse_deadline_cell
from bot.domain.types import DeadlineKind, moved_start

NOTICE = date(2019, 12, 27)
D = DeadlineKind

CASES = [
    # (text, kind, start, end, source_phrase)
    ("hoàn thành trước 31/12/2019.", D.DATE, "2019-12-31", "2019-12-31", "trước 31/12/2019"),
    ("gửi trước ngày 15/01/2020", D.DATE, "2020-01-15", "2020-01-15", "trước ngày 15/01/2020"),
    ("hoàn thành trước 31/03/2020", D.DATE, "2020-03-31", "2020-03-31", "trước 31/03/2020"),
    ("chậm nhất ngày 20/1/2020", D.DATE, "2020-01-20", "2020-01-20", "chậm nhất ngày 20/1/2020"),
    (
        "báo cáo chậm nhất trong ngày 20/01/2020",
        D.DATE,
        "2020-01-20",
        "2020-01-20",
        "chậm nhất trong ngày 20/01/2020",
    ),
    ("Thời hạn: 31/03/2020", D.DATE, "2020-03-31", "2020-03-31", "Thời hạn: 31/03/2020"),
    ("hạn chót 05/02/2020", D.DATE, "2020-02-05", "2020-02-05", "hạn chót 05/02/2020"),
    ("trong tháng 3/2020", D.MONTH, "2020-03-01", "2020-03-31", "trong tháng 3/2020"),
    (
        "hoàn thành trong tháng 3 năm 2020",
        D.MONTH,
        "2020-03-01",
        "2020-03-31",
        "hoàn thành trong tháng 3 năm 2020",
    ),
    (
        "thời gian tổ chức từ 15/01-20/01/2020.",
        D.RANGE,
        "2020-01-15",
        "2020-01-20",
        "từ 15/01-20/01/2020",
    ),
    (
        "từ ngày 15/01 đến ngày 20/01/2020",
        D.RANGE,
        "2020-01-15",
        "2020-01-20",
        "từ ngày 15/01 đến ngày 20/01/2020",
    ),
    (
        "từ tháng 1 đến tháng 3/2020",
        D.RANGE,
        "2020-01-01",
        "2020-03-31",
        "từ tháng 1 đến tháng 3/2020",
    ),
    (
        "ra mắt và đi vào hoạt động trong Quý I/2020.",
        D.QUARTER,
        "2020-01-01",
        "2020-03-31",
        "trong Quý I/2020",
    ),
    ("trong quý 2 năm 2020", D.QUARTER, "2020-04-01", "2020-06-30", "trong quý 2 năm 2020"),
    (
        "hoàn thành trong Quý IV năm 2020",
        D.QUARTER,
        "2020-10-01",
        "2020-12-31",
        "hoàn thành trong Quý IV năm 2020",
    ),
    ("trong quý III/2020", D.QUARTER, "2020-07-01", "2020-09-30", "trong quý III/2020"),
    ("6 tháng đầu năm 2020", D.HALF_YEAR, "2020-01-01", "2020-06-30", "6 tháng đầu năm 2020"),
    ("6 tháng cuối năm 2020", D.HALF_YEAR, "2020-07-01", "2020-12-31", "6 tháng cuối năm 2020"),
    ("triển khai trong năm 2020", D.YEAR, "2020-01-01", "2020-12-31", "trong năm 2020"),
    (
        "trước ngày 15 tháng 01 năm 2020",
        D.DATE,
        "2020-01-15",
        "2020-01-15",
        "trước ngày 15 tháng 01 năm 2020",
    ),
    (
        "phấn đấu đến 31/12/2019 hoàn thành giải ngân 100% nguồn vốn.",
        D.DATE,
        "2019-12-31",
        "2019-12-31",
        "đến 31/12/2019",
    ),
    (
        "trình Thường trực Ban Chỉ đạo tỉnh trước 15/02/2020.",
        D.DATE,
        "2020-02-15",
        "2020-02-15",
        "trước 15/02/2020",
    ),
    (
        "báo cáo (*qua Văn phòng điều phối trước ngày 15/01/2020*)",
        D.DATE,
        "2020-01-15",
        "2020-01-15",
        "trước ngày 15/01/2020",
    ),
    ("trước 15-01-2020", D.DATE, "2020-01-15", "2020-01-15", "trước 15-01-2020"),
    ("trước 15.01.2020", D.DATE, "2020-01-15", "2020-01-15", "trước 15.01.2020"),
    ("trước 15/01/20", D.DATE, "2020-01-15", "2020-01-15", "trước 15/01/20"),
    ("TRƯỚC NGÀY 15/01/2020", D.DATE, "2020-01-15", "2020-01-15", "TRƯỚC NGÀY 15/01/2020"),
    ("truoc ngay 15/01/2020", D.DATE, "2020-01-15", "2020-01-15", "truoc ngay 15/01/2020"),
    ("trước tháng 3/2020", D.DATE, "2020-02-29", "2020-02-29", "trước tháng 3/2020"),
]


@pytest.mark.parametrize(("text", "kind", "start", "end", "phrase"), CASES)
def test_deadline_phrases(text: str, kind: DeadlineKind, start: str, end: str, phrase: str) -> None:
    result = parse_deadline(text, notice_date=NOTICE)
    assert result.problems == ()
    assert result.deadline.kind == kind
    assert result.deadline.start == date.fromisoformat(start)
    assert result.deadline.end == date.fromisoformat(end)
    assert result.deadline.source_phrase == phrase
    assert phrase in normalize_deadline_text(text)


@pytest.mark.parametrize(("text", "kind", "start", "end", "phrase"), CASES)
def test_deadline_phrases_nfd_and_new_tone_marks(
    text: str, kind: DeadlineKind, start: str, end: str, phrase: str
) -> None:
    variant = unicodedata.normalize("NFD", text.replace("hóa", "hoá")).replace("ư", "\u200bư")
    result = parse_deadline(variant, notice_date=NOTICE)
    assert (result.deadline.kind, result.deadline.start, result.deadline.end) == (
        kind,
        date.fromisoformat(start),
        date.fromisoformat(end),
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hoàn thành sơ bộ Đề án, Tiêu chí tỉnh đạt chuẩn nông thôn mới trước năm 2025",
        "xây dựng Đề án tỉnh đạt chuẩn nông thôn mới giai đoạn 2021-2025",
        "chính sách hỗ trợ giai đoạn 2020 – 2025",
        "hỗ trợ các sản phẩm tham gia Chương trình OCOP năm 2019",
        "Xây dựng Kế hoạch thực hiện Chương trình OCOP 2020.",
        "Soát xét thực trạng tiêu chí tỉnh nông thôn mới đến 31/12/2019, báo cáo Ban chỉ đạo",
        "Ngày 23/12/2019, Thường trực Ban Chỉ đạo họp đánh giá tình hình",
        "kết quả vòng 1 có 63/76 sản phẩm đạt từ 50-69 điểm",
        "Tháng 12/2019 Chương trình được tập trung cao hơn",
        "đợt 2/2019",
    ],
)
def test_not_deadlines(text: str) -> None:
    result = parse_deadline(text, notice_date=NOTICE)
    assert result.deadline.kind == DeadlineKind.NONE
    assert result.deadline.start is None and result.deadline.end is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("thực hiện thường xuyên", "thường xuyên"),
        ("báo cáo hằng năm", "hằng năm"),
        ("báo cáo hàng quý", "hàng quý"),
    ],
)
def test_periodic_is_none_with_phrase(text: str, phrase: str) -> None:
    result = parse_deadline(text, notice_date=NOTICE)
    assert result.deadline.kind == DeadlineKind.NONE
    assert result.deadline.source_phrase == phrase


def test_seed_reference_date_loses_to_explicit_before() -> None:
    text = (
        "Soát xét đánh giá đúng, chính xác thực trạng tiêu chí tỉnh nông thôn mới đến "
        "31/12/2019, báo cáo Ban chỉ đạo, Ủy ban nhân dân tỉnh (*qua Văn phòng điều phối "
        "nông thôn mới tỉnh trước ngày 15/01/2020*) và cập nhật số liệu"
    )
    deadline = parse_deadline(text, notice_date=NOTICE).deadline
    assert (deadline.kind, deadline.end) == (DeadlineKind.DATE, date(2020, 1, 15))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("hoàn thành trước 31/02/2020", "Ngày không hợp lệ: 31/02/2020"),
        ("trước ngày 32/01/2020", "Ngày không hợp lệ: 32/01/2020"),
        ("trước 15/13/2020", "Ngày không hợp lệ: 15/13/2020"),
    ],
)
def test_impossible_dates_are_reported_not_guessed(text: str, problem: str) -> None:
    result = parse_deadline(text, notice_date=NOTICE)
    assert result.deadline.kind == DeadlineKind.NONE
    assert result.problems == (problem,)


def test_invalid_date_does_not_hide_a_valid_one() -> None:
    result = parse_deadline("trước 31/02/2020, báo cáo trước ngày 10/03/2020", notice_date=NOTICE)
    assert result.deadline.end == date(2020, 3, 10)
    assert result.problems == ("Ngày không hợp lệ: 31/02/2020",)


@pytest.mark.parametrize(
    ("text", "notice", "expected"),
    [
        ("trước 15/01", date(2019, 12, 27), date(2020, 1, 15)),  # rolls to the next year
        ("trước 31/12", date(2019, 12, 27), date(2019, 12, 31)),
        ("trước ngày 20/3", date(2020, 3, 1), date(2020, 3, 20)),
        ("trước ngày 28/2", date(2021, 1, 5), date(2021, 2, 28)),
    ],
)
def test_dates_without_year_take_the_notice_year(text: str, notice: date, expected: date) -> None:
    assert parse_deadline(text, notice_date=notice).deadline.end == expected


def test_date_without_year_and_without_notice_date_is_a_problem() -> None:
    result = parse_deadline("hoàn thành trước 15/01", notice_date=None)
    assert result.deadline.kind == DeadlineKind.NONE
    assert result.problems and result.problems[0].startswith("Không xác định được năm")


def test_month_without_year_rolls_forward() -> None:
    deadline = parse_deadline("hoàn thành trong tháng 3", notice_date=NOTICE).deadline
    assert (deadline.kind, deadline.start, deadline.end) == (
        DeadlineKind.MONTH,
        date(2020, 3, 1),
        date(2020, 3, 31),
    )


def test_strongest_phrase_wins_and_first_on_tie() -> None:
    text = "tổ chức hội nghị trước 15/01/2020; báo cáo kết quả trước 20/01/2020"
    assert parse_deadline(text, notice_date=NOTICE).deadline.end == date(2020, 1, 15)
    text = "trong năm 2020, hoàn thành trước ngày 30/6/2020"
    assert parse_deadline(text, notice_date=NOTICE).deadline.end == date(2020, 6, 30)


@pytest.mark.parametrize(
    ("cell", "kind", "end"),
    [
        ("31/3/2020", DeadlineKind.DATE, date(2020, 3, 31)),
        ("Quý I/2020", DeadlineKind.QUARTER, date(2020, 3, 31)),
        ("Tháng 3/2020", DeadlineKind.MONTH, date(2020, 3, 31)),
        ("Thường xuyên", DeadlineKind.NONE, None),
        ("", DeadlineKind.NONE, None),
    ],
)
def test_table_cells(cell: str, kind: DeadlineKind, end: date | None) -> None:
    deadline = parse_deadline_cell(cell, notice_date=NOTICE).deadline
    assert (deadline.kind, deadline.end) == (kind, end)


@pytest.mark.parametrize(
    ("start", "original_end", "end", "expected"),
    [
        # One date, not moved / moved later / moved earlier: stays one date.
        (date(2020, 3, 31), date(2020, 3, 31), date(2020, 3, 31), date(2020, 3, 31)),
        (date(2020, 3, 31), date(2020, 3, 31), date(2020, 4, 30), date(2020, 4, 30)),
        (date(2020, 3, 31), date(2020, 3, 31), date(2019, 12, 31), date(2019, 12, 31)),
        # A window "từ 15/01-20/01/2020": extended, it keeps its first day...
        (date(2020, 1, 15), date(2020, 1, 20), date(2020, 1, 31), date(2020, 1, 15)),
        # ...moved before its first day, it becomes one date.
        (date(2020, 1, 15), date(2020, 1, 20), date(2020, 1, 10), date(2020, 1, 10)),
        (None, date(2020, 1, 20), date(2020, 1, 31), None),
        (None, None, None, None),
    ],
)
def test_a_moved_deadline_keeps_a_window_only_while_it_is_one(
    start: date | None, original_end: date | None, end: date | None, expected: date | None
) -> None:
    assert moved_start(start, original_end, end) == expected
