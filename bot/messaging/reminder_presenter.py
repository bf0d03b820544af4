"""Reminder digests, escalations and assignment announcements as phone-sized HTML. No I/O.

A digest is one message per chat per day, split into parts only when it would not fit a
phone screen (or Telegram's 4096 characters). Each part numbers its lines from 1, because a
reply "2 đạt 70%" is mapped through that message's own links (positions 1..n).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.reminders import Audience, ReminderKind, before_days_of
from bot.messaging.format import fmt_date, shorten
from bot.messaging.keyboards import ack_keyboard, digest_keyboard
from bot.messaging.texts import Texts
from bot.services.reminders import (
    AssignmentBrief,
    PlannedDigest,
    ReminderItem,
    Unacknowledged,
)

PART_ITEMS = 10  # lines per message: ten two-button rows still fit a phone screen
PART_CHARS = 3500  # well under Telegram's 4096, headers and hints included
LINE_TEXT_CHARS = 100


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
        text=shorten(item.text, LINE_TEXT_CHARS),
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
    """The agency's reminders of the day: numbered lines, one button row per task (and the
    form's button, `keyboards.form_button`, when the web app is on)."""
    chunks = _chunks([item_line(t, 0, item) for item in digest.items])
    parts = []
    for index, chunk in enumerate(chunks, start=1):
        items = [digest.items[i] for i in chunk]
        title = t.t("remind.digest_title", date=fmt_date(digest.due_on), agency=digest.agency_name)
        if len(chunks) > 1:
            title += t.t("remind.part", part=index, parts=len(chunks))
        lines = [item_line(t, n, item) for n, item in enumerate(items, start=1)]
        # One line needs no number: a reply is about it (pick_linked), as for a card.
        hint = "remind.digest_hint" if len(items) > 1 else "remind.digest_hint_one"
        text = "\n\n".join([title, *lines, t.t(hint)])
        parts.append(
            DigestPart(
                text=text,
                markup=digest_keyboard(t, items, form=form),
                assignment_ids=tuple(item.assignment_id for item in items),
                covered=tuple(items),
            )
        )
    return parts


# --- the office's escalations ------------------------------------------------------------


def office_digest(t: Texts, digest: PlannedDigest, *, leaders_after: int) -> list[DigestPart]:
    """Escalations (nhắc nhở): the leaders' section first, then the office's, per agency.

    An assignment escalated to both on the same day appears once, under the leaders.
    """
    leaders = [i for i in digest.items if i.reminder.audience == Audience.LEADERS]
    shown = {i.assignment_id for i in leaders}
    office = [
        i
        for i in digest.items
        if i.reminder.audience == Audience.OFFICE and i.assignment_id not in shown
    ]
    covered: dict[int, list[ReminderItem]] = {}
    for item in digest.items:
        covered.setdefault(item.assignment_id, []).append(item)
    # Blocks in reading order: a header (item None) or a numbered task line (header "").
    blocks: list[tuple[str, ReminderItem | None]] = []
    for header, items in (
        (t.t("remind.office_leaders", days=leaders_after), leaders),
        (t.t("remind.office_overdue"), office),
    ):
        if not items:
            continue
        blocks.append((header, None))
        agency = None
        for item in items:
            if item.agency_name != agency:
                agency = item.agency_name
                blocks.append((t.t("remind.office_agency", agency=agency), None))
            blocks.append(("", item))
    return _office_parts(t, digest.due_on, blocks, covered)


def _office_parts(
    t: Texts,
    due_on: date,
    blocks: list[tuple[str, ReminderItem | None]],
    covered: dict[int, list[ReminderItem]],
) -> list[DigestPart]:
    pages: list[list[tuple[str, ReminderItem | None]]] = [[]]
    size = 0
    for header, item in blocks:
        length = len(header) + (len(item_line(t, 99, item)) if item else 0)
        count = sum(1 for _, i in pages[-1] if i is not None)
        if pages[-1] and (size + length > PART_CHARS or (item and count >= PART_ITEMS * 2)):
            pages.append([])
            size = 0
        pages[-1].append((header, item))
        size += length + 2
    parts = []
    for index, page in enumerate(pages, start=1):
        title = t.t("remind.office_title", date=fmt_date(due_on))
        if len(pages) > 1:
            title += t.t("remind.part", part=index, parts=len(pages))
        lines, ids, carried = [title], [], []
        for header, item in page:
            if item is None:
                lines.append(header)
                continue
            ids.append(item.assignment_id)
            carried.extend(covered[item.assignment_id])
            lines.append(item_line(t, len(ids), item))
        parts.append(DigestPart("\n\n".join(lines), None, tuple(ids), tuple(carried)))
    return parts


# --- the notice of assignment ------------------------------------------------------------


def announcement(
    t: Texts, briefs: Sequence[AssignmentBrief], *, notice_number: str
) -> list[DigestPart]:
    """What a notice gave one agency: numbered tasks with deadlines, and 👍 Đã tiếp nhận."""
    if not briefs:
        return []
    first = briefs[0]
    lines = [_announce_line(t, 0, b) for b in briefs]
    chunks = _chunks(lines)
    parts = []
    for index, chunk in enumerate(chunks, start=1):
        items = [briefs[i] for i in chunk]
        title = t.t(
            "remind.announce_title",
            number=notice_number,
            agency=first.agency_name,
            count=len(briefs),
        )
        if len(chunks) > 1:
            title += t.t("remind.part", part=index, parts=len(chunks))
        body = [_announce_line(t, n, b) for n, b in enumerate(items, start=1)]
        footer = "remind.announce_footer" if len(items) > 1 else "remind.announce_footer_one"
        text = "\n\n".join([title, *body, t.t(footer)])
        markup = ack_keyboard(t, first.agency_id, first.notice_id)
        parts.append(DigestPart(text, markup, tuple(b.assignment_id for b in items), ()))
    return parts


def _announce_line(t: Texts, n: int, brief: AssignmentBrief) -> str:
    code = f"{code_of(brief.assignment_id)} ({brief.task_code})"
    deadline = deadline_text(t, brief.deadline_start, brief.deadline_end)
    if brief.restricted:
        return t.t("remind.announce_line_restricted", n=n, code=code, deadline=deadline)
    return t.t(
        "remind.announce_line",
        n=n,
        code=code,
        text=shorten(brief.text, LINE_TEXT_CHARS),
        deadline=deadline,
    )


# --- the office's view -------------------------------------------------------------------


def unacknowledged_text(t: Texts, rows: Sequence[Unacknowledged]) -> str:
    if not rows:
        return t.t("remind.unack_none")
    lines = [
        t.t(
            "remind.unack_line",
            agency=row.agency_name,
            count=row.count,
            since=fmt_date(row.oldest_assigned_on),
        )
        for row in rows[:50]
    ]
    return "\n".join([t.t("remind.unack_title"), *lines])


def _chunks(lines: Sequence[str]) -> list[list[int]]:
    """Indices of `lines` split so each message stays under PART_ITEMS and PART_CHARS."""
    chunks: list[list[int]] = [[]]
    size = 0
    for index, line in enumerate(lines):
        if chunks[-1] and (len(chunks[-1]) >= PART_ITEMS or size + len(line) > PART_CHARS):
            chunks.append([])
            size = 0
        chunks[-1].append(index)
        size += len(line) + 2
    return chunks
