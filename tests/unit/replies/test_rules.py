"""One parametrised table per rule of the reader (bot/domain/replies), each row by hand."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.replies import Intent, ReplyContext, read_reply, reads_as_report
from bot.domain.replies.completion import read_completion
from bot.domain.replies.dates import requested_date
from bot.domain.replies.documents import cites_document
from bot.domain.replies.normalise import aligned, clean, fold, trim
from bot.domain.replies.obstacle import reports_obstacle
from bot.domain.replies.percents import read_percent
from bot.domain.replies.reassign import proposed_agency, refuses_task
from bot.domain.replies.targets import split_targets

TODAY = date(2020, 1, 6)  # a Monday
DEADLINE = date(2020, 1, 15)  # a Wednesday
ONE = ReplyContext(today=TODAY, deadline=DEADLINE)
DIGEST = ReplyContext(today=TODAY, digest_lines=5, codes=("31", "32", "33", "34", "35"))

# --- normalise ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Đã hoàn thành", "da hoan thanh"),
        ("ĐÃ HOÀN THÀNH", "da hoan thanh"),
        ("đạt 7\u200b0%", "dat 70%"),
        ("\u202bđã xong\u202c", "da xong"),
        ("đạt 70％", "dat 70%"),
        ("ko làm dc", "khong lam duoc"),
        ("k thực hiện đc", "khong thuc hien duoc"),
        ("xog r", "xong roi"),
        ("xongg", "xong"),
        ("okkk", "ok"),
        ("ht nv", "hoan thanh nhiem vu"),
        ("dag lam", "dang lam"),
        ("vướng kp", "vuong kinh phi"),
        ("Xong roài", "xong roi"),
        ("tks", "cam on"),
        ("HTX tỉnh", "htx tinh"),  # only whole tokens are shorthand
        ("1.  xong\n\n2. đạt", "1. xong\n2. dat"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_clean_keeps_the_words_and_aligned_keeps_the_length() -> None:
    raw = "  Dạ\u200b, Sở  Tài chính\r\nđã xong ✅ "
    cleaned = clean(raw)
    assert cleaned == "Dạ, Sở Tài chính\nđã xong ✅"
    assert len(aligned(cleaned)) == len(cleaned)
    assert aligned(cleaned).startswith("da, so tai chinh")


@pytest.mark.parametrize(
    ("raw", "trimmed"),
    [("(đạt 30%)", "đạt 30%"), ("«xong»!!", "xong"), ("xong chưa?", "xong chưa?"), ("...", "...")],
)
def test_trim(raw: str, trimmed: str) -> None:
    assert trim(raw) == trimmed


# --- targets -----------------------------------------------------------------------------


def _targets(
    text: str, context: ReplyContext = DIGEST
) -> list[tuple[tuple[int, ...], tuple[str, ...], str]]:
    return [(s.lines, s.tasks, s.text) for s in split_targets(clean(text), context)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 đạt 70%", [((2,), (), "đạt 70%")]),
        ("2. đạt 70%", [((2,), (), "đạt 70%")]),
        ("2) đạt 70%", [((2,), (), "đạt 70%")]),
        ("2- đạt 70%", [((2,), (), "đạt 70%")]),
        ("2: đạt 70%", [((2,), (), "đạt 70%")]),
        ("số 2 đạt 70%", [((2,), (), "đạt 70%")]),
        ("Số 2: đạt 70%", [((2,), (), "đạt 70%")]),
        ("nv 2: đạt 70%", [((2,), (), "đạt 70%")]),
        ("nv2 đạt 70%", [((2,), (), "đạt 70%")]),
        ("NV số 2 đạt 70%", [((2,), (), "đạt 70%")]),
        ("Nhiệm vụ 2 đạt 70%", [((2,), (), "đạt 70%")]),
        ("mục 2: đạt 70%", [((2,), (), "đạt 70%")]),
        ("ý 2 đạt 70%", [((2,), (), "đạt 70%")]),
        ("Dạ 2 đạt 70% ạ", [((2,), (), "đạt 70% ạ")]),
        ("1, 2 đã hoàn thành", [((1, 2), (), "đã hoàn thành")]),
        ("1 và 3 xong", [((1, 3), (), "xong")]),
        ("1,2,3 xong", [((1, 2, 3), (), "xong")]),
        ("Từ 2 đến 4 đã xong", [((2, 3, 4), (), "đã xong")]),
        ("tất cả đã xong", [((1, 2, 3, 4, 5), (), "tất cả đã xong")]),
        ("cả 5 nhiệm vụ đã xong", [((1, 2, 3, 4, 5), (), "cả 5 nhiệm vụ đã xong")]),
        ("cả 3 nhiệm vụ đã xong", [((), (), "cả 3 nhiệm vụ đã xong")]),  # 3 of 5: which?
        ("#32 xong", [((), ("32",), "xong")]),
        ("#31, #32 xong", [((), ("31", "32"), "xong")]),
        ("32 xong", [((), ("32",), "xong")]),  # not a line, one of the codes
        ("2. #32 xong", [((2,), ("32",), "xong")]),
        ("1 xong, 2 đạt 50%", [((1,), (), "xong"), ((2,), (), "đạt 50%")]),
        ("1.xong 2.đạt 50%", [((1,), (), "xong"), ((2,), (), "đạt 50%")]),
        ("1) 30%; 2) 45%", [((1,), (), "30%"), ((2,), (), "45%")]),
        (
            "Em báo cáo:\n1. xong\nđã gửi VP\n2. đang làm",
            [((1,), (), "xong\nđã gửi VP"), ((2,), (), "đang làm")],
        ),
        ("đã xong", [((), (), "đã xong")]),
        ("7 đạt 30%", [((), (), "7 đạt 30%")]),  # no line 7
        ("3 xã đã hoàn thành", [((), (), "3 xã đã hoàn thành")]),  # a count
        ("gia hạn thêm 2 tuần", [((), (), "gia hạn thêm 2 tuần")]),
        ("Đã trình tại Tờ trình số 2/TTr-SNN", [((), (), "Đã trình tại Tờ trình số 2/TTr-SNN")]),
        ("xin gia hạn đến 3/4", [((), (), "xin gia hạn đến 3/4")]),
    ],
)
def test_digest_targets(
    text: str, expected: list[tuple[tuple[int, ...], tuple[str, ...], str]]
) -> None:
    assert _targets(text) == expected


def test_one_task_has_no_lines_but_reads_codes() -> None:
    assert _targets("2 đạt 70%", ONE) == [((), (), "2 đạt 70%")]
    assert _targets("Sở Y tế đã hoàn thành nhiệm vụ #15", ONE) == [
        ((), ("15",), "Sở Y tế đã hoàn thành nhiệm vụ")
    ]


# --- percents ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "mentioned", "invalid"),
    [
        ("đạt 70%", 70, True, False),
        ("70 phần trăm", 70, True, False),
        ("72,3%", 72, True, False),
        ("99,5%", 99, True, False),  # down: never done by rounding
        ("trên 80%", 80, True, False),
        ("60-70%", 60, True, False),
        ("gần 50%", None, True, False),
        ("chưa hoàn thành 100%", None, True, False),
        ("3/5 nội dung", 60, True, False),
        ("được khoảng 2/3", 66, True, False),
        ("6/13 huyện", 46, True, False),
        ("đã xong 3/4", 75, True, False),
        ("8 phần 10", 80, True, False),
        ("3 trên 5 nội dung", 60, True, False),
        ("được một nửa", 50, True, False),
        ("tháng 1/2020", None, False, False),
        ("đến 30/4", None, False, False),
        ("dự kiến hoàn thành 1/3", None, False, False),
        ("hoàn thành 15/1", None, False, False),
        ("tăng 15% so với cùng kỳ", None, False, False),
        ("giảm còn 3,5%", None, False, False),
        ("đạt %", None, False, True),
        ("đạt 150%", None, False, True),
    ],
)
def test_percent(text: str, value: int | None, mentioned: bool, invalid: bool) -> None:
    reading = read_percent(fold(text))
    assert (reading.value, reading.mentioned, reading.invalid) == (value, mentioned, invalid)


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "deadline", "until"),
    [
        ("đến 30/4", TODAY, DEADLINE, date(2020, 4, 30)),
        ("đến 30/04/2020", TODAY, DEADLINE, date(2020, 4, 30)),
        ("đến 30/4/20", TODAY, DEADLINE, date(2020, 4, 30)),
        ("đến 30.4", TODAY, DEADLINE, date(2020, 4, 30)),
        ("đến 30-04-2020", TODAY, DEADLINE, date(2020, 4, 30)),
        ("ngày 30 tháng 4 năm 2020", TODAY, DEADLINE, date(2020, 4, 30)),
        ("đến 31/1", date(2020, 12, 21), None, date(2021, 1, 31)),  # next year's
        ("đến 29/2", date(2023, 1, 2), None, date(2024, 2, 29)),  # the next one that exists
        ("hết tháng 4", TODAY, DEADLINE, date(2020, 4, 30)),
        ("cuối tháng 2", TODAY, DEADLINE, date(2020, 2, 29)),
        ("hết tháng 1", date(2020, 2, 3), None, date(2021, 1, 31)),
        ("tháng 2/2021", TODAY, DEADLINE, date(2021, 2, 28)),
        ("đầu tháng 3", TODAY, DEADLINE, None),
        ("hết quý I", TODAY, DEADLINE, date(2020, 3, 31)),
        ("hết quý I", date(2020, 12, 21), None, date(2021, 3, 31)),
        ("quý 2/2020", TODAY, DEADLINE, date(2020, 6, 30)),
        ("hết quý IV năm 2021", TODAY, DEADLINE, date(2021, 12, 31)),
        ("hết năm", TODAY, DEADLINE, date(2020, 12, 31)),
        ("cuối năm 2021", TODAY, DEADLINE, date(2021, 12, 31)),
        ("thêm 2 tuần", TODAY, DEADLINE, date(2020, 1, 29)),  # from the deadline
        ("thêm 2 tuần", date(2020, 2, 10), date(2020, 1, 31), date(2020, 2, 24)),  # overdue
        ("thêm 2 tuần", TODAY, None, date(2020, 1, 20)),  # no deadline
        ("2 tuần nữa", TODAY, DEADLINE, date(2020, 1, 29)),
        ("gia hạn 2 tuần", TODAY, DEADLINE, date(2020, 1, 29)),
        ("lùi lại 1 tuần", TODAY, DEADLINE, date(2020, 1, 22)),
        ("thêm 10 ngày", TODAY, DEADLINE, date(2020, 1, 25)),
        ("thêm hai tuần", TODAY, DEADLINE, date(2020, 1, 29)),
        ("thêm 1 tháng", TODAY, date(2020, 1, 31), date(2020, 2, 29)),  # the month is shorter
        ("sang tuần sau", TODAY, DEADLINE, date(2020, 1, 24)),  # Friday after the deadline's week
        ("tuần tới", date(2020, 2, 10), date(2020, 1, 31), date(2020, 2, 21)),
        ("sang tháng sau", TODAY, DEADLINE, date(2020, 2, 29)),
        ("thêm ít hôm", TODAY, DEADLINE, None),
        ("xin gia hạn", TODAY, DEADLINE, None),
    ],
)
def test_requested_date(text: str, today: date, deadline: date | None, until: date | None) -> None:
    assert requested_date(fold(text), today=today, deadline=deadline) == until


def test_the_date_after_the_request_wins() -> None:
    folded = fold("Ngày 10/1 đã họp, xin gia hạn đến 28/2")
    assert requested_date(folded, today=TODAY, deadline=DEADLINE, after=folded.index("xin")) == (
        date(2020, 2, 28)
    )


# --- completion --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stated", "under_way"),
    [
        ("đã hoàn thành", True, False),
        ("Hoàn thành ✅", True, False),
        ("xong r", True, False),
        ("đã thực hiện xong", True, False),
        ("bên em làm xong rồi", True, False),
        ("Sở đã triển khai xong", True, False),
        ("đã hoàn thành việc tổ chức hội nghị", True, False),
        ("Đã hoàn thành, đang chờ VP xác nhận", True, False),
        ("chưa hoàn thành", False, False),
        ("không hoàn thành được", False, False),
        ("xong thì chưa", False, False),
        ("làm xong đâu mà báo", False, False),
        ("chưa xong hẳn", False, True),
        ("xong chưa?", False, False),
        ("hoàn thành hay chưa", False, False),
        ("khi nào xong em báo", False, False),
        ("sắp xong", False, True),
        ("cơ bản hoàn thành", False, True),
        ("dự kiến hoàn thành tháng 1", False, True),
        ("mai là xong", False, True),
        ("hoàn thành trước ngày 20/1", False, True),  # still ahead on 6/1
        ("xong phần khảo sát", False, True),
        ("đã hoàn thành giai đoạn 1", False, True),
        ("3 xã đã hoàn thành", False, True),
        ("khảo sát xong", False, True),
        ("đã hoàn thành, còn thủ tục quyết toán", False, True),
        ("hoàn thành nhưng chưa nghiệm thu", False, True),
        ("đã xong dự thảo, đang lấy ý kiến", False, True),
        ("xong rồi mà, à chưa", False, False),
        ("Hoàn thành?", False, False),
        ("xong rồi à?", False, False),
        ("Xong rồi hả anh", False, False),
        ("hoàn thành không?", False, False),
        ("đã hoàn thành được đâu", False, False),
        ("xong một ít", False, True),
        ("xong được 2 việc", False, True),
        ("đã hoàn thành 1 phần", False, True),
        ("mục tiêu hoàn thành trong năm 2020", False, True),  # a word of its own before it
    ],
)
def test_completion(text: str, stated: bool, under_way: bool) -> None:
    completion = read_completion(fold(text), today=TODAY)
    assert (completion.stated, completion.under_way) == (stated, under_way)


# --- obstacle ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "extension", "obstacle"),
    [
        ("vướng mặt bằng", False, True),
        ("khó khăn về vốn", False, True),
        ("thiếu cán bộ", False, True),
        ("không đủ kinh phí", False, True),
        ("chưa có hướng dẫn", False, True),
        ("khó quá", False, True),
        ("tiến độ chậm", False, True),
        ("bị ảnh hưởng do mưa lũ", False, True),
        ("chưa thực hiện được", False, True),
        ("không thể hoàn thành", False, True),
        ("không xong kịp", False, True),
        ("kiến nghị UBND tỉnh bố trí vốn", False, True),
        ("Kiến nghị: bổ sung kinh phí", False, True),
        ("đề xuất bổ sung nguồn vốn", False, True),
        ("đề nghị Sở Tài chính bố trí kinh phí", False, True),
        ("chưa hoàn thành do chờ hướng dẫn", False, True),
        ("xin gia hạn do chờ ý kiến UBND tỉnh", True, True),
        ("xin gia hạn để hoàn thiện hồ sơ", True, False),
        ("không có khó khăn, vướng mắc", False, False),
        ("không có khó khăn vướng mắc gì", False, False),
        ("Khó khăn, vướng mắc: không", False, False),
        ("Kiến nghị: không có", False, False),
        ("đã tháo gỡ khó khăn", False, False),
        ("đã khắc phục xong vướng mắc", False, False),
        ("hết vướng rồi", False, False),
        ("có vướng gì đâu", False, False),
        ("1000 mét vuông", False, False),
        ("chưa được triển khai", False, False),
        ("chưa xong nhưng đã được 60%", False, False),
        ("đang chờ UBND tỉnh phê duyệt", False, False),
        ("đề nghị VPĐP xác nhận", False, False),
        ("đề nghị VPĐP cung cấp mẫu biểu", False, False),
        ("đề nghị chuyển Sở Tài chính chủ trì", False, False),
        ("đã phân bổ kinh phí", False, False),
        ("việc này do Sở Công Thương chủ trì", False, False),
    ],
)
def test_obstacle(text: str, extension: bool, obstacle: bool) -> None:
    assert reports_obstacle(fold(text), extension=extension) is obstacle


# --- reassign and the agency proposed ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("Không thuộc chức năng của Sở, đề nghị chuyển Sở Tài chính chủ trì", "Sở Tài chính"),
        ("đề nghị giao nhiệm vụ này cho Liên minh HTX tỉnh", "Liên minh HTX tỉnh"),
        ("đề nghị anh chuyển sang Phòng Kinh tế hạ tầng ạ", "Phòng Kinh tế hạ tầng"),
        ("Sở chỉ phối hợp, chủ trì là Sở KHĐT", "Sở KHĐT"),
        ("Việc này do Sở Công Thương chủ trì, bên em chỉ phối hợp", "Sở Công Thương"),
        ("ko phải việc của bên em, bên Sở TNMT làm", "Sở TNMT"),
        ("Đây là nhiệm vụ của Hội Nông dân tỉnh, không phải của Sở", "Hội Nông dân tỉnh"),
        ("đề nghị chuyển cho Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("phải do UBND huyện Hương Khê chủ trì mới đúng", "UBND huyện Hương Khê"),
        ("Không thuộc chức năng nhiệm vụ của Sở Tư pháp", None),
        ("bên em chỉ phối hợp thôi ạ", None),
        ("Sở không được giao nhiệm vụ này, đề nghị kiểm tra lại", None),
    ],
)
def test_reassign_and_agency(text: str, agency: str | None) -> None:
    assert refuses_task(fold(text))
    assert proposed_agency(clean(text)) == agency


@pytest.mark.parametrize(
    "text",
    [
        "Sở đã giao phòng Kế hoạch - Tài chính theo dõi",
        "đề nghị Sở Tài chính chuyển kinh phí",
        "đã hoàn thành nhiệm vụ được giao",
        "Nhiệm vụ này thuộc Chương trình năm 2021",
    ],
)
def test_not_a_refusal(text: str) -> None:
    assert not refuses_task(fold(text))


# --- documents ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("Quyết định số 45/QĐ-UBND", True),
        ("Tờ trình số 15/TTr-UBND", True),
        ("QĐ 1234/QĐ-UBND", True),
        ("Thông báo 22-TB/BCĐ", True),
        ("QĐ số 45", True),
        ("văn bản số 234", True),
        ("em gửi kèm Quyết định phê duyệt", False),
        ("ngày 15/01/2020", False),
        ("đạt 3/5 nội dung", False),
        ("sđt 0912 345 678", False),
    ],
)
def test_documents(text: str, cited: bool) -> None:
    assert cites_document(fold(text)) is cited


# --- the reader: precedence and items ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "percent"),
    [
        ("đạt %", Intent.UNCLEAR, None),
        ("50", Intent.UNCLEAR, None),
        ("✅", Intent.UNCLEAR, None),
        ("👍", Intent.ACKNOWLEDGE, None),
        ("Đã hoàn thành chưa ạ?", Intent.UNCLEAR, None),
        ("Đã thực hiện", Intent.UNCLEAR, None),
        ("Không thuộc chức năng, xin gia hạn đến 30/4", Intent.REASSIGN, None),  # reassign first
        ("Đạt 70%, xin gia hạn đến 30/4", Intent.EXTENSION, 70),  # extension before progress
        ("Đã hoàn thành phần lớn, xin gia hạn thêm 1 tuần", Intent.EXTENSION, None),
        ("Đã hoàn thành. Tuy nhiên còn vướng kinh phí", Intent.DONE, 100),  # done keeps obstacle
        ("Hoàn thành 70%", Intent.PROGRESS, 70),  # a percent below 100 beats the done words
        ("100%", Intent.DONE, 100),
        ("Đạt 40%, vướng kinh phí", Intent.BLOCKED, 40),
        ("Đã tiếp nhận và đang triển khai", Intent.PROGRESS, None),
        ("đang làm", Intent.PROGRESS, None),
        ("Đã trình UBND tỉnh", Intent.NOTE, None),
        ("Cho em hỏi hạn là ngày nào ạ?", Intent.NOTE, None),
        ("Dạ em đã nhận được nv ạ", Intent.ACKNOWLEDGE, None),
        ("Chưa", Intent.ACKNOWLEDGE, None),
        ("em sẽ triển khai", Intent.ACKNOWLEDGE, None),
        ("Đầu mối mới là chị Lan", Intent.NOTE, None),
        ("abc", Intent.UNCLEAR, None),
    ],
)
def test_precedence(text: str, intent: Intent, percent: int | None) -> None:
    (item,) = read_reply(text, ONE)
    assert (item.intent, item.percent) == (intent, percent)


def test_an_extension_carries_its_date_and_its_cause() -> None:
    (item,) = read_reply("xin lùi hạn sang 15/02/2020 do chờ ý kiến UBND tỉnh", ONE)
    assert (item.intent, item.until, item.obstacle) == (Intent.EXTENSION, date(2020, 2, 15), True)


def test_the_calendar_question_takes_a_date_alone() -> None:
    asked = ReplyContext(today=TODAY, deadline=DEADLINE, expects_date=True)
    (item,) = read_reply("hết tháng 4 do chờ hướng dẫn của Bộ", asked)
    assert (item.intent, item.until, item.obstacle) == (Intent.EXTENSION, date(2020, 4, 30), True)


def test_a_document_is_flagged_so_the_bot_can_ask() -> None:
    (item,) = read_reply("Đã trình UBND tỉnh tại Tờ trình số 15/TTr-UBND", ONE)
    assert (item.intent, item.cites_document) == (Intent.NOTE, True)


def test_a_digest_gives_one_item_per_line_in_order() -> None:
    items = read_reply("1. xong\n2. đạt 50%\n3. vướng kinh phí", DIGEST)
    assert [(i.line, i.intent, i.percent, i.obstacle) for i in items] == [
        (1, Intent.DONE, 100, False),
        (2, Intent.PROGRESS, 50, False),
        (3, Intent.BLOCKED, None, True),
    ]
    assert [i.text for i in items] == ["xong", "đạt 50%", "vướng kinh phí"]


def test_items_as_json_are_the_issue_shape() -> None:
    (item,) = read_reply("#32 xin gia hạn đến 30/4", DIGEST)
    assert item.as_json() == {
        "line": None,
        "task": "32",
        "intent": "extension",
        "percent": None,
        "until": "2020-04-30",
        "obstacle": False,
    }


def test_empty_text_has_no_item() -> None:
    assert read_reply(" \u200b\n", ONE) == []


# --- a message that replies to nothing ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "report"),
    [
        ("Sở Tài chính báo cáo: nhiệm vụ #31 đã hoàn thành", True),
        ("#31 vướng mặt bằng", True),
        ("đã xong", True),  # a report: the bot asks which task
        ("xin gia hạn đến 30/4", True),
        ("không thuộc chức năng của Sở", True),
        ("đạt 70%", True),
        ("ok", False),
        ("Chiều nay họp lúc 2h nhé mọi người", False),
        ("em vướng họp, lát em gọi lại", False),
        ("đang làm đây", False),
        ("?", False),
    ],
)
def test_a_message_that_replies_to_nothing(text: str, report: bool) -> None:
    context = ReplyContext(today=TODAY)
    assert reads_as_report(read_reply(text, context)) is report
