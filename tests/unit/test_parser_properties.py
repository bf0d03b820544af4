"""Property tests: the parsers never raise on hostile input (their speed: bench item 4)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import hostile
from bot.domain.agency_names import agency_key, group_kind, guess_agency_kind, split_agency_list
from bot.domain.deadlines import parse_deadline
from bot.domain.notice import parse_notice, parse_task_table

FRAGMENTS = [
    "Sở Tài chính",
    "chủ trì, phối hợp với",
    "trước ngày 15/01/2020",
    "Quý I/2020",
    "I. ",
    "1. ",
    "- ",
    "+ ",
    "a) ",
    "THÔNG BÁO",
    "Số: 22-TB/BCĐ",
    "Nơi nhận:",
    ":",
    ".",
    "\n",
    "\n\n",
    "Các huyện: Kỳ Anh, ",
    "từ 15/01-20/01/2020",
    "Giao ",
    "Yêu cầu ",
    "\u200b",
    "\ufeff",
    "😀",
    "31/02/2020",
    "./.",
    "(*",
    "*)",
    "tháng 13/2020",
    "từ ",
    "\t",
    "| ",
    "Kính gửi:",
    "Giám đốc ",
    "các Bộ: ",
    "trong 30 ngày làm việc kể từ ngày ký",
    "trước Tết Nguyên đán",
    "Điều 1. ",
    "KẾ HOẠCH\n",
]
texty = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=40).map(
    "".join
)
nfd_or_not = texty.flatmap(
    lambda t: st.sampled_from([t, unicodedata.normalize("NFD", t), t.upper()])
)


@settings(max_examples=200, deadline=None, database=None)
@given(nfd_or_not)
def test_parse_notice_never_raises(text: str) -> None:
    notice = parse_notice(text)
    assert isinstance(notice.to_json_dict(), dict)
    assert isinstance(notice.to_report_dict(), dict)
    assert all(line.line >= 1 and line.text for line in notice.unused)
    for task in notice.tasks:
        assert task.lead  # a task always has someone responsible


@settings(max_examples=200, deadline=None, database=None)
@given(
    nfd_or_not,
    st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))),
)
def test_parse_deadline_never_raises(text: str, notice_date: date | None) -> None:
    result = parse_deadline(text, notice_date=notice_date)
    deadline = result.deadline
    if deadline.start is not None:
        assert deadline.end is not None and deadline.start <= deadline.end
        assert deadline.source_phrase


@settings(max_examples=200, deadline=None, database=None)
@given(texty)
def test_agency_helpers_never_raise(text: str) -> None:
    agency_key(text)
    group_kind(text)
    guess_agency_kind(text)
    for name in split_agency_list(text):
        assert name.strip()


@settings(max_examples=100, deadline=None, database=None)
@given(st.lists(st.lists(st.text(max_size=20), max_size=6), max_size=6))
def test_parse_task_table_never_raises(rows: list[list[str]]) -> None:
    from bot.domain.notice import DocumentMeta

    parse_task_table(rows, DocumentMeta())
    parse_task_table([["TT", "Nội dung", "Chủ trì", "Thời hạn"], *rows], DocumentMeta())


@pytest.mark.parametrize(("label", "build"), hostile.NOTICES, ids=[n for n, _ in hostile.NOTICES])
def test_hostile_notices_are_read_without_error(label: str, build: Callable[[float], str]) -> None:
    """Each input that once broke or slowed the reader, at a quarter of its size: read without
    raising. Its speed (linear, not quadratic) is judged by `python -m bench --only 4`."""
    parse_notice(build(0.25))


def test_hostile_deadlines_are_read_without_error() -> None:
    """The deadline reader on inputs that once slowed it, at a quarter of their size: the date
    behind ten thousand "trước ngày" is still found, the others read without raising."""
    results = [
        parse_deadline(build(0.25), notice_date=date(2020, 1, 1)) for _, build in hostile.DEADLINES
    ]
    assert results[0].deadline.end == date(2020, 1, 15)
