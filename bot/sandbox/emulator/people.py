"""The user side of the emulator: people, chats and what they do, turned into Updates.

Kept apart from the Bot API side (emulator.py) because tests read these as a script of what
users do, while the API side is what the bot sees. The methods build Telegram-shaped dicts
(entities in UTF-16 offsets, forum replies, my_chat_member) so PTB parses them as real ones.
"""

from __future__ import annotations

import mimetypes
import re
import struct
import zlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.emulator import BotApiEmulator, ChatState

JSONDict = dict[str, Any]

_COMMAND_RE = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}\b")
_URL_RE = re.compile(r"https?://[^\s<>\"]+")
_TOPIC_ICON_COLOR = 7322096


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


def _without_reply(message: JSONDict) -> JSONDict:
    """Telegram nests only one level of reply_to_message."""
    return {k: v for k, v in message.items() if k != "reply_to_message"}


class UserDriver:
    """Mixin for BotApiEmulator: the levers a test pulls to play users."""

    # --- people and chats ----------------------------------------------------------------

    def add_user(
        self: BotApiEmulator,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        language_code: str | None = "vi",
        last_name: str | None = None,
        is_bot: bool = False,
    ) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        with self._lock:
            self.users[user_id] = user
        return dict(user)

    def add_chat(
        self: BotApiEmulator,
        chat_id: int,
        type: str = "group",
        title: str | None = None,
        is_forum: bool = False,
        *,
        username: str | None = None,
    ) -> JSONDict:
        """Create a chat the bot is in (a private chat = the user has pressed Start)."""
        if type not in ("private", "group", "supergroup", "channel"):
            raise ValueError(f"unknown chat type {type!r}")
        chat: JSONDict = {"id": chat_id, "type": type}
        with self._lock:
            if type == "private":
                user = self.users.get(chat_id)
                if user is None:
                    raise KeyError(f"add_user({chat_id}, ...) before its private chat")
                chat |= {k: user[k] for k in ("first_name", "last_name", "username") if k in user}
            else:
                chat["title"] = title or f"Group {chat_id}"
                if username:
                    chat["username"] = username
                if is_forum:
                    if type != "supergroup":
                        raise ValueError("only supergroups can be forums")
                    chat["is_forum"] = True
            from bot.sandbox.emulator import ChatState

            state = self.chats.get(chat_id) or ChatState(chat)
            state.chat = chat
            if is_forum:  # message 1 is the General topic; real topics never get id 1
                state.next_message_id = max(state.next_message_id, 2)
            self.chats[chat_id] = state
        return dict(chat)

    def add_member(
        self: BotApiEmulator, chat_id: int, user_id: int, *, status: str = "member"
    ) -> None:
        """Make a known user a member (or "administrator"/"creator") without any update."""
        with self._lock:
            if user_id not in self.users:
                raise KeyError(f"unknown user {user_id}: add_user() it first")
            self._chat(chat_id).members[user_id] = status

    def set_member_status(self: BotApiEmulator, chat_id: int, user_id: int, status: str) -> None:
        """Change a member's status (or the bot's own, with user_id=emulator.bot_id)."""
        with self._lock:
            state = self._chat(chat_id)
            if user_id == self.bot_id:
                state.bot_status = status
            else:
                state.members[user_id] = status

    def create_topic(
        self: BotApiEmulator, chat_id: int, name: str, *, by_user_id: int | None = None
    ) -> int:
        """Open a forum topic; returns its message_thread_id (the service message's id)."""
        with self._lock:
            state = self._chat(chat_id)
            if not state.chat.get("is_forum"):
                raise ValueError(f"chat {chat_id} is not a forum")
            sender = self.users[by_user_id] if by_user_id is not None else self.bot_user
            thread_id = state.next_message_id
            fields = {"forum_topic_created": {"name": name, "icon_color": _TOPIC_ICON_COLOR}}
            state.topics[thread_id] = name
            message = self.new_message(state, sender, fields, thread_id=thread_id)
            if by_user_id is not None:
                self._enqueue({"message": message})
            return thread_id

    # --- what users do -------------------------------------------------------------------

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

    def user_joins(self: BotApiEmulator, chat_id: int, user_id: int) -> JSONDict:
        with self._lock:
            user = self._user(user_id)
            state = self._chat(chat_id)
            state.members[user_id] = "member"
            message = self.new_message(state, user, {"new_chat_members": [user]})
            self._enqueue({"message": message})
            return dict(message)

    def user_leaves(self: BotApiEmulator, chat_id: int, user_id: int) -> JSONDict:
        with self._lock:
            user = self._user(user_id)
            state = self._chat(chat_id)
            state.members[user_id] = "left"
            message = self.new_message(state, user, {"left_chat_member": user})
            self._enqueue({"message": message})
            return dict(message)

    def bot_added_to_group(
        self: BotApiEmulator,
        chat_id: int,
        by_user_id: int,
        *,
        chat_type: str = "group",
        title: str | None = None,
        is_forum: bool = False,
        as_admin: bool = False,
    ) -> JSONDict:
        """Someone adds the bot: my_chat_member + a new_chat_members message, like Telegram."""
        with self._lock:
            user = self._user(by_user_id)
            existing = self.chats.get(chat_id)
            old = existing.bot_status if existing else "left"
            if existing is None:
                self.add_chat(chat_id, chat_type, title, is_forum)
            state = self.chats[chat_id]
            state.members.setdefault(by_user_id, "creator" if existing is None else "member")
            state.blocked = False
            state.bot_status = "administrator" if as_admin else "member"
            self._enqueue(self._my_chat_member(state, user, old, state.bot_status))
            message = self.new_message(state, user, {"new_chat_members": [dict(self.bot_user)]})
            self._enqueue({"message": message})
            return dict(state.chat)

    def bot_removed_from_group(self: BotApiEmulator, chat_id: int, by_user_id: int) -> JSONDict:
        """Someone removes the bot: my_chat_member (kicked); later sends answer 403."""
        with self._lock:
            user = self._user(by_user_id)
            state = self._chat(chat_id)
            old, state.bot_status = state.bot_status, "kicked"
            return self._enqueue(self._my_chat_member(state, user, old, "kicked"))

    def migrate_group(self: BotApiEmulator, chat_id: int, new_chat_id: int) -> JSONDict:
        """A group becomes a supergroup: new id, service messages in both, old id answers 400
        with migrate_to_chat_id (PTB raises ChatMigrated)."""
        with self._lock:
            old = self._chat(chat_id)
            if old.type != "group":
                raise ValueError("only basic groups migrate")
            self.add_chat(new_chat_id, "supergroup", old.chat.get("title"))
            new = self.chats[new_chat_id]
            new.members = dict(old.members)
            new.bot_status = old.bot_status
            actor = next((self.users[u] for u, s in old.members.items() if s == "creator"), None)
            sender = actor or self.bot_user
            moved = self.new_message(old, sender, {"migrate_to_chat_id": new_chat_id})
            arrived = self.new_message(new, sender, {"migrate_from_chat_id": chat_id})
            old.migrated_to = new_chat_id
            self._enqueue({"message": moved})
            self._enqueue({"message": arrived})
            return dict(new.chat)

    def user_blocks_bot(self: BotApiEmulator, user_id: int) -> JSONDict:
        """The user blocks the bot in private: my_chat_member, then 403 on every send."""
        with self._lock:
            user = self._user(user_id)
            state = self._private_chat(user_id)
            state.blocked = True
            return self._enqueue(self._my_chat_member(state, user, "member", "kicked"))

    def user_unblocks_bot(self: BotApiEmulator, user_id: int) -> JSONDict:
        with self._lock:
            user = self._user(user_id)
            state = self._private_chat(user_id)
            state.blocked = False
            return self._enqueue(self._my_chat_member(state, user, "kicked", "member"))

    def feed_update(self: BotApiEmulator, update: JSONDict) -> JSONDict:
        """Queue a raw update as given (a fresh update_id is assigned): for fuzzing."""
        return self._enqueue({k: v for k, v in update.items() if k != "update_id"})

    # --- building blocks -----------------------------------------------------------------

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

    def _my_chat_member(
        self: BotApiEmulator, state: ChatState, actor: JSONDict, old: str, new: str
    ) -> JSONDict:
        return {
            "my_chat_member": {
                "chat": dict(state.chat),
                "from": dict(actor),
                "date": self.timestamp(),
                "old_chat_member": self._member_dict(self.bot_user, old),
                "new_chat_member": self._member_dict(self.bot_user, new),
            }
        }

    def _user(self: BotApiEmulator, user_id: int) -> JSONDict:
        user = self.users.get(user_id)
        if user is None:
            raise KeyError(f"unknown user {user_id}: add_user() it first")
        return dict(user)

    def _private_chat(self: BotApiEmulator, user_id: int) -> ChatState:
        if user_id not in self.chats:
            self.add_chat(user_id, "private")
        return self.chats[user_id]

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
