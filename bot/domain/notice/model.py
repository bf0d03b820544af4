"""What the parser returns: the notice's metadata, its tasks, and what it could not place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from bot.domain.types import Deadline


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Who issued the notice, when, under which number; None when the text does not say."""

    number: str | None = None
    date: date | None = None
    issuer: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    place: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedTask:
    """One task: its code in the notice, lead and coordinating agencies, wording and deadline.

    ``lead`` holds every doer as the notice names it (heads' titles dropped), groups
    included; ``lead_groups`` says which of them are groups ("Các sở, ban, ngành tỉnh"), to be
    assigned member by member, never as one agency. ``coordinating`` holds named agencies only
    (as before); the group partners ("các sở, ngành liên quan") are ``coordinating_groups``.
    ``lines`` are the numbers (1-based, in the text read) of the lines the task came from.
    """

    code: str
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    text: str
    deadline: Deadline
    problems: tuple[str, ...] = ()
    lead_groups: tuple[str, ...] = ()
    coordinating_groups: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()

    @property
    def lead_agencies(self) -> tuple[str, ...]:
        """The lead names that are single agencies (not groups)."""
        groups = set(self.lead_groups)
        return tuple(name for name in self.lead if name not in groups)


UnusedReason = Literal[
    "header",  # number, date, issuing body, motto, document title
    "recipients",  # "Kính gửi" and its list
    "preamble",  # legal bases ("Căn cứ"), the meeting, who attended
    "background",  # a cited document, the situation, a forecast, results so far
    "issuer",  # the issuer speaking: "… kết luận như sau:", "… yêu cầu:"
    "heading",  # a heading with no task under it (aims, requirements, a topic)
    "formal",  # a Quyết định's articles of promulgation and effect
    "closing",  # the closing formula and sign-offs ("nghiêm túc thực hiện Chỉ thị này")
    "signature",  # "Nơi nhận", signing formula, signer
    "table",  # a table's header row, or a row without a task
    "unclassified",  # inside the directive part, but no doer found: the office decides
]


@dataclass(frozen=True, slots=True)
class UnusedLine:
    """A line (or, when ``part`` is set, a piece of a line) that no task was made from."""

    line: int  # 1-based number of the line in the text read
    text: str
    reason: UnusedReason
    part: bool = False  # only a sentence of the line; the rest went into a task
    last_line: int = 0  # a line wrapped in the text ends here (0: the same line)

    @property
    def lines(self) -> range:
        return range(self.line, max(self.line, self.last_line) + 1)


@dataclass(frozen=True, slots=True)
class Addressee:
    """A name the notice gives a task to, as one agency or as a group of agencies.

    ``canonical`` is the directory's name when the directory given to the parser knows it;
    ``members`` the group's members it knows (None: a group without a member list, which the
    office must define; () for an agency); ``current`` the agency that took over an agency
    which had ceased by the notice's date (Sở Kế hoạch và Đầu tư -> Sở Tài chính in 2025).
    """

    name: str
    kind: Literal["agency", "group"]
    canonical: str | None = None
    members: tuple[str, ...] | None = ()
    current: str | None = None  # the successor holding its tasks on the notice's date


@dataclass(frozen=True, slots=True)
class ParsedNotice:
    """The whole parse; every line is either used by a task or listed in ``unused``.

    ``unclassified`` (text inside the directive part with no doer) is kept as before for
    current callers; ``unused`` lists it too, with every other line no task was made from,
    its line number and why. ``addressees`` classifies each name in ``agencies`` and in the
    tasks' groups.
    """

    document: DocumentMeta
    tasks: tuple[ParsedTask, ...] = ()
    agencies: tuple[str, ...] = ()
    unclassified: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    unused: tuple[UnusedLine, ...] = ()
    addressees: tuple[Addressee, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        """The exchange format (exactly these keys; dates ISO or null)."""
        doc = self.document
        return {
            "document": {
                "number": doc.number,
                "date": doc.date.isoformat() if doc.date else None,
                "issuer": doc.issuer,
                "signer": doc.signer,
                "title": doc.title,
            },
            "tasks": [
                {
                    "code": task.code,
                    "lead": list(task.lead),
                    "coordinating": list(task.coordinating),
                    "text": task.text,
                    "deadline": {
                        "kind": str(task.deadline.kind),
                        "start": task.deadline.start.isoformat() if task.deadline.start else None,
                        "end": task.deadline.end.isoformat() if task.deadline.end else None,
                        "source_phrase": task.deadline.source_phrase,
                    },
                }
                for task in self.tasks
            ],
        }

    def to_report_dict(self) -> dict[str, Any]:
        """Everything the reader found, for `dondoc import --json` and scripts: the exchange
        format plus each task's groups, deadline rule and lines, the addressees, the problems
        and every line not used (a script can tell "no tasks" from "not understood")."""
        data = self.to_json_dict()
        for out, task in zip(data["tasks"], self.tasks, strict=True):
            out["lead_groups"] = list(task.lead_groups)
            out["coordinating_groups"] = list(task.coordinating_groups)
            out["deadline"]["rule"] = task.deadline.rule
            out["problems"] = list(task.problems)
            out["lines"] = list(task.lines)
        data["addressees"] = [
            {
                "name": a.name,
                "kind": a.kind,
                "canonical": a.canonical,
                "members": list(a.members) if a.members is not None else None,
                "current": a.current,
            }
            for a in self.addressees
        ]
        data["problems"] = list(self.problems)
        data["unclassified"] = list(self.unclassified)
        data["unused"] = [
            {
                "line": u.line,
                "last_line": max(u.line, u.last_line),
                "text": u.text,
                "reason": u.reason,
                "part": u.part,
            }
            for u in self.unused
        ]
        return data
