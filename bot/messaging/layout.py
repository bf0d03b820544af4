"""The phone-screen budget every message is held to, and how a message is measured.

A district official reads the bot on a small phone between meetings: one message should fit
one screen without scrolling, and its buttons should be few enough to hit and to tell apart.
The numbers are the issue's (23): at most 25 lines as the phone wraps them and 6 buttons;
what does not fit goes behind a "Xem thêm" button or into an attached file. The width of a
line is measured, not guessed: `make screens` renders real messages at 360 px and
tests/layout/test_screens.py checks this constant against that rendering.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable

MAX_LINES = 25
MAX_BUTTONS = 6
# Characters of ordinary Vietnamese text on one line of a message bubble 360 px wide.
LINE_CHARS = 34
# A button label longer than this is cut by the phone ("Đang thực h…"): per buttons in a row.
LABEL_CHARS = {1: 34, 2: 17, 3: 10, 4: 7}

_TAG = re.compile(r"<[^>]+>")


def plain(markup: str) -> str:
    """What the phone shows of our HTML: tags dropped, entities read."""
    return html.unescape(_TAG.sub("", markup))


def _width(text: str) -> int:
    """Emoji and other wide symbols take about two letters' room."""
    return sum(2 if ord(ch) >= 0x2190 and not 0x1E00 <= ord(ch) <= 0x1EFF else 1 for ch in text)


def phone_lines(text: str, *, width: int = LINE_CHARS) -> int:
    """How many lines `text` (plain, not HTML) takes on the phone: each line wrapped at word
    boundaries to `width`, a blank line counted as one."""
    total = 0
    for line in text.split("\n"):
        if not line.strip():
            total += 1
            continue
        # textwrap counts characters; widen the budget by the room wide symbols take.
        extra = _width(line) - len(line)
        wrapped = textwrap.wrap(line, width=width, break_long_words=True) or [""]
        total += len(wrapped) + (1 if extra and len(wrapped[-1]) + extra > width else 0)
    return total


def html_lines(markup: str) -> int:
    return phone_lines(plain(markup))


def fits(markup: str, buttons: int = 0) -> bool:
    """Whether a message (our HTML) and its number of buttons fit one phone screen."""
    return buttons <= MAX_BUTTONS and html_lines(markup) <= MAX_LINES


def labels_too_wide(rows: Iterable[Iterable[str]]) -> list[str]:
    """Button labels the phone would cut, given how many share their row."""
    too_wide = []
    for row in rows:
        labels = list(row)
        room = LABEL_CHARS.get(len(labels), 6)
        too_wide += [label for label in labels if _width(label) > room]
    return too_wide
