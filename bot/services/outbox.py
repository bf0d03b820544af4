"""The outbox: every message to a chat other than the one being answered is written here, in
the same transaction as its cause, and sent by one sender (bot/messaging/outbox.py).

The protocol:

* **write** — `along(cause, then)` runs a use case and writes the messages `then` makes of
  its result in that use case's transaction (`post` joins whatever transaction is open): a
  report that is stored has its notification to the office stored with it, and one that
  is not stored has none. An audience (the office, an agency) is resolved to its chats here,
  one row per chat;
* **claim** — the sender takes what is due for the chats it may write to now (a lease of
  `LEASE`; PostgreSQL: `FOR UPDATE SKIP LOCKED`, so several instances take each row once);
* **outcome** — sent: the message id is recorded and the message linked to its tasks, in one
  transaction; a 5xx, a timeout or a 429: tried again after a backoff (or Telegram's
  `retry_after`) until `OUTBOX_RETRY_HOURS` after it was written; a chat that is gone, a
  request Telegram refuses, or time run out: failed, kept, and shown to the office.

A sender that dies holding a lease leaves its rows to be claimed again when the lease ends:
a message whose send reached Telegram just before the crash may then be seen twice (the same
at-least-once window as a reminder's, docs/reliability.md); none is lost.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.services.context import ServiceContext
from storage.repositories import bindings as binding_repo
from storage.repositories import conversation as conversation_repo
from storage.repositories import outbox as outbox_repo
from storage.repositories import tasks as task_repo
from storage.unit_of_work import UnitOfWork

T = TypeVar("T")
LEASE = timedelta(seconds=120)  # a claim outlives any send (python-telegram-bot's timeouts)
# Waits between tries of a message that failed for the weather (5xx, timeouts): quick at
# first, then every 15 minutes until OUTBOX_RETRY_HOURS.
BACKOFF = (2, 5, 15, 30, 60, 120, 300, 600, 900)
ERROR_CHARS = 300
# The sweep's reminders: about open tasks only (an agency's digest, the office's escalation).
# One whose tasks were all closed, reassigned or cancelled while it waited is withdrawn.
ABOUT_OPEN_TASKS = frozenset({"digest", "escalation"})
WITHDRAWN = "withdrawn: none of its tasks is still open"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message to write: to the office, to an agency's chats, or to one chat.

    `markup` is the inline keyboard as the Bot API has it (a dict; or a question's
    `force_reply`, for an answer kept here); `family` names messages
    that may go out as one when several wait for the same chat, each shown by its `item`
    (its lines), its buttons labelled with its `tag` (a task's code), `source` saying whom it
    is about. `assignment_ids` are remembered with the sent message (replies to it)."""

    text: str
    to_office: bool = False
    agency_id: int | None = None
    chat: tuple[int, int] | None = None  # (chat id, forum topic or 0)
    except_chat: int | None = None  # the office chat that is being answered, say
    markup: dict[str, Any] | None = None
    family: str | None = None
    item: str | None = None
    tag: str | None = None
    source: str | None = None
    assignment_ids: tuple[int, ...] = ()
    purpose: str = "notice"


@dataclass(frozen=True, slots=True)
class Queued:
    """A claimed message, as the sender sends it."""

    id: int
    chat_id: int
    thread_id: int
    text: str
    markup: dict[str, Any] | None
    family: str | None
    item: str | None
    tag: str | None
    source: str | None
    assignment_ids: tuple[int, ...]
    purpose: str
    created_at: datetime
    due_at: datetime
    attempts: int
    error: str | None = None
    failed_at: datetime | None = None


