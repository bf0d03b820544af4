"""The outbox: messages to other chats, written in the same transaction as their cause and
claimed by one sender at a time (the protocol is told in bot/services/outbox.py).

A claim is a lease (`claimed_until`): the sender that holds it sends, then records the
outcome; a sender that died leaves a lease that runs out, and the row is claimed again.
On PostgreSQL the rows are picked with `FOR UPDATE SKIP LOCKED`, so two instances never
take the same row and never wait on each other; SQLite has one writer, and the conditional
UPDATE (`claimed_until` still free) decides there."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, delete, func, or_, select, update

from storage.models import OutboxMessage
from storage.unit_of_work import UnitOfWork

T = OutboxMessage.__table__  # Core: the sender's statements run often and need no objects
PENDING = and_(T.c.sent_at.is_(None), T.c.failed_at.is_(None), T.c.withdrawn_at.is_(None))


async def add(uow: UnitOfWork, *, rows: Sequence[dict[str, Any]]) -> None:
    """Write the messages (one dict per row: chat_id, text, and the optional columns)."""
    if rows:
        await uow.execute(T.insert(), list(rows))


@cache
def _pick(by_purposes: bool, skipping_purposes: bool, bulk: bool) -> Select[Any]:
    """The claim's read, built once per shape with its lists as expanding parameters: the
    sender runs it about thirty times a second at the morning's peak, and a statement built
    each time with a hundred chats to skip spent milliseconds in SQLAlchemy (coercing each
    element, a new cache key) before SQLite's own microseconds."""
    now = bindparam("now", type_=T.c.due_at.type)
    busy = select(T.c.chat_id).where(PENDING, T.c.claimed_until > now)
    where = [
        PENDING,
        T.c.due_at <= now,
        or_(T.c.claimed_until.is_(None), T.c.claimed_until <= now),
        T.c.chat_id.not_in(busy),
        T.c.chat_id.not_in(bindparam("skip", expanding=True)),
    ]
    if by_purposes:  # a sender of some kinds only (the benchmark's old design)
        where.append(T.c.purpose.in_(bindparam("purposes", expanding=True)))
    if skipping_purposes:
        where.append(T.c.purpose.not_in(bindparam("skip_purposes", expanding=True)))
    order = [T.c.purpose.in_(bindparam("bulk", expanding=True)), T.c.id] if bulk else [T.c.id]
    return select(T.c.id, T.c.chat_id).where(*where).order_by(*order).limit(bindparam("limit"))


async def claim(
    uow: UnitOfWork,
    *,
    now: datetime,
    until: datetime,
    by: str,
    skip_chats: Collection[int],
    max_chats: int,
    per_chat: int,
    scan: int | None = None,
    purposes: Collection[str] | None = None,
    skip_purposes: Collection[str] = (),
    bulk: Collection[str] = (),
) -> list[dict[str, Any]]:
    """Claim what is due for up to `max_chats` chats (at most `per_chat` rows each, oldest
    first), leaving out `skip_chats` (the sender's own: not ready yet) and any chat another
    sender is working on (a live lease). Rows of the `bulk` purposes (the sweep's reminders)
    come after every other due row: a chat with a report's notice waiting is taken before
    the thousand reminders written ahead of it. Returns the claimed rows in order.

    The rows are read, chosen, then locked (PostgreSQL: `FOR UPDATE SKIP LOCKED`, only the
    chosen ones, so a claim under way elsewhere costs this one those rows, never a wait) and
    leased by a conditional UPDATE that only rows still free pass."""
    # Enough rows for what may be taken (a chat with many fills it: fewer chats this time); a
    # wider scan costs every pump at the morning's peak, a thousand reminders waiting.
    limit = scan if scan is not None else max_chats * per_chat
    pick = _pick(purposes is not None, bool(skip_purposes), bool(bulk))
    params: dict[str, Any] = {
        "now": now,
        "skip": list(skip_chats),
        "limit": limit,
        "purposes": list(purposes or ()),
        "skip_purposes": list(skip_purposes),
        "bulk": list(bulk),
    }
    chosen: list[int] = []
    taken: dict[int, int] = {}
    for row_id, chat_id in (await uow.execute(pick, params)).all():
        if chat_id not in taken and len(taken) >= max_chats:
            continue
        if taken.get(chat_id, 0) >= per_chat:
            continue
        taken[chat_id] = taken.get(chat_id, 0) + 1
        chosen.append(row_id)
    if not chosen:
        return []
    free = or_(T.c.claimed_until.is_(None), T.c.claimed_until <= now)
    if uow.dialect_name == "postgresql":  # lock what was chosen; another claimer's: skipped
        lock = select(T.c.id).where(T.c.id.in_(chosen), PENDING, free)
        locked = await uow.execute(lock.with_for_update(skip_locked=True))
        chosen = [row[0] for row in locked.all()]
        if not chosen:
            return []
    won = await uow.execute(
        update(T)
        .where(
            T.c.id.in_(chosen),
            PENDING,
            or_(T.c.claimed_until.is_(None), T.c.claimed_until <= now),
        )
        .values(claimed_until=until, claimed_by=by)
        .returning(T.c.id)
    )
    ids = [row[0] for row in won.all()]
    if not ids:
        return []
    rows = await uow.execute(select(T).where(T.c.id.in_(ids)).order_by(T.c.id))
    return [dict(row) for row in rows.mappings().all()]


