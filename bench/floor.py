"""Item 1, experiment: the floor of a progress reply's database work on PostgreSQL.

Finding C (bench/README.md) says that no reshaping of the reply's SQL brings PostgreSQL to half
the echo bot's throughput. This measures the claim instead of arguing it: the real bot, same
emulator, same replies, but `ReplyService.take` swapped for the least a reply could possibly
do in a database — one transaction of two statements (read the task, append the history row),
with no open-question check, no permission lookup, no assignment update and no pre-ping:

* `sqlalchemy`: those two statements through SQLAlchemy's asyncio engine, as dondoc runs;
* `psycopg`: the same two statements in hand-written SQL on one held psycopg connection,
  without SQLAlchemy at all;
* `pipeline`: not a floor but the reply's real statements (the open question, who is writing
  and where, the task, the history row, the assignment's state) compiled from the storage
  layer's own Core statements and sent on a held psycopg connection in *pipeline mode*: two
  network round trips in all, the fewest the reply's read-then-write can take.

Never shipped, never used outside the bench; the rows are labelled *experiment* and carry no
target. If even these stay under 0.5×, the target needs more than fewer statements.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import make_url
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.sql import ClauseElement

from bot.domain.permissions import Actor, ChatScope
from bot.domain.progress import ProgressError, parse_reply, pick_linked
from bot.domain.replies import Intent, ReplyItem
from bot.services.access import Identity, Who
from bot.services.progress import Recorded, Source
from bot.services.replies import Handled, NotAboutTasks, ReplyOutcome, ReplyService
from bot.services.reply_items import ItemOutcome, Stored
from storage.repositories import progress as progress_repo
from storage.repositories import tasks as task_repo
from storage.repositories.conversation import OPEN_QUESTION
from storage.repositories.people import WHO_AND_WHERE
from storage.unit_of_work import UnitOfWork

FLOORS = ("sqlalchemy", "psycopg", "pipeline")
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


def _compiled(statement: ClauseElement) -> tuple[str, dict[str, Any]]:
    """A Core statement as psycopg's SQL, with the values of its literal parameters."""
    compiled = statement.compile(dialect=postgresql.psycopg.dialect())  # type: ignore[attr-defined]
    return str(compiled), {k: v for k, v in compiled.params.items() if v is not None}


_PIPELINE = {
    "question": _compiled(OPEN_QUESTION),
    "who": _compiled(WHO_AND_WHERE),
    "target": _compiled(task_repo.REPORT_TARGET),
    "move": _compiled(task_repo.MOVE_ASSIGNMENT),
}
_APPEND_NAMED_SQL = (
    "INSERT INTO progress_updates (assignment_id, kind, status, percent, text, "
    "evidence_file_ids, author_user_id, author_name, source_chat_id, source_message_id, "
    "reverts_id, created_at) VALUES (%(assignment_id)s, %(kind)s, %(status)s, %(percent)s, "
    "%(text)s, %(evidence_file_ids)s, %(author_user_id)s, %(author_name)s, %(source_chat_id)s, "
    "%(source_message_id)s, %(reverts_id)s, %(created_at)s) RETURNING id"
)


