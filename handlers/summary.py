"""/tonghop (the roll-up in chat, with its chart) and /xuatbaocao (Excel + Word).

The weekly summary the scheduler posts is bot.messaging.weekly's."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date

from telegram import InputFile, Update

from bot.domain.callback_data import Callback
from bot.domain.impossible_dates import impossible_dates, mend
from bot.domain.periods import Period, backwards_range, month, parse_period
from bot.domain.permissions import Action
from bot.domain.report_filter import ReportFilter, parse_filter_args
from bot.domain.text import fold
from bot.messaging.date_answers import impossible_date_text
from bot.messaging.keyboards import summary_keyboard
from bot.messaging.presenters import agency_not_matched, fmt_date
from bot.messaging.summary_presenter import chart_caption, render_agency_status, render_digest
from bot.messaging.texts import Texts
from bot.reports.chart import render_chart
from bot.reports.docx import render_docx
from bot.reports.letterhead import letterhead
from bot.reports.offload import render_file
from bot.reports.xlsx import render_xlsx
from bot.services.access import Who
from bot.services.agencies import AgencyMatch
from handlers.base import BotContext, reply, texts, who
from handlers.guards import allowed, stale_button
from handlers.tasks import TASK_CODE

log = logging.getLogger(__name__)
XLSX_TITLE = "PHỤ LỤC KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ"


@dataclass(frozen=True, slots=True)
class Scope:
    """What a /tonghop asks for, after the permission rule has had its say."""

    notice_number: str | None = None
    agency_id: int | None = None
    period: Period | None = None
    unknown: str | None = None
    unknown_agency: AgencyMatch | None = None  # the agencies an unknown filter could mean
    periods_only: bool = False  # an agency's own summary: only a period may be asked for


async def resolve_scope(context: BotContext, person: Who, args: list[str]) -> Scope | None:
    """An agency's chat sees only that agency; the office may name a notice, an agency or
    a period. None when the person may not see a summary here."""
    services = context.services
    today = services.ctx.today()
    weekday = services.ctx.settings.weekly_summary_weekday
    text = " ".join(args).strip()
    period = parse_period(text, today=today, week_ends_on=weekday) if text else None
    own: int | None = None
    if person.scope.agency_id is not None:
        if not person.may(Action.VIEW_AGENCY, agency_id=person.scope.agency_id).allowed:
            return None
        own = person.scope.agency_id
    elif not person.may(Action.VIEW_ALL).allowed:
        if not (person.actor.agencies and person.scope.is_private):
            return None
        own = next(iter(person.actor.agencies))
    if own is not None:
        if text and period is None:
            return Scope(agency_id=own, unknown=text, periods_only=True)
        return Scope(agency_id=own, period=period)
    if not text or period is not None:
        return Scope(period=period)
    numbers = await services.summary.notice_numbers()
    match = next((n for n in numbers if fold(n) == fold(text)), None)
    if match:
        return Scope(notice_number=match)
    agency = await services.agencies.find(text)
    if agency.agency is not None:
        return Scope(agency_id=agency.agency.id)
    return Scope(unknown=text, unknown_agency=agency)


def unknown_filter(
    t: Texts, scope: Scope, command: str, args: list[str] | None = None, *, today: date
) -> str:
    """A filter naming several agencies lists them; a date on no calendar is named; anything
    else gets the usage."""
    query = scope.unknown if scope.unknown is not None else " ".join(args or [])
    impossible = impossible_dates(query)
    if impossible:  # 31/02/2026: say which date is not on the calendar (review U4/O1)
        return impossible_date_text(t, impossible[0], _mended_example(command, query, today))
    backwards = backwards_range(query)
    if backwards is not None:
        start, end = backwards
        return t.t(
            "summary.backwards_range", command=command, start=fmt_date(start), end=fmt_date(end)
        )
    if scope.unknown_agency is not None and scope.unknown_agency.candidates:
        return agency_not_matched(t, query, scope.unknown_agency, command=command)
    if TASK_CODE.fullmatch(query.strip()):  # #N is task N everywhere: a task has its card
        code = "#" + query.strip().lstrip("#")
        return t.t("summary.task_code", query=code, command=command)
    if scope.periods_only:
        return t.t("summary.unknown_period", query=query, command=command)
    return t.t("summary.unknown_filter", query=query, command=command)


def _mended_example(command: str, query: str, today: date) -> str:
    """The command again with each impossible date mended (31/02 -> 28/02) when that makes a
    period; otherwise a month's range."""
    mended = mend(query, today.year)
    if parse_period(mended, today=today) is not None:
        return f"{command} {mended}"
    first = impossible_dates(query)[0].mended(today.year)
    period = month(first.year, first.month)
    return f"{command} {fmt_date(period.start)}-{fmt_date(period.end)}"


