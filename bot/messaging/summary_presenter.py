"""The roll-up as chat text: the office's digest (/tonghop and the weekly summary) and an
agency's own status, each within one phone screen (about 20 lines).

Both open with the same figures, the roll-up's partition by state (hoàn thành, chờ xác
nhận, đang thực hiện, chưa thực hiện: they add up to the total, the overdue part of each in
brackets) and the two rates with their bases in words (docs/rollup.md). The office's digest
then names the five agencies most overdue, how many agencies sent nothing (past their
REPORT_GRACE_DAYS), the period's new difficulties; everything else is in the Excel and Word
files (/xuatbaocao) and the web app. Text is cut at a word. Every value goes through the text
catalogue, which HTML-escapes it (agency names and reports are user input).
"""

from __future__ import annotations

from datetime import date

from bot.domain.periods import PeriodKind
from bot.domain.rollup import Counts
from bot.messaging.format import shorten
from bot.messaging.layout import fits
from bot.messaging.short_names import abbreviate, distinct_short_names
from bot.messaging.texts import Raw, Texts
from bot.services.summary import Rollup, SilentAgency, TaskItem

# Telegram counts UTF-16 code units; stay well under its 4096 for the markup it strips.
DIGEST_LIMIT = 4000
WORST_AGENCIES = 5
NAME_CHARS = 17  # an agency's name in a ranked line: the line fits one phone line
NAMES_CHARS = 30  # the silent agencies' names: the line fits two phone lines
QUOTE_CHARS = 30  # a difficulty quoted: the line fits two or three phone lines
AGENCY_OVERDUE_LINES = 5
DAY_MONTH = "%d/%m"


def utf16_len(text: str) -> int:
    """Length as Telegram measures it (emoji count twice)."""
    return len(text.encode("utf-16-le")) // 2


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def short_name(name: str, limit: int = NAME_CHARS) -> str:
    """An agency's name for a line of its own: abbreviated as officials write it, then cut
    at a word (ranked lines use `distinct_short_names`, which keeps them apart)."""
    return shorten(abbreviate(name), limit)


def _ranked_names(rollup: Rollup) -> dict[str, str]:
    """The short form of every agency the digest may name, each telling its agency apart
    from every other of the roll-up (review U1)."""
    names = [
        *(a.name for a in rollup.agencies),
        *(row.name for row in rollup.league),
        *(d.agency_name for d in rollup.difficulties[:1]),
    ]
    return distinct_short_names(names, NAME_CHARS)


def _rate(value: float | None, tx: Texts) -> str:
    if value is None:
        return tx.t("summary.rate_none")
    number = f"{value * 100:.1f}"
    return (number.replace(".", ",") if tx.lang == "vi" else number) + "%"


def count_lines(
    counts: Counts, tx: Texts, *, tasks: int | None = None, unassigned: int = 0
) -> list[str]:
    """The partition by state (its four lines add up to the total), due soon, the rates with
    their bases. `tasks` None: one agency's roll-up, where a task is one assignment.
    `unassigned`: tasks given to no agency, in no cell, named below the totals (review I2)."""
    if tasks is None:
        lines = [tx.t("summary.total_agency", total=counts.total)]
    else:
        lines = [tx.t("summary.total", tasks=tasks, total=counts.total)]
        if unassigned:
            lines.append(tx.t("summary.unassigned", count=unassigned))
    lines += [
        tx.t("summary.done", count=counts.done, on_time=counts.done_on_time),
    ]
    if counts.awaiting_confirmation:  # a zero line adds nothing to the sum
        lines.append(tx.t("summary.awaiting", count=counts.awaiting_confirmation))
    lines += [
        tx.t(
            "summary.in_progress_returned" if counts.returned else "summary.in_progress",
            count=counts.in_progress,
            late=counts.in_progress_overdue,
            returned=counts.returned,
        ),
        tx.t("summary.not_started", count=counts.not_started, late=counts.not_started_overdue),
    ]
    if counts.due_soon and tasks is None:  # the agency's to act on; the office has /nhiemvu
        lines.append(tx.t("summary.due_soon", count=counts.due_soon))
    unit = tx.t("summary.unit.tasks" if tasks is None else "summary.unit.assignments")
    if counts.on_time.base:
        on_time = tx.t(
            "summary.rate_on_time",
            rate=_rate(counts.on_time_rate, tx),
            done=counts.on_time.numerator,
            base=counts.on_time.base,
            unit=unit,
        )
    else:  # not "—: 0/0": say why there is no rate yet
        on_time = tx.t("summary.rate_on_time_none", unit=unit)
    lines += [
        on_time,
        tx.t(
            "summary.rate_done",
            rate=_rate(counts.completion_rate, tx),
            done=counts.done,
            total=counts.total,
            unit=unit,
        ),
    ]
    return lines


