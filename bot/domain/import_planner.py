"""Computing the import plan from a parsed notice and what the database holds (pure).

The service plans from the stored state (``Stored``), keeps it with the draft; Lưu applies it:

- **One name per agency.** Each name as written is resolved by the directory (the office's
  agencies first, then the standard provincial structure), so "Sở TN&MT", "Giám đốc Sở Tài
  nguyên và Môi trường" and the full name are one agency; an agency the office already has is
  that agency, under the office's name, even when the notice spells it the standard way.
- **Groups are not agencies.** A collective addressee ("Các huyện, thành phố, thị xã") is
  assigned to the members of the office's group of that name; a group the office has not
  defined is a question in the preview and nobody receives the task from it: it is never
  expanded to whatever agencies exist, nor created as an agency; "… liên quan" is not assigned.
- **Re-import is a diff.** Against the stored tasks of the same notice (number and date): a
  task is new, changed (text, deadline), unchanged or removed; an assignment new, kept, its
  role changed, restored or removed. The office's moves (/giaolai) and picks are kept; a
  removed assignment or task is cancelled, its progress kept; but an assignment the agency has
  finished (done, or awaiting confirmation) is held, never cancelled: the task stays live
  with it, the preview says so and the office decides.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Literal

from bot.domain.agency_directory import Agency as DirAgency
from bot.domain.agency_directory import Directory, Group, display_name, name_key
from bot.domain.agency_names import agency_key, guess_agency_kind
from bot.domain.import_plan import (
    AssignmentChange,
    GroupStatus,
    ImportPlan,
    PlannedAgency,
    PlannedAssignment,
    PlannedGroup,
    PlannedNotice,
    PlannedTask,
)
from bot.domain.import_stored import (
    Stored,
    StoredAgency,
    StoredAssignment,
    StoredGroup,
    StoredTask,
)
from bot.domain.notice import DocumentMeta, ParsedNotice, ParsedTask
from bot.domain.notice.agencies import is_group
from bot.domain.text import fold
from bot.domain.types import effective_deadline_end

__all__ = [
    "NO_NUMBER",
    "Stored",
    "StoredAgency",
    "StoredAssignment",
    "StoredGroup",
    "StoredTask",
    "effective_directory",
    "group_name",
    "notice_number",
    "plan_import",
    "resolve_agencies",
]

NO_NUMBER = "(chưa rõ số)"
Role = Literal["lead", "coordinating"]
Wanted = dict[str, tuple[Role, str | None]]


def notice_number(parsed: ParsedNotice) -> str:
    """The number a notice is stored under. One without a number (a text pasted from a news
    page) gets "(chưa rõ số)" and a digest of its tasks: sent again it is the same notice,
    another such text on the same day is another notice."""
    if parsed.document.number:
        return parsed.document.number
    words = "\n".join(f"{t.code} {t.text}" for t in parsed.tasks)
    return f"{NO_NUMBER} {hashlib.sha256(words.encode()).hexdigest()[:6]}"


def effective_directory(standard: Directory, stored: Stored) -> Directory:
    """The office's agencies and groups before the standard structure: they win a name."""
    names = {a.id: a.name for a in stored.agencies}
    agencies = [DirAgency(a.name, a.kind, a.short, a.aliases) for a in stored.agencies]
    groups = []
    for g in stored.groups:
        standard_group = standard.group(g.name)
        aliases = g.aliases
        if standard_group is not None:
            aliases += (standard_group.name, *standard_group.aliases)
        members = tuple(names[i] for i in g.member_ids if i in names)
        groups.append(Group(g.name, members=members, aliases=aliases))
    return Directory((*agencies, *standard.agencies), (*groups, *standard.groups))


