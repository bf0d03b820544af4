"""What the bot answers to a reply in words (issue 14): one message, whatever the reply held.

A reply about one task gets the answer of its intent (bot/services/reply_items.py says what
was recorded): the usual one-line confirmation with ↩️ Hoàn tác, "Nhiệm vụ đã hoàn thành
chưa?" with ✅ / 🔄 under a note that cites a document, the date understood with ✏️ Sửa ngày,
the card's four buttons under a question. A reply about several tasks (a digest answered line
by line) gets ONE message: a line per task, and ↩️ per task recorded, or one ↩️ Hoàn tác tất
cả when they do not fit the phone's six buttons (or a line recorded two reports). The office's messages are bot/messaging/progress_notices.py's.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callback_data import Act, encode
from bot.domain.progress import ProgressKind
from bot.domain.replies import Intent
from bot.messaging.format import fmt_date, fmt_moment, shorten
from bot.messaging.layout import MAX_BUTTONS, MAX_LINES
from bot.messaging.presenters import status_label
from bot.messaging.progress_notices import confirmation_text
from bot.messaging.texts import Texts
from bot.services.progress import Recorded, Refusal, Waiting
from bot.services.repeats import Repeat
from bot.services.reply_items import (
    Acknowledged,
    DateNeeded,
    ExtensionAsked,
    ItemOutcome,
    NoDeadline,
    Stored,
    Unclear,
)

REFUSAL_KEYS = {
    Refusal.NOT_FOUND: "progress.task_not_found",
    Refusal.NOT_ALLOWED: "progress.not_allowed",
    Refusal.CLOSED: "progress.closed",
    Refusal.NOT_AWAITING: "progress.not_awaiting",
    Refusal.TOO_LATE_TO_UNDO: "progress.undo_too_late",
    Refusal.ALREADY_UNDONE: "progress.undo_already",
    Refusal.DECIDED: "progress.undo_decided",
    Refusal.NO_PENDING_EXTENSION: "progress.no_pending_extension",
    Refusal.NOT_AFTER_DEADLINE: "progress.extension_not_later",
    Refusal.NO_DEADLINE: "replies.no_deadline_nothing_sent",
}
DIGEST_LINES = MAX_LINES - 4  # the head, the "… và N mục khác" line, room to wrap


def _button(label: str, action: Act, *args: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(action, *args))


def recorded_text(t: Texts, outcome: ItemOutcome, recorded: Recorded, evidence: int) -> str:
    """The one-line confirmation of a stored report about one task."""
    code = f"#{outcome.assignment_id}"
    effect = outcome.effect
    assert isinstance(effect, Stored)
    if recorded.kind == ProgressKind.IN_PROGRESS and effect.report.percent is None:
        text = t.t("replies.saved_working", code=code)
        if evidence:
            text += t.t("progress.saved_evidence", n=evidence)
        return text
    text = confirmation_text(t, recorded, evidence)
    if effect.report.obstacle and recorded.kind == ProgressKind.DONE:
        text += "\n" + t.t("replies.obstacle_noted")
    return text


def done_question(
    t: Texts, text: str, assignment_id: int, update_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    """A note that cites a document: "Nhiệm vụ đã hoàn thành chưa?" with ✅ / 🔄 (the card's
    own buttons), and ↩️ Hoàn tác for the note."""
    keyboard = InlineKeyboardMarkup(
        [
            [
                _button(t.t("progress.btn_done"), Act.DONE, assignment_id),
                _button(t.t("progress.btn_in_progress"), Act.PROG, assignment_id),
            ],
            [_button(t.t("progress.btn_undo"), Act.UNDO, update_id)],
        ]
    )
    return f"{text}\n{t.t('replies.ask_done')}", keyboard


def no_deadline_answer(
    t: Texts, assignment_id: int, until: date | None, *, undo_id: int | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """More time asked for a task that has no deadline: nothing to extend, nothing sent; the
    date understood may go to the office as the deadline the agency proposes, with one tap.
    ↩️ Hoàn tác beside it for a figure recorded with the words (`undo_id`)."""
    code = f"#{assignment_id}"
    row = []
    if until is None:
        text = t.t("replies.no_deadline", code=code)
    else:
        text = t.t("replies.no_deadline_propose", code=code, date=fmt_date(until))
        label = t.t("replies.btn_propose", date=fmt_date(until))
        row.append(_button(label, Act.XPROP, assignment_id, f"{until:%Y%m%d}"))
    if undo_id is not None:
        row.append(_button(t.t("progress.btn_undo"), Act.UNDO, undo_id))
    return text, InlineKeyboardMarkup([row]) if row else None


def acknowledged_text(t: Texts, assignment_id: int, effect: Acknowledged) -> str:
    key = "replies.acknowledged" if effect.newly else "replies.acknowledged_again"
    status = status_label(t, effect.status, effect.percent)
    return t.t(key, code=f"#{assignment_id}", status=status)


def extension_sent(
    t: Texts,
    assignment_id: int,
    effect: ExtensionAsked,
    request_id: int,
    *,
    undo_id: int | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The date understood, and ✏️ Sửa ngày to correct it (the request is withdrawn, the
    right date asked); ↩️ Hoàn tác beside it for a figure recorded with the request
    (`undo_id`)."""
    text = t.t(
        "replies.extension_sent",
        code=f"#{assignment_id}",
        date=fmt_date(effect.until),
        words=shorten(effect.reason, 120),
    )
    row = [_button(t.t("replies.btn_fix_date"), Act.XFIX, request_id)]
    if undo_id is not None:
        row.append(_button(t.t("progress.btn_undo"), Act.UNDO, undo_id))
    return text, InlineKeyboardMarkup([row])


