"""Every Telegram update applied once, whatever delivers it.

A webhook redelivered after a timeout, two pollers on one database, two instances behind one
address, a retry after a crash between the commit and the answer: each hands the same update
to the bot again. The bot opens an `UpdateClaim` around each update (`applying_update`); the
first unit of work of that update that writes something inserts `(bot_id, update_id)` into
`applied_updates` just before it commits, in the same transaction as its effect. A second
delivery's insert meets the primary key, its transaction (the effect included) rolls back and
`UpdateAlreadyApplied` is raised; every later write of that delivery is refused the same way,
so it changes nothing. On PostgreSQL the second insert waits for the first transaction and
fails once it commits; on SQLite the single writer does the same.

What costs: one INSERT of two integers and a time, in a transaction that writes anyway. On
PostgreSQL the progress report's statement carries it (`claim_cte`, `claim_to_make`): the claim
is a CTE of the history row's INSERT, which inserts its row only `FROM` the claim's, so a second
delivery's statement stores nothing and raises, and the transaction rolls back as above; the
unit of work then has no claim left to insert (one round trip fewer a report). An
update that stores nothing (a list, a help page) claims nothing and costs nothing; a repeat of
it is only an answer given twice.

The claim travels in a context variable, so it composes with concurrent update processing
(each update's task has its own) and never reaches the scheduler's jobs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CTE, bindparam, insert

from storage.direct import Direct, DirectResult
from storage.models import AppliedUpdate

if TYPE_CHECKING:
    from storage.unit_of_work import UnitOfWork


class UpdateAlreadyApplied(Exception):
    """This update's effect is already stored (another delivery applied it): nothing of this
    delivery is stored; the bot stays silent."""

    def __init__(self, bot_id: int, update_id: int) -> None:
        super().__init__(f"update {update_id} of bot {bot_id} was already applied")
        self.bot_id = bot_id
        self.update_id = update_id


@dataclass
class UpdateClaim:
    """The update being handled. `applied`: this delivery's claim committed; `duplicate`:
    another delivery had claimed it, so nothing more may be written."""

    bot_id: int
    update_id: int
    at: datetime
    applied: bool = False
    duplicate: bool = False


_CLAIM: ContextVar[UpdateClaim | None] = ContextVar("dondoc_update_claim", default=None)


@contextmanager
def applying_update(bot_id: int, update_id: int, at: datetime) -> Iterator[UpdateClaim]:
    """Claim this update in the first transaction of its handling that writes."""
    claim = UpdateClaim(bot_id, update_id, at)
    token = _CLAIM.set(claim)
    try:
        yield claim
    finally:
        _CLAIM.reset(token)


def current_claim() -> UpdateClaim | None:
    return _CLAIM.get()


async def claim_before_commit(
    dialect: str, execute: Callable[[Direct, dict[str, Any]], Awaitable[DirectResult]]
) -> UpdateClaim | None:
    """Called by a writing unit of work just before it commits, with its dialect's name and
    its way to run a statement: insert the claim if this update has none yet. Returns the
    claim to mark applied once the commit succeeded."""
    claim = _CLAIM.get()
    if claim is None or claim.applied:
        return None
    if claim.duplicate:
        raise UpdateAlreadyApplied(claim.bot_id, claim.update_id)
    statement = _claim_statement(dialect)
    values = {"bot_id": claim.bot_id, "update_id": claim.update_id, "applied_at": claim.at}
    inserted = (await execute(statement, values)).first()
    if inserted is None:
        claim.duplicate = True
        raise UpdateAlreadyApplied(claim.bot_id, claim.update_id)
    return claim


_CLAIMS: dict[str, Direct] = {}


def _claim_statement(dialect: str) -> Direct:
    """The claim's INSERT, built once per dialect: every update that writes runs it, and
    building it anew each time (and its cache key) cost more than running it (bench/README.md,
    finding E), and it runs on the driver (storage/direct.py, finding O). RETURNING, not
    rowcount: psycopg reports -1 for an INSERT … ON CONFLICT."""
    statement = _CLAIMS.get(dialect)
    if statement is None:
        statement = _CLAIMS[dialect] = Direct(
            _insert_ignoring_conflict(dialect)
            .values(
                bot_id=bindparam("bot_id"),
                update_id=bindparam("update_id"),
                applied_at=bindparam("applied_at"),
            )
            .returning(AppliedUpdate.update_id)
        )
    return statement


def _insert_ignoring_conflict(dialect: str) -> Any:
    # ON CONFLICT DO NOTHING: a repeat is a row count of 0, not an error that would abort a
    # PostgreSQL transaction or fill the log. On PostgreSQL it still waits for a concurrent
    # transaction holding the same key, and counts 0 once that one commits.
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(AppliedUpdate).on_conflict_do_nothing()
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(AppliedUpdate).on_conflict_do_nothing()
    return insert(AppliedUpdate)


# --- the claim inside a writing statement (PostgreSQL) ---------------------------------------

_CLAIM_KEYS = {"bot_id": "claim_bot_id", "update_id": "claim_update_id", "applied_at": "claim_at"}


def claim_cte() -> CTE:
    """PostgreSQL: the claim as a data-modifying CTE named `claimed`: one row when this
    delivery claimed the update, none when another delivery had (waiting for it, as the
    claim's own INSERT does). A statement that takes its rows `FROM claimed` writes nothing
    for a duplicate. Its values are bound under `claim_parameters`' names."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    claim: Any = pg_insert(AppliedUpdate)  # SQLModel's columns are not typed as SQLAlchemy's
    return (
        claim.values({column: bindparam(key) for column, key in _CLAIM_KEYS.items()})
        .on_conflict_do_nothing()
        .returning(AppliedUpdate.update_id)
        .cte("claimed")
    )


def claim_to_make(uow: UnitOfWork) -> UpdateClaim | None:
    """The update's claim, when a statement of `uow`'s transaction may make it with its own
    writes; None when there is none to make (no update handled, its claim committed, or made
    already in this transaction). A delivery found a duplicate writes nothing: raises."""
    claim = _CLAIM.get()
    if claim is None or claim.applied or uow.claimed is not None:
        return None
    if claim.duplicate:
        raise UpdateAlreadyApplied(claim.bot_id, claim.update_id)
    return claim


def claim_parameters(claim: UpdateClaim) -> dict[str, Any]:
    values = {"bot_id": claim.bot_id, "update_id": claim.update_id, "applied_at": claim.at}
    return {key: values[column] for column, key in _CLAIM_KEYS.items()}


def claim_made(uow: UnitOfWork, claim: UpdateClaim, *, inserted: bool) -> None:
    """After the statement carrying `claim_cte`: it claimed the update (the unit of work
    commits it, and inserts no claim of its own), or another delivery had, and this one
    raises so that its transaction rolls back."""
    if not inserted:
        claim.duplicate = True
        raise UpdateAlreadyApplied(claim.bot_id, claim.update_id)
    uow.claimed = claim
