"""What every benchmark shares: the result row, the table, the machine, databases, timing.

Kept apart from the benchmarks so the smoke test and `python -m bench` build worlds and
databases the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from bot.sandbox.emulator import BotApiEmulator, ChatState, FileRecord

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = 1001
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
T = TypeVar("T")


def seed_path() -> Path:
    """The seed notice: DONDOC_SEED, else the repository's own copy in examples/."""
    override = os.environ.get("DONDOC_SEED")
    if override:
        return Path(override)
    return ROOT / "examples" / "22-TB-BCD.txt"


def local(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: a figure, its baseline, their ratio and the target it meets."""

    item: str
    measure: str
    db: str
    value: str
    baseline: str
    ratio: str
    target: str
    met: bool | None  # None: informative, no target


HEADERS = ("#", "measure", "db", "dondoc", "baseline", "ratio", "target", "met")


def render_table(rows: Iterable[Row]) -> str:
    """A Markdown table: readable in a terminal and in results.md alike."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join("---" for _ in HEADERS) + "|"]
    for row in rows:
        verdict = "—" if row.met is None else ("yes" if row.met else "**NO**")
        cells = (row.item, row.measure, row.db, row.value, row.baseline, row.ratio)
        lines.append("| " + " | ".join((*cells, row.target, verdict)) + " |")
    return "\n".join(lines)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): p99 of 200 samples is the 198th, not a blend."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


# --- the machine -----------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def ram_gib() -> str:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def machine(pg_url: str | None) -> dict[str, str]:
    """What the figures depend on, for the head of results.md."""
    import sqlalchemy
    import telegram

    info = {
        "CPU": cpu_model(),
        "cores": f"{usable_cores()} usable ({os.cpu_count()} online)",
        "RAM": ram_gib(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": pg_version(pg_url) if pg_url else "not reachable (skipped)",
        "python-telegram-bot": telegram.__version__,
        "SQLAlchemy": sqlalchemy.__version__,
    }
    return info


# --- databases -------------------------------------------------------------------------------


def sync_url(url: str) -> str:
    return url.replace("sqlite+aiosqlite", "sqlite").replace("+asyncpg", "+psycopg")


def pg_candidate() -> str:
    raw = os.environ.get("DATABASE_URL_TEST", "").strip() or DEFAULT_PG
    return raw.replace("postgresql://", "postgresql+psycopg://", 1)


def pg_reachable() -> str | None:
    """The PostgreSQL URL (psycopg driver) when a server answers within 3 s, else None."""
    url = pg_candidate()
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception:
        return None
    return url


def pg_version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("show server_version")).scalar())
    except Exception as error:  # pragma: no cover - depends on the machine
        return f"unknown ({type(error).__name__})"
    finally:
        engine.dispose()


class Databases:
    """Fresh, migrated, empty databases on demand; all of them removed by `close()`.

    SQLite: one migrated template file copied per use. PostgreSQL: one migrated template
    database, then `CREATE DATABASE ... TEMPLATE` per use (fast), all named
    dondoc_bench_<run>_* and dropped at the end even when a benchmark fails.
    """

    def __init__(self, pg_url: str | None) -> None:
        from storage import migrate

        self.pg_url = pg_url
        self.run = uuid.uuid4().hex[:8]
        self.tmp = Path(tempfile.mkdtemp(prefix="dondoc-bench-"))
        self._template = self.tmp / "template.sqlite3"
        migrate.upgrade(f"sqlite+aiosqlite:///{self._template}")
        self._pg_names: list[str] = []
        self._pg_template: str | None = None
        self._count = 0

    def sqlite(self) -> str:
        self._count += 1
        path = self.tmp / f"bench-{self._count}.sqlite3"
        shutil.copy(self._template, path)
        return f"sqlite+aiosqlite:///{path}"

    def postgresql(self) -> str:
        """A new empty migrated database (psycopg async URL)."""
        from storage import migrate

        assert self.pg_url is not None, "PostgreSQL is not reachable"
        admin = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
        try:
            if self._pg_template is None:
                name = f"dondoc_bench_{self.run}_template"
                with admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                self._pg_names.append(name)
                migrate.upgrade(self._url_for(name))
                self._pg_template = name
            self._count += 1
            name = f"dondoc_bench_{self.run}_{self._count}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._pg_template}"'))
            self._pg_names.append(name)
        finally:
            admin.dispose()
        return self._url_for(name)

    def fresh(self, kind: str) -> str:
        return self.sqlite() if kind == "sqlite" else self.postgresql()

    def _url_for(self, name: str) -> str:
        assert self.pg_url is not None
        return self.pg_url.rsplit("/", 1)[0] + f"/{name}"

    def close(self) -> None:
        """Drop every database this run created (newest first) and the temporary files."""
        if self._pg_names and self.pg_url:
            admin = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as connection:
                    for name in reversed(self._pg_names):
                        connection.execute(
                            text(
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = :name AND pid <> pg_backend_pid()"
                            ),
                            {"name": name},
                        )
                        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            finally:
                admin.dispose()
            self._pg_names.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Databases:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def databases(pg_url: str | None) -> Iterator[Databases]:
    dbs = Databases(pg_url)
    try:
        yield dbs
    finally:
        dbs.close()


