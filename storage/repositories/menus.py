"""Who sees which command menu: the bound chats and the people the bot knows, in one read."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AgencyMember, ChatBinding, Person
from storage.unit_of_work import UnitOfWork


async def bound_chats(uow: UnitOfWork) -> list[tuple[int, int | None, bool]]:
    """(chat, agency or None, is the office) of every active binding, topics included."""
    rows = await uow.session.execute(
        select(ChatBinding.chat_id, ChatBinding.agency_id, ChatBinding.is_office).where(
            ChatBinding.active.is_(True)
        )
    )
    return [(chat_id, agency_id, bool(is_office)) for chat_id, agency_id, is_office in rows]


async def people_with_roles(uow: UnitOfWork) -> list[tuple[int, bool, int | None]]:
    """(Telegram user, admin, agency or None) for every admin and every active membership."""
    rows = await uow.session.execute(
        select(Person.telegram_user_id, Person.is_admin, AgencyMember.agency_id)
        .outerjoin(
            AgencyMember,
            (AgencyMember.person_id == Person.id) & AgencyMember.active.is_(True),
        )
        .where(Person.is_admin.is_(True) | AgencyMember.id.is_not(None))
    )
    return [(user_id, bool(is_admin), agency_id) for user_id, is_admin, agency_id in rows]
