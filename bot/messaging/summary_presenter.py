"""The roll-up as chat text: the office's digest and an agency's own weekly status.

A phone shows a few dozen short lines, and Telegram refuses a message over 4096 characters,
so the digest is assembled from sections and, when too long, the longest list loses lines
one at a time and ends with "… và N đơn vị khác (xem tệp Excel)". Every value goes through
the text catalogue, which HTML-escapes it (agency names and reports are user input).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.domain.periods import PeriodKind
from bot.domain.rollup import Counts
from bot.messaging.texts import Texts
from bot.services.summary import Rollup, TaskItem

# Telegram counts UTF-16 code units; stay well under its 4096 for the markup it strips.
DIGEST_LIMIT = 4000
QUOTE_LIMIT = 180
NAME_LIMIT = 80
AGENCY_OVERDUE_LINES = 10


def utf16_len(text: str) -> int:
    """Length as Telegram measures it (emoji count twice)."""
    return len(text.encode("utf-16-le")) // 2


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _short(text: str, limit: int) -> str:
    """One line, at most `limit` characters: cut before escaping so no entity is split."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _rate(value: float | None, tx: Texts) -> str:
    if value is None:
        return tx.t("summary.rate_none")
    number = f"{value * 100:.1f}"
    return (number.replace(".", ",") if tx.lang == "vi" else number) + "%"


@dataclass
class _Section:
    """A titled list; `hidden` counts items the service did not even list (capped lists)."""

    head: list[str]
    items: list[str]
    more_key: str
    hidden: int = 0
    shown: int = field(init=False)

    def __post_init__(self) -> None:
        self.shown = len(self.items)

    def lines(self, tx: Texts) -> list[str]:
        if not self.items and not self.hidden:
            return []
        out = [*self.head, *self.items[: self.shown]]
        rest = len(self.items) - self.shown + self.hidden
        if rest > 0:
            out.append(tx.t(self.more_key, count=rest))
        return out

    def shown_size(self) -> int:
        return sum(utf16_len(line) + 1 for line in self.items[: self.shown])


def _join(top: list[str], sections: list[_Section], tx: Texts) -> str:
    blocks = ["\n".join(top)]
    blocks += ["\n".join(lines) for s in sections if (lines := s.lines(tx))]
    return "\n\n".join(blocks)


