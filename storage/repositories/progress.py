"""Progress history (append-only: rows are inserted, never updated or deleted) and the
extension requests the office decides."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, insert, select

from storage.direct import Direct
from storage.models import ExtensionRequest, ProgressUpdate
from storage.unit_of_work import UnitOfWork

# Built once: the progress reply appends one row with it (bench finding C).
APPEND_UPDATE = insert(ProgressUpdate).returning(ProgressUpdate.id)
_APPEND_UPDATE = Direct(APPEND_UPDATE)  # run on the driver (storage/direct.py)


UPDATE_COLUMNS = (
    "assignment_id",
    "kind",
    "status",
    "percent",
    "text",
    "evidence_file_ids",
    "author_user_id",
    "author_name",
    "source_chat_id",
    "source_message_id",
    "reverts_id",
    "obstacle",
    "created_at",
)  # what `update_values` gives


def update_values(
    *,
    assignment_id: int,
    kind: str,
    status: str,
    percent: int | None,
    text: str = "",
    evidence_file_ids: str = "",
    author_user_id: int | None,
    author_name: str | None,
    source_chat_id: int | None,
    source_message_id: int | None,
    reverts_id: int | None = None,
    obstacle: bool = False,
    created_at: datetime,
) -> dict[str, object]:
    """Every column of a new history row (a Core insert fills no Python-side defaults)."""
    return {
        "assignment_id": assignment_id,
        "kind": kind,
        "status": status,
        "percent": percent,
        "text": text,
        "evidence_file_ids": evidence_file_ids,
        "author_user_id": author_user_id,
        "author_name": author_name,
        "source_chat_id": source_chat_id,
        "source_message_id": source_message_id,
        "reverts_id": reverts_id,
        "obstacle": obstacle,
        "created_at": created_at,
    }


async def append_update(
    uow: UnitOfWork,
    *,
    assignment_id: int,
    kind: str,
    status: str,
    percent: int | None,
    text: str = "",
    evidence_file_ids: str = "",
    author_user_id: int | None,
    author_name: str | None,
    source_chat_id: int | None,
    source_message_id: int | None,
    reverts_id: int | None = None,
    obstacle: bool = False,
    created_at: datetime,
) -> int:
    """Insert one history row, carrying the status and percent the assignment has after it;
    returns its id."""
    values = update_values(
        assignment_id=assignment_id,
        kind=kind,
        status=status,
        percent=percent,
        text=text,
        evidence_file_ids=evidence_file_ids,
        author_user_id=author_user_id,
        author_name=author_name,
        source_chat_id=source_chat_id,
        source_message_id=source_message_id,
        reverts_id=reverts_id,
        obstacle=obstacle,
        created_at=created_at,
    )
    return await insert_update(uow, values=values)


async def insert_update(uow: UnitOfWork, *, values: dict[str, object]) -> int:
    """Insert the history row `values` (`update_values`); returns its id."""
    return int((await uow.execute(_APPEND_UPDATE, values)).scalar_one())


async def get_update(uow: UnitOfWork, *, update_id: int) -> ProgressUpdate | None:
    return await uow.session.get(ProgressUpdate, update_id)


async def updates_from_message(
    uow: UnitOfWork,
    *,
    chat_id: int,
    message_id: int,
    author_user_id: int | None,
    since: datetime,
) -> list[ProgressUpdate]:
    """The reports one message of one person recorded (a digest answered line by line: a
    row per task, two for a figure stated with a request for more time), oldest first.
    `since` bounds the search to the time the message was read (the created_at index)."""
    result = await uow.session.execute(
        select(ProgressUpdate)
        .where(
            ProgressUpdate.created_at >= since,
            ProgressUpdate.source_chat_id == chat_id,
            ProgressUpdate.source_message_id == message_id,
            ProgressUpdate.author_user_id == author_user_id,
            ProgressUpdate.reverts_id.is_(None),
        )
        .order_by(ProgressUpdate.id)
    )
    return list(result.scalars().all())


async def history(uow: UnitOfWork, *, assignment_id: int, limit: int = 50) -> list[ProgressUpdate]:
    """An assignment's history rows, newest first."""
    result = await uow.session.execute(
        select(ProgressUpdate)
        .where(ProgressUpdate.assignment_id == assignment_id)
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(limit)
    )
    return list(result.scalars().all())


