"""Importing a notice in chat: a file or pasted text → preview → Lưu / Hủy.

Nothing is stored before Lưu except the draft (what was previewed), so a restart between
preview and Lưu loses nothing and saves exactly what the admin saw.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import PurePath

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import filters

from bot.domain.callback_data import Act, Callback
from bot.domain.notice import ParsedNotice, parse_notice
from bot.domain.permissions import Action
from bot.messaging.announce import announcements
from bot.messaging.format import shorten
from bot.messaging.keyboards import draft_keyboard, draft_page_keyboard
from bot.messaging.layout import fits
from bot.messaging.texts import Raw, Texts
from bot.notice_files import NoticeFileError, read_notice_file
from bot.services.conversation import Pending
from bot.services.notice_payload import from_payload, to_payload
from bot.services.notices import ImportResult, Preview, deadline_text
from bot.services.outbox import Outgoing
from handlers.base import BotContext, ask, reply, texts, who
from handlers.guards import allowed

log = logging.getLogger(__name__)
ACCEPTED_SUFFIXES = {".txt", ".docx", ".pdf"}
TASKS_PER_PAGE = 2  # a task as the parser read it takes up to ten lines of a phone
PREVIEW_AGENCIES = 12  # at most; fewer when the preview would not fit one screen


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
        parsed = await asyncio.to_thread(
            read_notice_file, name, data, max_size=max_mb * 1024 * 1024
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
    parsed = await asyncio.to_thread(parse_notice, text)
    await show_preview(update, context, parsed, source_text=text, filename=None)


async def show_preview(
    update: Update,
    context: BotContext,
    parsed: ParsedNotice,
    *,
    source_text: str,
    filename: str | None,
) -> None:
    t = texts(update, context)
    if not parsed.tasks:
        await reply(update, t.t("import.no_tasks"))
        return
    person = await who(update, context)
    services = context.services
    draft_id = await services.notices.save_draft(
        person, source_text=source_text, payload=to_payload(parsed), filename=filename
    )
    if draft_id is None:
        return
    preview = await services.notices.preview(parsed)
    keyboard = draft_keyboard(t, draft_id)
    await reply(update, preview_text(t, preview), reply_markup=keyboard)


def preview_text(t: Texts, preview: Preview) -> str:
    """The preview, with as many agencies listed as one phone screen holds (the rest are
    counted; 📋 Xem nhiệm vụ shows every task)."""
    shown = min(PREVIEW_AGENCIES, len(preview.per_agency))
    text = _preview(t, preview, shown)
    while shown > 3 and not fits(text, 3):
        shown -= 1
        text = _preview(t, preview, shown)
    return text


def _preview(t: Texts, preview: Preview, shown: int) -> str:
    lines = [
        t.t("import.preview_agency_line", name=shorten(n, 40), count=c)
        for n, c in preview.per_agency[:shown]
    ]
    if len(preview.per_agency) > shown:
        lines.append(t.t("import.preview_more_agencies", n=len(preview.per_agency) - shown))
    text = t.t(
        "import.preview",
        number=preview.number or t.t("import.unknown_number"),
        date=preview.date_text or "—",
        title=shorten(preview.title or "", 120),
        count=preview.task_count,
        deadlines=len(preview.deadlines),
        agencies=Raw("\n".join(lines)),
    )
    if preview.unknown_agencies:
        text += t.t(
            "import.preview_unknown", names=shorten(", ".join(preview.unknown_agencies), 90)
        )
    if preview.unclassified:
        text += t.t(
            "import.preview_unclassified",
            n=len(preview.unclassified),
            example=shorten(preview.unclassified[0], 80),
        )
    if preview.problems:
        text += t.t(
            "import.preview_problems",
            problems="\n".join(f"• {shorten(p, 80)}" for p in preview.problems[:3]),
        )
    if preview.existing:
        text += t.t("import.preview_existing")
    return text + t.t("import.preview_footer")


async def draft_button(update: Update, context: BotContext, callback: Callback) -> None:
    """Lưu, Hủy or a page of tasks under a preview: `imp:s|c|v:<draft>[:<page>]`."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    draft_id = callback.int_arg(1)
    if draft_id is None or callback.args[0] not in {"s", "c", "v"}:
        await query.answer(t.t("common.stale_button"), show_alert=True)
        return
    person = await who(update, context)
    if not await allowed(update, context, person, Action.IMPORT):
        return
    services = context.services
    operation = callback.args[0]
    if operation == "v":
        draft = await services.notices.load_draft(person, draft_id)
        if draft is None:
            await query.answer(t.t("import.draft_gone"), show_alert=True)
            return
        await query.answer()
        text, keyboard = tasks_page(
            t, from_payload_json(draft.parsed_json), draft_id, callback.int_arg(2) or 1
        )
        await reply(update, text, reply_markup=keyboard)
        return
    draft = await services.notices.take_draft(person, draft_id, accept=operation == "s")
    if draft is None:
        await query.answer(t.t("import.draft_gone"), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if operation == "c":
        await reply(update, t.t("import.cancelled"))
        return
    parsed = from_payload_json(draft.parsed_json)
    result = await services.outbox.along(
        services.notices.import_notice(
            parsed, source_text=draft.source_text, by_user_id=person.actor.user_id
        ),
        lambda saved: _announcements(context, saved),
    )
    text = t.t(
        "import.saved",
        number=result.number,
        added=result.tasks_added,
        updated=result.tasks_updated,
        assignments=result.assignments_created,
    )
    if result.agencies_created:
        text += t.t("import.saved_agencies", names=shorten(", ".join(result.agencies_created), 800))
    await reply(update, text)


def from_payload_json(raw: str) -> ParsedNotice:
    return from_payload(json.loads(raw))


def tasks_page(
    t: Texts, parsed: ParsedNotice, draft_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    pages = max(1, -(-len(parsed.tasks) // TASKS_PER_PAGE))
    page = min(max(page, 1), pages)
    chunk = parsed.tasks[(page - 1) * TASKS_PER_PAGE : page * TASKS_PER_PAGE]
    body = [
        t.t(
            "import.task_line",
            code=task.code,
            lead=shorten(", ".join(task.lead), 60),
            deadline=deadline_text(task),
            text=shorten(task.text, 260),
        )
        for task in chunk
    ]
    text = "\n\n".join([t.t("import.tasks_page", page=page, pages=pages), *body])
    return text, draft_page_keyboard(t, draft_id, page=page, pages=pages)


async def _announce(context: BotContext, result: ImportResult) -> list[Outgoing]:
    """Each bound agency is told which tasks it received, with a 👍 Đã tiếp nhận button."""
    return await announcements(context.services, result.new_assignments_by_agency, result.number)


# What is sent when a notice is saved: written to the outbox in the import's transaction.
ANNOUNCERS = [_announce]


async def _announcements(context: BotContext, result: ImportResult) -> list[Outgoing]:
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
