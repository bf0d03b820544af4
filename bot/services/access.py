"""Resolve who is acting and where, from the database and ADMIN_IDS; then `decide`."""

from __future__ import annotations

from dataclasses import dataclass

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
        """Read the person's role and the chat's binding in one short transaction."""
        async with self._ctx.uow() as session:
            _known, person_admin, agencies = await people.person_and_memberships(
                session, telegram_user_id=user_id
            )
            binding, agency_name = await people.binding_with_agency_name(
                session, chat_id=chat_id, thread_id=thread_id
            )
        is_admin = user_id in self._ctx.settings.admin_ids or person_admin
        actor = Actor(user_id=user_id, name=display_name, is_admin=is_admin, agencies=agencies)
        scope = ChatScope(
            chat_id=chat_id,
            chat_type=chat_type,
            thread_id=thread_id,
            agency_id=binding.agency_id if binding else None,
            agency_name=agency_name,
            is_office=bool(binding and binding.is_office),
        )
        return Who(actor=actor, scope=scope)
