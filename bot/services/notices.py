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
from datetime import datetime
from typing import Any

from bot.domain.agency_names import agency_key, group_kind, guess_agency_kind
from bot.domain.notice import ParsedNotice, ParsedTask
from bot.domain.permissions import Action
from bot.services.access import Who
from bot.services.context import ServiceContext
from storage.models import Agency, ImportDraft, Notice, Task
from storage.repositories import agencies as agency_repo
from storage.repositories import notices as notice_repo
from storage.repositories import tasks as task_repo
from storage.unit_of_work import UnitOfWork


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
        async with self._ctx.uow() as uow:
            unknown = [
                name
                for name in parsed.agencies
                if group_kind(name) is None
                and await agency_repo.by_key(uow, key=agency_key(name)) is None
            ]
            existing = await _existing(uow, parsed) is not None
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
        self, who: Who, *, source_text: str, payload: dict[str, Any], filename: str | None
    ) -> int | None:
        """Keep what was uploaded until Lưu/Hủy (in the database: a restart loses nothing)."""
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as uow:
            return await notice_repo.add_draft(
                uow,
                created_by=who.actor.user_id,
                chat_id=who.scope.chat_id,
                filename=filename,
                source_text=source_text,
                parsed_json=json.dumps(payload, ensure_ascii=False),
                at=self._ctx.now(),
            )

    async def take_draft(self, who: Who, draft_id: int, *, accept: bool) -> ImportDraft | None:
        """Close a pending draft (once): returns it, or None when gone or not the admin's."""
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as uow:
            draft = await notice_repo.pending_draft(uow, draft_id=draft_id)
            if draft is None:
                return None
            await notice_repo.close_draft(uow, draft=draft, saved=accept)
            return draft

    async def load_draft(self, who: Who, draft_id: int) -> ImportDraft | None:
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as uow:
            return await notice_repo.pending_draft(uow, draft_id=draft_id)

    async def import_notice(
        self, parsed: ParsedNotice, *, source_text: str, by_user_id: int | None
    ) -> ImportResult:
        """Store the notice, its agencies, tasks and assignments in one transaction."""
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            existing = await _existing(uow, parsed)
            meta = parsed.document
            notice = await notice_repo.save_imported(
                uow,
                existing=existing,
                number=meta.number or "(chưa rõ số)",
                issued_on=meta.date,
                issuer=meta.issuer,
                signer=meta.signer,
                signer_title=meta.signer_title,
                place=meta.place,
                title=meta.title,
                source_text=source_text,
                imported_by=by_user_id,
                at=now,
            )
            assert notice.id is not None
            result = ImportResult(
                notice_id=notice.id, number=notice.number, created=existing is None
            )
            existing_tasks = {
                t.code: t for t in await task_repo.tasks_of_notice(uow, notice_id=notice.id)
            }
            agency_cache: dict[str, list[Agency]] = {}
            for parsed_task in parsed.tasks:
                task = existing_tasks.get(parsed_task.code)
                if task is None:
                    deadline = parsed_task.deadline
                    task = await task_repo.add_task(
                        uow,
                        notice_id=notice.id,
                        code=parsed_task.code,
                        text=parsed_task.text,
                        deadline_kind=deadline.kind.value,
                        deadline_start=deadline.start,
                        deadline_end=deadline.end,
                        deadline_phrase=_phrase(parsed_task),
                        at=now,
                    )
                    result.tasks_added += 1
                elif await _revise(uow, task, parsed_task, by_user_id, now):
                    result.tasks_updated += 1
                for role, names in (
                    ("lead", parsed_task.lead),
                    ("coordinating", parsed_task.coordinating),
                ):
                    for name in names:
                        for agency in await self._agencies_for(uow, name, agency_cache, result):
                            await self._assign(uow, task, agency, role, result)
            return result

    async def _agencies_for(
        self,
        uow: UnitOfWork,
        name: str,
        cache: dict[str, list[Agency]],
        result: ImportResult,
    ) -> list[Agency]:
        """The agencies a name stands for: itself, or a group's registered members."""
        key = agency_key(name)
        if key in cache:
            return cache[key]
        members_kind = group_kind(name)
        agency = await agency_repo.by_key(uow, key=key)
        if members_kind is not None:
            members = await agency_repo.members_of_kind(uow, kind=members_kind)
            if members:
                cache[key] = members
                return members
        if agency is None:
            agency = await agency_repo.add(
                uow,
                name=name,
                key=key,
                kind=members_kind or guess_agency_kind(name),
                is_group=members_kind is not None,
            )
            result.agencies_created.append(name)
        cache[key] = [agency]
        return [agency]

    async def _assign(
        self, uow: UnitOfWork, task: Task, agency: Agency, role: str, result: ImportResult
    ) -> None:
        existing = await task_repo.assignment_of(
            uow, task_id=task.id or 0, agency_id=agency.id or 0
        )
        if existing is not None:
            if role == "lead" and existing.role != "lead":
                existing.role = "lead"
            return
        assignment = await task_repo.add_assignment(
            uow, task_id=task.id or 0, agency_id=agency.id or 0, role=role, at=self._ctx.now()
        )
        result.assignments_created += 1
        result.new_assignments_by_agency.setdefault(agency.id or 0, []).append(assignment.id or 0)


async def _existing(uow: UnitOfWork, parsed: ParsedNotice) -> Notice | None:
    """The stored notice a re-import updates: same number and date."""
    meta = parsed.document
    if not meta.number:
        return None
    return await notice_repo.by_number_and_date(uow, number=meta.number, issued_on=meta.date)


def _phrase(parsed: ParsedTask) -> str | None:
    return (parsed.deadline.source_phrase or "")[:300] or None


async def _revise(
    uow: UnitOfWork, task: Task, parsed: ParsedTask, by: int | None, now: datetime
) -> bool:
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
        await task_repo.add_revision(
            uow,
            task_id=task.id or 0,
            field_name=field_name,
            old_value=old,
            new_value=new,
            changed_by=by,
            at=now,
        )
    if changes:
        task.text = parsed.text
        task.deadline_kind = parsed.deadline.kind.value
        task.deadline_start = parsed.deadline.start
        task.deadline_end = parsed.deadline.end
        task.deadline_phrase = _phrase(parsed)
        task.updated_at = now
    return bool(changes)
