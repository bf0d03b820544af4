"""The import plan: what pressing Lưu will do, computed once and saved exactly as shown.

The office's promise is "check the preview, then press Lưu". So the preview is not a reading
of the notice beside a save that decides again: the plan below is computed once from the
parsed notice and the database (``bot.domain.import_planner``), serialised into the draft the
preview belongs to, rendered by the preview and applied, as it is, by Lưu. If the database
moved between the two (another import created an agency, the office defined a group), the
stored ``base`` fingerprint no longer matches and Lưu shows a new preview instead of saving.

Pure: standard library only. Every value is JSON-serialisable through ``to_dict``/``from_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

__all__ = [
    "AssignmentChange",
    "ImportPlan",
    "PlannedAgency",
    "PlannedAssignment",
    "PlannedGroup",
    "PlannedNotice",
    "PlannedTask",
    "TaskChange",
]

TaskChange = Literal["new", "changed", "unchanged", "removed"]
# new: created by Lưu; kept: already there, unchanged; role: lead <-> coordinating; restored:
# a cancelled assignment the notice gives again; removed: the notice no longer gives it (the
# assignment is cancelled, its progress kept); office: the office's own edit (/giaolai), kept;
# held: the notice no longer gives it (the task dropped, or given to another agency), but the
# agency has completed it (done, or awaiting confirmation): kept as it is, in every figure,
# and the preview asks the office to decide (a re-import never erases finished work).
AssignmentChange = Literal["new", "kept", "role", "restored", "removed", "office", "held"]
# chosen: members picked for this notice only ("chọn đơn vị"); skipped: "bỏ qua", nobody.
GroupStatus = Literal["expanded", "unknown", "related", "chosen", "skipped"]


@dataclass(frozen=True, slots=True)
class PlannedAgency:
    """An agency the plan assigns to: an existing one (``agency_id``) or one Lưu creates."""

    name: str  # the canonical name
    kind: str
    agency_id: int | None = None  # None: created by Lưu
    short: str | None = None
    written: tuple[str, ...] = ()  # how the notice wrote it (kept as aliases when different)

    @property
    def is_new(self) -> bool:
        return self.agency_id is None


@dataclass(frozen=True, slots=True)
class PlannedGroup:
    """A collective addressee: expanded to the office's members, or a question."""

    name: str  # the group's name (the office's, or as written when it has none)
    status: GroupStatus
    members: tuple[str, ...] = ()  # canonical agency names, when expanded
    written: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()  # codes of the tasks addressed to it
    group_id: int | None = None


@dataclass(frozen=True, slots=True)
class PlannedAssignment:
    agency: str  # canonical name, one of the plan's agencies
    role: Literal["lead", "coordinating"]
    change: AssignmentChange
    assignment_id: int | None = None
    via: str | None = None  # the group it came through

    @property
    def active_after(self) -> bool:
        """Whether the assignment is live after Lưu."""
        return self.change != "removed"


@dataclass(frozen=True, slots=True)
class PlannedTask:
    code: str
    text: str
    deadline_kind: str
    deadline_start: date | None
    deadline_end: date | None
    deadline_phrase: str | None
    change: TaskChange
    task_id: int | None = None
    fields: tuple[str, ...] = ()  # for "changed": "text", "deadline"
    assignments: tuple[PlannedAssignment, ...] = ()
    open_groups: tuple[str, ...] = ()  # groups with no member list: nobody receives it from them
    deadline_rule: str | None = None  # how a relative deadline became a date
    cancelled: bool = False  # cancelled by the office before: kept as it is
    previous_code: str | None = None  # for a renumbered task: its code until now
    # Finished assignments a deadline change moves between "hoàn thành đúng hạn" and "hoàn
    # thành quá hạn": (assignment id, late now). The preview warns before Lưu.
    timing: tuple[tuple[int, bool], ...] = ()

    @property
    def holds(self) -> bool:
        """Some finished assignment the notice no longer gives is kept (``held``)."""
        return any(a.change == "held" for a in self.assignments)

    @property
    def dropped(self) -> bool:
        """Lưu cancels the task: the notice no longer has it and nothing finished holds it.
        A dropped task that holds finished work stays live; only its open assignments go."""
        return self.change == "removed" and not self.holds

    @property
    def touched(self) -> bool:
        if self.change == "removed" and self.holds:
            return any(a.change == "removed" for a in self.assignments)
        return self.change != "unchanged" or any(
            a.change not in ("kept", "office", "held") for a in self.assignments
        )


@dataclass(frozen=True, slots=True)
class PlannedNotice:
    number: str
    issued_on: date | None
    title: str | None = None
    issuer: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    place: str | None = None
    notice_id: int | None = None  # the stored notice a re-import updates
    changed: bool = True  # its metadata differs from the stored one (always, when new)


