"""Bot API methods about chats: getChat, members and administrators, leaving, actions, pins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator.wire import JSONDict, bad_request, forbidden

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import BotApiEmulator


class ChatMethods:
    """Mixin for BotApiEmulator: reading chats and members, leaving, chat actions, pins."""

    def api_getChat(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        state = self._resolve_chat(params.get("chat_id"))
        if state.blocked and state.type != "private":
            raise forbidden(f"bot was kicked from the {state.type} chat")
        gifts = dict.fromkeys(
            ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription"), False
        )
        gifts["gifts_from_channels"] = False
        return {
            **state.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    def api_getChatMember(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        state = self._resolve_chat(params.get("chat_id"))
        user_id = self._int(params, "user_id")
        if user_id == self.bot_id:
            return self._member_dict(self.bot_user, state.bot_status)
        user = self.users.get(user_id or 0)
        if user is None:
            raise bad_request("user not found")
        if state.type == "private":
            status = "member" if user_id == state.id else "left"
        else:
            status = state.members.get(user_id or 0, "left")
        return self._member_dict(user, status)

    def api_getChatAdministrators(
        self: BotApiEmulator, params: JSONDict, files: Any
    ) -> list[JSONDict]:
        state = self._resolve_chat(params.get("chat_id"))
        if state.type == "private":
            raise bad_request("there are no administrators in the private chat")
        admins = [
            self._member_dict(self.users[uid], status)
            for uid, status in state.members.items()
            if status in ("creator", "administrator") and uid in self.users
        ]
        if state.bot_status == "administrator":
            admins.append(self._member_dict(self.bot_user, "administrator"))
        return admins

    def api_getChatMemberCount(self: BotApiEmulator, params: JSONDict, files: Any) -> int:
        state = self._resolve_chat(params.get("chat_id"))
        if state.type == "private":
            return 2
        active = ("creator", "administrator", "member", "restricted")
        return sum(1 for s in state.members.values() if s in active) + 1

    def api_leaveChat(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        state = self._resolve_chat(params.get("chat_id"))
        if state.type == "private":
            raise bad_request("chat member status can't be changed in private chats")
        old = state.bot_status
        state.bot_status = "left"
        self._enqueue(self._my_chat_member(state, self.bot_user, old, "left"))
        return True

    def api_sendChatAction(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        state = self._writable_chat(params.get("chat_id"))
        action = params.get("action")
        if not action:
            raise bad_request("action is empty")
        self.chat_actions.append({"chat_id": state.id, "action": action, "at": self.now()})
        return True

    def api_pinChatMessage(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        state = self._writable_chat(params.get("chat_id"))
        message_id = self._int(params, "message_id")
        self._message(state, message_id, "message to pin not found")
        state.pinned.append(message_id or 0)
        return True

    def api_unpinChatMessage(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        state = self._writable_chat(params.get("chat_id"))
        message_id = self._int(params, "message_id", required=False)
        if message_id is None and state.pinned:
            state.pinned.pop()
        elif message_id in state.pinned:
            state.pinned.remove(message_id)
        return True

    def _member_dict(self: BotApiEmulator, user: JSONDict, status: str) -> JSONDict:
        member: JSONDict = {"status": status, "user": dict(user)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            rights: tuple[str, ...] = (
                "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
                "can_manage_video_chats", "can_restrict_members", "can_promote_members",
                "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
                "can_delete_stories",
            )  # fmt: skip
            member |= dict.fromkeys(rights, False) | {"can_manage_chat": True}
            member["can_delete_messages"] = True
        elif status == "restricted":
            rights = (
                "is_member", "can_change_info", "can_invite_users", "can_pin_messages",
                "can_send_messages", "can_send_polls", "can_send_other_messages",
                "can_add_web_page_previews", "can_manage_topics", "can_send_audios",
                "can_send_documents", "can_send_photos", "can_send_videos",
                "can_send_video_notes", "can_send_voice_notes", "can_edit_tag",
            )  # fmt: skip
            member |= dict.fromkeys(rights, False) | {"is_member": True, "until_date": 0}
        elif status == "kicked":
            member["until_date"] = 0
        return member
