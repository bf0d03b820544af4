"""How dates, moments and long texts are shown in chats: dd/mm/yyyy, and short lines cut
where a reader expects them (at a word, never inside one)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.messaging.layout import phone_lines

ELLIPSIS = "…"
TWO_LINES_CHARS = 70  # the most a two-line excerpt may take, its head included


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def fmt_moment(value: datetime, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%d/%m/%Y %H:%M")


def shorten(text: str, limit: int) -> str:
    """`text` on one line in at most `limit` characters, cut at the last whole word ("báo
    cáo Ban…", never "báo cáo Ba…"); a single word longer than the limit is cut inside."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:.-–") + ELLIPSIS


def task_excerpt(code: str, text: str, limit: int) -> str:
    """A task as one short line, its code first and always whole ("#15 (I.6.1) Đôn đốc…"):
    the code is what a reply or a command names, so only the text is ever cut."""
    room = limit - len(code) - 1
    if room < 4 or not text.strip():
        return code
    return f"{code} {shorten(text, room)}"


def two_lines(head: str, text: str) -> str:
    """As much of a task's text as fits after `head` (its number and code) on two lines of a
    phone, cut at a word: a line a glance takes in; the card has the rest."""
    excerpt = head
    for limit in range(TWO_LINES_CHARS, 30, -6):
        excerpt = task_excerpt(head, text, limit)
        if phone_lines(excerpt) <= 2:
            break
    return excerpt[len(head) :].strip()


def fmt_count(value: int, lang: str = "vi") -> str:
    """A count with its thousands marked as the language writes them: 15.000 (vi), 15,000."""
    return f"{value:,}".replace(",", "." if lang == "vi" else ",")
