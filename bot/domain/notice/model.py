"""What the parser returns: the notice's metadata, its tasks, and what it could not place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

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
    """One task: its code in the notice, lead and coordinating agencies, wording and deadline."""

    code: str
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    text: str
    deadline: Deadline
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedNotice:
    """The whole parse; ``unclassified`` lines are shown to the office rather than dropped."""

    document: DocumentMeta
    tasks: tuple[ParsedTask, ...] = ()
    agencies: tuple[str, ...] = ()
    unclassified: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

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
