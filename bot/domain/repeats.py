"""A person's repeat: the same report sent again while the first is fresh records nothing new.

On a weak connection an official sends again when no answer came (or, before issue 22, an
apology did). Recording it twice would put a task through the office's confirmation twice, so
a new report is a repeat of an earlier one when, in the task's history:

* the earlier one is the same person's latest report, made within the window
  (REPEAT_WINDOW_MINUTES, 10 by default), and nothing broke the thread since: no office
  decision and no undo (what follows those is new, whoever sends it; other people's reports
  in between do not count: a person repeating themselves changes nothing twice);
* it has the same intent (done, in progress, blocked, a note, an extension request), the same
  percent and the same date (the one an extension asks for);
* for a blocker or a note, whose meaning is their words, the same words (letter case,
  diacritics, spacing and punctuation aside); for the others the words are only how it was
  said ("xong", "đã hoàn thành", the ✅ button);
* it brings no file the earlier one did not have.

Past the window, one case is still a repeat (`pending_done`): a done, with no file, on a task
whose completion already awaits the office's decision, from anyone of the agency; the office
is not asked twice. Anything else is a different report, recorded as usual. The history stays append-only: a
repeat stores nothing at all. Time comes in as `now`; the rule reads no clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.progress import fold

# The kinds a focal point reports; every other row (the office's decisions, undo) is a break.
REPORT_KINDS = frozenset({"done", "in_progress", "blocked", "note", "extension_request"})
WORDS_MATTER = frozenset({"blocked", "note"})
_NOT_WORDS = re.compile(r"[^\w%]+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a task's history, as the rule reads it."""

    id: int
    kind: str
    author_user_id: int | None
    percent: int | None  # the percent the task had after it
    on: date | None  # the date it names (an extension request's), else None
    words: str
    evidence: frozenset[str]
    at: datetime


@dataclass(frozen=True, slots=True)
class Candidate:
    """The report about to be recorded, with the percent the task would have after it."""

    kind: str
    author_user_id: int
    percent: int | None
    on: date | None
    words: str
    evidence: frozenset[str] = frozenset()


def repeat_of(
    history: Sequence[Entry], new: Candidate, *, now: datetime, window: timedelta
) -> Entry | None:
    """The entry `new` repeats, or None when it is a report of its own. `history` is the
    task's, newest first (older rows than the window may be left out). A window of zero
    turns the rule off."""
    if window <= timedelta(0):
        return None
    for entry in history:
        if now - entry.at > window:
            return None
        if entry.kind not in REPORT_KINDS:
            return None  # an office decision or an undo: what follows it is new
        if entry.author_user_id != new.author_user_id:
            continue
        return entry if same_report(entry, new) else None
    return None


def same_report(entry: Entry, new: Candidate) -> bool:
    """Whether `new` says what `entry` said (see the module)."""
    if (entry.kind, entry.percent, entry.on) != (new.kind, new.percent, new.on):
        return False
    if not new.evidence <= entry.evidence:
        return False
    return new.kind not in WORDS_MATTER or plain_words(entry.words) == plain_words(new.words)


def plain_words(text: str) -> str:
    """The words of a report without case, diacritics, spacing or punctuation."""
    return " ".join(_NOT_WORDS.sub(" ", fold(text)).split())


AWAITING = "awaiting_confirmation"


def pending_done(new: Candidate, *, status: str) -> bool:
    """Whether `new` says "done" of a task (in `status`) whose completion already awaits the
    office: nothing new to decide, whenever it is sent. A file is new information."""
    return new.kind == "done" and status == AWAITING and not new.evidence
