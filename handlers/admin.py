"""The office's task editing: /giaoviec, /doihan, /giaolai, /huynv, /mat, /themadmin."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.domain.bounds import bounded_id, bounded_user_id
from bot.domain.callback_data import Act, Callback
from bot.domain.permissions import Action
from bot.messaging.delivery import to_agency
from bot.messaging.format import fmt_date, shorten
from bot.messaging.keyboards import (
    agency_choices_keyboard,
    cancel_task_keyboard,
    form_button,
    progress_keyboard,
)
from bot.messaging.presenters import agency_not_matched, task_text
from bot.messaging.texts import Raw, Texts, texts_for
from bot.services.access import Who
from bot.services.admin_tasks import Edited, EditError
from bot.services.agencies import AgencyMatch
from bot.services.outbox import Outgoing
from bot.services.tasks import Holder
from handlers.base import BotContext, drop_buttons, reply, texts, who
from handlers.guards import allowed, target_of

ERROR_KEYS = {
    EditError.TASK_NOT_FOUND: "admin.task_not_found",
    EditError.BAD_DEADLINE: "admin.bad_deadline",
    EditError.EMPTY_TEXT: "admin.empty_text",
    EditError.SAME_AGENCY: "admin.same_agency",
    EditError.MOVED: "admin.moved",
    EditError.NOT_ALLOWED: "common.admin_only",
}


def _code(raw: str) -> int | None:
    raw = raw.strip().lstrip("#")
    return bounded_id(raw) if raw.isdigit() else None


async def _answer_failure(
    update: Update,
    t: Texts,
    result: EditError | AgencyMatch,
    *,
    command: str = "",
    choices: InlineKeyboardMarkup | None = None,
    **values: str,
) -> None:
    if isinstance(result, AgencyMatch):
        text = agency_not_matched(t, values.get("query", ""), result, command=command)
        await reply(update, text, reply_markup=choices if result.candidates else None)
        return
    await reply(
        update, t.t(ERROR_KEYS[result], code=values.get("code", ""), text=values.get("text", ""))
    )


async def new_task(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.ASSIGN):
        return
    message = update.effective_message
    body = (message.text or "").partition(" ")[2] if message else ""
    parts = [p.strip() for p in body.split("|")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        await reply(update, t.t("admin.usage_newtask"))
        return
    deadline_text = parts[2] if len(parts) > 2 else ""
    services = context.services
    result = await services.outbox.along(
        services.admin_tasks.new_task(
            person, agency_query=parts[0], text=parts[1], deadline_text=deadline_text
        ),
        lambda result: _new_task_notice(context, result, parts[1]),
    )
    if not isinstance(result, Edited):
        await _answer_failure(
            update, t, result, command="/giaoviec", query=parts[0], text=deadline_text
        )
        return
    await reply(
        update,
        t.t(
            "admin.created",
            code=f"#{result.assignment_id}",
            task=result.task_code,
            agency=result.agency_name,
            deadline=_deadline(t, result),
        ),
    )


def _deadline(t: Texts, result: Edited) -> str:
    return (
        t.t("admin.created_due", date=fmt_date(result.deadline))
        if result.deadline
        else t.t("tasks.no_deadline")
    )


def _new_task_notice(context: BotContext, result: object, text: str) -> list[Outgoing]:
    """The new task's card to its agency's chats, written with the task."""
    if not isinstance(result, Edited):
        return []
    agency_t = texts_for(None, context.services.ctx.settings.language)
    return [
        _card_to_agency(
            context, agency_t, result, "admin.agency_new_task", text=shorten(text, 1500)
        )
    ]


def _card_to_agency(
    context: BotContext, agency_t: Texts, result: Edited, key: str, **values: str
) -> Outgoing:
    """A task given to an agency (new, or moved to it) as its chats see a fresh assignment:
    the text `key` says, the deadline, and the progress buttons (a reply to it reports)."""
    # "⏰ Thời hạn: 31/03/2020", not the office's answer's "thời hạn 31/03/2020" after it.
    deadline = fmt_date(result.deadline) if result.deadline else agency_t.t("tasks.no_deadline")
    notice = agency_t.t(key, code=f"#{result.assignment_id}", deadline=deadline, **values)
    keyboard = progress_keyboard(
        agency_t,
        result.assignment_id,
        form=form_button(
            agency_t,
            context.services.ctx.settings.web_base_url,
            private=False,  # it goes to every chat of the agency: a link works in all
            bot_username=context.bot.username,
            assignment_id=result.assignment_id,
        ),
    )
    return to_agency(
        result.agency_id, notice, keyboard, assignment_ids=[result.assignment_id], purpose="card"
    )


async def _code_and_rest(
    update: Update, context: BotContext, action: Action, usage_key: str
) -> tuple[Who, int, str] | None:
    """`/cmd #12 <rest>` from an admin: (who, 12, rest), or None once answered."""
    person = await who(update, context)
    if not await allowed(update, context, person, action):
        return None
    args = context.args or []
    code = _code(args[0]) if args else None
    if code is None or len(args) < 2:
        await reply(update, texts(update, context).t(usage_key))
        return None
    return person, code, " ".join(args[1:])


async def change_deadline(update: Update, context: BotContext) -> None:
    """A deadline is the task's: the answer names every agency it now applies to, and each
    is told (with its own code) through the outbox, in the change's transaction."""
    t = texts(update, context)
    parsed = await _code_and_rest(update, context, Action.EDIT_TASK, "admin.usage_deadline")
    if parsed is None:
        return
    person, code, deadline_text = parsed
    services = context.services
    result = await services.outbox.along(
        services.admin_tasks.change_deadline(
            person, assignment_id=code, deadline_text=deadline_text
        ),
        lambda result: _deadline_notices(context, result),
    )
    if result is EditError.PER_AGENCY:
        date_text = deadline_text.split()[-1]
        await reply(update, t.t("admin.deadline_per_agency", code=f"#{code}", date=date_text))
        return
    if not isinstance(result, Edited):
        await _answer_failure(update, t, result, code=f"#{code}", text=deadline_text)
        return
    deadline = fmt_date(result.deadline)
    if not result.changed:
        await reply(update, t.t("admin.deadline_unchanged", code=f"#{code}", deadline=deadline))
        return
    if len(result.holders) > 1:
        answer = t.t(
            "admin.deadline_changed_all",
            task=f"#{code} ({result.task_code})",
            deadline=deadline,
            n=len(result.holders),
            agencies=_holders_lines(t, result.holders),
        )
    else:
        answer = t.t(
            "admin.deadline_changed", code=f"#{code}", agency=result.agency_name, deadline=deadline
        )
    if result.deadline is not None and result.deadline < context.services.ctx.today():
        # A past date may be a correction, or a typo (2019 for 2020): say what it means.
        answer += "\n" + t.t("admin.deadline_in_past")
    await reply(update, answer)


