"""Importing a notice: the plan shown in the preview is the plan Lưu saves.

``prepare`` reads the database once, computes the import plan (bot.domain.import_planner) and
keeps it, serialised, in the draft the preview belongs to; ``save`` applies that stored plan
in one transaction with closing the draft. When the database moved in between (its
fingerprint differs from the plan's ``base``), nothing is saved: a new plan is prepared and
previewed instead, so nothing is ever stored that the admin did not see.

Re-importing the same notice (same number and date) is a diff: unchanged, it writes nothing
and says "không có thay đổi"; corrected, it adds, changes and cancels tasks and assignments
as the preview listed, keeping every progress report; only agencies that really receive a
new task are told.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.agency_data import standard_directory
from bot.domain.agency_names import guess_agency_kind
from bot.domain.import_plan import ImportPlan
from bot.domain.import_planner import plan_import
from bot.domain.notice import ParsedNotice, ParsedTask
from bot.domain.permissions import Action
from bot.domain.text import fold
from bot.services.access import Who
from bot.services.context import ServiceContext
from bot.services.import_apply import ImportResult, apply_plan, read_stored, read_stored_for
from bot.services.notice_payload import from_payload, to_payload
from storage.models import ImportDraft
from storage.repositories import notices as notice_repo
from storage.unit_of_work import UnitOfWork

__all__ = ["Draft", "ImportResult", "NoticeService", "Saved", "Stale", "deadline_text"]


@dataclass(frozen=True, slots=True)
class Draft:
    """A previewed import: the plan Lưu will apply and what the reader could not use."""

    draft_id: int
    plan: ImportPlan
    unclassified: tuple[str, ...] = ()
    # Every line of the notice no task was made from: (line number, reason, text).
    unused: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Picking:
    """Agencies being picked for one group of a draft, for that notice only."""

    draft_id: int
    index: int
    group: str
    candidates: tuple[tuple[int, str], ...]  # (agency id, name), the group's kind first
    picked: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Saved:
    result: ImportResult
    plan: ImportPlan


@dataclass(frozen=True, slots=True)
class Stale:
    """The database changed since the preview: nothing saved, here is the new preview."""

    draft: Draft


def deadline_text(task: ParsedTask) -> str:
    deadline = task.deadline
    return dates_text(deadline.start, deadline.end)


def dates_text(start: Any, end: Any) -> str:
    if end is None:
        return "—"
    if start and start != end:
        return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    return f"{end:%d/%m/%Y}"


class NoticeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def plan(self, parsed: ParsedNotice) -> ImportPlan:
        """The plan as of now, saving nothing (`dondoc import --dry-run`)."""
        async with self._ctx.uow() as uow:
            return await _plan(uow, parsed, self._ctx.settings.province)

    async def prepare(
        self, who: Who, parsed: ParsedNotice, *, source_text: str, filename: str | None
    ) -> Draft | None:
        """Compute the plan and keep it with the upload until Lưu/Hủy (in the database: a
        restart loses nothing). None when the person may not import."""
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as uow:
            return await self._new_draft(
                uow,
                parsed,
                created_by=who.actor.user_id,
                chat_id=who.scope.chat_id,
                source_text=source_text,
                filename=filename,
            )

    async def save(self, who: Who, draft_id: int) -> Saved | Stale | None:
        """Apply the draft's plan (once); None when the draft is gone or not the admin's."""
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as uow:
            draft = await notice_repo.pending_draft(uow, draft_id=draft_id)
            if draft is None:
                return None
            stored_plan, parsed = _read_draft(draft)
            stored = await read_stored(uow, parsed)
            if stored_plan is None or stored.fingerprint() != stored_plan.base:
                await notice_repo.close_draft(uow, draft=draft, status="superseded")
                fresh = await self._new_draft(
                    uow,
                    parsed,
                    created_by=draft.created_by,
                    chat_id=draft.chat_id,
                    source_text=draft.source_text,
                    filename=draft.filename,
                    choices=_choices(draft),
                )
                return Stale(fresh)
            await notice_repo.close_draft(uow, draft=draft, status="saved")
            result = await apply_plan(
                uow,
                stored_plan,
                source_text=draft.source_text,
                by_user_id=who.actor.user_id,
                now=self._ctx.now(),
            )
            return Saved(result, stored_plan)

    async def replan(
        self, who: Who, draft_id: int, choice: tuple[str, tuple[int, ...] | None] | None = None
    ) -> Draft | None:
        """The draft planned again (the office just defined a group, or answered a group's
        question for this notice: ``choice`` is (group, picked agency ids) or (group, None)
        to skip it): a new draft replaces it, so Lưu always saves the preview last shown."""
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as uow:
            draft = await notice_repo.pending_draft(uow, draft_id=draft_id)
            if draft is None:
                return None
            _, parsed = _read_draft(draft)
            choices = _choices(draft)
            if choice is not None:
                choices[choice[0]] = choice[1]
            await notice_repo.close_draft(uow, draft=draft, status="superseded")
            return await self._new_draft(
                uow,
                parsed,
                created_by=draft.created_by,
                chat_id=draft.chat_id,
                source_text=draft.source_text,
                filename=draft.filename,
                choices=choices,
            )

    async def picking(
        self, who: Who, draft_id: int, index: int, toggle: int | None = None
    ) -> Picking | None:
        """ "Chọn đơn vị" for the draft's ``index``-th group without members: the office's
        agencies (the group's kind first) and those picked so far, ``toggle`` picked or
        unpicked first. Kept in the draft, so any instance takes the next tap."""
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as uow:
            draft = await notice_repo.pending_draft(uow, draft_id=draft_id)
            plan = _read_draft(draft)[0] if draft is not None else None
            if draft is None or plan is None or index >= len(plan.open_groups):
                return None
            name = plan.open_groups[index].name
            payload = json.loads(draft.parsed_json)
            picked = [int(i) for i in (payload.get("picking") or {}).get(name, [])]
            stored = await read_stored(uow, _read_draft(draft)[1])
            ids = {a.id for a in stored.agencies}
            if toggle is not None and toggle in ids:
                picked = (
                    [i for i in picked if i != toggle] if toggle in picked else [*picked, toggle]
                )
                payload.setdefault("picking", {})[name] = picked
                await notice_repo.set_draft_payload(
                    uow, draft=draft, parsed_json=json.dumps(payload, ensure_ascii=False)
                )
        kind = guess_agency_kind(name)
        candidates = sorted(stored.agencies, key=lambda a: (a.kind != kind, fold(a.name)))
        return Picking(
            draft_id,
            index,
            name,
            tuple((a.id, a.name) for a in candidates),
            tuple(i for i in picked if i in ids),
        )

    async def answer_group(
        self, who: Who, draft_id: int, index: int, *, skip: bool
    ) -> Draft | None:
        """The question of the draft's ``index``-th group answered for this notice only:
        skipped ("bỏ qua") or given the agencies picked; the draft is planned again. None when
        the draft is gone or nothing was picked."""
        picking = await self.picking(who, draft_id, index)
        if picking is None or (not skip and not picking.picked):
            return None
        return await self.replan(who, draft_id, (picking.group, None if skip else picking.picked))

    async def cancel(self, who: Who, draft_id: int) -> bool:
        """Close a pending draft without saving (once)."""
        if not who.may(Action.IMPORT).allowed:
            return False
        async with self._ctx.uow() as uow:
            draft = await notice_repo.pending_draft(uow, draft_id=draft_id)
            if draft is None:
                return False
            await notice_repo.close_draft(uow, draft=draft, status="cancelled")
            return True

    async def load_draft(self, who: Who, draft_id: int) -> Draft | None:
        """A pending draft's plan, for its pages (tasks, agencies)."""
        if not who.may(Action.IMPORT).allowed:
            return None
        async with self._ctx.uow() as uow:
            draft = await notice_repo.pending_draft(uow, draft_id=draft_id)
        if draft is None:
            return None
        plan, parsed = _read_draft(draft)
        if plan is None:
            return None
        payload = json.loads(draft.parsed_json)
        return Draft(draft_id, plan, parsed.unclassified, _unused(payload))

    async def apply(
        self, plan: ImportPlan, *, source_text: str, by_user_id: int | None
    ) -> ImportResult | None:
        """Apply a plan already shown (the command line prints it first); None, saving
        nothing, when the database moved since it was computed."""
        async with self._ctx.uow() as uow:
            stored = await read_stored_for(uow, plan.notice.number, plan.notice.issued_on)
            if stored.fingerprint() != plan.base:
                return None
            return await apply_plan(
                uow, plan, source_text=source_text, by_user_id=by_user_id, now=self._ctx.now()
            )

    async def import_notice(
        self, parsed: ParsedNotice, *, source_text: str, by_user_id: int | None
    ) -> ImportResult:
        """Plan and apply at once, in one transaction (the command line, the tests' seed)."""
        async with self._ctx.uow() as uow:
            plan = await _plan(uow, parsed, self._ctx.settings.province)
            return await apply_plan(
                uow, plan, source_text=source_text, by_user_id=by_user_id, now=self._ctx.now()
            )

    async def _new_draft(
        self,
        uow: UnitOfWork,
        parsed: ParsedNotice,
        *,
        created_by: int,
        chat_id: int,
        source_text: str,
        filename: str | None,
        choices: dict[str, tuple[int, ...] | None] | None = None,
    ) -> Draft:
        plan = await _plan(uow, parsed, self._ctx.settings.province, choices)
        payload = {
            "parsed": to_payload(parsed),
            "plan": plan.to_dict(),
            "unused": [[u.line, u.reason, u.text] for u in parsed.unused],
            "choices": {k: None if v is None else list(v) for k, v in (choices or {}).items()},
        }
        draft_id = await notice_repo.add_draft(
            uow,
            created_by=created_by,
            chat_id=chat_id,
            filename=filename,
            source_text=source_text,
            parsed_json=json.dumps(payload, ensure_ascii=False),
            at=self._ctx.now(),
        )
        unused = tuple((u.line, str(u.reason), u.text) for u in parsed.unused)
        return Draft(draft_id, plan, parsed.unclassified, unused)


async def _plan(
    uow: UnitOfWork,
    parsed: ParsedNotice,
    home: str | None,
    choices: dict[str, tuple[int, ...] | None] | None = None,
) -> ImportPlan:
    stored = await read_stored(uow, parsed)
    return plan_import(parsed, stored, standard_directory(), home=home, choices=choices)


def _choices(draft: ImportDraft) -> dict[str, tuple[int, ...] | None]:
    """The office's answers to the draft's group questions (kept when it is planned again)."""
    raw = json.loads(draft.parsed_json).get("choices") or {}
    return {
        str(k): None if v is None else tuple(int(i) for i in v)
        for k, v in raw.items()
        if v is None or isinstance(v, list)
    }


def _unused(payload: dict[str, Any]) -> tuple[tuple[int, str, str], ...]:
    raw = payload.get("unused")
    if not isinstance(raw, list):
        return ()
    return tuple((int(line), str(reason), str(text)) for line, reason, text in raw)


def _read_draft(draft: ImportDraft) -> tuple[ImportPlan | None, ParsedNotice]:
    """The draft's plan (None for a draft from before plans) and the notice as read."""
    payload = json.loads(draft.parsed_json)
    if "plan" not in payload:
        return None, from_payload(payload)
    return ImportPlan.from_dict(payload["plan"]), from_payload(payload["parsed"])
