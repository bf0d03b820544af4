"""Item 5: reading officials' replies, held to the hand-labelled corpus of issue 14.

`python -m bench.replies` (or `make bench`, item 5) reads every reply of
tests/corpus/replies/*.jsonl with the new reader (bot.domain.replies) and, as the baseline in
the same run, with the old parser (bot.domain.progress: pick_linked + parse_reply, and
parse_user_date for an answer to the 📅 question). An item is right when its line, task,
intent, percent, until and obstacle all equal the label. The figures: accuracy per labelled
intent and overall (target ≥ 0.97), and the false "done" (done where the label is not: target
0), plus the document flag and the agency a reassignment proposes.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import ROOT, Row
from bot.domain import progress
from bot.domain.replies import ReplyContext, ReplyItem, read_reply

CORPUS = ROOT / "tests" / "corpus" / "replies"
KEYS = ("line", "task", "intent", "percent", "until", "obstacle")
TARGET = 0.97
INTENTS = ("done", "progress", "blocked", "extension", "acknowledge", "reassign", "note", "unclear")

Item = dict[str, Any]
Reader = Callable[["Entry"], list[Item]]


@dataclass(frozen=True, slots=True)
class Entry:
    """One labelled reply."""

    source: str  # file:line, for messages
    text: str
    context: dict[str, Any]
    items: tuple[Item, ...]

    def reply_context(self) -> ReplyContext:
        c = self.context
        return ReplyContext(
            today=date.fromisoformat(c["today"]),
            deadline=date.fromisoformat(c["deadline"]) if c.get("deadline") else None,
            digest_lines=int(c.get("digest_lines") or 0),
            codes=tuple(c.get("codes") or ()),
            expects_date=c.get("asked") == "extension_date",
        )


def load_corpus(folder: Path = CORPUS) -> list[Entry]:
    entries = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if raw.strip():
                data = json.loads(raw)
                entries.append(
                    Entry(
                        f"{path.name}:{number}",
                        data["text"],
                        data["context"],
                        tuple(data["items"]),
                    )
                )
    return entries


# --- the two readers ---------------------------------------------------------------------


def as_label(item: ReplyItem) -> Item:
    """The reader's item in the corpus's shape (item 5's keys, document, agency)."""
    shaped = item.as_json()
    shaped["document"] = item.cites_document
    shaped["agency"] = item.agency
    return shaped


def new_reader(entry: Entry) -> list[Item]:
    return [as_label(item) for item in read_reply(entry.text, entry.reply_context())]


_OLD_KINDS = {
    progress.ProgressKind.DONE: "done",
    progress.ProgressKind.IN_PROGRESS: "progress",
    progress.ProgressKind.BLOCKED: "blocked",
    progress.ProgressKind.NOTE: "note",
}


def old_reader(entry: Entry) -> list[Item]:
    """What the bot did before issue 14, in the same shape (one item, no task codes)."""
    context = entry.reply_context()
    item: Item = dict.fromkeys(KEYS)
    item["obstacle"] = False
    if context.expects_date:
        when = progress.parse_user_date(entry.text, today=context.today)
        if isinstance(when, date):
            return [item | {"intent": "extension", "until": when.isoformat()}]
        return [item | {"intent": "unclear"}]
    text = entry.text
    if context.is_digest:
        linked = list(range(1, context.digest_lines + 1))
        line, text = progress.pick_linked(linked, entry.text)
        item["line"] = line
    report = progress.parse_reply(text)
    if isinstance(report, progress.ProgressError):
        return [item | {"intent": "unclear"}]
    kind = _OLD_KINDS[report.kind]
    blocked = report.kind == progress.ProgressKind.BLOCKED
    return [item | {"intent": kind, "percent": report.percent, "obstacle": blocked}]


# --- scoring -----------------------------------------------------------------------------


@dataclass
class Score:
    """Counts over the corpus for one reader."""

    items: int = 0  # compared positions: max(labelled, read) per reply
    right: int = 0
    false_done: int = 0
    per_intent: Counter[str] = field(default_factory=Counter)
    per_intent_right: Counter[str] = field(default_factory=Counter)
    documents: int = 0
    documents_right: int = 0
    agencies: int = 0
    agencies_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.items if self.items else 0.0

    def intent_accuracy(self, intent: str) -> float:
        total = self.per_intent[intent]
        return self.per_intent_right[intent] / total if total else float("nan")


def same(expected: Item, got: Item) -> bool:
    return all(expected.get(key) == got.get(key) for key in KEYS)


def score(entries: Iterable[Entry], reader: Reader) -> Score:
    result = Score()
    for entry in entries:
        got = reader(entry)
        expected = entry.items
        result.items += max(len(expected), len(got))
        for index in range(max(len(expected), len(got))):
            want = expected[index] if index < len(expected) else None
            have = got[index] if index < len(got) else None
            if (
                have is not None
                and have["intent"] == "done"
                and (want or {}).get("intent") != "done"
            ):
                result.false_done += 1
            if want is None:
                result.misses.append(f"{entry.source}: extra item {have}")
                continue
            result.per_intent[want["intent"]] += 1
            if have is not None and same(want, have):
                result.right += 1
                result.per_intent_right[want["intent"]] += 1
            else:
                result.misses.append(
                    f"{entry.source}: {entry.text!r}\n  want {want}\n  got  {have}"
                )
            if have is not None:
                result.documents += 1
                result.documents_right += bool(want.get("document")) == bool(have.get("document"))
                if want["intent"] == "reassign":
                    result.agencies += 1
                    result.agencies_right += want.get("agency") == have.get("agency")
    return result


# --- the table ---------------------------------------------------------------------------


def _ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}×" if baseline else "—"


def rows(new: Score, old: Score) -> list[Row]:
    table = [
        Row(
            "6",
            f"replies read right, overall ({new.items} items)",
            "—",
            f"{new.accuracy:.3f}",
            f"{old.accuracy:.3f} (old parse_reply)",
            _ratio(new.accuracy, old.accuracy),
            f"≥ {TARGET}",
            new.accuracy >= TARGET,
        ),
        Row(
            "6",
            "false “done” (done where the label is not)",
            "—",
            str(new.false_done),
            f"{old.false_done} (old parse_reply)",
            "—",
            "0",
            new.false_done == 0,
        ),
    ]
    for intent in INTENTS:
        table.append(
            Row(
                "6",
                f"  {intent} ({new.per_intent[intent]} labelled)",
                "—",
                f"{new.intent_accuracy(intent):.3f}",
                f"{old.intent_accuracy(intent):.3f}",
                _ratio(new.intent_accuracy(intent), old.intent_accuracy(intent)),
                "—",
                None,
            )
        )
    table.append(
        Row(
            "6",
            "document cited, flag right",
            "—",
            f"{new.documents_right}/{new.documents}",
            "— (no such flag)",
            "—",
            "—",
            None,
        )
    )
    table.append(
        Row(
            "6",
            "reassign: agency proposed, as written",
            "—",
            f"{new.agencies_right}/{new.agencies}",
            "— (not read)",
            "—",
            "—",
            None,
        )
    )
    return table


def bench_replies(entries: Sequence[Entry] | None = None) -> tuple[Score, Score]:
    corpus = list(entries) if entries is not None else load_corpus()
    return score(corpus, new_reader), score(corpus, old_reader)


def main(argv: list[str] | None = None) -> int:
    from bench.common import render_table

    args = sys.argv[1:] if argv is None else argv
    new, old = bench_replies()
    print(render_table(rows(new, old)))
    if "--misses" in args:
        print("\n".join(new.misses), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
