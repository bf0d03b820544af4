"""Agency-name keys, kinds, groups and list splitting."""

from __future__ import annotations

import unicodedata

import pytest

from bot.domain.agency_names import agency_key, group_kind, guess_agency_kind, split_agency_list

SAME = [
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở NN và PTNT", "sở nông nghiệp và phát triển nông thôn"),
    ("VP Điều phối NTM tỉnh", "Văn phòng Điều phối nông thôn mới tỉnh"),
    (
        "Văn phòng Điều phối Chương trình nông thôn mới tỉnh",
        "Văn phòng Điều phối nông thôn mới tỉnh",
    ),
    ("Văn phòng Điều phối xây dựng nông thôn mới", "VPĐP NTM tỉnh"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Uỷ ban nhân dân tỉnh", "ỦY BAN NHÂN DÂN TỈNH"),
    ("Sở LĐTBXH", "Sở Lao động, Thương binh và Xã hội"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở Lao động, Thương binh và Xã hội"),
    ("Sở LĐ-TB&XH", "Sở Lao động Thương binh và Xã hội"),
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
    ("Sở GTVT", "Sở Giao thông vận tải"),
    ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở Văn hóa Thể thao và Du lịch", "Sở Văn hoá, Thể thao và Du lịch"),
    ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
    ("Ủy ban MTTQ Việt Nam tỉnh", "Mặt trận Tổ quốc tỉnh"),
    ("MTTQ tỉnh", "Mặt trận Tổ quốc tỉnh"),
    ("TP Hà Tĩnh", "Thành phố Hà Tĩnh"),
    ("TX. Hồng Lĩnh", "thị xã Hồng Lĩnh"),
    ("UBND huyện Kỳ Anh", "Huyện Kỳ Anh"),
    ("Sở Tài chính tỉnh", "Sở Tài chính"),
    ("Sở Thủy lợi", "Sở Thuỷ lợi"),
    ("Sở Y tế", unicodedata.normalize("NFD", "SỞ Y TẾ")),
    ("Sở Y\u200b tế", "Sở Y tế"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_agency_same_key(a: str, b: str) -> None:
    assert agency_key(a) == agency_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sở Tài chính", "Sở Tư pháp"),
        ("Huyện Kỳ Anh", "Thị xã Kỳ Anh"),
        ("UBND tỉnh", "HĐND tỉnh"),
        ("Sở Kế hoạch và Đầu tư", "Sở Khoa học và Công nghệ"),
    ],
)
def test_different_agencies_differ(a: str, b: str) -> None:
    assert agency_key(a) != agency_key(b)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Sở Y tế", "so"),
        ("Sở NN&PTNT", "so"),
        ("Huyện Nghi Xuân", "huyen"),
        ("Thị xã Hồng Lĩnh", "huyen"),
        ("Thành phố Hà Tĩnh", "huyen"),
        ("UBND huyện Can Lộc", "huyen"),
        ("Văn phòng Điều phối NTM tỉnh", "van_phong"),
        ("Văn phòng UBND tỉnh", "van_phong"),
        ("Mặt trận Tổ quốc tỉnh", "doan_the"),
        ("Ủy ban MTTQ tỉnh", "doan_the"),
        ("Hội Nông dân tỉnh", "doan_the"),
        ("Tỉnh đoàn", "doan_the"),
        ("Báo Hà Tĩnh", "khac"),
        ("Đài Phát thanh và Truyền hình tỉnh", "khac"),
        ("", "khac"),
    ],
)
def test_guess_agency_kind(name: str, kind: str) -> None:
    assert guess_agency_kind(name) == kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Các huyện, thành phố, thị xã", "huyen"),
        ("UBND các huyện", "huyen"),
        ("UBND các huyện, thị xã, thành phố", "huyen"),
        ("UBND cấp huyện", "huyen"),
        ("Các sở, ngành theo tiêu chí phụ trách", "so"),
        ("Các sở ngành theo tiêu chí phụ trách", "so"),
        ("Các sở ban ngành", "so"),
        ("Các sở, ban, ngành cấp tỉnh", "so"),
        ("Mặt trận Tổ quốc tỉnh và các tổ chức đoàn thể", "doan_the"),
        ("Các tổ chức đoàn thể", "doan_the"),
        ("Các đơn vị được giao, chấp thuận đỡ đầu xây dựng nông thôn mới", "do_dau"),
        ("Sở Tài chính", None),
        ("Huyện Kỳ Anh", None),
        ("Các huyện: Kỳ Anh, Thạch Hà", None),
    ],
)
def test_group_kind(name: str, kind: str | None) -> None:
    assert group_kind(name) == kind


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Đài Phát thanh và Truyền hình tỉnh, Báo Hà Tĩnh",
            ["Đài Phát thanh và Truyền hình tỉnh", "Báo Hà Tĩnh"],
        ),
        ("Sở Lao động, Thương binh và Xã hội", ["Sở Lao động, Thương binh và Xã hội"]),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Các huyện, thành phố, thị xã", ["Các huyện, thành phố, thị xã"]),
        ("Các sở, ban, ngành", ["Các sở, ban, ngành"]),
        (
            "Các huyện: Kỳ Anh, Thạch Hà, Hương Khê",
            ["Huyện Kỳ Anh", "Huyện Thạch Hà", "Huyện Hương Khê"],
        ),
        (
            "UBND các huyện: Kỳ Anh, Can Lộc và thị xã Hồng Lĩnh",
            ["UBND huyện Kỳ Anh", "UBND huyện Can Lộc", "Thị xã Hồng Lĩnh"],
        ),
        (
            "Mặt trận Tổ quốc tỉnh và các tổ chức đoàn thể",
            ["Mặt trận Tổ quốc tỉnh", "Các tổ chức đoàn thể"],
        ),
        (
            "Văn phòng Tỉnh ủy, Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh",
            ["Văn phòng Tỉnh ủy", "Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh"],
        ),
        (
            "Văn phòng Điều phối NTM tỉnh, Sở Kế hoạch và Đầu tư và sở ngành liên quan",
            ["Văn phòng Điều phối NTM tỉnh", "Sở Kế hoạch và Đầu tư", "Sở ngành liên quan"],
        ),
        ("Sở Tài chính và Kho bạc Nhà nước tỉnh", ["Sở Tài chính", "Kho bạc Nhà nước tỉnh"]),
        ("UBND tỉnh; Ban Chỉ đạo tỉnh.", ["UBND tỉnh", "Ban Chỉ đạo tỉnh"]),
        ("", []),
        ("  ,  ", []),
    ],
)
def test_split_agency_list(text: str, names: list[str]) -> None:
    assert split_agency_list(text) == names


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở TNMT", "Sở Tài nguyên và Môi trường"),
        ("Sở GDĐT", "Sở Giáo dục và Đào tạo"),
    ],
)
def test_half_abbreviations_match_the_full_name(short: str, full: str) -> None:
    assert agency_key(short) == agency_key(full)
