"""The agency directory's rules: one canonical agency (or a named group) for a name as written.

A notice names the same department "Giám đốc Sở Y tế", "Sở Y tế" or "SYT", a district "UBND
huyện Can Lộc" or "Chủ tịch UBND huyện Can Lộc", and addresses collectives ("Thủ trưởng các
sở, ban, ngành tỉnh", "UBND các huyện, thành phố, thị xã") that are groups, not agencies.
``Directory.resolve`` answers which one is meant, from the entries it is given (the standard
provincial structure shipped in bot/data/agencies.json plus the office's own); it never invents
an agency: a name it cannot place comes back as ``unknown`` with a clean display name.

Pure and standard-library only; the data is passed in (``Directory.from_data``), dates too.
Choices:
- the title of an agency's head is folded away ("Giám đốc", "Thủ trưởng", "Chủ tịch",
  "Chỉ huy trưởng", "Chánh Văn phòng"...): a task given to the director is the department's;
- "UBND huyện X" == "Huyện X" (and for xã, phường, đặc khu...), as ``agency_key`` already does;
- a trailing "liên quan" / "cấp tỉnh" / "có liên quan" is dropped, so "các sở, ban, ngành liên
  quan" is the group "Các sở, ban, ngành"; any other qualifier ("các xã ven biển") keeps the
  name unknown: the office decides who that is, the bot does not guess;
- an agency that ceased to exist keeps its name (a 2019 notice speaks of Sở Kế hoạch và Đầu
  tư); ``Resolution.current`` names its successor on the date asked, following the chain.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from bot.domain.agency_names import agency_key, split_agency_list
from bot.domain.text import capitalize_first, clean, fold, fold_spaces

__all__ = [
    "DIRECTORY_KINDS",
    "Agency",
    "Directory",
    "Group",
    "Resolution",
    "fold_titles",
    "name_key",
]

DIRECTORY_KINDS = (
    "so",
    "nganh",
    "van_phong",
    "huyen",
    "xa",
    "doan_the",
    "doanh_nghiep",
    "do_dau",
    "khac",
)

ResolutionKind = Literal["agency", "group", "list", "unknown"]


@dataclass(frozen=True, slots=True)
class Agency:
    """One agency: its canonical name, kind, short name, other names and lifetime."""

    name: str
    kind: str
    short: str | None = None
    aliases: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None  # last day under this name
    successor: str | None = None  # who holds its tasks after ``until``

    def active_on(self, day: date | None) -> bool:
        if day is None:
            return True
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )


@dataclass(frozen=True, slots=True)
class Group:
    """A named set of agencies: by kind ("every sở"), or listed member by member."""

    name: str
    member_kinds: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # when given, exactly these (canonical names)
    exclude: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a written name means: an agency, a group, a list of names, or unknown."""

    kind: ResolutionKind
    name: str  # canonical name; for "unknown" the written name without titles or "UBND"
    written: str
    members: tuple[Resolution, ...] = ()  # for "list": one resolution per name
    current: str | None = None  # for an agency that ceased: its successor on the date asked

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical names this resolves to (a list's members, in order)."""
        if self.kind == "list":
            return tuple(n for m in self.members for n in m.names)
        return (self.name,)


# --- normal forms -----------------------------------------------------------------------------

_TITLES = (
    r"(?:phó\s+)?giám\s+đốc",
    r"tổng\s+giám\s+đốc",
    r"(?:phó\s+)?thủ\s+trưởng",
    r"(?:phó\s+)?chủ\s+tịch",
    r"chỉ\s+huy\s+trưởng",
    r"chánh(?=\s+(?:văn\s+phòng|thanh\s+tra))",
    r"trưởng(?=\s+(?:ban|các|đoàn|phòng)\b)",
    r"bí\s+thư",
    r"người\s+đứng\s+đầu",
    r"lãnh\s+đạo",
)
_TITLE = re.compile(
    r"(^|[,;]\s*|\bvà\s+)(?:(?:các\s+)?đồng\s+chí\s+)?(?:" + "|".join(_TITLES) + r")\s+(?=\S)",
    re.IGNORECASE,
)
_UNITS = r"huyện|quận|thị\s+xã|thành\s+phố|thị\s+trấn|xã|phường|đặc\s+khu"
_COMMITTEE = re.compile(
    r"(^|[,;]\s*|\bvà\s+)(?:ubnd|ủy\s+ban\s+nhân\s+dân|uỷ\s+ban\s+nhân\s+dân)\s+(?=(?:các\s+|cấp\s+)?(?:"
    + _UNITS
    + r")\b)",
    re.IGNORECASE,
)
_QUALIFIERS = re.compile(
    r"\s+(?:có\s+liên\s+quan|liên\s+quan|cấp\s+tỉnh|trên\s+địa\s+bàn(?:\s+tỉnh)?)\s*$",
    re.IGNORECASE,
)
_TRAILING_CITY = re.compile(
    r"^(?:sở|ban|văn phòng|thanh tra|công an|bộ chỉ huy|đài)\b.+ thành phố$"
)


def fold_titles(name: str) -> str:
    """The name without its head's title or "UBND" before a unit, spaces folded.

    "Chủ tịch UBND huyện Can Lộc" -> "huyện Can Lộc"; "Giám đốc các sở, Thủ trưởng các ban,
    ngành" -> "các sở, các ban, ngành".
    """
    text = fold_spaces(clean(name or "")).strip(" .;:,-–")
    for _ in range(3):  # titles can stack: "Chánh Văn phòng, Giám đốc ..."
        text = _TITLE.sub(r"\1", text)
        text = _COMMITTEE.sub(r"\1", text)
    return text.strip()


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """The key two spellings of one name share: titles, "UBND", "các", case and tones ignored."""
    text = _QUALIFIERS.sub("", fold_titles(name))
    key = agency_key(text)
    key = re.sub(r"^ủy ban nhân dân (?=(?:cấp )?(?:" + _UNITS + r")\b)", "", key)
    key = " ".join(w for w in key.split() if w != "các")
    if _TRAILING_CITY.match(key) and len(key.split()) > 3:
        key = key[: -len(" thành phố")]
    return key


@lru_cache(maxsize=2048)
def _list_keys(name: str) -> frozenset[str]:
    """Keys of a comma list in every order ("các huyện, thành phố, thị xã" in any order)."""
    parts = [p for p in re.split(r"\s*,\s*", fold_titles(name)) if p]
    if not 1 < len(parts) <= 5:
        return frozenset({name_key(name)})
    return frozenset(name_key(", ".join(order)) for order in itertools.permutations(parts))


def _loose_key(key: str) -> str:
    """A group key without tones: notices typed without them ("UBND cac huyen, thi xa")
    lose the "Ủy ban nhân dân" and "các" that ``name_key`` strips only when spelled."""
    words = fold(key).split()
    if words[:4] == ["uy", "ban", "nhan", "dan"]:
        words = words[4:]
    return " ".join(w for w in words if w != "cac")


# --- the directory ----------------------------------------------------------------------------

_MEMBER_LIST = re.compile(
    r"^(?P<pre>.*?)\bcác\s+(?P<kind>" + _UNITS + r"|sở|bộ|ban)\s*:\s*(?P<names>.+)$",
    re.IGNORECASE,
)


@dataclass
class Directory:
    """Agencies and groups with the index that finds them by any of their names."""

    agencies: tuple[Agency, ...] = ()
    groups: tuple[Group, ...] = ()
    _agency_index: dict[str, Agency] = field(default_factory=dict, init=False, repr=False)
    _group_index: dict[str, Group] = field(default_factory=dict, init=False, repr=False)
    # Without tones: None where two groups would share the key (tones are then needed).
    _loose_index: dict[str, Group | None] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for agency in self.agencies:
            for written in (agency.name, agency.short, *agency.aliases):
                if written:
                    self._agency_index.setdefault(name_key(written), agency)
        for group in self.groups:
            for written in (group.name, *group.aliases):
                for key in _list_keys(written):
                    if self._group_index.setdefault(key, group) is not group:
                        continue  # an earlier group (the office's) holds this name
                    loose = _loose_key(key)
                    if self._loose_index.setdefault(loose, group) not in (group, None):
                        self._loose_index[loose] = None

    # -- construction --

    @classmethod
    def from_data(
        cls,
        data: Mapping[str, Any],
        *,
        examples: Iterable[str] = (),
        extra_agencies: Iterable[Agency] = (),
        extra_groups: Iterable[Group] = (),
    ) -> Directory:
        """Build from bot/data/agencies.json's structure; ``examples`` adds a province's
        example group (its members, and the group taking precedence over the standard one)."""
        agencies = [*extra_agencies, *(_agency(a) for a in data.get("agencies", ()))]
        groups = [*extra_groups]
        for example in data.get("examples", ()):
            if example.get("province") in set(examples):
                members = [_agency(m) for m in example.get("members", ())]
                agencies.extend(members)
                standard: dict[str, Any] = next(
                    (g for g in data.get("groups", ()) if g["name"] == example["group"]), {}
                )
                groups.append(
                    Group(
                        example["group"],
                        members=tuple(m.name for m in members),
                        aliases=tuple(standard.get("aliases", ())),
                        since=_date(standard.get("since")),
                        until=_date(standard.get("until")),
                    )
                )
        groups.extend(_group(g) for g in data.get("groups", ()))
        return cls(tuple(agencies), tuple(groups))

    # -- queries --

    def agency(self, name: str) -> Agency | None:
        return self._agency_index.get(name_key(name))

    def knows(self, name: str) -> Literal["agency", "group"] | None:
        """Whether ``name`` is, as written, one agency or one group of the directory (cheap:
        one key, no list splitting; the notice reader calls it to find where a name ends)."""
        key = name_key(name)
        if key in self._agency_index:
            return "agency"
        return "group" if key in self._group_index else None

    def group(self, name: str) -> Group | None:
        keys = _list_keys(name)
        return (
            self._group_index.get(name_key(name))
            or next((self._group_index[k] for k in keys if k in self._group_index), None)
            or next((g for k in keys if (g := self._loose_index.get(_loose_key(k)))), None)
        )

    def resolve(self, name: str, *, on: date | None = None) -> Resolution:
        """Which agency, group or list of agencies ``name`` means (on the date ``on``)."""
        written = fold_spaces(clean(name or ""))
        found = self._resolve_one(written, on)
        if found.kind != "unknown":
            return found
        members = _MEMBER_LIST.match(fold_titles(written))
        if members:
            return self._member_list(written, members, on)
        parts = split_agency_list(written)
        if len(parts) > 1:
            return Resolution(
                "list", written, written, tuple(self._resolve_one(p, on) for p in parts)
            )
        return found

    def current_name(self, name: str, on: date) -> str | None:
        """The agency holding ``name``'s tasks on ``on`` (itself, or its successor's successor)."""
        agency = self.agency(name)
        seen: set[str] = set()
        while agency is not None and not agency.active_on(on) and agency.successor:
            if agency.name in seen:  # a cycle in the office's data: stop rather than loop
                break
            seen.add(agency.name)
            agency = self.agency(agency.successor) or agency
        return agency.name if agency is not None else None

    def members(self, group_name: str, *, on: date | None = None) -> tuple[str, ...] | None:
        """The canonical names of a group's members on ``on``; None for a group not known.

        A group is never expanded to "whatever exists": a kind-based group lists the agencies of
        that kind in the directory, an explicit group exactly its members.
        """
        group = self.group(group_name)
        if group is None:
            return None
        if group.members:
            names = [a.name if (a := self.agency(m)) else m for m in group.members]
            return tuple(n for n in names if (a := self.agency(n)) is None or a.active_on(on))
        excluded = {name_key(e) for e in group.exclude}
        return tuple(
            a.name
            for a in self.agencies
            if a.kind in group.member_kinds and a.active_on(on) and name_key(a.name) not in excluded
        )

    # -- helpers --

    def _resolve_one(self, written: str, on: date | None) -> Resolution:
        agency = self.agency(written)
        if agency is not None:
            current = self.current_name(agency.name, on) if on is not None else None
            return Resolution(
                "agency", agency.name, written, current=current if current != agency.name else None
            )
        group = self.group(written)
        if group is not None:
            return Resolution("group", group.name, written)
        return Resolution("unknown", display_name(written), written)

    def _member_list(self, written: str, match: re.Match[str], on: date | None) -> Resolution:
        kind = fold_spaces(match.group("kind")).lower()
        label = {"sở": "Sở", "bộ": "Bộ", "ban": "Ban"}.get(kind, capitalize_first(kind))
        names = re.split(r"\s*[,;]\s*|\s+và\s+", match.group("names").strip(" .;"))
        members = []
        for raw in (n.strip() for n in names):
            if raw:
                members.append(self._resolve_one(f"{label} {raw}", on))
        return Resolution("list", written, written, tuple(members))


def display_name(written: str) -> str:
    """A written name fit to show: titles and "UBND" before a unit removed, capitalised."""
    return capitalize_first(_QUALIFIERS.sub("", fold_titles(written)))


def _date(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


def _agency(raw: Mapping[str, Any]) -> Agency:
    return Agency(
        name=raw["name"],
        kind=raw.get("kind", "khac"),
        short=raw.get("short"),
        aliases=tuple(raw.get("aliases", ())),
        since=_date(raw.get("since")),
        until=_date(raw.get("until")),
        successor=raw.get("successor"),
    )


def _group(raw: Mapping[str, Any]) -> Group:
    return Group(
        name=raw["name"],
        member_kinds=tuple(raw.get("member_kinds", ())),
        members=tuple(raw.get("members", ())),
        exclude=tuple(raw.get("exclude", ())),
        aliases=tuple(raw.get("aliases", ())),
        since=_date(raw.get("since")),
        until=_date(raw.get("until")),
    )
