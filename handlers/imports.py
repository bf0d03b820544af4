"""Importing a notice in chat: a file or pasted text → preview → Lưu / Hủy.

Nothing is stored before Lưu except the draft (what was previewed), so a restart between
preview and Lưu loses nothing and saves exactly what the admin saw.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import PurePath

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import filters

from bot.domain.callback_data import Act, Callback
from bot.domain.notice import ParsedNotice
from bot.domain.permissions import Action
from bot.messaging.announce import announcements
from bot.messaging.format import shorten
from bot.messaging.import_presenter import agencies_page, preview_text, saved_text, tasks_page
from bot.messaging.keyboards import draft_keyboard, draft_page_keyboard, issue_invites_keyboard
from bot.messaging.texts import Texts
from bot.notice_files import NoticeFileError, read_notice_file, read_notice_text
from bot.services.conversation import Pending
from bot.services.directory import Refused
from bot.services.notices import Draft, ImportResult, Stale
from bot.services.outbox import Outgoing
from handlers.base import BotContext, ask, drop_buttons, reply, texts, who
from handlers.guards import allowed
from handlers.import_groups import GROUP_OPS, group_button

log = logging.getLogger(__name__)
ACCEPTED_SUFFIXES = {".txt", ".docx", ".pdf"}


async def document_received(update: Update, context: BotContext) -> None:
    """A file sent (not as a reply) in a private chat or the office group."""
    message = update.effective_message
    assert message is not None and message.document is not None
    t = texts(update, context)
    person = await who(update, context)
    if not person.may(Action.IMPORT).allowed:
        if person.scope.is_private:
            await reply(update, t.t("import.admin_only"))
        return
    document = message.document
    name = document.file_name or "notice"
    if PurePath(name).suffix.lower() not in ACCEPTED_SUFFIXES:
        await reply(update, t.t("import.wrong_type", name=name))
        return
    max_mb = context.services.ctx.settings.max_upload_mb
    if (document.file_size or 0) > max_mb * 1024 * 1024:
        await reply(update, t.t("import.too_large", mb=max_mb))
        return
    try:
        data = bytes(await (await document.get_file()).download_as_bytearray())
        directory = await context.services.directory.reader_directory()
        parsed = await asyncio.to_thread(
            read_notice_file, name, data, max_size=max_mb * 1024 * 1024, directory=directory
        )
    except NoticeFileError as error:
        await reply(update, t.t(f"import.error.{error.code}", detail=error.detail))
        return
    except TelegramError as error:
        await reply(update, t.t("import.error.unreadable", detail=str(error)[:200]))
        return
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    await context.services.conversation.forget(chat_id=chat.id, user_id=user.id)
    await show_preview(update, context, parsed, source_text=f"[{name}]", filename=name)


async def import_command(update: Update, context: BotContext) -> None:
    """/nhapvanban: the next message (a file or the pasted text) is the notice."""
    person = await who(update, context)
    if not await allowed(update, context, person, Action.IMPORT):
        return
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    await context.services.conversation.ask(
        chat_id=chat.id, user_id=user.id, action=Act.IMPORT, target_id=0
    )
    await ask(update, texts(update, context).t("import.ask_text"))


async def pasted_text(update: Update, context: BotContext, pending: Pending, text: str) -> None:
    """The answer to /nhapvanban: parse the pasted notice."""
    person = await who(update, context)
    if not await allowed(update, context, person, Action.IMPORT):
        return
    directory = await context.services.directory.reader_directory()
    parsed = await asyncio.to_thread(read_notice_text, text, directory=directory)
    await show_preview(update, context, parsed, source_text=text, filename=None)


async def show_preview(
    update: Update,
    context: BotContext,
    parsed: ParsedNotice,
    *,
    source_text: str,
    filename: str | None,
) -> None:
    """Plan the import and show that plan: it is what Lưu will save."""
    t = texts(update, context)
    if not parsed.tasks:
        await reply(update, t.t("import.no_tasks"))
        return
    person = await who(update, context)
    draft = await context.services.notices.prepare(
        person, parsed, source_text=source_text, filename=filename
    )
    if draft is None:
        return
    await _show(update, t, draft)


async def _show(update: Update, t: Texts, draft: Draft, head: str = "") -> None:
    """The preview of a draft's plan, with ❓ for its groups without a member list."""
    groups = [g.name for g in draft.plan.open_groups]
    keyboard = draft_keyboard(t, draft.draft_id, groups)
    await reply(update, preview_text(t, draft, head), reply_markup=keyboard)


