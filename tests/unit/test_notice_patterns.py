"""The reader's general patterns (issue 15, item 5), each on a small notice written for it.

Structure: a body with no formal header, the issuer's introduction on the task's line,
connectives, "…; Sở X …" clauses. Agencies: heads' titles, headings to heads of agencies,
plural lists, names bounded by the directory, groups kept as groups. Not tasks: "Kính gửi",
background, sign-offs, a Quyết định's articles. The notices below are invented for these
tests; none comes from the measured corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.agency_data import standard_directory
from bot.domain.calendar import WorkCalendar
from bot.domain.notice import ParsedNotice, ParsedTask, parse_notice

DIRECTORY = standard_directory()


def _tasks(notice: ParsedNotice) -> list[tuple[tuple[str, ...], date | None]]:
    return [(t.lead, t.deadline.end) for t in notice.tasks]


def _task(notice: ParsedNotice, words: str) -> ParsedTask:
    return next(t for t in notice.tasks if words in t.text)


def _nowhere_in_tasks(notice: ParsedNotice, *phrases: str) -> bool:
    return not any(p in t.text for p in phrases for t in notice.tasks)


# --- structure --------------------------------------------------------------------------------

NEWS_PAGE = """Kết luận của Chủ tịch UBND tỉnh về phòng, chống dịch sốt xuất huyết

Chủ tịch UBND tỉnh yêu cầu:

Sở Y tế tổ chức phun hóa chất diệt muỗi tại các ổ dịch, hoàn thành trước ngày 30/6/2024.

Sở Giáo dục và Đào tạo hướng dẫn các trường học tổng vệ sinh môi trường.

Bắc Ninh, ngày 10 tháng 6 năm 2024
"""


def test_a_text_whose_only_date_ends_it_is_read_whole() -> None:
    """Its date line at the end left an empty body: the whole text is read instead."""
    notice = parse_notice(NEWS_PAGE)
    assert notice.document.date == date(2024, 6, 10)
    assert _tasks(notice) == [
        (("Sở Y tế",), date(2024, 6, 30)),
        (("Sở Giáo dục và Đào tạo",), None),
    ]
    reasons = {u.line: u.reason for u in notice.unused}
    assert reasons[3] == "issuer" and reasons[9] == "header"


SAME_LINE_INTRO = """Số: 15/UBND-TH
Ninh Bình, ngày 02 tháng 4 năm 2024

Xét Báo cáo số 88/BC-SCT ngày 28/3/2024 của Sở Công Thương, Chủ tịch UBND tỉnh có ý kiến chỉ đạo \
như sau: Giao Sở Công Thương chủ trì, phối hợp với Sở Tài chính kiểm tra giá xăng dầu, báo cáo \
UBND tỉnh trước ngày 20/4/2024.

Theo đó, giao Sở Tài chính rà soát các khoản phí, hoàn thành trước ngày 30/4/2024; Sở Y tế kiểm \
tra giá thuốc tại các nhà thuốc trong tháng 5/2024.

Về việc này, Công an tỉnh phối hợp kiểm tra các cửa hàng xăng dầu ven quốc lộ.
"""


def test_the_issuer_introduction_on_the_task_line_and_connectives() -> None:
    notice = parse_notice(SAME_LINE_INTRO)
    assert _tasks(notice) == [
        (("Sở Công Thương",), date(2024, 4, 20)),
        (("Sở Tài chính",), date(2024, 4, 30)),
        (("Sở Y tế",), date(2024, 5, 31)),
        (("Công an tỉnh",), None),
    ]
    assert notice.tasks[0].coordinating == ("Sở Tài chính",)
    assert notice.tasks[0].text.startswith("Giao Sở Công Thương")  # the introduction is not in it
    # the cited report's date (28/3/2024) is no deadline, and the introduction is listed
    intro = [u for u in notice.unused if u.line == 4]
    assert [u.reason for u in intro] == ["issuer"] and intro[0].part


PLURAL_LISTS = """THÔNG BÁO
Kết luận của Phó Thủ tướng

Giao các Bộ: Xây dựng, Tài nguyên và Môi trường, Kế hoạch và Đầu tư, Ngân hàng Nhà nước Việt Nam \
hướng dẫn thủ tục đầu tư nhà ở xã hội, hoàn thành trong tháng 8/2024.

