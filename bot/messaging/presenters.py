"""Task lists and cards as phone-sized HTML, with their buttons. No I/O here."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.messaging.format import fmt_date, fmt_moment, shorten
from bot.messaging.keyboards import task_list_keyboard
from bot.messaging.texts import Raw, Texts
from bot.services.agencies import AgencyMatch
from bot.services.tasks import HistoryEntry, TaskCard, TaskLine, Urgency

PAGE_SIZE = 8
LIST_TEXT_CHARS = 110  # a task's text in a list: two lines on a phone
CARD_TEXT_CHARS = 2500
HISTORY_LINES = 8
URGENCY_ICON = {
    Urgency.OVERDUE: "🔴",
    Urgency.DUE_SOON: "🟠",
    Urgency.LATER: "🟢",
    Urgency.NO_DEADLINE: "⚪",
}


def status_label(t: Texts, status: str, percent: int) -> str:
    return t.t(f"status.{status}", percent=percent)


def deadline_label(t: Texts, line: TaskLine) -> str:
    if line.deadline_end is None:
        return t.t("tasks.no_deadline")
    label = fmt_date(line.deadline_end)
    if line.deadline_start and line.deadline_start != line.deadline_end:
        label = f"{fmt_date(line.deadline_start)} – {label}"
    if line.status in ("done", "cancelled", "awaiting_confirmation") or line.days_left is None:
        return label
    if line.days_left < 0:
        return f"{label} ({t.t('tasks.days_overdue', days=-line.days_left)})"
    if line.days_left == 0:
        return f"{label} ({t.t('tasks.due_today')})"
    if line.urgency is Urgency.DUE_SOON:
        return f"{label} ({t.t('tasks.days_left', days=line.days_left)})"
    return label


def agency_not_matched(t: Texts, query: str, match: AgencyMatch, *, command: str = "") -> str:
    """Why `query` named no agency: none matched, or several (listed, each with the command
    that names it by number when one is given, so the next message is a tap away)."""
    if not match.candidates:
        return t.t("bind.agency_not_found", query=query)
    names = "\n".join(
        f"• {c.name} ({command} {c.id})" if command else f"• {c.name}" for c in match.candidates
    )
    return t.t("bind.agency_ambiguous", query=query, candidates=names)


def task_text(t: Texts, line: TaskLine, limit: int) -> str:
    """A restricted task never shows its text in a chat: only its code and deadline."""
    return t.t("tasks.restricted_text") if line.restricted else shorten(line.text, limit)


def list_page(
    t: Texts,
    lines: tuple[TaskLine, ...],
    *,
    title: str,
    page: int,
    show_agency: bool,
    filter_token: str,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of a task list and its buttons (open a task, previous/next page)."""
    if not lines:
        empty = t.t("tasks.empty_overdue" if filter_token == "od" else "tasks.empty")
        return f"{title}\n\n{empty}", None
    pages = max(1, -(-len(lines) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    chunk = lines[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    key = "tasks.line_agency" if show_agency else "tasks.line"
    body = [
        t.t(
            key,
            icon=URGENCY_ICON[line.urgency],
            code=line.code,
            agency=shorten(line.agency_name, 40),
            text=task_text(t, line, LIST_TEXT_CHARS),
            deadline=deadline_label(t, line),
            status=status_label(t, line.status, line.percent),
        )
        for line in chunk
    ]
    footer = t.t("tasks.page", page=page, pages=pages, count=len(lines))
    text = "\n\n".join([title, *body, f"{footer}\n{t.t('tasks.hint')}"])
    keyboard = task_list_keyboard(t, chunk, page=page, pages=pages, filter_token=filter_token)
    return text, keyboard


def history_what(t: Texts, entry: HistoryEntry) -> str:
    key = f"history.{entry.kind}"
    what = t.t(key, percent=entry.percent or 0, text=shorten(entry.text, 120))
    return what + (t.t("history.undone_mark") if entry.undone else "")


def card_text(t: Texts, card: TaskCard, tz: ZoneInfo) -> str:
    line = card.line
    coordinating = (
        t.raw("tasks.card_coordinating", names=", ".join(card.coordinating))
        if card.coordinating
        else Raw("")
    )
    extension = (
        t.raw("tasks.card_extension", original=fmt_date(line.original_deadline_end))
        if line.extension_approved and line.original_deadline_end != line.deadline_end
        else Raw("")
    )
    text = t.t(
        "tasks.card",
        code=line.code,
        notice=f"{line.notice_number} ({line.task_code})",
        text=task_text(t, line, CARD_TEXT_CHARS),
        leads=", ".join(card.leads) or "—",
        coordinating=coordinating,
        deadline=deadline_label(t, line),
        extension=extension,
        status=status_label(t, line.status, line.percent),
    )
    if not card.history:
        text += t.t("tasks.card_no_history")
    else:
        text += t.t("tasks.card_history")
        for entry in card.history[:HISTORY_LINES]:
            text += "\n" + t.t(
                "tasks.card_history_line",
                at=fmt_moment(entry.at, tz),
                author=shorten(entry.author, 30),
                what=Raw(history_what(t, entry)),
            )
        if len(card.history) > HISTORY_LINES:
            text += "\n" + t.t("tasks.card_history_more", n=len(card.history) - HISTORY_LINES)
    if line.status not in ("done", "cancelled"):
        text += t.t("tasks.card_reply_hint")
    return text
