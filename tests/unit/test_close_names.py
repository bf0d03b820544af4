"""Suggestions for a name that named no agency: only the close ones (review I3)."""

from __future__ import annotations

import pytest

from bot.domain.close_names import close_matches, closeness

AGENCIES = [
    ("STC", ["Sở Tài chính", "STC"]),
    ("SGTVT", ["Sở Giao thông vận tải"]),
    ("SXD", ["Sở Xây dựng"]),
    ("VPĐP", ["Văn phòng Điều phối nông thôn mới tỉnh"]),
    ("TP", ["UBND huyện Tân Phú"]),
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Sở Tài chíh", ["STC"]),  # a typo
        ("so tai chinh cu", ["STC"]),  # no marks, a word more
        ("Sở Giao thông", ["SGTVT"]),  # every word typed is a word of the name
        ("Sở A", []),  # "a" is inside many names, a word of none
        ("Sở Du lịch", []),  # another agency altogether: nothing to suggest
        ("Phòng Kinh tế", []),
        ("huyện Tân Phú", ["TP"]),
    ],
)
def test_only_close_names_are_suggested(typed: str, expected: list[str]) -> None:
    assert close_matches(typed, AGENCIES) == expected


def test_closer_first_and_a_kind_alone_names_none() -> None:
    both = [("wider", ["Sở Tài chính và Kế hoạch"]), ("near", ["Sở Tài chính"])]
    assert closeness("Sở Tài chính", "Sở Tài chính") == 1.0
    assert closeness("Sở Tài chínhh", "Sở Tài chính") > closeness(
        "Sở Tài chínhh", "Sở Tài chính và Kế hoạch"
    )
    assert close_matches("Sở Tài chínhh", both) == ["near"]
    assert close_matches("Sở", AGENCIES) == [] and close_matches("UBND huyện", AGENCIES) == []
    assert closeness("", "Sở Tài chính") == 0.0