Chủ tịch UBND các tỉnh: Bắc Giang, Hải Dương và Hưng Yên bố trí quỹ đất cho nhà ở công nhân.

Yêu cầu UBND các xã: Tân Lập, Tân Hòa, Quang Minh hoàn thành giải phóng mặt bằng trước ngày \
30/9/2024.
"""


def test_plural_lists_are_expanded_into_their_members() -> None:
    notice = parse_notice(PLURAL_LISTS)
    assert [t.lead for t in notice.tasks] == [
        (
            "Bộ Xây dựng",
            "Bộ Tài nguyên và Môi trường",
            "Bộ Kế hoạch và Đầu tư",
            "Ngân hàng Nhà nước Việt Nam",  # named in full: no "Bộ" added
        ),
        ("UBND tỉnh Bắc Giang", "UBND tỉnh Hải Dương", "UBND tỉnh Hưng Yên"),
        ("UBND xã Tân Lập", "UBND xã Tân Hòa", "UBND xã Quang Minh"),
    ]
    assert [t.deadline.end for t in notice.tasks] == [date(2024, 8, 31), None, date(2024, 9, 30)]
    assert all(not t.lead_groups for t in notice.tasks)


# --- agencies ---------------------------------------------------------------------------------

HEADS = """Số: 09/CT-UBND
Gia Lai, ngày 05 tháng 5 năm 2025

CHỈ THỊ
Về tăng cường phòng, chống cháy rừng

1. Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh; Chủ tịch UBND các huyện, thị xã, thành phố:
- Quán triệt phương châm bốn tại chỗ trong phòng cháy rừng.
- Báo cáo kết quả về Sở Nông nghiệp và Môi trường trước ngày 30/6/2025.

2. Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh, Giám đốc Công an tỉnh chỉ đạo lực lượng sẵn sàng \
tham gia chữa cháy rừng.

3. Giám đốc Sở Nông nghiệp và Môi trường là cơ quan thường trực, theo dõi tình hình cháy rừng; \
Sở Nông nghiệp và Môi trường tổng hợp, báo cáo UBND tỉnh hằng tuần.

