"""The stored state an import plan reads (pure): the office's agencies and groups, and the
notice's tasks and assignments as the database holds them (``bot.services.import_apply``
reads them; ``bot.domain.import_planner`` plans from them)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date

__all__ = ["Stored", "StoredAgency", "StoredAssignment", "StoredGroup", "StoredTask"]


@dataclass(frozen=True, slots=True)
class StoredAgency:
    id: int
    name: str
    kind: str
    short: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredGroup:
    id: int
    name: str
    member_ids: tuple[int, ...] = ()
    aliases: tuple[str, ...] = ()
    province: str | None = None  # whose agencies these are: not another province's notice


@dataclass(frozen=True, slots=True)
class StoredAssignment:
    id: int
    agency_id: int
    role: str
    cancelled: bool = False
    moved_by_office: bool = False  # the office moved the task away from it (/giaolai)
    added_by_office: bool = False  # the office moved the task to it
    # The agency completed it (done, or awaiting the office's confirmation): a re-import never
    # cancels it (import_plan's "held"); the office decides.
    finished: bool = False
    completed_on: date | None = None  # the day it was reported done (on time or late by it)


@dataclass(frozen=True, slots=True)
class StoredTask:
    id: int
    code: str
    text: str
    deadline_kind: str
    deadline_start: date | None
    deadline_end: date | None
    cancelled: bool = False
    assignments: tuple[StoredAssignment, ...] = ()
    adjusted_deadline_end: date | None = None  # an extension: counts once approved
    extension_approved: bool = False


@dataclass(frozen=True, slots=True)
class Stored:
    """What the plan depends on: the office's agencies and groups, the notice if stored."""

    agencies: tuple[StoredAgency, ...] = ()
    groups: tuple[StoredGroup, ...] = ()
    notice_id: int | None = None
    notice_meta: tuple[str | None, ...] = ()  # title, issuer, signer, signer title, place
    tasks: tuple[StoredTask, ...] = ()
    # Collectives an earlier version stored as agencies: no name resolves to them any more,
    # and their assignments in the notice are shown removed (the group's members get them).
    legacy: tuple[StoredAgency, ...] = ()

    def fingerprint(self) -> str:
        """Changes whenever anything the plan read changes: Lưu then previews again."""
        raw = json.dumps(asdict(self), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()[:32]