def _history(
    assignment_id: int, kind: str, source: Source, now: Any, note: str, percent: int
) -> dict[str, Any]:
    """The columns of the history row a floor appends (those a real report writes)."""
    return {
        "assignment_id": assignment_id,
        "kind": kind,
        "status": "in_progress",
        "percent": percent,
        "text": note,
        "author_user_id": source.user_id,
        "author_name": source.name,
        "source_chat_id": source.chat_id,
        "source_message_id": source.message_id,
        "created_at": now,
    }


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
        # One held connection: the bot handles several chats' updates at once (issue 20),
        # and a connection runs one statement (one pipeline) at a time.
        self._turn = asyncio.Lock()

    async def take(
        self,
        identity: Identity,
        *,
        replied_message_id: int | None,
        text: str,
        evidence: tuple[str, ...],
        source: Source,
        to_person: bool = False,
        to_list: bool = False,
    ) -> ReplyOutcome:
        # The same keywords as ReplyService.take: a reply to a person or to a task list is not
        # one of the bench's reports.
        if replied_message_id is None or to_person or to_list:
            return NotAboutTasks()
        async with self._turn:
            return await self._take(identity, replied_message_id, text, evidence, source)

    async def _take(
        self,
        identity: Identity,
        replied_message_id: int,
        text: str,
        evidence: tuple[str, ...],
        source: Source,
    ) -> ReplyOutcome:
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
        elif self._floor == "pipeline":
            agency_id, agency_name, code, update_id = await self._pipelined(
                identity, assignment_id, report.kind.value, percent, report.note, source, now
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
        item = ReplyItem(Intent.PROGRESS, percent=percent, text=report.note)
        effect = Stored(report, recorded)
        return Handled(Who(actor, scope), (ItemOutcome(item, assignment_id, effect),))

    async def _linked(self, chat_id: int, message_id: int) -> tuple[int, ...]:
        key = (chat_id, message_id)
        if key not in self._links:
            self._links[key] = await self._real._conversation.linked(
                chat_id=chat_id, message_id=message_id
            )
        return self._links[key]

    async def _through_sqlalchemy(
        self, assignment_id: int, kind: str, percent: int, note: str, source: Source, now: Any
    ) -> tuple[int, str, str, int]:
        if self._engine is None:
            self._engine = create_async_engine(self._url, pool_size=5)  # no pre-ping
        async with UnitOfWork(async_sessionmaker(self._engine)) as uow:
            target = await task_repo.report_target(uow, assignment_id=assignment_id)
            assert target is not None
            update_id = await progress_repo.append_update(
                uow, **_history(assignment_id, kind, source, now, note, percent)
            )
        return target.agency_id, target.agency_name, target.task_code, update_id

    async def _through_psycopg(
        self, assignment_id: int, kind: str, percent: int, note: str, source: Source, now: Any
    ) -> tuple[int, str, str, int]:
        raw = await self._raw_connection()
        async with raw.transaction():
            cursor = await raw.execute(_TARGET_SQL, (assignment_id,))
            agency_id, agency_name, code = await cursor.fetchone()
            cursor = await raw.execute(
                _APPEND_SQL,
                (assignment_id, kind, percent, note, source.user_id, source.name,
                 source.chat_id, source.message_id, now),
            )  # fmt: skip
            (update_id,) = await cursor.fetchone()
        return agency_id, agency_name, code, update_id

    async def _pipelined(
        self,
        identity: Identity,
        assignment_id: int,
        kind: str,
        percent: int,
        note: str,
        source: Source,
        now: Any,
    ) -> tuple[int, str, str, int]:
        connection = await self._raw_connection()
        where = {"chat_id": identity.chat_id, "user_id": identity.user_id, "thread_id": 0}
        async with connection.pipeline() as pipeline, connection.transaction():
            reads = []
            for name, values in (("question", where), ("who", where),
                                 ("target", {"assignment_id": assignment_id})):  # fmt: skip
                sql, literals = _PIPELINE[name]
                reads.append(await connection.execute(sql, {**literals, **values}))
            await pipeline.sync()  # round trip 1: BEGIN and the three reads
            for cursor in reads[:2]:
                await cursor.fetchall()
            target = await reads[2].fetchone()
            values = progress_repo.update_values(
                **_history(assignment_id, kind, source, now, note, percent)
            )
            appended = await connection.execute(_APPEND_NAMED_SQL, values)
            sql, literals = _PIPELINE["move"]
            await connection.execute(
                sql,
                {**literals, "assignment_id": assignment_id, "new_status": "in_progress",
                 "new_percent": percent, "new_completed_on": None, "new_last_update_at": now},
            )  # fmt: skip
        (update_id,) = await appended.fetchone()  # round trip 2: the writes and COMMIT
        return target[1], target[2], target[3], update_id

    async def _raw_connection(self) -> Any:
        import psycopg

        if self._raw is None:
            url = make_url(self._url).set(drivername="postgresql")
            self._raw = await psycopg.AsyncConnection.connect(
                url.render_as_string(hide_password=False)
            )
        return self._raw

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
        if self._raw is not None:
            await self._raw.close()