4. Chủ tịch UBND các huyện: Chư Păh, Ia Grai tổ chức trực 24/24 giờ trong mùa khô.
"""


def test_headings_and_sentences_addressed_to_heads_of_agencies() -> None:
    notice = parse_notice(HEADS)
    groups = ("Các sở, ban, ngành tỉnh", "UBND các huyện, thị xã, thành phố")
    assert [(t.code, t.lead) for t in notice.tasks] == [
        ("1.1", groups),
        ("1.2", groups),
        ("2", ("Bộ Chỉ huy Quân sự tỉnh", "Công an tỉnh")),
        ("3", ("Sở Nông nghiệp và Môi trường",)),  # one doer: "là cơ quan thường trực" ends it
        ("4", ("UBND huyện Chư Păh", "UBND huyện Ia Grai")),
    ]
    assert notice.tasks[0].lead_groups == groups  # groups, never taken for agencies
    assert notice.tasks[1].deadline.end == date(2025, 6, 30)


def test_group_partners_are_kept_apart_from_named_ones() -> None:
    notice = parse_notice(
        "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính, các sở, ngành liên quan và UBND "
        "các huyện, thị xã, thành phố thường xuyên kiểm tra chất lượng công trình."
    )
    (task,) = notice.tasks
    assert task.coordinating == ("Sở Tài chính",)
    assert task.coordinating_groups == (
        "Các sở, ngành liên quan",
        "UBND các huyện, thị xã, thành phố",  # "thường xuyên" is no part of the name
    )


def test_names_that_hold_a_verb_stay_whole() -> None:
    notice = parse_notice(
        "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh khẩn trương hoàn "
        "thành hạng mục cầu, đưa vào sử dụng trong Quý III/2024. Sở Kế hoạch và Đầu tư xây "
        "dựng kế hoạch vốn năm 2025."
    )
    assert [t.lead for t in notice.tasks] == [
        ("Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh",),
        ("Sở Kế hoạch và Đầu tư",),  # here "xây dựng" is the verb
    ]


def test_the_directory_bounds_a_name_the_verb_list_cannot() -> None:
    text = "Sở Y tế cùng các bệnh viện tuyến tỉnh bố trí đội cấp cứu lưu động."
    assert parse_notice(text, directory=DIRECTORY).tasks[0].lead == ("Sở Y tế",)
    # without a directory the reader cannot tell where the name ends
    assert parse_notice(text).tasks[0].lead == ("Sở Y tế cùng các bệnh viện tuyến tỉnh",)


def test_a_qualified_group_is_never_cut_to_the_group_it_qualifies() -> None:
    """ "các xã ven biển" is not "các xã": the office says which, the reader does not guess."""
    notice = parse_notice(
        "UBND các xã, phường ven biển rà soát phương án sơ tán dân.", directory=DIRECTORY
    )
    (task,) = notice.tasks
    assert task.lead == task.lead_groups == ("UBND các xã, phường ven biển",)
    (addressee,) = notice.addressees
    assert (addressee.kind, addressee.canonical, addressee.members) == ("group", None, None)


def test_a_known_group_carries_the_directory_s_members() -> None:
    directory = standard_directory(examples=("Hà Tĩnh",))
    notice = parse_notice(
        "Số: 1/TB-UBND\nHà Tĩnh, ngày 06 tháng 01 năm 2020\n\n"
        "Yêu cầu UBND các huyện, thành phố, thị xã rà soát hộ nghèo trong tháng 01/2020.",
        directory=directory,
    )
    (group,) = notice.addressees
    assert (group.kind, group.canonical) == ("group", "Các huyện, thị xã, thành phố")
    assert group.members is not None and len(group.members) == 13
    assert "Huyện Lộc Hà" in group.members  # it still existed in January 2020


def test_an_agency_that_ceased_names_its_successor_on_the_notice_s_date() -> None:
    text = "Số: 3/TB-UBND\nHuế, ngày 10 tháng 4 năm {year}\n\nSở Kế hoạch và Đầu tư rà soát vốn."
    before = parse_notice(text.format(year=2024), directory=DIRECTORY).addressees
    after = parse_notice(text.format(year=2025), directory=DIRECTORY).addressees
    assert [(a.canonical, a.current) for a in before] == [("Sở Kế hoạch và Đầu tư", None)]
    assert [(a.canonical, a.current) for a in after] == [("Sở Kế hoạch và Đầu tư", "Sở Tài chính")]


def test_several_agencies_in_one_table_cell() -> None:
    notice = parse_notice(
        "TT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời hạn\n"
        "1\tBố trí vốn đối ứng\tGiám đốc Sở Tài chính, Sở Kế hoạch và Đầu tư\t"
        "Các sở, ngành liên quan; Kho bạc Nhà nước tỉnh\t2024\n"
    )
    (task,) = notice.tasks
    assert task.lead == ("Sở Tài chính", "Sở Kế hoạch và Đầu tư")
    assert task.coordinating == ("Kho bạc Nhà nước tỉnh",)
    assert task.coordinating_groups == ("Các sở, ngành liên quan",)
    assert (task.deadline.start, task.deadline.end) == (date(2024, 1, 1), date(2024, 12, 31))


# --- not tasks --------------------------------------------------------------------------------

LETTER = """ỦY BAN NHÂN DÂN
TỈNH PHÚ THỌ
Số: 412/UBND-KTN
V/v xử lý kiến nghị của cử tri

Phú Thọ, ngày 15 tháng 5 năm 2024

Kính gửi:
- Sở Giao thông vận tải;
- Sở Tài chính;
- UBND các huyện: Thanh Sơn, Yên Lập.

UBND tỉnh nhận được Văn bản số 55/BDN ngày 10/5/2024 của Ban Dân nguyện về kiến nghị của cử tri \
huyện Thanh Sơn. Về việc này, Chủ tịch UBND tỉnh có ý kiến như sau:

Sở Giao thông vận tải kiểm tra, sửa chữa tuyến đường tỉnh 316, báo cáo UBND tỉnh trong tháng 6/2024.

