"""What a printable onboarding kit is made of: one row per agency, and the office's header.

Plain dataclasses, filled by whoever issues the invites (the CLI, a chat button): the renderers
read nothing else, so they can be tested without a database, a bot or a clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class KitFormat(StrEnum):
    """The kit's files; the value is the file suffix."""

    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"


ALL_FORMATS: frozenset[KitFormat] = frozenset(KitFormat)


@dataclass(frozen=True, slots=True)
class KitNotice:
    """A notice an agency has tasks from: its number (số, ký hiệu) and date."""

    number: str
    issued_on: date | None = None


@dataclass(frozen=True, slots=True)
class KitRow:
    """One agency's page: who it is, what it has to do, and how it binds its group."""

    agency: str
    notices: tuple[KitNotice, ...]
    task_count: int
    deep_link: str
    code: str
    expires_at: datetime  # timezone-aware; shown in the kit's time zone


@dataclass(frozen=True, slots=True)
class KitHeader:
    """The issuing office, as the header block of an administrative document names it
    (Nghị định 30/2020/NĐ-CP): the parent body (cơ quan chủ quản) above the issuer, and
    the place and date under the national motto. A missing date prints as dots to fill in."""

    issuer: str
    parent: str = ""
    place: str = ""
    issued_on: date | None = None
    contact: str = ""  # one line, e.g. the office's phone, printed under the steps
    extra: tuple[str, ...] = field(default=())  # further notes under the steps


def clean(text: str) -> str:
    """NFC (precomposed Vietnamese letters, so every font and extractor sees one glyph per
    letter) without control characters, which XML and PDF text refuse."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


def local_expiry(row: KitRow, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """The expiry as dd/mm/yyyy HH:MM in the office's time zone."""
    return row.expires_at.astimezone(tz).strftime("%d/%m/%Y %H:%M")


def notice_label(notice: KitNotice) -> str:
    """`22-TB/BCĐ ngày 27/12/2019`, or only the number when the date is unknown."""
    label = clean(notice.number)
    if notice.issued_on is not None:
        label += f" ngày {notice.issued_on:%d/%m/%Y}"
    return label


def validate(rows: list[KitRow] | tuple[KitRow, ...]) -> None:
    """Refuse a kit that would print something wrong: no rows, a naive expiry, a link
    that does not carry its own code, two agencies with one code."""
    if not rows:
        raise ValueError("a kit needs at least one agency")
    seen: set[str] = set()
    for row in rows:
        if not clean(row.agency):
            raise ValueError("an agency without a name")
        if row.expires_at.tzinfo is None or row.expires_at.utcoffset() is None:
            raise ValueError(f"the expiry of {row.agency!r} must be timezone-aware")
        if not row.code.isalnum():
            raise ValueError(f"the code of {row.agency!r} must be letters and digits")
        if row.code not in row.deep_link:
            raise ValueError(f"the link of {row.agency!r} does not carry its code")
        if row.code in seen:
            raise ValueError(f"the code of {row.agency!r} is given to two agencies")
        if row.task_count < 0:
            raise ValueError(f"a negative task count for {row.agency!r}")
        seen.add(row.code)


def invite_link(bot_username: str, code: str) -> str:
    """The kit's deep link: `https://t.me/<bot>?startgroup=<code>`. Scanned, Telegram asks
    which group to add the bot to, adds it and sends `/start <code>` there, which binds that
    group. (`?start=` would open a private chat and bind only the person who scanned.)"""
    return f"https://t.me/{bot_username.lstrip('@')}?startgroup={code}"
