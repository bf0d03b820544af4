"""Answers to the person who wrote or pressed, carried through Telegram's brief failures.

While the bot handles an update, the application holds it in an `AnswerScope` (`answering`,
opened around each update by bot/app.py). Every call that answers *that* update (a message
to its chat, an edit of a message there, the answer to its button press) goes through
`AnswerRetry`, which wraps the flood limiter (bot/messaging/flood.py: answers take the next
free slot before the outbox's sends, and a 429 is waited out first):

* a 5xx, or a connection that never opened, did not take effect: tried again after
  `AnswerPolicy.delays` (0.5 s, 1.5 s, 3 s) while the update's budget lasts (10 s from the
  start of its handling: a chat's updates are handled one at a time, so a long wait holds
  up the next person there);
* a timeout or a dropped connection may have taken effect, and Telegram has no idempotency
  key. An edit or a button's answer is tried again like a 5xx: repeating it changes nothing,
  and Telegram's "message is not modified" / "query is too old" on the retry means the first
  one arrived. A message is sent again once only (`resend_after_doubt`): at worst the person
  sees it twice, rather than not at all;
* a 429 that still gets through (no limiter, or its retries spent) is waited out if it fits
  the budget;
* anything else (400, 403, a migrated chat) is not weather: raised at once.

An answer still undelivered is handed over (`hand_over_to` in bot/messaging/delivery.py: logged
with the update; a message is kept by the outbox, with the tasks it is about, `about_tasks`, and
sent when Telegram answers again) and never replaced by an apology:
a message raises `AnswerUndelivered`, which handlers/base.reply swallows so the handler's other
effects (telling the office, the agency) still happen; a button's answer returns False and an
edit True, so no handler stops half-way over them. The error handler stays silent on it.

Notifications to other chats and the scheduler's sends are not answers
(bot/messaging/delivery.py): they have their own retries, the short ones and the claims.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

import aiohttp
import httpx
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

from bot.messaging.aiohttp_request import NEVER_SENT
from bot.messaging.format import shorten
from bot.services.context import WriteJournal, watch_commits

log = logging.getLogger(__name__)
_TAGS = re.compile(r"<[^>]+>")  # the HTML of a text, left out of the log's summary

JSON = bool | dict[str, Any] | list[dict[str, Any]]


class AnswerKind(StrEnum):
    MESSAGE = "message"  # a new message: not idempotent
    EDIT = "edit"  # an edit of a message in the chat: the same edit twice changes nothing
    BUTTON = "button"  # the answer to the pressed button: once per press, Telegram says


ANSWER_METHODS: Mapping[str, AnswerKind] = {
    "sendMessage": AnswerKind.MESSAGE,
    "sendDocument": AnswerKind.MESSAGE,
    "sendPhoto": AnswerKind.MESSAGE,
    "sendMediaGroup": AnswerKind.MESSAGE,
    "copyMessage": AnswerKind.MESSAGE,
    "editMessageText": AnswerKind.EDIT,
    "editMessageCaption": AnswerKind.EDIT,
    "editMessageReplyMarkup": AnswerKind.EDIT,
    "answerCallbackQuery": AnswerKind.BUTTON,
}
# What Telegram says when the retried call finds the first one arrived.
ALREADY_DONE = {
    AnswerKind.EDIT: ("message is not modified",),
    AnswerKind.BUTTON: ("query is too old", "query id is invalid"),
}


@dataclass(frozen=True, slots=True)
class AnswerPolicy:
    """How hard an answer is tried. Time is injected (`sleep`, `clock`) so tests need no
    real waiting."""

    delays: tuple[float, ...] = (0.5, 1.5, 3.0)
    budget: float = 10.0  # seconds from the start of the update's handling
    resend_after_doubt: int = 1  # how often a message that may have arrived is sent again
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = time.monotonic


@dataclass(frozen=True, slots=True)
class UndeliveredAnswer:
    """An answer Telegram did not take: what the hand-over seam (and so the outbox) gets.

    `data` is the Bot API call's parameters as python-telegram-bot built them (enough to send
    it again); `may_have_arrived` is set when the last try timed out or lost its connection."""

    update_id: int
    chat_id: int | str | None
    method: str
    data: Mapping[str, Any]
    error: str
    may_have_arrived: bool
    # The tasks the message is about (a card): kept with it, so once it is sent a reply to it
    # is a report on them, as a reply to the card sent at once would be.
    assignment_ids: tuple[int, ...] = ()
    purpose: str = "answer"

    def summary(self) -> str:
        """A short line for the log: what it said, never more than 80 characters of it."""
        said = self.data.get("text") or self.data.get("caption")
        if said:
            return shorten(_TAGS.sub("", str(said)), 80)
        if self.method == "editMessageReplyMarkup":
            return f"(buttons of message {self.data.get('message_id')})"
        return f"({self.method})"


class AnswerUndelivered(NetworkError):
    """A message answering the update could not be sent; it was handed over."""

    def __init__(self, answer: UndeliveredAnswer) -> None:
        super().__init__(f"answer not delivered, handed over: {answer.error}")
        self.answer = answer


@dataclass
class AnswerScope:
    """The update being handled: which calls answer it, until when they may be retried, and
    what it stored (`journal.commits`, for the error handler)."""

    update_id: int
    chat_id: int | None
    query_id: str | None
    deadline: float
    journal: WriteJournal
    undelivered: list[UndeliveredAnswer] = field(default_factory=list)
    about: tuple[tuple[int, ...], str] = ((), "answer")  # set by `about_tasks`

    def kind_of(self, method: str, data: Mapping[str, Any]) -> AnswerKind | None:
        """The kind of answer this call is, or None when it answers someone else."""
        kind = ANSWER_METHODS.get(method)
        if kind is AnswerKind.BUTTON:
            own = self.query_id is not None and str(data.get("callback_query_id")) == self.query_id
            return kind if own else None
        if kind is None or self.chat_id is None or str(data.get("chat_id")) != str(self.chat_id):
            return None
        return kind

    @property
    def stored_something(self) -> bool:
        return self.journal.commits > 0


_SCOPE: ContextVar[AnswerScope | None] = ContextVar("dondoc_answer_scope", default=None)


def current_scope() -> AnswerScope | None:
    return _SCOPE.get()


@contextmanager
def not_answers() -> Iterator[None]:
    """Calls made in here answer no one (a notification to another chat): no answer retries."""
    token = _SCOPE.set(None)
    try:
        yield
    finally:
        _SCOPE.reset(token)


@contextmanager
def about_tasks(assignment_ids: Sequence[int], purpose: str) -> Iterator[None]:
    """The messages answering the update in here are about these tasks (a card): one handed
    over keeps them, and the outbox links it to them when it sends it."""
    scope = current_scope()
    if scope is None:
        yield
        return
    before = scope.about
    scope.about = (tuple(assignment_ids), purpose)
    try:
        yield
    finally:
        scope.about = before


def _may_have_arrived(error: NetworkError) -> bool:
    """A timeout or a connection lost once the request was out; not a 5xx (Telegram's front
    answered: nothing was done), not a connection that never opened or never left the pool.
    The cause is aiohttp's (production: bot/messaging/aiohttp_request.py) or httpx's (the
    tests' in-process transport, a request given by hand)."""
    cause = error.__cause__
    if isinstance(cause, NEVER_SENT | _HTTPX_NEVER_SENT):
        return False
    return isinstance(error, TimedOut) or isinstance(cause, aiohttp.ClientError | httpx.HTTPError)


_HTTPX_NEVER_SENT = httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout


def seconds_of(error: RetryAfter) -> float:
    # The private field is what python-telegram-bot's own limiter reads: the public one is an
    # int or a timedelta depending on an environment switch, and warns as an int.
    value = getattr(error, "_retry_after", None)
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value or 1)


