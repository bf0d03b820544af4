"""Bot API methods about the bot itself: getMe, its command menus, descriptions, menu button."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator.wire import JSONDict, bad_request

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import BotApiEmulator


MENU_BUTTON_TYPES = frozenset({"commands", "web_app", "default"})


def scope_key(scope: Any, language_code: Any) -> str:
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    if isinstance(scope.get("chat_id"), str) and scope["chat_id"].lstrip("-").isdigit():
        scope = {**scope, "chat_id": int(scope["chat_id"])}
    if isinstance(scope.get("user_id"), str) and scope["user_id"].isdigit():
        scope = {**scope, "user_id": int(scope["user_id"])}
    return json.dumps(scope, sort_keys=True) + "|" + (language_code or "")


def scope_of(key: str) -> tuple[dict[str, Any], str]:
    """The scope and language a stored key was set for."""
    scope, _, language = key.rpartition("|")
    return json.loads(scope), language


def precedence(chat_type: str, chat_id: int, user_id: int, is_admin: bool) -> list[JSONDict]:
    """The scopes Telegram tries, in order, to pick the menu a user sees in a chat (Bot API,
    "Determining list of commands"); each is tried with the user's language, then without."""
    if chat_type == "private":
        return [
            {"type": "chat", "chat_id": chat_id},
            {"type": "all_private_chats"},
            {"type": "default"},
        ]
    scopes: list[JSONDict] = [{"type": "chat_member", "chat_id": chat_id, "user_id": user_id}]
    if is_admin:
        scopes.append({"type": "chat_administrators", "chat_id": chat_id})
    scopes.append({"type": "chat", "chat_id": chat_id})
    if is_admin:
        scopes.append({"type": "all_chat_administrators"})
    return [*scopes, {"type": "all_group_chats"}, {"type": "default"}]


class CommandMethods:
    """Mixin for BotApiEmulator: the bot's own profile, its command menus and descriptions."""

    def api_getMe(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        return dict(self.bot_user)

    def api_logOut(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        return True

    def api_close(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        return True

    def api_setMyCommands(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise bad_request("command description must be non-empty")
        if len(commands) > 100:
            raise bad_request("too many commands")
        key = scope_key(params.get("scope"), params.get("language_code"))
        self.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def api_getMyCommands(self: BotApiEmulator, params: JSONDict, files: Any) -> list[JSONDict]:
        return list(
            self.commands.get(scope_key(params.get("scope"), params.get("language_code")), [])
        )

    def api_deleteMyCommands(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        self.commands.pop(scope_key(params.get("scope"), params.get("language_code")), None)
        return True

    def api_setMyDescription(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        return True

    def api_setMyShortDescription(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        return True

    def api_setMyName(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        return True

    def api_setChatMenuButton(self: BotApiEmulator, params: JSONDict, files: Any) -> bool:
        """Recorded per chat ("default" without chat_id); a web_app button needs HTTPS."""
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
            raise bad_request("can't parse menu button JSON object")
        if button["type"] == "web_app":
            url = (button.get("web_app") or {}).get("url", "")
            if not str(button.get("text", "")).strip() or not re.match(r"https://\S+$", url):
                raise bad_request("BUTTON_URL_INVALID")
        self.menu_buttons[str(params.get("chat_id", "default"))] = dict(button)
        return True

    def api_getChatMenuButton(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        key = str(params.get("chat_id", "default"))
        return dict(
            self.menu_buttons.get(key) or self.menu_buttons.get("default") or {"type": "commands"}
        )
