"""The command menu (setMyCommands): in LANGUAGE for everyone, or also in English for English
clients when FOLLOW_TELEGRAM_LANGUAGE is on; the office's commands only in the admins'
private chats."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import Application

from bot.messaging.texts import Texts

log = logging.getLogger(__name__)

AGENCY_COMMANDS = ("nhiemvu", "capnhat", "tamdung", "tieptuc", "dangky", "trogiup")
ADMIN_COMMANDS = (
    "nhapvanban", "tonghop", "xuatbaocao", "nhiemvu", "giaoviec", "moi",
    "nhacngay", "vanphong", "ganket", "web", "trogiup",
)  # fmt: skip


def commands(t: Texts, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, t.t(f"menu.{name}")) for name in names]


async def set_menus(
    app: Application, admin_ids: frozenset[int], *, language: str = "vi", per_client: bool = False
) -> None:
    """Best effort: a menu that cannot be set is logged, never a reason not to start.

    Without `per_client` the English menus an earlier run may have set are deleted, so that
    an English Telegram app shows the same menu as everyone else."""
    menus: list[tuple[str, str | None]] = [(language, None)]
    if per_client:  # the default already speaks `language`: only the other one needs its own
        other = "en" if language == "vi" else "vi"
        menus.append((other, other))
    for catalogue, code in menus:
        t = Texts(catalogue)
        try:
            await app.bot.set_my_commands(
                commands(t, AGENCY_COMMANDS), scope=BotCommandScopeDefault(), language_code=code
            )
        except TelegramError as error:
            log.warning("could not set the command menu: %s", error)
        for admin_id in admin_ids:
            try:
                await app.bot.set_my_commands(
                    commands(t, ADMIN_COMMANDS),
                    scope=BotCommandScopeChat(admin_id),
                    language_code=code,
                )
            except TelegramError as error:  # an admin who never opened the bot: no chat yet
                log.info("no admin menu for %s yet: %s", admin_id, error)
    if per_client:
        return
    scopes = [BotCommandScopeDefault(), *(BotCommandScopeChat(a) for a in admin_ids)]
    for code in ("vi", "en"):
        for scope in scopes:
            try:
                await app.bot.delete_my_commands(scope=scope, language_code=code)
            except TelegramError as error:
                log.info("could not clear the %s menu of %s: %s", code, scope.type, error)
