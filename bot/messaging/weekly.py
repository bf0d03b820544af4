"""The weekly summary posted to the office (the digest and its chart) and to each agency (its
own status), once per week: each (chat, week) is claimed in dispatch_log and written to the
outbox in one transaction.

The JobQueue's weekly job and, after the weekly moment, every reminder sweep call
`post_weekly_summary` (bot/jobs.py), so a bot that was down on Friday at 16:00 still posts it.
"""

from __future__ import annotations

import logging
from datetime import date

from telegram import InlineKeyboardMarkup

from bot.domain.periods import week
from bot.messaging.keyboards import summary_keyboard
from bot.messaging.outbox_presenter import CHART, chart_row, outgoing
from bot.messaging.summary_presenter import render_agency_status, render_digest
from bot.messaging.texts import texts_for
from bot.services import Services
from bot.services.conversation import ChatTarget

log = logging.getLogger(__name__)


async def post_weekly_summary(services: Services) -> int:
    """The Friday summary: the digest (and chart) to the office, each agency its status,
    written to the outbox (its sender delivers them, retries them for OUTBOX_RETRY_HOURS and
    shows the office what finally fails). Returns the chats queued by this run.

    Each (chat, week) is claimed once in dispatch_log in the same transaction as its outbox
    rows, so a restart, a second instance or a late run queues nothing twice, and a crash
    before the commit leaves nothing claimed.
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
    queued = 0
    for target in await services.conversation.office_chats():
        queued += await _queue_once(
            services, target, label, render_digest(rollup, t.lang), summary_keyboard(t),
            chart=period.end if rollup.agencies else None,
        )  # fmt: skip
    for agency in rollup.agencies:
        agency_rollup = await services.summary.rollup(agency_id=agency.agency_id, period=period)
        text = render_agency_status(agency_rollup, t.lang)
        for target in await services.conversation.agency_chats(agency.agency_id):
            queued += await _queue_once(services, target, label, text, None)
    await services.dispatch.mark_done(kind="weekly-run", target="all", period=label)
    return queued


def weekly_due(services: Services) -> bool:
    """Past this week's summary moment (same day): a bot that was down at 16:00 catches up."""
    settings = services.ctx.settings
    local = services.ctx.now().astimezone(settings.timezone)
    return (
        local.weekday() == settings.weekly_summary_weekday
        and local.time() >= settings.weekly_summary_time
    )


async def _queue_once(
    services: Services,
    target: ChatTarget,
    period: str,
    text: str,
    keyboard: InlineKeyboardMarkup | None,
    *,
    chart: date | None = None,
) -> int:
    """Claim (chat, week) and write its summary (and the chart of the week ending `chart`)
    to the outbox, in one transaction; 1 when this run queued it, 0 when it was claimed
    before (an earlier run, another instance)."""
    async with services.ctx.uow():
        claim = await services.dispatch.claim(
            kind="weekly", target=f"{target.chat_id}:{target.thread_id}", period=period
        )
        if claim is None:
            return 0
        chat = (target.chat_id, target.thread_id)
        messages = [outgoing(text, keyboard, chat=chat, purpose="weekly")]
        if chart is not None:
            # The chart is drawn when it is sent (bot/messaging/outbox.py): the row says whose.
            t = texts_for(None, services.ctx.settings.language)
            messages.append(
                outgoing(chart_row(chart), chat=chat, purpose=CHART, item=t.t("outbox.chart"))
            )
        await services.outbox.post(*messages)
        await services.dispatch.sent(claim, message_id=None)
    return 1
