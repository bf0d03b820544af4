"""A progress reply claims its update (storage/ledger.py) in the statement that writes its
history row on PostgreSQL (tasks.append_update_and_move: the claim a CTE, the row inserted
only `FROM claimed`), at the unit of work's commit on SQLite. Either way a second delivery of
the same update changes nothing, and two deliveries at once on PostgreSQL store one."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import ManualClock
from bot.config import Settings
from bot.services import Services, build_services
from bot.services.access import Identity
from bot.services.progress import Recorded, Refusal, Repeat, Source
from bot.services.replies import Handled, ReplyOutcome
from bot.services.reply_items import Stored
from storage.engine import make_engine, make_session_factory
from storage.ledger import UpdateAlreadyApplied, applying_update
from storage.models import AppliedUpdate, Assignment, ProgressUpdate
from storage.unit_of_work import UnitOfWork
from tests.reliability.test_repeat_race import _until_one_waits
from tests.storage.test_unit_of_work import (
    DIGEST,
    FOCAL,
    GROUP,
    NOW,
    _counting,
    _second_digest_line,
    _seed_reply_world,
    _task_reads,
    _writes,
)

BOT = 4242
UPDATE = 9


async def _reply(services: Services, text: str, message_id: int = 130) -> ReplyOutcome:
    return await services.replies.take(
        Identity(FOCAL, "Lan", GROUP, "supergroup"),
        replied_message_id=DIGEST,
        text=text,
        evidence=(),
        source=Source(FOCAL, "Lan", GROUP, message_id),
    )


async def _stored(
    factory: async_sessionmaker[AsyncSession],
) -> tuple[list[int], list[int], list[int]]:
    """The history's percents, the assignments' percents, the claimed update ids."""
    async with UnitOfWork(factory) as uow:
        history = await uow.execute(select(ProgressUpdate.percent).order_by(ProgressUpdate.id))
        moved = await uow.execute(select(Assignment.percent).order_by(Assignment.id))
        claims = (await uow.execute(select(AppliedUpdate.update_id))).scalars().all()
        return [p or 0 for p in history.scalars()], list(moved.scalars()), list(claims)


def _recorded(outcome: ReplyOutcome) -> bool:
    return (
        isinstance(outcome, Handled)
        and isinstance(outcome.outcomes[0].effect, Stored)
        and isinstance(outcome.outcomes[0].effect.result, Recorded)
    )


async def test_a_reply_claims_its_update_with_its_history_row_and_once(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """The first delivery stores the report and its claim: on PostgreSQL no statement of the
    claim's own (the history row's WITH carries it), on SQLite its INSERT before the commit.
    The same update an hour later (past the repeat rule's window), with a figure that would
    move the task, raises and changes nothing: no history row, no move, one claim."""
    await _seed_reply_world(session_factory)
    clock = ManualClock(NOW)
    services = build_services(session_factory, clock, Settings())
    with _counting(engine) as seen, applying_update(BOT, UPDATE, NOW) as claim:
        assert _recorded(await _reply(services, "đạt 30%"))
    assert claim.applied and not claim.duplicate
    claim_statement = [] if engine.dialect.name == "postgresql" else ["INSERT"]
    reads = ["SELECT"] * (2 + _task_reads(engine))  # who, the links, the task (and history)
    assert seen["statements"] == reads + _writes(engine) + claim_statement
    assert seen["commits"] == 1
    clock.advance(timedelta(hours=1))
    with applying_update(BOT, UPDATE, clock.now()) as again, pytest.raises(UpdateAlreadyApplied):
        await _reply(services, "đạt 60%", message_id=131)
    assert again.duplicate and not again.applied
    assert await _stored(session_factory) == ([30], [30], [UPDATE])


async def test_a_digest_reply_of_two_lines_makes_one_claim(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """Two tasks reported by one update: the first history row's statement claims it, the
    second's does not try again (it would find its own claim and roll the reply back)."""
    first = await _seed_reply_world(session_factory)
    await _second_digest_line(session_factory, first)
    services = build_services(session_factory, ManualClock(NOW), Settings())
    with applying_update(BOT, UPDATE, NOW) as claim:
        outcome = await services.replies.take(
            Identity(FOCAL, "Lan", GROUP, "supergroup"),
            replied_message_id=DIGEST + 1,
            text="1 đạt 40%\n2 đạt 50%",
            evidence=(),
            source=Source(FOCAL, "Lan", GROUP, 200),
        )
    assert isinstance(outcome, Handled) and len(outcome.outcomes) == 2
    assert claim.applied
    assert await _stored(session_factory) == ([40, 50], [40, 50], [UPDATE])


@pytest.mark.pg
@pytest.mark.parametrize(
    ("second_update", "repeat_window"),
    [(UPDATE, 10), (UPDATE, 0), (UPDATE + 1, 10)],
    ids=["delivered again", "delivered again, no repeat rule", "the same report sent again"],
)
async def test_two_replies_at_once_store_one_on_postgresql(
    pg_database: str, second_update: int, repeat_window: int
) -> None:
    """The first reply's transaction is held open after its history row and claim; the
    second (its links known by then, so its first statement reads and locks the task: the
    one the first holds) is let go once PostgreSQL shows it waiting, then the first commits.
    The same update delivered again stores nothing and raises: with the repeat rule on it
    finds the first's row (a repeat: it writes nothing, and its claim at the commit finds the
    first's), with it off its own WITH's claim finds the first's. The same words sent again
    as another message (another update) are the person's repeat: answered, nothing stored,
    its update claimed. Were the history read in the statement that waited for the lock, it
    would miss the first's row (READ COMMITTED) and store a second."""
    from tests.conftest import _truncate_pg

    _truncate_pg(pg_database)
    engine = make_engine(pg_database)
    try:
        factory = make_session_factory(engine)
        await _seed_reply_world(factory)
        settings = Settings(repeat_window_minutes=repeat_window)
        services = build_services(factory, ManualClock(NOW), settings)
        written, release = asyncio.Event(), asyncio.Event()

        async def first() -> ReplyOutcome:
            with applying_update(BOT, UPDATE, NOW):
                async with services.ctx.uow():  # the reply joins it: held open
                    outcome = await _reply(services, "đạt 30%")
                    written.set()
                    await release.wait()
                return outcome

        async def second() -> ReplyOutcome:
            with applying_update(BOT, second_update, NOW):
                return await _reply(services, "đạt 30%", message_id=131)

        holding = asyncio.create_task(first())
        await written.wait()
        again = asyncio.create_task(second())
        await _until_one_waits(pg_database)
        assert not again.done()
        release.set()
        assert _recorded(await holding)
        if second_update == UPDATE:
            with pytest.raises(UpdateAlreadyApplied):
                await again
        else:
            repeated = await again
            assert isinstance(repeated, Handled)
            effect = repeated.outcomes[0].effect
            assert isinstance(effect, Stored) and isinstance(effect.result, Repeat)
        claims = sorted({UPDATE, second_update})
        assert await _stored(factory) == ([30], [30], claims)
    finally:
        await engine.dispose()


async def test_a_task_read_with_who_is_refused_as_before(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """The task read (and locked) in the reply's first statement decides nothing: someone
    who does not report for its agency is refused both times, before its links are known
    and after (report.py's read ahead), and nothing is stored or claimed."""
    await _seed_reply_world(session_factory)
    services = build_services(session_factory, ManualClock(NOW), Settings())
    for n, text in enumerate(("đạt 30%", "đạt 40%")):
        with applying_update(BOT, UPDATE + n, NOW) as claim:
            outcome = await services.replies.take(
                Identity(FOCAL + 1, "Minh", GROUP, "supergroup"),
                replied_message_id=DIGEST,
                text=text,
                evidence=(),
                source=Source(FOCAL + 1, "Minh", GROUP, 140 + n),
            )
        assert isinstance(outcome, Handled)
        effect = outcome.outcomes[0].effect
        assert isinstance(effect, Stored) and effect.result is Refusal.NOT_ALLOWED
        assert not claim.applied
    assert await _stored(session_factory) == ([], [0], [])
