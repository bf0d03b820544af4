"""Chat bindings (a group or forum topic bound to an agency or the office), the invite codes
that create them, the wrong-code attempts that rate-limit guessing, and where to write to an
agency or the office."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update

from storage.models import Agency, AgencyMember, ChatBinding, InviteAttempt, InviteCode, Person
from storage.unit_of_work import UnitOfWork

# --- invites -------------------------------------------------------------------------------


async def add_invite(
    uow: UnitOfWork,
    *,
    code: str,
    agency_id: int,
    role: str,
    created_by: int | None,
    at: datetime,
    expires_at: datetime,
) -> None:
    uow.session.add(
        InviteCode(
            code=code,
            agency_id=agency_id,
            role=role,
            created_by=created_by,
            created_at=at,
            expires_at=expires_at,
        )
    )


async def invite_by_code(uow: UnitOfWork, *, code: str) -> InviteCode | None:
    result = await uow.session.execute(select(InviteCode).where(InviteCode.code == code))
    return result.scalar_one_or_none()


async def use_invite(
    uow: UnitOfWork, *, invite_id: int, at: datetime, user_id: int, chat_id: int
) -> bool:
    """Mark the code used; False when another redemption used it first. Single use even under
    two instances: only one UPDATE finds `used_at` still NULL."""
    claimed = await uow.execute(
        update(InviteCode)
        .where(InviteCode.id == invite_id, InviteCode.used_at.is_(None))
        .values(used_at=at, used_by=user_id, used_chat_id=chat_id)
    )
    return claimed.rowcount == 1


async def wrong_attempts_since(uow: UnitOfWork, *, telegram_user_id: int, since: datetime) -> int:
    count = await uow.session.scalar(
        select(func.count())
        .select_from(InviteAttempt)
        .where(
            InviteAttempt.telegram_user_id == telegram_user_id,
            InviteAttempt.created_at > since,
        )
    )
    return int(count or 0)


async def add_wrong_attempt(uow: UnitOfWork, *, telegram_user_id: int, at: datetime) -> None:
    uow.session.add(InviteAttempt(telegram_user_id=telegram_user_id, created_at=at))


# --- bindings ------------------------------------------------------------------------------


async def bind_chat(
    uow: UnitOfWork,
    *,
    chat_id: int,
    thread_id: int,
    agency_id: int | None,
    title: str | None,
    by_user_id: int,
    is_office: bool = False,
) -> str | None:
    """Create or repoint the binding of this chat/topic; returns the agency it replaced."""
    session = uow.session
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


async def active_bindings(uow: UnitOfWork) -> list[tuple[ChatBinding, str | None]]:
    """Every active binding with its agency's name (None for the office), the office first."""
    rows = (
        await uow.session.execute(
            select(ChatBinding, Agency.name)
            .outerjoin(Agency, Agency.id == ChatBinding.agency_id)
            .where(ChatBinding.active.is_(True))
            .order_by(ChatBinding.is_office.desc(), Agency.name)
        )
    ).all()
    return [(binding, name) for binding, name in rows]


async def end_binding(
    uow: UnitOfWork, *, binding_id: int, reason: str
) -> tuple[ChatBinding, str | None] | None:
    """End one active binding; returns it with its agency's name, or None if not active."""
    session = uow.session
    binding = await session.get(ChatBinding, binding_id)
    if binding is None or not binding.active:
        return None
    binding.active = False
    binding.deactivated_reason = reason
    agency = await session.get(Agency, binding.agency_id) if binding.agency_id else None
    return binding, agency.name if agency else None


async def end_chat_bindings(uow: UnitOfWork, *, chat_id: int, reason: str) -> list[str | None]:
    """End every active binding of a chat (all its topics); returns, for each, its agency's
    name ("?" if the agency is gone), or None for an office binding."""
    session = uow.session
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
    names: list[str | None] = []
    for binding in rows:
        binding.active = False
        binding.deactivated_reason = reason
        if binding.agency_id:
            agency = await session.get(Agency, binding.agency_id)
            names.append(agency.name if agency else "?")
        else:
            names.append(None)
    return names


# --- where to write ------------------------------------------------------------------------


async def office_chats(uow: UnitOfWork, *, admin_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(chat, thread) of the office's bound chats; with none, the private chats of the admins
    (stored ones and those `admin_ids` names)."""
    session = uow.session
    bindings = (
        (
            await session.execute(
                select(ChatBinding).where(
                    ChatBinding.is_office.is_(True), ChatBinding.active.is_(True)
                )
            )
        )
        .scalars()
        .all()
    )
    if bindings:
        return [(b.chat_id, b.thread_id) for b in bindings]
    admins = set(admin_ids)
    people = (
        (await session.execute(select(Person).where(Person.private_chat_id.is_not(None))))
        .scalars()
        .all()
    )
    return [
        (p.private_chat_id or 0, 0) for p in people if p.is_admin or p.telegram_user_id in admins
    ]


async def agency_chats(uow: UnitOfWork, *, agency_id: int) -> list[tuple[int, int]]:
    """(chat, thread) of an agency's bound groups/topics; with none, its focal points' private
    chats."""
    session = uow.session
    bindings = (
        (
            await session.execute(
                select(ChatBinding).where(
                    ChatBinding.agency_id == agency_id, ChatBinding.active.is_(True)
                )
            )
        )
        .scalars()
        .all()
    )
    if bindings:
        return [(b.chat_id, b.thread_id) for b in bindings]
    people = (
        (
            await session.execute(
                select(Person)
                .join(AgencyMember, AgencyMember.person_id == Person.id)
                .where(
                    AgencyMember.agency_id == agency_id,
                    AgencyMember.active.is_(True),
                    Person.private_chat_id.is_not(None),
                )
            )
        )
        .scalars()
        .all()
    )
    return [(p.private_chat_id or 0, 0) for p in people]


async def chat_names(
    uow: UnitOfWork, *, chat_id: int, thread_id: int
) -> list[tuple[str | None, str | None, bool]]:
    """(agency name, chat title, is the office) of every binding of this chat or topic, active
    or not (a chat that is gone is still named by what it was), then people's private chats."""
    rows = (
        await uow.session.execute(
            select(Agency.name, ChatBinding.title, ChatBinding.is_office)
            .outerjoin(Agency, Agency.id == ChatBinding.agency_id)
            .where(ChatBinding.chat_id == chat_id, ChatBinding.thread_id == thread_id)
            .order_by(ChatBinding.active.desc())
        )
    ).all()
    found = [(name, title, bool(office)) for name, title, office in rows]
    if not found and chat_id > 0:
        person = (
            await uow.session.execute(
                select(Person.display_name).where(Person.private_chat_id == chat_id).limit(1)
            )
        ).scalar()
        if person is not None:
            found.append((None, str(person), False))
    return found