Send = Callable[[], Coroutine[Any, Any, JSON]]


HandOver = Callable[[UndeliveredAnswer], None]


class AnswerRetry(BaseRateLimiter[int]):
    """python-telegram-bot's hook around every Bot API call (a rate limiter's), used to retry
    the calls that answer the update in hand; the flood limiter, when given, runs inside. The
    calls on the wire at once are bounded below both, by the request (bot/messaging/wire.py)."""

    def __init__(
        self,
        policy: AnswerPolicy,
        hand_over: HandOver,
        inner: BaseRateLimiter[int] | None = None,
    ) -> None:
        self.policy = policy
        self._hand_over = hand_over
        self._inner = inner

    async def initialize(self) -> None:
        if self._inner is not None:
            await self._inner.initialize()

    async def shutdown(self) -> None:
        if self._inner is not None:
            await self._inner.shutdown()

    @contextmanager
    def answering(self, update: Update) -> Iterator[AnswerScope]:
        """Hold `update` as the one being answered, and watch what it stores."""
        chat = update.effective_chat
        query = update.callback_query
        with watch_commits() as journal:
            scope = AnswerScope(
                update_id=update.update_id,
                chat_id=chat.id if chat else None,
                query_id=query.id if query else None,
                deadline=self.policy.clock() + self.policy.budget,
                journal=journal,
            )
            token = _SCOPE.set(scope)
            try:
                yield scope
            finally:
                _SCOPE.reset(token)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        def send() -> Coroutine[Any, Any, JSON]:
            if self._inner is None:
                return callback(*args, **kwargs)
            return self._inner.process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

        scope = current_scope()
        kind = scope.kind_of(endpoint, data) if scope is not None else None
        if scope is None or kind is None:
            return await send()
        return await self._answer(scope, kind, endpoint, data, send)

    async def _answer(
        self, scope: AnswerScope, kind: AnswerKind, endpoint: str, data: dict[str, Any], send: Send
    ) -> JSON:
        policy = self.policy
        resends = policy.resend_after_doubt
        doubted = False  # some try may have taken effect
        for attempt in range(len(policy.delays) + 1):
            try:
                return await send()
            except BadRequest as error:
                said = str(error).lower()
                if attempt and any(s in said for s in ALREADY_DONE.get(kind, ())):
                    return True  # an earlier try did arrive
                raise
            except RetryAfter as error:
                failure: NetworkError | RetryAfter = error
                wait = seconds_of(error)
            except NetworkError as error:
                failure = error
                if _may_have_arrived(error):
                    doubted = True
                    if kind is AnswerKind.MESSAGE:
                        if resends == 0:
                            break
                        resends -= 1
                wait = policy.delays[attempt] if attempt < len(policy.delays) else 0.0
            if attempt == len(policy.delays) or policy.clock() + wait > scope.deadline:
                break
            log.info(
                "answer to update %s (%s) failed: %s; trying again in %.1f s",
                scope.update_id,
                endpoint,
                failure,
                wait,
            )
            await policy.sleep(wait)
        answer = UndeliveredAnswer(
            update_id=scope.update_id,
            chat_id=data.get("chat_id", scope.chat_id),
            method=endpoint,
            data=dict(data),
            error=shorten(f"{type(failure).__name__}: {failure}", 200),
            may_have_arrived=doubted,
            assignment_ids=scope.about[0] if kind is AnswerKind.MESSAGE else (),
            purpose=scope.about[1] if kind is AnswerKind.MESSAGE else "answer",
        )
        scope.undelivered.append(answer)
        self._hand_over(answer)
        if kind is AnswerKind.BUTTON:
            return False
        if kind is AnswerKind.EDIT:
            return True
        raise AnswerUndelivered(answer) from failure
