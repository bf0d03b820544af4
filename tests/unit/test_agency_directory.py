"""The agency directory's rules (bot/domain/agency_directory.py) on the shipped data."""

from __future__ import annotations

from datetime import date

import pytest

from bot.agency_data import load_standard_data, standard_directory
from bot.domain.agency_directory import Agency, Directory, Group, fold_titles, name_key

DIRECTORY = standard_directory(examples=("Hà Tĩnh",))
BEFORE = date(2019, 12, 27)
AFTER = date(2025, 10, 1)


def resolved(name: str, on: date | None = None) -> tuple[str, tuple[str, ...]]:
    found = DIRECTORY.resolve(name, on=on)
    return found.kind, found.names


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        # titles of the head fold to the agency
        ("Giám đốc Sở Y tế", "Sở Y tế"),
        ("Phó Giám đốc Sở Tài chính", "Sở Tài chính"),
        ("Giám đốc Công an tỉnh", "Công an tỉnh"),
        ("Công an tỉnh", "Công an tỉnh"),
        ("Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
        ("Chánh Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("Chánh Thanh tra tỉnh", "Thanh tra tỉnh"),
        ("đồng chí Giám đốc Sở Xây dựng", "Sở Xây dựng"),
        # abbreviations and short names
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở Lao động, Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở GTVT", "Sở Giao thông vận tải"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở NN&MT", "Sở Nông nghiệp và Môi trường"),
        ("Đài PT-TH tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
        ("Đài Phát thanh - Truyền hình tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
        ("BCHQS tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("Mặt trận Tổ quốc tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("VPĐP NTM tỉnh", "Văn phòng Điều phối nông thôn mới tỉnh"),
        # case, Unicode forms, tone placement, a trailing "tỉnh"
        ("SỞ Y TẾ", "Sở Y tế"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("So\u031b\u0309 Ta\u0300i chi\u0301nh", "Sở Tài chính"),
        ("Sở Tư pháp tỉnh", "Sở Tư pháp"),
        # a district: "UBND huyện X" == "Huyện X" == its chairman
        ("UBND huyện Can Lộc", "Huyện Can Lộc"),
        ("Chủ tịch UBND huyện Can Lộc", "Huyện Can Lộc"),
        ("Ủy ban nhân dân thị xã Hồng Lĩnh", "Thị xã Hồng Lĩnh"),
        ("UBND TX Hồng Lĩnh", "Thị xã Hồng Lĩnh"),
        ("UBND TP Hà Tĩnh", "Thành phố Hà Tĩnh"),
    ],
)
def test_a_written_name_resolves_to_its_agency(written: str, canonical: str) -> None:
    assert resolved(written) == ("agency", (canonical,))


@pytest.mark.parametrize(
    ("written", "group"),
    [
        ("Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh", "Các sở, ban, ngành"),
        ("Thủ trưởng các sở, ban, ngành", "Các sở, ban, ngành"),
        ("các sở, ban, ngành liên quan", "Các sở, ban, ngành"),
        ("Các sở ngành", "Các sở, ban, ngành"),
        ("UBND các huyện, thị xã, thành phố", "Các huyện, thị xã, thành phố"),
        ("UBND các huyện, thành phố, thị xã", "Các huyện, thị xã, thành phố"),
        ("Chủ tịch UBND các thị xã, thành phố, huyện", "Các huyện, thị xã, thành phố"),
        ("UBND cấp huyện", "Các huyện, thị xã, thành phố"),
        ("UBND các xã, phường", "Các xã, phường, đặc khu"),
        ("Chủ tịch UBND các xã, phường, đặc khu", "Các xã, phường, đặc khu"),
        ("các tổ chức đoàn thể", "Các tổ chức chính trị - xã hội tỉnh"),
        ("các tổ chức chính trị - xã hội tỉnh", "Các tổ chức chính trị - xã hội tỉnh"),
        (
            "Các đơn vị được giao, chấp thuận đỡ đầu xây dựng nông thôn mới",
            "Các đơn vị đỡ đầu xây dựng nông thôn mới",
        ),
    ],
)
def test_a_collective_addressee_is_a_group_not_an_agency(written: str, group: str) -> None:
    assert resolved(written) == ("group", (group,))


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("UBND các xã, phường ven biển", "Các xã, phường ven biển"),  # a subset: the office says
        (
            "Giám đốc Công ty Cổ phần Cấp thoát nước Tiền Giang",
            "Công ty Cổ phần Cấp thoát nước Tiền Giang",
        ),
        ("Công ty Điện lực Đắk Lắk", "Công ty Điện lực Đắk Lắk"),
        ("UBND đặc khu Vân Đồn", "Đặc khu Vân Đồn"),
        ("Chủ tịch UBND phường Hoàn Kiếm", "Phường Hoàn Kiếm"),
    ],
)
def test_an_unknown_name_is_never_guessed_but_shown_clean(written: str, shown: str) -> None:
    assert resolved(written) == ("unknown", (shown,))


@pytest.mark.parametrize(
    ("written", "members"),
    [
        (
            "Chủ tịch UBND các huyện: Kỳ Anh, Thạch Hà và Can Lộc",
            ("Huyện Kỳ Anh", "Huyện Thạch Hà", "Huyện Can Lộc"),
        ),
        ("UBND các đặc khu: Vân Đồn, Cô Tô", ("Đặc khu Vân Đồn", "Đặc khu Cô Tô")),
        ("các Sở: Tài chính, Xây dựng", ("Sở Tài chính", "Sở Xây dựng")),
        ("Sở Tài chính, Sở KH&ĐT", ("Sở Tài chính", "Sở Kế hoạch và Đầu tư")),
        (
            "Giám đốc Sở Văn hóa, Thể thao và Du lịch, Giám đốc Sở Dân tộc và Tôn giáo",
            ("Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo"),
        ),
    ],
)
def test_a_list_resolves_member_by_member(written: str, members: tuple[str, ...]) -> None:
    assert resolved(written) == ("list", members)


@pytest.mark.parametrize(
    "whole",
    ["Sở Kế hoạch và Đầu tư", "Sở Lao động, Thương binh và Xã hội", "Sở Khoa học và Công nghệ"],
)
def test_a_name_with_a_comma_or_va_stays_one_agency(whole: str) -> None:
    kind, names = resolved(whole)
    assert kind == "agency" and len(names) == 1


@pytest.mark.parametrize(
    ("old", "on", "current"),
    [
        ("Sở Kế hoạch và Đầu tư", date(2025, 3, 1), "Sở Tài chính"),
        ("Sở NN&PTNT", date(2025, 3, 1), "Sở Nông nghiệp và Môi trường"),
        ("Sở Tài nguyên và Môi trường", date(2026, 1, 1), "Sở Nông nghiệp và Môi trường"),
        ("Sở Giao thông vận tải", date(2025, 3, 1), "Sở Xây dựng"),
        ("Sở Lao động - Thương binh và Xã hội", date(2025, 3, 1), "Sở Nội vụ"),
        ("Sở Thông tin và Truyền thông", date(2025, 3, 1), "Sở Khoa học và Công nghệ"),
        ("Ban Dân tộc", date(2025, 3, 1), "Sở Dân tộc và Tôn giáo"),
        ("UBND huyện Lộc Hà", date(2025, 1, 1), "Huyện Thạch Hà"),
    ],
)
def test_an_agency_that_ceased_points_to_its_successor(old: str, on: date, current: str) -> None:
    found = DIRECTORY.resolve(old, on=on)
    assert found.kind == "agency" and found.current == current
    assert DIRECTORY.current_name(old, on) == current


def test_before_the_merger_the_old_name_is_current() -> None:
    found = DIRECTORY.resolve("Sở Kế hoạch và Đầu tư", on=date(2025, 2, 28))
    assert found.name == "Sở Kế hoạch và Đầu tư" and found.current is None
    assert DIRECTORY.current_name("Sở Tư pháp", date(2026, 1, 1)) == "Sở Tư pháp"
    assert DIRECTORY.current_name("Sở Không Có", date(2026, 1, 1)) is None


def test_a_successor_cycle_in_the_office_data_stops() -> None:
    directory = Directory(
        (
            Agency("Sở A", "so", until=date(2020, 1, 1), successor="Sở B"),
            Agency("Sở B", "so", until=date(2020, 1, 1), successor="Sở A"),
        )
    )
    assert directory.current_name("Sở A", date(2021, 1, 1)) in {"Sở A", "Sở B"}


def test_the_hatinh_example_group_is_its_13_districts_then_12() -> None:
    districts = DIRECTORY.members("Các huyện, thành phố, thị xã", on=BEFORE)
    assert districts is not None and len(districts) == 13
    assert {"Thành phố Hà Tĩnh", "Thị xã Hồng Lĩnh", "Thị xã Kỳ Anh", "Huyện Kỳ Anh"} <= set(
        districts
    )
    after_merger = DIRECTORY.members("UBND các huyện, thị xã, thành phố", on=date(2025, 1, 1))
    assert after_merger is not None and len(after_merger) == 12
    assert "Huyện Lộc Hà" not in after_merger


def test_a_kind_group_lists_the_agencies_of_its_date() -> None:
    before = DIRECTORY.members("Các sở, ban, ngành", on=BEFORE) or ()
    after = DIRECTORY.members("Các sở, ban, ngành", on=AFTER) or ()
    assert "Sở Kế hoạch và Đầu tư" in before and "Sở Nông nghiệp và Môi trường" not in before
    assert "Sở Nông nghiệp và Môi trường" in after and "Sở Kế hoạch và Đầu tư" not in after
    mass = DIRECTORY.members("các tổ chức chính trị - xã hội tỉnh") or ()
    assert "Hội Nông dân tỉnh" in mass
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" not in mass


def test_an_unknown_group_is_not_expanded() -> None:
    assert DIRECTORY.members("UBND các xã, phường ven biển") is None
    empty = Directory((), (Group("Các huyện, thị xã, thành phố", member_kinds=("huyen",)),))
    assert empty.members("Các huyện, thị xã, thành phố") == ()  # none registered: none


def test_titles_fold_inside_lists() -> None:
    assert fold_titles("Giám đốc các sở, Thủ trưởng các ban, ngành") == "các sở, các ban, ngành"
    assert fold_titles("Chủ tịch UBND huyện Can Lộc") == "huyện Can Lộc"
    assert name_key("Giám đốc Sở Y tế") == name_key("sở y tế")


# --- the shipped data -------------------------------------------------------------------------

DATA = load_standard_data()
UNIFORM_2025 = (  # Nghị định 45/2025/NĐ-CP and 150/2025/NĐ-CP: the 12 sở of every province
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Thanh tra tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh",
)


def test_every_reference_in_the_data_exists() -> None:
    names = {a["name"] for a in DATA["agencies"]} | {
        m["name"] for e in DATA["examples"] for m in e["members"]
    }
    sources = {s["id"] for s in DATA["sources"]}
    for entry in [*DATA["agencies"], *(m for e in DATA["examples"] for m in e["members"])]:
        assert entry["kind"] in DATA["kinds"], entry
        assert entry.get("successor", entry["name"]) in names, entry
        assert entry.get("source", "nd45-2025") in sources, entry
    for source in DATA["sources"]:
        assert source["url"].startswith("http") and source["ref"], source


def test_no_two_agencies_share_a_name_key() -> None:
    owners: dict[str, str] = {}
    for agency in DIRECTORY.agencies:
        for written in (agency.name, agency.short, *agency.aliases):
            if written:
                key = name_key(written)
                assert owners.setdefault(key, agency.name) == agency.name, (written, key)


def test_every_group_alias_resolves_to_its_group() -> None:
    for group in DATA["groups"]:
        for written in (group["name"], *group.get("aliases", ())):
            assert resolved(written) == ("group", (group["name"],)), written


def test_the_2025_structure_is_the_decrees() -> None:
    on = date(2025, 7, 1)
    for name in UNIFORM_2025:
        agency = DIRECTORY.agency(name)
        assert agency is not None and agency.active_on(on), name
    for old in (
        "Sở Kế hoạch và Đầu tư",
        "Sở Giao thông vận tải",
        "Sở Tài nguyên và Môi trường",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Thông tin và Truyền thông",
        "Sở Lao động - Thương binh và Xã hội",
        "Ban Dân tộc",
    ):
        agency = DIRECTORY.agency(old)
        assert agency is not None and agency.until == date(2025, 2, 28), old
    districts = DIRECTORY.group("Các huyện, thị xã, thành phố")
    communes = DIRECTORY.group("Các xã, phường, đặc khu")
    assert districts is not None and communes is not None
    assert districts.until == date(2025, 6, 30) and communes.since == date(2025, 7, 1)
