"""Binding people and chats to agencies: invites, registration, the office chat.

Invite codes come from `secrets` (unguessable), are single-use and expire; wrong guesses are
counted per user so that guessing is rate-limited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.services.agencies import AgencyMatch, AgencyRef, find_agency, ref
from bot.services.context import ServiceContext
from storage.models import InviteCode
from storage.repositories import agencies as agency_repo
from storage.repositories import binding_events as event_repo
from storage.repositories import bindings as binding_repo
from storage.repositories import onboarding as onboarding_repo
from storage.repositories import people

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_LENGTH = 10
MAX_WRONG_ATTEMPTS = 5
ATTEMPT_WINDOW = timedelta(minutes=15)


class RedeemError(StrEnum):
    NOT_FOUND = "not_found"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"  # a newer code was issued for the agency
    RATE_LIMITED = "rate_limited"
    OFFICE_CHAT = "office_chat"  # the office's chat: never an agency's (code not used)


@dataclass(frozen=True, slots=True)
class Invite:
    code: str
    agency: AgencyRef
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Redeemed:
    agency: AgencyRef
    bound_chat: bool
    # The same person sent the same code again, in the same chat, within the repeat window
    # (REPEAT_WINDOW_MINUTES): nothing changed, it was done at `again_at`.
    again_at: datetime | None = None
    # The group was bound to another agency: nothing moved yet, the office decides.
    rebind: RebindRequest | None = None


@dataclass(frozen=True, slots=True)
class RebindRequest:
    """A code of another agency sent in a bound group: the office's button decides."""

    request_id: int
    chat_id: int
    thread_id: int
    title: str | None
    agency: str
    previous: str


class RebindOutcome(StrEnum):
    APPROVED = "approved"
    REFUSED = "refused"
    ALREADY = "already"  # decided before (another press, another admin)
    GONE = "gone"  # no such request


@dataclass(frozen=True, slots=True)
class RebindDecision:
    outcome: RebindOutcome
    request: RebindRequest | None = None


@dataclass(frozen=True, slots=True)
class MovedChat:
    """A chat that Telegram gave a new id (a group become a supergroup), and what moved."""

    old_chat_id: int
    new_chat_id: int
    title: str | None
    agencies: list[str]
    office: bool


@dataclass(frozen=True, slots=True)
class BindingView:
    id: int
    chat_id: int
    thread_id: int
    title: str | None
    agency_name: str | None
    is_office: bool


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


class BindingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def create_invite(
        self, *, agency_query: str, by_user_id: int, role: str = "focal_point"
    ) -> Invite | AgencyMatch:
        """An invite for the agency named, or the match (none/ambiguous) to show instead."""
        async with self._ctx.uow() as uow:
            match = await find_agency(uow, agency_query)
            if match.agency is None:
                return match
            expires = self._ctx.now() + timedelta(hours=self._ctx.settings.invite_ttl_hours)
            code = new_code()
            # One code per agency can bind at a time: a new one revokes the one before.
            await onboarding_repo.revoke_open_invites(
                uow, agency_ids=[match.agency.id], at=self._ctx.now()
            )
            await binding_repo.add_invite(
                uow,
                code=code,
                agency_id=match.agency.id,
                role=role,
                created_by=by_user_id,
                at=self._ctx.now(),
                expires_at=expires,
            )
            return Invite(code=code, agency=match.agency, expires_at=expires)

    async def redeem(
        self,
        *,
        code: str,
        user_id: int,
        display_name: str,
        chat_id: int,
        chat_type: str,
        thread_id: int = 0,
        title: str | None = None,
    ) -> Redeemed | RedeemError:
        """Bind the person (private chat) or the group/topic and the person (group chat)."""
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            recent = await binding_repo.wrong_attempts_since(
                uow, telegram_user_id=user_id, since=now - ATTEMPT_WINDOW
            )
            if recent >= MAX_WRONG_ATTEMPTS:
                return RedeemError.RATE_LIMITED
            invite = await binding_repo.invite_by_code(uow, code=normalise_code(code))
            if chat_type != "private" and invite is not None:
                office = await event_repo.office_binding_in(uow, chat_id=chat_id)
                if office is not None:  # refused before the code is used: it still works
                    await event_repo.add_event(
                        uow, chat_id=chat_id, thread_id=thread_id, kind="refused_office",
                        agency_id=invite.agency_id, actor_user_id=user_id, title=title, at=now,
                    )  # fmt: skip
                    return RedeemError.OFFICE_CHAT
            if invite is not None and self._repeated(invite, user_id, chat_id, now):
                agency = await agency_repo.get(uow, agency_id=invite.agency_id)
                assert agency is not None
                bound_chat = chat_type != "private"
                return Redeemed(ref(agency), bound_chat=bound_chat, again_at=invite.used_at)
            error = self._invalid(invite, now)
            if error is not None:
                if error is RedeemError.NOT_FOUND:
                    await binding_repo.add_wrong_attempt(uow, telegram_user_id=user_id, at=now)
                return error
            assert invite is not None and invite.id is not None
            if not await binding_repo.use_invite(
                uow, invite_id=invite.id, at=now, user_id=user_id, chat_id=chat_id
            ):
                return RedeemError.USED
            agency = await agency_repo.get(uow, agency_id=invite.agency_id)
            assert agency is not None and agency.id is not None
            person = await people.upsert_person(
                uow,
                telegram_user_id=user_id,
                display_name=display_name,
                private_chat_id=chat_id if chat_type == "private" else None,
            )
            assert person.id is not None
            await people.add_membership(
                uow, person_id=person.id, agency_id=agency.id, role=invite.role
            )
            if chat_type == "private":
                return Redeemed(agency=ref(agency), bound_chat=False)
            current = await event_repo.binding_at(uow, chat_id=chat_id, thread_id=thread_id)
            if (
                current is not None
                and current.active
                and current.agency_id not in (None, agency.id)
            ):
                previous = await agency_repo.get(uow, agency_id=current.agency_id)
                request_id = await event_repo.add_event(
                    uow, chat_id=chat_id, thread_id=thread_id, kind="rebind_requested",
                    agency_id=agency.id, previous_agency_id=current.agency_id,
                    actor_user_id=user_id, title=title, at=now,
                )  # fmt: skip
                request = RebindRequest(
                    request_id, chat_id, thread_id, title, agency.name,
                    previous.name if previous else "?",
                )  # fmt: skip
                return Redeemed(agency=ref(agency), bound_chat=True, rebind=request)
            await binding_repo.bind_chat(
                uow,
                chat_id=chat_id,
                thread_id=thread_id,
                agency_id=agency.id,
                title=title,
                by_user_id=user_id,
            )
            await event_repo.add_event(
                uow, chat_id=chat_id, thread_id=thread_id, kind="bound", agency_id=agency.id,
                actor_user_id=user_id, title=title, at=now,
            )  # fmt: skip
            return Redeemed(agency=ref(agency), bound_chat=True)

    async def agency_of_code(self, *, code: str) -> str | None:
        """The agency an invite code is for (to name it in a refusal), or None."""
        async with self._ctx.uow() as uow:
            invite = await binding_repo.invite_by_code(uow, code=normalise_code(code))
            agency = await agency_repo.get(uow, agency_id=invite.agency_id) if invite else None
        return agency.name if agency else None

    def _repeated(self, invite: InviteCode, user_id: int, chat_id: int, now: datetime) -> bool:
        """This person used this code here a moment ago: their repeat, not someone's reuse."""
        window = timedelta(minutes=self._ctx.settings.repeat_window_minutes)
        return (
            invite.used_at is not None
            and (invite.used_by, invite.used_chat_id) == (user_id, chat_id)
            and now - invite.used_at <= window
        )

    @staticmethod
    def _invalid(invite: InviteCode | None, now: datetime) -> RedeemError | None:
        if invite is None:
            return RedeemError.NOT_FOUND
        if invite.used_at is not None:
            return RedeemError.USED
        if invite.revoked_at is not None:
            return RedeemError.REVOKED
        if invite.expires_at <= now:
            return RedeemError.EXPIRED
        return None

    async def bind_office(
        self, *, chat_id: int, thread_id: int, title: str | None, by_user_id: int
    ) -> str | None:
        """Make this chat the office's; refused (returns the agency's name) when it is bound
        to an agency: that binding is ended under /ganket first, never dropped silently."""
        async with self._ctx.uow() as uow:
            current = await event_repo.binding_at(uow, chat_id=chat_id, thread_id=thread_id)
            if current is not None and current.active and current.agency_id is not None:
                agency = await agency_repo.get(uow, agency_id=current.agency_id)
                return agency.name if agency else "?"
            await event_repo.add_event(
                uow, chat_id=chat_id, thread_id=thread_id, kind="office_bound",
                actor_user_id=by_user_id, title=title, at=self._ctx.now(),
            )  # fmt: skip
            await binding_repo.bind_chat(
                uow,
                chat_id=chat_id,
                thread_id=thread_id,
                agency_id=None,
                title=title,
                by_user_id=by_user_id,
                is_office=True,
            )
        return None

    async def list_bindings(self) -> list[BindingView]:
        async with self._ctx.uow() as uow:
            rows = await binding_repo.active_bindings(uow)
        return [
            BindingView(
                id=b.id or 0,
                chat_id=b.chat_id,
                thread_id=b.thread_id,
                title=b.title,
                agency_name=name,
                is_office=b.is_office,
            )
            for b, name in rows
        ]

    async def remove_binding(self, *, binding_id: int, reason: str) -> BindingView | None:
        async with self._ctx.uow() as uow:
            ended = await binding_repo.end_binding(uow, binding_id=binding_id, reason=reason)
            if ended is None:
                return None
            binding, agency_name = ended
            await event_repo.add_event(
                uow, chat_id=binding.chat_id, thread_id=binding.thread_id, kind="unbound",
                agency_id=binding.agency_id, title=binding.title, detail=reason,
                at=self._ctx.now(),
            )  # fmt: skip
        return BindingView(
            id=binding_id,
            chat_id=binding.chat_id,
            thread_id=binding.thread_id,
            title=binding.title,
            agency_name=agency_name,
            is_office=binding.is_office,
        )

    async def chat_name(self, chat_id: int, thread_id: int = 0) -> str:
        """How the office knows a chat: the agency (or the office) bound to it, its title, the
        person whose private chat it is; its id when nothing is known."""
        async with self._ctx.uow() as uow:
            found = await binding_repo.chat_names(uow, chat_id=chat_id, thread_id=thread_id)
        for agency, title, office in found:
            if office:
                return "Văn phòng Điều phối"
            if agency or title:
                return str(agency or title)
        return str(chat_id)

    async def deactivate_chat(self, *, chat_id: int, reason: str) -> list[str]:
        """The bot was blocked or removed: end that chat's bindings; returns agency names."""
        async with self._ctx.uow() as uow:
            names = await binding_repo.end_chat_bindings(uow, chat_id=chat_id, reason=reason)
            if names:
                await event_repo.add_event(
                    uow, chat_id=chat_id, kind="gone", detail=reason, at=self._ctx.now()
                )
        return [name if name is not None else "Văn phòng" for name in names]

    async def remove_member(self, *, user_id: int, agency_id: int) -> bool:
        """A person who leaves an agency loses access at once."""
        async with self._ctx.uow() as uow:
            return await people.end_membership(uow, telegram_user_id=user_id, agency_id=agency_id)

    async def decide_rebind(
        self, *, request_id: int, approve: bool, by_user_id: int
    ) -> RebindDecision:
        """The office's ✅/❌ on a re-binding request: once, whoever presses first."""
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            request = await event_repo.get_event(uow, event_id=request_id)
            if request is None or request.kind != "rebind_requested":
                return RebindDecision(RebindOutcome.GONE)
            agency = await agency_repo.get(uow, agency_id=request.agency_id or 0)
            previous = await agency_repo.get(uow, agency_id=request.previous_agency_id or 0)
            view = RebindRequest(
                request_id, request.chat_id, request.thread_id, request.title,
                agency.name if agency else "?", previous.name if previous else "?",
            )  # fmt: skip
            kind = "rebind_approved" if approve else "rebind_refused"
            if not await event_repo.decide(
                uow, request=request, kind=kind, actor_user_id=by_user_id, at=now
            ):
                return RebindDecision(RebindOutcome.ALREADY, view)
            if not approve:
                return RebindDecision(RebindOutcome.REFUSED, view)
            await binding_repo.bind_chat(
                uow,
                chat_id=request.chat_id,
                thread_id=request.thread_id,
                agency_id=request.agency_id,
                title=request.title,
                by_user_id=request.actor_user_id or by_user_id,
            )
            return RebindDecision(RebindOutcome.APPROVED, view)

    async def migrate_chat(
        self, *, old_chat_id: int, new_chat_id: int, title: str | None = None
    ) -> MovedChat | None:
        """A group became a supergroup: its bindings, message links, open questions and
        claims move to the new id. None when nothing was bound there (or it moved already)."""
        async with self._ctx.uow() as uow:
            moved = await event_repo.move_chat(
                uow, old_chat_id=old_chat_id, new_chat_id=new_chat_id
            )
            if not moved:
                return None
            names: list[str] = []
            for binding in moved:
                agency = (
                    await agency_repo.get(uow, agency_id=binding.agency_id)
                    if binding.agency_id
                    else None
                )
                if agency is not None:
                    names.append(agency.name)
                await event_repo.add_event(
                    uow, chat_id=old_chat_id, thread_id=binding.thread_id, kind="migrated",
                    agency_id=binding.agency_id, new_chat_id=new_chat_id,
                    title=title or binding.title, at=self._ctx.now(),
                )  # fmt: skip
            return MovedChat(
                old_chat_id=old_chat_id,
                new_chat_id=new_chat_id,
                title=title or moved[0].title,
                agencies=names,
                office=any(b.is_office for b in moved),
            )
