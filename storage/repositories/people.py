"""People, their agency memberships and chat bindings."""

from __future__ import annotations

from sqlalchemy import and_, select
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


async def person_and_memberships(
    session: AsyncSession, *, telegram_user_id: int
) -> tuple[bool, bool, dict[int, str]]:
    """(known, is_admin, agency id -> role of active memberships) in one query."""
    rows = (
        await session.execute(
            select(Person.is_admin, AgencyMember.agency_id, AgencyMember.role, Agency.active)
            .select_from(Person)
            .outerjoin(
                AgencyMember,
                and_(AgencyMember.person_id == Person.id, AgencyMember.active.is_(True)),
            )
            .outerjoin(Agency, Agency.id == AgencyMember.agency_id)
            .where(Person.telegram_user_id == telegram_user_id)
        )
    ).all()
    agencies = {r.agency_id: r.role for r in rows if r.agency_id is not None and r.active}
    return bool(rows), any(r.is_admin for r in rows), agencies


async def binding_with_agency_name(
    session: AsyncSession, *, chat_id: int, thread_id: int = 0
) -> tuple[ChatBinding | None, str | None]:
    """The active binding of a topic (falling back to the whole chat's) and its agency's name."""
    result = await session.execute(
        select(ChatBinding, Agency.name)
        .outerjoin(Agency, Agency.id == ChatBinding.agency_id)
        .where(
            ChatBinding.chat_id == chat_id,
            ChatBinding.thread_id.in_({thread_id, 0}),
            ChatBinding.active.is_(True),
        )
    )
    rows = sorted(result.all(), key=lambda r: r[0].thread_id != thread_id)
    return (rows[0][0], rows[0][1]) if rows else (None, None)
