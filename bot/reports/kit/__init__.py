"""The printable onboarding kit: what an office hands each agency at a notice's kick-off.

`render_kit(rows, header, formats, bot_username=...)` returns the files' bytes; callers (the
`dondoc invites` command, the chat button) build the rows from the invites they issued and
run it in a thread, since rendering is CPU-bound.
"""

from __future__ import annotations

from bot.reports.kit.model import (
    ALL_FORMATS,
    DEFAULT_TZ,
    KitFormat,
    KitHeader,
    KitNotice,
    KitRow,
    invite_link,
)
from bot.reports.kit.render import render_kit

__all__ = [
    "ALL_FORMATS",
    "DEFAULT_TZ",
    "KitFormat",
    "KitHeader",
    "KitNotice",
    "KitRow",
    "invite_link",
    "render_kit",
]
