"""The filter a /tonghop writes into its 📊/📄 buttons reads back as the same scope."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.callback_data import Act, decode, encode
from bot.domain.periods import date_range, half_year, month, quarter, week, year
from bot.domain.report_filter import (
    ReportFilter,
    filter_args,
    is_overdue_token,
    overdue_token,
    parse_filter_args,
    parse_overdue_token,
)

PERIODS = [
    week(date(2026, 12, 2)),
    week(date(2026, 12, 2), week_ends_on=6),
    month(2026, 2),
    quarter(2026, 4),
    half_year(2026, 1),
    year(2026),
    date_range(date(2026, 1, 5), date(2026, 3, 7)),
]


@pytest.mark.parametrize("period", [None, *PERIODS])
def test_round_trip_through_the_wire(period: object) -> None:
    wanted = ReportFilter(notice_id=2_147_483_647, agency_id=2_147_483_647, period=period)  # type: ignore[arg-type]
    data = encode(Act.REP, "x", *filter_args(wanted))
    callback = decode(data)
    assert callback is not None and callback.args[0] == "x"
    assert parse_filter_args(callback.args[1:]) == wanted


def test_no_filter_is_the_old_button() -> None:
    assert filter_args(ReportFilter()) == ()
    assert parse_filter_args(()) == ReportFilter()


@pytest.mark.parametrize(
    "args",
    [
        ("zz",),
        ("a1", "a2"),
        ("n",),
        ("a2147483648",),
        ("pm2026020120260230",),
        ("pm2026020220260228",),
        ("pr2026030120260201",),
        ("px2026010120260101",),
    ],
)
def test_damaged_fields_are_refused(args: tuple[str, ...]) -> None:
    assert parse_filter_args(args) is None


@pytest.mark.parametrize(
    ("scope", "token"),
    [
        (ReportFilter(), "od"),
        (ReportFilter(notice_id=3), "odn3"),
        (ReportFilter(agency_id=7), "oda7"),
        (ReportFilter(notice_id=3, agency_id=7, period=month(2020, 1)), "odn3a7"),
    ],
)
def test_the_overdue_button_carries_the_notice_and_agency(scope: ReportFilter, token: str) -> None:
    assert overdue_token(scope) == token
    assert parse_overdue_token(token) == ReportFilter(scope.notice_id, scope.agency_id)


@pytest.mark.parametrize(
    "forged", ["odx1", "oda", "oda7n3", "odn1a2a3", "od" + "n9" * 13, "a7", ""]
)
def test_a_forged_overdue_token_is_refused(forged: str) -> None:
    assert parse_overdue_token(forged) is None and not is_overdue_token(forged)
