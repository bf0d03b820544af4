"""A parsed notice as JSON and back: a draft saves exactly what the admin previewed."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain.notice import DocumentMeta, ParsedNotice, ParsedTask
from bot.domain.types import Deadline, DeadlineKind


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def to_payload(parsed: ParsedNotice) -> dict[str, Any]:
    meta = parsed.document
    return {
        "document": {
            "number": meta.number,
            "date": _iso(meta.date),
            "issuer": meta.issuer,
            "signer": meta.signer,
            "signer_title": meta.signer_title,
            "place": meta.place,
            "title": meta.title,
        },
        "tasks": [
            {
                "code": task.code,
                "lead": list(task.lead),
                "coordinating": list(task.coordinating),
                "text": task.text,
                "deadline": {
                    "kind": task.deadline.kind.value,
                    "start": _iso(task.deadline.start),
                    "end": _iso(task.deadline.end),
                    "source_phrase": task.deadline.source_phrase,
                    "rule": task.deadline.rule,
                },
                "problems": list(task.problems),
                "lead_groups": list(task.lead_groups),
                "coordinating_groups": list(task.coordinating_groups),
                "lines": list(task.lines),
            }
            for task in parsed.tasks
        ],
        "agencies": list(parsed.agencies),
        "unclassified": list(parsed.unclassified),
        "problems": list(parsed.problems),
    }


def from_payload(payload: dict[str, Any]) -> ParsedNotice:
    doc = payload["document"]
    meta = DocumentMeta(
        number=doc.get("number"),
        date=_date(doc.get("date")),
        issuer=doc.get("issuer"),
        signer=doc.get("signer"),
        signer_title=doc.get("signer_title"),
        place=doc.get("place"),
        title=doc.get("title"),
    )
    tasks = tuple(
        ParsedTask(
            code=t["code"],
            lead=tuple(t["lead"]),
            coordinating=tuple(t["coordinating"]),
            text=t["text"],
            deadline=Deadline(
                DeadlineKind(t["deadline"]["kind"]),
                _date(t["deadline"]["start"]),
                _date(t["deadline"]["end"]),
                t["deadline"]["source_phrase"],
                t["deadline"].get("rule"),
            ),
            problems=tuple(t.get("problems", ())),
            lead_groups=tuple(t.get("lead_groups", ())),
            coordinating_groups=tuple(t.get("coordinating_groups", ())),
            lines=tuple(t.get("lines", ())),
        )
        for t in payload["tasks"]
    )
    return ParsedNotice(
        document=meta,
        tasks=tasks,
        agencies=tuple(payload.get("agencies", ())),
        unclassified=tuple(payload.get("unclassified", ())),
        problems=tuple(payload.get("problems", ())),
    )
