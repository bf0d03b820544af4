"""The user side, part two: what users write and tap, turned into Updates for the bot.

The methods build Telegram-shaped dicts (entities in UTF-16 offsets, forum replies, callback
queries) so PTB parses them as real ones; group privacy mode decides what the bot receives.
"""

from __future__ import annotations

import mimetypes
import re
import struct
import zlib
from typing import TYPE_CHECKING

from bot.sandbox.emulator.state import ChatState
from bot.sandbox.emulator.wire import JSONDict

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import BotApiEmulator

_COMMAND_RE = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}\b")
_URL_RE = re.compile(r"https?://[^\s<>\"]+")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def detect_entities(text: str) -> list[JSONDict]:
    """Entities Telegram adds to a user's plain text: bot commands, @mentions and URLs."""
    found: list[JSONDict] = []
    for kind, pattern in (("bot_command", _COMMAND_RE), ("mention", _MENTION_RE), ("url", _URL_RE)):
        for match in pattern.finditer(text):
            offset = _utf16(text[: match.start()])
            found.append({"type": kind, "offset": offset, "length": _utf16(match.group(0))})
    found.sort(key=lambda e: e["offset"])
    return found


def tiny_png(width: int = 1, height: int = 1) -> bytes:
    """A valid PNG of the given size (grey), so photo uploads pass image checks."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class UserMessages:
    """Mixin for BotApiEmulator: the levers a test pulls to play users writing to the bot."""

    def user_sends(
        self: BotApiEmulator,
        user_id: int,
        chat_id: int,
        text: str,
        *,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> JSONDict:
        """A user writes `text`; queues the Update and returns the Message dict."""
        fields: JSONDict = {"text": text}
        entities = detect_entities(text)
        if entities:
            fields["entities"] = entities
        return self._user_message(user_id, chat_id, fields, reply_to_message_id, message_thread_id)

    def user_sends_document(
        self: BotApiEmulator,
        user_id: int,
        chat_id: int,
        filename: str,
        data: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> JSONDict:
        """A user uploads a file; the bot can getFile + download it afterwards."""
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        with self._lock:
            record = self.store_file("document", data, filename, mime)
            fields: JSONDict = {"document": self.media_object("document", record)}
        return self._user_media(
            user_id, chat_id, fields, caption, reply_to_message_id, message_thread_id
        )

    def user_sends_photo(
        self: BotApiEmulator,
        user_id: int,
        chat_id: int,
        data: bytes | None = None,
        *,
        caption: str | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> JSONDict:
        data = data if data is not None else tiny_png(64, 48)
        with self._lock:
            record = self.store_file("photo", data, None, "image/jpeg")
            fields: JSONDict = {"photo": self.media_object("photo", record)}
        return self._user_media(
            user_id, chat_id, fields, caption, reply_to_message_id, message_thread_id
        )

    def user_sends_sticker(
        self: BotApiEmulator,
        user_id: int,
        chat_id: int,
        *,
        emoji: str = "👍",
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> JSONDict:
        with self._lock:
            record = self.store_file(
                "sticker", b"RIFF\x00\x00\x00\x00WEBP", "sticker.webp", "image/webp"
            )
            sticker = self.media_object("sticker", record) | {"emoji": emoji}
        return self._user_message(
            user_id, chat_id, {"sticker": sticker}, reply_to_message_id, message_thread_id
        )

    def user_sends_voice(
        self: BotApiEmulator,
        user_id: int,
        chat_id: int,
        *,
        duration: int = 4,
        data: bytes | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> JSONDict:
        """A user records a voice note (OGG/Opus, as phones send them)."""
        with self._lock:
            record = self.store_file("voice", data or b"OggS\x00voice", None, "audio/ogg")
            voice = self.media_object("voice", record) | {"duration": duration}
        return self._user_message(
            user_id, chat_id, {"voice": voice}, reply_to_message_id, message_thread_id
        )

    def user_edits(
        self: BotApiEmulator, user_id: int, chat_id: int, message_id: int, new_text: str
    ) -> JSONDict:
        """A user edits their text message: queues an edited_message update."""
        with self._lock:
            state = self._chat(chat_id)
            message = state.messages.get(message_id)
            if message is None or message.get("from", {}).get("id") != user_id:
                raise KeyError(f"user {user_id} has no message {message_id} in chat {chat_id}")
            if "text" not in message:
                raise ValueError("only text messages can be edited by user_edits")
            message["text"] = new_text
            entities = detect_entities(new_text)
            message.pop("entities", None)
            if entities:
                message["entities"] = entities
            message["edit_date"] = self.timestamp()
            self._enqueue({"edited_message": dict(message)})
            return dict(message)

    def user_presses(
        self: BotApiEmulator,
        user_id: int,
        chat_id: int,
        message_id: int,
        callback_data: str,
        *,
        strict: bool = True,
    ) -> str:
        """A user taps an inline button; returns the callback_query id to look answers up.

        With strict=True the button must exist on the message (as on a phone); pass
        strict=False to forge data, as a malicious client could.
        """
        with self._lock:
            user = self._user(user_id)
            state = self._chat(chat_id)
            message = state.messages.get(message_id)
            if message is None:
                raise KeyError(f"no message {message_id} in chat {chat_id}")
            if strict and callback_data not in [data for _, data in self.buttons(message)]:
                raise ValueError(f"message {message_id} has no button with data {callback_data!r}")
            query_id = str(4_000_000_000_000 + next(self._callback_ids))
            self._callbacks[query_id] = {
                "answered": False,
                "user_id": user_id,
                "data": callback_data,
            }
            query = {
                "id": query_id,
                "from": user,
                "message": dict(message),
                "chat_instance": str(abs(hash((chat_id, self.bot_id))) % 10**18),
                "data": callback_data,
            }
            self._enqueue({"callback_query": query})
            return query_id

    def feed_update(self: BotApiEmulator, update: JSONDict) -> JSONDict:
        """Queue a raw update as given (a fresh update_id is assigned): for fuzzing."""
        return self._enqueue({k: v for k, v in update.items() if k != "update_id"})

    # --- building blocks ----------------------------------------

    def _user_media(
        self: BotApiEmulator,
        user_id: int,
        chat_id: int,
        fields: JSONDict,
        caption: str | None,
        reply_to_message_id: int | None,
        message_thread_id: int | None,
    ) -> JSONDict:
        if caption:
            fields["caption"] = caption
            entities = detect_entities(caption)
            if entities:
                fields["caption_entities"] = entities
        return self._user_message(user_id, chat_id, fields, reply_to_message_id, message_thread_id)

    def _user_message(
        self: BotApiEmulator,
        user_id: int,
        chat_id: int,
        fields: JSONDict,
        reply_to_message_id: int | None,
        message_thread_id: int | None,
    ) -> JSONDict:
        with self._lock:
            user = self._user(user_id)
            if chat_id == user_id:
                state = self._private_chat(user_id)
            else:
                state = self._chat(chat_id)
                if state.members.get(user_id) in (None, "left", "kicked"):
                    state.members[user_id] = "member"
            reply_to = None
            if reply_to_message_id is not None:
                reply_to = state.messages.get(reply_to_message_id)
                if reply_to is None:
                    raise KeyError(f"no message {reply_to_message_id} in chat {chat_id}")
            thread_id = message_thread_id
            if thread_id is None and reply_to is not None:
                thread_id = reply_to.get("message_thread_id")
            if thread_id is not None and thread_id not in state.topics:
                raise KeyError(f"no topic {thread_id} in chat {chat_id}: create_topic() it")
            message = self.new_message(state, user, fields, reply_to=reply_to, thread_id=thread_id)
            if self._bot_receives(state, message):
                self._enqueue({"message": dict(message)})
            return dict(message)

    def _bot_receives(self: BotApiEmulator, state: ChatState, message: JSONDict) -> bool:
        """Group privacy mode: without it (or as admin) the bot sees everything."""
        if state.type == "private":
            return not state.blocked
        if state.bot_status not in ("member", "administrator", "creator"):
            return False
        if not self.privacy_mode or state.bot_status == "administrator":
            return True
        text = message.get("text") or message.get("caption") or ""
        reply = message.get("reply_to_message") or {}
        if reply.get("from", {}).get("id") == self.bot_id and "forum_topic_created" not in reply:
            return True
        mention = f"@{self.bot_username}".lower()
        command = _COMMAND_RE.match(text)
        if command and ("@" not in command.group(0) or command.group(0).lower().endswith(mention)):
            return True
        return mention in text.lower()
