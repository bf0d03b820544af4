"""Stateless conversations: which task a bot message is about, and what the bot asked.

Both live in the database, so any instance can take the next update and a restart forgets
nothing (no ConversationHandler state in memory).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.context import ServiceContext
from storage.models import AgencyMember, ChatBinding, MessageLink, PendingInput, Person
from storage.repositories.people import OpenQuestion

PENDING_TTL = timedelta(hours=24)
LINKS_KEPT = 4096

# Read on every reply to the bot: built once, run on the connection (bench finding C).
OPEN_QUESTION = select(
    PendingInput.id,
    PendingInput.action,
    PendingInput.target_id,
    PendingInput.payload,
    PendingInput.expires_at,
).where(
    PendingInput.chat_id == bindparam("chat_id"),
    PendingInput.telegram_user_id == bindparam("user_id"),
)
FORGET_QUESTION = delete(PendingInput).where(PendingInput.id == bindparam("pending_id"))
LINKED_ASSIGNMENTS = (
    select(MessageLink.assignment_id)
    .where(
        MessageLink.chat_id == bindparam("chat_id"),
        MessageLink.message_id == bindparam("message_id"),
    )
    .order_by(MessageLink.position)
)


@dataclass(frozen=True, slots=True)
class Pending:
    action: str
    target_id: int
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChatTarget:
    chat_id: int
    thread_id: int


class ConversationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._links: OrderedDict[tuple[int, int], tuple[int, ...]] = OrderedDict()

    async def remember(
        self, *, chat_id: int, message_id: int, assignment_ids: list[int], purpose: str
    ) -> None:
        """Map a sent message to the assignments it shows (numbered 1..n for digests)."""
        if not assignment_ids:
            return
        async with self._ctx.uow() as session:
            for position, assignment_id in enumerate(assignment_ids, start=1):
                session.add(
                    MessageLink(
                        chat_id=chat_id,
                        message_id=message_id,
                        assignment_id=assignment_id,
                        position=position,
                        purpose=purpose,
                        created_at=self._ctx.now(),
                    )
                )

    async def take_pending_in(
        self, connection: AsyncConnection, *, chat_id: int, user_id: int
    ) -> Pending | None:
        """The open question for this person here, consumed (answered or expired)."""
        row = (
            await connection.execute(OPEN_QUESTION, {"chat_id": chat_id, "user_id": user_id})
        ).first()
        if row is None:
            return None
        question = OpenQuestion(row.id, row.action, row.target_id, row.payload, row.expires_at)
        return await self.consume_in(connection, question)

    async def consume_in(
        self, connection: AsyncConnection, question: OpenQuestion | None
    ) -> Pending | None:
        """Consume a question already read (with who is writing, for a reply): the answer it
        waits for, or None when it expired or another message took it first."""
        if question is None:
            return None
        taken = await connection.execute(FORGET_QUESTION, {"pending_id": question.id})
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None  # another message (another instance) answered it just now
        if question.expires_at <= self._ctx.now():
            return None
        return Pending(question.action, question.target_id, json.loads(question.payload or "{}"))

    async def linked_in(
        self, connection: AsyncConnection, *, chat_id: int, message_id: int
    ) -> tuple[int, ...]:
        """The assignments a bot message is about, in their numbered order.

        A message's links are written once, right after it is sent, and never change: once
        found they are kept in memory (the latest LINKS_KEPT messages), which saves a
        statement on each further reply to it (a digest is answered once per task). An empty
        answer is not kept: the links of a message just sent may not be committed yet."""
        key = (chat_id, message_id)
        known = self._links.get(key)
        if known is not None:
            self._links.move_to_end(key)
            return known
        rows = await connection.execute(
            LINKED_ASSIGNMENTS, {"chat_id": chat_id, "message_id": message_id}
        )
        linked = tuple(rows.scalars().all())
        if linked:
            self._links[key] = linked
            if len(self._links) > LINKS_KEPT:
                self._links.popitem(last=False)
        return linked

    async def ask(
        self,
        *,
        chat_id: int,
        user_id: int,
        action: str,
        target_id: int,
        payload: dict | None = None,
    ) -> None:
        """Remember that the bot asked this person a question here (one at a time)."""
        async with self._ctx.uow() as session:
            await session.execute(
                delete(PendingInput).where(
                    PendingInput.chat_id == chat_id, PendingInput.telegram_user_id == user_id
                )
            )
            session.add(
                PendingInput(
                    chat_id=chat_id,
                    telegram_user_id=user_id,
                    action=action,
                    target_id=target_id,
                    payload=json.dumps(payload or {}, ensure_ascii=False),
                    expires_at=self._ctx.now() + PENDING_TTL,
                    created_at=self._ctx.now(),
                )
            )

    async def pending(self, *, chat_id: int, user_id: int, consume: bool = True) -> Pending | None:
        """The open question for this person here, if any (and not expired)."""
        if consume:
            async with self._ctx.transaction() as connection:
                return await self.take_pending_in(connection, chat_id=chat_id, user_id=user_id)
        async with self._ctx.uow() as session:
            row = (
                await session.execute(
                    select(PendingInput).where(
                        PendingInput.chat_id == chat_id, PendingInput.telegram_user_id == user_id
                    )
                )
            ).scalar_one_or_none()
            if row is None or row.expires_at <= self._ctx.now():
                return None
            return Pending(row.action, row.target_id, json.loads(row.payload or "{}"))

    async def forget(self, *, chat_id: int, user_id: int) -> None:
        async with self._ctx.uow() as session:
            await session.execute(
                delete(PendingInput).where(
                    PendingInput.chat_id == chat_id, PendingInput.telegram_user_id == user_id
                )
            )

    async def office_chats(self) -> list[ChatTarget]:
        """Where escalations and summaries go: the office chats, else admins' private chats."""
        async with self._ctx.uow() as session:
            rows = (
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
            if rows:
                return [ChatTarget(b.chat_id, b.thread_id) for b in rows]
            admins = set(self._ctx.settings.admin_ids)
            people = (
                (await session.execute(select(Person).where(Person.private_chat_id.is_not(None))))
                .scalars()
                .all()
            )
        return [
            ChatTarget(p.private_chat_id or 0, 0)
            for p in people
            if p.is_admin or p.telegram_user_id in admins
        ]

    async def agency_chats(self, agency_id: int) -> list[ChatTarget]:
        """An agency's bound groups/topics; with none, its focal points' private chats."""
        async with self._ctx.uow() as session:
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
                return [ChatTarget(b.chat_id, b.thread_id) for b in bindings]
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
        return [ChatTarget(p.private_chat_id or 0, 0) for p in people]
