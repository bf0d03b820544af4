"""Going live (issue 21): codes for many agencies at once, with the printable kit.

`/moi tatca` (every agency with work and no bound group), `/moi <số văn bản>` (the agencies
of one notice) and the button under a saved notice issue the codes in one transaction,
answer with the list (one screen) and send the kit: PDF to print, Word, Excel to merge.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import InputFile, Update

from bot.domain.callback_data import Callback
from bot.domain.permissions import Action
from bot.domain.text import fold
from bot.messaging.keyboards import reissue_pick_keyboard
from bot.messaging.onboarding import boarding_view, issued_text, nothing_to_issue, page_unbound
from bot.reports.kit import KitFormat, render_kit
from bot.reports.kit.issued import kit_filename, kit_rows, office_header
from bot.services.onboarding import Boarding, IssueResult
from handlers.base import BotContext, edit, reply, texts, who
from handlers.guards import allowed

log = logging.getLogger(__name__)

ALL_WORDS = frozenset({"tatca", "tat ca", "all", "*"})
CAPTIONS = {
    KitFormat.PDF: "onboard.caption_pdf",
    KitFormat.DOCX: "onboard.caption_docx",
    KitFormat.XLSX: "onboard.caption_xlsx",
}


def bulk_scope(query: str) -> tuple[bool, str | None] | None:
    """What `/moi <query>` asks for when it is not one agency: (True, None) for every
    agency, (False, number) for a notice's; None for an agency's name. A notice number
    has a digit and a / or - (`22-TB/BCĐ`); agency names have neither together."""
    folded = fold(query).strip()
    if folded in ALL_WORDS:
        return True, None
    if any(ch.isdigit() for ch in query) and ("/" in query or "-" in query):
        return False, query.strip()
    return None


async def issue_for(
    update: Update,
    context: BotContext,
    *,
    notice_number: str | None = None,
    notice_id: int | None = None,
    agency_id: int | None = None,
) -> None:
    """Issue the codes of the scope, answer with the list, then send the kit's files."""
    t = texts(update, context)
    person = await who(update, context)
    services = context.services
    result = await services.onboarding.issue(
        by_user_id=person.actor.user_id,
        notice_number=notice_number,
        notice_id=notice_id,
        agency_id=agency_id,
    )
    if not result.invites:
        numbers = await services.summary.notice_numbers() if result.unknown_notice else ()
        await reply(update, nothing_to_issue(t, result, numbers))
        return
    await reply(update, issued_text(t, result, tz=services.ctx.tz))
    await send_kit(update, context, result)


async def send_kit(update: Update, context: BotContext, result: IssueResult) -> None:
    """The kit of the codes just issued, rendered in a thread (CPU-bound): PDF, Word, Excel."""
    t = texts(update, context)
    services = context.services
    username = context.bot.username
    today = services.ctx.today()
    message = update.effective_message
    assert message is not None
    try:
        files = await asyncio.to_thread(
            render_kit,
            kit_rows(result.invites, bot_username=username),
            office_header(services.ctx.settings, today),
            bot_username=username,
            tz=services.ctx.tz,
        )
    except ValueError:
        log.exception("the kit could not be rendered")
        scope = result.notice_number or "tatca"
        await reply(update, t.t("onboard.kit_failed", scope=scope))
        return
    for kind, data in files.items():
        await message.reply_document(
            InputFile(data, filename=kit_filename(result.notice_number, today, kind.value)),
            caption=t.t(CAPTIONS[kind]),
        )


async def notice_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """🎫 under a saved notice (`invn:<notice>`): codes and the kit for its agencies."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    if not await allowed(update, context, person, Action.INVITE):
        return
    notice_id = callback.int_arg(0)
    if notice_id is None:
        await query.answer(texts(update, context).t("common.stale_button"), show_alert=True)
        return
    await query.answer()
    await issue_for(update, context, notice_id=notice_id)


async def all_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """🎫 under /ganket (`inva`): new codes and the kit for every agency not on board (a
    code issued before is revoked)."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    if not await allowed(update, context, person, Action.INVITE):
        return
    await query.answer()
    await issue_for(update, context)


async def boarding_page_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """◀️ ▶️ under /ganket's overview (`opage:<page>`): that page, in place."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    if not await allowed(update, context, person, Action.MANAGE_BINDINGS):
        return
    services = context.services
    bindings = await services.bindings.list_bindings()
    text, keyboard = boarding_view(
        texts(update, context),
        await services.onboarding.boarding(),
        page=callback.int_arg(0) or 1,
        bindings=len(bindings),
        today=services.ctx.today(),
        tz=services.ctx.tz,
    )
    await query.answer()
    await edit(query, text, reply_markup=keyboard)


async def pick_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """🎫 for one agency under /ganket (`opick:<page>`): that page's agencies not on board,
    one button each, in place."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.INVITE):
        return
    lines = page_unbound(await context.services.onboarding.boarding(), callback.int_arg(0) or 1)
    if not lines:
        await query.answer(t.t("common.stale_button"), show_alert=True)
        return
    await query.answer()
    keyboard = reissue_pick_keyboard(t, [line.agency for line in lines])
    await edit(query, t.t("onboard.pick_title"), reply_markup=keyboard)


async def one_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """An agency picked (`reinv:<agency>`): its new code, and its page of the kit."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.INVITE):
        return
    agency_id = callback.int_arg(0)
    boarding = await context.services.onboarding.boarding()
    line = next((b for b in boarding if b.agency.id == agency_id), None)
    if line is None:
        await query.answer(t.t("common.stale_button"), show_alert=True)
        return
    if line.state is Boarding.BOUND:
        await query.answer(t.t("onboard.agency_bound", agency=line.agency.name), show_alert=True)
        return
    await query.answer()
    await issue_for(update, context, agency_id=agency_id)
