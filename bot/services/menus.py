"""Who sees which command menu (handlers/menu.py sets them): bound chats and known people."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.services.context import ServiceContext
from storage.repositories import menus as menu_repo


@dataclass(frozen=True, slots=True)
class MenuAudience:
    """The chats and people that get a menu of their own; everyone else sees the default."""

    office_chats: tuple[int, ...] = ()
    agency_chats: tuple[tuple[int, int], ...] = ()  # (chat, agency)
    # Telegram user (private chat) -> (is admin, their agencies)
    people: dict[int, tuple[bool, tuple[int, ...]]] = field(default_factory=dict)


class MenuService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def audience(self) -> MenuAudience:
        """One chat, one menu: a chat bound to an agency (a forum whose topics are bound,
        even alongside the office's) shows the agency's, never the office's."""
        async with self._ctx.uow() as uow:
            chats = await menu_repo.bound_chats(uow)
            people = await menu_repo.people_with_roles(uow)
        agency_chats: dict[int, int] = {}
        office: set[int] = set()
        for chat_id, agency_id, is_office in chats:
            if agency_id is not None:
                agency_chats.setdefault(chat_id, agency_id)
            elif is_office:
                office.add(chat_id)
        roles: dict[int, tuple[bool, tuple[int, ...]]] = {
            admin: (True, ()) for admin in self._ctx.settings.admin_ids
        }
        for user_id, is_admin, agency_id in people:
            was_admin, agencies = roles.get(user_id, (False, ()))
            extra = (agency_id,) if agency_id is not None and agency_id not in agencies else ()
            roles[user_id] = (was_admin or is_admin, agencies + extra)
        return MenuAudience(
            office_chats=tuple(sorted(office - set(agency_chats))),
            agency_chats=tuple(sorted(agency_chats.items())),
            people=roles,
        )
