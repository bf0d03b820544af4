"""Agencies' names cut short for a ranked line, each still telling its agency apart.

A name is first abbreviated as officials write it ("UBND", "VPĐP"), then cut at a word. A cut
name is ambiguous when what is left could begin another agency's name: "Văn phòng Điều…"
could be either coordination office. Such a name grows word by word until it begins no other
name of the same message (review U1); a name that is itself the start of another is shown
whole. The same name always gets the same short form within one message.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.text import fold
from bot.messaging.format import ELLIPSIS, shorten

# The officials' own abbreviations, so a cut name still says which agency it is.
ABBREVIATIONS = (
    ("Ủy ban nhân dân", "UBND"),
    ("Uỷ ban nhân dân", "UBND"),
    ("Hội đồng nhân dân", "HĐND"),
    ("Văn phòng Điều phối", "VPĐP"),
)
_TRIM = " ,;:.-–()"


def abbreviate(name: str) -> str:
    name = " ".join(name.split())
    for long, short in ABBREVIATIONS:
        name = name.replace(long, short)
    return name


def _words(text: str) -> list[str]:
    return [w.strip(_TRIM) for w in fold(text).split() if w.strip(_TRIM)]


def _begins(stem: list[str], other: list[str]) -> bool:
    """Whether `other` starts with the words of `stem` (its last word maybe cut inside)."""
    if not stem or len(stem) > len(other):
        return False
    *whole, last = stem
    return other[: len(whole)] == whole and other[len(whole)].startswith(last)


def distinct_short_names(names: Iterable[str], limit: int) -> dict[str, str]:
    """Each name's short form (at most `limit` characters unless that would leave it
    ambiguous among `names`): abbreviated, cut at a word, grown until it is not ambiguous."""
    full = {name: abbreviate(name) for name in dict.fromkeys(names)}
    words = {name: _words(short) for name, short in full.items()}
    result: dict[str, str] = {}
    for name, whole in full.items():
        others = [w for other, w in words.items() if w != words[name]]
        result[name] = _distinct(whole, others, limit)
    return result


def _distinct(whole: str, others: list[list[str]], limit: int) -> str:
    cut = shorten(whole, limit)
    if not cut.endswith(ELLIPSIS) or not _ambiguous(cut[: -len(ELLIPSIS)], others):
        return cut
    parts = whole.split()
    for count in range(len(cut.split()) + 1, len(parts)):
        head = " ".join(parts[:count]).rstrip(_TRIM)
        if not _ambiguous(head, others):
            return head + ELLIPSIS
    return whole


def _ambiguous(stem: str, others: list[list[str]]) -> bool:
    """A cut name whose words could begin another name (its last word read as cut too)."""
    words = _words(stem)
    return any(_begins(words, other) for other in others)
