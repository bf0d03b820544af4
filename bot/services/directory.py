"""The office's agency directory: its agencies (one canonical name each, with short names and
aliases) and its groups (named sets of agencies), edited in chat (/donvi) and from the
command line (`dondoc agencies`).

Names are resolved as an import resolves them (bot.domain.import_planner): "Sở TN&MT" is Sở
Tài nguyên và Môi trường, "UBND huyện Can Lộc" is Huyện Can Lộc. A group is never an agency:
it has members, no chat and no row in the roll-up. Renaming keeps the old name as an alias;
merging moves one agency's assignments, people and chats to the other and keeps the merged
one as an inactive row, so its history still reads under its own name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.agency_data import load_standard_data, standard_directory
from bot.domain.agency_directory import Directory, name_key
from bot.domain.agency_names import agency_key
from bot.domain.import_planner import Stored, effective_directory, group_name, resolve_agencies
from bot.domain.permissions import Action
from bot.services.access import Who
from bot.services.agencies import AgencyMatch, find_agency
from bot.services.context import ServiceContext
from bot.services.import_apply import new_agency, read_agencies, read_groups
from storage.repositories import agencies as agency_repo
from storage.repositories import directory as directory_repo
from storage.unit_of_work import UnitOfWork

KINDS = ("so", "nganh", "van_phong", "huyen", "xa", "doan_the", "doanh_nghiep", "do_dau", "khac")


@dataclass(frozen=True, slots=True)
class AgencyRow:
    id: int
    name: str
    kind: str
    short: str | None
    aliases: tuple[str, ...]
    tasks: int = 0  # live assignments
    chats: int = 0  # bound chats


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: int
    name: str
    members: tuple[str, ...]
    province: str | None = None


@dataclass(frozen=True, slots=True)
class GroupSaved:
    name: str
    members: tuple[str, ...]
    created: tuple[str, ...] = ()  # agencies created for it (new canonical names)


@dataclass(frozen=True, slots=True)
class Renamed:
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Merged:
    source: str
    target: str
    moved: int


@dataclass(frozen=True, slots=True)
class Refused:
    """Why nothing changed: a message key and its values."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Loaded:
    agencies_created: list[str] = field(default_factory=list)
    agencies_updated: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)


class _Rejected(Exception):
    def __init__(self, refused: Refused) -> None:
        super().__init__(refused.key)
        self.refused = refused


class DirectoryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def agencies(self) -> list[AgencyRow]:
        async with self._ctx.uow() as uow:
            return await _agency_rows(uow)

    async def reader_directory(self) -> Directory:
        """The directory the notice reader bounds names with: the office's agencies and groups
        before the standard structure (the import plan resolves names the same way)."""
        async with self._ctx.uow() as uow:
            stored = await _stored(uow)
        return effective_directory(standard_directory(), stored)

    async def groups(self) -> list[GroupRow]:
        async with self._ctx.uow() as uow:
            return await _group_rows(uow)

    async def save_group(
        self, who: Who | None, name: str, members: list[str], *, province: str | None = None
    ) -> GroupSaved | Refused:
        """Define (or redefine) a group by its members' names, one agency each; an agency not
        yet known is created under its canonical name."""
        if who is not None and not who.may(Action.MANAGE_AGENCIES).allowed:
            return Refused("directory.not_allowed")
        names = [m.strip(" .;,-–") for m in members if m.strip(" .;,-–")]
        if not name.strip() or not names:
            return Refused("directory.group_usage")
        async with self._ctx.uow() as uow:
            return await _save_group(uow, name, names, province or self._ctx.settings.province)

    async def rename(
        self, who: Who | None, query: str, new_name: str
    ) -> Renamed | Refused | AgencyMatch:
        if who is not None and not who.may(Action.MANAGE_AGENCIES).allowed:
            return Refused("directory.not_allowed")
        new_name = " ".join(new_name.split())
        if not new_name:
            return Refused("directory.rename_usage")
        async with self._ctx.uow() as uow:
            match = await find_agency(uow, query, close_only=True)
            if match.agency is None:
                return match
            agency = await agency_repo.get(uow, agency_id=match.agency.id)
            assert agency is not None
            other = await agency_repo.by_key(uow, key=agency_key(new_name))
            if other is not None and other.id != agency.id:
                return Refused("directory.name_taken", {"name": other.name})
            old = agency.name
            await directory_repo.rename_agency(
                uow, agency=agency, name=new_name, key=agency_key(new_name)
            )
            return Renamed(old, new_name)

    async def merge(
        self, who: Who | None, source_query: str, target_query: str
    ) -> Merged | Refused | AgencyMatch:
        """Fold ``source`` into ``target`` (the one that keeps its name)."""
        if who is not None and not who.may(Action.MANAGE_AGENCIES).allowed:
            return Refused("directory.not_allowed")
        async with self._ctx.uow() as uow:
            source_match = await find_agency(uow, source_query, close_only=True)
            if source_match.agency is None:
                return source_match
            target_match = await find_agency(uow, target_query, close_only=True)
            if target_match.agency is None:
                return target_match
            if source_match.agency.id == target_match.agency.id:
                return Refused("directory.merge_same")
            source = await agency_repo.get(uow, agency_id=source_match.agency.id)
            target = await agency_repo.get(uow, agency_id=target_match.agency.id)
            assert source is not None and target is not None
            moved = await directory_repo.merge_agencies(uow, source=source, target=target)
            return Merged(source_match.agency.name, target.name, moved)

    async def add_alias(
        self, who: Who | None, query: str, alias: str
    ) -> Renamed | Refused | AgencyMatch:
        """Another way notices write the agency's name (`Sở TN&MT`)."""
        if who is not None and not who.may(Action.MANAGE_AGENCIES).allowed:
            return Refused("directory.not_allowed")
        alias = " ".join(alias.split())
        if not alias:
            return Refused("directory.alias_usage")
        async with self._ctx.uow() as uow:
            match = await find_agency(uow, query, close_only=True)
            if match.agency is None:
                return match
            other = await agency_repo.by_key(uow, key=agency_key(alias))
            if other is not None and other.id != match.agency.id:
                return Refused("directory.name_taken", {"name": other.name})
            if other is None:
                await agency_repo.add_alias(
                    uow, agency_id=match.agency.id, alias=alias, key=agency_key(alias)
                )
            return Renamed(match.agency.name, alias)

    async def export_rows(self) -> list[dict[str, str]]:
        """The directory as rows (`dondoc agencies export`): agencies, then groups."""
        async with self._ctx.uow() as uow:
            agencies = await _agency_rows(uow)
            groups = await _group_rows(uow)
        rows = [
            {
                "type": "agency",
                "name": a.name,
                "short": a.short or "",
                "kind": a.kind,
                "aliases": "; ".join(a.aliases),
                "members": "",
                "province": "",
            }
            for a in agencies
        ]
        rows += [
            {
                "type": "group",
                "name": g.name,
                "short": "",
                "kind": "",
                "aliases": "",
                "members": "; ".join(g.members),
                "province": g.province or "",
            }
            for g in groups
        ]
        return rows

    async def import_rows(self, rows: list[dict[str, str]]) -> Loaded | Refused:
        """Load rows as exported (all in one transaction): agencies first, then groups."""
        loaded = Loaded()
        try:
            return await self._import_rows(rows, loaded)
        except _Rejected as rejected:  # raised inside the transaction: it rolled back
            return rejected.refused

    async def _import_rows(self, rows: list[dict[str, str]], loaded: Loaded) -> Loaded:
        async with self._ctx.uow() as uow:
            for number, row in enumerate(rows, start=2):
                kind = (row.get("type") or "agency").strip().lower()
                name = " ".join((row.get("name") or "").split())
                if not name:
                    continue
                if kind == "group":
                    continue
                if kind != "agency":
                    raise _Rejected(Refused("directory.csv_type", {"line": number, "type": kind}))
                agency_kind = (row.get("kind") or "").strip() or None
                if agency_kind is not None and agency_kind not in KINDS:
                    raise _Rejected(
                        Refused("directory.csv_kind", {"line": number, "kind": agency_kind})
                    )
                await _load_agency(uow, loaded, name, row, agency_kind)
            for row in rows:
                if (row.get("type") or "").strip().lower() == "group":
                    members = [m for m in (row.get("members") or "").split(";") if m.strip()]
                    province = (row.get("province") or "").strip() or None
                    saved = await _save_group(uow, row.get("name") or "", members, province)
                    loaded.groups.append(saved.name)
                    loaded.agencies_created += list(saved.created)
        return loaded

    async def load_example(self, province: str) -> list[str]:
        """A province's example groups from the shipped data (the sandbox's districts)."""
        loaded: list[str] = []
        async with self._ctx.uow() as uow:
            for example in load_standard_data().get("examples", ()):
                if example.get("province") != province:
                    continue
                members = [m["name"] for m in example.get("members", ())]
                saved = await _save_group(uow, example["group"], members, province)
                loaded.append(saved.name)
        return loaded