Yêu cầu Thủ trưởng các sở, ngành, Chủ tịch UBND các huyện nghiêm túc thực hiện./.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Hồ Đại Dũng
"""


def test_kinh_gui_background_and_sign_off_are_not_tasks() -> None:
    notice = parse_notice(LETTER)
    assert _tasks(notice) == [(("Sở Giao thông vận tải",), date(2024, 6, 30))]
    assert notice.document.title == "Xử lý kiến nghị của cử tri"
    assert _nowhere_in_tasks(notice, "Kính gửi", "Thanh Sơn, Yên Lập", "nhận được", "nghiêm túc")
    reasons = {u.line: u.reason for u in notice.unused}
    assert [reasons[n] for n in (8, 9, 10, 11)] == ["recipients"] * 4
    assert reasons[13] == "background"
    assert reasons[17] == "closing"
    assert notice.unclassified == ()


DISPATCH = """THỦ TƯỚNG CHÍNH PHỦ
Số: 7/CĐ-TTg
Hà Nội, ngày 4 tháng 3 năm 2024

CÔNG ĐIỆN
Về phòng, chống hạn hán

THỦ TƯỚNG CHÍNH PHỦ điện:
- Chủ tịch Ủy ban nhân dân các tỉnh: Bến Tre, Trà Vinh;
- Các Bộ trưởng: Nông nghiệp và Phát triển nông thôn, Công Thương.

1. Bộ trưởng Bộ Công Thương chỉ đạo bảo đảm cung ứng điện cho trạm bơm.
2. Chủ tịch Ủy ban nhân dân các tỉnh: Bến Tre, Trà Vinh tích trữ nước ngọt.
"""


def test_a_dispatch_s_addressees_are_not_tasks_and_a_minister_is_his_ministry() -> None:
    notice = parse_notice(DISPATCH)
    assert [(t.code, t.lead) for t in notice.tasks] == [
        ("1", ("Bộ Công Thương",)),
        ("2", ("Ủy ban nhân dân tỉnh Bến Tre", "Ủy ban nhân dân tỉnh Trà Vinh")),
    ]
    assert [u.reason for u in notice.unused if u.line in (8, 9, 10)] == ["recipients"] * 3


def test_a_sign_off_typed_without_diacritics() -> None:
    notice = parse_notice(
        "THONG BAO\nKet luan\n\n1. So Y te kiem tra an toan thuc pham.\n"
        "2. Yeu cau Thu truong cac so, ban, nganh nghiem tuc thuc hien Thong bao nay./.\n"
    )
    assert [t.lead for t in notice.tasks] == [("So Y te",)]


@pytest.mark.parametrize(
    "sign_off",
    [
        "Yêu cầu Giám đốc các sở, Thủ trưởng các ban, ngành, Chủ tịch UBND các xã, phường "
        "nghiêm túc thực hiện Chỉ thị này./.",
        "Nhận được văn bản này, yêu cầu các cơ quan, đơn vị, địa phương khẩn trương triển khai "
        "thực hiện./.",
        "Trên đây là ý kiến kết luận của Chủ tịch UBND tỉnh tại buổi làm việc.",
        "Chánh Văn phòng UBND tỉnh, Thủ trưởng các sở, ban, ngành và các cơ quan, đơn vị liên "
        "quan chịu trách nhiệm thi hành Quyết định này./.",
    ],
)
def test_sign_offs_are_not_tasks(sign_off: str) -> None:
    notice = parse_notice(
        "THÔNG BÁO\nKết luận\n\n1. Sở Y tế kiểm tra an toàn thực phẩm trước ngày 15/1/2025.\n\n"
        + sign_off
    )
    assert _tasks(notice) == [(("Sở Y tế",), date(2025, 1, 15))]
    assert any(u.reason == "closing" for u in notice.unused)


def test_an_agency_told_to_carry_out_something_of_its_own_keeps_its_task() -> None:
    notice = parse_notice(
        "THÔNG BÁO\nKết luận\n\n1. Sở Y tế kiểm tra an toàn thực phẩm.\n\n"
        "UBND các huyện chủ động tổ chức thực hiện Kế hoạch này trên địa bàn."
    )
    assert [t.lead for t in notice.tasks] == [("Sở Y tế",), ("UBND các huyện",)]


def test_a_background_clause_before_a_task_is_cut_off_with_its_date() -> None:
    notice = parse_notice(
        "Thực hiện Công văn số 12/BXD-QLN ngày 03/01/2024 của Bộ Xây dựng, Sở Xây dựng rà soát "
        "nhu cầu nhà ở xã hội."
    )
    (task,) = notice.tasks
    assert task.lead == ("Sở Xây dựng",) and task.text.startswith("Sở Xây dựng rà soát")
    assert task.deadline.end is None  # 03/01/2024 is the cited letter's date
    assert [(u.reason, u.part) for u in notice.unused] == [("background", True)]


def test_an_undated_background_clause_stays_in_the_task_s_wording() -> None:
    notice = parse_notice(
        "Căn cứ kết quả thanh tra, Công an tỉnh khẩn trương điều tra các vụ việc có dấu hiệu tội "
        "phạm, báo cáo trước ngày 30/6/2023."
    )
    (task,) = notice.tasks
    assert task.lead == ("Công an tỉnh",) and task.text.startswith("Căn cứ kết quả thanh tra")
    assert task.deadline.end == date(2023, 6, 30) and notice.unused == ()


DECISION = """ỦY BAN NHÂN DÂN
TỈNH KON TUM
Số: 300/QĐ-UBND