# What the repeat rule reads (bot/domain/repeats.py): the task's latest rows, newest first. A
# Core statement built once: it runs on every report (bench finding C). On SQLite a report
# reads them with its target, in one statement (tasks.report_target_and_recent).
RECENT_LIMIT = 50
RECENT_COLUMNS = (
    ProgressUpdate.id,
    ProgressUpdate.kind,
    ProgressUpdate.author_user_id,
    ProgressUpdate.percent,
    ProgressUpdate.text,
    ProgressUpdate.evidence_file_ids,
    ProgressUpdate.author_name,
    ProgressUpdate.created_at,
)
RECENT_ORDER = (ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
RECENT_UPDATES = (
    select(*RECENT_COLUMNS)
    .where(
        ProgressUpdate.assignment_id == bindparam("assignment_id"),
        ProgressUpdate.created_at >= bindparam("since"),
    )
    .order_by(*RECENT_ORDER)
    .limit(RECENT_LIMIT)
)
_RECENT_UPDATES = Direct(RECENT_UPDATES)  # run on the driver (storage/direct.py)


class RecentUpdate(NamedTuple):
    """A history row as the repeat rule reads it (RECENT_COLUMNS, in order)."""

    id: int
    kind: str
    author_user_id: int | None
    percent: int | None
    text: str
    evidence_file_ids: str
    author_name: str | None
    created_at: datetime


async def recent_updates(
    uow: UnitOfWork, *, assignment_id: int, since: datetime
) -> list[RecentUpdate]:
    """An assignment's history rows since `since`, newest first (at most RECENT_LIMIT)."""
    params = {"assignment_id": assignment_id, "since": since}
    return [RecentUpdate(*row) for row in await uow.execute(_RECENT_UPDATES, params)]


async def latest_of(
    uow: UnitOfWork, *, assignment_id: int, kinds: Sequence[str]
) -> ProgressUpdate | None:
    """An assignment's latest history row of one of these kinds (an office decision), if any."""
    result = await uow.session.execute(
        select(ProgressUpdate)
        .where(
            ProgressUpdate.assignment_id == assignment_id,
            ProgressUpdate.kind.in_(tuple(kinds)),
        )
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


# --- extension requests ----------------------------------------------------------------------


async def add_extension_request(
    uow: UnitOfWork,
    *,
    assignment_id: int,
    requested_end: date,
    reason: str,
    requested_by: int,
    at: datetime,
) -> int:
    """A pending request; returns its id."""
    request = ExtensionRequest(
        assignment_id=assignment_id,
        requested_end=requested_end,
        reason=reason,
        requested_by=requested_by,
        created_at=at,
    )
    uow.session.add(request)
    await uow.session.flush()
    return request.id or 0


async def extension_request(
    uow: UnitOfWork, *, request_id: int, lock: bool = False
) -> ExtensionRequest | None:
    """A request; `lock` holds its row until the transaction ends (PostgreSQL: two decisions
    at once take turns, and the second sees the first)."""
    if lock:
        return await uow.session.get(
            ExtensionRequest, request_id, with_for_update=True, populate_existing=True
        )
    return await uow.session.get(ExtensionRequest, request_id)


async def pending_extension(uow: UnitOfWork, *, assignment_id: int) -> ExtensionRequest | None:
    """The request of the assignment waiting for the office (one at a time since a second is
    refused while one waits; the oldest, should older data hold two)."""
    result = await uow.session.execute(
        select(ExtensionRequest)
        .where(
            ExtensionRequest.assignment_id == assignment_id,
            ExtensionRequest.status == "pending",
        )
        .order_by(ExtensionRequest.id)
        .limit(1)
    )
    return result.scalars().first()


async def pending_extensions(uow: UnitOfWork, *, assignment_id: int) -> list[ExtensionRequest]:
    """Every request of the assignment the office has not decided yet, oldest first."""
    result = await uow.session.execute(
        select(ExtensionRequest)
        .where(
            ExtensionRequest.assignment_id == assignment_id,
            ExtensionRequest.status == "pending",
        )
        .order_by(ExtensionRequest.id)
    )
    return list(result.scalars().all())


async def decide_extension(
    uow: UnitOfWork, *, request: ExtensionRequest, approve: bool, by_user_id: int, at: datetime
) -> None:
    """Record the office's decision on a pending request."""
    request.status = "approved" if approve else "refused"
    request.decided_by = by_user_id
    request.decided_at = at


async def withdraw_extension(
    uow: UnitOfWork, *, request: ExtensionRequest, by_user_id: int, at: datetime
) -> None:
    """The agency takes back a pending request (✏️ Sửa ngày: to send the right date)."""
    request.status = "withdrawn"
    request.decided_by = by_user_id
    request.decided_at = at
