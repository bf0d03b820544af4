"""The history of progress updates is append-only: no code path updates or deletes a row.

Three independent proofs: the database refuses it (triggers, on SQLite and PostgreSQL);
no source file in bot/, handlers/ or storage/ issues an UPDATE or DELETE against it; and a
run through every progress operation (report, undo, confirm, return, extension) executes
no such statement and leaves every earlier row exactly as it was written.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, select, text, update
from sqlalchemy.exc import DBAPIError

from bot.domain.progress import ProgressKind, ProgressReport
from bot.services.progress import Source
from storage.models import ProgressUpdate
from storage.unit_of_work import UnitOfWork
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, Harness, running_bot
from tests.reliability.world import NOW, TOPICS, seed

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("bot", "handlers", "storage")
RAW_SQL = re.compile(
    r"\b(UPDATE\s+\"?progress_updates\b|DELETE\s+FROM\s+\"?progress_updates\b)", re.IGNORECASE
)


async def _one_update(harness: Harness) -> int:
    """A real report through the service, so the row is what production writes."""
    world = await seed(harness)
    who = await harness.services.access.resolve(
        user_id=FOCAL_A, display_name="A", chat_id=GROUP_A, chat_type="supergroup"
    )
    recorded = await harness.services.progress.report(
        who,
        world.open_task["A"],
        ProgressReport(ProgressKind.IN_PROGRESS, 40, "đạt 40%"),
        Source(FOCAL_A, "A", GROUP_A, 1),
    )
    assert not isinstance(recorded, str)
    return recorded.update_id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE progress_updates SET text = 'sửa' WHERE id = :id",
        "UPDATE progress_updates SET percent = 0",
        "DELETE FROM progress_updates WHERE id = :id",
        "DELETE FROM progress_updates",
    ],
)
async def test_the_database_refuses_to_change_or_delete_an_update(
    database_url: str, statement: str
) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        update_id = await _one_update(harness)
        with pytest.raises(DBAPIError):
            async with UnitOfWork(harness.services.ctx.session_factory) as uow:
                await uow.session.execute(text(statement), {"id": update_id})
        rows = await harness.rows(ProgressUpdate, ProgressUpdate.id == update_id)
        assert [(r.text, r.percent) for r in rows] == [("đạt 40%", 40)]


async def test_the_orm_cannot_change_or_delete_an_update_either(database_url: str) -> None:
    """The same refusal when the code goes through SQLAlchemy (update(), delete(), a dirty
    object): a future contributor's shortcut fails loudly, it does not rewrite history."""
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        update_id = await _one_update(harness)
        factory = harness.services.ctx.session_factory
        for statement in (
            update(ProgressUpdate).where(ProgressUpdate.id == update_id).values(percent=99),
            delete(ProgressUpdate).where(ProgressUpdate.id == update_id),
        ):
            with pytest.raises(DBAPIError):
                async with UnitOfWork(factory) as uow:
                    await uow.session.execute(statement)
        with pytest.raises(DBAPIError):
            async with UnitOfWork(factory) as uow:
                row = await uow.session.get(ProgressUpdate, update_id)
                assert row is not None
                row.text = "viết lại lịch sử"
        with pytest.raises(DBAPIError):
            async with UnitOfWork(factory) as uow:
                row = await uow.session.get(ProgressUpdate, update_id)
                await uow.session.delete(row)
        rows = await harness.rows(ProgressUpdate, ProgressUpdate.id == update_id)
        assert [(r.text, r.percent) for r in rows] == [("đạt 40%", 40)]


def _product_files() -> list[Path]:
    files = [p for package in PRODUCT for p in (ROOT / package).rglob("*.py")]
    # The migration creates the triggers (its SQL names the table, it does not change rows).
    return [p for p in files if "migrations" not in p.parts]


