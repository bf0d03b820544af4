"""The league table (bảng xếp hạng): agencies ranked by on-time completion over a period.

Only the assignments whose deadline fell in the period count, and among them only those whose
outcome is known (done, on time or late, or overdue): the same base as the roll-up's
"Tỷ lệ HT đúng hạn" (docs/rollup.md). Every rate is shown with its counts. Ties are explicit:
two agencies share a rank (đồng hạng) when they have the same rate on the same base; at the
same rate, the one with more assignments judged ranks first (more evidence), then the one with
fewer overdue. An agency with nothing due in the period has no rate and comes last, unranked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from bot.domain.rollup import Counts


@dataclass(frozen=True, slots=True)
class LeagueRow:
    rank: int | None  # None: nothing due in the period, no rate to rank
    tied: bool  # shares its rank with another agency (same rate, same base)
    agency_id: int
    name: str
    counts: Counts  # the agency's assignments due in the period

    @property
    def on_time(self) -> int:
        return self.counts.on_time.numerator

    @property
    def judged(self) -> int:
        return self.counts.on_time.base


def _rate(counts: Counts) -> Fraction:
    rate = counts.on_time
    return Fraction(rate.numerator, rate.base)


def league(rows: Iterable[tuple[int, str, Counts]]) -> tuple[LeagueRow, ...]:
    """Rank agencies: the highest on-time rate first, ties as the module says."""
    rows = list(rows)
    ranked = sorted(
        (r for r in rows if r[2].on_time.base > 0),
        key=lambda r: (-_rate(r[2]), -r[2].on_time.base, r[2].overdue, r[1], r[0]),
    )
    unranked = sorted((r for r in rows if r[2].on_time.base == 0), key=lambda r: (r[1], r[0]))
    out: list[LeagueRow] = []
    for agency_id, name, counts in ranked:
        key = (_rate(counts), counts.on_time.base)
        same = [
            i for i, other in enumerate(ranked) if (_rate(other[2]), other[2].on_time.base) == key
        ]
        out.append(LeagueRow(same[0] + 1, len(same) > 1, agency_id, name, counts))
    out += [LeagueRow(None, False, a, n, c) for a, n, c in unranked]
    return tuple(out)
