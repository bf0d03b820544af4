"""Bot API answers to button presses: answerCallbackQuery, once per query, as on Telegram."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator.state import MAX_CALLBACK_ANSWER_LENGTH
from bot.sandbox.emulator.wire import JSONDict, bad_request

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import BotApiEmulator


class CallbackMethods:
    """Mixin for BotApiEmulator: answers to button presses (callback queries)."""

    def api_answerCallbackQuery(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        query = self._callbacks.get(query_id)
        if query is None or query["answered"]:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        self.callback_answers.append(
            {
                "callback_query_id": query_id,
                "text": text,
                "show_alert": bool(params.get("show_alert")),
                "url": params.get("url"),
                "cache_time": params.get("cache_time"),
                "user_id": query["user_id"],
                "data": query["data"],
            }
        )
        return True