async def summary_command(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    scope = await resolve_scope(context, person, context.args or [])
    if scope is None:
        await allowed(update, context, person, Action.VIEW_ALL)
        return
    if scope.unknown is not None:
        today = context.services.ctx.today()
        await reply(update, unknown_filter(t, scope, "/tonghop", today=today))
        return
    rollup = await context.services.summary.rollup(
        notice_number=scope.notice_number, agency_id=scope.agency_id, period=scope.period
    )
    if rollup.unknown_notice:
        await reply(update, t.t("summary.unknown_notice", number=scope.notice_number or ""))
        return
    if scope.agency_id is not None and person.scope.agency_id is not None:
        await reply(update, render_agency_status(rollup, t.lang))
        return
    carried = ReportFilter(
        notice_id=await context.services.summary.notice_id(scope.notice_number),
        agency_id=scope.agency_id,
        period=scope.period,
    )
    await reply(update, render_digest(rollup, t.lang), reply_markup=summary_keyboard(t, carried))
    if rollup.agencies:
        png = await asyncio.to_thread(render_chart, rollup)
        message = update.effective_message
        assert message is not None  # the digest above answered it
        await message.reply_photo(
            InputFile(png, filename="tong-hop.png"),
            caption=chart_caption(rollup, t.lang),
        )


async def files_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """📊 / 📄 under the office's digest (`rep:x|w[:filter]`): the Excel appendix or Word
    report of exactly what the digest shows (its notice, agency and period; none: everything
    this week, as the weekly digest's buttons), to whoever may export."""
    query = update.callback_query
    assert query is not None
    kind = callback.args[0] if callback.args else ""
    carried = parse_filter_args(callback.args[1:])
    if kind not in ("x", "w") or carried is None:
        await stale_button(update, context)
        return
    person = await who(update, context)
    if not await allowed(update, context, person, Action.EXPORT):
        return
    number: str | None = None
    if carried.notice_id is not None:
        number = await context.services.summary.notice_number(carried.notice_id)
        if number is None:  # the notice was deleted since the digest was sent
            await stale_button(update, context)
            return
    await query.answer(texts(update, context).t("summary.export_working"))
    scope = Scope(notice_number=number, agency_id=carried.agency_id, period=carried.period)
    await _send_files(update, context, scope, xlsx=kind == "x", docx=kind == "w")


async def export_command(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.EXPORT):
        return
    scope = await resolve_scope(context, person, context.args or [])
    if scope is None or scope.unknown is not None:
        today = context.services.ctx.today()
        answer = unknown_filter(t, scope or Scope(), "/xuatbaocao", context.args, today=today)
        await reply(update, answer)
        return
    await _send_files(update, context, scope, xlsx=True, docx=True)


async def _send_files(
    update: Update, context: BotContext, scope: Scope, *, xlsx: bool, docx: bool
) -> None:
    """The Excel appendix and/or the Word report of `scope`, as documents in this chat."""
    t = texts(update, context)
    services = context.services
    rollup = await services.summary.rollup(
        notice_number=scope.notice_number, agency_id=scope.agency_id, period=scope.period
    )
    if rollup.unknown_notice:
        await reply(update, t.t("summary.unknown_notice", number=scope.notice_number or ""))
        return
    head = letterhead(services.ctx.settings)
    stamp = rollup.at.strftime("%Y%m%d")
    message = update.effective_message
    assert message is not None
    at = fmt_date(rollup.at)
    if xlsx:
        rows = await services.summary.task_rows(
            notice_number=scope.notice_number, agency_id=scope.agency_id
        )
        data = await render_file(render_xlsx, rollup, rows, title=XLSX_TITLE, head=head)
        await message.reply_document(
            InputFile(data, filename=f"phu-luc-{stamp}.xlsx"),
            caption=t.t("summary.export_caption_xlsx", at=at),
        )
    if docx:
        data = await render_file(render_docx, rollup, head=head)
        await message.reply_document(
            InputFile(data, filename=f"bao-cao-{stamp}.docx"),
            caption=t.t("summary.export_caption_docx", at=at),
        )