def _header(rollup: Rollup, tx: Texts, title: str) -> list[str]:
    lines = [title]
    if rollup.notice_number:
        lines.append(tx.t("summary.notice", number=rollup.notice_number))
    if rollup.at == rollup.period.end:
        lines.append(rollup.period.label)
    else:
        lines.append(tx.t("summary.period", label=rollup.period.label, at=_d(rollup.at)))
    return lines


def _is_week(rollup: Rollup) -> bool:
    return rollup.period.kind is PeriodKind.WEEK


def _news(rollup: Rollup, tx: Texts) -> str:
    """The period's changes that happened (a zero says nothing and costs a line)."""
    changes = rollup.changes
    parts = [
        tx.t(key, count=count)
        for key, count in (
            ("summary.news.new", changes.new_count),
            ("summary.news.updates", changes.updates),
            ("summary.news.completed", changes.completed_count),
            ("summary.news.overdue", changes.overdue_count),
        )
        if count
    ]
    key = "summary.news_week" if _is_week(rollup) else "summary.news"
    joined = tx.t("summary.news.joiner").join(parts) or tx.t("summary.news.none")
    return tx.t(key, parts=Raw(joined))  # already escaped, part by part


def _worst(rollup: Rollup, tx: Texts, names: dict[str, str]) -> list[str]:
    behind = [a for a in rollup.agencies if a.counts.overdue][:WORST_AGENCIES]
    if not behind:
        return [tx.t("summary.worst.none")]
    return [
        *(
            tx.t(
                "summary.worst.line",
                rank=rank,
                name=names[row.name],
                overdue=row.counts.overdue,
                total=row.counts.total,
            )
            for rank, row in enumerate(behind, 1)
        ),
    ]


def _league(rollup: Rollup, tx: Texts, names: dict[str, str]) -> list[str]:
    """The period's league table, its first five: rate, counts, ties named."""
    ranked = [row for row in rollup.league if row.rank is not None][:WORST_AGENCIES]
    if not ranked:
        return [tx.t("summary.league.none")]
    return [
        tx.t("summary.league.title"),
        *(
            tx.t(
                "summary.league.tied" if row.tied else "summary.league.line",
                rank=row.rank,
                name=names[row.name],
                rate=_rate(row.counts.on_time_rate, tx),
                on_time=row.on_time,
                judged=row.judged,
            )
            for row in ranked
        ),
    ]


def _silent(rollup: Rollup, tx: Texts) -> list[str]:
    """Who sent nothing: agencies with a bound group that did not report, and apart, those
    not on board yet (no group bound, issue 21), who could not report."""
    lines = []
    reporting = [a for a in rollup.silent_agencies if a.bound]
    if reporting:
        key = "summary.silent_week" if _is_week(rollup) else "summary.silent"
        lines.append(tx.t(key, count=len(reporting), names=_names(reporting)))
    unbound = [a for a in rollup.silent_agencies if not a.bound]
    if unbound:
        lines.append(tx.t("summary.unbound", count=len(unbound), names=_names(unbound)))
    return lines


def _names(agencies: list[SilentAgency]) -> str:
    return short_name(", ".join(short_name(a.name, 60) for a in agencies), NAMES_CHARS)


def _difficulties(rollup: Rollup, tx: Texts, names: dict[str, str]) -> list[str]:
    if not rollup.difficulties_count or not rollup.difficulties:
        return []
    latest = rollup.difficulties[0]
    if latest.restricted:
        quote = tx.t("summary.restricted")
    else:
        quote = shorten(latest.text, QUOTE_CHARS) or tx.t("summary.difficulties.no_text")
    return [
        tx.t(
            "summary.difficulty",
            count=rollup.difficulties_count,
            agency=names[latest.agency_name],
            code=latest.task_code,
            text=quote,
        )
    ]


