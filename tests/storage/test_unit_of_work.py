"""The one transaction style (storage/unit_of_work.py), on SQLite and PostgreSQL: Core and ORM
in one transaction, a use case inside another joins it, and the progress reply stays the few
statements of one transaction that bench/README.md (finding C) measured."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import ManualClock
from bot.config import Settings
from bot.services import build_services
from bot.services.access import Identity
from bot.services.progress import Recorded, Source
from bot.services.replies import Handled
from bot.services.reply_items import Stored
from storage.engine import make_engine, make_session_factory
from storage.models import (
    Agency,
    AgencyMember,
    Assignment,
    ChatBinding,
    MessageLink,
    Notice,
    Person,
    ProgressUpdate,
    Task,
)
from storage.unit_of_work import UnitOfWork, journal_writes

FOCAL = 501
GROUP = -1001
DIGEST = 77  # the bot's message the focal point replies to
NOW = datetime(2020, 1, 14, 2, 0, tzinfo=UTC)


async def _notices(factory: async_sessionmaker[AsyncSession]) -> list[str]:
    async with UnitOfWork(factory) as uow:
        return list((await uow.execute(select(Notice.number).order_by(Notice.id))).scalars())


async def test_core_statements_see_what_the_session_changed(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with UnitOfWork(session_factory) as uow:
        uow.session.add(Notice(number="1-TB/X", source_text=""))
        # A Core statement after the session's change: flushed first, one transaction.
        count = (await uow.execute(select(func.count(Notice.id)))).scalar_one()
        assert count == 1
    assert await _notices(session_factory) == ["1-TB/X"]


async def test_a_unit_of_work_inside_another_joins_it(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with UnitOfWork(session_factory) as outer:
        async with UnitOfWork(session_factory) as inner:
            assert inner is outer
            inner.session.add(Notice(number="2-TB/X", source_text=""))
            await inner.session.flush()
        # The joined one did not commit: another task (its own transaction) sees nothing yet.
        assert await asyncio.create_task(_notices(session_factory)) == []
    assert await _notices(session_factory) == ["2-TB/X"]


async def test_an_error_in_a_joined_unit_of_work_rolls_back_the_whole(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(RuntimeError):
        async with UnitOfWork(session_factory) as outer:
            outer.session.add(Notice(number="3-TB/X", source_text=""))
            async with UnitOfWork(session_factory) as inner:
                inner.session.add(Notice(number="4-TB/X", source_text=""))
                raise RuntimeError("boom")
    assert await _notices(session_factory) == []


async def test_another_task_or_another_database_gets_its_own(
    session_factory: async_sessionmaker[AsyncSession], sqlite_url: str
) -> None:
    other_engine = make_engine(sqlite_url)
    try:
        async with UnitOfWork(session_factory) as outer:

            async def in_another_task() -> bool:
                async with UnitOfWork(session_factory) as uow:
                    return uow is outer

            assert await asyncio.create_task(in_another_task()) is False
            async with UnitOfWork(make_session_factory(other_engine)) as elsewhere:
                assert elsewhere is not outer
    finally:
        await other_engine.dispose()


async def test_a_closed_unit_of_work_refuses_to_run_statements(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with UnitOfWork(session_factory) as uow:
        pass
    with pytest.raises(RuntimeError, match="not open"):
        await uow.execute(select(1))


async def _seed_reply_world(factory: async_sessionmaker[AsyncSession]) -> int:
    """A focal point of an agency whose group got a digest (message DIGEST) of one task."""
    async with UnitOfWork(factory) as uow:
        session = uow.session
        agency = Agency(name="Sở Tài chính", key="so tai chinh", kind="so")
        notice = Notice(number="22-TB/BCĐ", source_text="")
        person = Person(telegram_user_id=FOCAL, display_name="Lan")
        session.add_all([agency, notice, person])
        await session.flush()
        task = Task(notice_id=notice.id, code="I.1", text="Giải ngân", deadline_kind="none")
        session.add(task)
        session.add(AgencyMember(person_id=person.id, agency_id=agency.id))
        session.add(ChatBinding(chat_id=GROUP, agency_id=agency.id))
        await session.flush()
        assignment = Assignment(task_id=task.id, agency_id=agency.id)
        session.add(assignment)
        await session.flush()
        session.add(MessageLink(chat_id=GROUP, message_id=DIGEST, assignment_id=assignment.id))
        return assignment.id or 0


async def _second_digest_line(factory: async_sessionmaker[AsyncSession], first: int) -> int:
    """A second task for the same agency, and a digest (message DIGEST + 1) listing `first`
    then it, as lines 1 and 2; returns the second assignment's id."""
    async with UnitOfWork(factory) as uow:
        row = await uow.session.get(Assignment, first)
        assert row is not None
        task = Task(notice_id=1, code="I.2", text="Quyết toán", deadline_kind="none")
        uow.session.add(task)
        await uow.session.flush()
        second = Assignment(task_id=task.id, agency_id=row.agency_id)
        uow.session.add(second)
        await uow.session.flush()
        for position, assignment_id in enumerate((first, second.id), start=1):
            uow.session.add(
                MessageLink(
                    chat_id=GROUP, message_id=DIGEST + 1, assignment_id=assignment_id,
                    position=position, purpose="digest",
                )
            )  # fmt: skip
        return second.id or 0


