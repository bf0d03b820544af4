"""Reminder digests, escalations and assignment announcements as phone-sized HTML. No I/O.

A digest is one message per chat per day, split into parts only when it would not fit one
phone screen (bot/messaging/layout.py: 25 lines, 6 buttons). Each part numbers its lines from
1, because a reply "2 đạt 70%" is mapped through that message's own links (positions 1..n),
and carries one button per task (its card: ✅ 🔄 ⚠️ 📅) plus 👍 for each notice not yet
acknowledged, and 📱 Mở biểu mẫu when the web app is on (counted in the budget). The office's escalations are one message: what does not fit is behind
"Xem thêm", the overdue list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.reminders import Audience, ReminderKind, before_days_of
from bot.messaging.format import fmt_date, shorten, two_lines
from bot.messaging.keyboards import ack_keyboard, digest_keyboard, overdue_more_keyboard
from bot.messaging.layout import MAX_BUTTONS, fits
from bot.messaging.texts import Texts
from bot.services.reminders import (
    AssignmentBrief,
    PlannedDigest,
    ReminderItem,
    Unacknowledged,
)

OFFICE_AGENCY_CHARS = 40


@dataclass(frozen=True, slots=True)
class DigestPart:
    """One message: its text and buttons, the assignments it numbers (1..n, for replies) and
    every reminder it carries (an office line can stand for two escalation kinds)."""

    text: str
    markup: InlineKeyboardMarkup | None
    assignment_ids: tuple[int, ...]
    covered: tuple[ReminderItem, ...]


def code_of(assignment_id: int) -> str:
    return f"#{assignment_id}"


def deadline_text(t: Texts, start: date | None, end: date | None) -> str:
    if end is None:
        return t.t("tasks.no_deadline")
    if start and start != end:
        return f"{fmt_date(start)} – {fmt_date(end)}"
    return fmt_date(end)


def what_label(t: Texts, item: ReminderItem) -> str:
    """What the reminder is about, in the office's words: "còn 3 ngày làm việc"…"""
    kind = item.kind
    n = before_days_of(kind)
    if n is not None:
        return t.t("remind.kind.before", days=item.working_days_left or n)
    if kind == ReminderKind.DUE_TODAY:
        end = item.deadline_end
        if end is not None and end != item.reminder.due_on:
            return t.t("remind.kind.due_on_day_off", date=fmt_date(end))
        return t.t("remind.kind.due_today")
    if kind in (ReminderKind.OVERDUE, ReminderKind.ESCALATE_OFFICE, ReminderKind.ESCALATE_LEADERS):
        return t.t("remind.kind.overdue", days=item.reminder.overdue_working_days)
    if kind == ReminderKind.WINDOW_START:
        return t.t("remind.kind.window_start", date=fmt_date(item.deadline_start))
    if kind == ReminderKind.ACK_NUDGE:
        return t.t("remind.kind.ack_nudge")
    return t.t("remind.kind.no_deadline")


def item_line(t: Texts, n: int, item: ReminderItem) -> str:
    """A restricted task shows only its code and deadline, never its text."""
    code = f"{code_of(item.assignment_id)} ({item.task_code})"
    deadline = deadline_text(t, item.deadline_start, item.deadline_end)
    if item.restricted:
        return t.t(
            "remind.line_restricted", n=n, code=code, deadline=deadline, what=what_label(t, item)
        )
    return t.t(
        "remind.line",
        n=n,
        code=code,
        text=two_lines(f"{n}. {code}", item.text),
        deadline=deadline,
        what=what_label(t, item),
    )


def plain_line(t: Texts, item: ReminderItem) -> str:
    """One reminder for the terminal (`dondoc remind --dry-run`): no markup, agency first."""
    what = what_label(t, item)
    deadline = deadline_text(t, item.deadline_start, item.deadline_end)
    text = "" if item.restricted else " " + shorten(item.text, 70)
    return f"{code_of(item.assignment_id)} ({item.task_code}){text} — hạn {deadline} — {what}"


# --- the agency's digest -----------------------------------------------------------------


