"""Reminder commands (/nhacngay, /tamdung, /tieptuc, /chuatiepnhan) and the 👍 Đã tiếp nhận
button.

The sweep itself lives in `bot.messaging.sweep` (the scheduler runs it every minute);
/nhacngay only runs it now.
"""

from __future__ import annotations

import re
from datetime import date

from telegram import Update

from bot.domain.callback_data import Act, Callback
from bot.domain.impossible_dates import ImpossibleDate, impossible_dates
from bot.domain.permissions import Action
from bot.domain.progress import ProgressError, parse_user_date
from bot.messaging.date_answers import impossible_date_text
from bot.messaging.delivery import to_office
from bot.messaging.keyboards import pages_keyboard, remind_now_keyboard
from bot.messaging.presenters import fmt_date, weekday_date
from bot.messaging.reminder_presenter import unacknowledged_pages
from bot.messaging.sweep import SweepReport, run_sweep_now
from bot.messaging.texts import Texts, texts_for
from bot.services import Services
from bot.services.access import Who
from bot.services.pause import PauseService
from bot.services.reminders import QuietReason
from handlers.base import BotContext, drop_buttons, edit, reply, texts, who
from handlers.guards import allowed, stale_button, turned_away
from handlers.progress import source_of

DAYS_ARG = re.compile(r"^(\d{1,3})(?:\s*(?:ngay|ngày|days?|d))?$", re.I)
NAMES_SHOWN = 10


# --- /nhacngay ------------------------------------------------------------------------------


async def remind_now(update: Update, context: BotContext) -> None:
    """Today's reminders, now (admins): before REMINDER_TIME too; on a day off, the next
    working day's after a confirmation. Claimed like the sweep's, so the scheduled sweep does
    not send them again, and a second /nhacngay sends nothing new."""
    person = await who(update, context)
    if not await allowed(update, context, person, Action.REMIND_NOW):
        return
    services = context.services
    t = texts(update, context)
    if await services.reminders.quiet_reason() is QuietReason.DAY_OFF:
        day = await services.reminders.next_working_day()
        today = services.ctx.today()
        question = t.t(
            "remind.now_day_off_ask", today=weekday_date(t, today), day=weekday_date(t, day)
        )
        await reply(update, question, reply_markup=remind_now_keyboard(t, day))
        return
    await _remind(update, context, day=None)


async def remind_now_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """✅ Gửi ngay / ❌ Thôi under /nhacngay's question on a day off (`rnow:<yyyymmdd>`)."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    if not await allowed(update, context, person, Action.REMIND_NOW):
        return
    t = texts(update, context)
    stamp = callback.int_arg(0)
    day = _day_of(stamp) if stamp else None
    if stamp and (day is None or day <= context.services.ctx.today()):
        await stale_button(update, context)  # that day came: its sweep has run or will
        return
    await query.answer()
    await drop_buttons(query)
    if day is None:
        await reply(update, t.t("remind.now_not_sent"))
        return
    await _remind(update, context, day=day)


def _day_of(stamp: int) -> date | None:
    try:
        return date(stamp // 10000, stamp // 100 % 100, stamp % 100)
    except ValueError:
        return None


async def _remind(update: Update, context: BotContext, *, day: date | None) -> None:
    services = context.services
    early = day is None and await services.reminders.quiet_reason() is QuietReason.BEFORE_TIME
    report = await run_sweep_now(context.application, asked=True, day=day)
    unacked = await services.reminders.unacknowledged()
    t = texts(update, context)
    answer = sweep_answer(t, report, services, [f"{u.agency_name} ({u.count})" for u in unacked])
    if (early or day is not None) and report.messages:
        time = services.ctx.settings.reminder_time.strftime("%H:%M")
        answer += "\n\n" + t.t("remind.now_early", time=time)
    await reply(update, answer)


def sweep_answer(t: Texts, report: SweepReport, services: Services, unacked: list[str]) -> str:
    settings = services.ctx.settings
    if report.messages:
        lines = [t.t("remind.now_sent", messages=report.messages, reminders=report.sent)]
    elif report.quiet is QuietReason.BEFORE_TIME:
        lines = [t.t("remind.now_before_time", time=settings.reminder_time.strftime("%H:%M"))]
    elif report.quiet is QuietReason.DAY_OFF:
        lines = [t.t("remind.now_day_off")]
    else:
        lines = [t.t("remind.now_nothing")]
    if report.unreachable:
        lines.append(t.t("remind.now_unreachable", names=_names(report.unreachable)))
    if unacked:
        lines.append(t.t("remind.now_unack", names=_names(unacked)))
    return "\n\n".join(lines)


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    return shown + (f" … (+{len(names) - NAMES_SHOWN})" if len(names) > NAMES_SHOWN else "")


async def unacknowledged(update: Update, context: BotContext) -> None:
    """/chuatiepnhan: which agencies have not confirmed receipt of their tasks (the office)."""
    person = await who(update, context)
    if not await allowed(update, context, person, Action.VIEW_ALL):
        return
    rows = await context.services.reminders.unacknowledged()
    t = texts(update, context)
    pages = unacknowledged_pages(t, rows)
    await reply(
        update, pages[0], reply_markup=pages_keyboard(t, Act.UPAGE, page=1, pages=len(pages))
    )


async def unacknowledged_page_pressed(
    update: Update, context: BotContext, callback: Callback
) -> None:
    """◀️ ▶️ under /chuatiepnhan (`upage:<page>`): that page, in place."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    if not await allowed(update, context, person, Action.VIEW_ALL):
        return
    t = texts(update, context)
    pages = unacknowledged_pages(t, await context.services.reminders.unacknowledged())
    page = min(max(callback.int_arg(0) or 1, 1), len(pages))
    await query.answer()
    await edit(
        query,
        pages[page - 1],
        reply_markup=pages_keyboard(t, Act.UPAGE, page=page, pages=len(pages)),
    )


