"""Stateless conversations: which task a bot message is about, and what the bot asked.

Both live in the database, so any instance can take the next update and a restart forgets
nothing (no ConversationHandler state in memory). A sent message's links reach it within
tens of milliseconds, written behind in batches (bot/services/link_writer.py).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.services.context import ServiceContext
from bot.services.link_writer import LinkWriter
from storage.repositories import bindings as binding_repo
from storage.repositories import conversation as conversation_repo
from storage.repositories.conversation import OpenQuestion, SentLinks
from storage.unit_of_work import in_unit_of_work

PENDING_TTL = timedelta(hours=24)
LINKS_KEPT = 4096


@dataclass(frozen=True, slots=True)
class Pending:
    action: str
    target_id: int
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChatTarget:
    chat_id: int
    thread_id: int


@dataclass(frozen=True, slots=True)
class Links:
    """What a bot message is about: its assignments in their numbered order, and what it is
    (`purpose`: "card", "digest", "answer" — the bot's answer to a report…)."""

    ids: tuple[int, ...]
    purpose: str


class ConversationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._links: OrderedDict[tuple[int, int], Links] = OrderedDict()
        self._writer = LinkWriter(ctx)

    async def remember(
        self, *, chat_id: int, message_id: int, assignment_ids: list[int], purpose: str
    ) -> None:
        """Map a sent message to the assignments it shows (numbered 1..n for digests).

        Kept in memory at once, so a reply to it in this process finds them without a
        statement, and written behind in a batch (bot/services/link_writer.py: in the table
        within tens of milliseconds, for another instance or after a restart). Inside a use
        case's transaction, the link is written in it instead, and kept once it commits."""
        if not assignment_ids:
            return
        linked = Links(tuple(assignment_ids), purpose)
        key = (chat_id, message_id)
        if not in_unit_of_work():
            self._keep(key, linked)
            self._writer.add(SentLinks(chat_id, message_id, linked.ids, purpose, self._ctx.now()))
            return
        async with self._ctx.uow() as uow:
            await conversation_repo.link_message(
                uow,
                chat_id=chat_id,
                message_id=message_id,
                assignment_ids=assignment_ids,
                purpose=purpose,
                at=self._ctx.now(),
            )
            uow.after_commit(lambda: self._keep(key, linked))

    async def links_written(self) -> None:
        """Wait until the links remembered so far are in the table (the tests' harness)."""
        await self._writer.written()

    async def close(self) -> None:
        """Write the links still queued (the application's shutdown)."""
        await self._writer.close()

    async def consume(self, question: OpenQuestion | None) -> Pending | None:
        """Consume a question already read (with who is writing, for a reply): the answer it
        waits for, or None when it expired or another message took it first."""
        if question is None:
            return None
        async with self._ctx.uow() as uow:
            if not await conversation_repo.take_question(uow, question_id=question.id):
                return None  # another message (another instance) answered it just now
        if question.expires_at <= self._ctx.now():
            return None
        return Pending(question.action, question.target_id, json.loads(question.payload or "{}"))

    async def linked(self, *, chat_id: int, message_id: int) -> tuple[int, ...]:
        """The assignments a bot message is about, in their numbered order."""
        return (await self.links(chat_id=chat_id, message_id=message_id)).ids

    async def last_digest(self, *, chat_id: int, agency_id: int) -> tuple[int, ...]:
        """The latest daily digest's assignments sent here about the agency's tasks, by line."""
        async with self._ctx.uow() as uow:
            return await conversation_repo.last_digest(uow, chat_id=chat_id, agency_id=agency_id)

    def known_links(self, *, chat_id: int, message_id: int) -> Links | None:
        """`links` when this process knows them without a statement (kept, or not written
        yet); None when they would be read from the table."""
        key = (chat_id, message_id)
        known = self._links.get(key)
        if known is not None:
            self._links.move_to_end(key)
            return known
        waiting = self._writer.waiting(chat_id, message_id)
        return None if waiting is None else Links(waiting.assignment_ids, waiting.purpose)

    async def links(self, *, chat_id: int, message_id: int) -> Links:
        """What a bot message is about: its assignments, numbered, and its purpose.

        A message's links are written once, right after it is sent, and never change: once
        found they are kept in memory (the latest LINKS_KEPT messages), which saves a
        statement on each further reply to it (a digest is answered once per task). An empty
        answer is not kept: another instance's message just sent may not be written yet."""
        key = (chat_id, message_id)
        known = self._links.get(key)
        if known is not None:
            self._links.move_to_end(key)
            return known
        waiting = self._writer.waiting(chat_id, message_id)
        if waiting is not None:  # not written yet, and no longer in memory (a long outage)
            return Links(waiting.assignment_ids, waiting.purpose)
        async with self._ctx.uow() as uow:
            ids, purpose = await conversation_repo.linked_assignments(
                uow, chat_id=chat_id, message_id=message_id
            )
        linked = Links(ids, purpose)
        if ids:
            self._keep(key, linked)
        return linked

    def _keep(self, key: tuple[int, int], linked: Links) -> None:
        self._links[key] = linked
        if len(self._links) > LINKS_KEPT:
            self._links.popitem(last=False)

    async def ask(
        self,
        *,
        chat_id: int,
        user_id: int,
        action: str,
        target_id: int,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Remember that the bot asked this person a question here (one at a time)."""
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            await conversation_repo.ask(
                uow,
                chat_id=chat_id,
                user_id=user_id,
                action=action,
                target_id=target_id,
                payload=json.dumps(payload or {}, ensure_ascii=False),
                expires_at=now + PENDING_TTL,
                at=now,
            )

    async def pending(self, *, chat_id: int, user_id: int, consume: bool = True) -> Pending | None:
        """The open question for this person here, if any (and not expired); consumed
        (answered or expired) unless `consume` is False."""
        async with self._ctx.uow() as uow:
            question = await conversation_repo.open_question(uow, chat_id=chat_id, user_id=user_id)
            if consume:
                return await self.consume(question)
        if question is None or question.expires_at <= self._ctx.now():
            return None
        return Pending(question.action, question.target_id, json.loads(question.payload or "{}"))

    async def forget(self, *, chat_id: int, user_id: int) -> None:
        async with self._ctx.uow() as uow:
            await conversation_repo.forget_questions(uow, chat_id=chat_id, user_id=user_id)

    async def office_chats(self) -> list[ChatTarget]:
        """Where escalations and summaries go: the office chats, else admins' private chats."""
        async with self._ctx.uow() as uow:
            chats = await binding_repo.office_chats(uow, admin_ids=self._ctx.settings.admin_ids)
        return [ChatTarget(chat_id, thread_id) for chat_id, thread_id in chats]

    async def agency_chats(self, agency_id: int) -> list[ChatTarget]:
        """An agency's bound groups/topics; with none, its focal points' private chats."""
        async with self._ctx.uow() as uow:
            chats = await binding_repo.agency_chats(uow, agency_id=agency_id)
        return [ChatTarget(chat_id, thread_id) for chat_id, thread_id in chats]
