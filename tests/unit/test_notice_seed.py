"""The real notice 22-TB/BCĐ (Hà Tĩnh, 27/12/2019): metadata, every task, lead and deadline."""

from __future__ import annotations

import json
import unicodedata
from datetime import date

import pytest

from bot.domain.agency_names import agency_key
from bot.domain.notice import ParsedNotice, parse_notice
from bot.domain.types import DeadlineKind

VPDP = "Văn phòng Điều phối nông thôn mới tỉnh"
SNN = "Sở Nông nghiệp và Phát triển nông thôn"
HUYEN = "Các huyện, thành phố, thị xã"
SO_NGANH = "Các sở ngành theo tiêu chí phụ trách"
D = DeadlineKind

# code -> (leads, deadline kind, deadline end or None)
EXPECTED: dict[str, tuple[tuple[str, ...], DeadlineKind, date | None]] = {
    "I.1.1": ((VPDP,), D.RANGE, date(2020, 1, 20)),
    "I.1.2": ((VPDP,), D.DATE, date(2019, 12, 31)),
    "I.1.3": ((VPDP,), D.NONE, None),
    "I.1.4": ((VPDP,), D.NONE, None),
    "I.1.5": ((VPDP,), D.NONE, None),
    "I.1.6": ((VPDP,), D.QUARTER, date(2020, 3, 31)),
    "I.1.7": ((VPDP,), D.NONE, None),
    "I.1.8": ((VPDP,), D.NONE, None),
    "I.2.1": ((SNN,), D.NONE, None),
    "I.2.2": ((SNN,), D.NONE, None),
    "I.2.3": ((SNN,), D.NONE, None),
    "I.3": (("Sở Công Thương",), D.NONE, None),
    "I.4": (("Sở Giao thông vận tải",), D.NONE, None),
    "I.5": (("Sở Lao động, Thương binh và Xã hội",), D.NONE, None),
    "I.6.1": (("Sở Tài chính",), D.NONE, None),
    "I.6.2": (("Sở Tài chính",), D.DATE, date(2020, 3, 31)),
    "I.7": (("Sở Văn hóa Thể thao và Du lịch",), D.NONE, None),
    "I.8.1": ((SO_NGANH,), D.DATE, date(2020, 1, 15)),
    "I.8.2": ((SO_NGANH,), D.NONE, None),
    "I.8.3": ((SO_NGANH,), D.NONE, None),
    "I.9.1": (("Đài Phát thanh và Truyền hình tỉnh", "Báo Hà Tĩnh"), D.NONE, None),
    "I.9.2": (("Đài Phát thanh và Truyền hình tỉnh",), D.NONE, None),
    "I.10": (("Mặt trận Tổ quốc tỉnh", "Các tổ chức đoàn thể"), D.NONE, None),
    "I.11": (("Các đơn vị được giao, chấp thuận đỡ đầu xây dựng nông thôn mới",), D.NONE, None),
    "II.1": ((HUYEN,), D.NONE, None),
    "II.2": ((HUYEN,), D.DATE, date(2019, 12, 31)),
    "II.3": ((HUYEN,), D.NONE, None),
    "II.4": (("Huyện Kỳ Anh", "Huyện Hương Khê", "Huyện Thạch Hà"), D.DATE, date(2020, 2, 15)),
    "II.5": (("Huyện Nghi Xuân",), D.NONE, None),
    "II.6": ((HUYEN,), D.NONE, None),
    "II.7": ((HUYEN,), D.NONE, None),
    "C.1": (("Các đồng chí Trưởng các Đoàn công tác của Ban Thường vụ Tỉnh ủy",), D.NONE, None),
    "C.2": (
        (
            "Văn phòng Điều phối Chương trình nông thôn mới tỉnh",
            "Sở Lao động - Thương binh và Xã hội",
            "Sở Xây dựng",
        ),
        D.NONE,
        None,
    ),
}


@pytest.fixture(scope="module")
def notice(seed_text: str) -> ParsedNotice:
    return parse_notice(seed_text)


def test_document_metadata(notice: ParsedNotice) -> None:
    doc = notice.document
    assert doc.number == "22-TB/BCĐ"
    assert doc.date == date(2019, 12, 27)
    assert doc.place == "Hà Tĩnh"
    assert doc.issuer is not None
    assert doc.issuer.startswith("Ban Chỉ đạo thực hiện Chương trình MTQG xây dựng nông thôn mới")
    assert doc.issuer.endswith("mỗi xã một sản phẩm")
    assert doc.signer == "Đặng Ngọc Sơn"
    assert doc.signer_title == "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN"
    assert doc.title is not None and doc.title.startswith("Kết luận của Thường trực Ban Chỉ đạo")
    assert doc.title.endswith("tại cuộc họp tháng 12 năm 2019")
    assert notice.problems == ()


