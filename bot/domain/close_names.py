"""Which agencies' names are close to what an admin typed, for a suggestion worth making.

A name typed for an edit of the directory (`/donvi gop A | B`) that names no agency gets, as
suggestions, only the agencies a person could have meant (review I3): every word typed is a
whole word of one of its names, or one of its names is spelled almost alike (a typo, a
missing word), both compared on the canonical key without diacritics ("Sở Tài chíh" ~ "Sở
Tài chính"). A word that is only a part of another ("a" in "tài") suggests nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from typing import TypeVar

from bot.domain.agency_names import agency_key
from bot.domain.text import fold

T = TypeVar("T")
CLOSE_RATIO = 0.8  # difflib's ratio of the two keys; 0.8 lets one or two letters differ
# Words that begin many names: typed alone ("Sở", "UBND huyện") they say which kind, not which one.
GENERIC = frozenset(
    {"so", "ban", "uy", "nhan", "dan", "huyen", "tinh", "thanh", "pho", "thi", "xa", "hoi"}
    | {"van", "phong", "trung", "tam", "cuc", "chi", "quan", "ly"}
)


def name_key(name: str) -> str:
    """The canonical key, accent-free: how two spellings of one name are compared."""
    return fold(agency_key(name))


def closeness(query: str, name: str) -> float:
    """1.0 when every word typed is a whole word of `name`; otherwise the keys' similarity."""
    typed, named = name_key(query), name_key(name)
    if not typed or not named:
        return 0.0
    words = set(typed.split())
    if words - GENERIC and words <= set(named.split()):
        return 1.0
    return SequenceMatcher(None, typed, named, autojunk=False).ratio()


def close_matches(query: str, items: Iterable[tuple[T, Sequence[str]]]) -> list[T]:
    """The items one of whose names is close to `query`, closest first (ties keep order)."""
    scored: list[tuple[float, int, T]] = []
    for order, (item, names) in enumerate(items):
        best = max((closeness(query, name) for name in names if name), default=0.0)
        if best >= CLOSE_RATIO:
            scored.append((-best, order, item))
    scored.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in scored]
