"""The league table: ranked by on-time rate with counts beside it, ties explained."""

from __future__ import annotations

from bot.domain.league import league
from bot.domain.rollup import Counts


def c(on_time: int, late: int = 0, overdue: int = 0, not_due: int = 0) -> Counts:
    total = on_time + late + overdue + not_due
    return Counts(
        total=total,
        done_on_time=on_time,
        done_late=late,
        in_progress_overdue=overdue,
        in_progress_on_time=not_due,
    )


def test_ranked_by_rate_then_evidence_then_fewer_overdue_with_ties_shared() -> None:
    rows = league(
        [
            (1, "Sở A", c(9, 1)),  # 90 % of 10
            (2, "Sở B", c(4, overdue=1)),  # 80 % of 5
            (3, "Sở C", c(8, overdue=2)),  # 80 % of 10: more evidence, before B
            (4, "Sở D", c(8, late=2)),  # 80 % of 10, tied with C
            (5, "Sở E", c(0, not_due=3)),  # nothing judged yet: unranked, last
            (6, "Sở F", c(9, 1)),  # tied with A
        ]
    )
    assert [(r.rank, r.name, r.tied) for r in rows] == [
        (1, "Sở A", True),
        (1, "Sở F", True),
        (3, "Sở D", True),  # at the same rate and base, fewer overdue first
        (3, "Sở C", True),
        (5, "Sở B", False),
        (None, "Sở E", False),
    ]
    assert (rows[0].on_time, rows[0].judged) == (9, 10)
    assert rows[-1].judged == 0
