"""Task lists, cards and the office's listings as phone-sized HTML, with their buttons.

Each fits one phone screen (bot/messaging/layout.py); what does not fit is behind a button:
the next page, or "Xem thêm" for a card's whole text and history. No I/O here."""

from __future__ import annotations

import html
from datetime import date
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.domain.report_filter import is_overdue_token
from bot.messaging.format import fmt_date, fmt_moment, shorten, two_lines
from bot.messaging.keyboards import task_list_keyboard, unbind_keyboard
from bot.messaging.layout import fits
from bot.messaging.texts import Raw, Texts
from bot.services.agencies import AgencyMatch
from bot.services.bindings import BindingView
from bot.services.tasks import HistoryEntry, TaskCard, TaskLine, Urgency

PAGE_SIZE = 4  # four task buttons and ◀️ ▶️: six buttons, the phone's budget
LIST_TEXT_CHARS = 80  # a task's text in a list: two lines on a phone
CARD_TEXT_CHARS = (320, 200, 120)  # the card's text, shorter until the card fits the screen
HISTORY_LINES = 3  # the latest updates on a card; "Xem thêm" shows them all
FULL_TEXT_CHARS = 3000  # "Xem thêm": the task's whole text (longer ones go as a file)
BINDINGS_PAGE = 4  # four 🗑 and ◀️ ▶️: six buttons
NAMES_CHARS = 60
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
    """Why `query` named no agency: none matched, or several, listed by name (with buttons
    where the command has them); the example shows the command with a full name. A number
    never names an agency: `#15` is assignment 15 (one agency's row) everywhere."""
    if not match.candidates:
        key = (
            "bind.agency_number" if query.strip().lstrip("#").isdigit() else "bind.agency_not_found"
        )
        return t.t(key, query=query)
    names = "\n".join(f"• {c.name}" for c in match.candidates[:6])
    hidden = max(match.total, len(match.candidates)) - min(6, len(match.candidates))
    if hidden > 0:
        names += "\n" + t.t("bind.agency_more", n=hidden)
    text = t.t("bind.agency_ambiguous", query=query, candidates=Raw(html_escape(names)))
    if command:
        text += "\n" + t.t("bind.agency_example", example=f"{command} {match.candidates[0].name}")
    return text


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
        empty = t.t("tasks.empty_overdue" if is_overdue_token(filter_token) else "tasks.empty")
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
            agency=shorten(line.agency_name, 24),
            text=task_text(t, line, LIST_TEXT_CHARS)
            if line.restricted
            else two_lines(_list_head(line, show_agency), line.text),
            deadline=deadline_label(t, line),
            status=status_label(t, line.status, line.percent),
        )
        for line in chunk
    ]
    # The office's list has one line per agency of a task: count them as /tonghop does.
    footer_key = "tasks.page_assignments" if show_agency else "tasks.page"
    footer = t.t(footer_key, page=page, pages=pages, count=len(lines))
    text = "\n\n".join([title, *body, f"{footer}\n{t.t('tasks.hint')}"])
    keyboard = task_list_keyboard(t, chunk, page=page, pages=pages, filter_token=filter_token)
    return text, keyboard


def _list_head(line: TaskLine, show_agency: bool) -> str:
    """What stands before a task's text on its line in a list (for fitting it in two lines)."""
    head = f"{URGENCY_ICON[line.urgency]} {line.code}"
    return f"{head} [{shorten(line.agency_name, 24)}]" if show_agency else head


def history_what(t: Texts, entry: HistoryEntry) -> str:
    key = f"history.{entry.kind}"
    what = t.t(key, percent=entry.percent or 0, text=shorten(entry.text, 120))
    return what + (t.t("history.undone_mark") if entry.undone else "")


def card_text(t: Texts, card: TaskCard, tz: ZoneInfo) -> tuple[str, bool]:
    """The card, and whether it left something out (then "Xem thêm" shows it all): the text
    is cut shorter, and the history to its latest lines, until the card fits the screen."""
    text = ""
    for limit in CARD_TEXT_CHARS:
        text = _card(t, card, tz, limit, HISTORY_LINES)
        if fits(text, 5):
            break
    left_out = len(card.history) > HISTORY_LINES or (
        not card.line.restricted
        and shorten(card.line.text, limit) != " ".join(card.line.text.split())
    )
    return text, left_out


