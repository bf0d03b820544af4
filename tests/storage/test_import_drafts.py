"""An import draft's payload rewritten while it is pending (the agencies being picked for a
group, issue 15), on SQLite and PostgreSQL: read back by the next unit of work; a closed draft
is no longer pending."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_session_factory
from storage.repositories import notices as notice_repo
from storage.unit_of_work import UnitOfWork


async def test_a_pending_drafts_payload_is_rewritten(engine: AsyncEngine) -> None:
    factory = make_session_factory(engine)
    at = datetime(2024, 3, 5, 8, tzinfo=UTC)
    async with UnitOfWork(factory) as uow:
        draft_id = await notice_repo.add_draft(
            uow, created_by=1, chat_id=1, filename=None, source_text="x", parsed_json="{}", at=at
        )
    async with UnitOfWork(factory) as uow:
        draft = await notice_repo.pending_draft(uow, draft_id=draft_id)
        assert draft is not None
        await notice_repo.set_draft_payload(uow, draft=draft, parsed_json='{"picking": {"A": [3]}}')
    async with UnitOfWork(factory) as uow:
        draft = await notice_repo.pending_draft(uow, draft_id=draft_id)
        assert draft is not None and draft.parsed_json == '{"picking": {"A": [3]}}'
        await notice_repo.close_draft(uow, draft=draft, status="saved")
    async with UnitOfWork(factory) as uow:
        assert await notice_repo.pending_draft(uow, draft_id=draft_id) is None
