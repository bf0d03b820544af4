"""The office's pages: the overview (the official categories, the chart, the trend week by
week), the agencies (sortable, each a drill-down), the notices and each one's Phụ lục, the
task tables with their filters, a task's full history, and the Excel and Word downloads."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.domain.permissions import Action
from bot.messaging.presenters import deadline_label, status_label
from bot.messaging.texts import Texts
from bot.reports.docx import render_docx
from bot.reports.letterhead import letterhead
from bot.reports.offload import render_file
from bot.reports.xlsx import render_xlsx
from bot.services.dashboard import HistoryItem
from bot.services.web_auth import WebPerson
from web import rollup_view
from web.filters import (
    BadFilter,
    Filters,
    identifier,
    path_id,
    period_of,
    read_filters,
    stamp,
)
from web.guard import page
from web.render import problem, render, texts
from web.state import state_of

XLSX_TITLE = "PHỤ LỤC KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def _filters(request: Request, person: WebPerson) -> Filters | Response:
    try:
        return read_filters(request)
    except BadFilter:
        return problem(request, 400, "web.bad_filter", person=person)


async def _notice_number(request: Request, person: WebPerson, notice_id: int | None) -> str | None:
    if notice_id is None:
        return None
    notices = await state_of(request).services.dashboard.notices(person.who) or []
    return next((number for nid, number, _, _ in notices if nid == notice_id), None)


async def _choices(request: Request, person: WebPerson) -> dict[str, Any]:
    """What the filter bar offers: notices and agencies (the office sees them all)."""
    notices, agencies = await state_of(request).services.dashboard.choices(person.who)
    return {"notices": notices, "agencies": agencies}


@page(Action.WEB_SIGN_IN)
async def overview(request: Request, person: WebPerson) -> Response:
    """The office's first page; a focal point goes to their form."""
    if not person.who.may(Action.VIEW_ALL).allowed:
        return RedirectResponse("/app", status_code=303)
    filters = await _filters(request, person)
    if isinstance(filters, Response):
        return filters
    state = state_of(request)
    services = state.services
    today = services.ctx.today()
    period = period_of(filters, today, state.settings.weekly_summary_weekday)
    number = await _notice_number(request, person, filters.notice_id)
    result = await rollup_view.rollup(
        services, notice_number=number, agency_id=filters.agency_id, period=period
    )
    lang = texts(request).lang
    categories, flags = rollup_view.figures(result.overall, lang)
    trend = await services.dashboard.trend(
        person.who,
        last_day=services.summary.default_period(today).end,
        notice_ids=[filters.notice_id] if filters.notice_id else None,
        agency_id=filters.agency_id,
    )
    return render(
        request,
        "overview.html",
        person=person,
        rollup=result,
        categories=categories,
        flags=flags,
        bars=(bars := rollup_view.chart(result.agencies, lang)),
        legend=rollup_view.legend(lang, bars),
        chart_width=rollup_view.CHART_WIDTH,
        trend=trend or (),
        trend_peak=max((max(w.reports, w.completed, w.overdue) for w in trend or ()), default=0),
        filters=filters,
        period=period,
        **await _choices(request, person),
    )


@page(Action.VIEW_ALL)
async def agencies(request: Request, person: WebPerson) -> Response:
    filters = await _filters(request, person)
    if isinstance(filters, Response):
        return filters
    column = request.query_params.get("sort", "")
    if column and column not in rollup_view.SORTABLE:
        return problem(request, 400, "web.bad_filter", person=person)
    descending = request.query_params.get("dir", "desc") != "asc"
    number = await _notice_number(request, person, filters.notice_id)
    result = await state_of(request).services.summary.table(notice_number=number)
    rows = (
        rollup_view.sort_agencies(result.agencies, column, descending)
        if column
        else (result.agencies)
    )
    headers, _lines, _total = rollup_view.appendix(result)
    return render(
        request,
        "agencies.html",
        person=person,
        rollup=result,
        rows=rows,
        sort=column,
        descending=descending,
        headers=headers,
        columns=rollup_view.agency_columns(headers),
        bad=rollup_view.BAD_COLUMNS,
        filters=filters,
        **await _choices(request, person),
    )


@page(Action.VIEW_AGENCY)
async def agency(request: Request, person: WebPerson) -> Response:
    """One agency: its figures and its tasks (filters: notice, status, timing, period)."""
    try:
        agency_id = path_id(request, "agency_id")
    except BadFilter:
        return problem(request, 400, "web.bad_filter", person=person)
    filters = await _filters(request, person)
    if isinstance(filters, Response):
        return filters
    return await _task_table(request, person, filters, agency_id=agency_id)


@page(Action.VIEW_ALL)
async def tasks(request: Request, person: WebPerson) -> Response:
    filters = await _filters(request, person)
    if isinstance(filters, Response):
        return filters
    return await _task_table(request, person, filters, agency_id=filters.agency_id)


async def _task_table(
    request: Request,
    person: WebPerson,
    filters: Filters,
    *,
    agency_id: int | None,
) -> Response:
    state = state_of(request)
    services = state.services
    today = services.ctx.today()
    period = period_of(filters, today, state.settings.weekly_summary_weekday)
    wanted = Filters(
        filters.notice_id, agency_id, filters.status, filters.timing, filters.period
    ).task_filter(period)
    try:
        number = identifier(request.query_params.get("page")) or 1
    except BadFilter:
        return problem(request, 400, "web.bad_filter", person=person)
    table = await services.dashboard.tasks(person.who, wanted, page=number)
    if table is None:
        return problem(request, 404, "web.agency_not_found", person=person)
    lang = texts(request).lang
    return render(
        request,
        "tasks.html",
        person=person,
        table=table,
        rows=table.rows,
        pager=page_links(table.page, table.pages),
        page_href=lambda number: f"{request.url.path}?{filters.query(page=number)}",
        agency_id=agency_id,
        agency_name=table.agency_name,
        counts=rollup_view.figures(table.counts, lang) if table.counts is not None else None,
        filters=filters,
        period=period,
        labels=rollup_view.labels(lang),
        status_label=lambda status, percent: status_label(texts(request), status, percent),
        **await _choices(request, person),
    )


