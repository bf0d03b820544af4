"""Reading a focal point's reply: Vietnamese first, with or without diacritics, NFC or NFD."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.progress import (
    EVIDENCE_ONLY_NOTE,
    MAX_TEXT_LENGTH,
    ErrorCode,
    ProgressError,
    ProgressKind,
    ProgressReport,
    asks_for_extension,
    fold,
    parse_command_report,
    parse_percent,
    parse_progress,
    parse_reply,
    parse_user_date,
    pick_linked,
    unmatched_line,
)

DONE, IN_PROGRESS, BLOCKED, NOTE = (
    ProgressKind.DONE,
    ProgressKind.IN_PROGRESS,
    ProgressKind.BLOCKED,
    ProgressKind.NOTE,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("text", "kind", "percent"),
    [
        # done
        ("đã hoàn thành", DONE, 100),
        ("Hoàn thành", DONE, 100),
        ("xong", DONE, 100),
        ("Đã xong", DONE, 100),
        ("done", DONE, 100),
        ("HT", DONE, 100),
        ("ht", DONE, 100),
        ("Dạ, đã xong ạ", DONE, 100),
        ("Báo cáo: đã hoàn thành nhiệm vụ", DONE, 100),
        ("Nhiệm vụ đã hoàn thành đúng hạn.", DONE, 100),
        ("Hoàn thành 100%", DONE, 100),
        ("100%", DONE, 100),
        ("Đã hoàn thành. Kiến nghị: không", DONE, 100),
        # no diacritics (phones) and NFD input
        ("da hoan thanh", DONE, 100),
        ("DA XONG", DONE, 100),
        (nfd("Đã hoàn thành"), DONE, 100),
        (nfd("đạt 70%"), IN_PROGRESS, 70),
        # percent
        ("đạt 70%", IN_PROGRESS, 70),
        ("70%", IN_PROGRESS, 70),
        ("được 70 %", IN_PROGRESS, 70),
        ("70 phần trăm", IN_PROGRESS, 70),
        ("70 phan tram", IN_PROGRESS, 70),
        ("tiến độ 70%", IN_PROGRESS, 70),
        ("Tiến độ: 0%", IN_PROGRESS, 0),
        ("99,5%", IN_PROGRESS, 99),  # rounded down: never "done" by rounding
        ("Đã hoàn thành 80% khối lượng", IN_PROGRESS, 80),  # a percent beats the done words
        ("đạt 70％", IN_PROGRESS, 70),  # full-width percent sign
        # negated completion is never done
        ("chưa hoàn thành", NOTE, None),
        ("chưa xong", NOTE, None),
        ("chua hoan thanh", NOTE, None),
        (nfd("Chưa hoàn thành"), NOTE, None),
        ("Chưa hoàn thành, đạt 80%", IN_PROGRESS, 80),
        ("Chưa hoàn thành 100%", NOTE, None),
        ("Không thể hoàn thành đúng hạn", NOTE, None),
        # blocked
        ("Vướng mắc về giải phóng mặt bằng", BLOCKED, None),
        ("khó khăn về vốn", BLOCKED, None),
        ("Kiến nghị UBND tỉnh bố trí vốn", BLOCKED, None),
        ("đề xuất gia hạn đến 30/6", BLOCKED, None),
        ("vuong mac ve mat bang", BLOCKED, None),
        ("Đạt 70%, vướng mắc mặt bằng", BLOCKED, 70),
        ("Đạt 50%. Kiến nghị: bổ sung kinh phí", BLOCKED, 50),
        ("Dạ, kiến nghị Sở Tài chính cấp vốn", BLOCKED, None),
        ("Đang gặp khó khăn về nhân lực", BLOCKED, None),
        # "no difficulty" is good news, not a blocker
        ("Không có khó khăn, vướng mắc", NOTE, None),
        ("Khó khăn, vướng mắc: Không", NOTE, None),
        ("Kiến nghị: không có", NOTE, None),
        ("Đạt 90%, không có vướng mắc", IN_PROGRESS, 90),
        ("Đã tháo gỡ các khó khăn, đạt 90%", IN_PROGRESS, 90),
        # in progress without a percent
        ("Đang thực hiện", IN_PROGRESS, None),
        ("dang trien khai", IN_PROGRESS, None),
        # notes
        ("Đã hoàn thành việc khảo sát, đang lập báo cáo", NOTE, None),
        ("Đã gửi báo cáo số 12/BC-SNV", NOTE, None),
        ("ok", NOTE, None),
        ("tăng 10-15%", NOTE, None),  # a range is not a percent of progress
        ("1000 mét vuông", NOTE, None),
    ],
)
def test_parse_progress(text: str, kind: ProgressKind, percent: int | None) -> None:
    result = parse_progress(text)
    assert isinstance(result, ProgressReport), result
    assert (result.kind, result.percent) == (kind, percent)


def test_note_keeps_the_original_words_in_nfc() -> None:
    result = parse_progress(nfd("  Vướng mắc: chưa có mặt bằng  "))
    assert isinstance(result, ProgressReport)
    assert result.note == "Vướng mắc: chưa có mặt bằng"
    assert result.note == unicodedata.normalize("NFC", result.note)


def test_kinds_compare_equal_to_their_strings() -> None:
    result = parse_progress("xong")
    assert isinstance(result, ProgressReport)
    assert result.kind == "done"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("140%", ErrorCode.PERCENT_OUT_OF_RANGE),
        ("-5%", ErrorCode.PERCENT_OUT_OF_RANGE),
        ("đạt 101 phần trăm", ErrorCode.PERCENT_OUT_OF_RANGE),
        ("", ErrorCode.EMPTY),
        ("   \n\t ", ErrorCode.EMPTY),
        ("x" * (MAX_TEXT_LENGTH + 1), ErrorCode.TOO_LONG),
    ],
)
def test_parse_progress_errors(text: str, code: ErrorCode) -> None:
    result = parse_progress(text)
    assert isinstance(result, ProgressError)
    assert result.code == code


def test_length_limit_is_inclusive_and_counts_nfc_characters() -> None:
    assert isinstance(parse_progress("x" * MAX_TEXT_LENGTH), ProgressReport)
    # 2000 "ộ" are 2000 characters in NFC but 6000 code points in NFD.
    assert isinstance(parse_progress(nfd("ộ" * 2000)), ProgressReport)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("70", 70),
        ("70%", 70),
        ("70 %", 70),
        ("0", 0),
        ("100", 100),
        ("đạt 70 phần trăm", 70),
        ("  45.5 ", 45),
        ("101", ErrorCode.PERCENT_OUT_OF_RANGE),
        ("-5", ErrorCode.PERCENT_OUT_OF_RANGE),
        ("140%", ErrorCode.PERCENT_OUT_OF_RANGE),
        ("bảy mươi", ErrorCode.INVALID_PERCENT),
        ("", ErrorCode.EMPTY),
    ],
)
def test_parse_percent(text: str, expected: int | ErrorCode) -> None:
    result = parse_percent(text)
    if isinstance(expected, ErrorCode):
        assert isinstance(result, ProgressError)
        assert result.code == expected
    else:
        assert result == expected


TODAY = date(2020, 1, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/01/2020", date(2020, 1, 31)),
        ("31/1", date(2020, 1, 31)),
        ("31-01-2020", date(2020, 1, 31)),
        ("2020-01-31", date(2020, 1, 31)),
        ("31.01.2020", date(2020, 1, 31)),
        ("31/01/20", date(2020, 1, 31)),
        ("ngày 31 tháng 1 năm 2020", date(2020, 1, 31)),
        ("ngay 31 thang 1", date(2020, 1, 31)),
        ("15/01/2020", TODAY),  # today is not in the past
        ("10/1", date(2021, 1, 10)),  # no year and already past: next year
        ("29/02/2020", date(2020, 2, 29)),
        ("31/02/2020", ErrorCode.INVALID_DATE),
        ("32/01/2020", ErrorCode.INVALID_DATE),
        ("31/13", ErrorCode.INVALID_DATE),
        ("tuần sau", ErrorCode.INVALID_DATE),
        ("14/01/2020", ErrorCode.DATE_IN_PAST),
        ("31/12/2019", ErrorCode.DATE_IN_PAST),
        ("", ErrorCode.EMPTY),
    ],
)
def test_parse_user_date(text: str, expected: date | ErrorCode) -> None:
    result = parse_user_date(text, today=TODAY)
    if isinstance(expected, ErrorCode):
        assert isinstance(result, ProgressError)
        assert result.code == expected
    else:
        assert result == expected


def test_29_february_without_a_year_rolls_to_the_next_leap_year_only_if_valid() -> None:
    assert parse_user_date("29/2", today=date(2020, 1, 15)) == date(2020, 2, 29)
    result = parse_user_date("29/2", today=date(2020, 3, 1))  # 2021 has no 29/02
    assert isinstance(result, ProgressError)
    assert result.code == ErrorCode.INVALID_DATE


def test_fold() -> None:
    assert fold("  Đã   HOÀN thành ") == "da hoan thanh"
    assert fold(nfd("Đã hoàn thành")) == fold("Đã hoàn thành")
    assert fold("Ưu tiên, Ơn, ĐƯỢC") == "uu tien, on, duoc"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_parse_progress_never_raises(text: str) -> None:
    result = parse_progress(text)
    assert isinstance(result, ProgressReport | ProgressError)
    if isinstance(result, ProgressReport) and result.percent is not None:
        assert 0 <= result.percent <= 100


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["đã", "chưa", "hoàn thành", "xong", "70%", "140%", "-", ",", ":", "khó khăn", "không"]
        ),
        max_size=12,
    ).map(" ".join)
)
def test_parse_progress_never_raises_on_vietnamese_fragments(text: str) -> None:
    assert isinstance(parse_progress(text), ProgressReport | ProgressError)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_parse_percent_and_date_never_raise(text: str) -> None:
    assert isinstance(parse_percent(text), int | ProgressError)
    assert isinstance(parse_user_date(text, today=TODAY), date | ProgressError)


# --- which task a reply is about, and a reply that is only a file -----------------------------


@pytest.mark.parametrize(
    ("linked", "text", "expected"),
    [
        ((7,), "đạt 60%", (7, "đạt 60%")),  # a card: its one task, whatever the text
        ((7,), "2 đạt 60%", (7, "2 đạt 60%")),  # a leading number on a card is the text's
        ((7, 8, 9), "2 đạt 60%", (8, "đạt 60%")),
        ((7, 8, 9), "3. xong", (9, "xong")),
        ((7, 8, 9), " 1) đang làm", (7, "đang làm")),
        ((7, 8, 9), "4 đạt 60%", (None, "4 đạt 60%")),  # no line 4
        ((7, 8, 9), "0 đạt 60%", (None, "0 đạt 60%")),
        ((7, 8, 9), "đạt 60%", (None, "đạt 60%")),  # which line? the bot asks
        ((7, 8, 9), "60%", (None, "60%")),  # a percent is not a line number
        ((7, 8, 9), "2", (8, "")),  # line 2, nothing said: "empty", or a file's caption
        ((7, 8, 9), " 3. ", (9, "")),
        ((7, 8, 9), "4", (None, "4")),
    ],
)
def test_pick_linked_reads_the_digest_line_number(
    linked: tuple[int, ...], text: str, expected: tuple[int | None, str]
) -> None:
    assert pick_linked(linked, text) == expected


@pytest.mark.parametrize(
    ("linked", "text", "expected"),
    [
        ((7, 8, 9), "7 đạt 30%", 7),  # no line 7: the question says so
        ((7, 8, 9), "4", 4),
        ((7, 8, 9), "0. xong", 0),
        ((7, 8, 9), "2 đạt 30%", None),  # a line: nothing to explain
        ((7, 8, 9), "đạt 30%", None),  # no number at all
        ((7, 8, 9), "30% khối lượng", None),  # a percent, not a line
        ((7,), "7 đạt 30%", None),  # a card has no lines: the reply is its task's
    ],
)
def test_unmatched_line_names_a_number_no_line_has(
    linked: tuple[int, ...], text: str, expected: int | None
) -> None:
    assert unmatched_line(linked, text) == expected


def test_a_reply_with_only_a_file_is_a_note_saying_so() -> None:
    assert parse_reply("", has_evidence=True) == ProgressReport(NOTE, None, EVIDENCE_ONLY_NOTE)
    assert parse_reply("  ", has_evidence=False) == ProgressError(ErrorCode.EMPTY)
    assert parse_reply("xong", has_evidence=True) == parse_progress("xong")


@pytest.mark.parametrize("text", ["đạt abc%", "đạt %", "tiến độ x%", "hoàn thành %"])
def test_a_percent_sign_without_a_number_is_refused_not_guessed(text: str) -> None:
    result = parse_progress(text)
    assert isinstance(result, ProgressError) and result.code is ErrorCode.INVALID_PERCENT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xin gia hạn đến 31/03/2020", True),
        ("XIN GIA HẠN", True),
        ("đề nghị lùi hạn vì chờ vốn", True),
        ("đạt 50%, kéo dài thời hạn thêm 1 tháng", True),
        ("đạt 50%", False),
        ("giai đoạn 2", False),  # "gia" inside another word is not the phrase
    ],
)
def test_a_report_asking_for_more_time_is_recognised(text: str, expected: bool) -> None:
    assert asks_for_extension(text) is expected


def test_after_capnhat_a_bare_number_is_the_percent() -> None:
    assert parse_command_report("50") == parse_progress("50%")
    assert parse_command_report(" 7 ") == parse_progress("7%")
    assert parse_command_report("50 %") == parse_progress("50 %")
    assert parse_command_report("đạt 50%") == parse_progress("đạt 50%")
    refused = parse_command_report("150")
    assert isinstance(refused, ProgressError) and refused.code is ErrorCode.PERCENT_OUT_OF_RANGE
    # In a reply a bare number is not a percent (it names a digest's line).
    assert parse_reply("50") == parse_progress("50")
    assert parse_progress("50") != parse_progress("50%")
