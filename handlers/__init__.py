"""Thin python-telegram-bot adapters, one module per feature, and the one table that says
which handler an update reaches first.

python-telegram-bot tries groups in ascending order and, within a group, only the first
handler whose filter matches runs. So the order below is behaviour: each row says why it sits
where it does. Buttons and answers to the bot's questions go through handlers/routes.py.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.domain.callback_data import Act
from handlers import (
    admin,
    bindings,
    common,
    directory,
    imports,
    members,
    menu,
    outbox,
    reminders,
    replies,
    routes,
    summary,
    tasks,
    web_login,
)
from handlers.base import MAX_MESSAGE, BotContext

GUARDS = -10  # answer and stop (ApplicationHandlerStop): no feature sees the update
MAIN = 0
AFTER = 10  # runs as well as MAIN's handler, once it is done: the menus follow the bindings

Command = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

# Every command: its names (Vietnamese first) and what runs it. A CommandHandler matches only
# its own names, so the order of this list does not matter.
COMMANDS: tuple[tuple[tuple[str, ...], Command], ...] = (
    (("trogiup", "help"), menu.help_command),
    (("moi", "invite"), bindings.invite),
    (("dangky", "register"), bindings.register_command),
    (("vanphong", "office"), bindings.office),
    (("ganket", "bindings"), bindings.list_bindings),
    (("nhapvanban", "import"), imports.import_command),
    (("giaoviec", "newtask"), admin.new_task),
    (("doihan", "deadline"), admin.change_deadline),
    (("giaolai", "reassign"), admin.reassign),
    (("huynv", "canceltask"), admin.cancel_task),
    (("mat", "restrict"), admin.restrict_task),
    (("themadmin", "addadmin"), admin.add_admin),
    (("boadmin", "removeadmin"), admin.remove_admin),
    (("xoadaumoi", "removemember"), members.remove_member),
    (("nhiemvu", "tasks"), tasks.list_command),
    (("capnhat", "update"), replies.update_command),
    (("tonghop", "summary"), summary.summary_command),
    (("xuatbaocao", "export"), summary.export_command),
    (("nhacngay", "remind_now"), reminders.remind_now),
    (("tamdung", "pause"), reminders.pause),
    (("tieptuc", "resume"), reminders.resume),
    (("chuatiepnhan", "unacknowledged"), reminders.unacknowledged),
    (("hopthu", "outbox"), outbox.outbox_command),
    (("web",), web_login.web_command),
    (("donvi", "agencies"), directory.directory_command),
)

# The commands after which the menus may have changed (bound, unbound, admin or not).
BINDING_COMMANDS = (
    "start", "dangky", "register", "vanphong", "office", "themadmin", "addadmin",
    "boadmin", "removeadmin", "xoadaumoi", "removemember",
)  # fmt: skip

VOICE = (filters.VOICE | filters.AUDIO | filters.VIDEO_NOTE) & filters.UpdateType.MESSAGE
GROUP_STICKER = filters.Sticker.ALL & filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
TOO_LONG = common.LongerThan(MAX_MESSAGE)
# A file that replies to nothing, in private or a group: a notice to import.
NOTICE_FILE = (
    filters.Document.ALL
    & ~imports.ExplicitReply()
    & (filters.ChatType.PRIVATE | filters.ChatType.GROUPS)
    & filters.UpdateType.MESSAGE
)
# Text, photos and files that are not commands: answers to questions, or reports.
MESSAGE = (
    (filters.TEXT | filters.PHOTO | filters.Document.ALL)
    & ~filters.COMMAND
    & filters.UpdateType.MESSAGE
)


@dataclass(frozen=True, slots=True)
class Slot:
    group: int
    make: Callable[[], BaseHandler]
    why: str


PRECEDENCE: tuple[Slot, ...] = (
    Slot(
        GUARDS,
        lambda: MessageHandler(filters.UpdateType.EDITED, common.edited_message),
        "An edit never changes a report (history is append-only): said once, nothing else runs.",
    ),
    Slot(
        GUARDS,
        lambda: MessageHandler(TOO_LONG, common.too_long),
        "Over Telegram's 4096 characters: refused before any feature reads it.",
    ),
    Slot(
        MAIN,
        lambda: MessageHandler(NOTICE_FILE, imports.document_received),
        "A file replying to nothing is a notice: before on_message, which reads files as "
        "evidence for a report. These two rows open their group because most updates are "
        "reports, and every row tried before costs each of them (bench/README.md, finding J); "
        "the rows they pass never take what these take: a membership change or a migration "
        "has no text or file, a press no message, and a CommandHandler first asks what "
        "`~filters.COMMAND` refuses (a command at the start of a message's text; a file's "
        "caption is never read as one).",
    ),
    Slot(
        MAIN,
        lambda: MessageHandler(MESSAGE, routes.on_message),
        "Any other text, photo or file: an answer to the bot's question, or a report. After "
        "the notice files; commands never reach it.",
    ),
    Slot(
        MAIN,
        lambda: ChatMemberHandler(common.bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        "The bot added to or removed from a chat: an update no other handler reads.",
    ),
    Slot(
        MAIN,
        lambda: MessageHandler(filters.StatusUpdate.MIGRATE, bindings.chat_migrated),
        "A group became a supergroup (a service message in the old chat and one in the new): "
        "its bindings move to the new id. A service message no other handler reads.",
    ),
    *(
        Slot(MAIN, partial(CommandHandler, names, callback), "A command: its names only.")
        for names, callback in COMMANDS
    ),
    Slot(
        MAIN,
        lambda: CommandHandler("start", bindings.start_with_code, has_args=True),
        "/start <code>, the invite link: before the bare /start of the fallbacks.",
    ),
    Slot(
        MAIN,
        lambda: CallbackQueryHandler(routes.on_button),
        "Every button, decoded once and sent to its action's handler (routes.ROUTES).",
    ),
    Slot(
        MAIN,
        lambda: MessageHandler(VOICE | GROUP_STICKER, replies.media_hint),
        "A voice note or a group's sticker: the bot cannot read it and says so where a person "
        "may believe they reported (handlers/replies.py says when), instead of the silence a "
        "phone user would read as 'received'. A private sticker falls to the fallback below.",
    ),
    Slot(
        MAIN,
        lambda: CommandHandler("start", menu.start),
        "/start without a code: a welcome for the chat it is sent in.",
    ),
    Slot(
        MAIN,
        lambda: MessageHandler(filters.COMMAND, common.unknown_command),
        "A command no row above knows: after every command.",
    ),
    Slot(
        MAIN,
        lambda: MessageHandler(
            filters.ChatType.PRIVATE & ~filters.COMMAND, common.private_fallback
        ),
        "What is left in private (a sticker, a voice note): last, so it takes only what "
        "nothing else did.",
    ),
    Slot(
        AFTER,
        lambda: CommandHandler(BINDING_COMMANDS, menu.after_binding_change),
        "After a command that binds or unbinds a chat or a person, or names an admin: the "
        "menus follow (a group of its own, so the command itself ran first).",
    ),
    Slot(
        AFTER,
        lambda: CallbackQueryHandler(menu.after_binding_change, pattern=f"^{Act.UNBIND}:"),
        "After 🗑 under /ganket: that chat's menu goes back to the default.",
    ),
    Slot(
        AFTER,
        lambda: ChatMemberHandler(menu.after_binding_change, ChatMemberHandler.MY_CHAT_MEMBER),
        "After the bot is added to or removed from a chat (its bindings may have ended).",
    ),
    Slot(
        AFTER,
        lambda: MessageHandler(filters.StatusUpdate.MIGRATE, menu.after_binding_change),
        "After a group became a supergroup (a new chat id, its bindings moved).",
    ),
)


def register_all(app: Application) -> None:
    for slot in PRECEDENCE:
        app.add_handler(slot.make(), slot.group)
    app.add_error_handler(common.on_error)