def _fit(lines: list[str]) -> str:
    text = "\n".join(lines)
    while utf16_len(text) > DIGEST_LIMIT and len(lines) > 1:  # only absurd names get here
        lines = lines[:-1]
        text = "\n".join(lines)
    return text


def render_digest(rollup: Rollup, texts_lang: str = "vi") -> str:
    """The office's digest (HTML) in one phone screen: the figures, the period's news, the
    five agencies most overdue, who sent nothing, the latest difficulty, where the rest is."""
    tx = Texts(texts_lang)
    if rollup.unknown_notice:
        return tx.t("summary.unknown_notice", number=rollup.notice_number or "")
    top = _header(rollup, tx, tx.t("summary.title"))
    if rollup.overall.total == 0:
        return "\n".join([*top, "", tx.t("summary.empty")])
    counts = count_lines(rollup.overall, tx, tasks=rollup.tasks, unassigned=rollup.unassigned_tasks)
    head = [*top, *counts, _news(rollup, tx)]
    names = _ranked_names(rollup)
    tail = [*_silent(rollup, tx), *_difficulties(rollup, tx, names), tx.t("summary.more")]
    week_ = _is_week(rollup)
    ranking = _worst(rollup, tx, names) if week_ else _league(rollup, tx, names)
    # The ranking gives way, from its last row, to the phone's budget: its title and first
    # row stay (the rest is in the Excel appendix). Tied ranks and long names wrap.
    keep = 1 if week_ or len(ranking) == 1 else 2
    while len(ranking) > keep and not fits("\n".join([*head, *ranking, *tail])):
        ranking = ranking[:-1]
    return _fit([*head, *ranking, *tail])


def chart_caption(rollup: Rollup, texts_lang: str = "vi") -> str:
    """The chart's caption, /tonghop's and the weekly summary's alike: what it draws, the
    period (dd/mm/yyyy) and the day its figures stand at (review U2)."""
    tx = Texts(texts_lang)
    return tx.t("summary.chart_caption", period=rollup.period.label, at=_d(rollup.at))


def render_agency_status(rollup: Rollup, texts_lang: str = "vi") -> str:
    """An agency's own status, from a roll-up filtered to that agency: the same figures as
    its row of the office's digest, its new tasks, its overdue ones."""
    tx = Texts(texts_lang)
    if rollup.unknown_notice:
        return tx.t("summary.unknown_notice", number=rollup.notice_number or "")
    name = rollup.agency_name or (rollup.agencies[0].name if rollup.agencies else "")
    top = _header(rollup, tx, tx.t("summary.agency.title", agency=shorten(name, 60)))
    if rollup.overall.total == 0:
        return "\n".join([*top, "", tx.t("summary.empty")])
    lines = [*top, *count_lines(rollup.overall, tx)]
    if rollup.changes.new_count:
        lines.append(tx.t("summary.agency.new", count=rollup.changes.new_count))
    if rollup.changes.updates:
        week = _is_week(rollup)
        lines.append(tx.t("summary.agency.thanks" if week else "summary.agency.thanks_period"))
    elif any(a.agency_id == rollup.agency_id for a in rollup.silent_agencies):
        week = _is_week(rollup)
        lines.append(tx.t("summary.agency.silent" if week else "summary.agency.silent_period"))
    if rollup.overdue:
        lines.append(tx.t("summary.agency.overdue_title", count=rollup.overall.overdue))
        lines += [_overdue_line(i, tx) for i in rollup.overdue[:AGENCY_OVERDUE_LINES]]
        rest = rollup.overall.overdue - min(len(rollup.overdue), AGENCY_OVERDUE_LINES)
        if rest > 0:
            lines.append(tx.t("summary.more_tasks", count=rest))
    return _fit(lines)


def _overdue_line(item: TaskItem, tx: Texts) -> str:
    return tx.t(
        "summary.agency.overdue_line",
        assignment_id=item.assignment_id,
        code=item.task_code,
        deadline=item.deadline.strftime(DAY_MONTH) if item.deadline else "—",
        days=item.late_working_days,
    )