@dataclass(frozen=True, slots=True)
class ImportPlan:
    notice: PlannedNotice
    agencies: tuple[PlannedAgency, ...] = ()
    groups: tuple[PlannedGroup, ...] = ()
    tasks: tuple[PlannedTask, ...] = ()
    base: str = ""  # fingerprint of the stored state the plan was computed from
    problems: tuple[str, ...] = field(default=())

    # -- what it does --

    @property
    def is_new_notice(self) -> bool:
        return self.notice.notice_id is None

    @property
    def no_change(self) -> bool:
        """Lưu would change nothing ("không có thay đổi")."""
        return (
            not self.is_new_notice
            and not self.notice.changed
            and not any(a.is_new for a in self.agencies)
            and not any(t.touched for t in self.tasks)
        )

    def count(self, change: TaskChange) -> int:
        return sum(1 for t in self.tasks if t.change == change)

    def assignments(
        self, *changes: AssignmentChange
    ) -> list[tuple[PlannedTask, PlannedAssignment]]:
        return [
            (t, a) for t in self.tasks for a in t.assignments if not changes or a.change in changes
        ]

    @property
    def new_agencies(self) -> tuple[PlannedAgency, ...]:
        return tuple(a for a in self.agencies if a.is_new)

    @property
    def open_groups(self) -> tuple[PlannedGroup, ...]:
        return tuple(g for g in self.groups if g.status == "unknown")

    @property
    def skipped_groups(self) -> tuple[PlannedGroup, ...]:
        """Addressees the office chose to skip in this notice: nobody receives from them."""
        return tuple(g for g in self.groups if g.status == "skipped")

    def agency(self, name: str) -> PlannedAgency | None:
        return next((a for a in self.agencies if a.name == name), None)

    def saved_assignments(self) -> set[tuple[str, str, str]]:
        """(task code, agency, role) of every live assignment after Lưu: what the database must
        hold for this notice once the plan is applied (the test of preview == saved)."""
        return {
            (t.code, a.agency, a.role)
            for t in self.tasks
            if not t.cancelled and not t.dropped
            for a in t.assignments
            if a.active_after
        }

    def per_agency(self) -> list[tuple[PlannedAgency, list[tuple[PlannedTask, PlannedAssignment]]]]:
        """Each agency with its assignments in the plan, in the plan's agency order."""
        rows: dict[str, list[tuple[PlannedTask, PlannedAssignment]]] = {}
        for task, assignment in self.assignments():
            rows.setdefault(assignment.agency, []).append((task, assignment))
        return [(a, rows[a.name]) for a in self.agencies if a.name in rows]

    # -- serialisation --

    def to_dict(self) -> dict[str, Any]:
        n = self.notice
        return {
            "version": 1,
            "base": self.base,
            "problems": list(self.problems),
            "notice": {
                "number": n.number,
                "issued_on": _iso(n.issued_on),
                "title": n.title,
                "issuer": n.issuer,
                "signer": n.signer,
                "signer_title": n.signer_title,
                "place": n.place,
                "notice_id": n.notice_id,
                "changed": n.changed,
            },
            "agencies": [
                {
                    "name": a.name,
                    "kind": a.kind,
                    "agency_id": a.agency_id,
                    "short": a.short,
                    "written": list(a.written),
                    "new": a.is_new,
                }
                for a in self.agencies
            ],
            "groups": [
                {
                    "name": g.name,
                    "status": g.status,
                    "members": list(g.members),
                    "written": list(g.written),
                    "tasks": list(g.tasks),
                    "group_id": g.group_id,
                }
                for g in self.groups
            ],
            "tasks": [_task_dict(t) for t in self.tasks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportPlan:
        n = data["notice"]
        return cls(
            notice=PlannedNotice(
                number=n["number"],
                issued_on=_date(n.get("issued_on")),
                title=n.get("title"),
                issuer=n.get("issuer"),
                signer=n.get("signer"),
                signer_title=n.get("signer_title"),
                place=n.get("place"),
                notice_id=n.get("notice_id"),
                changed=bool(n.get("changed", True)),
            ),
            agencies=tuple(
                PlannedAgency(
                    name=a["name"],
                    kind=a["kind"],
                    agency_id=a.get("agency_id"),
                    short=a.get("short"),
                    written=tuple(a.get("written", ())),
                )
                for a in data.get("agencies", ())
            ),
            groups=tuple(
                PlannedGroup(
                    name=g["name"],
                    status=g["status"],
                    members=tuple(g.get("members", ())),
                    written=tuple(g.get("written", ())),
                    tasks=tuple(g.get("tasks", ())),
                    group_id=g.get("group_id"),
                )
                for g in data.get("groups", ())
            ),
            tasks=tuple(_task(t) for t in data.get("tasks", ())),
            base=data.get("base", ""),
            problems=tuple(data.get("problems", ())),
        )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _task_dict(t: PlannedTask) -> dict[str, Any]:
    return {
        "code": t.code,
        "text": t.text,
        "deadline": {
            "kind": t.deadline_kind,
            "start": _iso(t.deadline_start),
            "end": _iso(t.deadline_end),
            "phrase": t.deadline_phrase,
            "rule": t.deadline_rule,
        },
        "change": t.change,
        "task_id": t.task_id,
        "fields": list(t.fields),
        "cancelled": t.cancelled,
        "previous_code": t.previous_code,
        "open_groups": list(t.open_groups),
        "timing": [[a, late] for a, late in t.timing],
        "assignments": [
            {
                "agency": a.agency,
                "role": a.role,
                "change": a.change,
                "assignment_id": a.assignment_id,
                "via": a.via,
            }
            for a in t.assignments
        ],
    }


def _task(t: dict[str, Any]) -> PlannedTask:
    d = t["deadline"]
    return PlannedTask(
        code=t["code"],
        text=t["text"],
        deadline_kind=d["kind"],
        deadline_start=_date(d.get("start")),
        deadline_end=_date(d.get("end")),
        deadline_phrase=d.get("phrase"),
        deadline_rule=d.get("rule"),
        change=t["change"],
        task_id=t.get("task_id"),
        fields=tuple(t.get("fields", ())),
        cancelled=bool(t.get("cancelled", False)),
        previous_code=t.get("previous_code"),
        open_groups=tuple(t.get("open_groups", ())),
        timing=tuple((int(a), bool(late)) for a, late in t.get("timing", ())),
        assignments=tuple(
            PlannedAssignment(
                agency=a["agency"],
                role=a["role"],
                change=a["change"],
                assignment_id=a.get("assignment_id"),
                via=a.get("via"),
            )
            for a in t.get("assignments", ())
        ),
    )
