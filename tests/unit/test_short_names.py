"""Agencies' names cut short in the digest's ranked lines stay distinguishable (review U1)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.text import fold
from bot.messaging.format import ELLIPSIS
from bot.messaging.short_names import abbreviate, distinct_short_names

OFFICES = (
    "Văn phòng Điều phối nông thôn mới tỉnh",
    "Văn phòng Điều phối Chương trình mục tiêu quốc gia giảm nghèo bền vững",
)


def _could_be(short: str, name: str) -> bool:
    """Whether a reader could take `short` for `name`: equal, or its cut head begins it."""
    head = short.removesuffix(ELLIPSIS).split()
    words = fold(abbreviate(name)).split()
    if not short.endswith(ELLIPSIS):
        return fold(short).split() == words
    folded = fold(" ".join(head)).split()
    return words[: len(folded) - 1] == folded[:-1] and (
        len(words) >= len(folded)
        and words[len(folded) - 1].startswith(folded[-1].strip(",;:.-–()"))
    )


def test_two_coordination_offices_are_told_apart() -> None:
    short = distinct_short_names(OFFICES, 17)
    first, second = (short[name] for name in OFFICES)
    assert first != second
    assert not _could_be(first, OFFICES[1]) and not _could_be(second, OFFICES[0])
    assert first.startswith("VPĐP") and second.startswith("VPĐP")  # as officials write it


def test_a_name_alone_is_cut_at_a_word_within_the_limit() -> None:
    short = distinct_short_names(["Sở Nông nghiệp và Phát triển nông thôn", "Sở Y tế"], 17)
    assert short == {
        "Sở Nông nghiệp và Phát triển nông thôn": "Sở Nông nghiệp…",
        "Sở Y tế": "Sở Y tế",
    }


def test_districts_differ_by_their_last_words() -> None:
    names = [f"Ủy ban nhân dân huyện Số {i:02d} tỉnh Đồng Nai" for i in range(12)]
    short = distinct_short_names(names, 17)
    assert len(set(short.values())) == 12
    assert all(s.startswith("UBND huyện Số") for s in short.values())


WORDS = st.sampled_from(
    [
        "Văn",
        "phòng",
        "Điều",
        "phối",
        "Sở",
        "Tài",
        "chính",
        "nông",
        "thôn",
        "mới",
        "tỉnh",
        "Ban",
        "1",
        "10",
    ]
)
NAMES = st.lists(st.lists(WORDS, min_size=1, max_size=9).map(" ".join), min_size=1, max_size=8)


@given(NAMES, st.integers(min_value=8, max_value=30))
def test_no_short_name_could_be_another_agencys(names: list[str], limit: int) -> None:
    short = distinct_short_names(names, limit)
    distinct = {fold(abbreviate(n)) for n in names}
    for name, shown in short.items():
        if not shown.endswith(ELLIPSIS):
            assert fold(shown) == fold(abbreviate(name))  # whole
        for other in names:
            if fold(abbreviate(other)) != fold(abbreviate(name)):
                assert not _could_be(shown, other), (shown, other)
    assert len({fold(s) for s in short.values()}) == len(distinct)
