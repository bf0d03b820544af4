"""The weekly summary posted to the office (the digest and its chart) and to each agency (its
own status), once per week: each (chat, week) is claimed in dispatch_log before it is sent.

The JobQueue's weekly job and, after the weekly moment, every reminder sweep call
`post_weekly_summary` (bot/jobs.py), so a bot that was down on Friday at 16:00 still posts it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from enum import StrEnum

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import TelegramError

from bot.domain.periods import week
from bot.messaging.delivery import is_gone, send_to
from bot.messaging.keyboards import summary_keyboard
from bot.messaging.summary_presenter import chart_caption, render_agency_status, render_digest
from bot.messaging.texts import texts_for
from bot.reports.chart import render_chart
from bot.services import Services
from bot.services.conversation import ChatTarget
from bot.services.summary import Rollup

log = logging.getLogger(__name__)


async def post_weekly_summary(bot: Bot, services: Services) -> int:
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
    if rollup.changes.new_today == rollup.overall.total:
        # Every task was assigned today (a notice imported on the summary's day): nothing to
        # report yet, and no agency is chased for tasks it received hours ago.
        await services.dispatch.mark_done(kind="weekly-run", target="all", period=label)
        return 0
    outcomes: list[Outcome] = []
    for target in await services.conversation.office_chats():
        outcomes.append(
            await _send_once(
                bot,
                services,
                "weekly",
                target,
                label,
                render_digest(rollup, t.lang),
                rollup,
                summary_keyboard(t),
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
    bot: Bot,
    services: Services,
    kind: str,
    target: ChatTarget,
    period: str,
    text: str,
    chart_of: Rollup | None,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Outcome:
    claim = await services.dispatch.claim(
        kind=kind, target=f"{target.chat_id}:{target.thread_id}", period=period
    )
    if claim is None:
        return Outcome.ALREADY
    message = await send_to(bot, services, target, text, reply_markup=keyboard)  # the runs retry
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
                caption=chart_caption(chart_of, services.ctx.settings.language),
                message_thread_id=target.thread_id or None,
            )
        except TelegramError as error:
            log.warning("weekly chart to %s failed: %s", target.chat_id, error)
    return Outcome.SENT
