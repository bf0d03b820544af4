"""📅 Đề xuất thời hạn: a task without a deadline has nothing to extend, so more time asked for
it (in words or after 📅) sends nothing and offers this button, which sends the date
understood to the office as the deadline the agency proposes (decided with ✅ / ❌ as an
extension is). docs/replies.md, "Acting"."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.domain.callback_data import Callback
from bot.messaging.format import fmt_date
from bot.messaging.progress_notices import extension_notice
from bot.messaging.reply_answers import waiting_text
from bot.services.outbox import Outgoing
from bot.services.progress import Refusal, Waiting
from bot.services.repeats import Repeat
from handlers.base import BotContext, drop_buttons, reply_about, texts, who
from handlers.guards import target_of
from handlers.progress import answer_repeat, office_texts, refuse, source_of


async def proposal_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """The date understood, sent to the office as the proposed deadline (once: pressed again,
    the request repeats and is said so)."""
    assignment_id = await target_of(update, context, callback)
    if assignment_id is None:
        return
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    services = context.services
    until = _day(callback.args[1] if len(callback.args) > 1 else "")
    if until is None or until < services.ctx.today():
        await query.answer(t.t("common.stale_button"), show_alert=True)
        return
    person = await who(update, context)
    reason = t.t("replies.proposal_reason")

    def to_office(result: object) -> list[Outgoing]:
        if not isinstance(result, tuple):
            return []
        recorded, request_id = result
        return [
            extension_notice(
                office_texts(context), recorded, request_id, new_end=until, current=None,
                reason=reason,
            )
        ]  # fmt: skip

    result = await services.outbox.along(
        services.progress.request_extension(
            person, assignment_id, new_end=until, reason=reason, source=source_of(update),
            proposal=True,
        ),
        to_office,
    )  # fmt: skip
    if isinstance(result, Refusal):
        await refuse(update, context, result, f"#{assignment_id}")
        return
    if isinstance(result, Repeat):
        await answer_repeat(update, context, t, result)
        return
    if isinstance(result, Waiting):  # a proposal waits for the office: nothing sent
        await query.answer(waiting_text(t, result), show_alert=True)
        return
    await query.answer()
    if getattr(query.message, "reply_markup", None):
        await drop_buttons(query)
    text = t.t("replies.proposal_sent", code=f"#{assignment_id}", date=fmt_date(until))
    await reply_about(update, context, [assignment_id], text)


def _day(value: str) -> date | None:
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None