HOLDERS_SHOWN = 8  # agencies listed under a changed deadline; the rest counted


def _holders_lines(t: Texts, holders: tuple[Holder, ...]) -> Raw:
    """`• Sở Tài chính (chủ trì, #16)`, one per agency, the lead first."""
    lines = [
        t.t(
            "admin.holder_line",
            agency=shorten(h.agency_name, 60),
            role=t.raw("admin.role_lead" if h.role == "lead" else "admin.role_coordinating"),
            code=f"#{h.assignment_id}",
        )
        for h in holders[:HOLDERS_SHOWN]
    ]
    if len(holders) > HOLDERS_SHOWN:
        lines.append(t.t("admin.holders_more", n=len(holders) - HOLDERS_SHOWN))
    return Raw("\n".join(lines))


def _deadline_notices(context: BotContext, result: object) -> list[Outgoing]:
    """Each agency holding the task is told its new deadline, under its own code."""
    if not isinstance(result, Edited) or not result.changed:
        return []
    agency_t = texts_for(None, context.services.ctx.settings.language)
    deadline = fmt_date(result.deadline)
    notices = []
    for holder in result.holders:
        code = f"#{holder.assignment_id}"
        text = agency_t.t("admin.agency_deadline_changed", code=code, deadline=deadline)
        notices.append(to_agency(holder.agency_id, text, family="notice", item=text, tag=code))
    return notices


async def reassign(update: Update, context: BotContext) -> None:
    parsed = await _code_and_rest(update, context, Action.ASSIGN, "admin.usage_reassign")
    if parsed is None:
        return
    person, code, query = parsed
    await _reassign(update, context, person, code, query)


