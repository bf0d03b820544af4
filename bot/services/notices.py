"""Importing a parsed notice: preview, drafts awaiting Lưu, and the one-transaction save.

Re-importing the same notice (same number and date) updates it in place: new tasks are
added, changed texts and deadlines are updated with a revision row, and progress is never
touched. Group addressees ("Các huyện, thành phố, thị xã") expand to the registered member
agencies of that kind; with none registered the group itself is assigned.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.agency_names import agency_key, group_kind, guess_agency_kind
from bot.domain.notice import ParsedNotice, ParsedTask
from bot.domain.permissions import Action
from bot.services.access import Who
from bot.services.context import ServiceContext
from storage.models import Agency, Assignment, ImportDraft, Notice, Task, TaskRevision
from storage.repositories import agencies as agency_repo


@dataclass(frozen=True, slots=True)
class Preview:
    """What the admin reviews before Lưu."""

    number: str | None
    date_text: str | None
    title: str | None
    task_count: int
    per_agency: tuple[tuple[str, int], ...]
    deadlines: tuple[tuple[str, str], ...]  # (task code, deadline text)
    unknown_agencies: tuple[str, ...]
    unclassified: tuple[str, ...]
    problems: tuple[str, ...]
    existing: bool


@dataclass(slots=True)
class ImportResult:
    notice_id: int
    number: str
    created: bool
    tasks_added: int = 0
    tasks_updated: int = 0
    agencies_created: list[str] = field(default_factory=list)
    assignments_created: int = 0
    new_assignments_by_agency: dict[int, list[int]] = field(default_factory=dict)


def deadline_text(task: ParsedTask) -> str:
    deadline = task.deadline
    if deadline.end is None:
        return "—"
    if deadline.start and deadline.start != deadline.end:
        return f"{deadline.start:%d/%m/%Y} – {deadline.end:%d/%m/%Y}"
    return f"{deadline.end:%d/%m/%Y}"


class NoticeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def preview(self, parsed: ParsedNotice) -> Preview:
        async with self._ctx.uow() as session:
            unknown = [
                name
                for name in parsed.agencies
                if group_kind(name) is None
                and await agency_repo.by_key(session, key=agency_key(name)) is None
            ]
            existing = await self._existing(session, parsed) is not None
        counts: Counter[str] = Counter()
        for task in parsed.tasks:
            for name in task.lead:
                counts[name] += 1
        meta = parsed.document
        return Preview(
            number=meta.number,
            date_text=meta.date.strftime("%d/%m/%Y") if meta.date else None,
            title=meta.title,
            task_count=len(parsed.tasks),
            per_agency=tuple(counts.most_common()),
            deadlines=tuple(
                (task.code, deadline_text(task)) for task in parsed.tasks if task.deadline.end
            ),
            unknown_agencies=tuple(unknown),
            unclassified=tuple(parsed.unclassified),
            problems=tuple(parsed.problems)
            + tuple(p for task in parsed.tasks for p in task.problems),
            existing=existing,
        )

    async def save_draft(
        self, who: Who, *, source_text: str, payload: dict, filename: str | None
    ) -> int | None:
        """Keep what was uploaded until Lưu/Hủy (in the database: a restart loses nothing)."""
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as session:
            draft = ImportDraft(
                created_by=who.actor.user_id,
                chat_id=who.scope.chat_id,
                filename=filename,
                source_text=source_text,
                parsed_json=json.dumps(payload, ensure_ascii=False),
                created_at=self._ctx.now(),
            )
            session.add(draft)
            await session.flush()
            return draft.id

    async def take_draft(self, who: Who, draft_id: int, *, accept: bool) -> ImportDraft | None:
        """Close a pending draft (once): returns it, or None when gone or not the admin's."""
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as session:
            draft = await session.get(ImportDraft, draft_id)
            if draft is None or draft.status != "pending":
                return None
            draft.status = "saved" if accept else "cancelled"
            return draft

    async def load_draft(self, who: Who, draft_id: int) -> ImportDraft | None:
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as session:
            draft = await session.get(ImportDraft, draft_id)
            return draft if draft and draft.status == "pending" else None

    async def import_notice(
        self, parsed: ParsedNotice, *, source_text: str, by_user_id: int | None
    ) -> ImportResult:
        """Store the notice, its agencies, tasks and assignments in one transaction."""
        now = self._ctx.now()
        async with self._ctx.uow() as session:
            notice = await self._existing(session, parsed)
            meta = parsed.document
            created = notice is None
            if notice is None:
                notice = Notice(number=meta.number or "(chưa rõ số)", issued_on=meta.date)
                session.add(notice)
            notice.issuer = meta.issuer
            notice.signer = meta.signer
            notice.signer_title = meta.signer_title
            notice.place = meta.place
            notice.title = meta.title
            notice.source_text = source_text
            notice.imported_by = by_user_id
            notice.updated_at = now
            await session.flush()
            result = ImportResult(notice_id=notice.id or 0, number=notice.number, created=created)
            existing_tasks = {
                t.code: t
                for t in (
                    await session.execute(select(Task).where(Task.notice_id == notice.id))
                ).scalars()
            }
            agency_cache: dict[str, list[Agency]] = {}
            for parsed_task in parsed.tasks:
                task = existing_tasks.get(parsed_task.code)
                if task is None:
                    task = Task(
                        notice_id=notice.id or 0, code=parsed_task.code, text=parsed_task.text
                    )
                    _apply_deadline(task, parsed_task)
                    task.created_at = task.updated_at = now
                    session.add(task)
                    await session.flush()
                    result.tasks_added += 1
                elif _revise(session, task, parsed_task, by_user_id, now):
                    result.tasks_updated += 1
                for role, names in (
                    ("lead", parsed_task.lead),
                    ("coordinating", parsed_task.coordinating),
                ):
                    for name in names:
                        for agency in await self._agencies_for(session, name, agency_cache, result):
                            await self._assign(session, task, agency, role, result)
            return result

    async def _existing(self, session: AsyncSession, parsed: ParsedNotice) -> Notice | None:
        meta = parsed.document
        if not meta.number:
            return None
        query = select(Notice).where(Notice.number == meta.number)
        query = query.where(
            Notice.issued_on == meta.date if meta.date else Notice.issued_on.is_(None)
        )
        return (await session.execute(query)).scalar_one_or_none()

    async def _agencies_for(
        self,
        session: AsyncSession,
        name: str,
        cache: dict[str, list[Agency]],
        result: ImportResult,
    ) -> list[Agency]:
        """The agencies a name stands for: itself, or a group's registered members."""
        key = agency_key(name)
        if key in cache:
            return cache[key]
        members_kind = group_kind(name)
        agency = await agency_repo.by_key(session, key=key)
        if members_kind is not None:
            members = await agency_repo.members_of_kind(session, kind=members_kind)
            if members:
                cache[key] = members
                return members
        if agency is None:
            agency = Agency(
                name=name,
                key=key,
                kind=members_kind or guess_agency_kind(name),
                is_group=members_kind is not None,
            )
            session.add(agency)
            await session.flush()
            result.agencies_created.append(name)
        cache[key] = [agency]
        return [agency]

    async def _assign(
        self, session: AsyncSession, task: Task, agency: Agency, role: str, result: ImportResult
    ) -> None:
        existing = (
            await session.execute(
                select(Assignment).where(
                    Assignment.task_id == task.id, Assignment.agency_id == agency.id
                )
            )
        ).scalar_one_or_none()
        if existing is not None:
            if role == "lead" and existing.role != "lead":
                existing.role = "lead"
            return
        assignment = Assignment(
            task_id=task.id or 0, agency_id=agency.id or 0, role=role, created_at=self._ctx.now()
        )
        session.add(assignment)
        await session.flush()
        result.assignments_created += 1
        result.new_assignments_by_agency.setdefault(agency.id or 0, []).append(assignment.id or 0)


