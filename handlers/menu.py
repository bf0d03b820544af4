"""The command menus (setMyCommands), /help and /start: per chat and per role.

One table, `MENU`, names each command and the action(s) it serves; what a person is shown in
a chat is what the permission rule offers them there (`bot.domain.permissions.offered`). So
the office group and admins' private chats show the office's commands, an agency's group and
its focal points' private chats the agency's, and the rest (strangers, groups bound to
nothing) how to register. The menus follow the bindings: `refresh_menus` runs at start-up
and after anything that binds or unbinds a chat or a person (handlers/__init__.py, AFTER),
and sets only the scopes that changed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.domain.callback_data import Callback
from bot.domain.permissions import Action, Actor, ChatScope, Place, offered, places
from bot.messaging.keyboards import help_keyboard
from bot.messaging.layout import fits
from bot.messaging.texts import Texts
from bot.services.menus import MenuAudience
from handlers.base import BotContext, edit, reply, texts, who

log = logging.getLogger(__name__)
_SET = "menus_set"  # bot_data: what each scope was last given, so a refresh sends only changes
_LOCK = "menus_lock"  # bot_data: one refresh at a time (start-up's runs in the background)
MENUS_TASK = "menus_task"  # bot_data: the start-up refresh (bot/app.py)


@dataclass(frozen=True, slots=True)
class Entry:
    """A command as menus and help show it, and the actions it serves (any one will do)."""

    name: str
    actions: tuple[Action, ...]


MENU: tuple[Entry, ...] = (
    Entry("nhiemvu", (Action.VIEW_ALL, Action.VIEW_AGENCY)),
    Entry("capnhat", (Action.REPORT,)),
    Entry("tonghop", (Action.VIEW_ALL, Action.VIEW_AGENCY)),
    Entry("tamdung", (Action.PAUSE,)),
    Entry("tieptuc", (Action.PAUSE,)),
    Entry("nhapvanban", (Action.IMPORT,)),
    Entry("xuatbaocao", (Action.EXPORT,)),
    Entry("giaoviec", (Action.ASSIGN,)),
    Entry("doihan", (Action.EDIT_TASK,)),
    Entry("giaolai", (Action.ASSIGN,)),
    Entry("huynv", (Action.EDIT_TASK,)),
    Entry("mat", (Action.EDIT_TASK,)),
    Entry("moi", (Action.INVITE,)),
    Entry("donvi", (Action.MANAGE_AGENCIES,)),
    Entry("nhacngay", (Action.REMIND_NOW,)),
    Entry("chuatiepnhan", (Action.VIEW_ALL,)),
    Entry("hopthu", (Action.VIEW_ALL,)),
    Entry("ganket", (Action.MANAGE_BINDINGS,)),
    Entry("vanphong", (Action.BIND_OFFICE,)),
    Entry("themadmin", (Action.MANAGE_BINDINGS,)),
    Entry("boadmin", (Action.MANAGE_BINDINGS,)),
    Entry("xoadaumoi", (Action.MANAGE_BINDINGS,)),
    Entry("web", (Action.WEB_SIGN_IN,)),
    Entry("dangky", (Action.REGISTER,)),
    Entry("trogiup", (Action.HELP,)),
)


def menu_names(actor: Actor, scope: ChatScope) -> list[str]:
    """The commands `actor` is offered in `scope`, in the menu's order."""
    return [e.name for e in MENU if any(offered(actor, a, scope) for a in e.actions)]


def commands(t: Texts, names: Sequence[str]) -> list[BotCommand]:
    return [BotCommand(name, t.t(f"menu.{name}")) for name in names]


# --- who sees which menu -------------------------------------------------------------------

STRANGER = Actor(user_id=0)


def desired_menus(audience: MenuAudience) -> dict[int | None, list[str]]:
    """Scope chat id (None: the default scope) → the commands it shows. Each chat's menu is
    computed for the person it is for: an admin in the office group and their private chat,
    the agency's focal point in its group, each focal point in their private chat."""
    menus: dict[int | None, list[str]] = {
        None: menu_names(STRANGER, ChatScope(chat_id=0, chat_type="private"))
    }
    for chat_id, agency_id in audience.agency_chats:
        actor = Actor(user_id=0, agencies={agency_id: "focal_point"})
        menus[chat_id] = menu_names(actor, ChatScope(chat_id, "supergroup", agency_id=agency_id))
    for chat_id in audience.office_chats:
        admin = Actor(user_id=0, is_admin=True)
        menus[chat_id] = menu_names(admin, ChatScope(chat_id, "supergroup", is_office=True))
    for user_id, (is_admin, agencies) in audience.people.items():
        actor = Actor(user_id, is_admin=is_admin, agencies=dict.fromkeys(agencies, "focal_point"))
        menus[user_id] = menu_names(actor, ChatScope(user_id, "private"))
    return menus


async def refresh_menus(app: Application, *, force: bool = False) -> None:
    """Set every scope whose menu changed since the last refresh (all of them when `force`,
    at start-up); a chat that lost its own menu goes back to the default one. Best effort:
    a menu that cannot be set (a person who never opened the bot) is logged and skipped."""
    lock: asyncio.Lock = app.bot_data.setdefault(_LOCK, asyncio.Lock())
    async with lock:
        await _refresh(app, force=force)


async def menus_ready(app: Application) -> None:
    """Wait for the start-up refresh (tests and the sandbox read the menus right away)."""
    task = app.bot_data.get(MENUS_TASK)
    if task is not None:
        await asyncio.shield(task)