async def reassign_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """An agency picked from /giaolai's choices (`reasg:<assignment>:<agency>`)."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    if not await allowed(update, context, person, Action.ASSIGN):
        return
    code, agency_id = callback.int_arg(0), callback.int_arg(1)
    agency = await context.services.agencies.get(agency_id) if agency_id is not None else None
    if code is None or agency is None:
        await query.answer(texts(update, context).t("common.stale_button"), show_alert=True)
        return
    await query.answer()
    await _reassign(update, context, person, code, agency.name)


async def _reassign(
    update: Update, context: BotContext, person: Who, code: int, query: str
) -> None:
    t = texts(update, context)
    services = context.services
    result = await services.outbox.along(
        services.admin_tasks.reassign(person, assignment_id=code, agency_query=query),
        lambda result: _reassign_notices(context, code, result),
    )
    if not isinstance(result, Edited):
        choices = (
            agency_choices_keyboard(Act.REASG, result.candidates, code)
            if isinstance(result, AgencyMatch)
            else None
        )
        await _answer_failure(
            update,
            t,
            result,
            command=f"/giaolai #{code}",
            choices=choices,
            code=f"#{code}",
            query=query,
        )
        return
    key = "admin.reassigned" if result.changed else "admin.already_reassigned"
    await reply(
        update,
        t.t(
            key,
            task=f"#{code} ({result.task_code})",
            agency=result.agency_name,
            old_agency=result.old_agency_name,
            code=f"#{result.assignment_id}",
        ),
    )


def _reassign_notices(context: BotContext, old_code: int, result: object) -> list[Outgoing]:
    """Written with the reassignment: the new agency gets the task as a fresh assignment (its
    card and buttons), the old one a note that it no longer reports on it (the sweep stops
    reminding it: its assignment is cancelled)."""
    if not isinstance(result, Edited) or not result.changed:
        return []
    agency_t = texts_for(None, context.services.ctx.settings.language)
    notice = f"{result.notice_number} ({result.task_code})"
    restricted = agency_t.t("tasks.restricted_text")
    card = _card_to_agency(
        context,
        agency_t,
        result,
        "admin.agency_reassigned_in",
        notice=notice,
        old_agency=result.old_agency_name,
        text=restricted if result.restricted else shorten(result.text, 320),
    )
    note = agency_t.t(
        "admin.agency_reassigned_out",
        code=f"#{old_code}",
        notice=notice,
        agency=result.agency_name,
        text=restricted if result.restricted else shorten(result.text, 120),
    )
    return [card, to_agency(result.old_agency_id, note, assignment_ids=[old_code])]


async def _task_command(
    update: Update, context: BotContext, command: str
) -> tuple[Who, int] | None:
    """An office command on one task (`/huynv #12`): who may, and which task; else answered."""
    person = await who(update, context)
    if not await allowed(update, context, person, Action.EDIT_TASK):
        return None
    args = context.args or []
    code = _code(args[0]) if args else None
    if code is None:
        await reply(update, texts(update, context).t("admin.usage_code", command=command))
        return None
    return person, code


async def cancel_task(update: Update, context: BotContext) -> None:
    """Cancelling ends a task for every agency and cannot be undone in chat: the office sees
    which task the code names and confirms with a button, so a mistyped code costs nothing."""
    t = texts(update, context)
    asked = await _task_command(update, context, "/huynv")
    if asked is None:
        return
    person, code = asked
    line = await context.services.tasks.find_line(person, str(code))
    if line is None or line.status == "cancelled":
        await _answer_failure(update, t, EditError.TASK_NOT_FOUND, code=f"#{code}")
        return
    keyboard = cancel_task_keyboard(t, code)
    await reply(
        update,
        t.t(
            "admin.cancel_confirm",
            task=f"#{code} ({line.task_code})",
            notice=line.notice_number,
            text=task_text(t, line, 300),
        ),
        reply_markup=keyboard,
    )


async def cancel_pressed(update: Update, context: BotContext, callback: Callback) -> None:
    """🚫 Hủy nhiệm vụ / Giữ nguyên under a /huynv question (`xcan:<id>`, `keep:<id>`)."""
    query = update.callback_query
    assert query is not None
    t = texts(update, context)
    target = await target_of(update, context, callback)
    if target is None:
        return
    person = await who(update, context)
    if not await allowed(update, context, person, Action.EDIT_TASK):
        return
    if callback.action is Act.KEEP:
        await query.answer()
        await drop_buttons(query)
        await reply(update, t.t("admin.kept", task=f"#{target}"))
        return
    result = await context.services.admin_tasks.cancel(person, assignment_id=target)
    if not isinstance(result, Edited):
        await query.answer(t.t(ERROR_KEYS[result], code=f"#{target}", text=""), show_alert=True)
        return
    if not result.changed:  # pressed twice: said, not done again
        task = f"#{target} ({result.task_code})"
        await query.answer(t.t("admin.already_cancelled", task=task), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    await reply(update, t.t("admin.cancelled", task=f"#{target} ({result.task_code})"))


async def restrict_task(update: Update, context: BotContext) -> None:
    """/mat: a restricted task shows only its code and deadline in chats (toggles)."""
    t = texts(update, context)
    asked = await _task_command(update, context, "/mat")
    if asked is None:
        return
    person, code = asked
    result = await context.services.admin_tasks.toggle_restricted(person, assignment_id=code)
    if not isinstance(result, Edited):
        await _answer_failure(update, t, result, code=f"#{code}")
        return
    key = "admin.restricted_on" if result.restricted else "admin.restricted_off"
    await reply(update, t.t(key, task=f"#{code} ({result.task_code})"))


async def _admin_rights(update: Update, context: BotContext, *, grant: bool) -> None:
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.MANAGE_BINDINGS):
        return
    args = context.args or []
    command = "/themadmin" if grant else "/boadmin"
    user_id = bounded_user_id(args[0]) if args else None
    if user_id is None:
        await reply(update, t.t("admin.usage_admin", command=command))
        return
    await context.services.admin_tasks.set_admin(person, user_id=user_id, admin=grant)
    await reply(update, t.t("admin.admin_added" if grant else "admin.admin_removed", user=args[0]))


async def add_admin(update: Update, context: BotContext) -> None:
    await _admin_rights(update, context, grant=True)


async def remove_admin(update: Update, context: BotContext) -> None:
    await _admin_rights(update, context, grant=False)
