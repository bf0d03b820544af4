"""The walk over the body: a stack of frames, one line at a time, into task drafts.

Frames are the notice's own structure: part (I, II) > section (1, 2) > item (1.1, a) >
bullet heading ("- Sở Tài chính:"). A frame may carry a lead (its heading names agencies); a
sentence that names its own doers (leads.py) overrides it, and a paragraph is cut into
several drafts where its sentences change doer. After a structured body, a paragraph that
addresses someone new, or the follow-up one ("giao Văn phòng theo dõi, đôn đốc ... Thông
báo"), opens the closing part "C". Text in the body that names no doer goes to
``unclassified`` once the directive part has started, for the office to place by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain.agency_names import agency_key, group_kind, guess_agency_kind
from bot.domain.notice.headings import heading_agencies, heading_split, is_topic_heading
from bot.domain.notice.leads import Lead, coordinating, explicit_lead
from bot.domain.notice.lines import BULLET, LETTER, NUMBER, ROMAN, SEPARATOR, SUB_BULLETS, SUBNUMBER
from bot.domain.notice.non_tasks import (
    is_closing_formula,
    is_evaluation_heading,
    is_issuer_voice,
    opens_attendance,
)
from bot.domain.notice.sentences import split_sentences
from bot.domain.text import fold

_FOLLOW_UP = re.compile(
    r"\bthong bao\b.*\b(?:theo doi|don doc|tong hop|kiem tra)\b|\b(?:theo doi|don doc)\b.*\bthong bao\b"
)


@dataclass
class Frame:
    """One open level of the body (part > section > item > bullet heading) and its lead."""

    level: int
    label: str | None
    lead: tuple[str, ...] = ()
    coordinating: tuple[str, ...] = ()
    background: bool = False
    counter: int = 0
    collapsible: bool = True


@dataclass
class Draft:
    """A task before its code is known: the frame it came from and its place in it."""

    container: str
    frame: Frame
    seq: int
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    text: str


@dataclass
class Walk:
    """Mutable state of one pass over the body."""

    stack: list[Frame] = field(default_factory=lambda: [Frame(0, None, collapsible=False)])
    drafts: list[Draft] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)
    started: bool = False
    structured: bool = False
    closing: bool = False
    skip_bullets: bool = False

    def open(self, level: int, label: str | None, *, collapsible: bool = True) -> Frame:
        while self.stack[-1].level >= level and len(self.stack) > 1:
            self.stack.pop()
        frame = Frame(level, label, collapsible=collapsible)
        self.stack.append(frame)
        return frame

    def context(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        for frame in reversed(self.stack):
            if frame.lead:
                return frame.lead, frame.coordinating
        return (), ()

    def in_background(self) -> bool:
        return any(frame.background for frame in self.stack)

    def container(self) -> str:
        return ".".join(f.label for f in self.stack if f.label)


def walk_body(lines: list[str]) -> Walk:
    walk = Walk()
    for line in lines:
        if not line or SEPARATOR.match(line):
            continue
        match = ROMAN.match(line)
        if match:
            _handle_marker(walk, 1, match["label"], match["rest"])
            continue
        match = SUBNUMBER.match(line)
        if match:
            _handle_marker(walk, 3, match["label"].split(".")[-1], match["rest"])
            continue
        match = NUMBER.match(line)
        if match:
            _handle_marker(walk, 2, match["label"], match["rest"])
            continue
        match = LETTER.match(line)
        if match and walk.structured:
            _handle_marker(walk, 3, match["label"], match["rest"])
            continue
        match = BULLET.match(line)
        if match:
            _handle_bullet(walk, match["sym"], match["rest"].strip())
            continue
        _handle_plain(walk, line)
    return walk


def _handle_marker(walk: Walk, level: int, label: str, content: str) -> None:
    """A Roman part, numbered section or lettered item: heading, lead-in or task."""
    walk.started = walk.structured = True
    walk.closing = walk.skip_bullets = False
    frame = walk.open(level, label)
    head, tail, has_colon = heading_split(content)
    agencies = heading_agencies(head, has_colon)
    if agencies:
        frame.lead = agencies
        if tail and not tail.endswith(":"):
            _emit(walk, tail, plain=False)
        elif tail:
            frame.coordinating = coordinating(tail)
        return
    if content.endswith(":"):
        lead = explicit_lead(content)
        if lead:
            frame.lead, frame.coordinating = lead.names, lead.coordinating
        frame.background = is_evaluation_heading(content)
        return
    if is_evaluation_heading(content):
        frame.background = True
        return
    if level == 1 or is_topic_heading(content):
        lead = explicit_lead(content)
        if lead is None or level > 1:
            return
    _emit(walk, content, plain=False)


def _handle_bullet(walk: Walk, symbol: str, content: str) -> None:
    walk.started = True
    if walk.skip_bullets or not content:
        return
    top = walk.stack[-1]
    if symbol in SUB_BULLETS and top.level < 4:
        if walk.drafts and walk.drafts[-1].container == walk.container():
            walk.drafts[-1].text = f"{walk.drafts[-1].text} {symbol} {content}"
            return
    elif symbol not in SUB_BULLETS and top.level == 4:
        walk.stack.pop()
    if symbol not in SUB_BULLETS and content.endswith(":"):
        parent = walk.stack[-1]
        parent.counter += 1
        frame = walk.open(4, str(parent.counter), collapsible=False)
        head, _tail, has_colon = heading_split(content)
        agencies = heading_agencies(head, has_colon)
        lead = None if agencies else explicit_lead(content)
        frame.lead = agencies or (lead.names if lead else ())
        frame.coordinating = lead.coordinating if lead else ()
        return
    _emit(walk, content, plain=False)


def _handle_plain(walk: Walk, line: str) -> None:
    folded = fold(line)
    if line.endswith(":"):
        walk.skip_bullets = opens_attendance(folded)
        lead = explicit_lead(line)
        if lead and not lead.directive and is_issuer_voice(folded):
            lead = None  # "Chủ tịch UBND tỉnh có ý kiến như sau:" is the issuer speaking
        if lead and walk.started:
            walk.stack[-1].lead, walk.stack[-1].coordinating = lead.names, lead.coordinating
        elif lead:
            walk.stack[0].lead, walk.stack[0].coordinating = lead.names, lead.coordinating
        return
    walk.skip_bullets = False
    if walk.structured and not walk.closing and _starts_closing(walk, line, folded):
        walk.closing = True
        walk.open(1, "C", collapsible=False)
    _emit(walk, line, plain=True)


def _starts_closing(walk: Walk, line: str, folded: str) -> bool:
    """A paragraph after the structured list that addresses someone else, or the follow-up one."""
    if _FOLLOW_UP.search(folded):
        return True
    lead = explicit_lead(split_sentences(line)[0])
    if lead is None:
        return False
    context, _ = walk.context()
    if not context:
        return False
    context_groups = {group_kind(n) for n in context} - {None}
    if context_groups:
        return not all(
            (group_kind(n) or guess_agency_kind(n)) in context_groups for n in lead.names
        )
    return not lead.keys() <= frozenset(agency_key(n) for n in context)


def _emit(walk: Walk, text: str, *, plain: bool) -> None:
    """Turn one paragraph into task drafts, splitting where a sentence names a new doer."""
    if walk.in_background():
        return
    context, context_coord = walk.context()
    head, tail, has_colon = heading_split(text)
    agencies = heading_agencies(head, has_colon) if has_colon and tail else ()
    if agencies:
        context, context_coord, text = agencies, (), tail
    chunks: list[tuple[Lead | None, list[str]]] = []
    for sentence in split_sentences(text):
        if is_closing_formula(fold(sentence)):
            continue
        lead = explicit_lead(sentence)
        if lead is not None and not lead.directive and lead.generic and (context or chunks):
            lead = None
        same = lead is None or (chunks and chunks[-1][0] and chunks[-1][0].keys() == lead.keys())
        if same and chunks:
            chunks[-1][1].append(sentence)
            continue
        chunks.append((lead, [sentence]))
    for lead, sentences in chunks:
        chunk_text = " ".join(sentences)
        if lead is not None:
            coord = lead.coordinating or coordinating(chunk_text)
            _add_draft(walk, lead.names, coord, chunk_text)
            walk.started = True
        elif context:
            coord = coordinating(chunk_text) or context_coord
            _add_draft(walk, context, coord, chunk_text)
        elif walk.started and not (plain and not walk.structured and not walk.drafts):
            walk.unclassified.append(chunk_text)


def _add_draft(walk: Walk, lead: tuple[str, ...], coord: tuple[str, ...], text: str) -> None:
    frame = walk.stack[-1]
    frame.counter += 1
    container = walk.container()
    walk.drafts.append(
        Draft(
            container=container,
            frame=frame,
            seq=frame.counter,
            lead=lead,
            coordinating=tuple(
                c for c in coord if agency_key(c) not in {agency_key(n) for n in lead}
            ),
            text=text.strip().removesuffix("/.").strip(),
        )
    )
