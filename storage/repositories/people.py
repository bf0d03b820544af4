"""People, their agency memberships and chat bindings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Agency, AgencyMember, ChatBinding, Person


async def get_person(session: AsyncSession, *, telegram_user_id: int) -> Person | None:
    result = await session.execute(
        select(Person).where(Person.telegram_user_id == telegram_user_id)
    )
    return result.scalar_one_or_none()


async def upsert_person(
    session: AsyncSession, *, telegram_user_id: int, display_name: str, language: str | None = None
) -> Person:
    person = await get_person(session, telegram_user_id=telegram_user_id)
    if person is None:
        person = Person(
            telegram_user_id=telegram_user_id, display_name=display_name, language=language
        )
        session.add(person)
        await session.flush()
    elif display_name and person.display_name != display_name:
        person.display_name = display_name
    return person


async def memberships(session: AsyncSession, *, telegram_user_id: int) -> dict[int, str]:
    """agency id -> role for the person's active memberships."""
    result = await session.execute(
        select(AgencyMember.agency_id, AgencyMember.role)
        .join(Person, Person.id == AgencyMember.person_id)
        .join(Agency, Agency.id == AgencyMember.agency_id)
        .where(
            Person.telegram_user_id == telegram_user_id,
            AgencyMember.active.is_(True),
            Agency.active.is_(True),
        )
    )
    return {agency_id: role for agency_id, role in result.all()}


async def binding_for_chat(
    session: AsyncSession, *, chat_id: int, thread_id: int = 0
) -> ChatBinding | None:
    """The active binding of a topic, falling back to the whole chat's."""
    result = await session.execute(
        select(ChatBinding).where(
            ChatBinding.chat_id == chat_id,
            ChatBinding.thread_id.in_({thread_id, 0}),
            ChatBinding.active.is_(True),
        )
    )
    rows = sorted(result.scalars().all(), key=lambda b: b.thread_id != thread_id)
    return rows[0] if rows else None


async def office_bindings(session: AsyncSession) -> list[ChatBinding]:
    result = await session.execute(
        select(ChatBinding).where(ChatBinding.is_office.is_(True), ChatBinding.active.is_(True))
    )
    return list(result.scalars().all())


async def agency_bindings(session: AsyncSession, *, agency_ids: set[int]) -> list[ChatBinding]:
    if not agency_ids:
        return []
    result = await session.execute(
        select(ChatBinding).where(
            ChatBinding.agency_id.in_(agency_ids), ChatBinding.active.is_(True)
        )
    )
    return list(result.scalars().all())
