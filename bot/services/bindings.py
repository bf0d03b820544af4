"""Binding people and chats to agencies: invites, registration, the office chat.

Invite codes come from `secrets` (unguessable), are single-use and expire; wrong guesses are
counted per user so that guessing is rate-limited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update

from bot.services.agencies import AgencyMatch, AgencyRef, find_agency, ref
from bot.services.context import ServiceContext
from storage.models import Agency, AgencyMember, ChatBinding, InviteAttempt, InviteCode
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
        async with self._ctx.uow() as session:
            match = await find_agency(session, agency_query)
            if match.agency is None:
                return match
            expires = self._ctx.now() + timedelta(hours=self._ctx.settings.invite_ttl_hours)
            code = new_code()
            session.add(
                InviteCode(
                    code=code,
                    agency_id=match.agency.id,
                    role=role,
                    created_by=by_user_id,
                    created_at=self._ctx.now(),
                    expires_at=expires,
                )
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
        async with self._ctx.uow() as session:
            recent = await session.scalar(
                select(func.count())
                .select_from(InviteAttempt)
                .where(
                    InviteAttempt.telegram_user_id == user_id,
                    InviteAttempt.created_at > now - ATTEMPT_WINDOW,
                )
            )
            if (recent or 0) >= MAX_WRONG_ATTEMPTS:
                return RedeemError.RATE_LIMITED
            invite = (
                await session.execute(
                    select(InviteCode).where(InviteCode.code == normalise_code(code))
                )
            ).scalar_one_or_none()
            error = self._invalid(invite, now)
            if error is not None:
                if error is RedeemError.NOT_FOUND:
                    session.add(InviteAttempt(telegram_user_id=user_id, created_at=now))
                return error
            assert invite is not None
            # Single use even under two instances: only one UPDATE finds used_at still NULL.
            claimed = await session.execute(
                update(InviteCode)
                .where(InviteCode.id == invite.id, InviteCode.used_at.is_(None))
                .values(used_at=now, used_by=user_id, used_chat_id=chat_id)
            )
            if claimed.rowcount != 1:
                return RedeemError.USED
            agency = await session.get(Agency, invite.agency_id)
            assert agency is not None
            person = await people.upsert_person(
                session, telegram_user_id=user_id, display_name=display_name
            )
            if chat_type == "private":
                person.private_chat_id = chat_id
            await self._add_member(
                session, person_id=person.id, agency_id=agency.id, role=invite.role
            )
            if chat_type == "private":
                return Redeemed(agency=ref(agency), bound_chat=False)
            previous = await self._bind_chat(
                session,
                chat_id=chat_id,
                thread_id=thread_id,
                agency_id=agency.id,
                title=title,
                by_user_id=user_id,
            )
            return Redeemed(agency=ref(agency), bound_chat=True, already_bound_to=previous)

    @staticmethod
    def _invalid(invite: InviteCode | None, now: datetime) -> RedeemError | None:
        if invite is None:
            return RedeemError.NOT_FOUND
        if invite.used_at is not None:
            return RedeemError.USED
        if invite.expires_at <= now:
            return RedeemError.EXPIRED
        return None

    @staticmethod
    async def _add_member(
        session, *, person_id: int | None, agency_id: int | None, role: str
    ) -> None:  # type: ignore[no-untyped-def]
        existing = (
            await session.execute(
                select(AgencyMember).where(
                    AgencyMember.person_id == person_id, AgencyMember.agency_id == agency_id
                )
            )
        ).scalar_one_or_none()
        if existing is None:
            session.add(AgencyMember(person_id=person_id, agency_id=agency_id, role=role))
        else:
            existing.active = True
            existing.role = role

    async def _bind_chat(
        self,
        session,  # type: ignore[no-untyped-def]
        *,
        chat_id: int,
        thread_id: int,
        agency_id: int | None,
        title: str | None,
        by_user_id: int,
        is_office: bool = False,
    ) -> str | None:
        """Create or repoint the binding of this chat/topic; returns the agency it replaced."""
        binding = (
            await session.execute(
                select(ChatBinding).where(
                    ChatBinding.chat_id == chat_id, ChatBinding.thread_id == thread_id
                )
            )
        ).scalar_one_or_none()
        previous: str | None = None
        if binding is None:
            binding = ChatBinding(chat_id=chat_id, thread_id=thread_id, created_by=by_user_id)
            session.add(binding)
        elif binding.active and binding.agency_id not in (None, agency_id):
            old = await session.get(Agency, binding.agency_id)
            previous = old.name if old else None
        binding.agency_id = agency_id
        binding.is_office = is_office
        binding.title = title
        binding.active = True
        binding.deactivated_reason = None
        return previous

    async def bind_office(
        self, *, chat_id: int, thread_id: int, title: str | None, by_user_id: int
    ) -> None:
        async with self._ctx.uow() as session:
            await self._bind_chat(
                session,
                chat_id=chat_id,
                thread_id=thread_id,
                agency_id=None,
                title=title,
                by_user_id=by_user_id,
                is_office=True,
            )

    async def list_bindings(self) -> list[BindingView]:
        async with self._ctx.uow() as session:
            rows = (
                await session.execute(
                    select(ChatBinding, Agency.name)
                    .outerjoin(Agency, Agency.id == ChatBinding.agency_id)
                    .where(ChatBinding.active.is_(True))
                    .order_by(ChatBinding.is_office.desc(), Agency.name)
                )
            ).all()
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
        async with self._ctx.uow() as session:
            binding = await session.get(ChatBinding, binding_id)
            if binding is None or not binding.active:
                return None
            binding.active = False
            binding.deactivated_reason = reason
            agency = await session.get(Agency, binding.agency_id) if binding.agency_id else None
            return BindingView(
                id=binding_id,
                chat_id=binding.chat_id,
                thread_id=binding.thread_id,
                title=binding.title,
                agency_name=agency.name if agency else None,
                is_office=binding.is_office,
            )

    async def deactivate_chat(self, *, chat_id: int, reason: str) -> list[str]:
        """The bot was blocked or removed: end that chat's bindings; returns agency names."""
        async with self._ctx.uow() as session:
            rows = (
                (
                    await session.execute(
                        select(ChatBinding).where(
                            ChatBinding.chat_id == chat_id, ChatBinding.active.is_(True)
                        )
                    )
                )
                .scalars()
                .all()
            )
            names: list[str] = []
            for binding in rows:
                binding.active = False
                binding.deactivated_reason = reason
                if binding.agency_id:
                    agency = await session.get(Agency, binding.agency_id)
                    names.append(agency.name if agency else "?")
                else:
                    names.append("Văn phòng")
            return names

    async def remove_member(self, *, user_id: int, agency_id: int) -> bool:
        """A person who leaves an agency loses access at once."""
        async with self._ctx.uow() as session:
            person = await people.get_person(session, telegram_user_id=user_id)
            if person is None:
                return False
            result = await session.execute(
                update(AgencyMember)
                .where(
                    AgencyMember.person_id == person.id,
                    AgencyMember.agency_id == agency_id,
                    AgencyMember.active.is_(True),  # False for a second removal: say so
                )
                .values(active=False)
            )
            return result.rowcount > 0
