"""Reading a page's filters from its query string: each value checked against what it may be,
so a malformed one is a clear 400, never an error or a silently wrong table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from starlette.requests import Request

from bot.domain.periods import Period, parse_period
from bot.domain.types import AssignmentStatus
from bot.services.dashboard import TIMINGS, TaskFilter

PERIODS = ("tuan", "thang", "quy", "6thang", "nam")
STATUSES = tuple(s.value for s in AssignmentStatus if s is not AssignmentStatus.CANCELLED)
MAX_ID = 2**31 - 1


class BadFilter(ValueError):
    """A query parameter that is not what it may be."""


@dataclass(frozen=True, slots=True)
class Filters:
    notice_id: int | None = None
    agency_id: int | None = None
    status: str | None = None
    timing: str | None = None
    period: str | None = None

    def task_filter(self, period: Period | None) -> TaskFilter:
        return TaskFilter(
            agency_id=self.agency_id,
            notice_id=self.notice_id,
            status=self.status,
            timing=self.timing,
            deadline_from=period.start if period else None,
            deadline_to=period.end if period else None,
        )

    def query(self, **changes: object) -> str:
        """This filter as a query string, with some values changed (for links)."""
        values = {
            "notice": self.notice_id,
            "agency": self.agency_id,
            "status": self.status,
            "timing": self.timing,
            "period": self.period,
            **changes,
        }
        return "&".join(f"{k}={v}" for k, v in values.items() if v not in (None, ""))


def identifier(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 10 or not 0 < int(raw) <= MAX_ID:
        raise BadFilter(raw)
    return int(raw)


def choice(raw: str | None, allowed: tuple[str, ...]) -> str | None:
    if raw is None or raw == "":
        return None
    if raw not in allowed:
        raise BadFilter(raw)
    return raw


def read_filters(request: Request) -> Filters:
    params = request.query_params
    return Filters(
        notice_id=identifier(params.get("notice")),
        agency_id=identifier(params.get("agency")),
        status=choice(params.get("status"), STATUSES),
        timing=choice(params.get("timing"), TIMINGS),
        period=choice(params.get("period"), PERIODS),
    )


def period_of(filters: Filters, today: date, week_ends_on: int) -> Period | None:
    if not filters.period:
        return None
    return parse_period(filters.period, today=today, week_ends_on=week_ends_on)


def path_id(request: Request, name: str) -> int:
    """A numeric path parameter (routes declare them `{name:int}`), bounded."""
    value = request.path_params[name]
    if not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise BadFilter(str(value))
    return value


def stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d")
