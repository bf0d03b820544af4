"""Item 5: how well the reader reads the measured notice corpus (tests/corpus/notices/).

`python -m bench.notices [--details]` prints one line per notice (and, with --details, every
missed, extra and wrong task); `python -m bench` adds the summary rows to the table.

For each notice, the whole reading path runs (`read_notice_file`: .txt, .docx tables, PDF
text layer, then `parse_notice`) and its tasks are aligned with the hand labels:
- a predicted task matches a labelled one when the label's excerpt occurs in the task's text
  (accents, case, spaces and line breaks ignored), each predicted task matching at most one;
  F1 over matched / predicted / labelled tasks;
- lead accuracy: the labelled tasks whose task was found AND whose lead agencies, resolved
  through the agency directory (bot/data/agencies.json, `Directory.resolve`), are exactly the
  labelled ones (a name the directory does not know is compared by its key: titles, "UBND",
  abbreviations and tones folded); an unmatched labelled task counts as wrong;
- deadline accuracy: likewise, both without a deadline or both with the same end date (the day
  reminders count against; relative and event deadlines are labelled with their computed date);
- coordinating accuracy (reported, no target): the partners, named agencies and groups alike;
- leaked: labelled non-task lines ("Kính gửi", background, sign-off...) found inside a task.
The corpus figures are micro-averaged over its notices; the seed (examples/22-TB-BCD.txt) is
reported apart. Targets (issue 15): ≥ 0.95 on each corpus measure, 1.0 on the seed.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import ROOT, Row
from bot.agency_data import standard_directory
from bot.domain.agency_directory import Directory, name_key
from bot.domain.notice import ParsedNotice, ParsedTask
from bot.domain.text import fold
from bot.notice_files import read_notice_file

CORPUS = ROOT / "tests" / "corpus" / "notices"
TARGET = 0.95


@dataclass(frozen=True, slots=True)
class LabelledTask:
    excerpt: str
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    deadline_end: date | None


@dataclass(frozen=True, slots=True)
class Labels:
    notice_date: date
    tasks: tuple[LabelledTask, ...]
    not_tasks: tuple[str, ...]


@dataclass(slots=True)
class Score:
    """Counts for one notice (or a sum of notices)."""

    expected: int = 0
    predicted: int = 0
    matched: int = 0
    lead_ok: int = 0
    deadline_ok: int = 0
    coordinating_ok: int = 0
    leaked: int = 0
    notes: list[str] = field(default_factory=list)

    def __iadd__(self, other: Score) -> Score:
        for name in ("expected", "predicted", "matched", "lead_ok", "deadline_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.coordinating_ok += other.coordinating_ok
        self.leaked += other.leaked
        return self

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def lead_accuracy(self) -> float:
        return self.lead_ok / self.expected if self.expected else 0.0

    @property
    def deadline_accuracy(self) -> float:
        return self.deadline_ok / self.expected if self.expected else 0.0

    @property
    def coordinating_accuracy(self) -> float:
        return self.coordinating_ok / self.expected if self.expected else 0.0


@dataclass(frozen=True, slots=True)
class NoticeResult:
    file: str
    issuer: str
    score: Score


@dataclass(frozen=True, slots=True)
class CorpusResult:
    notices: tuple[NoticeResult, ...]
    seed: NoticeResult

    @property
    def total(self) -> Score:
        total = Score()
        for notice in self.notices:
            total += notice.score
        return total


# --- labels -----------------------------------------------------------------------------------


def _tuple(raw: Any) -> tuple[str, ...]:
    return tuple(raw or ())


def load_labels(path: Path) -> Labels:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    tasks = []
    for task in raw.get("task", ()):
        deadline = task.get("deadline", "none")
        end = None if deadline == "none" else deadline["end"]
        tasks.append(
            LabelledTask(
                task["excerpt"], _tuple(task["lead"]), _tuple(task.get("coordinating")), end
            )
        )
    return Labels(raw["notice_date"], tuple(tasks), _tuple(raw.get("not_tasks")))


def load_manifest(corpus: Path = CORPUS) -> dict[str, Any]:
    return tomllib.loads((corpus / "manifest.toml").read_text(encoding="utf-8"))


# --- scoring ----------------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Loose text form for aligning excerpts: no accents, case, punctuation spacing."""
    return " ".join(fold(text).replace("“", '"').replace("”", '"').split())


def agency_keys(names: Iterable[str], directory: Directory, on: date) -> frozenset[str]:
    """The set of agencies and groups ``names`` designate, as comparable keys."""
    keys: set[str] = set()
    for name in names:
        resolution = directory.resolve(name, on=on)
        members = resolution.members if resolution.kind == "list" else (resolution,)
        for member in members:
            if member.kind == "unknown":
                keys.add("?" + name_key(member.name))
            else:
                keys.add(f"{member.kind}:{member.name}")
    return frozenset(keys)