def agency_digest(
    t: Texts, digest: PlannedDigest, *, form: InlineKeyboardButton | None = None
) -> list[DigestPart]:
    """The agency's reminders of the day: numbered lines, one button per task, 👍 per notice
    not yet acknowledged, and the form's button (`keyboards.form_button`) when the web app is
    on; as many parts as one phone screen each needs (usually one). Each part is measured
    with every button it will carry, the form's included."""

    def part(start: int, end: int, n: int = 1, parts: int = 1) -> DigestPart:
        return _agency_part(t, digest, start, end, n, parts, form=form)

    chunks = _fitting(len(digest.items), part)
    return [part(i, j, n, len(chunks)) for n, (i, j) in enumerate(chunks, 1)]


def _agency_part(
    t: Texts,
    digest: PlannedDigest,
    start: int,
    end: int,
    part: int,
    parts: int,
    *,
    form: InlineKeyboardButton | None,
) -> DigestPart:
    items = digest.items[start:end]
    title = t.t("remind.digest_title", date=fmt_date(digest.due_on), agency=digest.agency_name)
    if parts > 1:
        title += t.t("remind.part", part=part, parts=parts)
    lines = [item_line(t, n, item) for n, item in enumerate(items, start=1)]
    # One line needs no number: a reply is about it (pick_linked), as for a card.
    hint = "remind.digest_hint" if len(items) > 1 else "remind.digest_hint_one"
    return DigestPart(
        text="\n\n".join([title, "\n".join(lines), t.t(hint)]),
        markup=digest_keyboard(t, items, form=form),
        assignment_ids=tuple(item.assignment_id for item in items),
        covered=tuple(items),
    )


def _fitting(count: int, render: Callable[[int, int], DigestPart]) -> list[tuple[int, int]]:
    """Split `count` lines into runs (start, end) whose message fits one phone screen: each
    run takes lines while the rendered part still fits (a line too long alone goes alone)."""
    runs: list[tuple[int, int]] = []
    start = 0
    while start < count:
        end = start + 1
        while end < count and _fits(render(start, end + 1)):
            end += 1
        runs.append((start, end))
        start = end
    return runs


def _fits(part: DigestPart) -> bool:
    buttons = sum(len(row) for row in part.markup.inline_keyboard) if part.markup else 0
    return buttons <= MAX_BUTTONS and fits(part.text, buttons)


# --- the office's escalations ------------------------------------------------------------


def office_digest(
    t: Texts, digest: PlannedDigest, *, leaders_after: int, extra: str = ""
) -> list[DigestPart]:
    """Escalations (nhắc nhở) in one message: the leaders' section first, then the office's,
    one line per task under its agency; what does not fit one screen is counted and reached
    with "Xem thêm" (the overdue list). An assignment escalated to both on the same day
    appears once, under the leaders. The message carries every reminder of the day, and
    `extra` (the agencies not on board, bot/messaging/nudge.py) last."""
    leaders = [i for i in digest.items if i.reminder.audience == Audience.LEADERS]
    shown = {i.assignment_id for i in leaders}
    office = [
        i
        for i in digest.items
        if i.reminder.audience == Audience.OFFICE and i.assignment_id not in shown
    ]
    ordered = leaders + office
    count = len(ordered)
    while count > 1 and not fits(
        _office_text(t, digest.due_on, leaders, office, count, leaders_after, extra)
    ):
        count -= 1
    text = _office_text(t, digest.due_on, leaders, office, count, leaders_after, extra)
    markup = overdue_more_keyboard(t, len(ordered)) if count < len(ordered) else None
    ids = tuple(item.assignment_id for item in ordered[:count])
    return [DigestPart(text, markup, ids, tuple(digest.items))]


def _office_text(
    t: Texts,
    due_on: date,
    leaders: list[ReminderItem],
    office: list[ReminderItem],
    count: int,
    leaders_after: int,
    extra: str = "",
) -> str:
    """The first `count` lines (leaders' first) under their headers, how many are left, and
    the extra line."""
    blocks = [t.t("remind.office_title", date=fmt_date(due_on))]
    n = 0
    for header, items in (
        (t.t("remind.office_leaders", days=leaders_after), leaders),
        (t.t("remind.office_overdue"), office),
    ):
        shown = items[: max(0, count - n)]
        if not shown:
            continue
        lines = [header]
        for item in shown:
            n += 1
            lines.append(office_line(t, n, item))
        blocks.append("\n".join(lines))
    rest = len(leaders) + len(office) - n
    if rest:
        blocks.append(t.t("remind.office_more", n=rest))
    if extra:
        blocks.append(extra)
    return "\n\n".join(blocks)


