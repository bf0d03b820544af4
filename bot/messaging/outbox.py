"""The outbox's sender: one task per bot process that sends what the outbox holds
(bot/services/outbox.py tells the protocol), started and stopped with the Application.

* **Each chat at its own pace, none waiting for another.** A chat is written to at most once
  per `Pace` interval (a group: 3.05 s, under Telegram's 20 a minute; a private chat: 1 s);
  while a chat waits for its slot the sender goes on with the others, up to `concurrency`
  sends at once (the flood limiter keeps the overall 30 a second).
* **What piles up goes as one.** When a chat's slot comes and several messages of one family
  wait for it, they go as one message (bot/messaging/outbox_presenter.py), buttons and all.
* **Weather is waited out, the rest is shown.** A 5xx, a timeout or a lost connection is
  tried again with a backoff, a 429 after its `retry_after`, for `OUTBOX_RETRY_HOURS`; a
  chat that is gone ends its bindings (and the office is told); a message Telegram refuses,
  or one out of time, fails and the office is told what it said and where it was going.

`drain()` sends everything that is due and waits for it: the tests, the sandbox and the
benchmarks call it where production's task would simply run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from itertools import count

from telegram import Bot, InputFile
from telegram.error import BadRequest, ChatMigrated, NetworkError, RetryAfter, TelegramError

from bot.domain.periods import week
from bot.messaging.answer_bot import answer_bot
from bot.messaging.answers import not_answers, seconds_of
from bot.messaging.delivery import chat_gone, chat_moved, is_gone
from bot.messaging.outbox_presenter import (
    CHART,
    chart_week_end,
    coalesce,
    failed_notice,
    outgoing,
    render,
)
from bot.messaging.summary_presenter import chart_caption
from bot.messaging.texts import Texts, texts_for
from bot.reports.chart import render_chart
from bot.services import Services
from bot.services.outbox import Queued

log = logging.getLogger(__name__)
_SENDERS = count(1)
OUTBOX = "outbox_sender"  # its key in bot_data
REMINDERS = frozenset(
    {"digest", "escalation", "nudge"}
)  # the sweep's rows (bot/messaging/sweep.py)
SCAN_PER_CHAT = 10  # rows claimed for one chat at a time: what may be coalesced
PRUNE_EVERY = 3600.0  # seconds between two prunings of what was sent (OUTBOX_KEEP_DAYS)


@dataclass(frozen=True, slots=True)
class Pace:
    """Seconds between two messages to one chat (Telegram: 20 a minute in a group, about one
    a second in a private chat). `Pace(0, 0)`: no pacing (tests without a limiter)."""

    group: float = 3.05
    private: float = 1.0

    def interval(self, chat_id: int) -> float:
        return self.group if chat_id < 0 else self.private


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        services: Services,
        *,
        pace: Pace | None = None,
        concurrency: int = 8,
        poll: float = 1.0,
        name: str | None = None,
        purposes: frozenset[str] | None = None,
        skip_purposes: frozenset[str] = frozenset(),
    ) -> None:
        """`purposes`/`skip_purposes`: send only these kinds of rows, or all but these
        (production sends every kind; the morning-peak benchmark's old design splits them)."""
        self._bot = bot
        self._sends = answer_bot(bot)  # sends read only the new message's id (finding Q)
        self._services = services
        self.pace = pace or Pace()
        self.concurrency = concurrency
        self.poll = poll
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{next(_SENDERS)}"
        self._ready_at: dict[int, float] = {}  # chat -> loop time its next message may go
        self._inflight: dict[int, asyncio.Task[None]] = {}
        self._event: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self.sent = 0  # messages sent (a coalesced one counts once)
        self.purposes = purposes
        self.skip_purposes = skip_purposes
        self._prune_at: float | None = None  # loop time of the next pruning (None: at once)
        services.outbox.on_post(self.wake)

    def wake(self) -> None:
        if self._event is not None:
            self._event.set()

    async def start(self) -> None:
        if self._task is None:
            self._event = asyncio.Event()
            self._task = asyncio.create_task(self._run(), name="dondoc-outbox")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._inflight:
            await asyncio.gather(*self._inflight.values(), return_exceptions=True)
        try:
            await self._services.outbox.release_all(by=self.name)
        except Exception:  # the leases run out by themselves
            log.warning("could not release the outbox's claims", exc_info=True)

    async def _run(self) -> None:
        assert self._event is not None
        while True:
            self._event.clear()
            try:
                wait = await self.pump()
            except Exception:
                log.exception("the outbox's sender failed; it goes on")
                wait = self.poll
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), timeout=wait)

    def _waiting_chats(self) -> set[int]:
        now = asyncio.get_running_loop().time()
        for chat in [c for c, at in self._ready_at.items() if at <= now]:
            del self._ready_at[chat]
        return set(self._ready_at) | set(self._inflight)

    async def pump(self) -> float:
        """Claim what may go now and start sending it; returns the seconds until the next
        look (a chat's slot, or the poll for others' rows and retries)."""
        await self._prune_if_due()
        free = self.concurrency - len(self._inflight)
        if free > 0:
            claimed = await self._services.outbox.claim(
                by=self.name,
                skip_chats=self._waiting_chats(),
                max_chats=free,
                per_chat=SCAN_PER_CHAT,
                purposes=self.purposes,
                skip_purposes=self.skip_purposes,
                bulk=REMINDERS,  # a report's notice before the morning's reminders
            )
            by_chat: dict[int, list[Queued]] = {}
            for queued in claimed:
                by_chat.setdefault(queued.chat_id, []).append(queued)
            for chat_id, rows in by_chat.items():
                task = asyncio.create_task(self._send_chat(rows))
                self._inflight[chat_id] = task
                task.add_done_callback(partial(self._done, chat_id))
        now = asyncio.get_running_loop().time()
        slots = [at - now for at in self._ready_at.values() if at > now]
        return max(0.01, min([self.poll, *slots]))

    async def _prune_if_due(self) -> None:
        """Every `PRUNE_EVERY` seconds (and at start), delete what was sent more than
        OUTBOX_KEEP_DAYS ago; a failure waits for the next time."""
        now = asyncio.get_running_loop().time()
        if self._prune_at is not None and now < self._prune_at:
            return
        self._prune_at = now + PRUNE_EVERY
        try:
            pruned = await self._services.outbox.prune()
        except Exception:
            log.warning("outbox: pruning what was sent failed; next time", exc_info=True)
            return
        if pruned:
            log.info("outbox: %d sent messages older than the keep period deleted", pruned)

    def _done(self, chat_id: int, _task: asyncio.Task[None]) -> None:
        self._inflight.pop(chat_id, None)
        self.wake()

    async def drain(self) -> int:
        """Send everything due now, waiting for chats' slots and for sends under way; returns
        the messages sent. What is not due yet (a retry's backoff) stays."""
        before = self.sent
        while True:
            wait = await self.pump()
            if self._inflight:
                await asyncio.gather(*self._inflight.values(), return_exceptions=True)
                continue
            if not self._ready_at:
                return self.sent - before
            if not await self._due_for_waiting_chats():
                return self.sent - before
            await asyncio.sleep(wait)

    async def _due_for_waiting_chats(self) -> bool:
        """Whether a chat still waiting for its slot has something due (drain waits for it)."""
        waiting = set(self._ready_at)
        due = await self._services.outbox.next_due(skip_chats=set())
        if due is None or due > self._services.ctx.now():
            return False
        others = await self._services.outbox.next_due(skip_chats=waiting)
        return others is None or others > self._services.ctx.now()

    async def _send_chat(self, rows: Sequence[Queued]) -> None:
        outbox = self._services.outbox
        t = texts_for(None, self._services.ctx.settings.language)
        try:
            due = await outbox.still_due(rows)
            if withdrawn := len(rows) - len(due):
                chat = rows[0].chat_id
                log.info(
                    "outbox: %d reminder(s) to chat %s withdrawn: no task open", withdrawn, chat
                )
            if not due:
                return
            batch, rest = coalesce(t, due)
            await outbox.release(rest)
            await self._send(batch)
        except Exception:
            log.exception("outbox: sending to chat %s failed unexpectedly", rows[0].chat_id)

    async def _send(self, batch: list[Queued]) -> None:
        outbox = self._services.outbox
        texts = texts_for(None, self._services.ctx.settings.language)
        first = batch[0]
        loop = asyncio.get_running_loop()
        interval = self.pace.interval(first.chat_id)
        if interval:
            self._ready_at[first.chat_id] = loop.time() + interval
        try:
            with not_answers():
                message_id = await self._deliver(texts, batch)
        except RetryAfter as error:
            wait = seconds_of(error)
            self._ready_at[first.chat_id] = loop.time() + wait
            log.info("outbox: chat %s flood-limited for %.1f s", first.chat_id, wait)
            expired = await outbox.retry(batch, error=_said(error), wait=timedelta(seconds=wait))
            await self._failed(expired, _said(error))
            return
        except ChatMigrated as error:  # a supergroup now: everything waiting follows it
            await chat_moved(self._bot, self._services, first.chat_id, error.new_chat_id)
            await outbox.release(batch)
            self._ready_at.pop(first.chat_id, None)
            return
        except BadRequest as error:
            await outbox.fail(batch, error=_said(error))
            if is_gone(error):
                await self._gone(first.chat_id, str(error))
            else:
                await self._failed(batch, _said(error))
            return
        except NetworkError as error:  # 5xx, timeouts, lost connections: the weather
            log.info("outbox: send to chat %s failed, will retry: %s", first.chat_id, error)
            expired = await outbox.retry(batch, error=_said(error))
            await self._failed(expired, _said(error))
            return
        except TelegramError as error:  # Forbidden, a migrated chat...
            await outbox.fail(batch, error=_said(error))
            if is_gone(error):
                await self._gone(first.chat_id, str(error))
            else:
                await self._failed(batch, _said(error))
            return
        self.sent += 1
        await outbox.sent(batch, message_id=message_id)

    async def _deliver(self, texts: Texts, batch: list[Queued]) -> int:
        """One Bot API call: the batch as one message, or a weekly chart drawn now; the new
        message's id."""
        first = batch[0]
        thread = first.thread_id or None
        if first.purpose == CHART:
            week_end = chart_week_end(first)
            if week_end is None:
                raise BadRequest(f"a chart row without its week: {first.text[:40]!r}")
            ends_on = self._services.ctx.settings.weekly_summary_weekday
            try:
                rollup = await self._services.summary.rollup(
                    period=week(week_end, week_ends_on=ends_on)
                )
                png = await asyncio.to_thread(render_chart, rollup)
            except Exception as error:  # tried again like the weather, then shown as failed
                raise NetworkError(f"the chart could not be drawn: {error}") from error
            photo = await self._bot.send_photo(  # once a week: python-telegram-bot's own
                first.chat_id,
                InputFile(png, filename="tong-hop.png"),
                caption=chart_caption(rollup, self._services.ctx.settings.language),
                message_thread_id=thread,
            )
            return photo.message_id
        text, markup = render(texts, batch)
        return await self._sends.send(
            first.chat_id, text, reply_markup=markup, message_thread_id=thread
        )

    async def _gone(self, chat_id: int, reason: str) -> None:
        await chat_gone(self._services, chat_id, reason)

    async def _failed(self, batch: Sequence[Queued], error: str) -> None:
        """Tell the office of messages that will not be delivered (never of its own such
        notices: those are in `/hopthu` and `dondoc outbox --failed`)."""
        t = texts_for(None, self._services.ctx.settings.language)
        notices = []
        for queued in batch:
            log.warning(
                "outbox: message %s to chat %s failed: %s", queued.id, queued.chat_id, error
            )
            if queued.purpose == "failed":
                continue
            where = await self._services.bindings.chat_name(queued.chat_id, queued.thread_id)
            notices.append(
                outgoing(
                    failed_notice(t, queued, where=where, error=error),
                    to_office=True,
                    except_chat=queued.chat_id,
                    purpose="failed",
                    family="failed",
                    item=failed_notice(t, queued, where=where, error=error),
                )
            )
        if notices:
            await self._services.outbox.post(*notices)


def _said(error: TelegramError) -> str:
    return f"{type(error).__name__}: {error}"
