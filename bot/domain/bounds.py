"""The bounds of what a person may type as a number or a date, checked before a query or a
date computation sees it (issue 17, item 5).

Every id column is a PostgreSQL INTEGER (SQLite's is 64-bit, PostgreSQL's 32): a task number
past `MAX_ID` names no task, so it is "not found" without a query that would overflow. A date
outside `FIRST_YEAR`..`LAST_YEAR` is not a date the office works with, and keeping to it
keeps every later computation (a period's previous one, local midnight in UTC) within what
`datetime` can hold.
"""

from __future__ import annotations

from datetime import date

MAX_ID = 2_147_483_647
FIRST_YEAR = 1990
LAST_YEAR = 2100


def bounded_id(text: str) -> int | None:
    """The positive id `text` spells (`12`, `#12`, ` 12 `), or None: not digits, or past
    MAX_ID."""
    digits = text.strip().lstrip("#").strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) > len(str(MAX_ID)):
        return None
    value = int(digits)
    return value if 0 < value <= MAX_ID else None


def year_in_bounds(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def date_in_bounds(day: date) -> bool:
    return year_in_bounds(day.year)


MAX_USER_ID = 2**52  # Telegram's user ids fit in 52 bits (its Bot API says so)


def bounded_user_id(text: str) -> int | None:
    """A Telegram user id (`123456789`), or None: not digits, zero, or past 52 bits."""
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) > 16:
        return None
    value = int(digits)
    return value if 0 < value < MAX_USER_ID else None
