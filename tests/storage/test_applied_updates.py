"""The ledger of applied updates (storage/ledger.py) on SQLite and PostgreSQL: the first
writing transaction of an update claims it, a second delivery rolls back with its effect and
every later write of it is refused, a transaction that writes nothing claims nothing, and old
claims are pruned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.ledger import UpdateAlreadyApplied, applying_update
from storage.models import AppliedUpdate, Notice
from storage.repositories import ledger as ledger_repo
from storage.unit_of_work import UnitOfWork

AT = datetime(2020, 1, 14, 2, 0, tzinfo=UTC)
BOT = 123456


async def _numbers(factory: async_sessionmaker[AsyncSession]) -> list[str]:
    async with UnitOfWork(factory) as uow:
        return list((await uow.execute(select(Notice.number).order_by(Notice.id))).scalars())


async def _claims(factory: async_sessionmaker[AsyncSession]) -> list[tuple[int, int]]:
    async with UnitOfWork(factory) as uow:
        rows = await uow.execute(select(AppliedUpdate.bot_id, AppliedUpdate.update_id))
        return sorted((b, u) for b, u in rows.all())


async def _store(factory: async_sessionmaker[AsyncSession], number: str) -> None:
    async with UnitOfWork(factory) as uow:
        uow.session.add(Notice(number=number, source_text=""))


async def test_a_second_delivery_rolls_back_with_its_effect(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    with applying_update(BOT, 7, AT) as claim:
        await _store(session_factory, "1-TB/X")
        await _store(session_factory, "2-TB/X")  # a later write of the same delivery: no claim
        assert claim.applied and not claim.duplicate
    with applying_update(BOT, 7, AT + timedelta(hours=1)) as again:
        with pytest.raises(UpdateAlreadyApplied):
            await _store(session_factory, "1-TB/X")
        with pytest.raises(UpdateAlreadyApplied):  # and anything after it
            await _store(session_factory, "3-TB/X")
        assert again.duplicate and not again.applied
    assert await _numbers(session_factory) == ["1-TB/X", "2-TB/X"]
    assert await _claims(session_factory) == [(BOT, 7)]


async def test_reading_claims_nothing_and_ids_count_per_bot(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    with applying_update(BOT, 8, AT) as claim:
        assert await _numbers(session_factory) == []
        assert not claim.applied
    with applying_update(BOT + 1, 8, AT):  # another bot's update 8: its own
        await _store(session_factory, "4-TB/X")
    with applying_update(BOT, 8, AT):
        await _store(session_factory, "5-TB/X")
    await _store(session_factory, "6-TB/X")  # outside an update (a job, the CLI): no claim
    assert await _claims(session_factory) == [(BOT, 8), (BOT + 1, 8)]


async def test_claims_older_than_the_horizon_are_pruned(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    for update_id, days in ((1, 10), (2, 8), (3, 1)):
        with applying_update(BOT, update_id, AT - timedelta(days=days)):
            await _store(session_factory, f"{update_id}-TB/X")
    async with UnitOfWork(session_factory) as uow:
        assert await ledger_repo.prune(uow, before=AT - timedelta(days=7)) == 2
    assert await _claims(session_factory) == [(BOT, 3)]
