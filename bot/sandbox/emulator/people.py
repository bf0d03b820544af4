"""The user side, part one: people, chats and membership, and the updates Telegram sends about them.

Kept apart from the Bot API side because tests read these as a script of what happens
around the bot (a user joins, the bot is added to a group, a group migrates, a user blocks
the bot); each builds the Telegram-shaped dicts (my_chat_member, service messages) PTB parses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.sandbox.emulator.state import ChatState
from bot.sandbox.emulator.wire import JSONDict

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import BotApiEmulator

_TOPIC_ICON_COLOR = 7322096


class PeopleAndChats:
    """Mixin for BotApiEmulator: who exists, who is in which chat, and changes to that."""

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

    # --- membership changes, as updates ----------------------------------------

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
