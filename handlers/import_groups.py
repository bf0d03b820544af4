"""A group's question under an import preview: 👥 define it, ☑️ pick agencies for this notice
only (from the directory, page by page, in place), ⏭ skip it. Each answer plans the draft
again and shows the new preview: Lưu saves what it shows, skipped groups named."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.domain.callback_data import Callback
from bot.messaging.import_presenter import group_question_text, pick_text
from bot.messaging.keyboards import PICK_PAGE, group_question_keyboard, pick_keyboard
from bot.messaging.texts import Texts
from bot.services.notices import Draft
from handlers.base import BotContext, drop_buttons, edit, reply, texts, who

GROUP_OPS = frozenset({"q", "o", "p", "t", "d", "k"})
Show = Callable[[Update, Texts, Draft], Awaitable[None]]


async def group_button(update: Update, context: BotContext, callback: Callback, show: Show) -> None:
    """`imp:q|o|p|t|d|k:<draft>:<group>[:<agency|page>[:<page>]]` (the caller checked IMPORT)."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    person = await who(update, context)
    notices = context.services.notices
    operation = callback.args[0]
    draft_id, index = callback.int_arg(1) or 0, callback.int_arg(2) or 0
    if operation == "q":
        draft = await notices.load_draft(person, draft_id)
        text = group_question_text(t, draft, index) if draft is not None else None
        if text is None:
            await query.answer(t.t("import.draft_gone"), show_alert=True)
            return
        await query.answer()
        await reply(update, text, reply_markup=group_question_keyboard(t, draft_id, index))
        return
    if operation in ("d", "k"):
        draft = await notices.answer_group(person, draft_id, index, skip=operation == "k")
        if draft is None:
            gone = operation == "k" or await notices.picking(person, draft_id, index) is None
            await query.answer(
                t.t("import.draft_gone" if gone else "import.pick_none"), show_alert=True
            )
            return
        await query.answer()
        await drop_buttons(query)
        await show(update, t, draft)
        return
    toggle = callback.int_arg(3) if operation == "t" else None
    page = callback.int_arg(4 if operation == "t" else 3) or 1
    picking = await notices.picking(person, draft_id, index, toggle)
    if picking is None:
        await query.answer(t.t("import.draft_gone"), show_alert=True)
        return
    if not picking.candidates:
        await query.answer(t.t("import.pick_empty"), show_alert=True)
        return
    await query.answer()
    pages = max(1, -(-len(picking.candidates) // PICK_PAGE))
    page = min(max(page, 1), pages)
    shown = picking.candidates[(page - 1) * PICK_PAGE : page * PICK_PAGE]
    keyboard = pick_keyboard(t, draft_id, index, shown, picking.picked, page=page, pages=pages)
    text = pick_text(t, picking, page=page, pages=pages)
    if operation == "o":  # from the question: the picker is a message of its own
        await reply(update, text, reply_markup=keyboard)
    else:  # a tap on a name or ◀️ ▶️: the same message, in place
        await edit(query, text, reply_markup=keyboard)
