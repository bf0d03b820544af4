"""How the outbox's messages read: one as it was written, several waiting for the same chat
as one message ("📥 3 báo cáo mới từ …"), and what the office is told of one that failed.

Coalescing keeps every button's meaning: each item's buttons carry the same callback data as
its own message had, labelled with the item's tag (the task's code), so "✅ Xác nhận #15"
confirms task 15 whichever message it sits under."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup

from bot.messaging.format import shorten
from bot.messaging.layout import MAX_BUTTONS, fits, labels_too_wide, plain
from bot.messaging.texts import Texts
from bot.services.outbox import Outgoing, Queued

MAX_ITEMS = 8  # more than this in one message is a list to read, not a notification
CHART = "chart"  # the purpose of a row that is the weekly summary's chart, drawn when sent


def chart_row(week_end: date) -> str:
    """A chart row's text: the last day of its week (the sender draws that week's chart)."""
    return week_end.isoformat()


def chart_week_end(queued: Queued) -> date | None:
    """The week a chart row is for; None when the row is not one (or is malformed)."""
    if queued.purpose != CHART:
        return None
    try:
        return date.fromisoformat(queued.text.strip())
    except ValueError:
        return None


def outgoing(
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    **where: Any,
) -> Outgoing:
    """An `Outgoing` from what a presenter made (the keyboard as the Bot API has it)."""
    return Outgoing(text=text, markup=markup.to_dict() if markup else None, **where)


def _buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not markup:
        return []
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def markup_of(data: dict[str, Any] | None) -> InlineKeyboardMarkup | ForceReply | None:
    """A row's markup as it is sent: its buttons, or the forced reply of a question (an
    answer the outbox keeps: bot/messaging/delivery.hand_over_to)."""
    if not data:
        return None
    if data.get("force_reply"):
        return ForceReply.de_json(data, None)
    return InlineKeyboardMarkup.de_json(data, None)


def render(
    t: Texts, batch: Sequence[Queued]
) -> tuple[str, InlineKeyboardMarkup | ForceReply | None]:
    """The message that carries `batch` (one row: as written)."""
    if len(batch) == 1:
        only = batch[0]
        return only.text, markup_of(only.markup)
    sources = list(dict.fromkeys(q.source for q in batch if q.source))
    key = "outbox.batch_reports" if batch[0].family == "report" else "outbox.batch_notices"
    named = ", ".join(sources[:3]) + ("…" if len(sources) > 3 else "")
    lines = [t.t(key, n=len(batch), sources=named or "—")]
    rows: list[list[InlineKeyboardButton]] = []
    for number, queued in enumerate(batch, 1):
        lines.append(f"{number}. {queued.item or queued.text}")
        tagged = [
            InlineKeyboardButton(
                f"{button['text']} {queued.tag or number}",
                **{k: v for k, v in button.items() if k != "text"},
            )
            for button in _buttons(queued.markup)
        ]
        if tagged and labels_too_wide([[b.text for b in tagged]]):
            rows.extend([button] for button in tagged)
        elif tagged:
            rows.append(tagged)
    text = "\n\n".join(lines)
    return text, InlineKeyboardMarkup(rows) if rows else None


def coalesce(t: Texts, rows: Sequence[Queued]) -> tuple[list[Queued], list[Queued]]:
    """The rows that go now as one message (the first, and the next of its family to the
    same topic while the message stays within a phone screen), and the rest."""
    batch = [rows[0]]
    first = rows[0]
    if first.family:
        for row in rows[1:MAX_ITEMS]:
            if row.family != first.family or row.thread_id != first.thread_id:
                break
            text, markup = render(t, [*batch, row])
            keyboard = markup.inline_keyboard if isinstance(markup, InlineKeyboardMarkup) else ()
            count = sum(len(r) for r in keyboard)
            if count > MAX_BUTTONS or not fits(text, count):
                break
            batch.append(row)
    return batch, list(rows[len(batch) :])


def failed_notice(t: Texts, queued: Queued, *, where: str, error: str) -> str:
    """What the office reads of a message that could not be delivered."""
    said = shorten(plain(queued.item or queued.text).replace("\n", " "), 120)
    return t.t("outbox.failed", where=where, said=said, error=shorten(error, 120))


def status_pages(
    t: Texts,
    *,
    waiting: tuple[int, Sequence[Queued]],
    failures: tuple[int, Sequence[Queued]],
    names: dict[tuple[int, int], str],
    tz: Any,
) -> list[str]:
    """/hopthu in pages of one phone screen each (◀️ ▶️ under them): the counts on every
    page, then the rows given (the oldest waiting, the latest failed), each under its head;
    what waits or failed beyond them is counted ("+N") after the last row of its list."""
    waiting_count, waiting_rows = waiting
    failed_count, failed_rows = failures
    head = t.t("outbox.status", waiting=waiting_count, failed=failed_count)
    if not waiting_count and not failed_count:
        return [head + "\n" + t.t("outbox.all_clear")]
    entries: list[tuple[str, str]] = []  # (its list's head, the line)
    for key, rows, total, line in (
        ("outbox.waiting_head", waiting_rows, waiting_count, _waiting_line),
        ("outbox.failed_head", failed_rows, failed_count, _failed_line),
    ):
        section = t.t(key)
        entries += [(section, line(t, queued, names, tz)) for queued in rows]
        if total > len(rows):
            entries.append((section, t.t("outbox.more", n=total - len(rows))))
    chunks: list[list[tuple[str, str]]] = [[]]
    for entry in entries:  # the footer's numbers at their widest: the page count is not known
        if chunks[-1] and not fits(_outbox_page(t, head, [*chunks[-1], entry], 99, 99), 2):
            chunks.append([])
        chunks[-1].append(entry)
    if len(chunks) == 1:
        return [_outbox_page(t, head, chunks[0], 1, 1)]
    return [_outbox_page(t, head, chunk, n, len(chunks)) for n, chunk in enumerate(chunks, 1)]


def _outbox_page(t: Texts, head: str, entries: list[tuple[str, str]], page: int, pages: int) -> str:
    lines = [head]
    for section, line in entries:
        if section not in lines:
            lines.append(section)
        lines.append(line)
    if pages > 1:
        lines.append(t.t("outbox.page", page=page, pages=pages))
    return "\n".join(lines)


def _said(queued: Queued) -> str:
    return shorten(plain(queued.item or queued.text).replace("\n", " "), 60)


def _where(queued: Queued, names: dict[tuple[int, int], str]) -> str:
    return shorten(names.get((queued.chat_id, queued.thread_id), str(queued.chat_id)), 40)


def _waiting_line(t: Texts, queued: Queued, names: dict[tuple[int, int], str], tz: Any) -> str:
    retry = ""
    if queued.attempts:
        retry = t.t("outbox.retrying", attempts=queued.attempts + 1, due=_moment(queued.due_at, tz))
    return t.t(
        "outbox.waiting_line",
        at=_moment(queued.created_at, tz),
        where=_where(queued, names),
        said=_said(queued),
        retry=retry,
    )


def _failed_line(t: Texts, queued: Queued, names: dict[tuple[int, int], str], tz: Any) -> str:
    return t.t(
        "outbox.failed_line",
        at=_moment(queued.failed_at or queued.created_at, tz),
        where=_where(queued, names),
        said=_said(queued),
        error=shorten(queued.error or "?", 60),
    )


def _moment(at: Any, tz: Any) -> str:
    return str(at.astimezone(tz).strftime("%d/%m %H:%M"))
