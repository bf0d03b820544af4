"""The reminder log: one row per `(assignment, kind, due day)` under a UNIQUE constraint, the
exactly-once claim of a reminder (the protocol is told in bot/services/reminders.py).

Every write here is a single statement whose WHERE decides, in the database, which of two
racing instances wins: an insert that does nothing on conflict, a conditional update."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import ReminderLog
from storage.unit_of_work import UnitOfWork

ClaimKey = tuple[int, str, date]  # (assignment id, kind, due day)


async def insert_claims(
    uow: UnitOfWork, *, keys: Sequence[ClaimKey], at: datetime, claimed_by: str
) -> list[tuple[int, int, str, date]]:
    """Insert a claim for each key nobody holds (`INSERT ... ON CONFLICT DO NOTHING`);
    returns (id, assignment id, kind, due day) of the rows this call inserted."""
    insert = postgresql.insert if uow.dialect_name == "postgresql" else sqlite.insert
    statement = (
        insert(ReminderLog)
        .values(
            [
                {
                    "assignment_id": aid,
                    "kind": kind,
                    "due_on": due_on,
                    "claimed_at": at,
                    "claimed_by": claimed_by,
                    "attempts": 1,
                }
                for aid, kind, due_on in keys
            ]
        )
        .on_conflict_do_nothing(index_elements=["assignment_id", "kind", "due_on"])
        .returning(ReminderLog.id, ReminderLog.assignment_id, ReminderLog.kind, ReminderLog.due_on)
    )
    rows = (await uow.execute(statement)).all()
    return [(row[0], row[1], row[2], row[3]) for row in rows]


async def unsent_claims(
    uow: UnitOfWork, *, keys: Sequence[ClaimKey], claimed_before: datetime, max_attempts: int
) -> list[ReminderLog]:
    """Rows of these keys still unsent, claimed before `claimed_before`, tried fewer than
    `max_attempts` times: the candidates for a re-claim."""
    result = await uow.session.execute(
        select(ReminderLog).where(
            tuple_(ReminderLog.assignment_id, ReminderLog.kind, ReminderLog.due_on).in_(list(keys)),
            ReminderLog.sent_at.is_(None),
            ReminderLog.claimed_at < claimed_before,
            ReminderLog.attempts < max_attempts,
        )
    )
    return list(result.scalars().all())


async def reclaim(
    uow: UnitOfWork, *, claim_id: int, seen_claimed_at: datetime, at: datetime, claimed_by: str
) -> bool:
    """Take over an unsent claim, one more attempt; only one of two racing instances wins
    (the row must still carry the claim time this instance read)."""
    won = await uow.execute(
        update(ReminderLog)
        .where(
            ReminderLog.id == claim_id,
            ReminderLog.claimed_at == seen_claimed_at,
            ReminderLog.sent_at.is_(None),
        )
        .values(claimed_at=at, claimed_by=claimed_by, attempts=ReminderLog.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return won.rowcount == 1


async def record_outcome(
    uow: UnitOfWork,
    *,
    claim_ids: Sequence[int],
    delivered_to: str | None,
    error: str | None,
    first_chat_id: int | None,
    first_message_id: int | None,
    sent_at: datetime | None,
) -> int:
    """Store what a send achieved on these still-unsent rows (the first copy's chat and message
    are kept once known); `sent_at` marks them sent. Returns how many rows it changed."""
    values: dict[str, Any] = {
        "delivered_to": delivered_to,
        "error": error,
        "chat_id": func.coalesce(ReminderLog.chat_id, first_chat_id),
        "message_id": func.coalesce(ReminderLog.message_id, first_message_id),
    }
    if sent_at is not None:
        values["sent_at"] = sent_at
    result = await uow.execute(
        update(ReminderLog)
        .where(ReminderLog.id.in_(list(claim_ids)), ReminderLog.sent_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def sent_keys(uow: UnitOfWork, *, day: date) -> set[tuple[int, str]]:
    """(assignment, kind) already sent for `day`."""
    rows = await uow.execute(
        select(ReminderLog.assignment_id, ReminderLog.kind).where(
            ReminderLog.due_on == day, ReminderLog.sent_at.is_not(None)
        )
    )
    return {(aid, kind) for aid, kind in rows.all()}
