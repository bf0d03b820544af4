"""People, their agency memberships and chat bindings."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

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


# Every incoming update resolves who is acting and where: these two statements are built once
# and run on a plain connection, skipping the ORM's per-call work (bench finding C).
PERSON_AND_MEMBERSHIPS = (
    select(Person.is_admin, AgencyMember.agency_id, AgencyMember.role, Agency.active)
    .select_from(Person)
    .outerjoin(
        AgencyMember,
        and_(AgencyMember.person_id == Person.id, AgencyMember.active.is_(True)),
    )
    .outerjoin(Agency, Agency.id == AgencyMember.agency_id)
    .where(Person.telegram_user_id == bindparam("user_id"))
)
CHAT_BINDINGS = (
    select(ChatBinding.thread_id, ChatBinding.agency_id, ChatBinding.is_office, Agency.name)
    .outerjoin(Agency, Agency.id == ChatBinding.agency_id)
    .where(
        ChatBinding.chat_id == bindparam("chat_id"),
        or_(ChatBinding.thread_id == bindparam("thread_id"), ChatBinding.thread_id == 0),
        ChatBinding.active.is_(True),
    )
)


class BindingView(NamedTuple):
    """What a chat's binding says about the chat: whose it is, and whether it is the office's."""

    agency_id: int | None
    is_office: bool
    agency_name: str | None


async def person_and_memberships(
    connection: AsyncConnection, *, telegram_user_id: int
) -> tuple[bool, bool, dict[int, str]]:
    """(known, is_admin, agency id -> role of active memberships) in one query."""
    rows = (await connection.execute(PERSON_AND_MEMBERSHIPS, {"user_id": telegram_user_id})).all()
    agencies = {r.agency_id: r.role for r in rows if r.agency_id is not None and r.active}
    return bool(rows), any(r.is_admin for r in rows), agencies


async def chat_binding(
    connection: AsyncConnection, *, chat_id: int, thread_id: int = 0
) -> BindingView | None:
    """The active binding of a topic, falling back to the whole chat's."""
    rows = (
        await connection.execute(CHAT_BINDINGS, {"chat_id": chat_id, "thread_id": thread_id})
    ).all()
    if not rows:
        return None
    best = min(rows, key=lambda r: r.thread_id != thread_id)
    return BindingView(best.agency_id, bool(best.is_office), best.name)