class _Planner:
    def __init__(
        self,
        parsed: ParsedNotice,
        stored: Stored,
        standard: Directory,
        home: str | None = None,
        choices: Mapping[str, tuple[int, ...] | None] | None = None,
    ) -> None:
        self.parsed = parsed
        self.choices = dict(choices or {})
        self.home = home
        self.stored = stored
        self.directory = effective_directory(standard, stored)
        self.on = parsed.document.date
        self.by_key: dict[str, StoredAgency] = {}
        for agency in stored.agencies:
            for written in (agency.name, agency.short, *agency.aliases):
                if written:
                    self.by_key.setdefault(name_key(written), agency)
                    self.by_key.setdefault(agency_key(written), agency)
        self.by_id = {a.id: a for a in (*stored.agencies, *stored.legacy)}
        self.groups_by_name = {g.name: g for g in stored.groups}
        self.agencies: dict[str, PlannedAgency] = {}
        self.groups: dict[str, PlannedGroup] = {}

    # -- names --

    def _stored_for(self, canonical: str, written: str) -> StoredAgency | None:
        for name in (canonical, written):
            for key in (name_key(name), agency_key(name)):
                if key in self.by_key:
                    return self.by_key[key]
        standard = self.directory.agency(canonical)
        if standard is not None:  # the office's agency under another of its standard names
            for other in (standard.name, standard.short, *standard.aliases):
                if other and (found := self.by_key.get(name_key(other))):
                    return found
        return None

    def _agency(self, canonical: str, written: str) -> str:
        """The plan's agency for a resolved name; its canonical name."""
        stored = self._stored_for(canonical, written)
        if stored is not None:
            planned = self.agencies.get(stored.name) or PlannedAgency(
                stored.name, stored.kind, stored.id, stored.short
            )
        else:
            known = self.directory.agency(canonical)
            planned = self.agencies.get(canonical) or PlannedAgency(
                canonical,
                known.kind if known else guess_agency_kind(canonical),
                None,
                known.short if known else None,
            )
        if written not in planned.written:
            planned = PlannedAgency(
                planned.name,
                planned.kind,
                planned.agency_id,
                planned.short,
                (*planned.written, written),
            )
        self.agencies[planned.name] = planned
        return planned.name

    def _group(self, written: str, role: Role, code: str) -> tuple[str, tuple[str, ...]]:
        """(group name, member agencies) for a collective addressee; no members: a question."""
        found = self.directory.group(written)
        name = found.name if found is not None else display_name(written)
        stored = self.groups_by_name.get(name)
        members: tuple[str, ...] = ()
        status: GroupStatus
        if role == "coordinating" and "lien quan" in fold(written):
            status = "related"
        elif name in self.choices:  # the office answered the question for this notice
            picked = self.choices[name]
            status = "skipped" if picked is None else "chosen"
            members = tuple(
                self._agency(self.by_id[i].name, self.by_id[i].name)
                for i in picked or ()
                if i in self.by_id
            )
        elif stored is not None and stored.member_ids and self._same_province(stored):
            status = "expanded"
            members = tuple(
                self._agency(self.by_id[i].name, self.by_id[i].name)
                for i in stored.member_ids
                if i in self.by_id
            )
        else:
            status = "unknown"
        old = self.groups.get(name)
        self.groups[name] = PlannedGroup(
            name,
            old.status if old and old.status != "related" else status,
            members or (old.members if old else ()),
            tuple(dict.fromkeys((*(old.written if old else ()), written))),
            tuple(dict.fromkeys((*(old.tasks if old else ()), code))),
            stored.id if stored else None,
        )
        return name, members if status in ("expanded", "chosen") else ()

    def _same_province(self, group: StoredGroup) -> bool:
        place = self.parsed.document.place
        home = group.province or self.home
        return not home or not place or fold(home) == fold(place)

    def addressees(
        self, task: ParsedTask
    ) -> tuple[dict[str, tuple[Role, str | None]], tuple[str, ...]]:
        """{agency: (role, via group)} of a task, lead first; and its groups without members."""
        wanted: dict[str, tuple[Role, str | None]] = {}
        open_groups: list[str] = []
        groups = set(task.lead_groups) | set(task.coordinating_groups)
        named: list[tuple[str, Role]] = [(n, "lead") for n in task.lead]
        named += [(n, "coordinating") for n in (*task.coordinating, *task.coordinating_groups)]
        for written, role in named:
            for kind, name in self._resolve(written, written in groups):
                if kind == "group":
                    group, members = self._group(name, role, task.code)
                    if not members and self.groups[group].status == "unknown":
                        open_groups.append(group)
                    for member in members:
                        if member not in wanted:
                            wanted[member] = (role, group)
                elif name not in wanted or (role == "lead" and wanted[name][0] != "lead"):
                    wanted[name] = (role, None)
        return wanted, tuple(dict.fromkeys(open_groups))

    def _resolve(self, written: str, flagged_group: bool) -> list[tuple[str, str]]:
        """[("agency", canonical) | ("group", written)] for one name as written."""
        if flagged_group:
            return [("group", written)]
        found = self.directory.resolve(written, on=self.on)
        if found.kind == "group" or (found.kind == "unknown" and is_group(written)):
            return [("group", written)]
        if found.kind == "list":
            out: list[tuple[str, str]] = []
            for member in found.members:
                if member.kind == "group":
                    out.append(("group", member.written))
                else:
                    name = member.current or member.name
                    out.append(("agency", self._agency(name, member.written)))
            return out
        return [("agency", self._agency(found.current or found.name, written))]

    # -- the diff --

    def task(self, parsed: ParsedTask, stored: StoredTask | None) -> PlannedTask:
        wanted, open_groups = self.addressees(parsed)
        deadline = parsed.deadline
        phrase = (deadline.source_phrase or "")[:300] or None
        base = PlannedTask(
            code=parsed.code,
            text=parsed.text,
            deadline_kind=deadline.kind.value,
            deadline_start=deadline.start,
            deadline_end=deadline.end,
            deadline_phrase=phrase,
            deadline_rule=deadline.rule,
            change="new",
            open_groups=open_groups,
        )
        if stored is None:
            return replace(
                base,
                assignments=tuple(
                    PlannedAssignment(name, role, "new", via=via)
                    for name, (role, via) in wanted.items()
                ),
            )
        if stored.cancelled:  # the office cancelled it (/huynv): the notice does not revive it
            return replace(
                base,
                change="unchanged",
                task_id=stored.id,
                cancelled=True,
                assignments=self._assignment_diff({}, stored, keep=True),
            )
        fields = []
        if stored.code != parsed.code:
            fields.append("code")
        if stored.text != parsed.text:
            fields.append("text")
        if (stored.deadline_kind, stored.deadline_start, stored.deadline_end) != (
            deadline.kind.value,
            deadline.start,
            deadline.end,
        ):
            fields.append("deadline")
        return replace(
            base,
            change="changed" if fields else "unchanged",
            task_id=stored.id,
            previous_code=stored.code if "code" in fields else None,
            fields=tuple(fields),
            cancelled=stored.cancelled,
            assignments=self._assignment_diff(wanted, stored, picked=bool(open_groups)),
            timing=_timing(stored, deadline.end) if "deadline" in fields else (),
        )

    def _assignment_diff(
        self, wanted: Wanted, stored: StoredTask, keep: bool = False, picked: bool = False
    ) -> tuple[PlannedAssignment, ...]:
        out: list[PlannedAssignment] = []
        have: dict[str, StoredAssignment] = {}
        for assignment in stored.assignments:
            agency = self.by_id.get(assignment.agency_id)
            if agency is not None:
                have[agency.name] = assignment
        for name, (role, via) in wanted.items():
            old = have.get(name)
            change: AssignmentChange
            if old is None:
                change = "new"
            elif old.cancelled:
                change = "office" if old.moved_by_office else "restored"
            else:
                change = "role" if old.role != role else "kept"
            out.append(PlannedAssignment(name, role, change, old.id if old else None, via))
        for name, old in have.items():
            if name in wanted or old.cancelled:
                continue
            old_role: Role = "lead" if old.role == "lead" else "coordinating"
            mine = picked and old.agency_id not in {a.id for a in self.stored.legacy}  # picks
            change = "office" if old.added_by_office else "kept" if keep or mine else "removed"
            if change == "removed" and old.finished:
                change = "held"  # finished work is never cancelled by a re-import
            out.append(PlannedAssignment(name, old_role, change, old.id))
            if name not in self.agencies:
                agency = self.by_id[old.agency_id]
                self.agencies[name] = PlannedAgency(name, agency.kind, agency.id, agency.short)
        return tuple(out)

    def removed(self, stored: StoredTask) -> PlannedTask:
        """A stored task the notice no longer has: cancelled on Lưu, its history kept; one
        an agency has finished stays, its finished assignments held for the office."""
        assignments = []
        for old in stored.assignments:
            agency = self.by_id.get(old.agency_id)
            if agency is None or old.cancelled:
                continue
            if agency.name not in self.agencies:
                self.agencies[agency.name] = PlannedAgency(
                    agency.name, agency.kind, agency.id, agency.short
                )
            role: Role = "lead" if old.role == "lead" else "coordinating"
            change: AssignmentChange = "held" if old.finished else "removed"
            assignments.append(PlannedAssignment(agency.name, role, change, old.id))
        return PlannedTask(
            code=stored.code,
            text=stored.text,
            deadline_kind=stored.deadline_kind,
            deadline_start=stored.deadline_start,
            deadline_end=stored.deadline_end,
            deadline_phrase=None,
            change="removed",
            task_id=stored.id,
            assignments=tuple(assignments),
        )


