"""Going live: invite codes for many agencies at once, who is on board, who to nudge (issue 21).

An agency is *on board* when a group (or forum topic) is bound to it. The codes issued here
are the printed kit's: single-use, valid `INVITE_TTL_DAYS`, and a new code for an agency
revokes the one before it, so only the newest sheet handed out can bind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.domain.text import fold
from bot.services.agencies import AgencyRef
from bot.services.bindings import new_code
from bot.services.calendar import load_calendar
from bot.services.context import ServiceContext
from storage.repositories import bindings as binding_repo
from storage.repositories import onboarding as repo
from storage.repositories.onboarding import AgencyNoticeWork


class Boarding(StrEnum):
    """Where an agency stands: its group bound, invited and not yet bound, never invited."""

    BOUND = "bound"
    INVITED = "invited"
    NEVER = "never"


@dataclass(frozen=True, slots=True)
class NoticeRef:
    number: str
    issued_on: date | None


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    """One agency's new code, with what its kit page says about its work."""

    agency: AgencyRef
    code: str
    expires_at: datetime
    notices: tuple[NoticeRef, ...]
    task_count: int


@dataclass(frozen=True, slots=True)
class IssueResult:
    """What a bulk issue did: the new codes, and the agencies in scope already on board."""

    invites: tuple[IssuedInvite, ...] = ()
    already_bound: int = 0
    notice_number: str | None = None  # the notice asked for, as stored
    unknown_notice: bool = False  # a notice number that matches nothing
    expires_at: datetime | None = None
    agency_name: str | None = None  # the one agency asked for


@dataclass(frozen=True, slots=True)
class AgencyBoarding:
    """One line of /ganket's onboarding view."""

    agency: AgencyRef
    state: Boarding
    task_count: int
    invited_at: datetime | None = None  # the latest code's issue time
    invite_expired: bool = False
    invite_used: bool = False  # used by a person in private: the person is bound, no group
    first_assigned_at: datetime | None = None


class OnboardingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # --- issuing -------------------------------------------------------------------------

    async def issue(
        self,
        *,
        by_user_id: int | None,
        notice_number: str | None = None,
        notice_id: int | None = None,
        agency_id: int | None = None,
    ) -> IssueResult:
        """A new code for every agency in scope that has no bound group: all agencies with
        work (no argument), those of one notice (`notice_number`, typed loosely, or
        `notice_id`), or one agency (`agency_id`, /ganket's 🎫 for one). Agencies already on
        board get none. One transaction: all codes or none."""
        now = self._ctx.now()
        expires = now + timedelta(days=self._ctx.settings.invite_ttl_days)
        async with self._ctx.uow() as uow:
            work = await repo.agency_work(uow)
            stored_number: str | None = None
            if notice_number is not None or notice_id is not None:
                notice_ids = _matching_notices(work, notice_number, notice_id)
                if not notice_ids:
                    return IssueResult(notice_number=notice_number, unknown_notice=True)
                stored_number = next(w.notice_number for w in work if w.notice_id in notice_ids)
                in_scope = {w.agency_id for w in work if w.notice_id in notice_ids}
            else:
                in_scope = {w.agency_id for w in work}
            if agency_id is not None:
                in_scope &= {agency_id}
            bound = await repo.bound_agency_ids(uow)
            targets = in_scope - bound
            await repo.revoke_open_invites(uow, agency_ids=targets, at=now)
            invites: list[IssuedInvite] = []
            for target, rows in _by_agency(work).items():
                if target not in targets:
                    continue
                code = new_code()
                await binding_repo.add_invite(
                    uow,
                    code=code,
                    agency_id=target,
                    role="focal_point",
                    created_by=by_user_id,
                    at=now,
                    expires_at=expires,
                )
                invites.append(_issued(rows, code, expires))
        invites.sort(key=lambda i: fold(i.agency.name))
        return IssueResult(
            invites=tuple(invites),
            already_bound=len(in_scope & bound),
            notice_number=stored_number,
            expires_at=expires if invites else None,
            agency_name=invites[0].agency.name if agency_id is not None and invites else None,
        )

    async def unbound_count(self, *, notice_id: int) -> int:
        """How many agencies of a notice have no bound group (the button after saving)."""
        async with self._ctx.uow() as uow:
            work = await repo.agency_work(uow)
            bound = await repo.bound_agency_ids(uow)
        return len({w.agency_id for w in work if w.notice_id == notice_id} - bound)

    # --- who is on board -----------------------------------------------------------------

    async def boarding(self) -> list[AgencyBoarding]:
        """Every agency with work: invited and not bound first (oldest invite first), then
        never invited, then the bound ones, each by name."""
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            work = await repo.agency_work(uow)
            bound = await repo.bound_agency_ids(uow)
            latest = await repo.latest_invites(uow)
        lines: list[AgencyBoarding] = []
        for agency_id, rows in _by_agency(work).items():
            agency = AgencyRef(agency_id, rows[0].agency_name, "")
            tasks = sum(r.tasks for r in rows)
            first = min(r.first_assigned_at for r in rows)
            invite = latest.get(agency_id)
            if agency_id in bound:
                lines.append(AgencyBoarding(agency, Boarding.BOUND, tasks, first_assigned_at=first))
            elif invite is None:
                lines.append(AgencyBoarding(agency, Boarding.NEVER, tasks, first_assigned_at=first))
            else:
                lines.append(
                    AgencyBoarding(
                        agency,
                        Boarding.INVITED,
                        tasks,
                        invited_at=invite.created_at,
                        invite_expired=invite.used_at is None and invite.expires_at <= now,
                        invite_used=invite.used_at is not None,
                        first_assigned_at=first,
                    )
                )
        order = {Boarding.INVITED: 0, Boarding.NEVER: 1, Boarding.BOUND: 2}
        lines.sort(
            key=lambda b: (
                order[b.state],
                b.invited_at or now if b.state is Boarding.INVITED else now,
                fold(b.agency.name),
            )
        )
        return lines

    async def overdue_unbound(self) -> list[AgencyBoarding]:
        """Agencies still without a bound group `ONBOARDING_NUDGE_DAYS` working days (or
        more) after their first task was assigned: the office's daily nudge."""
        lines = [b for b in await self.boarding() if b.state is not Boarding.BOUND]
        if not lines:
            return []
        today = self._ctx.today()
        async with self._ctx.uow() as uow:
            calendar = await load_calendar(uow, today=today)
        days = self._ctx.settings.onboarding_nudge_days
        tz = self._ctx.tz
        return [
            b
            for b in lines
            if b.first_assigned_at is not None
            and calendar.working_days_between(b.first_assigned_at.astimezone(tz).date(), today)
            >= days
        ]


def _by_agency(work: list[AgencyNoticeWork]) -> dict[int, list[AgencyNoticeWork]]:
    grouped: dict[int, list[AgencyNoticeWork]] = defaultdict(list)
    for row in work:
        grouped[row.agency_id].append(row)
    return grouped


def _issued(rows: list[AgencyNoticeWork], code: str, expires: datetime) -> IssuedInvite:
    first = rows[0]
    return IssuedInvite(
        agency=AgencyRef(first.agency_id, first.agency_name, ""),
        code=code,
        expires_at=expires,
        notices=tuple(NoticeRef(r.notice_number, r.notice_date) for r in rows),
        task_count=sum(r.tasks for r in rows),
    )


def _loose(number: str) -> str:
    """A notice number folded and stripped of separators: "22/TB-BCĐ" == "22-TB/BCD"."""
    return "".join(ch for ch in fold(number) if ch.isalnum())


def _matching_notices(
    work: list[AgencyNoticeWork], number: str | None, notice_id: int | None
) -> set[int]:
    if notice_id is not None:
        return {w.notice_id for w in work if w.notice_id == notice_id}
    wanted = (number or "").strip()
    if not wanted:
        return set()
    exact = {w.notice_id for w in work if w.notice_number == wanted}
    return exact or {w.notice_id for w in work if _loose(w.notice_number) == _loose(wanted)}
