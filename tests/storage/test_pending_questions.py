"""A question the bot asked is answered once, even by two messages handled at the same time
(two instances on one PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.clock import ManualClock
from bot.services import build_services
from storage.engine import make_engine, make_session_factory
from tests.harness import FOCAL_A, GROUP_A, make_settings


async def test_two_messages_racing_for_one_question_take_it_once(pg_database: str) -> None:
    from tests.conftest import _truncate_pg

    _truncate_pg(pg_database)
    engine = make_engine(pg_database)
    clock = ManualClock(datetime(2020, 1, 15, 2, 0, tzinfo=UTC))
    services = build_services(make_session_factory(engine), clock, make_settings(pg_database))
    conversation = services.conversation
    try:
        await conversation.ask(
            chat_id=GROUP_A, user_id=FOCAL_A, action="block", target_id=7, payload={}
        )
        async with services.ctx.uow():
            # Taken inside a unit of work that is still open: `pending` joins it, so the
            # deletion is not committed until this block ends.
            taken = await conversation.pending(chat_id=GROUP_A, user_id=FOCAL_A)
            assert taken is not None and taken.action == "block"

            async def second_message() -> object:
                # Another task, as another update (or instance) would be: its own transaction.
                return await conversation.pending(chat_id=GROUP_A, user_id=FOCAL_A)

            # The second transaction sees the row (the first has not committed) and waits on
            # its lock; once the first commits, it finds it gone and takes nothing.
            racing = asyncio.create_task(second_message())
            await asyncio.sleep(0.3)
            assert not racing.done()
        assert await asyncio.wait_for(racing, 10) is None
    finally:
        await engine.dispose()


async def test_the_reply_path_reading_the_question_with_who_is_writing_takes_it_once(
    pg_database: str,
) -> None:
    """A reply reads the question in the same statement as who is writing, then consumes it:
    the race is decided by the DELETE, as above."""
    from storage.repositories.people import who_where_and_question
    from tests.conftest import _truncate_pg

    _truncate_pg(pg_database)
    engine = make_engine(pg_database)
    clock = ManualClock(datetime(2020, 1, 15, 2, 0, tzinfo=UTC))
    services = build_services(make_session_factory(engine), clock, make_settings(pg_database))
    conversation = services.conversation
    where = {"telegram_user_id": FOCAL_A, "chat_id": GROUP_A}
    try:
        await conversation.ask(
            chat_id=GROUP_A, user_id=FOCAL_A, action="ext", target_id=9, payload={"n": 1}
        )
        async with services.ctx.uow() as first:
            _found, question = await who_where_and_question(first, **where)
            taken = await conversation.consume(question)
            assert taken is not None and (taken.action, taken.target_id) == ("ext", 9)
            assert taken.payload == {"n": 1}

            async def second_message() -> object:
                async with services.ctx.uow() as second:
                    _found, seen = await who_where_and_question(second, **where)
                    assert seen is not None  # still there for it: the first has not committed
                    return await conversation.consume(seen)

            racing = asyncio.create_task(second_message())
            await asyncio.sleep(0.3)
            assert not racing.done()
        assert await asyncio.wait_for(racing, 10) is None
        async with services.ctx.uow() as later:
            assert (await who_where_and_question(later, **where))[1] is None
    finally:
        await engine.dispose()
