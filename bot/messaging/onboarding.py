"""Going live, as chat text: the codes issued for many agencies at once (the kit follows as
files), /ganket's onboarding view and the office's nudge line (issue 21)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.messaging.format import fmt_moment, shorten
from bot.messaging.keyboards import boarding_keyboard
from bot.messaging.layout import fits
from bot.messaging.texts import Texts
from bot.services.onboarding import AgencyBoarding, Boarding, IssueResult

AGENCY_CHARS = 34  # an agency's name on a line of the issued list
BOARDING_PAGE = 6  # agencies not on board per page of /ganket's overview: one button each to pick
INVITED_CHARS = 28  # a name beside its invite's age: two phone lines together
NEVER_CHARS = 30  # a name alone: one phone line with its number


def issue_scope(t: Texts, result: IssueResult) -> str:
    if result.agency_name:
        return result.agency_name
    if result.notice_number:
        return t.t("onboard.scope_notice", number=result.notice_number)
    return t.t("onboard.scope_all")


def issued_text(t: Texts, result: IssueResult, *, tz: ZoneInfo) -> str:
    """The codes just issued: as many lines as one screen holds (the kit's files carry all),
    the expiry, and how many agencies were already on board."""
    assert result.expires_at is not None
    head = [
        t.t("onboard.issued_title", n=len(result.invites), scope=issue_scope(t, result)),
        t.t("onboard.issued_expiry", expires=fmt_moment(result.expires_at, tz)),
    ]
    lines = [
        t.t(
            "onboard.issued_line",
            n=n,
            agency=shorten(invite.agency.name, AGENCY_CHARS),
            code=invite.code,
        )
        for n, invite in enumerate(result.invites, start=1)
    ]
    tail = []
    if result.already_bound:
        tail.append(t.t("onboard.issued_bound", n=result.already_bound))
    tail.append(t.t("onboard.issued_footer"))

    def text(shown: int) -> str:
        body = lines[:shown]
        if shown < len(lines):
            body.append(t.t("onboard.issued_more", n=len(lines) - shown))
        return "\n\n".join(["\n".join(head), "\n".join(body), "\n".join(tail)])

    shown = len(lines)
    while shown > 1 and not fits(text(shown)):
        shown -= 1
    return text(shown)


def nothing_to_issue(t: Texts, result: IssueResult, numbers: tuple[str, ...]) -> str:
    """Why no code was issued: an unknown notice, no agency with work, all on board."""
    if result.unknown_notice:
        listed = ", ".join(numbers[:8]) or "—"
        return t.t("onboard.unknown_notice", number=result.notice_number or "", numbers=listed)
    if not result.already_bound:
        return t.t("onboard.no_work")
    scope = (
        t.t("onboard.all_bound_scope_notice", number=result.notice_number)
        if result.notice_number
        else t.t("onboard.all_bound_scope_all")
    )
    return t.t("onboard.all_bound", scope=scope)


# --- /ganket: who is on board --------------------------------------------------------------


def boarding_view(
    t: Texts,
    lines: list[AgencyBoarding],
    *,
    page: int,
    bindings: int,
    today: date,
    tz: ZoneInfo,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/ganket's overview: how many agencies have a bound group; the others, invited (with
    the invite's age) then never invited, a page at a time; buttons for new codes for all
    of them (with the kit) and for the bound groups' list."""
    unbound = [b for b in lines if b.state is not Boarding.BOUND]
    bound = len(lines) - len(unbound)
    title = t.t("onboard.view_title", bound=bound, total=len(lines))
    if not unbound:
        text = "\n\n".join([title, t.t("onboard.view_all_bound", n=len(lines))])
        return text, boarding_keyboard(t, unbound=0, bindings=bindings, page=1, pages=1)
    pages = max(1, -(-len(unbound) // BOARDING_PAGE))
    page = min(max(page, 1), pages)
    first = (page - 1) * BOARDING_PAGE
    body: list[str] = []
    section: Boarding | None = None
    for n, line in enumerate(unbound[first : first + BOARDING_PAGE], start=first + 1):
        if line.state is not section:
            section = line.state
            count = sum(1 for b in unbound if b.state is section)
            key = "onboard.view_invited" if section is Boarding.INVITED else "onboard.view_never"
            body.append(t.t(key, n=count))
        body.append(_boarding_line(t, n, line, today, tz))
    blocks = [title, "\n".join(body)]
    tail = [t.t("onboard.view_bound", n=bound)] if bound else []
    if pages > 1:
        tail.append(t.t("onboard.view_page", page=page, pages=pages))
    tail.append(t.t("onboard.view_hint"))
    blocks.append("\n".join(tail))
    keyboard = boarding_keyboard(t, unbound=len(unbound), bindings=bindings, page=page, pages=pages)
    return "\n\n".join(blocks), keyboard


def _boarding_line(t: Texts, n: int, line: AgencyBoarding, today: date, tz: ZoneInfo) -> str:
    if line.state is Boarding.NEVER or line.invited_at is None:
        return t.t("onboard.view_line_never", n=n, agency=shorten(line.agency.name, NEVER_CHARS))
    name = shorten(line.agency.name, INVITED_CHARS)
    days = (today - line.invited_at.astimezone(tz).date()).days
    age = t.t("onboard.age_today") if days <= 0 else t.t("onboard.age_days", days=days)
    if line.invite_used:
        age += t.t("onboard.age_used")
    elif line.invite_expired:
        age += t.t("onboard.age_expired")
    return t.t("onboard.view_line", n=n, agency=name, age=age)


def page_unbound(lines: list[AgencyBoarding], page: int) -> list[AgencyBoarding]:
    """The agencies not on board shown on that page of the overview, in its order."""
    unbound = [b for b in lines if b.state is not Boarding.BOUND]
    pages = max(1, -(-len(unbound) // BOARDING_PAGE))
    page = min(max(page, 1), pages)
    return unbound[(page - 1) * BOARDING_PAGE : page * BOARDING_PAGE]
