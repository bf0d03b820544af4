"""The web app's sign-in: one-time links, sessions, and the Mini App launch signatures already
used. Each consuming write is one statement whose WHERE decides in the database, so two
instances (or two tabs) racing for the same link or the same initData cannot both win."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import WebInitDataUse, WebLoginLink, WebSession
from storage.unit_of_work import UnitOfWork


async def add_link(
    uow: UnitOfWork, *, token_hash: str, telegram_user_id: int, at: datetime, expires_at: datetime
) -> None:
    await uow.execute(
        insert(WebLoginLink).values(
            token_hash=token_hash,
            telegram_user_id=telegram_user_id,
            created_at=at,
            expires_at=expires_at,
        )
    )


async def link_is_usable(uow: UnitOfWork, *, token_hash: str, at: datetime) -> bool:
    """The link exists, is unused and unexpired (the confirmation page, which consumes nothing)."""
    found = await uow.execute(
        select(WebLoginLink.id).where(
            WebLoginLink.token_hash == token_hash,
            WebLoginLink.used_at.is_(None),
            WebLoginLink.expires_at > at,
        )
    )
    return found.first() is not None


async def use_link(uow: UnitOfWork, *, token_hash: str, at: datetime) -> int | None:
    """Mark an unused, unexpired link used; the Telegram user it was given to, or None."""
    result = await uow.execute(
        update(WebLoginLink)
        .where(
            WebLoginLink.token_hash == token_hash,
            WebLoginLink.used_at.is_(None),
            WebLoginLink.expires_at > at,
        )
        .values(used_at=at)
        .returning(WebLoginLink.telegram_user_id)
    )
    row = result.first()
    return int(row[0]) if row else None


async def remember_init_data(
    uow: UnitOfWork, *, hash: str, telegram_user_id: int, at: datetime, expires_at: datetime
) -> bool:
    """Record a launch signature; False when it was already there (a replay)."""
    dialect_insert = postgresql.insert if uow.dialect_name == "postgresql" else sqlite.insert
    statement = (
        dialect_insert(WebInitDataUse)
        .values(hash=hash, telegram_user_id=telegram_user_id, used_at=at, expires_at=expires_at)
        .on_conflict_do_nothing(index_elements=["hash"])
        .returning(WebInitDataUse.id)
    )
    return (await uow.execute(statement)).first() is not None


async def add_session(
    uow: UnitOfWork,
    *,
    token_hash: str,
    telegram_user_id: int,
    via: str,
    at: datetime,
    expires_at: datetime,
) -> None:
    await uow.execute(
        insert(WebSession).values(
            token_hash=token_hash,
            telegram_user_id=telegram_user_id,
            via=via,
            created_at=at,
            expires_at=expires_at,
        )
    )


async def session_user(uow: UnitOfWork, *, token_hash: str, at: datetime) -> int | None:
    """The Telegram user of a live session (not ended, not expired), or None."""
    row = (
        await uow.execute(
            select(WebSession.telegram_user_id).where(
                WebSession.token_hash == token_hash,
                WebSession.ended_at.is_(None),
                WebSession.expires_at > at,
            )
        )
    ).first()
    return int(row[0]) if row else None


async def end_session(uow: UnitOfWork, *, token_hash: str, at: datetime) -> bool:
    result = await uow.execute(
        update(WebSession)
        .where(WebSession.token_hash == token_hash, WebSession.ended_at.is_(None))
        .values(ended_at=at)
    )
    return bool(result.rowcount)


async def purge_expired(uow: UnitOfWork, *, before: datetime) -> None:
    """Forget what can no longer be used: links, sessions and launch signatures past expiry."""
    await uow.execute(delete(WebLoginLink).where(WebLoginLink.expires_at < before))
    await uow.execute(delete(WebSession).where(WebSession.expires_at < before))
    await uow.execute(delete(WebInitDataUse).where(WebInitDataUse.expires_at < before))