def _queued(row: Mapping[str, Any]) -> Queued:
    ids = tuple(int(i) for i in (row["assignment_ids"] or "").split(",") if i)
    return Queued(
        id=row["id"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        text=row["text"],
        markup=json.loads(row["markup"]) if row["markup"] else None,
        family=row["family"],
        item=row["item"],
        tag=row["tag"],
        source=row["source"],
        assignment_ids=ids,
        purpose=row["purpose"],
        created_at=row["created_at"],
        due_at=row["due_at"],
        attempts=row["attempts"],
        error=row["error"],
        failed_at=row["failed_at"],
    )


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try."""
    return timedelta(seconds=BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1])


class OutboxService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._listeners: list[Callable[[], None]] = []

    def on_post(self, listener: Callable[[], None]) -> None:
        """Call `listener` whenever messages were written and committed (the sender wakes)."""
        self._listeners.append(listener)

    def _wake(self) -> None:
        for listener in self._listeners:
            listener()

    async def post(self, *outgoing: Outgoing) -> int:
        """Write the messages (in the open transaction, if any); returns the rows written."""
        async with self._ctx.uow() as uow:
            return await self._write(uow, outgoing)

    async def along(
        self,
        cause: Awaitable[T],
        then: Callable[[T], Sequence[Outgoing] | Awaitable[Sequence[Outgoing]]],
    ) -> T:
        """Run `cause` (a use case, which joins this transaction) and write what `then` makes
        of its result (it may read, in the same transaction), in one transaction: both are
        stored, or neither."""
        async with self._ctx.uow() as uow:
            result = await cause
            made = then(result)
            if inspect.isawaitable(made):
                made = await made
            await self._write(uow, made)
        return result

    async def _write(self, uow: UnitOfWork, outgoing: Sequence[Outgoing]) -> int:
        rows: list[dict[str, Any]] = []
        now = self._ctx.now()
        for message in outgoing:
            for chat_id, thread_id in await self._chats(uow, message):
                rows.append(
                    {
                        "chat_id": chat_id,
                        "thread_id": thread_id,
                        "text": message.text,
                        "markup": json.dumps(message.markup, ensure_ascii=False)
                        if message.markup
                        else None,
                        "family": message.family,
                        "item": message.item,
                        "tag": message.tag,
                        "source": (message.source or "")[:300] or None,
                        "assignment_ids": ",".join(map(str, message.assignment_ids)) or None,
                        "purpose": message.purpose,
                        "created_at": now,
                        "due_at": now,
                        "attempts": 0,
                    }
                )
        if rows:
            await outbox_repo.add(uow, rows=rows)
            uow.after_commit(self._wake)
        return len(rows)

    async def _chats(self, uow: UnitOfWork, message: Outgoing) -> list[tuple[int, int]]:
        if message.chat is not None:
            chats = [message.chat]
        elif message.to_office:
            chats = await binding_repo.office_chats(uow, admin_ids=self._ctx.settings.admin_ids)
        elif message.agency_id is not None:
            chats = await binding_repo.agency_chats(uow, agency_id=message.agency_id)
        else:
            chats = []
        return [(c, t) for c, t in chats if c != message.except_chat]

    async def claim(
        self,
        *,
        by: str,
        skip_chats: set[int],
        max_chats: int,
        per_chat: int,
        purposes: Collection[str] | None = None,
        skip_purposes: Collection[str] = (),
        bulk: Collection[str] = (),
    ) -> list[Queued]:
        """Lease what is due (`purposes`/`skip_purposes`: of these kinds only, or not of
        these; production's sender takes every kind), rows of the `bulk` kinds after all
        others."""
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            rows = await outbox_repo.claim(
                uow,
                now=now,
                until=now + LEASE,
                by=by,
                skip_chats=skip_chats,
                max_chats=max_chats,
                per_chat=per_chat,
                purposes=purposes,
                skip_purposes=skip_purposes,
                bulk=bulk,
            )
        return [_queued(row) for row in rows]

    async def sent(self, queued: Sequence[Queued], *, message_id: int) -> None:
        """Record the message that carried these rows, and link it to their tasks."""
        first = queued[0]
        assignment_ids = [aid for q in queued for aid in q.assignment_ids]
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            await outbox_repo.sent(uow, ids=[q.id for q in queued], at=now, message_id=message_id)
            if assignment_ids:
                await conversation_repo.link_message(
                    uow,
                    chat_id=first.chat_id,
                    message_id=message_id,
                    assignment_ids=assignment_ids,
                    purpose=first.purpose,
                    at=now,
                )

    async def still_due(self, queued: Sequence[Queued]) -> list[Queued]:
        """The claimed rows still worth sending. A reminder waits (the morning's queue, a
        Telegram outage of hours) while the office reassigns or cancels its task or the agency
        finishes it; one whose tasks are none of them open any more is withdrawn (kept,
        settled, never sent), so an agency is not reminded of a task no longer its own. A
        digest with one task still open goes as written."""
        reminders = [q for q in queued if q.purpose in ABOUT_OPEN_TASKS and q.assignment_ids]
        if not reminders:
            return list(queued)
        async with self._ctx.uow() as uow:
            ids = {aid for q in reminders for aid in q.assignment_ids}
            open_ids = await task_repo.still_open(uow, assignment_ids=ids)
            stale = [q for q in reminders if not open_ids.intersection(q.assignment_ids)]
            if stale:
                await outbox_repo.withdraw(
                    uow, ids=[q.id for q in stale], at=self._ctx.now(), reason=WITHDRAWN
                )
        gone = {q.id for q in stale}
        return [q for q in queued if q.id not in gone]

    async def release(self, queued: Sequence[Queued]) -> None:
        if queued:
            async with self._ctx.uow() as uow:
                await outbox_repo.release(uow, ids=[q.id for q in queued])

    async def move_chat(self, *, old_chat_id: int, new_chat_id: int) -> int:
        """A group that became a supergroup: its waiting messages go to the new id."""
        async with self._ctx.uow() as uow:
            return await outbox_repo.move_chat(
                uow, old_chat_id=old_chat_id, new_chat_id=new_chat_id
            )

    async def release_all(self, *, by: str) -> None:
        async with self._ctx.uow() as uow:
            await outbox_repo.release_all(uow, by=by)

    async def retry(
        self, queued: Sequence[Queued], *, error: str, wait: timedelta | None = None
    ) -> list[Queued]:
        """Try these again later (after `wait`, or the backoff); those whose time is up
        (OUTBOX_RETRY_HOURS after they were written) fail instead and are returned."""
        now = self._ctx.now()
        limit = timedelta(hours=self._ctx.settings.outbox_retry_hours)
        expired = [q for q in queued if now - q.created_at >= limit]
        again = [q for q in queued if q not in expired]
        async with self._ctx.uow() as uow:
            for q in again:
                due = now + (wait if wait is not None else backoff(q.attempts + 1))
                await outbox_repo.retry_later(
                    uow,
                    ids=[q.id],
                    due_at=min(due, q.created_at + limit),
                    error=error[:ERROR_CHARS],
                )
            if expired:
                await outbox_repo.failed(
                    uow, ids=[q.id for q in expired], at=now, error=error[:ERROR_CHARS]
                )
        return expired

    async def fail(self, queued: Sequence[Queued], *, error: str) -> None:
        async with self._ctx.uow() as uow:
            await outbox_repo.failed(
                uow, ids=[q.id for q in queued], at=self._ctx.now(), error=error[:ERROR_CHARS]
            )

    async def next_due(self, *, skip_chats: set[int]) -> datetime | None:
        async with self._ctx.uow() as uow:
            return await outbox_repo.next_due(uow, skip_chats=skip_chats)

    async def prune(self) -> int:
        """Delete what was sent more than `OUTBOX_KEEP_DAYS` ago; failed rows are kept (the
        office's lists show them). Safe on any number of instances at once."""
        keep = timedelta(days=self._ctx.settings.outbox_keep_days)
        async with self._ctx.uow() as uow:
            return await outbox_repo.prune_sent(uow, sent_before=self._ctx.now() - keep)

    async def waiting(self, *, limit: int = 10) -> tuple[int, list[Queued]]:
        async with self._ctx.uow() as uow:
            count, rows = await outbox_repo.waiting(uow, limit=limit)
        return count, [_queued(row) for row in rows]

    async def failures(
        self, *, limit: int = 10, since: datetime | None = None
    ) -> tuple[int, list[Queued]]:
        async with self._ctx.uow() as uow:
            count, rows = await outbox_repo.failures(uow, since=since, limit=limit)
        return count, [_queued(row) for row in rows]
