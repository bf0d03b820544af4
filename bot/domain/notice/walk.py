"""The walk over the body: a stack of frames, one line at a time, into task drafts.

Frames are the notice's own structure: part (I, II) > section (1, 2, "Điều 2") > item (1.1,
a) > bullet heading ("- Sở Tài chính:"). A frame may carry a lead (its heading names
agencies); a sentence that names its own doers (leads.py) overrides it, and a paragraph is cut
into several drafts where its sentences change doer. After a structured body, a paragraph that
addresses someone new, or the follow-up one ("giao Văn phòng theo dõi, đôn đốc ... Thông
báo"), opens the closing part "C". Sentences that assign nothing (non_tasks.py: background,
the issuer's introduction, sign-offs, formal articles) are set aside with their reason; text in
the body that names no doer goes to ``unclassified`` once the directive part has started, for
the office to place by hand. Every line the walk reads is either used by a draft or noted
with the reason it was not (``notes``), so the office can see all of the notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain.agency_directory import Directory
from bot.domain.agency_names import agency_key, group_kind, guess_agency_kind, looks_like_agency
from bot.domain.agency_titles import drop_titles
from bot.domain.notice.headings import heading_agencies, heading_split, is_topic_heading
from bot.domain.notice.leads import Lead, coordinating, explicit_lead, role_heading
from bot.domain.notice.lines import (
    ARTICLE,
    BULLET,
    LETTER,
    NUMBER,
    ROMAN,
    SEPARATOR,
    SUB_BULLETS,
    SUBNUMBER,
)
from bot.domain.notice.model import UnusedReason
from bot.domain.notice.non_tasks import (
    is_aims_heading,
    is_background,
    is_closing_formula,
    is_evaluation_heading,
    is_formal,
    is_issuer_voice,
    is_meeting,
    opens_attendance,
    sign_off_addressees,
)
from bot.domain.notice.sentences import Sentence, split_sentences
from bot.domain.text import fold, match_form

_FOLLOW_UP = re.compile(
    r"\bthong bao\b.*\b(?:theo doi|don doc|tong hop|kiem tra)\b|\b(?:theo doi|don doc)\b.*\bthong bao\b"
)
_RECIPIENTS = re.compile(r"^kinh gui\b")
_DATED = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}|\bngày\s+\d|\bngay\s+\d", re.IGNORECASE)


@dataclass
class Frame:
    """One open level of the body (part > section > item > bullet heading) and its lead."""

    level: int
    label: str | None
    lead: tuple[str, ...] = ()
    coordinating: tuple[str, ...] = ()
    background: bool = False
    aims: bool = False  # "MỤC ĐÍCH, YÊU CẦU": what it says without a doer is not a task
    counter: int = 0
    collapsible: bool = True
    lines: list[int] = field(default_factory=list)  # its heading and lead-in lines


@dataclass
class Draft:
    """A task before its code is known: the frame it came from and its place in it."""

    container: str
    frame: Frame
    seq: int
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    text: str
    lines: set[int] = field(default_factory=set)


@dataclass
class Walk:
    """Mutable state of one pass over the body."""

    directory: Directory | None = None
    stack: list[Frame] = field(default_factory=lambda: [Frame(0, None, collapsible=False)])
    drafts: list[Draft] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)
    started: bool = False
    structured: bool = False
    closing: bool = False
    skip_bullets: bool = False
    line: int = -1  # index of the line being read
    used: set[int] = field(default_factory=set)
    notes: list[tuple[int, str, UnusedReason]] = field(default_factory=list)

    def open(self, level: int, label: str | None, *, collapsible: bool = True) -> Frame:
        while self.stack[-1].level >= level and len(self.stack) > 1:
            self.stack.pop()
        frame = Frame(level, label, collapsible=collapsible, lines=[self.line])
        self.stack.append(frame)
        return frame

    def restart(self) -> None:
        """A new document (an appendix after the signature): its own structure."""
        self.stack = [Frame(0, None, collapsible=False)]
        self.started = self.structured = self.closing = self.skip_bullets = False

    def context(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        for frame in reversed(self.stack):
            if frame.lead:
                return frame.lead, frame.coordinating
        return (), ()

    def in_background(self) -> bool:
        return any(frame.background for frame in self.stack)

    def in_aims(self) -> bool:
        return any(frame.aims for frame in self.stack)

    def container(self) -> str:
        return ".".join(f.label for f in self.stack if f.label)

    def note(self, text: str, reason: UnusedReason) -> None:
        self.notes.append((self.line, text, reason))


def walk_body(
    lines: list[str],
    bodies: tuple[tuple[int, int], ...] | None = None,
    *,
    directory: Directory | None = None,
    skip: frozenset[int] = frozenset(),
) -> Walk:
    """Walk lines[start:end] of each body (all of ``lines`` by default), skipping ``skip``."""
    walk = Walk(directory=directory)
    for number, (start, end) in enumerate(bodies or ((0, len(lines)),)):
        if number:
            walk.restart()
        for index in range(start, end):
            if index not in skip:
                walk.line = index
                _read_line(walk, lines[index])
    return walk


def _read_line(walk: Walk, line: str) -> None:
    if not line or SEPARATOR.match(line):
        return
    for pattern, level in ((ROMAN, 1), (SUBNUMBER, 3), (NUMBER, 2), (ARTICLE, 2)):
        match = pattern.match(line)
        if match:
            label = match["label"].split(".")[-1] if level == 3 else match["label"]
            _handle_marker(walk, level, label, match["rest"])
            return
    match = LETTER.match(line)
    if match and walk.structured:
        _handle_marker(walk, 3, match["label"], match["rest"])
        return
    match = BULLET.match(line)
    if match:
        _handle_bullet(walk, match["sym"], match["rest"].strip())
        return
    _handle_plain(walk, line)


def _handle_marker(walk: Walk, level: int, label: str, content: str) -> None:
    """A Roman part, numbered section or lettered item: heading, lead-in or task."""
    walk.started = walk.structured = True
    walk.closing = walk.skip_bullets = False
    frame = walk.open(level, label)
    role = role_heading(content, walk.directory)
    if role:  # "1. Sở X chủ trì, phối hợp Sở Y": the roles of the tasks under it
        frame.lead, frame.coordinating = role.names, role.coordinating
        walk.note(content, "heading")
        return
    head, tail, has_colon = heading_split(content)
    agencies = heading_agencies(head, has_colon, walk.directory)
    if agencies:
        frame.lead = agencies
        if tail and not tail.endswith(":"):
            _emit(walk, tail, plain=False)
        elif tail:
            frame.coordinating = coordinating(tail, 0, walk.directory)
        return
    if content.endswith(":"):
        lead = _lead(walk, content)
        if lead:
            frame.lead, frame.coordinating = lead.names, lead.coordinating
        frame.background = is_evaluation_heading(content)
        walk.note(content, "background" if frame.background else _intro_reason(content))
        return
    if is_evaluation_heading(content):
        frame.background = True
        walk.note(content, "background")
        return
    if is_aims_heading(fold(content)):
        frame.aims = True
        walk.note(content, "heading")
        return
    if level == 1 or is_topic_heading(content):
        lead = _lead(walk, content)
        if lead is None or level > 1:
            walk.note(content, "heading")
            return
    _emit(walk, content, plain=False)


def _handle_bullet(walk: Walk, symbol: str, content: str) -> None:
    walk.started = True
    if walk.skip_bullets or not content:
        walk.note(content, "preamble")
        return
    top = walk.stack[-1]
    if symbol in SUB_BULLETS and top.level < 4:
        if walk.drafts and walk.drafts[-1].container == walk.container():
            walk.drafts[-1].text = f"{walk.drafts[-1].text} {symbol} {content}"
            walk.drafts[-1].lines.add(walk.line)
            walk.used.add(walk.line)
            return
    elif symbol not in SUB_BULLETS and top.level == 4:
        walk.stack.pop()
    if symbol not in SUB_BULLETS and content.endswith(":"):
        parent = walk.stack[-1]
        parent.counter += 1
        frame = walk.open(4, str(parent.counter), collapsible=False)
        head, _tail, has_colon = heading_split(content)
        agencies = heading_agencies(head, has_colon, walk.directory)
        lead = None if agencies else _lead(walk, content)
        frame.lead = agencies or (lead.names if lead else ())
        frame.coordinating = lead.coordinating if lead else ()
        walk.note(content, _intro_reason(content))
        return
    _emit(walk, content, plain=False)


def _handle_plain(walk: Walk, line: str) -> None:
    folded = fold(line)
    if line.endswith(":"):
        walk.skip_bullets = opens_attendance(folded)
        lead = _lead(walk, line)
        if lead and not lead.directive and is_issuer_voice(folded):
            lead = None  # "Chủ tịch UBND tỉnh có ý kiến như sau:" is the issuer speaking
        target = walk.stack[-1] if walk.started else walk.stack[0]
        if lead:
            target.lead, target.coordinating = lead.names, lead.coordinating
            target.lines.append(walk.line)
        reason = "preamble" if walk.skip_bullets else _intro_reason(line)
        walk.note(line, "recipients" if _RECIPIENTS.match(folded) else reason)
        return
    walk.skip_bullets = False
    role = role_heading(line, walk.directory)
    if role:  # "Sở X chủ trì, phối hợp Sở Y" alone on a line: asks nothing, leads what follows
        target = walk.stack[-1] if walk.started else walk.stack[0]
        target.lead, target.coordinating = role.names, role.coordinating
        target.lines.append(walk.line)
        walk.note(line, "heading")
        return
    if walk.structured and not walk.closing and _starts_closing(walk, line, folded):
        walk.closing = True
        walk.open(1, "C", collapsible=False).lines.clear()
    _emit(walk, line, plain=True)


def _intro_reason(text: str) -> UnusedReason:
    folded = fold(text)
    if is_background(folded):
        return "background"
    return "issuer" if is_issuer_voice(folded) else "heading"


def _lead(walk: Walk, text: str) -> Lead | None:
    return explicit_lead(text, walk.directory)


def _starts_closing(walk: Walk, line: str, folded: str) -> bool:
    """A paragraph after the structured list that addresses someone else, or the follow-up one."""
    if _FOLLOW_UP.search(folded):
        return True
    lead = _lead(walk, split_sentences(line)[0])
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


def _set_aside(walk: Walk, sentence: str) -> tuple[str, str, UnusedReason | None]:
    """(the sentence's text, the part that names its doer, why it assigns nothing or None).

    A background clause before a task ("Căn cứ kết quả thanh tra, Công an tỉnh …") stays in
    the task's text, unless it cites a dated document ("Thực hiện Công văn số 12 ngày 3/1/2024,
    …"): then it is cut off, so that its date never becomes the task's deadline."""
    folded = fold(sentence)
    if is_closing_formula(folded):
        return sentence, sentence, "closing"
    if is_formal(folded):
        return sentence, sentence, "formal"
    if _is_sign_off(sentence):
        return sentence, sentence, "closing"
    if sentence.endswith(":") and is_issuer_voice(folded):
        return sentence, sentence, "issuer"
    if is_background(folded):
        if is_meeting(folded):
            return sentence, sentence, "preamble"
        comma = sentence.find(", ")
        rest = sentence[comma + 2 :] if comma > 0 else ""
        if rest and not is_background(fold(rest)) and _lead(walk, rest) is not None:
            clause = sentence[: comma + 1]
            if not _DATED.search(clause):
                return sentence, rest, None
            walk.note(clause, "background")
            return rest, rest, None
        return sentence, sentence, "background"
    return sentence, sentence, None


def _is_sign_off(sentence: str) -> bool:
    """ "Yêu cầu Thủ trưởng các sở, … nghiêm túc thực hiện Chỉ thị này": addressed to all,
    nothing to do but what the notice already says."""
    form = match_form(sentence, accentless=True)
    head = sign_off_addressees(" ".join(form.split()))
    if head is None:
        return False
    if not head:
        return True
    start = " ".join(form.split()).find(head)
    original = " ".join(sentence.split())[start : start + len(head)]
    names = drop_titles(original)
    tokens = Sentence.of(original)
    if tokens.find_stop(0) < len(tokens.tokens) and group_kind(names) is None:
        return False  # the addressees do something of their own
    return looks_like_agency(re.split(r"[,;]", names)[0]) and "cac " in fold(names)


def _emit(walk: Walk, text: str, *, plain: bool) -> None:
    """Turn one paragraph into task drafts, splitting where a sentence names a new doer."""
    if walk.in_background():
        walk.note(text, "background")
        return
    context, context_coord = walk.context()
    head, tail, has_colon = heading_split(text)
    agencies = heading_agencies(head, has_colon, walk.directory) if has_colon and tail else ()
    if agencies:
        context, context_coord, text = agencies, (), tail
    chunks: list[tuple[Lead | None, list[str]]] = []
    for raw in split_sentences(text):
        sentence, doer, reason = _set_aside(walk, raw)
        if reason is not None:
            walk.note(sentence, reason)
            continue
        lead = _lead(walk, doer)
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
            coord = lead.coordinating or coordinating(chunk_text, 0, walk.directory)
            _add_draft(walk, lead.names, coord, chunk_text)
            walk.started = True
        elif context:
            coord = coordinating(chunk_text, 0, walk.directory) or context_coord
            _add_draft(walk, context, coord, chunk_text)
        elif walk.in_aims():
            walk.note(chunk_text, "background")
        elif walk.started and not (plain and not walk.structured and not walk.drafts):
            walk.unclassified.append(chunk_text)
            walk.note(chunk_text, "unclassified")
        else:
            walk.note(chunk_text, "background" if is_background(fold(chunk_text)) else "preamble")


def _add_draft(walk: Walk, lead: tuple[str, ...], coord: tuple[str, ...], text: str) -> None:
    frame = walk.stack[-1]
    frame.counter += 1
    container = walk.container()
    lines = {walk.line} | {i for f in walk.stack for i in f.lines}
    walk.used |= lines
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
            lines=lines,
        )
    )
