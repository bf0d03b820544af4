"""Item 4b: hostile notices and deadlines, each read at a quarter of its size and at full size.

Inputs that were once quadratic (a name list re-read for every comma, repeated codes
searched one by one) stay here so a slip back shows: the baseline is the same input at a
quarter of the size in the same run, and "linear" means the full input's time per character
is no more than twice the quarter's (a quadratic reader gives about four). The tests read
the same inputs for crashes only; speed is judged here, never by a timed assertion.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bench.common import Row, ms

LINEAR_SLACK = 2.0

# label, and the text at scale n (n = 1 is the full size, the test reads n = 1/4)
NOTICES: tuple[tuple[str, Callable[[float], str]], ...] = (
    ("one long word", lambda n: "a" * int(100_000 * n)),
    ("one long number", lambda n: "1" * int(100_000 * n)),
    ("'từ' repeated", lambda n: "từ " * int(33_000 * n)),
    (
        "one task line repeated",
        lambda n: (
            "- Sở Tài chính chủ trì, phối hợp với Sở Y tế trước 15/01/2020.\n" * int(1_500 * n)
        ),
    ),
    ("a name list of 20,000 commas", lambda n: "Sở " + "A, " * int(20_000 * n)),
    ("slashes then digits", lambda n: "/" * int(50_000 * n) + "1" * int(50_000 * n)),
    ("'1/' repeated", lambda n: "1/" * int(50_000 * n)),
    ("districts listed", lambda n: "Các huyện: " + "Kỳ Anh, " * int(12_000 * n)),
    ("' .' repeated", lambda n: " ." * int(50_000 * n)),
    ("'- x; A' (once quadratic)", lambda n: "- x; A" * int(16_000 * n)),
    ("'- TP. A' repeated", lambda n: "- TP. A" * int(14_000 * n)),
    (
        "one section, many '+' lines",
        lambda n: "1. Sở Y tế\n- a\n" + "+ bbbbbbb\n" * int(12_000 * n),
    ),
    (
        "repeated codes (once quadratic)",
        lambda n: ("1. Sở Y tế\n" + "- làm việc\n" * 3) * int(4_000 * n),
    ),
    ("section headings only", lambda n: "I. x\n" * int(20_000 * n)),
    ("a tab table with no header", lambda n: "a\tb\tc\n" * int(20_000 * n)),
    (
        "table rows all numbered 1 (once quadratic)",
        lambda n: (
            "| TT | Nội dung | Chủ trì | Thời hạn |\n"
            + "| 1 | Rà soát | Sở Y tế | 2023 |\n" * int(8_000 * n)
        ),
    ),
    ("'Giám đốc các sở,' repeated", lambda n: "Giám đốc các sở, " * int(10_000 * n) + "thực hiện."),
    (
        "a relative deadline repeated",
        lambda n: "trong 30 ngày làm việc kể từ ngày ký " * int(5_000 * n),
    ),
    (
        "a collective with 15,000 names",
        lambda n: "Chủ tịch UBND các huyện: " + "A, " * int(15_000 * n) + "rà soát.",
    ),
)

DEADLINES: tuple[tuple[str, Callable[[float], str]], ...] = (
    ("'trước ngày' repeated", lambda n: "trước ngày " * int(10_000 * n) + "15/01/2020"),
    ("'1-' repeated", lambda n: "1-" * int(50_000 * n)),
    ("'1/1 ' repeated (overlapping candidates)", lambda n: "1/1 " * int(25_000 * n)),
)

NOTICE_DATE = date(2020, 1, 1)


def read_notice(text: str) -> None:
    from bot.domain.notice import parse_notice

    parse_notice(text)


def read_deadline(text: str) -> None:
    from bot.domain.deadlines import parse_deadline

    parse_deadline(text, notice_date=NOTICE_DATE)


@dataclass(frozen=True, slots=True)
class Hostile:
    label: str
    chars: int
    quarter: float  # seconds for the input at a quarter of its size
    full: float  # seconds for the full input

    @property
    def linearity(self) -> float:
        """Full size's time per character over the quarter's: 1.0 is linear, ~4 quadratic."""
        return (self.full / self.chars) / (self.quarter / max(1, self.chars // 4))


def _best(read: Callable[[str], None], text: str, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        read(text)
        timings.append(time.perf_counter() - began)
    return min(timings)


def bench_hostile(*, scale: float = 1.0, repeat: int = 3) -> list[Hostile]:
    out = []
    for read, inputs in ((read_notice, NOTICES), (read_deadline, DEADLINES)):
        for label, build in inputs:
            full, quarter = build(scale), build(scale / 4)
            read(quarter)  # warm the regex caches
            out.append(
                Hostile(label, len(full), _best(read, quarter, repeat), _best(read, full, repeat))
            )
    return out


def rows(results: list[Hostile]) -> list[Row]:
    worst = max(results, key=lambda r: r.linearity)
    slowest = max(results, key=lambda r: r.full)
    return [
        Row(
            "4",
            f"hostile inputs ({len(results)}): worst time per char, full vs a quarter "
            f"({worst.label}, {worst.chars:,} chars)",
            "—",
            ms(worst.full),
            f"quarter {ms(worst.quarter)}",
            f"{worst.linearity:.2f}",
            f"≤ {LINEAR_SLACK} (linear)",
            worst.linearity <= LINEAR_SLACK,
        ),
        Row(
            "4",
            f"hostile inputs: the slowest ({slowest.label}, {slowest.chars:,} chars)",
            "—",
            ms(slowest.full),
            "—",
            "—",
            "—",
            None,
        ),
    ]
