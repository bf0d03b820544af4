"""Notices (a conclusion notice, identified by its number and date) and the import drafts
that wait for the admin's Lưu."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import defer

from storage.models import ImportDraft, Notice
from storage.unit_of_work import UnitOfWork


async def get(uow: UnitOfWork, *, notice_id: int) -> Notice | None:
    return await uow.session.get(Notice, notice_id)


async def by_number_and_date(
    uow: UnitOfWork, *, number: str, issued_on: date | None
) -> Notice | None:
    """The notice with this number and date (a notice without a date matches only one)."""
    query = select(Notice).where(Notice.number == number)
    query = query.where(Notice.issued_on == issued_on if issued_on else Notice.issued_on.is_(None))
    return (await uow.session.execute(query)).scalar_one_or_none()


async def first_by_number(uow: UnitOfWork, *, number: str) -> Notice | None:
    result = await uow.session.execute(select(Notice).where(Notice.number == number))
    return result.scalar_one_or_none()


async def add(
    uow: UnitOfWork, *, number: str, issued_on: date | None = None, title: str | None = None
) -> Notice:
    """A new notice (its id assigned)."""
    notice = Notice(number=number, issued_on=issued_on, title=title)
    uow.session.add(notice)
    await uow.session.flush()
    return notice


async def save_imported(
    uow: UnitOfWork,
    *,
    existing: Notice | None,
    number: str,
    issued_on: date | None,
    issuer: str | None,
    signer: str | None,
    signer_title: str | None,
    place: str | None,
    title: str | None,
    source_text: str,
    imported_by: int | None,
    at: datetime,
) -> Notice:
    """The notice as an import read it: `existing` updated in place, else a new one (its id
    assigned either way). Number and date identify it and stay."""
    notice = existing
    if notice is None:
        notice = Notice(number=number, issued_on=issued_on)
        uow.session.add(notice)
    notice.issuer = issuer
    notice.signer = signer
    notice.signer_title = signer_title
    notice.place = place
    notice.title = title
    notice.source_text = source_text
    notice.imported_by = imported_by
    notice.updated_at = at
    await uow.session.flush()
    return notice


async def numbers_and_ids(uow: UnitOfWork) -> list[tuple[str, int]]:
    """(number, id) of every notice, the newest first."""
    rows = await uow.session.execute(select(Notice.number, Notice.id).order_by(Notice.id.desc()))
    return [(number, notice_id) for number, notice_id in rows.all()]


async def distinct_numbers(uow: UnitOfWork) -> tuple[str, ...]:
    rows = await uow.session.execute(select(Notice.number).distinct().order_by(Notice.number))
    return tuple(rows.scalars().all())


async def by_ids(uow: UnitOfWork, *, notice_ids: set[int]) -> dict[int, Notice]:
    """The notices' headings; their source text (the whole document, read by no caller) is
    not loaded: at 100 notices it was a tenth of the roll-up's reads."""
    if not notice_ids:
        return {}
    result = await uow.session.execute(
        select(Notice)
        .where(Notice.id.in_(sorted(notice_ids)))
        .options(defer(Notice.source_text, raiseload=True))
    )
    return {n.id: n for n in result.scalars().all() if n.id is not None}


# --- import drafts ---------------------------------------------------------------------------


async def add_draft(
    uow: UnitOfWork,
    *,
    created_by: int,
    chat_id: int,
    filename: str | None,
    source_text: str,
    parsed_json: str,
    at: datetime,
) -> int:
    draft = ImportDraft(
        created_by=created_by,
        chat_id=chat_id,
        filename=filename,
        source_text=source_text,
        parsed_json=parsed_json,
        created_at=at,
    )
    uow.session.add(draft)
    await uow.session.flush()
    return draft.id or 0


async def pending_draft(uow: UnitOfWork, *, draft_id: int) -> ImportDraft | None:
    """The draft while it still waits for Lưu or Hủy."""
    draft = await uow.session.get(ImportDraft, draft_id, with_for_update=True)
    return draft if draft is not None and draft.status == "pending" else None


async def close_draft(uow: UnitOfWork, *, draft: ImportDraft, status: str) -> None:
    """saved, cancelled, or superseded (the database moved: a new preview replaced it)."""
    draft.status = status


async def ids_and_numbers(uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, number) of every notice, in the order they were stored."""
    rows = await uow.execute(select(Notice.id, Notice.number).order_by(Notice.id))
    return [(notice_id, number) for notice_id, number in rows.all()]


async def set_draft_payload(uow: UnitOfWork, *, draft: ImportDraft, parsed_json: str) -> None:
    """A pending draft's payload rewritten (the agencies being picked for one of its groups)."""
    draft.parsed_json = parsed_json
    await uow.session.flush()