async def _refresh(app: Application, *, force: bool) -> None:
    services = app.bot_data["services"]
    settings = services.ctx.settings
    audience = await services.menus.audience()
    desired = desired_menus(audience)
    before: dict[int | None, list[str]] = {} if force else app.bot_data.get(_SET, {})
    languages: list[tuple[str, str | None]] = [(settings.language, None)]
    if settings.follow_telegram_language:
        other = "en" if settings.language == "vi" else "vi"
        languages.append((other, other))
    done: dict[int | None, list[str]] = {}
    for chat_id, names in desired.items():
        if not force and before.get(chat_id) == names:
            done[chat_id] = names
            continue
        scope = BotCommandScopeDefault() if chat_id is None else BotCommandScopeChat(chat_id)
        ok = True
        for catalogue, code in languages:
            try:
                await app.bot.set_my_commands(
                    commands(Texts(catalogue), names), scope=scope, language_code=code
                )
            except TelegramError as error:
                ok = False
                log.info("no command menu for %s yet: %s", chat_id, error)
        if ok:
            done[chat_id] = names
    for chat_id in set(before) - set(desired):
        if chat_id is None:
            continue
        for _, code in languages:
            try:
                await app.bot.delete_my_commands(
                    scope=BotCommandScopeChat(chat_id), language_code=code
                )
            except TelegramError as error:
                log.info("could not clear the menu of %s: %s", chat_id, error)
    app.bot_data[_SET] = done
    if force and not settings.follow_telegram_language:
        await _clear_language_menus(app, [None, *(a for a in settings.admin_ids)])


async def _clear_language_menus(app: Application, chats: list[int | None]) -> None:
    """Menus an earlier run set per client language (FOLLOW_TELEGRAM_LANGUAGE on) would
    show English apps another menu than everyone's: removed when that setting is off."""
    for chat_id in chats:
        scope = BotCommandScopeDefault() if chat_id is None else BotCommandScopeChat(chat_id)
        for code in ("vi", "en"):
            try:
                await app.bot.delete_my_commands(scope=scope, language_code=code)
            except TelegramError as error:
                log.info("could not clear the %s menu of %s: %s", code, scope.type, error)


async def after_binding_change(update: Update, context: BotContext) -> None:
    """Runs after the commands and buttons that bind or unbind chats and people: the menus
    follow (only the scopes that changed are sent)."""
    await refresh_menus(context.application)


# --- /help and /start ------------------------------------------------------------------------


def help_lines(t: Texts, actor: Actor, scope: ChatScope) -> list[str]:
    """One line per command offered here, each with a real example; the agency's wording
    of a shared command (/nhiemvu, /tonghop) where the chat is an agency's."""
    where = places(actor, scope)
    lines = []
    for name in menu_names(actor, scope):
        key = f"help.cmd.{name}"
        if Place.AGENCY in where and Place.OFFICE not in where and t.has(f"{key}.agency"):
            key += ".agency"
        lines.append(t.t(key))
    return lines


def help_pages(t: Texts, actor: Actor, scope: ChatScope) -> list[str]:
    """The help for this person in this chat, in pages that each fit a phone screen."""
    where = places(actor, scope)
    title = t.t("help.title_office" if Place.OFFICE in where else "help.title")
    footer = t.t("help.reply_hint") if Place.AGENCY in where else ""
    pages: list[list[str]] = [[]]
    for line in help_lines(t, actor, scope):
        candidate = pages[-1] + [line]
        if pages[-1] and not fits(_page(title, candidate, footer, 2, 2), 2):
            pages.append([line])
        else:
            pages[-1] = candidate
    return [_page(title, lines, footer, n, len(pages)) for n, lines in enumerate(pages, start=1)]


def _page(title: str, lines: list[str], footer: str, page: int, pages: int) -> str:
    head = f"{title} ({page}/{pages})" if pages > 1 else title
    return "\n\n".join(part for part in (head, "\n".join(lines), footer) if part)


async def help_command(update: Update, context: BotContext) -> None:
    """/trogiup: what this person may do in this chat, with examples; page 1."""
    await _send_help(update, context, 1)


async def help_page_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """◀️ ▶️ under the help (`help:<page>`): that page, in place."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    person = await who(update, context)
    pages = help_pages(t, person.actor, person.scope)
    page = min(max(callback.int_arg(0) or 1, 1), len(pages))
    await query.answer()
    await edit(query, pages[page - 1], reply_markup=help_keyboard(t, page=page, pages=len(pages)))


async def _send_help(update: Update, context: BotContext, page: int) -> None:
    t = texts(update, context)
    person = await who(update, context)
    pages = help_pages(t, person.actor, person.scope)
    await reply(update, pages[page - 1], reply_markup=help_keyboard(t, page=page, pages=len(pages)))


async def start(update: Update, context: BotContext) -> None:
    """/start without a code: a welcome for this chat, saying only what can be done here."""
    t = texts(update, context)
    person = await who(update, context)
    name = update.effective_user.first_name if update.effective_user else ""
    where = places(person.actor, person.scope)
    if Place.OFFICE in where:
        text = t.t("start.office", name=name)
    elif Place.AGENCY in where:
        agency = person.scope.agency_name
        if agency is None:  # a private chat: the person's (first) agency
            ref = await context.services.agencies.get(next(iter(person.actor.agencies)))
            agency = ref.name if ref else ""
        text = t.t("start.agency", name=name, agency=agency)
    elif person.scope.is_private:
        text = t.t("start.stranger", name=name)
    else:
        text = t.t("common.unknown_group")
    await reply(update, text)
