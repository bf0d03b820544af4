"""Faults to inject and Telegram's flood limits: how the emulator misbehaves on purpose.

A `FaultPlan` holds armed faults; each fires on the next matching calls, or on every Nth
(`every`), and a script gives each next call its own fault or none (see the package docstring
for how tests use it). `FloodLimits` answers 429 the way Telegram does once a per-bot,
per-group or per-private-chat rate is passed.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from bot.sandbox.emulator.wire import ApiError, HttpReply, too_many_requests


class FaultKind(StrEnum):
    BAD_GATEWAY = "bad_gateway"  # 502 with an HTML body, as nginx gives it
    SERVER_ERROR = "server_error"  # 500 with a JSON body
    TIMEOUT = "timeout"  # the answer never comes in time
    DROP = "drop"  # the connection is closed without an answer
    FLOOD = "flood"  # 429 with retry_after
    FORBIDDEN = "forbidden"  # 403
    SLOW = "slow"  # answer correctly, but after `delay` seconds


@dataclass
class Fault:
    """One armed fault: fires `remaining` times on matching calls, on every `every`th one
    (1: each; 4: the 4th, 8th, 12th… matching call)."""

    method: str
    kind: FaultKind
    remaining: int = 1
    retry_after: float = 5  # Telegram's are whole seconds; a fraction keeps tests quick
    delay: float | None = None
    description: str | None = None
    after: bool = False  # run the call first, then lose the answer (timeout/drop/5xx)
    chat_id: int | str | None = None
    every: int = 1
    seen: int = 0  # matching calls counted so far (for `every`)

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError("every must be 1 or more")

    def due(self) -> bool:
        """Whether the matching call just counted is one this fault fires on."""
        return self.seen % self.every == 0

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.remaining <= 0:
            return False
        if self.chat_id is not None and str(self.chat_id) != str(chat_id):
            return False
        if self.method == "*":
            return method != "getupdates"
        return self.method == method

    def reply(self) -> HttpReply:
        """What the client gets instead of (or, with `after`, in place of) the real answer."""
        if self.kind == FaultKind.BAD_GATEWAY:
            body = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>\r\n"
            return HttpReply(502, body, "text/html")
        if self.kind == FaultKind.SERVER_ERROR:
            return HttpReply.json(500, ApiError(500, "Internal Server Error").payload())
        if self.kind == FaultKind.FLOOD:
            return HttpReply.json(429, too_many_requests(self.retry_after).payload())
        if self.kind == FaultKind.FORBIDDEN:
            description = self.description or "Forbidden: bot was blocked by the user"
            return HttpReply.json(403, ApiError(403, description).payload())
        action: Literal["drop", "timeout"] = "drop" if self.kind == FaultKind.DROP else "timeout"
        return HttpReply(0, b"", action=action, delay=self.delay)


SCRIPT_KINDS = frozenset(
    {FaultKind.BAD_GATEWAY, FaultKind.SERVER_ERROR, FaultKind.TIMEOUT, FaultKind.DROP,
     FaultKind.FLOOD}
)  # fmt: skip


def script_step(step: str | FaultKind, method: str, retry_after: float) -> Fault:
    """One step of a script: a kind, or a kind with "_after" ("timeout_after": the call took
    effect, its answer was lost)."""
    name = str(step)
    after = name.endswith("_after")
    kind = FaultKind(name.removesuffix("_after"))
    if kind not in SCRIPT_KINDS or (after and kind is FaultKind.FLOOD):
        raise ValueError(f"a script step is a 5xx, timeout, drop or flood, not {name!r}")
    return Fault(method, kind, 1, retry_after=retry_after, after=after)


# Which calls a script takes, beyond its method: (method in lower case, chat_id) -> bool.
CallFilter = Callable[[str, Any], bool]


@dataclass
class FaultScript:
    """What each next matching call meets, in order: a fault, or None for a clean call."""

    method: str
    steps: deque[Fault | None]
    chat_id: int | str | None = None
    when: CallFilter | None = None

    def matches(self, method: str, chat_id: Any) -> bool:
        if not self.steps:
            return False
        probe = Fault(self.method, FaultKind.SLOW, chat_id=self.chat_id)
        return probe.matches(method, chat_id) and (self.when is None or self.when(method, chat_id))


class FaultPlan:
    """Faults to inject, per Bot API method ("*" = any but getUpdates, "file" = downloads)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._scripts: list[FaultScript] = []
        self._lock = threading.Lock()

    def inject(
        self, method: str, kind: FaultKind | str, *, times: int = 1, **options: Any
    ) -> Fault:
        fault = Fault(method.lower(), FaultKind(kind), times, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def bad_gateway(
        self, method: str = "*", *, times: int = 1, after: bool = False, every: int = 1
    ) -> Fault:
        return self.inject(method, FaultKind.BAD_GATEWAY, times=times, after=after, every=every)

    def server_error(
        self, method: str = "*", *, times: int = 1, after: bool = False, every: int = 1
    ) -> Fault:
        return self.inject(method, FaultKind.SERVER_ERROR, times=times, after=after, every=every)

    def timeout(
        self,
        method: str = "*",
        *,
        times: int = 1,
        delay: float | None = None,
        after: bool = False,
        every: int = 1,
    ) -> Fault:
        return self.inject(
            method, FaultKind.TIMEOUT, times=times, delay=delay, after=after, every=every
        )

    def drop(
        self, method: str = "*", *, times: int = 1, after: bool = False, every: int = 1
    ) -> Fault:
        return self.inject(method, FaultKind.DROP, times=times, after=after, every=every)

    def flood(
        self,
        method: str = "*",
        *,
        times: int = 1,
        retry_after: float = 1,
        chat_id: Any = None,
        every: int = 1,
    ) -> Fault:
        return self.inject(
            method,
            FaultKind.FLOOD,
            times=times,
            retry_after=retry_after,
            chat_id=chat_id,
            every=every,
        )

    def script(
        self,
        method: str,
        steps: Iterable[str | FaultKind | None],
        *,
        retry_after: float = 1,
        chat_id: Any = None,
        when: CallFilter | None = None,
    ) -> FaultScript:
        """Give each next matching call its own fault, in order (None: a clean call), before
        any armed fault is looked at: `script("*", [None, "server_error", "timeout_after"])`.
        A random schedule for a property test is one list; `when(method, chat_id)` narrows
        the calls it takes (two scripts with opposite filters share the calls out)."""
        key = method.lower()
        planned = deque(
            None if step is None else script_step(step, key, retry_after) for step in steps
        )
        script = FaultScript(key, planned, chat_id, when)
        with self._lock:
            self._scripts.append(script)
        return script

    def forbidden(
        self,
        method: str = "*",
        *,
        times: int = 1,
        description: str = "Forbidden: bot was blocked by the user",
        chat_id: Any = None,
    ) -> Fault:
        return self.inject(
            method, FaultKind.FORBIDDEN, times=times, description=description, chat_id=chat_id
        )

    def slow(self, method: str = "*", *, delay: float, times: int = 1) -> Fault:
        return self.inject(method, FaultKind.SLOW, times=times, delay=delay)

    def take(self, method: str, chat_id: Any = None) -> Fault | None:
        """The fault this call meets: the next step of the first script matching it (which
        may be a clean call), else one shot of the first armed fault that is due. Every
        matching armed fault counts the call (for `every`)."""
        key = method.lower()
        with self._lock:
            for script in self._scripts:
                if script.matches(key, chat_id):
                    return script.steps.popleft()
            chosen: Fault | None = None
            for fault in self._faults:
                if fault.matches(key, chat_id):
                    fault.seen += 1
                    if chosen is None and fault.due():
                        chosen = fault
            if chosen is not None:
                chosen.remaining -= 1
            return chosen

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._scripts.clear()

    @property
    def pending(self) -> int:
        """Shots not fired yet: armed faults' and scripts' (clean steps included)."""
        with self._lock:
            armed = sum(max(f.remaining, 0) for f in self._faults)
            return armed + sum(len(s.steps) for s in self._scripts)


# Calls that send a new message count against Telegram's flood limits.
SEND_METHODS = frozenset(
    {
        "sendmessage", "senddocument", "sendphoto", "sendsticker", "sendmediagroup",
        "copymessage", "forwardmessage", "sendaudio", "sendvideo", "sendvoice",
        "sendanimation", "sendlocation", "sendpoll", "sendcontact", "senddice",
    }
)  # fmt: skip


class FloodLimits:
    """Sliding windows like Telegram's: per bot per second, per group per minute, per private
    chat per second. A refused call is not counted."""

    def __init__(
        self,
        now: Callable[[], float],
        *,
        per_bot_per_second: int,
        per_chat_per_minute: int,
        private_per_second: int,
    ) -> None:
        self._now = now
        self._rules = {
            "bot": (per_bot_per_second, 1.0),
            "group": (per_chat_per_minute, 60.0),
            "private": (private_per_second, 1.0),
        }
        self._windows: dict[tuple[str, Any], deque[float]] = {}

    def check(self, chat_id: int, chat_type: str) -> int | None:
        """Record a send and return None, or return the retry_after (seconds) to answer."""
        now = self._now()
        keys = [("bot", None), ("private" if chat_type == "private" else "group", chat_id)]
        waits = []
        for key in keys:
            limit, span = self._rules[key[0]]
            window = self._windows.setdefault(key, deque())
            while window and window[0] <= now - span:
                window.popleft()
            if len(window) >= limit:
                waits.append(window[0] + span - now)
        if waits:
            return max(1, int(max(waits) + 0.999))
        for key in keys:
            self._windows[key].append(now)
        return None
