"""/donvi's messages: the directory's agencies a page at a time, its groups, the answers to
an edit. Each fits one phone screen (bot/messaging/layout.py)."""

from __future__ import annotations

from bot.messaging.format import shorten
from bot.messaging.presenters import agency_not_matched
from bot.messaging.texts import Raw, Texts
from bot.services.agencies import AgencyMatch
from bot.services.directory import AgencyRow, GroupRow, GroupSaved, Merged, Refused, Renamed

AGENCIES_PER_PAGE = 9
GROUPS_SHOWN = 6


def agencies_page(t: Texts, rows: list[AgencyRow], groups: int, page: int) -> str:
    pages = max(1, -(-len(rows) // AGENCIES_PER_PAGE))
    page = min(max(page, 1), pages)
    lines = [
        t.t(
            "directory.line",
            name=shorten(a.name, 30),
            short="",
            tasks=a.tasks,
            chat=Raw(t.t("directory.line_chat") if a.chats else ""),
        )
        for a in rows[(page - 1) * AGENCIES_PER_PAGE : page * AGENCIES_PER_PAGE]
    ]
    text = t.t(
        "directory.list",
        n=len(rows),
        groups=groups,
        page=page,
        pages=pages,
        lines=Raw("\n".join(lines)),
    )
    return text + "\n" + t.t("directory.list_hint")


def whole_names(names: tuple[str, ...], limit: int) -> str:
    """As many whole names as fit in `limit` characters, then "… +N" for the others: a list
    cut inside a name ("…, Huyện…") reads as a wrong name on a phone."""
    shown: list[str] = []
    for name in names:
        if shown and len(", ".join([*shown, name])) > limit:
            break
        shown.append(shorten(name, limit))
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f" … +{rest}" if rest else "")


def groups_text(t: Texts, groups: list[GroupRow]) -> str:
    if not groups:
        return t.t("directory.no_groups")
    lines = [
        t.t(
            "directory.group_line",
            name=shorten(g.name, 40),
            n=len(g.members),
            members=whole_names(g.members, 90),
        )
        for g in groups[:GROUPS_SHOWN]
    ]
    if len(groups) > GROUPS_SHOWN:
        lines.append(f"… +{len(groups) - GROUPS_SHOWN}")
    return t.t("directory.groups", n=len(groups), lines=Raw("\n".join(lines)))


def edit_answer(
    t: Texts, query: str, outcome: Renamed | Merged | GroupSaved | Refused | AgencyMatch, key: str
) -> str:
    """The answer to /donvi doiten|bidanh|gop|nhom: what changed, or why nothing did."""
    if isinstance(outcome, Refused):
        return t.t(outcome.key, **outcome.values)
    if isinstance(outcome, AgencyMatch):
        return agency_not_matched(t, query, outcome)
    if isinstance(outcome, Merged):
        return t.t(
            "directory.merged", source=outcome.source, target=outcome.target, moved=outcome.moved
        )
    if isinstance(outcome, GroupSaved):
        created = (
            t.t("import.group_created", names=shorten(", ".join(outcome.created), 200))
            if outcome.created
            else ""
        )
        text = t.t("import.group_saved", name=outcome.name, n=len(outcome.members), created=created)
        return text + "\n" + shorten(", ".join(outcome.members), 600)
    return t.t(key, old=outcome.old, new=outcome.new)
