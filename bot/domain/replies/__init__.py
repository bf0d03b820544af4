"""The reader of officials' replies (issue 14): text + what it answers → items.

    read_reply("1. xong\\n2. đạt 50%\\n3. vướng kinh phí",
               ReplyContext(today=date(2020, 1, 6), digest_lines=3))
    → [done line 1 (100%), progress line 2 (50%), blocked line 3]

Pure and standard-library only; the clock is the caller's (`today`, the current deadline).

Steps: `normalise` (NFC, invisible characters out, no-diacritic and teencode forms read as
full forms) → `targets` (which digest line or task code each part names) → `intents` (what
each part says, with `percents`, `dates`, `completion`, `obstacle`, `reassign`, `documents`).
`standalone.reads_as_report` decides whether a message that replies to nothing is a report.

Precedence, for each item (the first that applies):

1. **unclear** when reading would be guessing: a bare number, a lone ✅, "đạt %", a percent
   above 100, a question about the task's status, a statement taken back, "không rõ";
2. **reassign** before everything: if the task is not theirs, nothing else they say about it
   should move its status;
3. **extension**: a request needs the office's decision, whatever else is said (its percent
   and its cause are kept: "Đạt 70%, xin gia hạn…" is an extension with 70);
4. **done** only when completion is stated, not negated, not a question, not forecast, not a
   part, with no work left or under way, and no percent below 100 ("hoàn thành 70%" is 70);
   a difficulty beside it is kept as `obstacle`;
5. **blocked**: a difficulty without completion (its percent kept);
6. **progress**: a figure, work under way, near or forecast completion, a part done;
7. **note**, 8. **acknowledge**: no status moves; a note carries information (a document,
   a step, a question), an acknowledgement only receipt, filler, a promise or "chưa".

Never words the official did not say: the false "done" the corpus counts must stay at zero,
so every doubt falls towards progress, note or unclear (the bot asks), never towards done.
"""

from __future__ import annotations

from bot.domain.replies.intents import Reading, classify
from bot.domain.replies.model import Intent, ReplyContext, ReplyItem
from bot.domain.replies.normalise import clean, fold, trim
from bot.domain.replies.obstacle import reports_obstacle
from bot.domain.replies.percents import percent_above_100
from bot.domain.replies.standalone import reads_as_report, reports_to_bot
from bot.domain.replies.targets import split_targets

__all__ = [
    "Intent",
    "ReplyContext",
    "ReplyItem",
    "names_difficulty",
    "out_of_range_percent",
    "read_reply",
    "reads_as_report",
    "reports_to_bot",
]


def names_difficulty(text: str) -> bool:
    """Whether the words name a difficulty themselves ("vướng kinh phí", "chưa có hướng dẫn",
    "không kịp"), a cause given for an extension ("do chờ ý kiến UBND tỉnh") not counting:
    a request for more time with its reason does not make the task blocked."""
    return reports_obstacle(fold(trim(clean(text))), causes=False)


def out_of_range_percent(text: str) -> str | None:
    """The progress figure above 100 a reply states ("150%"), or None."""
    return percent_above_100(fold(trim(clean(text))))


def read_reply(text: str, context: ReplyContext) -> list[ReplyItem]:
    """Every item the reply states, in the order written; [] when it has no text at all."""
    cleaned = trim(clean(text))
    if not cleaned:
        return []
    items: list[ReplyItem] = []
    for segment in split_targets(cleaned, context):
        reading: Reading = classify(segment.text, context)
        for line, task in segment.targets():
            items.append(
                ReplyItem(
                    intent=reading.intent,
                    line=line,
                    task=task,
                    percent=reading.percent,
                    until=reading.until,
                    obstacle=reading.obstacle,
                    cites_document=reading.cites_document,
                    agency=reading.agency,
                    text=segment.text,
                )
            )
    return items
