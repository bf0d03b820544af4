"""Faults to inject and Telegram's flood limits: how the emulator misbehaves on purpose.

A `FaultPlan` holds armed faults; each fires on the next matching calls (see the package
docstring for how tests use it). `FloodLimits` answers 429 the way Telegram does once a
per-bot, per-group or per-private-chat rate is passed.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
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
    """One armed fault: fires `remaining` times on matching calls."""

    method: str
    kind: FaultKind
    remaining: int = 1
    retry_after: float = 5  # Telegram's are whole seconds; a fraction keeps tests quick
    delay: float | None = None
    description: str | None = None
    after: bool = False  # run the call first, then lose the answer (timeout/drop/5xx)
    chat_id: int | str | None = None

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


class FaultPlan:
    """Faults to inject, per Bot API method ("*" = any but getUpdates, "file" = downloads)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def inject(
        self, method: str, kind: FaultKind | str, *, times: int = 1, **options: Any
    ) -> Fault:
        fault = Fault(method.lower(), FaultKind(kind), times, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def bad_gateway(self, method: str = "*", *, times: int = 1, after: bool = False) -> Fault:
        return self.inject(method, FaultKind.BAD_GATEWAY, times=times, after=after)

    def server_error(self, method: str = "*", *, times: int = 1, after: bool = False) -> Fault:
        return self.inject(method, FaultKind.SERVER_ERROR, times=times, after=after)

    def timeout(
        self, method: str = "*", *, times: int = 1, delay: float | None = None, after: bool = False
    ) -> Fault:
        return self.inject(method, FaultKind.TIMEOUT, times=times, delay=delay, after=after)

    def drop(self, method: str = "*", *, times: int = 1, after: bool = False) -> Fault:
        return self.inject(method, FaultKind.DROP, times=times, after=after)

    def flood(
        self, method: str = "*", *, times: int = 1, retry_after: float = 1, chat_id: Any = None
    ) -> Fault:
        return self.inject(
            method, FaultKind.FLOOD, times=times, retry_after=retry_after, chat_id=chat_id
        )

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
        """Consume one shot of the first fault matching this call."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method.lower(), chat_id):
                    fault.remaining -= 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(max(f.remaining, 0) for f in self._faults)


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
