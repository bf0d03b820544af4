"""Who a sentence assigns: its lead agencies ("chủ trì") and the coordinating ones ("phối hợp").

Two shapes: a directive verb then the addressees ("Giao Sở Tài chính chủ trì, ...",
"Yêu cầu UBND các huyện ...") and a subject before a verb ("Sở Y tế chủ trì, phối hợp với
Sở Tài chính ...", "Giám đốc Công an tỉnh chỉ đạo …": heads' titles are dropped). A `Lead`
found here overrides the lead of the section the sentence is in. The agency directory, when
given, bounds the names (agencies.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.agency_directory import Directory
from bot.domain.agency_names import (
    agency_key,
    group_kind,
    looks_like_agency,
    starts_new_agency,
)
from bot.domain.notice.agencies import is_group, name_list
from bot.domain.notice.sentences import Sentence
from bot.domain.notice.vocabulary import EVALUATIVE
from bot.domain.text import fold, match_form

# A cited document inside a would-be name: "UBND tỉnh nhận được Tờ trình số 412/TTr-SXD …".
_DOCUMENT_REF = re.compile(r"\d+/\d|\bs[oố]\s+\d", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Lead:
    names: tuple[str, ...]
    coordinating: tuple[str, ...]
    directive: bool

    @property
    def generic(self) -> bool:
        """Only groups ("Các huyện"): under a group heading this is not a new addressee."""
        return all(group_kind(n) is not None or fold(n).startswith("cac ") for n in self.names)

    def keys(self) -> frozenset[str]:
        return frozenset(agency_key(n) for n in self.names)


def clean_name_list(text: str, directory: Directory | None = None) -> list[str]:
    return name_list(text, directory)


def explicit_lead(text: str, directory: Directory | None = None) -> Lead | None:
    """The agencies a sentence names as its doers: "Giao X chủ trì...", "X, Y phối hợp với Z ..."."""
    sentence = Sentence.of(text)
    i = 0
    for filler in sentence.vocab.fillers:
        if sentence.starts_with(i, filler):
            i += len(filler)
            if i < len(sentence.tokens) and sentence.tokens[i].text == ",":
                i += 1
            break
    if i >= len(sentence.tokens):
        return None
    for verb in sentence.vocab.directive_verbs:
        if sentence.starts_with(i, verb):
            return _directive_lead(sentence, i + len(verb), directory)
    return _subject_lead(sentence, i, directory)


def _directive_lead(sentence: Sentence, start: int, directory: Directory | None) -> Lead | None:
    tokens = sentence.tokens
    if start >= len(tokens):
        return None
    first = tokens[start]
    original_first = sentence.text[first.start : first.end]
    if not (original_first[:1].isupper() or first.text in sentence.vocab.list_openers):
        return None
    stop = sentence.find_stop(start)
    members_end = sentence.unit_members_end(start)
    if members_end is not None and members_end < stop:
        stop = members_end  # "Yêu cầu UBND các xã: A, B tích trữ …": the places end there
    if stop == start:
        return None
    addressee = sentence.span(start, stop)
    if len(addressee.split()) > (50 if ":" in addressee else 25):  # "các Bộ: A, B, C…" is long
        return None
    names = clean_name_list(addressee, directory)
    if not names:
        return None
    return Lead(tuple(names), coordinating(sentence, stop, directory), directive=True)


def _subject_lead(sentence: Sentence, start: int, directory: Directory | None) -> Lead | None:
    tokens = sentence.tokens
    first = tokens[start]
    rest = sentence.text[first.start :]
    if not rest[:1].isupper() or not starts_new_agency(rest):
        return None
    stop = sentence.find_stop(start + 1)
    members_end = sentence.unit_members_end(start)
    if members_end is not None and members_end < stop:
        stop = members_end  # "Chủ tịch UBND các tỉnh: A, B tích trữ …": the places end there
    elif stop >= len(tokens) or not sentence.stopper_at(stop):
        return None
    subject = sentence.span(start, stop)
    words = match_form(subject).split()
    if len(words) > 25 or EVALUATIVE.intersection(words) or _DOCUMENT_REF.search(subject):
        return None
    names = clean_name_list(subject, directory)
    if not names or not all(looks_like_agency(n) for n in names):
        return None
    return Lead(tuple(names), coordinating(sentence, stop, directory), directive=False)


def coordinating(
    sentence: Sentence | str, start: int = 0, directory: Directory | None = None
) -> tuple[str, ...]:
    """Every partner after "phối hợp (với)": named agencies ("Sở KH&ĐT") and groups ("các sở,
    ngành liên quan"); `split_partners` tells them apart."""
    if isinstance(sentence, str):
        sentence = Sentence.of(sentence)
    tokens, vocab = sentence.tokens, sentence.vocab
    for i in range(start, len(tokens) - 1):
        if not (tokens[i].lower and sentence.starts_with(i, vocab.coordinate)):
            continue
        j = i + len(vocab.coordinate)
        for skip in vocab.coord_skip:
            if sentence.starts_with(j, skip):
                j += len(skip)
        if j >= len(tokens):
            return ()
        stop = sentence.find_stop(j, extra=vocab.coord_end)
        if stop == j:
            continue
        listed = sentence.span(j, stop)
        return tuple(
            n
            for n in clean_name_list(listed, directory)
            if _is_named_agency(n) or is_group(n, directory)
        )
    return ()


def split_partners(
    names: tuple[str, ...], directory: Directory | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(named agencies, groups) among coordinating partners; anything else is left out."""
    named = tuple(n for n in names if not is_group(n, directory) and _is_named_agency(n))
    groups = tuple(n for n in names if is_group(n, directory))
    return named, groups


def _is_named_agency(name: str) -> bool:
    folded = fold(name)
    if not name[:1].isupper() or folded.startswith("cac ") or group_kind(name) is not None:
        return False
    if folded.endswith(("lien quan", "co lien quan")) or len(folded.split()) > 15:
        return False
    return starts_new_agency(name)


def role_heading(text: str, directory: Directory | None = None) -> Lead | None:
    """A heading that only says who leads and who helps ("1. Sở X chủ trì, phối hợp Sở Y",
    "Sở X phối hợp với Sở Y:", "Sở X: chủ trì, phối hợp …"): the roles of every task under it,
    not a task itself, since it asks for nothing. None when any other word follows."""
    head, colon, tail = text.strip().rstrip(":.; ").partition(":")
    tail = tail.strip()
    body = f"{head.strip()} {tail[:1].lower()}{tail[1:]}" if colon and tail else head.strip()
    lead = explicit_lead(body, directory)
    if lead is None:
        return None
    sentence = Sentence.of(body)
    tokens, vocab = sentence.tokens, sentence.vocab
    role = next(
        (
            k
            for k in range(1, len(tokens))
            if tokens[k].lower
            and (_is_lead_word(sentence, k) or sentence.starts_with(k, vocab.coordinate))
        ),
        None,
    )
    if role is None:
        return None
    j = role
    if _is_lead_word(sentence, j):
        j += 2
        if j < len(tokens) and tokens[j].text == ",":
            j += 1
        if j == len(tokens):
            return Lead(lead.names, (), lead.directive)
    if not sentence.starts_with(j, vocab.coordinate):
        return None
    j += len(vocab.coordinate)
    for skip in vocab.coord_skip:
        if sentence.starts_with(j, skip):
            j += len(skip)
    if j >= len(tokens) or sentence.find_stop(j, extra=vocab.coord_end) != len(tokens):
        return None
    return Lead(lead.names, coordinating(sentence, role, directory), lead.directive)


def _is_lead_word(sentence: Sentence, k: int) -> bool:
    tokens = sentence.tokens
    return k + 1 < len(tokens) and (fold(tokens[k].text), fold(tokens[k + 1].text)) == (
        "chu",
        "tri",
    )
