"""Finding an agency from what an admin types (`/moi Sở Tài chính`, `/moi stc`).

Agencies are named, never numbered: `#15` (or `15`) is task 15 everywhere, so a number
matches no agency; several matches come back as candidates for the person to tap."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.agency_names import agency_key
from bot.domain.close_names import close_matches
from bot.domain.text import fold as fold_for_match
from bot.services.context import ServiceContext
from storage.models import Agency
from storage.repositories import agencies as agency_repo
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class AgencyRef:
    id: int
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class AgencyMatch:
    """One agency, or the candidates when the query is ambiguous (empty: none found)."""

    agency: AgencyRef | None
    candidates: tuple[AgencyRef, ...] = ()
    total: int = 0  # how many matched, when more than the candidates listed
    query: str = ""  # what was typed (of two names, the one that matched no agency)


def ref(agency: Agency) -> AgencyRef:
    assert agency.id is not None
    return AgencyRef(id=agency.id, name=agency.name, kind=agency.kind)


class AgencyService:
    """Agency lookups for handlers, which never hold a database session themselves."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def find(self, query: str) -> AgencyMatch:
        async with self._ctx.uow() as uow:
            return await find_agency(uow, query)

    async def get(self, agency_id: int) -> AgencyRef | None:
        """An active agency by id: for a button that carries it (picked from candidates)."""
        async with self._ctx.uow() as uow:
            agency = await agency_repo.get(uow, agency_id=agency_id)
        return ref(agency) if agency is not None and agency.active else None


async def find_agency(uow: UnitOfWork, query: str, *, close_only: bool = False) -> AgencyMatch:
    """Exact name/alias key, then every word of the query inside a name. A number is a
    task's code, not an agency: it matches nothing. `close_only` (the directory's edits):
    when no one agency is found, the candidates are only the agencies whose names are close
    to the query (bot/domain/close_names.py), never those that merely contain its letters."""
    query = query.strip()
    if not query or query.lstrip("#").isdigit():
        return AgencyMatch(None, query=query)
    exact = await agency_repo.by_key(uow, key=agency_key(query))
    if exact is not None and exact.active:
        return AgencyMatch(ref(exact), query=query)
    everything = await agency_repo.all_active(uow)
    alias_names: dict[int, list[str]] = {}
    for alias in await agency_repo.aliases(uow):
        alias_names.setdefault(alias.agency_id, []).append(alias.alias)

    def names(agency: Agency) -> list[str]:
        return [agency.name, agency.short_name or "", *alias_names.get(agency.id or 0, [])]

    found = _containing(everything, names, query, fold_for_match)
    if len(found) > 1:
        # Folding makes "Tài" (finance) and "tải" (transport) alike; when the query was typed
        # with its marks, they decide: "Sở Tài" is Sở Tài chính, not Sở Giao thông vận tải.
        marked = _containing(found, names, query, _lower_nfc)
        found = marked if len(marked) == 1 else found
    if len(found) == 1:
        return AgencyMatch(ref(found[0]), query=query)
    if close_only:
        found = close_matches(query, ((a, names(a)) for a in everything))
    return AgencyMatch(None, tuple(ref(a) for a in found[:10]), total=len(found), query=query)


def _lower_nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def _containing(
    agencies: list[Agency],
    names: Callable[[Agency], list[str]],
    query: str,
    normalise: Callable[[str], str],
) -> list[Agency]:
    """Agencies one of whose names contains every word of the query, both normalised alike."""
    words = normalise(query).split()
    return [
        agency
        for agency in agencies
        if any(all(word in normalise(name) for word in words) for name in names(agency))
    ]


async def list_agencies(uow: UnitOfWork) -> list[AgencyRef]:
    """Every active agency, by id (the sandbox's cast list, admin listings)."""
    return [ref(a) for a in sorted(await agency_repo.all_active(uow), key=lambda a: a.id or 0)]
