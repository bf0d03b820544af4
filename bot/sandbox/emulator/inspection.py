"""What tests read and wait for: messages in a chat, what was sent, counts, idleness."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator.commands import precedence, scope_key, scope_of
from bot.sandbox.emulator.formatting import plain_text
from bot.sandbox.emulator.state import SentRecord, buttons
from bot.sandbox.emulator.wire import JSONDict

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import BotApiEmulator


class Inspection:
    """Mixin for BotApiEmulator: what tests read and wait for."""

    plain_text = staticmethod(plain_text)
    buttons = staticmethod(buttons)

    def messages_in(
        self: BotApiEmulator, chat_id: int, *, include_users: bool = False
    ) -> list[JSONDict]:
        """Current state (after edits, without deleted ones) of the messages in a chat."""
        with self._lock:
            state = self.chats.get(chat_id)
            if state is None:
                return []
            return [
                dict(message)
                for _, message in sorted(state.messages.items())
                if include_users or message.get("from", {}).get("id") == self.bot_id
            ]

    def last_message(self: BotApiEmulator, chat_id: int) -> JSONDict | None:
        messages = self.messages_in(chat_id)
        return messages[-1] if messages else None

    def message(self: BotApiEmulator, chat_id: int, message_id: int) -> JSONDict | None:
        with self._lock:
            state = self.chats.get(chat_id)
            found = state.messages.get(message_id) if state else None
            return dict(found) if found else None

    def sent_to(self: BotApiEmulator, chat_id: int) -> list[SentRecord]:
        with self._lock:
            return [record for record in self.sent if record.chat_id == chat_id]

    def count(self: BotApiEmulator, method: str) -> int:
        """How many times the bot called `method` (case-insensitive)."""
        with self._lock:
            return sum(1 for call in self.calls if call.method.lower() == method.lower())

    def retry_waits(self: BotApiEmulator, method: str) -> list[float]:
        """For each call of `method` answered 429, the real seconds until the client called
        `method` again for the same chat: a client honouring retry_after waits at least that
        long (a test arms a short `faults.flood(retry_after=0.2)` and checks the wait)."""
        with self._lock:
            calls = [c for c in self.calls if c.method.lower() == method.lower()]
        waits = []
        for n, call in enumerate(calls):
            if call.status != 429:
                continue
            chat = str(call.params.get("chat_id"))
            retry = next((c for c in calls[n + 1 :] if str(c.params.get("chat_id")) == chat), None)
            if retry is not None:
                waits.append(retry.arrived - call.arrived)
        return waits

    def get_commands(
        self: BotApiEmulator, scope: JSONDict | None = None, language_code: str = ""
    ) -> list[JSONDict]:
        with self._lock:
            return list(self.commands.get(scope_key(scope, language_code), []))

    def command_scopes(self: BotApiEmulator) -> list[tuple[JSONDict, str, list[str]]]:
        """Every menu set: (scope, language code or "", command names), as recorded."""
        with self._lock:
            return [
                (*scope_of(key), [c["command"] for c in commands])
                for key, commands in self.commands.items()
            ]

    def menu_for(
        self: BotApiEmulator, chat_id: int, user_id: int, language_code: str = ""
    ) -> list[str]:
        """The command names Telegram would show `user_id` in `chat_id`: the first scope, in
        Telegram's order of precedence, that has a menu (with the user's language first)."""
        with self._lock:
            state = self.chats.get(chat_id)
            chat_type = state.type if state else "private"
            status = state.members.get(user_id) if state else None
            is_admin = status in ("administrator", "creator")
            for scope in precedence(chat_type, chat_id, user_id, is_admin):
                for language in ([language_code] if language_code else []) + [""]:
                    commands = self.commands.get(scope_key(scope, language))
                    if commands:
                        return [c["command"] for c in commands]
            return []

    @property
    def pending_updates(self: BotApiEmulator) -> int:
        with self._lock:
            return sum(1 for update in self._pending if update["update_id"] > self._fetched_upto)

    async def wait_for(
        self: BotApiEmulator,
        predicate: Callable[[], Any],
        timeout: float = 5,  # noqa: ASYNC109 - a test helper's deadline, not an I/O timeout
        *,
        interval: float = 0.005,
    ) -> Any:
        """Poll `predicate` until it returns something truthy; return that value."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout}s")
            await asyncio.sleep(interval)

    async def wait_idle(self: BotApiEmulator, timeout: float = 5, *, quiet: float = 0.05) -> None:  # noqa: ASYNC109
        """Wait until a polling bot has fetched every queued update and gone quiet.

        "Quiet" means no Bot API call (other than getUpdates) in flight and none started or
        finished, and no update handed out, for `quiet` seconds. Without a poller (tests using process_update) only the
        quiet period is awaited.
        """

        def idle() -> bool:
            with self._lock:
                fetched = not self._polled or self.pending_updates == 0
                calm = self._inflight == 0 and time.monotonic() - self._last_activity >= quiet
                return fetched and calm

        try:
            await self.wait_for(idle, timeout, interval=min(quiet / 5, 0.01))
        except TimeoutError:
            raise TimeoutError(
                f"emulator not idle after {timeout}s: {self.pending_updates} updates unfetched, "
                f"{self._inflight} calls in flight"
            ) from None