def test_no_product_code_updates_or_deletes_progress_updates() -> None:
    """A static check: no update(ProgressUpdate)/delete(ProgressUpdate), no raw UPDATE or
    DELETE on the table, no session.delete() of a ProgressUpdate-looking name."""
    offences: list[str] = []
    for path in _product_files():
        source = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        if RAW_SQL.search(source):
            offences.append(f"{where}: raw SQL on progress_updates")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            name = (
                node.func.id
                if isinstance(node.func, ast.Name)
                else node.func.attr
                if isinstance(node.func, ast.Attribute)
                else ""
            )
            if name not in ("update", "delete"):
                continue
            args = [ast.unparse(a) for a in node.args]
            if any("ProgressUpdate" in a or "progress_update" in a for a in args):
                offences.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    assert offences == []
    assert len(_product_files()) > 30  # the scan did look at the code


async def test_every_progress_operation_only_inserts(database_url: str) -> None:
    """Report, undo, request and approve an extension, done, return, done again, confirm:
    no UPDATE/DELETE statement on progress_updates is ever executed, and each row stays
    exactly as first written."""
    statements: list[str] = []
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        engine = harness.app.bot_data["engine"].sync_engine

        def spy(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", spy)
        try:
            await _every_operation(harness, world.open_task["A"])
        finally:
            event.remove(engine, "before_cursor_execute", spy)
        touching = [s for s in statements if RAW_SQL.search(" ".join(s.split()))]
        assert touching == []
        assert any("INSERT INTO progress_updates" in s for s in statements)
        rows = await harness.rows(ProgressUpdate, ProgressUpdate.assignment_id > 0)
        kinds = [r.kind for r in sorted(rows, key=lambda r: r.id or 0)]
        assert kinds == [
            "in_progress",
            "undo",
            "extension_request",
            "extension_approved",
            "done",
            "returned",
            "done",
            "confirmed",
        ]


async def _every_operation(harness: Harness, assignment_id: int) -> None:
    services = harness.services
    focal = await services.access.resolve(
        user_id=FOCAL_A, display_name="A", chat_id=GROUP_A, chat_type="supergroup"
    )
    office = await services.access.resolve(
        user_id=ADMIN, display_name="VP", chat_id=OFFICE_GROUP, chat_type="supergroup"
    )
    src = Source(FOCAL_A, "A", GROUP_A, 1)
    first = await services.progress.report(
        focal, assignment_id, ProgressReport(ProgressKind.IN_PROGRESS, 40, "40%"), src
    )
    assert not isinstance(first, str)
    before = await _snapshot(harness)
    assert not isinstance(await services.progress.undo(focal, first.update_id, src), str)
    asked = await services.progress.request_extension(
        focal, assignment_id, new_end=date(2020, 6, 30), reason="chờ vốn", source=src
    )
    assert not isinstance(asked, str)
    approved = await services.progress.decide_extension(
        office, asked[1], approve=True, source=Source(ADMIN, "VP")
    )
    assert not isinstance(approved, str)
    done = ProgressReport(ProgressKind.DONE, 100, "xong")
    assert not isinstance(await services.progress.report(focal, assignment_id, done, src), str)
    returned = await services.progress.decide_completion(
        office, assignment_id, accept=False, reason="thiếu hồ sơ", source=Source(ADMIN, "VP")
    )
    assert not isinstance(returned, str)
    assert not isinstance(await services.progress.report(focal, assignment_id, done, src), str)
    confirmed = await services.progress.decide_completion(
        office, assignment_id, accept=True, reason="", source=Source(ADMIN, "VP")
    )
    assert not isinstance(confirmed, str)
    after = await _snapshot(harness)
    assert {k: v for k, v in after.items() if k in before} == before


async def _snapshot(harness: Harness) -> dict[int, tuple[Any, ...]]:
    async with UnitOfWork(harness.services.ctx.session_factory) as uow:
        rows = (await uow.session.execute(select(ProgressUpdate))).scalars().all()
        return {
            r.id or 0: (r.kind, r.status, r.percent, r.text, r.author_user_id, r.created_at)
            for r in rows
        }
