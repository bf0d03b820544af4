"""Bot API methods on messages: send, copy, forward, edit, delete; markup and replies checked.

Every message the bot posts or changes is also recorded (`emulator.sent`, a `SentRecord`)
with its text as sent and as a phone shows it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator.formatting import ParsedText, parse_formatted, trim_parsed
from bot.sandbox.emulator.state import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_INLINE_BUTTONS,
    MAX_TEXT_LENGTH,
    ChatState,
    FileRecord,
    SentRecord,
)
from bot.sandbox.emulator.wire import JSONDict, bad_request

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import BotApiEmulator


_CONTENT_KEYS = frozenset(
    {"text", "entities", "caption", "caption_entities", "document", "photo", "sticker"}
)


_BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip


def _without_reply(message: JSONDict) -> JSONDict:
    """Telegram nests only one level of reply_to_message."""
    return {k: v for k, v in message.items() if k != "reply_to_message"}


def _has_web_app(markup: JSONDict) -> bool:
    return any("web_app" in button for row in markup["inline_keyboard"] for button in row)


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode()) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif "web_app" in button:
        web_app = button["web_app"]
        url = web_app.get("url", "") if isinstance(web_app, dict) else ""
        if not re.match(r"https://\S+$", str(url)):
            raise bad_request("BUTTON_URL_INVALID")  # a Mini App is served over HTTPS only
    elif "url" in button:
        if not re.match(r"(https?|tg)://\S+$", str(button["url"])):
            raise bad_request(
                f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL"
            )
    elif not any(action in button for action in _BUTTON_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


class MessageMethods:
    """Mixin for BotApiEmulator: sending, copying, forwarding, editing and deleting messages."""

    def api_sendMessage(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        state = self._writable_chat(params.get("chat_id"))
        raw = params.get("text")
        raw = "" if raw is None else str(raw)
        parsed = self._format(raw, params.get("parse_mode"), params.get("entities"))
        if not parsed.text:
            raise bad_request("message text is empty")
        if len(parsed.text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        fields: JSONDict = {"text": parsed.text}
        if parsed.entities:
            fields["entities"] = parsed.entities
        if isinstance(params.get("link_preview_options"), dict):
            fields["link_preview_options"] = params["link_preview_options"]
        message = self._post_bot_message(state, params, fields)
        self._record("sendMessage", state, message, params, raw)
        return message

    def api_copyMessage(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        source = self._resolve_chat(params.get("from_chat_id"))
        original = self._message(
            source, self._int(params, "message_id"), "message to copy not found"
        )
        state = self._writable_chat(params.get("chat_id"))
        fields = {k: v for k, v in original.items() if k in _CONTENT_KEYS}
        message = self._post_bot_message(state, params, fields)
        self._record("copyMessage", state, message, params, message.get("text"))
        return {"message_id": message["message_id"]}

    def api_forwardMessage(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        source = self._resolve_chat(params.get("from_chat_id"))
        original = self._message(
            source, self._int(params, "message_id"), "message to forward not found"
        )
        state = self._writable_chat(params.get("chat_id"))
        fields = {k: v for k, v in original.items() if k in _CONTENT_KEYS}
        fields["forward_origin"] = {
            "type": "user",
            "sender_user": original.get("from", self.bot_user),
            "date": original["date"],
        }
        message = self._post_bot_message(state, params, fields)
        self._record("forwardMessage", state, message, params, message.get("text"))
        return message

    def api_editMessageText(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        state, message = self._editable(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        raw = "" if params.get("text") is None else str(params.get("text"))
        parsed = self._format(raw, params.get("parse_mode"), params.get("entities"))
        if not parsed.text:
            raise bad_request("message text is empty")
        if len(parsed.text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        markup = self._markup(params.get("reply_markup"))
        self._ensure_modified(message, parsed, markup, "text", "entities")
        message["text"] = parsed.text
        self._set_optional(message, "entities", parsed.entities)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = self.timestamp()
        self._record("editMessageText", state, message, params, raw)
        return dict(message)

    def api_editMessageCaption(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        state, message = self._editable(params)
        if "text" in message:
            raise bad_request("there is no caption in the message to edit")
        raw = "" if params.get("caption") is None else str(params.get("caption"))
        parsed = self._format(raw, params.get("parse_mode"), params.get("caption_entities"))
        if len(parsed.text) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        markup = self._markup(params.get("reply_markup"))
        self._ensure_modified(message, parsed, markup, "caption", "caption_entities")
        self._set_optional(message, "caption", parsed.text)
        self._set_optional(message, "caption_entities", parsed.entities)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = self.timestamp()
        self._record("editMessageCaption", state, message, params, raw)
        return dict(message)

    def api_editMessageReplyMarkup(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        state, message = self._editable(params)
        markup = self._markup(params.get("reply_markup"))
        if (markup or None) == (message.get("reply_markup") or None):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = self.timestamp()
        self._record("editMessageReplyMarkup", state, message, params, None)
        return dict(message)

    def api_deleteMessage(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        state = self._writable_chat(params.get("chat_id"))
        message_id = self._int(params, "message_id")
        message = self._message(state, message_id, "message to delete not found")
        self._ensure_deletable(state, message)
        del state.messages[message_id or 0]
        self._record("deleteMessage", state, {"message_id": message_id}, params, None)
        return True

    def api_deleteMessages(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        state = self._writable_chat(params.get("chat_id"))
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must be a non-empty list of at most 100 ids")
        for message_id in ids:
            message = state.messages.get(int(message_id))
            if message is not None:
                self._ensure_deletable(state, message)
                del state.messages[int(message_id)]
                self._record("deleteMessage", state, {"message_id": int(message_id)}, params, None)
        return True

    def _ensure_deletable(self: BotApiEmulator, state: ChatState, message: JSONDict) -> None:
        """In groups only an admin bot may delete other people's messages."""
        own = message.get("from", {}).get("id") == self.bot_id
        if state.type != "private" and not own and state.bot_status != "administrator":
            raise bad_request("message can't be deleted")

    def _format(self: BotApiEmulator, raw: str, parse_mode: Any, entities: Any) -> ParsedText:
        if parse_mode:
            parsed = parse_formatted(raw, str(parse_mode))
        else:
            parsed = ParsedText(raw, list(entities) if isinstance(entities, list) else [])
        for entity in parsed.entities:  # Telegram returns the whole user of a text mention
            if entity.get("type") == "text_mention":
                user_id = entity["user"]["id"]
                entity["user"] = dict(
                    self.users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": ""}
                )
        return trim_parsed(parsed)

    def _markup(self: BotApiEmulator, markup: Any) -> JSONDict | None:
        """Validate reply_markup as Telegram does; return it as stored on the message."""
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            return None  # reply keyboards and force_reply are not part of the message
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
            raise bad_request("reply markup is too long")
        for row in rows:
            for button in row:
                _check_button(button)
        rows = [row for row in rows if row]
        return {"inline_keyboard": rows} if rows else None

    def _reply_target(self: BotApiEmulator, state: ChatState, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        message_id = None
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
        elif params.get("reply_to_message_id") not in (None, ""):
            message_id = self._int(params, "reply_to_message_id")
        if message_id is None:
            return None
        target = state.messages.get(int(message_id))
        if target is None and not allow_missing:
            raise bad_request("message to be replied not found")
        return target

    def _thread(self: BotApiEmulator, state: ChatState, params: JSONDict) -> int | None:
        thread_id = self._int(params, "message_thread_id", required=False)
        if thread_id is None or not state.chat.get("is_forum"):
            return None
        if thread_id in state.topics:
            return thread_id
        if thread_id == 1:  # the General topic: messages there carry no thread id
            return None
        raise bad_request("message thread not found")

    def new_message(
        self: BotApiEmulator,
        state: ChatState,
        sender: JSONDict,
        fields: JSONDict,
        *,
        reply_to: JSONDict | None = None,
        thread_id: int | None = None,
    ) -> JSONDict:
        """Store a message in a chat and return it (forum messages reply to the topic root)."""
        message_id = self._next_message_id(state)
        message: JSONDict = {
            "message_id": message_id,
            "from": dict(sender),
            "chat": dict(state.chat),
            "date": self.timestamp(),
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        message.update(fields)
        if reply_to is None and thread_id is not None and thread_id != message_id:
            reply_to = state.messages.get(thread_id)
        if reply_to is not None:
            message["reply_to_message"] = _without_reply(reply_to)
        state.messages[message_id] = message
        return message

    def _post_bot_message(
        self: BotApiEmulator, state: ChatState, params: JSONDict, fields: JSONDict
    ) -> JSONDict:
        """Store a message from the bot with reply, thread and markup resolved."""
        markup = self._markup(params.get("reply_markup"))
        if markup and state.chat.get("type") != "private" and _has_web_app(markup):
            # Telegram: web_app buttons are "available only in private chats".
            raise bad_request("BUTTON_TYPE_INVALID")
        target = self._reply_target(state, params)
        thread_id = self._thread(state, params)
        if target is not None and thread_id is None and target.get("message_thread_id"):
            thread_id = target["message_thread_id"]
        message = self.new_message(
            state, self.bot_user, fields, reply_to=target, thread_id=thread_id
        )
        if markup:
            message["reply_markup"] = markup
        return dict(message)

    def _editable(self: BotApiEmulator, params: JSONDict) -> tuple[ChatState, JSONDict]:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the emulator")
        state = self._writable_chat(params.get("chat_id"))
        message = self._message(state, self._int(params, "message_id"), "message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise bad_request("message can't be edited")
        return state, message

    @staticmethod
    def _ensure_modified(
        message: JSONDict, parsed: ParsedText, markup: JSONDict | None, text_key: str, ent_key: str
    ) -> None:
        same_text = message.get(text_key, "") == parsed.text
        same_entities = (message.get(ent_key) or []) == parsed.entities
        if same_text and same_entities and (message.get("reply_markup") or None) == markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )

    @staticmethod
    def _set_optional(message: JSONDict, key: str, value: Any) -> None:
        if value:
            message[key] = value
        else:
            message.pop(key, None)

    def _record(
        self: BotApiEmulator,
        method: str,
        state: ChatState,
        message: JSONDict,
        params: JSONDict,
        raw_text: Any,
        file: FileRecord | None = None,
    ) -> None:
        reply = message.get("reply_to_message") or {}
        self.sent.append(
            SentRecord(
                method=method,
                chat_id=state.id,
                message_id=message.get("message_id"),
                text=None if raw_text is None else str(raw_text),
                plain=message.get("text", message.get("caption")),
                parse_mode=params.get("parse_mode"),
                reply_markup=params.get("reply_markup") or message.get("reply_markup"),
                reply_to_message_id=reply.get("message_id"),
                message_thread_id=message.get("message_thread_id"),
                timestamp=self.now(),
                filename=file.filename if file else None,
                data=file.data if file else None,
                mime_type=file.mime_type if file else None,
                params=dict(params),
            )
        )