async def fix_pg_sequences(connection: Any, tables: Iterable[str]) -> None:
    """Rows inserted with explicit ids leave PostgreSQL's sequences behind: catch them up."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        await connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        )


# --- the emulator, with wall-clock stamps ----------------------------------------------------


# No awaited reply for this long: the bot has stopped answering (an error in a handler, a
# database it cannot reach), and the bench says so instead of waiting for ever.
STALL = 30.0


class BenchFailed(RuntimeError):
    """A bench could not measure what it set out to: `python -m bench` says why and stops."""


class BotStalled(BenchFailed):
    """The bot under measure stopped answering: what is missing, and since when."""

    def __init__(self, answered: int, expected: int, seconds: float, overall: bool) -> None:
        why = f"not done within {seconds:.0f} s" if overall else f"no answer for {seconds:.0f} s"
        super().__init__(
            f"the bot answered {answered} of {expected} messages, {why}: it has stopped "
            "answering (its errors are logged above); no figure is written"
        )
        self.answered = answered
        self.expected = expected


async def within(awaitable: Awaitable[T], seconds: float, what: str) -> T:
    """`awaitable`'s result, or `BenchFailed` naming `what` once `seconds` have passed."""
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except TimeoutError:
        raise BenchFailed(
            f"{what} did not finish within {seconds:.0f} s (the bot's errors are logged above)"
        ) from None


LOOP_TICK = 0.005  # the loop-lag probe's sleep


@contextlib.asynccontextmanager
async def loop_stalls(tick: float = LOOP_TICK) -> Any:
    """A ticker on the event loop for the block's duration: yields a list that holds, once
    the block ends, how late each of its `tick` sleeps woke (the loop's stalls; its max is
    the longest time nothing else on the loop could run)."""
    stalls: list[float] = []
    running = True

    async def ticker() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(tick)
            now = time.perf_counter()
            stalls.append(now - last - tick)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    try:
        yield stalls
    finally:
        running = False
        await task


class TimedEmulator(BotApiEmulator):
    """The Bot API emulator, stamping each message the bot sends with `time.perf_counter()`.

    Its own records carry the emulator's (possibly manual) clock; latency needs real time,
    so this keeps `(chat_id, replied message_id) -> when` for the first reply to a message
    and `(chat_id, when)` for every send, and lets a caller await a set of replies.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.replied_at: dict[tuple[int, int], float] = {}
        self.sends: list[tuple[int, float]] = []
        self._awaited: set[tuple[int, int]] = set()
        self._answered: asyncio.Event | None = None  # set at each awaited reply

    def _record(
        self,
        method: str,
        state: ChatState,
        message: dict[str, Any],
        params: dict[str, Any],
        raw_text: Any,
        file: FileRecord | None = None,
    ) -> None:
        super()._record(method, state, message, params, raw_text, file)
        now = time.perf_counter()
        self.sends.append((state.id, now))
        reply = message.get("reply_to_message")
        if reply is not None:
            key = (state.id, reply["message_id"])
            self.replied_at.setdefault(key, now)
            if key in self._awaited:
                self._awaited.discard(key)
                if self._answered is not None:
                    self._answered.set()

    async def replies_to(
        self,
        keys: Iterable[tuple[int, int]],
        timeout: float,  # noqa: ASYNC109
        *,
        stall: float = STALL,
    ) -> None:
        """Wait until the bot has replied to every (chat_id, message_id). Raises `BotStalled`,
        saying how many are missing, when `timeout` seconds pass or when no awaited reply came
        for `stall` seconds: a bot that errors fails the bench instead of hanging it."""
        wanted = set(keys)
        self._awaited = {key for key in wanted if key not in self.replied_at}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while self._awaited:
                left = deadline - loop.time()
                if left <= 0:
                    raise BotStalled(len(wanted) - len(self._awaited), len(wanted), timeout, True)
                self._answered = asyncio.Event()
                try:
                    await asyncio.wait_for(self._answered.wait(), min(stall, left))
                except TimeoutError:
                    if loop.time() < deadline:
                        done = len(wanted) - len(self._awaited)
                        raise BotStalled(done, len(wanted), stall, False) from None
        finally:
            self._answered = None
            self._awaited = set()