async def _stored(uow: UnitOfWork) -> Stored:
    return Stored(await read_agencies(uow), await read_groups(uow))


async def _save_group(
    uow: UnitOfWork, written: str, names: list[str], province: str | None = None
) -> GroupSaved:
    standard = standard_directory()
    name = group_name(written, standard)
    created: list[str] = []
    ids: list[int] = []
    for planned in resolve_agencies(names, await _stored(uow), standard):
        if planned.agency_id is None:
            agency = await new_agency(
                uow, planned.name, planned.kind, planned.short, planned.written
            )
            created.append(planned.name)
            ids.append(agency.id or 0)
        else:
            ids.append(planned.agency_id)
    group = await directory_repo.save_group(
        uow, name=name, key=name_key(name), member_ids=ids, province=province
    )
    rows = {r.id: r.name for r in await _agency_rows(uow)}
    return GroupSaved(
        group.name, tuple(rows[i] for i in dict.fromkeys(ids) if i in rows), tuple(created)
    )


async def _load_agency(
    uow: UnitOfWork, loaded: Loaded, name: str, row: dict[str, str], kind: str | None
) -> None:
    aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
    short = (row.get("short") or "").strip() or None
    agency = await agency_repo.by_key(uow, key=agency_key(name))
    if agency is None:
        agency = await new_agency(uow, name, kind or "khac", short, tuple(aliases))
        loaded.agencies_created.append(name)
        return
    if kind:
        agency.kind = kind
    if short:
        agency.short_name = short
    for alias in aliases:
        if await agency_repo.by_key(uow, key=agency_key(alias)) is None:
            await agency_repo.add_alias(
                uow, agency_id=agency.id or 0, alias=alias, key=agency_key(alias)
            )
    loaded.agencies_updated.append(agency.name)


async def _agency_rows(uow: UnitOfWork) -> list[AgencyRow]:
    aliases = {a.id: a.aliases for a in await read_agencies(uow)}
    return [
        AgencyRow(a.id or 0, a.name, a.kind, a.short_name, aliases.get(a.id or 0, ()), tasks, chats)
        for a, tasks, chats in await directory_repo.agencies_with_counts(uow)
    ]


async def _group_rows(uow: UnitOfWork) -> list[GroupRow]:
    names = {a.id: a.name for a in await read_agencies(uow)}
    return [
        GroupRow(g.id or 0, g.name, tuple(names[i] for i in members if i in names), g.province)
        for g, members in await directory_repo.groups(uow)
    ]
