"""Notice layouts other than the seed's: sentence style, numbered opinions, sub-bullets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.domain.notice import ParsedNotice, detect_legacy_encoding, parse_notice
from bot.domain.types import DeadlineKind

D = DeadlineKind


def _by_code(notice: ParsedNotice) -> dict[str, tuple[tuple[str, ...], DeadlineKind, date | None]]:
    return {t.code: (t.lead, t.deadline.kind, t.deadline.end) for t in notice.tasks}


@pytest.fixture(scope="module")
def sentence_notice(fixtures_dir: Path) -> ParsedNotice:
    return parse_notice((fixtures_dir / "45-TB-UBND-sentence.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def numbered_notice(fixtures_dir: Path) -> ParsedNotice:
    return parse_notice((fixtures_dir / "112-TB-VPUB-numbered.txt").read_text(encoding="utf-8"))


def test_sentence_style_metadata(sentence_notice: ParsedNotice) -> None:
    doc = sentence_notice.document
    assert doc.number == "45/TB-UBND"
    assert doc.date == date(2020, 3, 12)
    assert doc.place == "Quảng Bình"
    assert doc.issuer == "Ủy ban nhân dân tỉnh Quảng Bình"
    assert doc.signer == "Hoàng Minh Đức"
    assert doc.signer_title == "TL. CHỦ TỊCH CHÁNH VĂN PHÒNG"
    assert doc.title == (
        "Ý kiến kết luận của Chủ tịch UBND tỉnh tại cuộc họp về tiến độ thực hiện "
        "Chương trình MTQG xây dựng nông thôn mới quý I năm 2020"
    )


def test_sentence_style_tasks(sentence_notice: ParsedNotice) -> None:
    assert _by_code(sentence_notice) == {
        "1": (("Sở Tài chính",), D.DATE, date(2020, 3, 31)),
        "2": (("Sở Nông nghiệp và PTNT",), D.MONTH, date(2020, 4, 30)),
        "3": (("UBND các huyện, thị xã, thành phố",), D.DATE, date(2020, 4, 15)),
        "4": (("Ủy ban MTTQ Việt Nam tỉnh", "Các tổ chức chính trị - xã hội tỉnh"), D.NONE, None),
        "5": (("Sở Y tế",), D.QUARTER, date(2020, 6, 30)),
        "6": (("Văn phòng UBND tỉnh",), D.NONE, None),
    }
    tasks = {t.code: t for t in sentence_notice.tasks}
    assert tasks["1"].coordinating == ("Sở Kế hoạch và Đầu tư", "Kho bạc Nhà nước tỉnh")
    assert tasks["5"].coordinating == ("Sở Giáo dục và Đào tạo",)
    assert tasks["4"].deadline.source_phrase == "thường xuyên"
    assert sentence_notice.unclassified == ()
    # background ("Trong quý I năm 2020, các địa phương đã ...") and the formula are not tasks
    assert all(
        "đã tập trung" not in t.text and "biết, thực hiện" not in t.text for t in tasks.values()
    )


def test_numbered_opinions_inline_and_sub_items(numbered_notice: ParsedNotice) -> None:
    doc = numbered_notice.document
    assert (doc.number, doc.date, doc.signer) == (
        "112/TB-VPUB",
        date(2021, 2, 5),
        "Nguyễn Thị Hương",
    )
    assert doc.issuer == "Văn phòng UBND tỉnh Nghệ An"
    assert _by_code(numbered_notice) == {
        "2": (("Sở Kế hoạch và Đầu tư",), D.DATE, date(2021, 2, 28)),
        "3": (
            ("UBND huyện Quỳnh Lưu", "UBND huyện Diễn Châu", "UBND huyện Yên Thành"),
            D.DATE,
            date(2021, 3, 15),
        ),
        "4.a": (("Sở Thông tin và Truyền thông",), D.HALF_YEAR, date(2021, 6, 30)),
        "4.b": (("Báo Nghệ An", "Đài Phát thanh và Truyền hình tỉnh"), D.NONE, None),
        "5.1": (("Sở Công Thương",), D.RANGE, date(2021, 4, 25)),
        "5.2": (("Sở Công Thương",), D.YEAR, date(2021, 12, 31)),
        "6.1.1": (("Sở Tài nguyên và Môi trường",), D.MONTH, date(2021, 3, 31)),
        "6.1.2": (("Sở Tài nguyên và Môi trường",), D.NONE, None),
        "6.2": (("Sở Lao động - Thương binh và Xã hội",), D.DATE, date(2021, 6, 30)),
    }
    tasks = {t.code: t for t in numbered_notice.tasks}
    assert tasks["2"].coordinating == ("Sở Tài chính",)
    assert tasks["5.2"].text.endswith("+ Ưu tiên các sản phẩm đạt 4 sao.")  # "+" continues
    assert tasks["6.2"].text.startswith("Rà soát hộ nghèo")
    assert numbered_notice.unclassified == (
        "Cơ bản thống nhất với báo cáo của Văn phòng Điều phối nông thôn mới tỉnh.",
    )


INLINE = """THÔNG BÁO
Ý kiến của Chủ tịch UBND tỉnh

