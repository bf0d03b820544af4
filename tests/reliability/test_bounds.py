"""Every numeric input bounded before it reaches SQL or `datetime` (issue 17, item 5).

A task number, a percentage, a period, a number of days, a date: typed by a person, any of
them may be 25 digits long, negative, or a year 1 or 9999. Each is refused with a clear
answer (or read as nothing) before a query or a date computation sees it. Proved twice: the
issue's two crashes as named cases, and a property over every command's arguments (the
office in its group, a focal point in the agency's group) that no exception escapes a
handler.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers import COMMANDS
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, Harness, running_bot
from tests.reliability.world import NOW, TOPICS, seed

HUGE = "99999999999999999999999"
NUMBERS = [
    HUGE, f"-{HUGE}", "0", "-1", "2147483648", "9223372036854775808", "1e400", "NaN",
    "١٢", "007", "4294967296", "18446744073709551616",
]  # fmt: skip
DATES = [
    "01/01/0001", "31/12/9999", "01/01/0001-31/12/9999", "31/12/9999-01/01/0001",
    "29/02/2021", "00/00/0000", "99/99/99999", "1/1/1", "31/12/99999999", "01/01/1900",
    "15/01/2020-15/01/9999",
]  # fmt: skip
WORDS = ["tuan", "thang", "quy", "6thang", "nam", "xong", "đạt", "%", "ngày", "Sở Tài chính"]


def _token() -> st.SearchStrategy[str]:
    number = st.sampled_from(NUMBERS)
    return st.one_of(
        number,
        number.map(lambda n: f"#{n}"),
        number.map(lambda n: f"{n}%"),
        number.map(lambda n: f"{n} ngày"),
        st.sampled_from(DATES),
        st.sampled_from(WORDS),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )


def arguments() -> st.SearchStrategy[str]:
    """Often a task number first (`/capnhat #N …`), then anything of the above."""
    first = st.one_of(st.sampled_from(NUMBERS).map(lambda n: f"#{n}"), _token(), st.just(""))
    rest = st.lists(_token(), min_size=0, max_size=3)
    return st.tuples(first, rest).map(lambda parts: " ".join([parts[0], *parts[1]]).strip())


NAMES = sorted({names[0] for names, _ in COMMANDS})


async def _errors_for(harness: Harness, text: str) -> None:
    await harness.send(ADMIN, OFFICE_GROUP, text)
    await harness.send(FOCAL_A, GROUP_A, text)


@pytest.mark.parametrize(
    "text, answer",
    [
        (f"/capnhat #{HUGE} xong", "Không tìm thấy nhiệm vụ"),
        ("/tonghop 01/01/0001-31/12/9999", ""),
        (f"/nhiemvu #{HUGE}", "Không tìm thấy nhiệm vụ"),
        (f"/doihan #{HUGE} 30/04/2020", "/doihan"),
        ("/doihan #1 31/12/9999", ""),
        (f"/tamdung {HUGE}", ""),
        ("/tamdung 31/12/9999", ""),
        (f"/capnhat #1 đạt {HUGE}%", ""),
        ("/capnhat #2147483648 xong", "Không tìm thấy nhiệm vụ"),  # PostgreSQL's INTEGER + 1
        ("/themadmin 99999999999999999999", "/themadmin"),
        ("/xoadaumoi 99999999999999999999 Sở Tài chính", "/xoadaumoi"),
    ],
)
async def test_the_issues_crashes_get_an_answer(
    database_url: str, text: str, answer: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        await seed(harness)
        office = ("/tonghop", "/doihan", "/themadmin", "/xoadaumoi")
        chat = OFFICE_GROUP if text.split()[0] in office else GROUP_A
        user = ADMIN if chat == OFFICE_GROUP else FOCAL_A
        with caplog.at_level(logging.ERROR):
            await harness.send(user, chat, text)
        reply = harness.last_text(chat)
        assert answer in reply
        assert "Xin lỗi" not in reply
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.fixture(scope="module")
def bounds_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bounds") / "seeded.sqlite3"
    shutil.copy(sqlite_template, path)

    async def fill() -> None:
        async with running_bot(f"sqlite+aiosqlite:///{path}", now=NOW, topics=TOPICS) as harness:
            await seed(harness)

    asyncio.run(fill())
    return path


@settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(commands=st.lists(st.tuples(st.sampled_from(NAMES), arguments()), min_size=1, max_size=6))
def test_no_exception_escapes_a_handler_whatever_the_numbers(
    commands: list[tuple[str, str]], bounds_template: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.clear()
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "db.sqlite3"
        shutil.copy(bounds_template, database)
        asyncio.run(_play(f"sqlite+aiosqlite:///{database}", commands))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []


async def _play(url: str, commands: list[tuple[str, str]]) -> None:
    async with running_bot(url, now=NOW, topics=TOPICS) as harness:
        for name, args in commands:
            await _errors_for(harness, f"/{name} {args}".strip())