def _timing(stored: StoredTask, new_end: date | None) -> tuple[tuple[int, bool], ...]:
    """The finished assignments whose cell a new deadline moves (done on time becomes done
    late, or the reverse), judged as the roll-up does: the completion day against the deadline
    that counts (an approved extension still counts after the change)."""
    extension = (stored.adjusted_deadline_end, stored.extension_approved)
    before = effective_deadline_end(stored.deadline_end, *extension)
    after = effective_deadline_end(new_end, *extension)
    if before is None or after is None or before == after:
        return ()
    return tuple(
        (a.id, a.completed_on > after)
        for a in stored.assignments
        if a.finished
        and not a.cancelled
        and a.completed_on is not None
        and (a.completed_on > before) != (a.completed_on > after)
    )


SIMILAR = 0.75  # a corrected wording of the same task (a date changed, a phrase added)


def resolve_agencies(names: list[str], stored: Stored, standard: Directory) -> list[PlannedAgency]:
    """Each name as an agency of the plan's kind (existing, or new under its canonical name);
    a group among them is left out: a group's members are agencies."""
    planner = _Planner(ParsedNotice(DocumentMeta()), stored, standard)
    out: list[PlannedAgency] = []
    for written in names:
        for kind, name in planner._resolve(written, False):
            if kind == "agency" and planner.agencies[name] not in out:
                out.append(planner.agencies[name])
    return out