@contextmanager
def _counting(engine: AsyncEngine) -> Iterator[dict[str, Any]]:
    seen: dict[str, Any] = {"statements": [], "commits": 0, "checkouts": 0}

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        seen["statements"].append(sql.split()[0].upper())

    def commit(_conn: Any) -> None:
        seen["commits"] += 1

    def checkout(*_args: Any) -> None:
        seen["checkouts"] += 1

    sync = engine.sync_engine
    event.listen(sync, "before_cursor_execute", statement)
    event.listen(sync, "commit", commit)
    event.listen(sync.pool, "checkout", checkout)
    try:
        yield seen
    finally:
        event.remove(sync, "before_cursor_execute", statement)
        event.remove(sync, "commit", commit)
        event.remove(sync.pool, "checkout", checkout)


def _task_reads(engine: AsyncEngine) -> int:
    """The report's reads of its assignment and of the history the repeat rule needs: one
    statement on SQLite, two on PostgreSQL (the lock first: tasks.report_target_and_recent)."""
    return 1 if engine.dialect.name == "sqlite" else 2


def _writes(engine: AsyncEngine) -> list[str]:
    """The history row and the assignment's new state: two statements on SQLite, one on
    PostgreSQL (a data-modifying CTE: tasks.append_update_and_move)."""
    return ["INSERT", "UPDATE"] if engine.dialect.name == "sqlite" else ["WITH"]