def office_line(t: Texts, n: int, item: ReminderItem) -> str:
    """One escalated task: who is late with what, and by how much (the text is on its card)."""
    return t.t(
        "remind.office_line",
        n=n,
        code=code_of(item.assignment_id),
        task=item.task_code,
        agency=shorten(item.agency_name, OFFICE_AGENCY_CHARS),
        what=what_label(t, item),
    )


# --- the notice of assignment ------------------------------------------------------------


def announcement(
    t: Texts, briefs: Sequence[AssignmentBrief], *, notice_number: str
) -> list[DigestPart]:
    """What a notice gave one agency: numbered tasks with deadlines, and 👍 Đã tiếp nhận."""
    if not briefs:
        return []
    runs = _fitting(len(briefs), lambda i, j: _announce_part(t, briefs, notice_number, i, j, 1, 1))
    return [
        _announce_part(t, briefs, notice_number, i, j, n, len(runs))
        for n, (i, j) in enumerate(runs, start=1)
    ]


def _announce_part(
    t: Texts,
    briefs: Sequence[AssignmentBrief],
    notice_number: str,
    start: int,
    end: int,
    part: int,
    parts: int,
) -> DigestPart:
    first = briefs[0]
    items = briefs[start:end]
    title = t.t(
        "remind.announce_title", number=notice_number, agency=first.agency_name, count=len(briefs)
    )
    if parts > 1:
        title += t.t("remind.part", part=part, parts=parts)
    body = [_announce_line(t, n, b) for n, b in enumerate(items, start=1)]
    footer = "remind.announce_footer" if len(items) > 1 else "remind.announce_footer_one"
    text = "\n\n".join([title, "\n".join(body), t.t(footer)])
    markup = ack_keyboard(t, first.agency_id, first.notice_id)
    return DigestPart(text, markup, tuple(b.assignment_id for b in items), ())


def _announce_line(t: Texts, n: int, brief: AssignmentBrief) -> str:
    code = f"{code_of(brief.assignment_id)} ({brief.task_code})"
    deadline = deadline_text(t, brief.deadline_start, brief.deadline_end)
    if brief.restricted:
        return t.t("remind.announce_line_restricted", n=n, code=code, deadline=deadline)
    return t.t(
        "remind.announce_line",
        n=n,
        code=code,
        text=two_lines(f"{n}. {code}", brief.text),
        deadline=deadline,
    )


# --- the office's view -------------------------------------------------------------------


def unacknowledged_pages(t: Texts, rows: Sequence[Unacknowledged]) -> list[str]:
    """Agencies that have not confirmed receipt, in pages of one phone screen each (with
    ◀️ ▶️ under them): every agency is on one page, none is only counted."""
    if not rows:
        return [t.t("remind.unack_none")]
    lines = [
        t.t(
            "remind.unack_line",
            agency=shorten(row.agency_name, OFFICE_AGENCY_CHARS),
            count=row.count,
            since=fmt_date(row.oldest_assigned_on),
        )
        for row in rows
    ]
    chunks: list[list[str]] = [[]]
    for line in lines:  # the footer's numbers at their widest: the page count is not known yet
        if chunks[-1] and not fits(_unack(t, [*chunks[-1], line], len(lines), 999, 999), 2):
            chunks.append([])
        chunks[-1].append(line)
    if len(chunks) == 1:
        return ["\n".join([t.t("remind.unack_title"), *lines])]
    return [_unack(t, chunk, len(lines), n, len(chunks)) for n, chunk in enumerate(chunks, 1)]


def _unack(t: Texts, lines: list[str], total: int, page: int, pages: int) -> str:
    footer = t.t("remind.unack_page", page=page, pages=pages, n=total)
    return "\n".join([t.t("remind.unack_title"), *lines, footer])