async def draft_button(update: Update, context: BotContext, callback: Callback) -> None:
    """Under a preview: `imp:s|c|v|a:<draft>[:<page>]` Lưu, Hủy, its tasks, its agencies."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    draft_id = callback.int_arg(1)
    if draft_id is None or callback.args[0] not in {"s", "c", "v", "a", "g", *GROUP_OPS}:
        await query.answer(t.t("common.stale_button"), show_alert=True)
        return
    person = await who(update, context)
    if not await allowed(update, context, person, Action.IMPORT):
        return
    services = context.services
    operation = callback.args[0]
    if operation in ("v", "a"):
        draft = await services.notices.load_draft(person, draft_id)
        if draft is None:
            await query.answer(t.t("import.draft_gone"), show_alert=True)
            return
        await query.answer()
        page_asked = callback.int_arg(2) or 1
        if operation == "v":
            text, page, pages = tasks_page(t, draft, page_asked)
        else:
            text, page, pages = agencies_page(t, draft.plan, page_asked)
        nav = draft_page_keyboard(t, draft_id, page=page, pages=pages, view=operation)
        await reply(update, text, reply_markup=nav)
        return
    if operation == "g":
        await _ask_group(update, context, draft_id, callback.int_arg(2) or 0)
        return
    if operation in GROUP_OPS:
        await group_button(update, context, callback, _show)
        return
    if operation == "c":
        if not await services.notices.cancel(person, draft_id):
            await query.answer(t.t("import.draft_gone"), show_alert=True)
            return
        await query.answer()
        await drop_buttons(query)
        await reply(update, t.t("import.cancelled"))
        return
    outcome = await services.outbox.along(  # the announcements in the import's transaction
        services.notices.save(person, draft_id),
        lambda outcome: _announcements(context, outcome),
    )
    if outcome is None:
        await query.answer(t.t("import.draft_gone"), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    if isinstance(outcome, Stale):
        await _show(update, t, outcome.draft, head=t.t("import.stale") + "\n\n")
        return
    result = outcome.result
    text = saved_text(t, outcome)
    # Going live: one tap issues the codes and the printable kit for the notice's agencies
    # that have no group yet (handlers/onboarding.py).
    unbound = await services.onboarding.unbound_count(notice_id=result.notice_id)
    keyboard: InlineKeyboardMarkup | None = None
    if unbound:
        text += t.t("onboard.saved_unbound", n=unbound)
        keyboard = issue_invites_keyboard(t, result.notice_id, unbound)
    await reply(update, text, reply_markup=keyboard)


async def _ask_group(update: Update, context: BotContext, draft_id: int, index: int) -> None:
    """👥 under a preview: ask for the members of a group the office has not defined."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    person = await who(update, context)
    draft = await context.services.notices.load_draft(person, draft_id)
    groups = draft.plan.open_groups if draft is not None else ()
    if draft is None or index >= len(groups):
        await query.answer(t.t("import.draft_gone"), show_alert=True)
        return
    await query.answer()
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    name = groups[index].name
    await context.services.conversation.ask(
        chat_id=chat.id,
        user_id=user.id,
        action=Act.IMP,
        target_id=draft_id,
        payload={"group": name, "province": draft.plan.notice.place},
    )
    await ask(update, t.t("import.ask_group", name=name))


async def group_members(update: Update, context: BotContext, pending: Pending, text: str) -> None:
    """The members of the group asked about: the group is saved in the directory and the
    draft planned again (a new preview; the old one can no longer be saved)."""
    person = await who(update, context)
    if not await allowed(update, context, person, Action.MANAGE_AGENCIES):
        return
    t = texts(update, context)
    services = context.services
    members = [line for raw in text.splitlines() for line in raw.split(";")]
    province = pending.payload.get("province")
    saved = await services.directory.save_group(
        person, str(pending.payload.get("group", "")), members, province=province
    )
    if isinstance(saved, Refused):
        await reply(update, t.t(saved.key, **saved.values))
        return
    created = (
        t.t("import.group_created", names=shorten(", ".join(saved.created), 200))
        if saved.created
        else ""
    )
    head = t.t("import.group_saved", name=saved.name, n=len(saved.members), created=created)
    draft = await services.notices.replan(person, pending.target_id)
    if draft is None:
        await reply(update, head)
        return
    await _show(update, t, draft, head=head + "\n\n")


async def _announce(context: BotContext, result: ImportResult) -> list[Outgoing]:
    """Each bound agency is told which tasks it received, with a 👍 Đã tiếp nhận button."""
    return await announcements(context.services, result.new_assignments_by_agency, result.number)


# What is sent when a notice is saved: written to the outbox in the import's transaction.
ANNOUNCERS = [_announce]


async def _announcements(context: BotContext, outcome: object) -> list[Outgoing]:
    result = getattr(outcome, "result", None)  # saved (not stale, not gone)
    if outcome is None or isinstance(outcome, Stale) or not isinstance(result, ImportResult):
        return []
    messages: list[Outgoing] = []
    for announce in ANNOUNCERS:
        messages += await announce(context, result)
    return messages


class ExplicitReply(filters.MessageFilter):
    """A reply to a message, not the implicit one: in a forum topic Telegram marks every
    message as a reply to the topic's first (service) message, and a notice sent there
    would otherwise be ignored."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return replied is not None and replied.forum_topic_created is None