def fit(top: list[str], sections: list[_Section], tx: Texts, limit: int = DIGEST_LIMIT) -> str:
    """Join the blocks, dropping lines from the longest list until the text fits."""
    text = _join(top, sections, tx)
    while utf16_len(text) > limit:
        candidates = [s for s in sections if s.shown > 0]
        if not candidates:
            break
        max(candidates, key=lambda s: s.shown_size()).shown -= 1
        text = _join(top, sections, tx)
    if utf16_len(text) > limit:  # only if the fixed lines alone were too long
        text = _short(text, limit // 2)
    return text


def _count_lines(counts: Counts, tx: Texts, *, tasks: int | None = None) -> list[str]:
    """The partition, cell by cell (its lines add up to the total), then the rates with their
    bases. `tasks` None: one agency's roll-up, where a task is one assignment."""
    if tasks is None:
        lines = [tx.t("summary.total_agency", total=counts.total)]
    else:
        lines = [tx.t("summary.total", tasks=tasks, total=counts.total)]
    if counts.with_deadline:
        lines += [
            tx.t("summary.with_deadline", count=counts.with_deadline),
            tx.t("summary.done", on_time=counts.done_on_time, late=counts.done_late),
        ]
        if counts.awaiting:
            lines.append(tx.t("summary.awaiting", count=counts.awaiting))
        lines += [
            tx.t(
                "summary.in_progress",
                on_time=counts.in_progress_on_time,
                late=counts.in_progress_overdue,
            ),
            tx.t(
                "summary.not_started",
                not_due=counts.not_started_not_due,
                late=counts.not_started_overdue,
            ),
        ]
    if counts.no_deadline:
        lines += [
            tx.t("summary.no_deadline", count=counts.no_deadline),
            tx.t(
                "summary.no_deadline_line",
                done=counts.done_no_deadline,
                awaiting=counts.awaiting_no_deadline,
                in_progress=counts.in_progress_no_deadline,
                not_started=counts.not_started_no_deadline,
            ),
        ]
    lines += [
        tx.t("summary.flags", overdue=counts.overdue, due_soon=counts.due_soon),
        tx.t(
            "summary.rates",
            on_time_rate=_rate(counts.on_time_rate, tx),
            on_time=counts.on_time.numerator,
            on_time_base=counts.on_time.base,
            completion_rate=_rate(counts.completion_rate, tx),
            done=counts.done,
            total=counts.total,
            unit=tx.t("summary.unit.tasks" if tasks is None else "summary.unit.assignments"),
        ),
    ]
    return lines


def _header(rollup: Rollup, tx: Texts, title: str) -> list[str]:
    lines = [title]
    if rollup.notice_number:
        lines.append(tx.t("summary.notice", number=rollup.notice_number))
    period = rollup.period
    lines.append(
        tx.t(
            "summary.period",
            label=period.label,
            start=_d(period.start),
            end=_d(period.end),
            at=_d(rollup.at),
        )
    )
    return lines


def _is_week(rollup: Rollup) -> bool:
    return rollup.period.kind is PeriodKind.WEEK


def _changes(rollup: Rollup, tx: Texts) -> list[str]:
    changes = rollup.changes
    title = "summary.changes.title_week" if _is_week(rollup) else "summary.changes.title"
    return [
        tx.t(title),
        tx.t("summary.changes.updates", count=changes.updates),
        tx.t(
            "summary.changes.completed",
            count=changes.completed_count,
            confirmed=changes.confirmed_count,
            awaiting=changes.awaiting_count,
        ),
        tx.t("summary.changes.overdue", count=changes.overdue_count),
    ]


def _overdue_line(item: TaskItem, tx: Texts, key: str = "summary.overdue.line") -> str:
    return tx.t(
        key,
        assignment_id=item.assignment_id,
        code=item.task_code,
        agency=_short(item.agency_name, NAME_LIMIT),
        deadline=_d(item.deadline),
        days=item.late_working_days,
    )


def _sections(rollup: Rollup, tx: Texts) -> list[_Section]:
    agencies = _Section(
        [tx.t("summary.agencies.title")],
        [
            tx.t(
                "summary.agencies.line",
                rank=rank,
                name=_short(row.name, NAME_LIMIT),
                overdue=row.counts.overdue,
                done=row.counts.done,
                total=row.counts.total,
            )
            for rank, row in enumerate(rollup.agencies, 1)
        ],
        "summary.more_agencies",
    )
    overdue = _Section(
        [tx.t("summary.overdue.title", count=rollup.overall.overdue)],
        [_overdue_line(item, tx) for item in rollup.overdue],
        "summary.more_tasks",
        hidden=max(0, rollup.overall.overdue - len(rollup.overdue)),
    )
    silent_title = "summary.silent.title_week" if _is_week(rollup) else "summary.silent.title"
    reporting = [a for a in rollup.silent_agencies if a.bound]
    silent = _Section(
        [tx.t(silent_title, count=len(reporting))],
        [
            tx.t("summary.silent.line", name=_short(a.name, NAME_LIMIT), open=a.open_count)
            for a in reporting
        ],
        "summary.more_agencies",
    )
    # Not on board (no group bound): they could not report; named apart (issue 21).
    unbound = [a for a in rollup.silent_agencies if not a.bound]
    not_on_board = _Section(
        [tx.t("summary.unbound.title", count=len(unbound))],
        [
            tx.t("summary.silent.line", name=_short(a.name, NAME_LIMIT), open=a.open_count)
            for a in unbound
        ],
        "summary.more_agencies",
    )
    difficulties = _Section(
        [tx.t("summary.difficulties.title", count=rollup.difficulties_count)],
        [
            tx.t(
                "summary.difficulties.line",
                agency=_short(d.agency_name, NAME_LIMIT),
                code=d.task_code,
                date=_d(d.reported_on),
                text=_quote(d.text, d.restricted, tx),
            )
            for d in rollup.difficulties
        ],
        "summary.more_difficulties",
        hidden=max(0, rollup.difficulties_count - len(rollup.difficulties)),
    )
    return [agencies, overdue, silent, not_on_board, difficulties]


def _quote(text: str, restricted: bool, tx: Texts) -> str:
    if restricted:
        return tx.t("summary.restricted")
    return _short(text, QUOTE_LIMIT) if text.strip() else tx.t("summary.difficulties.no_text")


def render_digest(rollup: Rollup, texts_lang: str = "vi") -> str:
    """The office's digest (HTML): totals and rates, the period's news, agencies worst first,
    overdue tasks, silent agencies, difficulties; always under DIGEST_LIMIT."""
    tx = Texts(texts_lang)
    if rollup.unknown_notice:
        return tx.t("summary.unknown_notice", number=rollup.notice_number or "")
    top = _header(rollup, tx, tx.t("summary.title"))
    if rollup.overall.total == 0:
        return "\n".join([*top, "", tx.t("summary.empty")])
    top += ["", *_count_lines(rollup.overall, tx, tasks=rollup.tasks), "", *_changes(rollup, tx)]
    return fit(top, _sections(rollup, tx), tx)


def render_agency_status(rollup: Rollup, texts_lang: str = "vi") -> str:
    """An agency's own short weekly status, from a roll-up filtered to that agency."""
    tx = Texts(texts_lang)
    if rollup.unknown_notice:
        return tx.t("summary.unknown_notice", number=rollup.notice_number or "")
    name = rollup.agency_name or (rollup.agencies[0].name if rollup.agencies else "")
    top = _header(rollup, tx, tx.t("summary.agency.title", agency=_short(name, NAME_LIMIT)))
    if rollup.overall.total == 0:
        return "\n".join([*top, "", tx.t("summary.empty")])
    top += ["", *_count_lines(rollup.overall, tx)]
    if rollup.changes.updates:
        top += [
            "",
            tx.t("summary.agency.thanks" if _is_week(rollup) else "summary.agency.thanks_period"),
        ]
    elif any(a.agency_id == rollup.agency_id for a in rollup.silent_agencies):
        top += [
            "",
            tx.t("summary.agency.silent" if _is_week(rollup) else "summary.agency.silent_period"),
        ]
    overdue = _Section(
        [tx.t("summary.agency.overdue_title")],
        [_overdue_line(i, tx, "summary.agency.overdue_line") for i in rollup.overdue],
        "summary.more_tasks",
        hidden=max(0, rollup.overall.overdue - len(rollup.overdue)),
    )
    overdue.shown = min(overdue.shown, AGENCY_OVERDUE_LINES)
    return fit(top, [overdue], tx)
