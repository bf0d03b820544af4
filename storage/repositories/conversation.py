"""Stateless conversations as rows: which assignments a bot message is about (message links),
and the one question the bot asked a person in a chat (pending inputs)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from storage.direct import Direct
from storage.models import Assignment, MessageLink, PendingInput
from storage.unit_of_work import UnitOfWork


class OpenQuestion(NamedTuple):
    """A question the bot asked this person in this chat, as stored (maybe expired)."""

    id: int
    action: str
    target_id: int
    payload: str
    expires_at: datetime


# Read on every reply to the bot: built once, run as Core statements (bench finding C).
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
FORGET_QUESTIONS_HERE = delete(PendingInput).where(
    PendingInput.chat_id == bindparam("chat_id"),
    PendingInput.telegram_user_id == bindparam("user_id"),
)
LINKED_ASSIGNMENTS = (
    select(MessageLink.assignment_id, MessageLink.purpose)
    .where(
        MessageLink.chat_id == bindparam("chat_id"),
        MessageLink.message_id == bindparam("message_id"),
    )
    .order_by(MessageLink.position)
)
_LINKED_ASSIGNMENTS = Direct(LINKED_ASSIGNMENTS)  # run on the driver (storage/direct.py)
# Written after every answer about a task (a report's confirmation): built once, so that
# SQLAlchemy finds its compiled form without building a statement and its cache key anew.
LINK_MESSAGE = insert(MessageLink)


async def link_message(
    uow: UnitOfWork,
    *,
    chat_id: int,
    message_id: int,
    assignment_ids: Sequence[int],
    purpose: str,
    at: datetime,
) -> None:
    """Map a sent message to the assignments it shows, numbered 1..n in the order given."""
    await uow.execute(
        LINK_MESSAGE,
        [
            {
                "chat_id": chat_id,
                "message_id": message_id,
                "assignment_id": assignment_id,
                "position": position,
                "purpose": purpose,
                "created_at": at,
            }
            for position, assignment_id in enumerate(assignment_ids, start=1)
        ],
    )


class SentLinks(NamedTuple):
    """A sent message's links, waiting to be written (bot/services/link_writer.py)."""

    chat_id: int
    message_id: int
    assignment_ids: tuple[int, ...]
    purpose: str
    at: datetime


# What `link_messages` raises when the database refuses a link for good (a constraint), for
# the layers above, which do not import SQLAlchemy.
LinksRefused = IntegrityError
_LINKS_IGNORING_REPEATS: dict[str, Any] = {}


def _links_ignoring_repeats(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING, built once per dialect: a batch written again after a
    commit whose answer was lost (the connection dropped at COMMIT) finds its rows stored."""
    statement = _LINKS_IGNORING_REPEATS.get(dialect)
    if statement is None:
        if dialect == "postgresql":
            statement = pg_insert(MessageLink).on_conflict_do_nothing()
        elif dialect == "sqlite":
            statement = sqlite_insert(MessageLink).on_conflict_do_nothing()
        else:
            statement = insert(MessageLink)
        _LINKS_IGNORING_REPEATS[dialect] = statement
    return statement


async def link_messages(uow: UnitOfWork, *, links: Sequence[SentLinks]) -> None:
    """The links of several sent messages in one statement (the link writer's batch), each
    message's assignments numbered 1..n in the order given; a link stored already is left."""
    await uow.execute(
        _links_ignoring_repeats(uow.dialect_name),
        [
            {
                "chat_id": link.chat_id,
                "message_id": link.message_id,
                "assignment_id": assignment_id,
                "position": position,
                "purpose": link.purpose,
                "created_at": link.at,
            }
            for link in links
            for position, assignment_id in enumerate(link.assignment_ids, start=1)
        ],
    )


async def linked_assignments(
    uow: UnitOfWork, *, chat_id: int, message_id: int
) -> tuple[tuple[int, ...], str]:
    """The assignments a bot message is about, in their numbered order, and what the message
    is (its purpose: a card, a digest, an answer to a report…; "" when it has no link)."""
    rows = (
        await uow.execute(_LINKED_ASSIGNMENTS, {"chat_id": chat_id, "message_id": message_id})
    ).all()
    return tuple(row.assignment_id for row in rows), rows[0].purpose if rows else ""


async def last_digest(uow: UnitOfWork, *, chat_id: int, agency_id: int) -> tuple[int, ...]:
    """The assignments of the latest daily digest sent to this chat about this agency's tasks,
    in their numbered order; () when none was sent here."""
    latest = (
        select(func.max(MessageLink.message_id))
        .join(Assignment, Assignment.id == MessageLink.assignment_id)
        .where(
            MessageLink.chat_id == chat_id,
            MessageLink.purpose == "digest",
            Assignment.agency_id == agency_id,
        )
        .scalar_subquery()
    )
    rows = await uow.execute(
        select(MessageLink.assignment_id)
        .where(MessageLink.chat_id == chat_id, MessageLink.message_id == latest)
        .order_by(MessageLink.position)
    )
    return tuple(rows.scalars().all())


async def open_question(uow: UnitOfWork, *, chat_id: int, user_id: int) -> OpenQuestion | None:
    """The question stored for this person here, expired or not."""
    row = (await uow.execute(OPEN_QUESTION, {"chat_id": chat_id, "user_id": user_id})).first()
    if row is None:
        return None
    return OpenQuestion(row.id, row.action, row.target_id, row.payload, row.expires_at)


async def take_question(uow: UnitOfWork, *, question_id: int) -> bool:
    """Delete the question; False when another transaction deleted it first (it answered)."""
    taken = await uow.execute(FORGET_QUESTION, {"pending_id": question_id})
    return taken.rowcount == 1


async def forget_questions(uow: UnitOfWork, *, chat_id: int, user_id: int) -> None:
    await uow.execute(FORGET_QUESTIONS_HERE, {"chat_id": chat_id, "user_id": user_id})


async def ask(
    uow: UnitOfWork,
    *,
    chat_id: int,
    user_id: int,
    action: str,
    target_id: int,
    payload: str,
    expires_at: datetime,
    at: datetime,
) -> None:
    """Store the question, replacing any other one to this person here (one at a time)."""
    await forget_questions(uow, chat_id=chat_id, user_id=user_id)
    await uow.execute(
        insert(PendingInput),
        {
            "chat_id": chat_id,
            "telegram_user_id": user_id,
            "action": action,
            "target_id": target_id,
            "payload": payload,
            "expires_at": expires_at,
            "created_at": at,
        },
    )
