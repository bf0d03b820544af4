"""Going live, as chat text: the codes issued for many agencies at once (the kit follows as
files), /ganket's onboarding view and the office's nudge line (issue 21)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.messaging.format import fmt_moment, shorten
from bot.messaging.layout import fits
from bot.messaging.texts import Texts
from bot.services.onboarding import IssueResult

AGENCY_CHARS = 34  # an agency's name on a line of the issued list


def issue_scope(t: Texts, result: IssueResult) -> str:
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