Chủ tịch UBND tỉnh có ý kiến như sau: 1. Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính \
mua sắm trang thiết bị, hoàn thành trước ngày 30/4/2020. 2. Yêu cầu UBND các huyện tăng \
cường kiểm tra, báo cáo trước 15/5/2020.
"""


def test_inline_enumeration_after_colon() -> None:
    notice = parse_notice(INLINE)
    assert _by_code(notice) == {
        "1": (("Sở Y tế",), D.DATE, date(2020, 4, 30)),
        "2": (("UBND các huyện",), D.DATE, date(2020, 5, 15)),
    }
    assert notice.tasks[0].coordinating == ("Sở Tài chính",)
    assert notice.problems == ("Không tìm thấy số, ký hiệu văn bản", "Không tìm thấy ngày ban hành")


HEADING_PARAGRAPH = """Số: 7/TB-BCĐ
Hà Nội, ngày 3 tháng 1 năm 2022
THÔNG BÁO
Kết luận của Trưởng Ban Chỉ đạo

Thời gian tới, yêu cầu thực hiện tốt các nhiệm vụ sau:
1. Sở Y tế
Chủ trì tổ chức tiêm chủng, hoàn thành trong tháng 01/2022.
• Kiểm tra các cơ sở y tế trước 20/1.
2. Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh: Phối hợp bảo đảm an ninh trật tự dịp Tết.
3. Ủy ban nhân dân các huyện:
a) Rà soát đối tượng, báo cáo trước ngày 10/01/2022.
b) Ủy ban nhân dân huyện Ba Vì khẩn trương hoàn thành Đề án trong quý I/2022.
"""


def test_heading_with_paragraph_bullets_and_letters() -> None:
    notice = parse_notice(HEADING_PARAGRAPH)
    assert notice.document.number == "7/TB-BCĐ"
    assert notice.document.place == "Hà Nội"
    assert _by_code(notice) == {
        "1.1": (("Sở Y tế",), D.MONTH, date(2022, 1, 31)),
        "1.2": (("Sở Y tế",), D.DATE, date(2022, 1, 20)),
        "2": (("Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"), D.NONE, None),
        "3.a": (("Ủy ban nhân dân các huyện",), D.DATE, date(2022, 1, 10)),
        "3.b": (("Ủy ban nhân dân huyện Ba Vì",), D.QUARTER, date(2022, 3, 31)),
    }


def test_closing_follow_up_paragraph_leads_and_coordinating() -> None:
    text = HEADING_PARAGRAPH + (
        "\nVăn phòng UBND tỉnh, Sở Nội vụ phối hợp với Văn phòng Tỉnh ủy theo dõi, đôn đốc việc "
        "thực hiện Thông báo này./.\n\nNơi nhận:\n- Như trên;\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n"
        "Lê Văn Minh\n"
    )
    notice = parse_notice(text)
    last = notice.tasks[-1]
    assert last.code == "C.1"
    assert last.lead == ("Văn phòng UBND tỉnh", "Sở Nội vụ")
    assert last.coordinating == ("Văn phòng Tỉnh ủy",)
    assert notice.document.signer == "Lê Văn Minh"
    assert notice.document.signer_title == "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"


def test_text_without_diacritics() -> None:
    text = (
        "THONG BAO\nKet luan cua Chu tich UBND tinh\n\n"
        "Giao So Tai chinh chu tri, phoi hop voi So Ke hoach va Dau tu tham muu phan bo von, "
        "hoan thanh truoc ngay 31/03/2020.\n"
    )
    notice = parse_notice(text)
    assert [(t.lead, t.coordinating, t.deadline.end) for t in notice.tasks] == [
        (("So Tai chinh",), ("So Ke hoach va Dau tu",), date(2020, 3, 31))
    ]


def test_attendance_list_is_not_tasks() -> None:
    text = (
        "THÔNG BÁO\nKết luận\n\nThành phần tham dự cuộc họp gồm:\n- Sở Y tế\n- Sở Tài chính\n\n"
        "Kết luận như sau:\n- Giao Sở Y tế tổng hợp, báo cáo trước 30/6/2020.\n"
    )
    notice = parse_notice(text)
    assert [t.lead for t in notice.tasks] == [("Sở Y tế",)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Th«ng b¸o kÕt luËn cña Ban chØ ®¹o vÒ viÖc triÓn khai", "TCVN3"),
        ("Thoâng baùo keát luaän cuûa Ban chæ ñaïo veà vieäc trieån khai", "VNI"),
        ("Thông báo kết luận của Ban Chỉ đạo về việc triển khai", None),
        ("", None),
        ("plain ascii text", None),
    ],
)
def test_detect_legacy_encoding(text: str, expected: str | None) -> None:
    assert detect_legacy_encoding(text) == expected


def test_legacy_text_is_reported_as_a_problem() -> None:
    notice = parse_notice("Th«ng b¸o kÕt luËn cña Ban chØ ®¹o tØnh vÒ viÖc triÓn khai")
    assert any("TCVN3" in p for p in notice.problems)


def test_empty_input() -> None:
    notice = parse_notice("")
    assert notice.tasks == () and notice.unclassified == ()
    assert "Không tìm thấy nhiệm vụ nào" in notice.problems