# --- /tamdung, /tieptuc -----------------------------------------------------------------------


def agency_of(person: Who) -> int | None:
    """The agency a pause is about: the chat's agency, or in private the person's only one."""
    if person.scope.agency_id is not None:
        return person.scope.agency_id
    if person.scope.is_private and len(person.actor.agencies) == 1:
        return next(iter(person.actor.agencies))
    return None


async def _agency_to_pause(update: Update, context: BotContext) -> int | None:
    """The agency /tamdung or /tieptuc acts on, once the person may; else answered, None."""
    person = await who(update, context)
    if await turned_away(update, context, person):
        return None
    agency_id = agency_of(person)
    if agency_id is None:
        await reply(update, texts(update, context).t("remind.pause_where"))
        return None
    if not await allowed(update, context, person, Action.PAUSE, agency_id=agency_id):
        return None
    return agency_id


def _pause_example(service: PauseService, found: ImpossibleDate) -> str:
    """/tamdung with the nearest real date, if a pause may end then; else a week's pause."""
    mended = found.mended(service.until_for_days(1).year)
    until = mended if service.valid_until(mended) else service.until_for_days(7)
    return f"/tamdung {fmt_date(until)}"


async def pause(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    agency_id = await _agency_to_pause(update, context)
    if agency_id is None:
        return
    service = context.services.pause
    raw = " ".join(context.args or []).strip()
    if not raw:
        await reply(update, t.t("remind.pause_usage"))
        return
    match = DAYS_ARG.match(raw)
    if match and int(match[1]) < 1:  # "/tamdung 0" is no pause: say how, change nothing
        await reply(update, t.t("remind.pause_usage"))
        return
    impossible = impossible_dates(raw)
    if impossible:  # "/tamdung 31/02/2026": which date is not on the calendar (review O1)
        await reply(
            update, impossible_date_text(t, impossible[0], _pause_example(service, impossible[0]))
        )
        return
    if match:
        until = service.until_for_days(int(match[1]))
    else:
        parsed = parse_user_date(raw, today=context.services.ctx.today())
        if isinstance(parsed, ProgressError):
            await reply(update, t.t("remind.pause_usage"))
            return
        until = parsed
    if not service.valid_until(until):
        await reply(update, t.t("remind.pause_invalid_date", max_days=service.MAX_DAYS))
        return
    result = await service.pause(agency_id, until)
    if result is None:
        await reply(update, t.t("remind.pause_where"))
        return
    await reply(update, t.t("remind.paused", agency=result.agency_name, date=fmt_date(until)))
    await tell_office(
        update,
        context,
        "remind.office_paused",
        agency=result.agency_name,
        date=fmt_date(until),
    )


async def resume(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    agency_id = await _agency_to_pause(update, context)
    if agency_id is None:
        return
    service = context.services.pause
    was_paused = await service.paused_until(agency_id)
    result = await service.resume(agency_id)
    if result is None:
        await reply(update, t.t("remind.pause_where"))
        return
    if was_paused is None:
        await reply(update, t.t("remind.not_paused", agency=result.agency_name))
        return
    await reply(update, t.t("remind.resumed", agency=result.agency_name))
    await tell_office(update, context, "remind.office_resumed", agency=result.agency_name)


async def tell_office(update: Update, context: BotContext, key: str, **values: object) -> None:
    """The office is told of every pause and resume, in the office's language."""
    services = context.services
    office_t = texts_for(None, services.ctx.settings.language)
    name = update.effective_user.full_name if update.effective_user else "?"
    here = update.effective_chat.id if update.effective_chat else None
    text = office_t.t(key, who=name, **values)
    await services.outbox.post(
        to_office(
            text, except_chat=here, family="notice", item=text, source=str(values.get("agency", ""))
        )
    )


# --- 👍 Đã tiếp nhận --------------------------------------------------------------------------


async def acknowledge(update: Update, context: BotContext, callback: Callback) -> None:
    """`ack:<agency>:<notice>`: the agency confirms receipt of that notice's tasks."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    agency_id = callback.int_arg(0)
    notice_id = callback.int_arg(1)
    if agency_id is None or notice_id is None:
        await stale_button(update, context)
        return
    person = await who(update, context)
    if not await allowed(update, context, person, Action.REPORT, agency_id=agency_id):
        return
    services = context.services
    pending = await services.reminders.unacknowledged_of(agency_id=agency_id, notice_id=notice_id)
    count = await services.progress.acknowledge(person, pending, source_of(update))
    if count == 0:
        await query.answer(t.t("remind.ack_already"))
        return
    name = update.effective_user.full_name if update.effective_user else ""
    text = t.t("remind.acked", name=name, count=count)
    await query.answer(text)
    await reply(update, text)
