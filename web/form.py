"""The focal point's form (the Mini App's main page): the agency's tasks, overdue first, and
per task ✅ Hoàn thành, 🔄 tiến độ, ⚠️ vướng mắc, 📅 xin gia hạn, 📎 minh chứng.

Each is recorded as the chat records it: the same ProgressService call with the same report
(✅ is the ✅ button's, a percentage the 🔄 button's, a blocker the answer to ⚠️'s question, a
file a reply carrying it), the same confirmation with ↩️ Hoàn tác (sent to the agency's chats,
so the group sees what was reported and by whom) and the same message to the office
(bot/messaging/progress_notices.py), within the same undo window. The same report sent again
(a double tap, a form resent on a weak connection) is a repeat, as in chat: nothing is
recorded or sent again, and the form says it was recorded already."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from telegram import InputFile

from bot.domain.permissions import Action
from bot.domain.progress import ProgressError, ProgressKind, ProgressReport, parse_reply
from bot.messaging.format import fmt_date
from bot.messaging.presenters import deadline_label, status_label
from bot.messaging.progress_notices import (
    agency_confirmation,
    confirmation_text,
    extension_notice,
    office_notices,
)
from bot.messaging.texts import texts_for
from bot.services.dashboard import PAGE_SIZE
from bot.services.outbox import Outgoing
from bot.services.progress import Recorded, Refusal, Source, Waiting
from bot.services.repeats import Repeat
from bot.services.tasks import TaskLine
from bot.services.web_auth import WebPerson
from web.filters import BadFilter, identifier, path_id
from web.guard import page, read_form
from web.pages import page_links, task_page
from web.render import problem, render, texts
from web.state import state_of

MAX_TEXT = 4000  # as in chat
EXTENSION_HORIZON = timedelta(days=366)  # the date picker's last day: a year ahead
PERCENT_CHOICES = (25, 50, 75)
ACTIONS = ("done", "progress", "blocked", "extension", "evidence")
REFUSALS = {
    Refusal.NOT_FOUND: (404, "progress.task_not_found"),
    Refusal.NOT_ALLOWED: (404, "progress.task_not_found"),
    Refusal.CLOSED: (409, "progress.closed"),
    Refusal.NOT_AFTER_DEADLINE: (400, "progress.extension_not_later"),
    Refusal.TOO_LATE_TO_UNDO: (409, "progress.undo_too_late"),
    Refusal.ALREADY_UNDONE: (409, "progress.undo_already"),
    Refusal.DECIDED: (409, "progress.undo_decided"),
    Refusal.NOT_AWAITING: (409, "progress.not_awaiting"),
    Refusal.NO_PENDING_EXTENSION: (409, "progress.no_pending_extension"),
    # No deadline to extend (the chat offers the date as a proposed deadline: docs/replies.md).
    Refusal.NO_DEADLINE: (400, "replies.no_deadline_nothing_sent"),
}


@page(Action.REPORT)
async def form(request: Request, person: WebPerson) -> Response:
    """The agency's tasks, overdue first; a choice of agency for someone with several."""
    services = state_of(request).services
    mine = await services.dashboard.agencies_of(person.who)
    try:
        wanted = identifier(request.query_params.get("agency"))
        done_update = identifier(request.query_params.get("ok"))
        repeated = request.query_params.get("repeat") == "1"
        number = identifier(request.query_params.get("page")) or 1
        at = identifier(request.query_params.get("at"))
    except BadFilter:
        return problem(request, 400, "web.bad_filter", person=person)
    if wanted is None and len(mine) == 1:
        wanted = mine[0][0]
    if wanted is None:
        return render(request, "form_choose.html", person=person, agencies=mine)
    lines = await services.dashboard.form_lines(person.who, wanted)
    if lines is None:
        return problem(request, 404, "web.agency_not_found", person=person)
    if at is not None:  # back from an action: the page holding the task acted on
        index = next((i for i, line in enumerate(lines) if line.assignment_id == at), 0)
        number = index // PAGE_SIZE + 1
    pages = max(1, -(-len(lines) // PAGE_SIZE))
    number = min(number, pages)
    first = (number - 1) * PAGE_SIZE
    t = texts(request)
    return render(
        request,
        "form.html",
        person=person,
        agency_id=wanted,
        agency_name=dict(mine).get(wanted, ""),
        several=len(mine) > 1,
        lines=lines[first : first + PAGE_SIZE],
        total=len(lines),
        first=first + 1,
        page_number=number,
        pages=pages,
        pager=page_links(number, pages),
        page_href=lambda page: f"/app?agency={wanted}&page={page}",
        deadline=lambda line: deadline_label(t, line),
        status=lambda line: status_label(t, line.status, line.percent),
        done_update=done_update,
        repeated=repeated,
        undo_minutes=services.ctx.settings.undo_minutes,
        **_bounds(services.ctx.today()),
    )


def _bounds(today: date) -> dict[str, Any]:
    """The template's bounds for the % chips and the extension's date picker."""
    return {
        "percent_choices": PERCENT_CHOICES,
        "date_min": (today + timedelta(days=1)).isoformat(),
        "date_max": (today + EXTENSION_HORIZON).isoformat(),
    }


@page(Action.REPORT)
async def form_task(request: Request, person: WebPerson) -> Response:
    """One task in the Mini App: its card, its history and the five actions."""
    try:
        assignment_id = path_id(request, "assignment_id")
    except BadFilter:
        return problem(request, 400, "web.bad_filter", person=person)
    today = state_of(request).services.ctx.today()
    return await task_page(request, person, assignment_id, "form_task.html", **_bounds(today))


@page(Action.REPORT)
async def act(request: Request, person: WebPerson) -> Response:
    """POST /app/tasks/{id}/{action}: one report, recorded as the chat records it."""
    action = request.path_params["action"]
    try:
        assignment_id = path_id(request, "assignment_id")
    except BadFilter:
        return problem(request, 400, "web.bad_filter", person=person)
    if action not in ACTIONS:
        return problem(request, 404, "web.not_found", person=person)
    state = state_of(request)
    services = state.services
    line = await services.tasks.find_line(person.who, str(assignment_id))
    if line is None:  # not theirs, or gone: nothing of it is shown, nothing written
        return problem(request, 404, "progress.task_not_found", person=person)
    form_data = await read_form(request)
    assert form_data is not None  # the guard parsed it
    source = Source(user_id=person.who.actor.user_id, name=person.name)
    t = texts(request)

    async def again(status_code: int, key: str, **values: object) -> Response:
        return await task_page(
            request, person, assignment_id, "form_task.html", status_code=status_code,
            error=t.t(key, code=f"#{assignment_id}", **values),
            **_bounds(services.ctx.today()),
        )  # fmt: skip

    if action == "extension":
        return await _extension(request, person, line, form_data, source, again)
    evidence: tuple[str, ...] = ()
    if action == "done":
        report = ProgressReport(ProgressKind.DONE, 100, "")
    elif action == "progress":
        raw = str(form_data.get("percent_other") or form_data.get("percent") or "").strip()
        if not raw.isdigit() or not 0 <= int(raw) <= 100:
            return await again(400, "progress.percent_out_of_range")
        report = ProgressReport(ProgressKind.IN_PROGRESS, int(raw), f"{int(raw)}%")
    elif action == "blocked":
        text = str(form_data.get("text", "")).strip()
        if not text:
            return await again(400, "progress.empty")
        if len(text) > MAX_TEXT:
            return await again(400, "progress.too_long")
        report = ProgressReport(ProgressKind.BLOCKED, None, text)
    else:
        upload = form_data.get("file")
        caption = str(form_data.get("text", "")).strip()
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await again(400, "web.file_missing")
        if len(caption) > MAX_TEXT:
            return await again(400, "progress.too_long")
        parsed = parse_reply(caption, has_evidence=True)
        if isinstance(parsed, ProgressError):
            return await again(400, f"progress.{parsed.code.value}", detail=parsed.detail)
        if line.status in ("done", "cancelled"):
            return await again(409, "progress.closed")
        file_id = await _send_evidence(request, person, line.agency_id, upload, caption)
        if file_id is None:
            return await again(502, "web.file_not_sent")
        report, evidence = parsed, (file_id,)
    result = await services.outbox.along(  # the group and the office told in its transaction
        services.progress.report(person.who, assignment_id, report, source, evidence=evidence),
        lambda result: _announce(request, person, result, report, evidence=len(evidence)),
    )
    if isinstance(result, Refusal):
        status_code, key = REFUSALS[result]
        return await again(status_code, key)
    if isinstance(result, Repeat):  # recorded and announced the first time
        return _back(line.agency_id, result.update_id, assignment_id, repeat=True)
    return _back(line.agency_id, result.update_id, assignment_id)


async def _extension(
    request: Request,
    person: WebPerson,
    line: TaskLine,
    form_data: FormData,
    source: Source,
    again: Callable[..., Awaitable[Response]],
) -> Response:
    """📅: a date in the picker's bounds, after the current deadline (the service checks)."""
    services = state_of(request).services
    today = services.ctx.today()
    raw = str(form_data.get("date", "")).strip()
    reason = str(form_data.get("text", "")).strip()
    try:
        new_end = date.fromisoformat(raw)
    except ValueError:
        return await again(400, "web.date_invalid")
    if not today < new_end <= today + EXTENSION_HORIZON:
        return await again(
            400, "web.date_out_of_range",
            first=fmt_date(today + timedelta(days=1)), last=fmt_date(today + EXTENSION_HORIZON),
        )  # fmt: skip
    if len(reason) > MAX_TEXT:
        return await again(400, "progress.too_long")
    state = state_of(request)
    t = texts_for(None, state.settings.language)

    def tell(result: object) -> list[Outgoing]:
        if not isinstance(result, tuple):
            return []
        recorded, request_id = result
        sent = t.t("progress.extension_sent", code=f"#{line.assignment_id}", date=fmt_date(new_end))
        return [
            agency_confirmation(services, recorded, _by(request, person) + sent, with_undo=False),
            extension_notice(
                t, recorded, request_id, new_end=new_end, current=line.deadline_end, reason=reason
            ),
        ]

    result = await services.outbox.along(
        services.progress.request_extension(
            person.who, line.assignment_id, new_end=new_end, reason=reason, source=source
        ),
        tell,
    )
    if result is Refusal.NOT_AFTER_DEADLINE:
        return await again(400, "progress.not_after_deadline", date=fmt_date(line.deadline_end))
    if isinstance(result, Refusal):
        status_code, key = REFUSALS[result]
        return await again(status_code, key)
    if isinstance(result, Repeat):  # sent to the office the first time
        return _back(line.agency_id, result.update_id, line.assignment_id, repeat=True)
    if isinstance(result, Waiting):  # one request waits for the office: nothing sent
        key = "progress.proposal_waiting" if result.proposal else "progress.extension_waiting"
        return await again(
            409, key, date=fmt_date(result.requested_end), sent=fmt_date(result.sent_on),
        )  # fmt: skip
    recorded, _request_id = result
    return _back(line.agency_id, recorded.update_id, line.assignment_id)


def _by(request: Request, person: WebPerson) -> str:
    """The line that says who reported through the form (the group did not see them type)."""
    t = texts_for(None, state_of(request).settings.language)
    return t.t("web.group_prefix", name=person.name or str(person.who.actor.user_id))


def _announce(
    request: Request,
    person: WebPerson,
    recorded: object,
    report: ProgressReport,
    *,
    evidence: int,
) -> list[Outgoing]:
    """The report's confirmation to the agency's chats and its notification to the office."""
    if not isinstance(recorded, Recorded):
        return []
    state = state_of(request)
    t = texts_for(None, state.settings.language)
    text = _by(request, person) + confirmation_text(t, recorded, evidence, report.note)
    return [
        agency_confirmation(state.services, recorded, text),
        *office_notices(t, recorded, report),
    ]


async def _send_evidence(
    request: Request, person: WebPerson, agency_id: int, upload: UploadFile, caption: str
) -> str | None:
    """Post the file to the agency's first chat (the group sees it, as if sent there); its
    Telegram file id is what the history keeps, as for a file sent in chat."""
    state = state_of(request)
    targets = await state.services.conversation.agency_chats(agency_id)
    if not targets:
        return None
    data = await upload.read()
    if not data:
        return None
    name = "".join(ch for ch in (upload.filename or "") if ch.isprintable())[-120:] or "minh-chung"
    t = texts_for(None, state.settings.language)
    try:
        message = await state.bot.send_document(
            targets[0].chat_id,
            InputFile(data, filename=name),
            caption=(_by(request, person) + (caption or t.t("web.evidence_caption")))[:1000],
            message_thread_id=targets[0].thread_id or None,
        )
    except Exception:  # Telegram refused or is unreachable: nothing recorded, say so
        return None
    document = message.document
    return document.file_id if document else None


def _back(agency_id: int, update_id: int, assignment_id: int, *, repeat: bool = False) -> Response:
    """Back to the form, saying what was recorded (`update_id`, with its Undo), or that it
    had been recorded already (`repeat`: nothing new was)."""
    again = "&repeat=1" if repeat else ""
    return RedirectResponse(
        f"/app?agency={agency_id}&ok={update_id}{again}&at={assignment_id}#task-{assignment_id}",
        status_code=303,
    )


@page(Action.REPORT)
async def undo(request: Request, person: WebPerson) -> Response:
    """↩️ Hoàn tác within UNDO_MINUTES: the same service call as the chat's button."""
    try:
        update_id = path_id(request, "update_id")
    except BadFilter:
        return problem(request, 400, "web.bad_filter", person=person)
    state = state_of(request)
    source = Source(user_id=person.who.actor.user_id, name=person.name)
    result = await state.services.progress.undo(person.who, update_id, source)
    if isinstance(result, Refusal):
        status_code, key = REFUSALS[result]
        return problem(request, status_code, key, person=person, code="")
    t = texts_for(None, state.settings.language)
    text = _by(request, person) + t.t(
        "progress.undone",
        code=f"#{result.assignment_id}",
        status=status_label(t, result.status, result.percent),
    )
    await state.services.outbox.post(
        agency_confirmation(state.services, result, text, with_undo=False)
    )
    return RedirectResponse(
        f"/app?agency={result.agency_id}&at={result.assignment_id}#task-{result.assignment_id}",
        status_code=303,
    )
