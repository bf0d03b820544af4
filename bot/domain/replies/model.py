"""What the reader is given (the context of a reply) and what it returns (items)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class Intent(StrEnum):
    """What an official's words do to a task (see the package docstring for the precedence)."""

    DONE = "done"
    PROGRESS = "progress"
    BLOCKED = "blocked"
    EXTENSION = "extension"
    ACKNOWLEDGE = "acknowledge"  # receipt or filler: changes no status
    REASSIGN = "reassign"  # not our task / another agency should lead
    NOTE = "note"  # information, no status
    UNCLEAR = "unclear"  # the bot must ask


@dataclass(frozen=True, slots=True)
class ReplyContext:
    """What a reply answers, and the two dates it is read against (no clock in the domain).

    `digest_lines` is N for a digest of N ≥ 2 numbered lines; 0 or 1 means one task (a card,
    a reminder, a one-line digest, or nothing at all for a message that replies to nothing).
    `codes` are the digest's task codes in line order ("23" for #23), when known.
    `expects_date` is set when the reply answers the 📅 button's question: a date alone is then
    the extension asked for."""

    today: date
    deadline: date | None = None
    digest_lines: int = 0
    codes: tuple[str, ...] = ()
    expects_date: bool = False

    @property
    def is_digest(self) -> bool:
        return self.digest_lines >= 2


@dataclass(frozen=True, slots=True)
class ReplyItem:
    """One thing the reply says about one task.

    `line` is the digest line named (None when not a digest or not said), `task` a task code
    written in the text ("#23" → "23"); both None means the replied task (or, in a digest, that
    the bot must ask which line). `percent` is 100 for done and None unless stated or derivable;
    `until` is the requested deadline of an extension; `obstacle` whether a difficulty is
    reported; `cites_document` whether a numbered document is cited; `agency` the agency a
    reassign proposes, as written; `text` the item's own words (cleaned, for the history)."""

    intent: Intent
    line: int | None = None
    task: str | None = None
    percent: int | None = None
    until: date | None = None
    obstacle: bool = False
    cites_document: bool = False
    agency: str | None = None
    text: str = ""

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of issue 14, item 5 (what `dondoc parse-reply --json` prints)."""
        return {
            "line": self.line,
            "task": self.task,
            "intent": self.intent.value,
            "percent": self.percent,
            "until": self.until.isoformat() if self.until else None,
            "obstacle": self.obstacle,
        }