def group_name(written: str, standard: Directory) -> str:
    """A group's name as the office will keep it: the standard one when the structure knows
    the group ("UBND các huyện, thành phố, thị xã" -> "Các huyện, thị xã, thành phố")."""
    found = standard.group(written)
    return found.name if found is not None else display_name(written)


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= SIMILAR else 0.0


def _match(parsed: ParsedNotice, stored: Stored) -> dict[int, StoredTask]:
    """Which stored task each parsed one is (by its index): the same text first, wherever it
    moved (a corrected notice that drops a paragraph renumbers the ones after it), then the
    most similar text (a date or a phrase corrected), then the same code."""
    matched: dict[int, StoredTask] = {}
    free = {t.id: t for t in stored.tasks}
    by_text: dict[str, list[StoredTask]] = {}
    for old in stored.tasks:
        by_text.setdefault(old.text, []).append(old)
    for i, new in enumerate(parsed.tasks):
        same = [t for t in by_text.get(new.text, ()) if t.id in free]
        if same:
            pick = next((t for t in same if t.code == new.code), same[0])
            matched[i] = free.pop(pick.id)
    for i, new in enumerate(parsed.tasks):
        if i in matched or not free:
            continue
        scored = [(_similarity(new.text, t.text), t.code == new.code, t.id) for t in free.values()]
        score, _, best = max(scored)
        if score >= SIMILAR:
            matched[i] = free.pop(best)
    by_code = {t.code: t for t in free.values()}
    for i, new in enumerate(parsed.tasks):
        if i not in matched and new.code in by_code and by_code[new.code].id in free:
            matched[i] = free.pop(by_code[new.code].id)
    return matched


def plan_import(
    parsed: ParsedNotice,
    stored: Stored,
    standard: Directory,
    *,
    home: str | None = None,
    choices: Mapping[str, tuple[int, ...] | None] | None = None,
) -> ImportPlan:
    """The plan Lưu will apply: see the module's docstring for the rules. ``home`` is the
    office's province: a group of agencies is expanded only for a notice issued there.
    ``choices``, for this notice only: group -> agency ids picked, or None to skip it."""
    planner = _Planner(parsed, stored, standard, home, choices)
    matched = _match(parsed, stored)
    tasks = [planner.task(t, matched.get(i)) for i, t in enumerate(parsed.tasks)]
    used = {t.id for t in matched.values()}
    tasks += [planner.removed(t) for t in stored.tasks if t.id not in used and not t.cancelled]
    meta = parsed.document
    meta_tuple = (meta.title, meta.issuer, meta.signer, meta.signer_title, meta.place)
    notice = PlannedNotice(
        number=notice_number(parsed),
        issued_on=meta.date,
        title=meta.title,
        issuer=meta.issuer,
        signer=meta.signer,
        signer_title=meta.signer_title,
        place=meta.place,
        notice_id=stored.notice_id,
        changed=stored.notice_id is None or tuple(stored.notice_meta) != meta_tuple,
    )
    problems = tuple(parsed.problems) + tuple(p for t in parsed.tasks for p in t.problems)
    return ImportPlan(
        notice=notice,
        agencies=tuple(planner.agencies.values()),
        groups=tuple(planner.groups.values()),
        tasks=tuple(tasks),
        base=stored.fingerprint(),
        problems=problems,
    )
