"""Working days (ngày làm việc): Monday–Friday minus public holidays, plus make-up Saturdays.

Pure and standard-library only: the service layer reads the `holidays` package (Tết moves every
year) and passes the dates in, so the rules here can be tested with a hand-written holiday set.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)


def _count_in(sorted_days: tuple[date, ...], after: date, up_to: date) -> int:
    """How many of `sorted_days` lie in (after, up_to]; bisect keeps long spans cheap."""
    return bisect_right(sorted_days, up_to) - bisect_right(sorted_days, after)


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Which days an office works.

    `extra_working_days` are the Saturdays worked to make up for a bridged day (ngày làm bù);
    they win over both the weekend and `holidays`, because a decree naming a day as worked is
    the more specific rule.
    """

    holidays: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})
    # Derived once, so counting working days over years of overdue stays O(log n).
    _holidays_on_weekdays: tuple[date, ...] = field(
        init=False, repr=False, compare=False, default=()
    )
    _extra_on_weekend: tuple[date, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        if not all(0 <= day <= 6 for day in self.weekend):
            raise ValueError("weekend days are date.weekday() numbers 0..6")
        if len(self.weekend) == 7 and not self.extra_working_days:
            raise ValueError("a calendar needs at least one working day")
        removed = sorted(
            d
            for d in self.holidays
            if d.weekday() not in self.weekend and d not in self.extra_working_days
        )
        added = sorted(d for d in self.extra_working_days if d.weekday() in self.weekend)
        object.__setattr__(self, "_holidays_on_weekdays", tuple(removed))
        object.__setattr__(self, "_extra_on_weekend", tuple(added))

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_working_days:
            return True
        return d not in self.holidays and d.weekday() not in self.weekend

    def on_or_before_working_day(self, d: date) -> date:
        """`d` if it is worked, else the previous working day: a reminder due on a day off must
        reach the agency before it, not after."""
        while not self.is_working_day(d):
            d -= _ONE_DAY
        return d

    def on_or_after_working_day(self, d: date) -> date:
        """`d` if it is worked, else the next working day: announcing that a window has opened
        makes sense only once it has."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        return self.on_or_after_working_day(d + _ONE_DAY)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before `d`."""
        return self.on_or_before_working_day(d - _ONE_DAY)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (before it when n < 0); `d` itself when n == 0.

        `d` need not be a working day: one working day after a Saturday is the Monday.
        """
        step = self.next_working_day if n > 0 else self.previous_working_day
        for _ in range(abs(n)):
            d = step(d)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: how late `b` is against a deadline `a`.

        Antisymmetric (negative when b < a), so "late by N working days" and "N working days
        left" are the same number with opposite signs.
        """
        if b < a:
            return -self.working_days_between(b, a)
        return (
            self._weekdays_in(a, b)
            - _count_in(self._holidays_on_weekdays, a, b)
            + _count_in(self._extra_on_weekend, a, b)
        )

    def _weekdays_in(self, a: date, b: date) -> int:
        """Non-weekend days in (a, b], by whole weeks plus the remainder (b >= a)."""
        weeks, rest = divmod((b - a).days, 7)
        per_week = 7 - len(self.weekend)
        start = a.weekday()
        tail = sum(1 for i in range(1, rest + 1) if (start + i) % 7 not in self.weekend)
        return weeks * per_week + tail