def waiting_text(t: Texts, waiting: Waiting, head: str = "") -> str:
    """Another request while one waits for the office: which one, and that nothing was sent;
    under `head` (the line confirming a figure stated with it), when there is one."""
    key = "progress.proposal_waiting" if waiting.proposal else "progress.extension_waiting"
    text = t.t(
        key,
        code=f"#{waiting.assignment_id}",
        date=fmt_date(waiting.requested_end),
        sent=fmt_date(waiting.sent_on),
    )
    return f"{head}\n{text}" if head else text


def digest_answer(
    t: Texts, outcomes: tuple[ItemOutcome, ...], tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    """ONE message for a reply about several tasks: a line each, ↩️ per task recorded; one
    line when the reply only acknowledged them all ("đã tiếp nhận" to a digest). A line that
    repeats a report says when it was recorded (in `tz`)."""
    acks = [o.effect for o in outcomes if isinstance(o.effect, Acknowledged)]
    if len(acks) == len(outcomes) and all(a.result is None for a in acks):
        codes = ", ".join(f"#{o.assignment_id}" for o in outcomes)
        key = (
            "replies.acknowledged_all"
            if any(a.newly for a in acks)
            else "replies.acknowledged_all_again"
        )
        return t.t(key, n=len(outcomes), codes=codes), None
    lines = [t.t("replies.digest_head", n=len(outcomes))]
    lines += [_line(t, outcome, tz) for outcome in outcomes[:DIGEST_LINES]]
    if len(outcomes) > DIGEST_LINES:
        lines.append(t.t("replies.more_lines", n=len(outcomes) - DIGEST_LINES))
    return "\n".join(lines), undo_keyboard_for(t, outcomes)


def undo_keyboard_for(t: Texts, outcomes: tuple[ItemOutcome, ...]) -> InlineKeyboardMarkup | None:
    """Every line that recorded something can be taken back: ↩️ per task when each recorded
    one report and they fit the phone's budget; otherwise ONE ↩️ Hoàn tác tất cả, which takes
    back everything the reply recorded (a figure with its request for more time included)."""
    recorded = [(o.assignment_id, ids) for o in outcomes if (ids := _undoable(o))]
    if not recorded:
        return None
    if len(recorded) > MAX_BUTTONS or any(len(ids) > 1 for _aid, ids in recorded):
        first = min(i for _aid, ids in recorded for i in ids)
        return InlineKeyboardMarkup([[_button(t.t("replies.btn_undo_all"), Act.UNDOALL, first)]])
    undo = [
        _button(t.t("replies.btn_undo_one", code=f"#{aid}"), Act.UNDO, ids[0])
        for aid, ids in recorded
    ]
    return InlineKeyboardMarkup([undo[i : i + 3] for i in range(0, len(undo), 3)])


def undone_all_text(t: Texts, undone: list[Recorded]) -> str:
    """What ↩️ Hoàn tác tất cả took back: a line per task, with its status now."""
    lines = [t.t("replies.undone_all", n=len(undone))]
    lines += [
        t.t(
            "replies.undone_line",
            code=f"#{r.assignment_id}",
            status=status_label(t, r.status, r.percent),
        )
        for r in undone[:DIGEST_LINES]
    ]
    if len(undone) > DIGEST_LINES:
        lines.append(t.t("replies.more_lines", n=len(undone) - DIGEST_LINES))
    return "\n".join(lines)


def _undoable(outcome: ItemOutcome) -> list[int]:
    """The history rows a line recorded: its report, or a request for more time and the
    figure or difficulty stated with it (also when the request did not go out: no date yet,
    or no deadline to extend)."""
    effect = outcome.effect
    ids = []
    stored = effect if isinstance(effect, Stored) else getattr(effect, "stored", None)
    if isinstance(stored, Stored) and isinstance(stored.result, Recorded):
        ids.append(stored.result.update_id)
    if isinstance(effect, ExtensionAsked) and isinstance(effect.result, tuple):
        ids.append(effect.result[0].update_id)
    return ids


def _line(t: Texts, outcome: ItemOutcome, tz: ZoneInfo) -> str:
    effect = outcome.effect
    stored = getattr(effect, "stored", None)
    if isinstance(stored, Stored) and isinstance(stored.result, Recorded):
        # A figure or difficulty stated with a request for more time: both, on one line.
        stated = _one_line(t, ItemOutcome(outcome.item, outcome.assignment_id, stored), tz)
        return f"{stated} {_one_line(t, outcome, tz)}"
    return _one_line(t, outcome, tz)


def _one_line(t: Texts, outcome: ItemOutcome, tz: ZoneInfo) -> str:
    code = f"#{outcome.assignment_id}"
    effect = outcome.effect
    if isinstance(effect, Unclear):
        return t.t("replies.line_unclear", code=code)
    if isinstance(effect, DateNeeded):
        return t.t("replies.line_no_date", code=code)
    if isinstance(effect, NoDeadline):
        return t.t("replies.line_no_deadline", code=code)
    if isinstance(effect, Acknowledged):
        if effect.result is not None:
            return _refused(t, code, effect.result)
        return t.t("replies.line_ack", code=code)
    if isinstance(effect, ExtensionAsked):
        if isinstance(effect.result, Refusal):
            if effect.result is Refusal.NOT_AFTER_DEADLINE:
                return t.t("replies.line_no_date", code=code)
            return _refused(t, code, effect.result)
        if isinstance(effect.result, Repeat):
            return t.t("replies.line_repeat", code=code, time=fmt_moment(effect.result.at, tz))
        if isinstance(effect.result, Waiting):
            return t.t(
                "replies.line_waiting", code=code, date=fmt_date(effect.result.requested_end)
            )
        return t.t("replies.line_extension", code=code, date=fmt_date(effect.until))
    result = effect.result
    if isinstance(result, Refusal):
        return _refused(t, code, result)
    if isinstance(result, Repeat):
        return t.t("replies.line_repeat", code=code, time=fmt_moment(result.at, tz))
    if outcome.item.intent is Intent.REASSIGN:
        return t.t("replies.line_reassign", code=code)
    if result.kind == ProgressKind.DONE:
        awaiting = result.status == "awaiting_confirmation"
        return t.t("replies.line_done_awaiting" if awaiting else "replies.line_done", code=code)
    if result.kind == ProgressKind.BLOCKED:
        return t.t("replies.line_blocked", code=code)
    if result.kind == ProgressKind.IN_PROGRESS:
        if effect.report.percent is None:
            return t.t("replies.line_working", code=code)
        return t.t("replies.line_percent", code=code, percent=result.percent)
    return t.t("replies.line_note", code=code)


def _refused(t: Texts, code: str, refusal: Refusal) -> str:
    reason = t.t(REFUSAL_KEYS[refusal], code=code)
    return t.t("replies.line_refused", code=code, reason=reason)
