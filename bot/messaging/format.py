"""How dates, moments and long texts are shown in chats: dd/mm/yyyy, and one short line."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def fmt_moment(value: datetime, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%d/%m/%Y %H:%M")


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
