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
from storage.repositories import bindings as binding_repo
from storage.repositories import people

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_LENGTH = 10
MAX_WRONG_ATTEMPTS = 5
ATTEMPT_WINDOW = timedelta(minutes=15)


class RedeemError(StrEnum):
    NOT_FOUND = "not_found"
    USED = "used"
    EXPIRED = "expired"
    RATE_LIMITED = "rate_limited"


@dataclass(frozen=True, slots=True)
class Invite:
    code: str
    agency: AgencyRef
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Redeemed:
    agency: AgencyRef
    bound_chat: bool
    already_bound_to: str | None = None
    # The same person sent the same code again, in the same chat, within the repeat window
    # (REPEAT_WINDOW_MINUTES): nothing changed, it was done at `again_at`.
    again_at: datetime | None = None


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
            previous = await binding_repo.bind_chat(
                uow,
                chat_id=chat_id,
                thread_id=thread_id,
                agency_id=agency.id,
                title=title,
                by_user_id=user_id,
            )
            return Redeemed(agency=ref(agency), bound_chat=True, already_bound_to=previous)

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
        if invite.expires_at <= now:
            return RedeemError.EXPIRED
        return None

    async def bind_office(
        self, *, chat_id: int, thread_id: int, title: str | None, by_user_id: int
    ) -> None:
        async with self._ctx.uow() as uow:
            await binding_repo.bind_chat(
                uow,
                chat_id=chat_id,
                thread_id=thread_id,
                agency_id=None,
                title=title,
                by_user_id=by_user_id,
                is_office=True,
            )

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
        return [name if name is not None else "Văn phòng" for name in names]

    async def remove_member(self, *, user_id: int, agency_id: int) -> bool:
        """A person who leaves an agency loses access at once."""
        async with self._ctx.uow() as uow:
            return await people.end_membership(uow, telegram_user_id=user_id, agency_id=agency_id)
