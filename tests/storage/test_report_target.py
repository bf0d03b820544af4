"""A report's statements: its target and the history its repeat rule reads
(tasks.report_target_and_recent: one statement on SQLite, the lock then the read on
PostgreSQL), and its history row with the assignment's new state
(tasks.append_update_and_move: two statements on SQLite, one on PostgreSQL); the same answer
on both."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.models import Agency, AgencyMember, Assignment, Notice, Person, ProgressUpdate, Task
from storage.repositories.progress import update_values
from storage.repositories.report import who_where_question_and_target
from storage.repositories.tasks import (
    AssignmentMove,
    append_update_and_move,
    report_target_and_recent,
)
from storage.unit_of_work import UnitOfWork
from tests.storage.test_unit_of_work import _counting

NOW = datetime(2020, 1, 14, 2, 0, tzinfo=UTC)


async def _assignment(factory: async_sessionmaker[AsyncSession]) -> int:
    async with UnitOfWork(factory) as uow:
        session = uow.session
        agency = Agency(name="Sở Tài chính", key="so tai chinh", kind="so")
        notice = Notice(number="22-TB/BCĐ", source_text="")
        session.add_all([agency, notice])
        await session.flush()
        task = Task(notice_id=notice.id, code="I.1", text="Giải ngân", deadline_kind="none")
        session.add(task)
        await session.flush()
        assignment = Assignment(task_id=task.id, agency_id=agency.id, status="in_progress")
        session.add(assignment)
        await session.flush()
        return assignment.id or 0


async def _history(factory: async_sessionmaker[AsyncSession], aid: int, minutes: list[int]) -> None:
    async with UnitOfWork(factory) as uow:
        for i, ago in enumerate(minutes):
            uow.session.add(
                ProgressUpdate(
                    assignment_id=aid, kind="in_progress", status="in_progress", percent=10 * i,
                    text=f"đạt {10 * i}%", author_user_id=501, author_name="Lan",
                    created_at=NOW - timedelta(minutes=ago),
                )
            )  # fmt: skip


async def test_the_target_and_its_history_since_the_window_newest_first(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    aid = await _assignment(session_factory)
    since = NOW - timedelta(minutes=10)
    async with UnitOfWork(session_factory) as uow:
        target, recent = await report_target_and_recent(uow, assignment_id=aid, since=since)
    assert target is not None and (target.assignment_id, target.task_code) == (aid, "I.1")
    assert (target.agency_name, target.status, target.percent) == ("Sở Tài chính", "in_progress", 0)
    assert recent == []
    await _history(session_factory, aid, [30, 9, 2, 5])
    async with UnitOfWork(session_factory) as uow:
        target, recent = await report_target_and_recent(uow, assignment_id=aid, since=since)
        missing = await report_target_and_recent(uow, assignment_id=aid + 1, since=since)
        off = await report_target_and_recent(uow, assignment_id=aid, since=None)
    assert target is not None and target.assignment_id == aid
    assert [(r.percent, r.created_at) for r in recent] == [
        (20, NOW - timedelta(minutes=2)),
        (30, NOW - timedelta(minutes=5)),
        (10, NOW - timedelta(minutes=9)),
    ]
    assert all(r.kind == "in_progress" and r.author_user_id == 501 for r in recent)
    assert missing == (None, [])
    assert off == (target, [])


async def test_the_history_row_and_the_assignments_new_state_together(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """tasks.append_update_and_move: one statement on PostgreSQL, two on SQLite; without a
    move (a note on a task not started) the assignment is left as it was."""
    aid = await _assignment(session_factory)

    def values(kind: str, percent: int | None) -> dict[str, object]:
        return update_values(
            assignment_id=aid, kind=kind, status="in_progress", percent=percent, text=kind,
            author_user_id=501, author_name="Lan", source_chat_id=-1, source_message_id=9,
            created_at=NOW,
        )  # fmt: skip

    move = AssignmentMove("awaiting_confirmation", 100, date(2020, 1, 14), NOW)
    async with UnitOfWork(session_factory) as uow:
        first = await append_update_and_move(uow, update=values("done", 100), move=move)
        second = await append_update_and_move(uow, update=values("note", None), move=None)
    async with UnitOfWork(session_factory) as uow:
        rows = (
            await uow.execute(
                select(ProgressUpdate.id, ProgressUpdate.kind, ProgressUpdate.percent)
                .where(ProgressUpdate.assignment_id == aid)
                .order_by(ProgressUpdate.id)
            )
        ).all()
        state = (
            await uow.execute(
                select(
                    Assignment.status,
                    Assignment.percent,
                    Assignment.completed_on,
                    Assignment.last_update_at,
                ).where(Assignment.id == aid)
            )
        ).one()
    assert [tuple(r) for r in rows] == [(first, "done", 100), (second, "note", None)]
    assert tuple(state) == ("awaiting_confirmation", 100, date(2020, 1, 14), NOW)


async def _focal_point_of_two(factory: async_sessionmaker[AsyncSession], aid: int) -> None:
    """Person 501, a member of the assignment's agency and of another: who/where's rows are
    one per membership, so the history rows read with them come twice."""
    async with UnitOfWork(factory) as uow:
        other = Agency(name="Sở Công Thương", key="so cong thuong", kind="so")
        person = Person(telegram_user_id=501, display_name="Lan")
        uow.session.add_all([other, person])
        await uow.session.flush()
        assignment = await uow.session.get(Assignment, aid)
        assert assignment is not None
        for agency_id in (assignment.agency_id, other.id):
            uow.session.add(AgencyMember(person_id=person.id, agency_id=agency_id))


async def test_read_with_who_the_target_and_history_are_the_reports_own(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """report.who_where_question_and_target reads the target (and, on SQLite, its history
    since a moment before the report's window) with who/where/question; the report's
    `report_target_and_recent` then answers exactly what it reads alone (the history since
    its own window, once each, newest first) with what is left to read: the history on
    PostgreSQL, nothing on SQLite. Only for that assignment, once, and only while the
    transaction has written nothing since: otherwise it reads as before."""
    aid = await _assignment(session_factory)
    await _focal_point_of_two(session_factory, aid)
    await _history(session_factory, aid, [30, 9, 2, 5, 11])
    since = NOW - timedelta(minutes=10)
    async with UnitOfWork(session_factory) as uow:
        alone = await report_target_and_recent(uow, assignment_id=aid, since=since)
    sqlite = engine.dialect.name == "sqlite"
    left, full = ([], ["SELECT"]) if sqlite else (["SELECT"], ["SELECT"] * 2)
    for case, expected in (("ahead", left), ("written", full), ("another", full)):
        async with UnitOfWork(session_factory) as uow:
            found, question = await who_where_question_and_target(
                uow, telegram_user_id=501, chat_id=-1, thread_id=0, assignment_id=aid,
                since=since - timedelta(minutes=2),
            )  # fmt: skip
            assert len(found.agencies) == 2 and question is None
            if case == "written":
                await uow.execute(update(Assignment).values(percent=40))
            if case == "another":
                assert await report_target_and_recent(uow, assignment_id=aid + 1, since=since) == (
                    None, [],
                )  # fmt: skip
            with _counting(engine) as seen:
                target, recent = await report_target_and_recent(uow, assignment_id=aid, since=since)
        assert seen["statements"] == expected, case
        assert recent == alone[1] and [r.percent for r in recent] == [20, 30, 10]
        assert target is not None and target.percent == (0 if case == "ahead" else 40)
