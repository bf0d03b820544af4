"""The links of the bot's answers, written behind in batches (bench/README.md, finding G).

Every answer about a task (a report's confirmation, an undo, a card) is linked to its tasks
once sent, so that a reply to it is a report on them (docs/replies.md, "Nothing vanishes").
The message id exists only once Telegram has answered, so the link cannot ride in the
report's transaction; written at once, it was a transaction of its own after every report
(on PostgreSQL 3 of a reply's 10 round trips: BEGIN, INSERT, COMMIT). Instead `ConversationService.remember` keeps
the link in memory at once (this process finds it without a statement, written or not) and
hands the row to this writer:

* one task writes what is queued in one transaction (one INSERT for all its rows): at once
  when no link came for GATHER seconds, then, while links keep coming, every GATHER seconds
  or as soon as BATCH links wait. A burst of 200 confirmations in a second costs ~20 transactions, not 200
  (under the bench's burst on PostgreSQL, commits per reply fell from 2.04 to 1.05);
* a link reaches the table within GATHER plus one transaction (on SQLite plus its turn
  behind the units of work queued before it): tens of milliseconds (not measured under a
  burst, where the turn's wait adds a few units of work).
  A person sees the message, then replies: seconds. So another instance (PostgreSQL) finds
  it in the table, as a restarted one does;
* the application's shutdown writes what is queued (`close`). A write that fails is retried
  with backoff, logged with what it holds, never dropped in silence; a link the database
  refuses for good (a constraint) is logged link by link, and so is what still fails when
  the process stops;
* what a crash loses: the links queued in its last tens of milliseconds. A reply to such an
  answer is what a reply to any bot message naming no task is: a task code in it is read,
  otherwise the bot asks which task (buttons, nothing recorded until one is pressed).

The writer's transactions are its own: they run in an empty context, so they never claim
the update being handled (storage/ledger.py) nor count in its write journal.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Sequence

from bot.services.context import ServiceContext
from storage.repositories import conversation as conversation_repo
from storage.repositories.conversation import LinksRefused, SentLinks

log = logging.getLogger(__name__)

GATHER = 0.05  # seconds between two writes while links keep coming
BATCH = 500  # links written at once, at most; this many waiting are written without GATHER
RETRY_FIRST = 0.1  # seconds before the first retry of a failed write, doubled each time
RETRY_LAST = 30.0  # ... up to this
CLOSING_TRIES = 5  # at shutdown: this many tries, RETRY_FIRST apart, then the links are logged


class LinkWriter:
    """Writes the queued links of sent messages in batches (see the module)."""

    def __init__(self, ctx: ServiceContext, *, gather: float = GATHER, batch: int = BATCH) -> None:
        self._ctx = ctx
        self.gather = gather
        self._batch = batch
        self._queue: list[SentLinks] = []
        self._writing: Sequence[SentLinks] = ()
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()  # cuts the writer's pause short (renewed with the task)
        self._closing = False  # shutdown: no more pauses to gather
        self._hurry = False  # someone waits for the queue (`written`): no pause to gather

    def add(self, links: SentLinks) -> None:
        """Queue a sent message's links; the writer starts if it is not running."""
        self._queue.append(links)
        if self._task is None or self._task.done():
            self._start()
        elif len(self._queue) >= self._batch:
            self._wake.set()

    def waiting(self, chat_id: int, message_id: int) -> SentLinks | None:
        """The links of this message if they wait to be written (a miss in memory looks)."""
        for links in (*self._writing, *self._queue):
            if links.chat_id == chat_id and links.message_id == message_id:
                return links
        return None

    async def written(self) -> None:
        """Wait until everything queued so far is written (or given up at shutdown), without
        the pauses that gather a burst (the tests' harness; production never waits)."""
        while self._task is not None and not self._task.done():
            self._hurry = True
            self._wake.set()
            await asyncio.shield(self._task)

    async def close(self) -> None:
        """Write what is queued, now (the application's shutdown): CLOSING_TRIES tries at
        most, then what could not be written is logged link by link."""
        self._closing = True
        self._wake.set()
        if self._queue and (self._task is None or self._task.done()):
            self._start()
        await self.written()

    def _start(self) -> None:
        self._wake = asyncio.Event()
        # An empty context: the writer's transactions are not the update's (the module).
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name="dondoc-link-writer", context=contextvars.Context()
        )

    async def _run(self) -> None:
        """Write, then pause GATHER to let the next links gather, until nothing came in a
        pause: the first link after a quiet GATHER is written at once."""
        failures = 0
        try:
            while self._queue:
                rows, self._queue = self._queue[: self._batch], self._queue[self._batch :]
                self._writing = rows
                try:
                    await self._write(rows)
                except asyncio.CancelledError:  # the loop is going away: keep them for `close`
                    self._queue[:0] = rows
                    raise
                except Exception as error:  # the database is down or busy: try again later
                    self._queue[:0] = rows
                    failures += 1
                    if self._closing and failures >= CLOSING_TRIES:
                        self._give_up(error)
                        return
                    delay = min(RETRY_LAST, RETRY_FIRST * 2 ** (failures - 1))
                    log.warning(
                        "could not write the links of %d sent message(s) (%s), try %d: %r; "
                        "trying again in %.1f s (this process finds them meanwhile)",
                        len(self._queue), _describe(self._queue), failures, error, delay,
                    )  # fmt: skip
                    await self._pause(RETRY_FIRST if self._closing else delay)
                    continue
                finally:
                    self._writing = ()
                failures = 0
                if not (self._closing or self._hurry) and len(self._queue) < self._batch:
                    await self._pause(self.gather)  # let the next links of a burst gather
        finally:
            self._hurry = False

    async def _pause(self, seconds: float) -> None:
        """Sleep `seconds`, or less if woken (a wake before the pause cuts it short too)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def _write(self, rows: Sequence[SentLinks]) -> None:
        try:
            async with self._ctx.uow() as uow:
                await conversation_repo.link_messages(uow, links=rows)
        except LinksRefused:
            if len(rows) == 1:  # refused for good (its task is gone?): never written
                log.error(
                    "the links of a sent message were refused by the database and are not "
                    "stored (%s): a reply to it will be asked which task", _describe(rows),
                    exc_info=True,
                )  # fmt: skip
                return
            for one in rows:  # one refused link must not hold the others back
                await self._write([one])

    def _give_up(self, error: Exception) -> None:
        log.error(
            "stopping with the links of %d sent message(s) not written (%r): a reply to one of "
            "these messages will be asked which task: %s",
            len(self._queue), error, _describe(self._queue, every=True),
        )  # fmt: skip
        self._queue = []


def _describe(rows: Sequence[SentLinks], *, every: bool = False) -> str:
    """The links for the log: chat, message and assignments of each (the first few)."""
    shown = rows if every else rows[:5]
    text = "; ".join(
        f"chat {r.chat_id} message {r.message_id} -> {r.purpose} {list(r.assignment_ids)}"
        for r in shown
    )
    return text if len(shown) == len(rows) else f"{text}; and {len(rows) - len(shown)} more"
