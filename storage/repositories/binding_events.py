"""The bindings' append-only history (binding_events), the office's decision on a re-binding
request (once, whoever presses), and a chat's move to a new id (a group that Telegram turned
into a supergroup): its bindings, message links, open questions and claims follow it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from storage.models import (
    BindingEvent,
    ChatBinding,
    DispatchLog,
    ImportDraft,
    InviteCode,
    MessageLink,
    PendingInput,
    ReminderLog,
)
from storage.unit_of_work import UnitOfWork


async def add_event(
    uow: UnitOfWork,
    *,
    chat_id: int,
    kind: str,
    at: datetime,
    thread_id: int = 0,
    agency_id: int | None = None,
    previous_agency_id: int | None = None,
    new_chat_id: int | None = None,
    actor_user_id: int | None = None,
    title: str | None = None,
    detail: str | None = None,
) -> int:
    event = BindingEvent(
        chat_id=chat_id,
        thread_id=thread_id,
        kind=kind,
        agency_id=agency_id,
        previous_agency_id=previous_agency_id,
        new_chat_id=new_chat_id,
        actor_user_id=actor_user_id,
        title=title[:300] if title else None,
        detail=detail[:300] if detail else None,
        created_at=at,
    )
    uow.session.add(event)
    await uow.session.flush()
    assert event.id is not None
    return event.id


async def get_event(uow: UnitOfWork, *, event_id: int) -> BindingEvent | None:
    return await uow.session.get(BindingEvent, event_id)


async def decision_on(uow: UnitOfWork, *, request_id: int) -> BindingEvent | None:
    found = await uow.session.execute(
        select(BindingEvent).where(BindingEvent.decides_id == request_id)
    )
    return found.scalar_one_or_none()


async def decide(
    uow: UnitOfWork, *, request: BindingEvent, kind: str, actor_user_id: int, at: datetime
) -> bool:
    """Record the office's decision on `request`; False when another press decided it first
    (decides_id is UNIQUE: on PostgreSQL the second insert waits for the first, then finds
    it)."""
    dialect = uow.dialect_name
    values: dict[str, Any] = {
        "chat_id": request.chat_id,
        "thread_id": request.thread_id,
        "kind": kind,
        "agency_id": request.agency_id,
        "previous_agency_id": request.previous_agency_id,
        "actor_user_id": actor_user_id,
        "decides_id": request.id,
        "title": request.title,
        "created_at": at,
    }
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement: Any = pg_insert(BindingEvent).on_conflict_do_nothing()
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(BindingEvent).on_conflict_do_nothing()
    inserted = await uow.execute(statement.values(**values).returning(BindingEvent.id))
    return inserted.first() is not None


async def binding_at(uow: UnitOfWork, *, chat_id: int, thread_id: int) -> ChatBinding | None:
    found = await uow.session.execute(
        select(ChatBinding).where(
            ChatBinding.chat_id == chat_id, ChatBinding.thread_id == thread_id
        )
    )
    return found.scalar_one_or_none()


async def office_binding_in(uow: UnitOfWork, *, chat_id: int) -> ChatBinding | None:
    """The chat's active office binding (any of its topics), if it is the office's."""
    found = await uow.session.execute(
        select(ChatBinding).where(
            ChatBinding.chat_id == chat_id,
            ChatBinding.active.is_(True),
            ChatBinding.is_office.is_(True),
        )
    )
    return found.scalars().first()


async def move_chat(uow: UnitOfWork, *, old_chat_id: int, new_chat_id: int) -> list[ChatBinding]:
    """Move everything that names `old_chat_id` to `new_chat_id`; returns the active bindings
    moved (none when it was moved already: the second service message, or a send's error
    after the first). History (progress_updates.source_chat_id, binding_events) keeps the old
    id, as it was."""
    session = uow.session
    old_bindings = (
        (await session.execute(select(ChatBinding).where(ChatBinding.chat_id == old_chat_id)))
        .scalars()
        .all()
    )
    moved: list[ChatBinding] = []
    for binding in old_bindings:
        taken = await binding_at(uow, chat_id=new_chat_id, thread_id=binding.thread_id)
        if taken is not None:  # bound again in the new chat already: that one stands
            binding.active = False
            binding.deactivated_reason = f"migrated to {new_chat_id}"
            continue
        binding.chat_id = new_chat_id
        if binding.active:
            moved.append(binding)
    await session.flush()
    await _move_unless_taken(uow, MessageLink, old_chat_id, new_chat_id)
    await _move_unless_taken(uow, PendingInput, old_chat_id, new_chat_id)
    await uow.execute(
        update(ImportDraft).where(ImportDraft.chat_id == old_chat_id).values(chat_id=new_chat_id)
    )
    await uow.execute(
        update(InviteCode)
        .where(InviteCode.used_chat_id == old_chat_id)
        .values(used_chat_id=new_chat_id)
    )
    await _move_claims(uow, old_chat_id, new_chat_id)
    return moved


async def _move_unless_taken(uow: UnitOfWork, model: Any, old: int, new: int) -> None:
    """A table with a UNIQUE key on its chat: moved when the new chat has none of its rows
    yet (a chat that just migrated has none); otherwise the old rows stay where they were."""
    existing = await uow.execute(select(model.id).where(model.chat_id == new).limit(1))
    if existing.first() is None:
        await uow.execute(update(model).where(model.chat_id == old).values(chat_id=new))


async def _move_claims(uow: UnitOfWork, old: int, new: int) -> None:
    """Reminders and weekly summaries name their chats as "chat:thread": a retry, or this
    week's summary, must find the new chat counted as the old one was."""
    prefix = f"{old}:"
    reminders = (
        await uow.execute(
            select(ReminderLog.id, ReminderLog.chat_id, ReminderLog.delivered_to).where(
                (ReminderLog.chat_id == old) | ReminderLog.delivered_to.contains(prefix)
            )
        )
    ).all()
    for row_id, chat_id, delivered in reminders:
        keys = [
            f"{new}:{key[len(prefix) :]}" if key.startswith(prefix) else key
            for key in (delivered or "").split()
        ]
        await uow.execute(
            update(ReminderLog)
            .where(ReminderLog.id == row_id)
            .values(
                chat_id=new if chat_id == old else chat_id,
                delivered_to=" ".join(keys) if delivered is not None else None,
            )
        )
    claims = (
        await uow.execute(
            select(DispatchLog.id, DispatchLog.target).where(DispatchLog.target.startswith(prefix))
        )
    ).all()
    for row_id, target in claims:
        await uow.execute(
            update(DispatchLog)
            .where(DispatchLog.id == row_id)
            .values(target=f"{new}:{target[len(prefix) :]}")
        )
