"""/tonghop (the roll-up in chat, with its chart), /xuatbaocao (Excel + Word), and the
weekly summary posted to the office and to each agency, once per week."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.domain.periods import Period, backwards_range, parse_period, week
from bot.domain.permissions import Action
from bot.domain.text import fold
from bot.messaging.delivery import is_gone, send_to
from bot.messaging.presenters import agency_not_matched, fmt_date
from bot.messaging.summary_presenter import render_agency_status, render_digest
from bot.messaging.texts import Texts, texts_for
from bot.reports.chart import render_chart
from bot.reports.docx import render_docx
from bot.reports.xlsx import render_xlsx
from bot.services import Services
from bot.services.access import Who
from bot.services.agencies import AgencyMatch
from bot.services.conversation import ChatTarget
from bot.services.summary import Rollup
from handlers.base import BotContext, reply, texts, who
from handlers.guards import allowed

log = logging.getLogger(__name__)
DEFAULT_ORG = "BAN CHỈ ĐẠO"
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


def unknown_filter(t: Texts, scope: Scope, command: str, args: list[str] | None = None) -> str:
    """A filter naming several agencies lists them; anything else gets the usage."""
    query = scope.unknown if scope.unknown is not None else " ".join(args or [])
    backwards = backwards_range(query)
    if backwards is not None:
        start, end = backwards
        return t.t(
            "summary.backwards_range", command=command, start=fmt_date(start), end=fmt_date(end)
        )
    if scope.unknown_agency is not None and scope.unknown_agency.candidates:
        return agency_not_matched(t, query, scope.unknown_agency, command=command)
    if scope.periods_only:
        return t.t("summary.unknown_period", query=query)
    return t.t("summary.unknown_filter", query=query)


async def summary_command(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    scope = await resolve_scope(context, person, context.args or [])
    if scope is None:
        await allowed(update, context, person, Action.VIEW_ALL)
        return
    if scope.unknown is not None:
        await reply(update, unknown_filter(t, scope, "/tonghop"))
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
    await reply(update, render_digest(rollup, t.lang))
    if rollup.agencies:
        png = await asyncio.to_thread(render_chart, rollup)
        await update.effective_message.reply_photo(  # type: ignore[union-attr]
            InputFile(png, filename="tong-hop.png"),
            caption=t.t("summary.chart_caption", at=fmt_date(rollup.at)),
        )


async def export_command(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.EXPORT):
        return
    scope = await resolve_scope(context, person, context.args or [])
    if scope is None or scope.unknown is not None:
        await reply(update, unknown_filter(t, scope or Scope(), "/xuatbaocao", context.args))
        return
    services = context.services
    rollup = await services.summary.rollup(
        notice_number=scope.notice_number, agency_id=scope.agency_id, period=scope.period
    )
    if rollup.unknown_notice:
        await reply(update, t.t("summary.unknown_notice", number=scope.notice_number or ""))
        return
    rows = await services.summary.task_rows(
        notice_number=scope.notice_number, agency_id=scope.agency_id
    )
    xlsx, docx = await asyncio.gather(
        asyncio.to_thread(render_xlsx, rollup, rows, title=XLSX_TITLE),
        asyncio.to_thread(render_docx, rollup, org_name=DEFAULT_ORG),
    )
    stamp = rollup.at.strftime("%Y%m%d")
    message = update.effective_message
    assert message is not None
    at = fmt_date(rollup.at)
    await message.reply_document(
        InputFile(xlsx, filename=f"phu-luc-{stamp}.xlsx"),
        caption=t.t("summary.export_caption_xlsx", at=at),
    )
    await message.reply_document(
        InputFile(docx, filename=f"bao-cao-{stamp}.docx"),
        caption=t.t("summary.export_caption_docx", at=at),
    )


async def post_weekly_summary(bot, services: Services) -> int:  # type: ignore[no-untyped-def]
    """The Friday summary: the digest (and chart) to the office, each agency its status.

    Each (chat, week) is claimed once in dispatch_log, so a restart, a second instance or
    a late run sends nothing twice; a failed send releases its claim for the next run.
    """
    today: date = services.ctx.today()
    period = week(today, week_ends_on=services.ctx.settings.weekly_summary_weekday)
    label = period.end.isoformat()
    if await services.dispatch.is_done(kind="weekly-run", target="all", period=label):
        return 0
    await services.dispatch.release_stale(kind="weekly")
    t = texts_for(None, services.ctx.settings.language)
    rollup = await services.summary.rollup(period=period)
    if rollup.overall.total == 0:
        return 0
    outcomes: list[Outcome] = []
    for target in await services.conversation.office_chats():
        outcomes.append(
            await _send_once(
                bot, services, "weekly", target, label, render_digest(rollup, t.lang), rollup
            )
        )
    for agency in rollup.agencies:
        agency_rollup = await services.summary.rollup(agency_id=agency.agency_id, period=period)
        text = render_agency_status(agency_rollup, t.lang)
        for target in await services.conversation.agency_chats(agency.agency_id):
            outcomes.append(await _send_once(bot, services, "weekly", target, label, text, None))
    if Outcome.FAILED not in outcomes:
        # Only a run with no failed send is done: otherwise the next sweep (every minute)
        # runs it again, and the claims skip every chat that already has its summary.
        await services.dispatch.mark_done(kind="weekly-run", target="all", period=label)
    return outcomes.count(Outcome.SENT)


def weekly_due(services: Services) -> bool:
    """Past this week's summary moment (same day): a bot that was down at 16:00 catches up."""
    settings = services.ctx.settings
    local = services.ctx.now().astimezone(settings.timezone)
    return (
        local.weekday() == settings.weekly_summary_weekday
        and local.time() >= settings.weekly_summary_time
    )