Kon Tum, ngày 20 tháng 3 năm 2024

QUYẾT ĐỊNH
Ban hành Kế hoạch phòng, chống thiên tai năm 2024

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH

Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013;
Theo đề nghị của Giám đốc Sở Nông nghiệp và Phát triển nông thôn.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống thiên tai năm 2024.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

Điều 3. Chánh Văn phòng UBND tỉnh, Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND các huyện \
chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 3;
- Lưu: VT.

CHỦ TỊCH

Lê Ngọc Tuấn

KẾ HOẠCH
Phòng, chống thiên tai năm 2024
(Ban hành kèm theo Quyết định số 300/QĐ-UBND ngày 20/3/2024 của Chủ tịch UBND tỉnh)

I. MỤC ĐÍCH, YÊU CẦU
1. Chủ động phòng ngừa, giảm thiểu thiệt hại do thiên tai gây ra.

II. NHIỆM VỤ
| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn |
|---|---|---|---|---|
| 1 | Kiện toàn Ban Chỉ huy phòng, chống thiên tai các cấp | UBND các huyện | Sở Nông nghiệp và PTNT | Tháng 4/2024 |
| 2 | Diễn tập ứng phó lũ quét | Bộ Chỉ huy Quân sự tỉnh | Các sở, ngành liên quan | 2024 - 2025 |
"""


def test_a_decision_s_articles_give_way_to_its_appendix_table() -> None:
    notice = parse_notice(DECISION)
    assert [(t.code, t.lead, t.deadline.end) for t in notice.tasks] == [
        ("1", ("UBND các huyện",), date(2024, 4, 30)),
        ("2", ("Bộ Chỉ huy Quân sự tỉnh",), date(2025, 12, 31)),
    ]
    assert notice.tasks[1].coordinating_groups == ("Các sở, ngành liên quan",)
    assert [t.lines for t in notice.tasks] == [(41,), (42,)]
    reasons = {u.line: u.reason for u in notice.unused}
    assert (reasons[17], reasons[19], reasons[21]) == ("formal", "formal", "closing")
    assert reasons[12] == reasons[13] == "background"  # legal bases
    assert reasons[36] == "background"  # the plan's aims
    assert notice.unclassified == ()


# --- deadlines in context ---------------------------------------------------------------------


def test_a_relative_deadline_counts_from_the_notice_on_the_calendar_given() -> None:
    text = (
        "Số: 5/TB-UBND\nHuế, ngày 26 tháng 4 năm 2024\n\n"
        "Sở Xây dựng trình phương án trong 5 ngày làm việc kể từ ngày ban hành Thông báo này."
    )
    holidays = frozenset({date(2024, 4, 29), date(2024, 4, 30), date(2024, 5, 1)})
    notice = parse_notice(text, calendar=WorkCalendar(holidays=holidays))
    (task,) = notice.tasks
    assert task.deadline.end == date(2024, 5, 8)  # 29/4 to 1/5 off
    assert task.deadline.rule == "5 ngày làm việc kể từ ngày ban hành 26/04/2024"
    assert task.problems == () and notice.problems == ()
    without = parse_notice(text)  # no calendar: Monday to Friday, and the notice says so
    assert without.tasks[0].deadline.end == date(2024, 5, 3)
    assert any("ngày nghỉ lễ" in p for p in without.problems)