def _apply_deadline(task: Task, parsed: ParsedTask) -> None:
    task.deadline_kind = parsed.deadline.kind.value
    task.deadline_start = parsed.deadline.start
    task.deadline_end = parsed.deadline.end
    task.deadline_phrase = (parsed.deadline.source_phrase or "")[:300] or None


def _revise(session: AsyncSession, task: Task, parsed: ParsedTask, by: int | None, now) -> bool:  # type: ignore[no-untyped-def]
    """Update a re-imported task's text and deadline, keeping the old values as revisions."""
    changes: list[tuple[str, str | None, str | None]] = []
    if task.text != parsed.text:
        changes.append(("text", task.text, parsed.text))
    new_end = parsed.deadline.end
    if task.deadline_end != new_end or task.deadline_kind != parsed.deadline.kind.value:
        changes.append(
            (
                "deadline",
                f"{task.deadline_kind}:{task.deadline_end}",
                f"{parsed.deadline.kind.value}:{new_end}",
            )
        )
    for field_name, old, new in changes:
        session.add(
            TaskRevision(
                task_id=task.id or 0,
                field_name=field_name,
                old_value=old,
                new_value=new,
                changed_by=by,
                changed_at=now,
            )
        )
    if changes:
        task.text = parsed.text
        _apply_deadline(task, parsed)
        task.updated_at = now
    return bool(changes)
