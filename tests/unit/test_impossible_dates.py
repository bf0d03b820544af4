"""Dates that are on no calendar are found and mended into an example (review U4/O1)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.impossible_dates import Fault, impossible_dates, mend


@pytest.mark.parametrize(
    ("typed", "shown", "fault", "mended"),
    [
        ("31/02/2026", "31/02/2026", Fault.DAY, date(2026, 2, 28)),
        ("00/13/2026", "00/13/2026", Fault.MONTH, date(2026, 12, 1)),
        ("01/02/2026-31/02/2026", "31/02/2026", Fault.DAY, date(2026, 2, 28)),
        ("29/02/2025", "29/02/2025", Fault.DAY, date(2025, 2, 28)),
        ("2020-02-30", "30/02/2020", Fault.DAY, date(2020, 2, 29)),
        ("ngày 31 tháng 4 năm 2026", "31/04/2026", Fault.DAY, date(2026, 4, 30)),
        ("31/04/26", "31/04/2026", Fault.DAY, date(2026, 4, 30)),
        ("30/2", "30/02", Fault.DAY, date(2026, 2, 28)),
        ("12.13.2026", "12/13/2026", Fault.MONTH, date(2026, 12, 12)),
    ],
)
def test_an_impossible_date_is_found_and_mended(
    typed: str, shown: str, fault: Fault, mended: date
) -> None:
    (found,) = impossible_dates(typed)
    assert (found.shown, found.fault, found.mended(2026)) == (shown, fault, mended)


@pytest.mark.parametrize(
    "typed",
    [
        "01/01/2020-31/01/2020",
        "2020-01-31",
        "29/02/2024",
        "29/2",
        "31/1",
        "thang 3/2025",
        "quy II/2025",
        "7",
        "22-TB/BCĐ",
    ],
)
def test_real_dates_and_other_words_are_left_alone(typed: str) -> None:
    assert impossible_dates(typed) == []


def test_every_impossible_date_in_order() -> None:
    both = impossible_dates("31/02/2026-00/13/2026")
    assert [d.shown for d in both] == ["31/02/2026", "00/13/2026"]


def test_mend_writes_the_nearest_real_dates() -> None:
    assert mend("01/02/2026-31/02/2026", 2026) == "01/02/2026-28/02/2026"
    assert mend("00/13/2026-31/12/2026", 2026) == "01/12/2026-31/12/2026"
    assert mend("30/2", 2026) == "28/02/2026"
    assert mend("01/01/2020-31/01/2020", 2026) == "01/01/2020-31/01/2020"
