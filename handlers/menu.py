"""The command menu (setMyCommands): Vietnamese by default, English for English clients,
and the office's commands only in the admins' private chats."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import Application

from handlers.texts import Texts

log = logging.getLogger(__name__)

AGENCY_COMMANDS = ("nhiemvu", "capnhat", "tamdung", "tieptuc", "dangky", "trogiup")
ADMIN_COMMANDS = (
    "nhapvanban", "tonghop", "xuatbaocao", "nhiemvu", "giaoviec", "moi",
    "nhacngay", "vanphong", "ganket", "trogiup",
)  # fmt: skip


def commands(t: Texts, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, t.t(f"menu.{name}")) for name in names]


async def set_menus(app: Application, admin_ids: frozenset[int]) -> None:
    """Best effort: a menu that cannot be set is logged, never a reason not to start."""
    for language, code in (("vi", None), ("en", "en")):
        t = Texts(language)
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
