"""What a recorded report says, to the chat it came from and to the office: one place for the
chat's buttons, replies and /capnhat (handlers/progress.py) and the web app's form (web/form.py),
so a report reads the same whichever way it was made."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardMarkup

from bot.domain.progress import ProgressKind, ProgressReport, asks_for_extension
from bot.messaging.delivery import to_agency, to_office
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
from bot.services.outbox import Outgoing
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


def office_notices(t: Texts, recorded: Recorded, report: ProgressReport) -> list[Outgoing]:
    """The office's notification of a report, if it needs one: written with the report
    (`services.outbox.along`), coalesced with others waiting for the office."""
    notice = office_notice(t, recorded, report)
    if notice is None:
        return []
    text, keyboard = notice
    key = "outbox.item_done" if recorded.kind == ProgressKind.DONE else "outbox.item_blocked"
    item = t.t(
        key,
        agency=recorded.agency_name,
        code=recorded.task_label,
        text=shorten(report.note, 160),
    )
    return [
        to_office(
            text, keyboard, assignment_ids=[recorded.assignment_id], family="report",
            item=item.replace(" «»", ""), tag=f"#{recorded.assignment_id}",
            source=recorded.agency_name,
        )
    ]  # fmt: skip


def extension_notice(
    t: Texts,
    recorded: Recorded,
    request_id: int,
    *,
    new_end: date,
    current: date | None,
    reason: str,
) -> Outgoing:
    """The extension request (or the deadline proposed for a task without one), with ✅ Đồng ý
    gia hạn (Đồng ý thời hạn đề xuất) / ❌ Không đồng ý for the office."""
    values = {
        "agency": recorded.agency_name,
        "code": f"#{recorded.assignment_id}",
        "date": fmt_date(new_end),
        "current": fmt_date(current) if current else t.t("tasks.no_deadline"),
        "reason": reason or "—",
    }
    key = "progress.office_extension" if current else "progress.office_proposal"
    return to_office(
        t.t(key, **values),
        extension_keyboard(t, request_id, proposal=current is None),
        assignment_ids=[recorded.assignment_id],
        family="report",
        item=t.t("outbox.item_extension", **{**values, "reason": shorten(reason or "—", 160)}),
        tag=f"#{recorded.assignment_id}",
        source=recorded.agency_name,
    )


def reassign_notice(
    t: Texts, recorded: Recorded, words: str, proposed: AgencyRef | None
) -> Outgoing:
    """An agency says the task is not theirs: the office decides, 🔀 to the agency named (the
    same button as /giaolai's choices) or Giữ nguyên."""
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
    return to_office(
        "\n".join(lines),
        reassign_keyboard(t, recorded.assignment_id, proposed),
        assignment_ids=[recorded.assignment_id],
    )


def withdrawal_notice(t: Texts, *, agency: str, assignment_id: int, until: date) -> Outgoing:
    """The agency took back an extension request to fix its date (✏️ Sửa ngày)."""
    text = t.t(
        "replies.office_withdrawn", agency=agency, code=f"#{assignment_id}", date=fmt_date(until)
    )
    return to_office(text, assignment_ids=[assignment_id], family="notice", item=text)


def agency_notice(
    recorded: Recorded, text: str, markup: InlineKeyboardMarkup | None = None
) -> Outgoing:
    """A message about a task to its agency's chats (the office's decision, say)."""
    return to_agency(
        recorded.agency_id, text, markup, assignment_ids=[recorded.assignment_id],
        family="notice", item=text, tag=f"#{recorded.assignment_id}",
    )  # fmt: skip


def agency_confirmation(
    services: Services, recorded: Recorded, text: str, *, with_undo: bool = True
) -> Outgoing:
    """A report made outside the agency's chat (the web form): its confirmation goes to the
    agency's chats, with ↩️ Hoàn tác, so the group sees it as if it had been made there."""
    t = texts_for(None, services.ctx.settings.language)
    return agency_notice(
        recorded, text, undo_keyboard(t, recorded.update_id) if with_undo else None
    )