def test_every_task_code_lead_and_deadline(notice: ParsedNotice) -> None:
    got = {t.code: (t.lead, t.deadline.kind, t.deadline.end) for t in notice.tasks}
    assert got == EXPECTED
    assert [t.code for t in notice.tasks] == list(EXPECTED)


def test_task_texts_are_the_notice_wording(notice: ParsedNotice) -> None:
    by_code = {t.code: t for t in notice.tasks}
    assert by_code["I.1.1"].text.startswith("Tham mưu tổ chức tổng kết Chương trình Mục tiêu")
    assert by_code["I.1.1"].text.endswith("thời gian tổ chức từ 15/01-20/01/2020.")
    assert by_code["I.5"].text.startswith("Chủ trì, phối hợp với các sở ban ngành, UBND cấp huyện")
    assert by_code["I.1.3"].text.endswith(
        "Đôn đốc các huyện: Kỳ Anh, Thạch Hà, Hương Khê xây dựng Đề án huyện đạt chuẩn nông thôn mới."
    )
    assert by_code["II.4"].text.startswith("Các huyện: Kỳ Anh, Hương Khê, Thạch Hà lập Đề án")
    assert by_code["II.5"].text.startswith("Huyện Nghi Xuân tiếp thu, hoàn chỉnh Đề án")
    assert not by_code["C.2"].text.endswith("/.")
    for task in notice.tasks:
        assert "  " not in task.text and task.text == task.text.strip()


def test_deadline_source_phrases(notice: ParsedNotice) -> None:
    by_code = {t.code: t.deadline for t in notice.tasks}
    assert by_code["I.1.1"].source_phrase == "từ 15/01-20/01/2020"
    assert by_code["I.1.1"].start == date(2020, 1, 15)
    assert by_code["I.1.6"].source_phrase == "trong Quý I/2020"
    assert by_code["I.1.6"].start == date(2020, 1, 1)
    assert by_code["I.8.1"].source_phrase == "trước ngày 15/01/2020"
    assert by_code["II.2"].source_phrase == "đến 31/12/2019"


def test_coordinating_agencies(notice: ParsedNotice) -> None:
    by_code = {t.code: t for t in notice.tasks}
    assert by_code["I.6.2"].coordinating == (
        "Văn phòng Điều phối NTM tỉnh",
        "Sở Kế hoạch và Đầu tư",
    )
    assert by_code["C.2"].coordinating == (
        "Văn phòng Tỉnh ủy",
        "Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh",
    )
    assert by_code["I.5"].coordinating == ()  # groups only: "các sở ban ngành, UBND cấp huyện"


def test_not_tasks(notice: ParsedNotice) -> None:
    texts = " ".join(t.text for t in notice.tasks)
    assert "Ngày 23/12/2019" not in texts
    assert "Tuy vậy" not in texts
    assert "Tháng 12/2019 Chương trình" not in texts
    assert "Thời gian tới yêu cầu" not in texts
    assert "Nơi nhận" not in texts and "Lưu Văn phòng" not in texts
    assert "Chủ động chỉ đạo, tổ chức thực hiện" not in texts  # part II lead-in
    assert notice.unclassified == ()


def test_agencies_distinct_in_order_of_appearance(notice: ParsedNotice) -> None:
    agencies = notice.agencies
    assert agencies[:3] == (VPDP, SNN, "Sở Công Thương")
    assert HUYEN in agencies and SO_NGANH in agencies and "Huyện Nghi Xuân" in agencies
    keys = [agency_key(a) for a in agencies]
    assert len(keys) == len(set(keys))
    # "Văn phòng Điều phối Chương trình nông thôn mới tỉnh" is the same office as VPDP
    assert "Văn phòng Điều phối Chương trình nông thôn mới tỉnh" not in agencies
    assert "Sở Lao động - Thương binh và Xã hội" not in agencies


def test_json_shape(notice: ParsedNotice) -> None:
    data = notice.to_json_dict()
    assert set(data) == {"document", "tasks"}
    assert data["document"] == {
        "number": "22-TB/BCĐ",
        "date": "2019-12-27",
        "issuer": notice.document.issuer,
        "signer": "Đặng Ngọc Sơn",
        "title": notice.document.title,
    }
    first = data["tasks"][0]
    assert set(first) == {"code", "lead", "coordinating", "text", "deadline"}
    assert first["deadline"] == {
        "kind": "range",
        "start": "2020-01-15",
        "end": "2020-01-20",
        "source_phrase": "từ 15/01-20/01/2020",
    }
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_same_result_from_nfd_crlf_and_zero_width(seed_text: str, notice: ParsedNotice) -> None:
    variant = (
        unicodedata.normalize("NFD", seed_text).replace("\n", "\r\n").replace("Sở", "S\u200bở")
    )
    other = parse_notice(variant)
    assert [(t.code, t.lead, t.deadline) for t in other.tasks] == [
        (t.code, t.lead, t.deadline) for t in notice.tasks
    ]
    assert other.document == notice.document
