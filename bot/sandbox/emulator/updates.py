"""Updates: the queue users fill, getUpdates (long polling), and the webhook settings.

An update stays pending until a later getUpdates confirms it with its offset, as on
Telegram: a bot that lost an answer gets the same updates again.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator.wire import ApiError, JSONDict, bad_request

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import BotApiEmulator


_ALL_UPDATE_TYPES = (
    "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
    "business_message", "edited_business_message", "deleted_business_messages",
    "message_reaction", "message_reaction_count", "inline_query", "chosen_inline_result",
    "callback_query", "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll",
    "poll_answer", "my_chat_member", "chat_member", "chat_join_request", "chat_boost",
    "removed_chat_boost",
)  # fmt: skip


class UpdateQueue:
    """Mixin for BotApiEmulator: the queue of updates, long polling and the webhook settings."""

    def _enqueue(self: BotApiEmulator, payload: JSONDict) -> JSONDict:
        """Queue an update (assigning its update_id) and wake any long poll."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **payload}
            self.updates.append(update)
            self._pending.append(update)
            self._notify()
        return update

    def _notify(self: BotApiEmulator) -> None:
        waiters = list(self._waiters)
        self._waiters.clear()
        for loop, future in waiters:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_resolve, future)

    def take_updates(self: BotApiEmulator) -> list[JSONDict]:
        """Hand over and confirm every pending update (for tests calling process_update)."""
        with self._lock:
            taken = list(self._pending)
            self._pending.clear()
            if taken:
                self._fetched_upto = max(self._fetched_upto, taken[-1]["update_id"])
            return taken

    def _collect_updates(self: BotApiEmulator, offset: int | None, limit: int) -> list[JSONDict]:
        if offset is not None:
            while self._pending and self._pending[0]["update_id"] < offset:
                self._pending.popleft()
        allowed = self._allowed_set()
        result = []
        for update in list(self._pending):
            if _update_type(update) not in allowed:
                self._pending.remove(update)
                continue
            result.append(update)
            if len(result) >= limit:
                break
        if result:
            self._fetched_upto = max(self._fetched_upto, result[-1]["update_id"])
            self._last_activity = time.monotonic()  # the bot has work now: not idle yet
        return result

    def _allowed_set(self: BotApiEmulator) -> set[str]:
        default_off = {"chat_member", "message_reaction", "message_reaction_count"}
        everything = set(_ALL_UPDATE_TYPES)
        if not self._allowed_updates:
            return everything - default_off
        return set(self._allowed_updates)

    async def api_getUpdates(self: BotApiEmulator, params: JSONDict, files: Any) -> list[JSONDict]:
        offset = self._int(params, "offset", required=False)
        limit = min(max(self._int(params, "limit", required=False) or 100, 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        with self._lock:
            if self.webhook.get("url"):
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if isinstance(params.get("allowed_updates"), list):
                self._allowed_updates = params["allowed_updates"]
            self._polled = True
            self._poll_generation += 1
            generation = self._poll_generation
            self._notify()  # an older long poll is now superseded
        while True:
            future: asyncio.Future[None] = loop.create_future()
            with self._lock:
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                updates = self._collect_updates(offset, limit)
                if updates or loop.time() >= deadline:
                    return updates
                self._waiters.append((loop, future))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(future, deadline - loop.time())

    def api_setWebhook(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        url = params.get("url") or ""
        if url and not str(url).startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {
            "url": url,
            "has_custom_certificate": "certificate" in files,
            "max_connections": params.get("max_connections", 40),
            "allowed_updates": params.get("allowed_updates"),
            "secret_token": params.get("secret_token"),
        }
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def api_deleteWebhook(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        self.webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def api_getWebhookInfo(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": bool(self.webhook.get("has_custom_certificate")),
            "pending_update_count": len(self._pending),
        }
        if info["url"]:
            info["max_connections"] = self.webhook.get("max_connections", 40)
        if self.webhook.get("allowed_updates"):
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return info


def _update_type(update: Mapping[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
