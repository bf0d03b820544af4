"""What a recorded report says, to the chat it came from and to the office: one place for the
chat's buttons, replies and /capnhat (handlers/progress.py) and the web app's form (web/form.py),
so a report reads the same whichever way it was made."""

from __future__ import annotations

from datetime import date

from telegram import Bot, InlineKeyboardMarkup

from bot.domain.progress import ProgressKind, ProgressReport, asks_for_extension
from bot.messaging.delivery import deliver_to_agency, deliver_to_office
from bot.messaging.format import fmt_date, shorten
from bot.messaging.keyboards import (
    completion_keyboard,
    extension_keyboard,
    reassign_keyboard,
    undo_keyboard,
)
from bot.messaging.texts import Texts, texts_for
from bot.services import Services
from bot.services.agencies import AgencyRef
from bot.services.progress import Recorded


def confirmation_text(t: Texts, recorded: Recorded, evidence: int, note: str = "") -> str:
    """The one-line confirmation under which ↩️ Hoàn tác stays for UNDO_MINUTES."""
    code = f"#{recorded.assignment_id}"
    if recorded.kind == ProgressKind.DONE:
        key = (
            "progress.saved_done_awaiting"
            if recorded.status == "awaiting_confirmation"
            else "progress.saved_done"
        )
    elif recorded.kind == ProgressKind.BLOCKED:
        key = "progress.saved_blocked"
    elif recorded.kind == ProgressKind.IN_PROGRESS:
        key = "progress.saved_percent"
    else:
        key = "progress.saved_note"
    text = t.t(key, code=code, percent=recorded.percent)
    if evidence:
        text += t.t("progress.saved_evidence", n=evidence)
    if note and asks_for_extension(note):
        text += "\n" + t.t("progress.extension_hint")
    return text


def office_notice(
    t: Texts, recorded: Recorded, report: ProgressReport
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """What the office is told of a report (a completion to confirm, a blocker), or None."""
    if recorded.status == "awaiting_confirmation" and recorded.kind == ProgressKind.DONE:
        # The office decides from this message alone: say which task, and the agency's words
        # only when there are some (the ✅ button sends none).
        note = shorten(report.note, 500)
        text = t.t(
            "progress.office_awaiting" if note else "progress.office_awaiting_no_text",
            agency=recorded.agency_name,
            code=recorded.task_label,
            text=note,
        )
        if report.obstacle:  # "Đã hoàn thành. Tuy nhiên còn vướng kinh phí…"
            text += "\n" + t.t("replies.office_obstacle")
        return text, completion_keyboard(t, recorded.assignment_id)
    if recorded.kind == ProgressKind.BLOCKED or report.obstacle:
        text = t.t(
            "progress.office_blocked",
            agency=recorded.agency_name,
            code=recorded.task_label,
            text=shorten(report.note, 500),
        )
        return text, None
    return None


async def tell_office_of_report(
    bot: Bot,
    services: Services,
    recorded: Recorded,
    report: ProgressReport,
) -> None:
    t = texts_for(None, services.ctx.settings.language)
    notice = office_notice(t, recorded, report)
    if notice is None:
        return
    text, keyboard = notice
    await deliver_to_office(
        bot, services, text, reply_markup=keyboard, assignment_ids=[recorded.assignment_id]
    )


async def tell_office_of_extension(
    bot: Bot,
    services: Services,
    recorded: Recorded,
    request_id: int,
    *,
    new_end: date,
    current: date | None,
    reason: str,
) -> None:
    """The extension request, with ✅ Đồng ý / ❌ Từ chối for the office."""
    t = texts_for(None, services.ctx.settings.language)
    text = t.t(
        "progress.office_extension",
        agency=recorded.agency_name,
        code=f"#{recorded.assignment_id}",
        date=fmt_date(new_end),
        current=fmt_date(current) if current else t.t("tasks.no_deadline"),
        reason=reason or "—",
    )
    await deliver_to_office(
        bot,
        services,
        text,
        reply_markup=extension_keyboard(t, request_id),
        assignment_ids=[recorded.assignment_id],
    )


async def tell_office_of_reassign(
    bot: Bot, services: Services, recorded: Recorded, words: str, proposed: AgencyRef | None
) -> None:
    """An agency says the task is not theirs: the office decides, 🔀 to the agency named (the
    same button as /giaolai's choices) or Giữ nguyên."""
    t = texts_for(None, services.ctx.settings.language)
    code = f"#{recorded.assignment_id}"
    lines = [
        t.t(
            "replies.office_reassign",
            agency=recorded.agency_name,
            code=recorded.task_label,
            text=shorten(words, 500),
        )
    ]
    if proposed is not None:
        lines.append(t.t("replies.office_reassign_named", proposed=proposed.name))
    lines.append(t.t("replies.office_reassign_other", code=code))
    await deliver_to_office(
        bot,
        services,
        "\n".join(lines),
        reply_markup=reassign_keyboard(t, recorded.assignment_id, proposed),
        assignment_ids=[recorded.assignment_id],
    )


async def tell_office_of_withdrawal(
    bot: Bot, services: Services, *, agency: str, assignment_id: int, until: date
) -> None:
    """The agency took back an extension request to fix its date (✏️ Sửa ngày)."""
    t = texts_for(None, services.ctx.settings.language)
    text = t.t(
        "replies.office_withdrawn", agency=agency, code=f"#{assignment_id}", date=fmt_date(until)
    )
    await deliver_to_office(bot, services, text, assignment_ids=[assignment_id])


async def confirm_to_agency(
    bot: Bot,
    services: Services,
    recorded: Recorded,
    text: str,
    *,
    with_undo: bool = True,
) -> None:
    """A report made outside the agency's chat (the web form): its confirmation goes to the
    agency's chats, with ↩️ Hoàn tác, so the group sees it as if it had been made there."""
    t = texts_for(None, services.ctx.settings.language)
    await deliver_to_agency(
        bot,
        services,
        recorded.agency_id,
        text,
        reply_markup=undo_keyboard(t, recorded.update_id) if with_undo else None,
        assignment_ids=[recorded.assignment_id],
    )