def page_links(current: int, pages: int, *, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: the first, the last and `around` either side of the
    current one; None where a run is left out (shown as "…")."""
    shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
    links: list[int | None] = []
    for number in shown:
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links


@page(Action.VIEW_ALL)
async def notices(request: Request, person: WebPerson) -> Response:
    services = state_of(request).services
    listed = await services.dashboard.notices(person.who) or []
    result = await services.summary.table()
    counts = {row.notice_id: row.counts for row in result.notices}
    return render(request, "notices.html", person=person, notices=listed, counts=counts)


@page(Action.VIEW_ALL)
async def notice(request: Request, person: WebPerson) -> Response:
    """A notice's Phụ lục: the same table, the same numbers as the Excel file's first sheet."""
    try:
        notice_id = path_id(request, "notice_id")
    except BadFilter:
        return problem(request, 400, "web.bad_filter", person=person)
    services = state_of(request).services
    listed = await services.dashboard.notices(person.who) or []
    found = next((n for n in listed if n[0] == notice_id), None)
    if found is None:
        return problem(request, 404, "web.notice_not_found", person=person)
    result = await services.summary.table(notice_number=found[1])
    headers, lines, total = rollup_view.appendix(result)
    return render(
        request,
        "notice.html",
        person=person,
        notice=found,
        rollup=result,
        headers=headers,
        lines=lines,
        total=total,
    )


@page(Action.VIEW_AGENCY)
async def task(request: Request, person: WebPerson) -> Response:
    """A task's page: its card and its whole append-only history."""
    try:
        assignment_id = path_id(request, "assignment_id")
    except BadFilter:
        return problem(request, 400, "web.bad_filter", person=person)
    return await task_page(request, person, assignment_id, "task.html")


async def task_page(
    request: Request,
    person: WebPerson,
    assignment_id: int,
    template: str,
    *,
    status_code: int = 200,
    **values: object,
) -> Response:
    services = state_of(request).services
    detail = await services.dashboard.task(person.who, assignment_id)
    if detail is None:
        return problem(request, 404, "web.task_not_found", person=person)
    t = texts(request)
    return render(
        request,
        template,
        person=person,
        status_code=status_code,
        detail=detail,
        line=detail.line,
        deadline=deadline_label(t, detail.line),
        status=status_label(t, detail.line.status, detail.line.percent),
        labels=rollup_view.labels(t.lang),
        history_text=lambda item: history_text(t, item),
        **values,
    )


def history_text(t: Texts, item: HistoryItem) -> str:
    """A history row in the chat's words (bot/messaging/texts: `history.*`)."""
    key = f"history.{item.kind}"
    try:
        return t.t(key, percent=item.percent or 0, text=item.text)
    except KeyError:
        return item.kind


@page(Action.EXPORT)
async def export(request: Request, person: WebPerson) -> Response:
    """The Excel appendix or the Word draft report, as /xuatbaocao sends them."""
    kind = request.path_params["kind"]
    if kind not in ("xlsx", "docx"):
        return problem(request, 404, "web.not_found", person=person)
    filters = await _filters(request, person)
    if isinstance(filters, Response):
        return filters
    services = state_of(request).services
    number = await _notice_number(request, person, filters.notice_id)
    result = await rollup_view.rollup(services, notice_number=number)
    day = stamp(services.ctx.now())
    if kind == "xlsx":
        rows = await services.summary.task_rows(notice_number=number)
        head = letterhead(services.ctx.settings)
        data = await render_file(render_xlsx, result, rows, title=XLSX_TITLE, head=head)
        name, media = f"phu-luc-{day}.xlsx", XLSX_TYPE
    else:
        data = await render_file(render_docx, result, head=letterhead(services.ctx.settings))
        name, media = f"bao-cao-{day}.docx", DOCX_TYPE
    return Response(
        data,
        media_type=media,
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@page(Action.VIEW_AGENCY)
async def evidence(request: Request, person: WebPerson) -> Response:
    """An evidence file of a report, fetched from Telegram, as a download (never shown inline:
    an agency's file is never run as a page of ours)."""
    try:
        update_id = path_id(request, "update_id")
    except BadFilter:
        return problem(request, 400, "web.bad_filter", person=person)
    index = request.path_params["index"]
    state = state_of(request)
    file_id = await state.services.dashboard.evidence(person.who, update_id, index)
    if file_id is None:
        return problem(request, 404, "web.file_not_found", person=person)
    try:
        found = await state.bot.get_file(file_id)
        data = bytes(await found.download_as_bytearray())
    except Exception:  # a Telegram error or a network one: the file cannot be had now
        return problem(request, 502, "web.file_unavailable", person=person)
    name = (found.file_path or "minh-chung").rsplit("/", 1)[-1]
    safe = "".join(ch for ch in name if ch.isalnum() or ch in "._-")[:80] or "minh-chung"
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"content-disposition": f'attachment; filename="{safe}"'},
    )