async def sent(uow: UnitOfWork, *, ids: Sequence[int], at: datetime, message_id: int) -> None:
    await uow.execute(
        update(T)
        .where(T.c.id.in_(list(ids)))
        .values(sent_at=at, message_id=message_id, claimed_until=None, error=None)
    )


async def release(uow: UnitOfWork, *, ids: Sequence[int]) -> None:
    """Give claimed rows back untried (they go with the chat's next message)."""
    await uow.execute(
        update(T).where(T.c.id.in_(list(ids)), PENDING).values(claimed_until=None, claimed_by=None)
    )


async def release_all(uow: UnitOfWork, *, by: str) -> None:
    """A sender stopping gives back what it holds, so another need not wait for the lease."""
    await uow.execute(
        update(T).where(PENDING, T.c.claimed_by == by).values(claimed_until=None, claimed_by=None)
    )


async def retry_later(uow: UnitOfWork, *, ids: Sequence[int], due_at: datetime, error: str) -> None:
    await uow.execute(
        update(T)
        .where(T.c.id.in_(list(ids)))
        .values(due_at=due_at, attempts=T.c.attempts + 1, claimed_until=None, error=error)
    )


async def failed(uow: UnitOfWork, *, ids: Sequence[int], at: datetime, error: str) -> None:
    await uow.execute(
        update(T)
        .where(T.c.id.in_(list(ids)))
        .values(failed_at=at, attempts=T.c.attempts + 1, claimed_until=None, error=error)
    )


async def next_due(uow: UnitOfWork, *, skip_chats: Collection[int]) -> datetime | None:
    """When the earliest pending message (of a chat not skipped) is due."""
    query = select(func.min(T.c.due_at)).where(PENDING)
    if skip_chats:
        query = query.where(T.c.chat_id.not_in(list(skip_chats)))
    value: datetime | None = (await uow.execute(query)).scalar()
    return value


async def waiting(uow: UnitOfWork, *, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """How many messages wait, and the oldest `limit` of them."""
    count = (await uow.execute(select(func.count()).select_from(T).where(PENDING))).scalar() or 0
    rows = await uow.execute(select(T).where(PENDING).order_by(T.c.id).limit(limit))
    return int(count), [dict(row) for row in rows.mappings().all()]


async def failures(
    uow: UnitOfWork, *, since: datetime | None, limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """How many messages failed (since `since`), and the latest `limit` of them."""
    where = [T.c.failed_at.is_not(None)]
    if since is not None:
        where.append(T.c.failed_at >= since)
    count = (await uow.execute(select(func.count()).select_from(T).where(*where))).scalar() or 0
    rows = await uow.execute(select(T).where(*where).order_by(T.c.id.desc()).limit(limit))
    return int(count), [dict(row) for row in rows.mappings().all()]


async def sent_count(uow: UnitOfWork) -> int:
    query = select(func.count()).select_from(T).where(T.c.sent_at.is_not(None))
    return int((await uow.execute(query)).scalar() or 0)


async def move_chat(uow: UnitOfWork, *, old_chat_id: int, new_chat_id: int) -> int:
    """A group that became a supergroup: what waits for it waits for its new id."""
    moved = await uow.execute(
        update(T).where(PENDING, T.c.chat_id == old_chat_id).values(chat_id=new_chat_id)
    )
    return int(moved.rowcount or 0)


async def withdraw(uow: UnitOfWork, *, ids: Sequence[int], at: datetime, reason: str) -> None:
    """Settle claimed messages without sending them (a reminder about nothing open any more)."""
    await uow.execute(
        update(T)
        .where(T.c.id.in_(list(ids)))
        .values(withdrawn_at=at, error=reason, claimed_until=None, claimed_by=None)
    )


async def prune_sent(uow: UnitOfWork, *, sent_before: datetime) -> int:
    """Delete the messages sent or withdrawn before `sent_before` (what failed, or waits,
    stays)."""
    gone = await uow.execute(
        delete(T).where(
            or_(
                and_(T.c.sent_at.is_not(None), T.c.sent_at < sent_before),
                and_(T.c.withdrawn_at.is_not(None), T.c.withdrawn_at < sent_before),
            )
        )
    )
    return int(gone.rowcount or 0)
