"""Item 4: reading a notice (parse_notice), the seed against a 100-page notice made from it.

The long notice keeps the seed's head and signature and repeats its body (sections I and
II) with fresh section numbers, so it reads like one real notice of ~40 lines a page. The
baseline is the seed's time per character; "no worse than linear" means the long notice's
time per character is no more than the seed's (1.25 allows for timer noise).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import Row, ms

LINES_PER_PAGE = 40
LINEAR_SLACK = 1.25
ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ParseTiming:
    pages: float
    chars: int
    tasks: int
    seconds: float  # median time of one parse

    @property
    def per_char(self) -> float:
        return self.seconds / self.chars


@dataclass(frozen=True, slots=True)
class ImportResult:
    seed: ParseTiming
    long: ParseTiming

    @property
    def linearity(self) -> float:
        """Time per character of the long notice over the seed's: 1.0 is exactly linear."""
        return self.long.per_char / self.seed.per_char


def roman(number: int) -> str:
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def long_notice(seed: str, pages: int) -> str:
    """The seed's head, its body repeated with renumbered sections, its signature."""
    lines = seed.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("I. "))
    end = next(i for i, line in enumerate(lines) if line.startswith("Đề nghị các đồng chí"))
    head, body, tail = lines[:start], lines[start:end], lines[end:]
    target = pages * LINES_PER_PAGE - len(head) - len(tail)
    out = list(head)
    section = 1
    while len(out) - len(head) < target:
        for line in body:
            if line.startswith("I. "):
                line = f"{roman(section)}. {line[3:]}"
                section += 1
            elif line.startswith("II. "):
                line = f"{roman(section)}. {line[4:]}"
                section += 1
            out.append(line)
    return "\n".join(out + tail) + "\n"


def _time(text: str, repeat: int) -> tuple[float, int]:
    from bot.domain.notice import parse_notice

    timings = []
    tasks = 0
    for _ in range(repeat):
        began = time.perf_counter()
        parsed = parse_notice(text)
        timings.append(time.perf_counter() - began)
        tasks = len(parsed.tasks)
    timings.sort()
    return timings[len(timings) // 2], tasks


def bench_import(seed: Path, *, pages: int = 100, repeat: int = 5) -> ImportResult:
    text = seed.read_text(encoding="utf-8")
    big = long_notice(text, pages)
    _time(text, 1)  # warm the regex caches
    seed_seconds, seed_tasks = _time(text, max(repeat, 5) * 4)
    big_seconds, big_tasks = _time(big, repeat)
    return ImportResult(
        ParseTiming(len(text.splitlines()) / LINES_PER_PAGE, len(text), seed_tasks, seed_seconds),
        ParseTiming(len(big.splitlines()) / LINES_PER_PAGE, len(big), big_tasks, big_seconds),
    )


def rows(result: ImportResult) -> list[Row]:
    seed, big = result.seed, result.long
    return [
        Row(
            "4",
            f"parse_notice, seed ({seed.chars:,} chars, {seed.tasks} tasks)",
            "—",
            f"{1 / seed.seconds:.0f} notices/s ({ms(seed.seconds)})",
            "(baseline)",
            "1.00",
            "—",
            None,
        ),
        Row(
            "4",
            f"parse_notice, {big.pages:.0f}-page notice ({big.chars:,} chars, "
            f"{big.tasks} tasks); ratio = time per char vs the seed",
            "—",
            f"{1 / big.seconds:.2f} notices/s ({ms(big.seconds)})",
            f"seed {ms(seed.seconds)} × {big.chars / seed.chars:.0f} = "
            f"{ms(seed.per_char * big.chars)}",
            f"{result.linearity:.2f}",
            f"≤ {LINEAR_SLACK} (linear)",
            result.linearity <= LINEAR_SLACK,
        ),
    ]