def _card(t: Texts, card: TaskCard, tz: ZoneInfo, text_chars: int, history: int) -> str:
    line = card.line
    coordinating = (
        t.raw("tasks.card_coordinating", names=shorten(", ".join(card.coordinating), NAMES_CHARS))
        if card.coordinating
        else Raw("")
    )
    extension = (
        t.raw("tasks.card_extension", original=fmt_date(line.original_deadline_end))
        if line.extension_approved and line.original_deadline_end != line.deadline_end
        else Raw("")
    )
    if line.extension_approved and line.original_deadline_end is None:
        extension = t.raw("tasks.card_proposed")  # a deadline the agency proposed
    text = t.t(
        "tasks.card",
        code=line.code,
        notice=f"{line.notice_number} ({line.task_code})",
        text=task_text(t, line, text_chars),
        leads=shorten(", ".join(card.leads), NAMES_CHARS) or "—",
        coordinating=coordinating,
        deadline=deadline_label(t, line),
        extension=extension,
        status=status_label(t, line.status, line.percent),
    )
    if not card.history:
        text += t.t("tasks.card_no_history")
    else:
        text += t.t("tasks.card_history")
        for entry in card.history[-history:] if history else card.history:
            text += "\n" + history_line(t, entry, tz)
        if history and len(card.history) > history:
            text += "\n" + t.t("tasks.card_history_more", n=len(card.history) - history)
    if line.status not in ("done", "cancelled"):
        text += t.t("tasks.card_reply_hint")
    return text


def history_line(t: Texts, entry: HistoryEntry, tz: ZoneInfo) -> str:
    return t.t(
        "tasks.card_history_line",
        at=fmt_moment(entry.at, tz),
        author=shorten(entry.author, 30),
        what=Raw(history_what(t, entry)),
    )


def card_full_text(t: Texts, card: TaskCard, tz: ZoneInfo) -> str:
    """ "Xem thêm" under a card: the task's whole text and every update (plain text, for a
    message when it fits one screen, else for an attached file)."""
    line = card.line
    parts = [
        t.t("tasks.full_title", code=line.code, notice=f"{line.notice_number} ({line.task_code})"),
        task_text(t, line, FULL_TEXT_CHARS),
    ]
    if card.coordinating:
        parts.append(t.t("tasks.card_coordinating", names=", ".join(card.coordinating)).strip())
    if card.history:
        parts.append(
            t.t("tasks.card_history").strip()
            + "\n"
            + "\n".join(history_line(t, entry, tz) for entry in card.history)
        )
    return "\n\n".join(parts)


def bindings_page(
    t: Texts, bindings: list[BindingView], page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/ganket, a page at a time: numbered bindings and a 🗑 button for each one shown."""
    if not bindings:
        return t.t("bind.list_empty"), None
    per_page = BINDINGS_PAGE
    pages = max(1, -(-len(bindings) // per_page))
    page = min(max(page, 1), pages)
    first = (page - 1) * per_page
    shown = bindings[first : first + per_page]
    lines = [t.t("bind.list_title")]
    for n, binding in enumerate(shown, start=first + 1):
        target = t.t("bind.office_label") if binding.is_office else binding.agency_name or "?"
        chat = binding.title or str(binding.chat_id)
        if binding.thread_id:
            chat = f"{chat} #{binding.thread_id}"
        lines.append(t.t("bind.list_line", n=n, target=shorten(target, 40), chat=shorten(chat, 40)))
    if pages > 1:
        lines.append(t.t("tasks.page_only", page=page, pages=pages, count=len(bindings)))
    keyboard = unbind_keyboard(t, [b.id for b in shown], first=first + 1, page=page, pages=pages)
    return "\n".join(lines), keyboard


def html_escape(text: str) -> str:
    return html.escape(text, quote=False)


def weekday_date(t: Texts, day: date) -> str:
    """`Thứ Hai 30/12/2019`: a date with its weekday, as the office says it."""
    names = t.t("common.weekdays").split(",")
    return f"{names[day.weekday()]} {fmt_date(day)}"
