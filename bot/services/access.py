"""Resolve who is acting and where, from the database and ADMIN_IDS; then `decide`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.domain.permissions import Action, Actor, ChatScope, Decision, decide
from bot.services.context import ServiceContext
from storage.repositories import people


@dataclass(frozen=True, slots=True)
class Who:
    """Everything a handler needs to know about an incoming update's person and chat."""

    actor: Actor
    scope: ChatScope

    def may(self, action: Action, *, agency_id: int | None = None) -> Decision:
        return decide(self.actor, action, self.scope, agency_id=agency_id)


@dataclass(frozen=True, slots=True)
class Identity:
    """Who sent an update and from where, as Telegram says it (nothing looked up yet)."""

    user_id: int
    display_name: str
    chat_id: int
    chat_type: str
    thread_id: int = 0
    language: str | None = None


class AccessService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def resolve(
        self,
        *,
        user_id: int,
        display_name: str,
        chat_id: int,
        chat_type: str,
        thread_id: int = 0,
        language: str | None = None,
    ) -> Who:
        """Read the person's role and the chat's binding in one statement."""
        identity = Identity(user_id, display_name, chat_id, chat_type, thread_id, language)
        async with self._ctx.uow() as uow:
            found = await people.who_and_where(
                uow, telegram_user_id=user_id, chat_id=chat_id, thread_id=thread_id
            )
        return who_of(self._ctx.settings, identity, found)


def who_of(settings: Settings, identity: Identity, found: people.WhoAndWhere) -> Who:
    """The `Who` of what the database says (`found`) and who ADMIN_IDS names."""
    binding = found.binding
    actor = Actor(
        user_id=identity.user_id,
        name=identity.display_name,
        is_admin=identity.user_id in settings.admin_ids or found.is_admin,
        agencies=found.agencies,
    )
    scope = ChatScope(
        chat_id=identity.chat_id,
        chat_type=identity.chat_type,
        thread_id=identity.thread_id,
        agency_id=binding.agency_id if binding else None,
        agency_name=binding.agency_name if binding else None,
        is_office=bool(binding and binding.is_office),
    )
    return Who(actor=actor, scope=scope)