class Outcome(StrEnum):
    """What one chat's weekly summary send did in this run."""

    SENT = "sent"
    ALREADY = "already"  # claimed by an earlier run or another instance
    FAILED = "failed"  # released: the next run tries again
    GONE = "gone"  # the chat is gone and unbound


async def _send_once(
    bot,  # type: ignore[no-untyped-def]
    services: Services,
    kind: str,
    target: ChatTarget,
    period: str,
    text: str,
    chart_of: Rollup | None,
) -> Outcome:
    claim = await services.dispatch.claim(
        kind=kind, target=f"{target.chat_id}:{target.thread_id}", period=period
    )
    if claim is None:
        return Outcome.ALREADY
    message = await send_to(bot, services, target, text, retry_delays=())  # the runs retry
    if isinstance(message, TelegramError):
        await services.dispatch.failed(claim, error=str(message))
        if is_gone(message):
            return Outcome.GONE  # its bindings ended: not a chat to retry
        log.warning("weekly summary to %s failed: %s", target.chat_id, message)
        return Outcome.FAILED
    await services.dispatch.sent(claim, message_id=message.message_id)
    if chart_of is not None and chart_of.agencies:
        try:  # the chart is a companion: its failure must not resend the digest
            png = await asyncio.to_thread(render_chart, chart_of)
            await bot.send_photo(
                target.chat_id,
                InputFile(png, filename="tong-hop.png"),
                message_thread_id=target.thread_id or None,
            )
        except TelegramError as error:
            log.warning("weekly chart to %s failed: %s", target.chat_id, error)
    return Outcome.SENT


async def weekly_summary_job(context: BotContext) -> None:
    """The scheduler's weekly job: thin, the work is in post_weekly_summary. The reminder
    sweep also calls it after the weekly moment, so a restart on Friday evening still posts
    it; the dispatch claims make every call after the first one send nothing."""
    services = context.application.bot_data["services"]
    if not weekly_due(services):
        return
    count = await post_weekly_summary(context.bot, services)
    if count:
        log.info("weekly summary: %d messages sent", count)


def register(app: Application) -> None:
    app.add_handler(CommandHandler(["tonghop", "summary"], summary_command))
    app.add_handler(CommandHandler(["xuatbaocao", "export"], export_command))
