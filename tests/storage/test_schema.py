"""Storage on SQLite and PostgreSQL: constraints, UTC round trip, the claim, append-only."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, delete, inspect, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import SQLModel

from storage import migrate
from storage.models import (
    Agency,
    Assignment,
    ChatBinding,
    Notice,
    ProgressUpdate,
    ReminderLog,
    Task,
)
from storage.unit_of_work import UnitOfWork


async def _seed_assignment(factory: async_sessionmaker[AsyncSession]) -> int:
    async with UnitOfWork(factory) as uow:
        notice = Notice(number="22-TB/BCĐ", issued_on=date(2019, 12, 27), source_text="...")
        agency = Agency(name="Sở Tài chính", key="so tai chinh", kind="so")
        uow.session.add_all([notice, agency])
        await uow.session.flush()
        task = Task(notice_id=notice.id, code="I.6.1", text="Giải ngân vốn", deadline_kind="date")
        uow.session.add(task)
        await uow.session.flush()
        assignment = Assignment(task_id=task.id, agency_id=agency.id)
        uow.session.add(assignment)
        await uow.session.flush()
        return assignment.id


async def test_utc_round_trip(session_factory: async_sessionmaker[AsyncSession]) -> None:
    hanoi = timezone(timedelta(hours=7))
    moment = datetime(2020, 1, 14, 8, 0, tzinfo=hanoi)
    async with UnitOfWork(session_factory) as uow:
        uow.session.add(Notice(number="1-TB/X", source_text="", imported_at=moment))
    async with UnitOfWork(session_factory) as uow:
        stored = (await uow.session.execute(select(Notice))).scalar_one()
    assert stored.imported_at.tzinfo is not None
    assert stored.imported_at == moment
    assert stored.imported_at.utcoffset() == timedelta(0)
    assert stored.imported_at.hour == 1


async def test_naive_datetime_is_refused(session_factory: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(Exception, match="naive"):
        async with UnitOfWork(session_factory) as uow:
            uow.session.add(
                Notice(number="2-TB/X", source_text="", imported_at=datetime(2020, 1, 1))
            )


async def test_notice_number_and_date_unique(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with UnitOfWork(session_factory) as uow:
        uow.session.add(Notice(number="22-TB/BCĐ", issued_on=date(2019, 12, 27), source_text=""))
    with pytest.raises(IntegrityError):
        async with UnitOfWork(session_factory) as uow:
            uow.session.add(
                Notice(number="22-TB/BCĐ", issued_on=date(2019, 12, 27), source_text="")
            )
    async with UnitOfWork(session_factory) as uow:
        count = len((await uow.session.execute(select(Notice))).scalars().all())
    assert count == 1


async def test_reminder_claim_is_unique(session_factory: async_sessionmaker[AsyncSession]) -> None:
    assignment_id = await _seed_assignment(session_factory)
    claim = {"assignment_id": assignment_id, "kind": "before_3", "due_on": date(2020, 1, 10)}
    async with UnitOfWork(session_factory) as uow:
        uow.session.add(ReminderLog(**claim))
    with pytest.raises(IntegrityError):
        async with UnitOfWork(session_factory) as uow:
            uow.session.add(ReminderLog(**claim))
    async with UnitOfWork(session_factory) as uow:
        uow.session.add(ReminderLog(**{**claim, "kind": "before_1"}))
        rows = (await uow.session.execute(select(ReminderLog))).scalars().all()
    assert sorted(r.kind for r in rows) == ["before_1", "before_3"]


async def test_progress_updates_are_append_only(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    assignment_id = await _seed_assignment(session_factory)
    async with UnitOfWork(session_factory) as uow:
        uow.session.add(
            ProgressUpdate(
                assignment_id=assignment_id, kind="in_progress", status="in_progress", percent=50
            )
        )
    with pytest.raises(DBAPIError, match="append-only"):
        async with UnitOfWork(session_factory) as uow:
            await uow.session.execute(update(ProgressUpdate).values(percent=90))
    with pytest.raises(DBAPIError, match="append-only"):
        async with UnitOfWork(session_factory) as uow:
            await uow.session.execute(delete(ProgressUpdate))
    async with UnitOfWork(session_factory) as uow:
        row = (await uow.session.execute(select(ProgressUpdate))).scalar_one()
    assert row.percent == 50


async def test_binding_unique_per_chat_and_topic(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with UnitOfWork(session_factory) as uow:
        uow.session.add(ChatBinding(chat_id=-100123, thread_id=7, is_office=True))
        uow.session.add(ChatBinding(chat_id=-100123, thread_id=8, is_office=True))
    with pytest.raises(IntegrityError):
        async with UnitOfWork(session_factory) as uow:
            uow.session.add(ChatBinding(chat_id=-100123, thread_id=7, is_office=True))


async def test_unit_of_work_rolls_back_on_error(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(RuntimeError):
        async with UnitOfWork(session_factory) as uow:
            uow.session.add(Notice(number="3-TB/X", source_text=""))
            await uow.session.flush()
            raise RuntimeError("boom")
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.session.execute(select(Notice))).first() is None


def _sync(url: str) -> str:
    return url.replace("sqlite+aiosqlite", "sqlite")


def test_migrations_match_models(database_url: str) -> None:
    """`upgrade head` on an empty database leaves no autogenerate diff against the models."""
    engine = create_engine(_sync(database_url))
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert diff == []
    assert migrate.current_revision(database_url) == migrate.head_revision(database_url)


def test_upgrade_creates_schema_on_empty_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'sub' / 'new.sqlite3'}"
    assert migrate.current_revision(url) is None
    migrate.upgrade(url)
    assert migrate.is_up_to_date(url)
    assert (tmp_path / "sub" / "new.sqlite3").exists()


def test_upgrading_a_0001_database_keeps_its_reminders_and_can_go_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """0002 adds `reminder_log.delivered_to` to a database already in use: what a 0001 bot
    wrote survives (a claim with no list is retried to every chat), and the downgrade drops
    the column again."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    migrate.upgrade(url, "0001")
    engine = create_engine(_sync(url))
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO agencies (name, key, kind, is_group, active, created_at) "
                "VALUES ('Sở Tài chính', 'so tai chinh', 'so', 0, 1, '2020-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO notices (number, issued_on, source_text, imported_at, updated_at) "
                "VALUES ('22-TB/BCĐ', '2019-12-27', '', '2020-01-01 00:00:00', "
                "'2020-01-01 00:00:00')"
            )
        )
    engine.dispose()
    migrate.upgrade(url)
    assert migrate.is_up_to_date(url)
    engine = create_engine(_sync(url))
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("reminder_log")}
        agencies = connection.execute(text("SELECT name FROM agencies")).scalars().all()
    engine.dispose()
    assert "delivered_to" in columns and agencies == ["Sở Tài chính"]
    command.downgrade(migrate.alembic_config(url), "0001")
    engine = create_engine(_sync(url))
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("reminder_log")}
    engine.dispose()
    assert "delivered_to" not in columns