async def test_a_progress_reply_is_one_transaction_of_its_few_statements(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Finding C's reply path, kept: one connection checkout and one commit; who is writing,
    where and their open question in one statement, the replied message's tasks (only the
    first time: then kept in memory), the assignment (its row locked on PostgreSQL), its
    latest history (the repeat rule, issue 22: one statement more on PostgreSQL, where it
    must follow the lock; on SQLite read with the assignment, in its statement), the history
    row and its new state (one statement on PostgreSQL). The conversation's and the progress report's use cases join the
    reply's unit of work. Once the links are known, PostgreSQL reads the assignment in the
    first statement (with its history on SQLite)."""
    assignment_id = await _seed_reply_world(session_factory)
    services = build_services(session_factory, ManualClock(NOW), Settings())
    identity = Identity(FOCAL, "Lan", GROUP, "supergroup")
    outcomes = []
    counted = []
    for percent in (30, 60):
        with _counting(engine) as seen:
            outcomes.append(
                await services.replies.take(
                    identity,
                    replied_message_id=DIGEST,
                    text=f"đạt {percent}%",
                    evidence=(),
                    source=Source(FOCAL, "Lan", GROUP, 100 + percent),
                )
            )
        counted.append(seen)
    assert all(
        isinstance(o, Handled)
        and isinstance(o.outcomes[0].effect, Stored)
        and isinstance(o.outcomes[0].effect.result, Recorded)
        for o in outcomes
    ), outcomes
    reads, writes = _task_reads(engine), _writes(engine)
    assert counted[0]["statements"] == ["SELECT"] * (2 + reads) + writes
    # The links known now, the task is known before the first statement, which reads it with
    # who and where (report.py): on PostgreSQL locked, the history after it; on SQLite with
    # its history too.
    assert counted[1]["statements"] == ["SELECT"] * reads + writes
    assert [(c["checkouts"], c["commits"]) for c in counted] == [(1, 1), (1, 1)]
    async with UnitOfWork(session_factory) as uow:
        percents = (
            await uow.execute(
                select(ProgressUpdate.percent)
                .where(ProgressUpdate.assignment_id == assignment_id)
                .order_by(ProgressUpdate.id)
            )
        ).scalars()
        assert list(percents) == [30, 60]


async def test_a_reply_to_the_bots_confirmation_finds_its_task_without_a_statement(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """The confirmation's link (handlers/base.reply_about) is kept in memory, as a link read
    from the table is: replying to it reads who, the task and its history, not the link. A
    link remembered inside a transaction that rolled back is not kept (nor stored)."""
    assignment_id = await _seed_reply_world(session_factory)
    services = build_services(session_factory, ManualClock(NOW), Settings())
    confirmation, undone = DIGEST + 10, DIGEST + 11
    await services.conversation.remember(
        chat_id=GROUP, message_id=confirmation, assignment_ids=[assignment_id], purpose="answer"
    )
    await services.conversation.links_written()  # written behind: not counted below
    with pytest.raises(RuntimeError, match="rolled back"):
        async with services.ctx.uow():
            await services.conversation.remember(
                chat_id=GROUP, message_id=undone, assignment_ids=[assignment_id], purpose="answer"
            )
            raise RuntimeError("rolled back")
    with _counting(engine) as seen:
        outcome = await services.replies.take(
            Identity(FOCAL, "Lan", GROUP, "supergroup"),
            replied_message_id=confirmation,
            text="đạt 70%",
            evidence=(),
            source=Source(FOCAL, "Lan", GROUP, 300),
        )
    assert isinstance(outcome, Handled)
    assert outcome.outcomes[0].assignment_id == assignment_id
    assert seen["statements"] == ["SELECT"] * (1 + _task_reads(engine)) + _writes(engine)
    with _counting(engine) as seen:
        assert await services.conversation.linked(chat_id=GROUP, message_id=undone) == ()
    assert seen["statements"] == ["SELECT"]


async def test_a_digest_reply_applies_every_line_in_one_transaction(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Issue 14, item 3: "1 xong / 2 đạt 50%" to a digest of two lines is one checkout and one
    commit, each line on its own task."""
    first = await _seed_reply_world(session_factory)
    second_id = await _second_digest_line(session_factory, first)
    services = build_services(session_factory, ManualClock(NOW), Settings())
    with _counting(engine) as seen:
        outcome = await services.replies.take(
            Identity(FOCAL, "Lan", GROUP, "supergroup"),
            replied_message_id=DIGEST + 1,
            text="1 xong\n2 đạt 50%",
            evidence=(),
            source=Source(FOCAL, "Lan", GROUP, 200),
        )
    assert isinstance(outcome, Handled)
    assert [(o.assignment_id, o.item.intent.value) for o in outcome.outcomes] == [
        (first, "done"), (second_id, "progress"),
    ]  # fmt: skip
    assert (seen["checkouts"], seen["commits"]) == (1, 1)
    assert seen["statements"].count(_writes(engine)[0]) == 2


# --- the write journal: what committed during an update ----------------------------------------


async def test_the_journal_counts_committed_writes_only(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    with journal_writes() as journal:
        async with UnitOfWork(session_factory) as uow:  # reads only
            await uow.execute(select(func.count(Notice.id)))
            await uow.session.get(Notice, 1)
        assert journal.commits == 0
        async with UnitOfWork(session_factory) as uow:  # a Core insert
            await uow.execute(insert(Notice).values(number="1-TB/X", source_text=""))
        assert journal.commits == 1
        async with UnitOfWork(session_factory) as uow:  # the session's flush
            uow.session.add(Notice(number="2-TB/X", source_text=""))
        assert journal.commits == 2
        async with UnitOfWork(session_factory) as uow:  # an UPDATE through the session
            await uow.session.execute(update(Notice).values(source_text="x"))
        assert journal.commits == 3
        async with UnitOfWork(session_factory) as uow:  # a use case joining another
            async with UnitOfWork(session_factory) as inner:
                inner.session.add(Notice(number="3-TB/X", source_text=""))
            await uow.execute(insert(Notice).values(number="4-TB/X", source_text=""))
        assert journal.commits == 4  # one transaction
        with pytest.raises(RuntimeError):
            async with UnitOfWork(session_factory) as uow:  # rolled back: nothing stored
                uow.session.add(Notice(number="5-TB/X", source_text=""))
                await uow.session.flush()
                raise RuntimeError("boom")
        assert journal.commits == 4
    # Outside a journal nothing is counted, and nothing breaks.
    async with UnitOfWork(session_factory) as uow:
        uow.session.add(Notice(number="6-TB/X", source_text=""))
    assert await _notices(session_factory) == ["1-TB/X", "2-TB/X", "3-TB/X", "4-TB/X", "6-TB/X"]
