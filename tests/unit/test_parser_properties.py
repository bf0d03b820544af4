"""Property tests: the parsers never raise and stay fast on hostile input."""

from __future__ import annotations

import time
import unicodedata
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

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


def _timed(text: str) -> float:
    start = time.perf_counter()
    parse_notice(text)
    return time.perf_counter() - start


def test_large_inputs_are_linear_ish() -> None:
    pathological = [
        "a" * 100_000,
        "1" * 100_000,
        "từ " * 33_000,
        "- Sở Tài chính chủ trì, phối hợp với Sở Y tế trước 15/01/2020.\n" * 1_500,
        ("Sở " + "A, " * 20_000),
        "/" * 50_000 + "1" * 50_000,
        "1/" * 50_000,
        "Các huyện: " + "Kỳ Anh, " * 12_000,
        " ." * 50_000,
        "- x; A" * 16_000,  # once quadratic: each "; A" re-read the rest of the paragraph
        "- TP. A" * 14_000,
        "1. Sở Y tế\n- a\n" + "+ bbbbbbb\n" * 12_000,
        ("1. Sở Y tế\n" + "- làm việc\n" * 3) * 4_000,  # once quadratic: repeated codes
        "I. x\n" * 20_000,
        "a\tb\tc\n" * 20_000,  # a pasted tab table with no task header
        # once quadratic: every row numbered "1" searched for a free code
        "| TT | Nội dung | Chủ trì | Thời hạn |\n" + "| 1 | Rà soát | Sở Y tế | 2023 |\n" * 8_000,
        "Giám đốc các sở, " * 10_000 + "thực hiện.",
        "trong 30 ngày làm việc kể từ ngày ký " * 5_000,
        "Chủ tịch UBND các huyện: " + "A, " * 15_000 + "rà soát.",
    ]
    for text in pathological:
        assert _timed(text) < 10, text[:40]


def test_deadline_on_long_text_is_fast() -> None:
    start = time.perf_counter()
    parse_deadline("trước ngày " * 10_000 + "15/01/2020", notice_date=date(2020, 1, 1))
    parse_deadline("1-" * 50_000, notice_date=date(2020, 1, 1))
    parse_deadline("1/1 " * 25_000, notice_date=date(2020, 1, 1))  # many overlapping candidates
    assert time.perf_counter() - start < 5
