"""Item 1, experiment: the floor of a progress reply's database work on PostgreSQL.

Finding C (bench/README.md) says that no reshaping of the reply's SQL brings PostgreSQL to half
the echo bot's throughput. This measures the claim instead of arguing it: the real bot, same
emulator, same replies, but `ReplyService.take` swapped for the least a reply could possibly
do in a database — one transaction of two statements (read the task, append the history row),
with no open-question check, no permission lookup, no assignment update and no pre-ping:

* `sqlalchemy`: those two statements through SQLAlchemy's asyncio engine, as dondoc runs;
* `psycopg`: the same two statements in hand-written SQL on one held psycopg connection,
  without SQLAlchemy at all.

Never shipped, never used outside the bench; the rows are labelled *experiment* and carry no
target. If even these stay under 0.5×, the target needs more than fewer statements.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.domain.permissions import Actor, ChatScope
from bot.domain.progress import ProgressError, parse_reply, pick_linked
from bot.services.access import Identity, Who
from bot.services.progress import Recorded, Source, history_values
from bot.services.replies import NotAboutTasks, ReplyOutcome, ReplyService, Reported
from storage.repositories import tasks as task_repo

FLOORS = ("sqlalchemy", "psycopg")
TakeFunction = Callable[..., Awaitable[ReplyOutcome]]

_TARGET_SQL = (
    "SELECT a.agency_id, g.name, t.code FROM assignments a "
    "JOIN agencies g ON g.id = a.agency_id JOIN tasks t ON t.id = a.task_id WHERE a.id = %s"
)
_APPEND_SQL = (
    "INSERT INTO progress_updates (assignment_id, kind, status, percent, text, "
    "evidence_file_ids, author_user_id, author_name, source_chat_id, source_message_id, "
    "created_at) VALUES (%s, %s, 'in_progress', %s, %s, '', %s, %s, %s, %s, %s) RETURNING id"
)


class FloorReplies:
    """Stands in for `ReplyService.take` in the experiment; `close()` releases its connection."""

    def __init__(self, real: ReplyService, database_url: str, floor: str) -> None:
        if floor not in FLOORS:
            raise ValueError(f"unknown floor {floor!r}")
        self._real = real
        self._url = database_url
        self._floor = floor
        self._engine: AsyncEngine | None = None
        self._raw: Any = None
        self._links: dict[tuple[int, int], tuple[int, ...]] = {}

    async def take(
        self,
        identity: Identity,
        *,
        replied_message_id: int | None,
        text: str,
        evidence: tuple[str, ...],
        source: Source,
    ) -> ReplyOutcome:
        if replied_message_id is None:
            return NotAboutTasks()
        linked = await self._linked(identity.chat_id, replied_message_id)
        assignment_id, text = pick_linked(linked, text)
        report = parse_reply(text, has_evidence=bool(evidence))
        if assignment_id is None or isinstance(report, ProgressError):
            raise AssertionError("the bench's replies all name a line and a percent")
        percent = min(report.percent or 0, 99)
        now = self._real._ctx.now()
        if self._floor == "sqlalchemy":
            agency_id, agency_name, code, update_id = await self._through_sqlalchemy(
                assignment_id, report.kind.value, percent, report.note, source, now
            )
        else:
            agency_id, agency_name, code, update_id = await self._through_psycopg(
                assignment_id, report.kind.value, percent, report.note, source, now
            )
        actor = Actor(identity.user_id, identity.display_name, False, {agency_id: "focal_point"})
        scope = ChatScope(identity.chat_id, identity.chat_type, 0, agency_id, agency_name, False)
        recorded = Recorded(
            update_id, assignment_id, agency_id, agency_name, f"#{assignment_id} ({code})",
            "in_progress", percent, report.kind.value,
        )  # fmt: skip
        return Reported(Who(actor, scope), assignment_id, report, recorded)

    async def _linked(self, chat_id: int, message_id: int) -> tuple[int, ...]:
        key = (chat_id, message_id)
        if key not in self._links:
            async with self._real._ctx.transaction() as connection:
                self._links[key] = await self._real._conversation.linked_in(
                    connection, chat_id=chat_id, message_id=message_id
                )
        return self._links[key]

    async def _through_sqlalchemy(
        self, assignment_id: int, kind: str, percent: int, note: str, source: Source, now: Any
    ) -> tuple[int, str, str, int]:
        if self._engine is None:
            self._engine = create_async_engine(self._url, pool_size=5)  # no pre-ping
        async with self._engine.begin() as connection:
            target = await task_repo.report_target(connection, assignment_id=assignment_id)
            assert target is not None
            values = history_values(
                assignment_id, kind, source, now, text=note, status="in_progress", percent=percent
            )
            update_id = await task_repo.append_update(connection, values)
        return target.agency_id, target.agency_name, target.task_code, update_id

    async def _through_psycopg(
        self, assignment_id: int, kind: str, percent: int, note: str, source: Source, now: Any
    ) -> tuple[int, str, str, int]:
        import psycopg

        if self._raw is None:
            url = make_url(self._url).set(drivername="postgresql")
            self._raw = await psycopg.AsyncConnection.connect(
                url.render_as_string(hide_password=False)
            )
        async with self._raw.transaction():
            cursor = await self._raw.execute(_TARGET_SQL, (assignment_id,))
            agency_id, agency_name, code = await cursor.fetchone()
            cursor = await self._raw.execute(
                _APPEND_SQL,
                (assignment_id, kind, percent, note, source.user_id, source.name,
                 source.chat_id, source.message_id, now),
            )  # fmt: skip
            (update_id,) = await cursor.fetchone()
        return agency_id, agency_name, code, update_id

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
        if self._raw is not None:
            await self._raw.close()