def score_notice(parsed: ParsedNotice, labels: Labels, directory: Directory) -> Score:
    """Align predicted and labelled tasks by excerpt and count what agrees."""
    predicted = list(parsed.tasks)
    texts = [_norm(t.text) for t in predicted]
    used = [False] * len(predicted)
    score = Score(expected=len(labels.tasks), predicted=len(predicted))
    on = labels.notice_date
    for label in labels.tasks:
        needle = _norm(label.excerpt)
        index = next((i for i, text in enumerate(texts) if not used[i] and needle in text), None)
        if index is None:
            score.notes.append(f"missed: {label.excerpt!r}")
            continue
        used[index] = True
        score.matched += 1
        task: ParsedTask = predicted[index]
        if agency_keys(task.lead, directory, on) == agency_keys(label.lead, directory, on):
            score.lead_ok += 1
        else:
            score.notes.append(f"lead {label.excerpt!r}: got {task.lead}, want {label.lead}")
        if task.deadline.end == label.deadline_end:
            score.deadline_ok += 1
        else:
            score.notes.append(
                f"deadline {label.excerpt!r}: got {task.deadline.end} "
                f"({task.deadline.source_phrase!r}), want {label.deadline_end}"
            )
        partners = (*task.coordinating, *task.coordinating_groups)
        if agency_keys(partners, directory, on) == agency_keys(label.coordinating, directory, on):
            score.coordinating_ok += 1
    for i, task in enumerate(predicted):
        if not used[i]:
            score.notes.append(f"extra {task.code}: {task.text[:90]!r}")
    for line in labels.not_tasks:
        needle = _norm(line)
        if any(needle in text for text in texts):
            score.leaked += 1
            score.notes.append(f"leaked non-task: {line!r}")
    return score


def read(path: Path) -> ParsedNotice:
    return read_notice_file(path.name, path.read_bytes())


def evaluate_corpus(corpus: Path = CORPUS, directory: Directory | None = None) -> CorpusResult:
    """Read every notice of the manifest and the seed, and score them against their labels."""
    directory = directory or standard_directory()
    manifest = load_manifest(corpus)
    results = []
    for entry in manifest["notice"]:
        labels = load_labels(corpus / entry["labels"])
        score = score_notice(read(corpus / entry["file"]), labels, directory)
        results.append(NoticeResult(entry["file"], entry.get("issuer", ""), score))
    seed_entry = manifest["seed"]
    seed_labels = load_labels(corpus / seed_entry["labels"])
    seed_score = score_notice(read(corpus / seed_entry["file"]), seed_labels, directory)
    seed = NoticeResult(Path(seed_entry["file"]).name, seed_entry.get("issuer", ""), seed_score)
    return CorpusResult(tuple(results), seed)


# --- output -----------------------------------------------------------------------------------


def _figures(score: Score) -> str:
    return (
        f"F1 {score.f1:.2f} (P {score.precision:.2f}, R {score.recall:.2f}) · "
        f"lead {score.lead_accuracy:.2f} · deadline {score.deadline_accuracy:.2f} · "
        f"coordinating {score.coordinating_accuracy:.2f} · leaked {score.leaked}"
    )


def rows(result: CorpusResult) -> list[Row]:
    """Item 5's rows: the corpus's three measures against 0.95, the seed's against 1.0."""
    total = result.total
    out = []
    measures = (("task F1", "f1"), ("lead accuracy", "lead_accuracy"))
    measures += (("deadline accuracy", "deadline_accuracy"),)
    size = f"{len(result.notices)} files, {total.expected} tasks"
    for label, attr in measures:
        value = getattr(total, attr)
        out.append(
            Row(
                "5",
                f"notice corpus ({size}): {label}",
                "—",
                f"{value:.2f}",
                "1.00 (all right)",
                f"{value:.2f}",
                f"≥ {TARGET}",
                value >= TARGET,
            )
        )
    seed = result.seed.score
    for label, attr in measures:
        value = getattr(seed, attr)
        out.append(
            Row(
                "5",
                f"seed 22-TB/BCĐ ({seed.expected} tasks): {label}",
                "—",
                f"{value:.2f}",
                "1.00 (all right)",
                f"{value:.2f}",
                "= 1.0",
                value >= 1.0,
            )
        )
    return out


def report(result: CorpusResult, *, details: bool = False) -> str:
    lines = []
    for notice in (*result.notices, result.seed):
        lines.append(f"{notice.file:42} {notice.score.expected:3} tasks  {_figures(notice.score)}")
        if details:
            lines.extend(f"    {note}" for note in notice.score.notes)
    lines.append(
        f"{'corpus (micro-average)':42} {result.total.expected:3} tasks  {_figures(result.total)}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.notices", description=__doc__)
    parser.add_argument("--details", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    print(report(evaluate_corpus(), details=args.details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
