"""/donvi's messages: the directory's agencies a page at a time, its groups, the answers to
an edit. Each fits one phone screen (bot/messaging/layout.py)."""

from __future__ import annotations

from html import escape as html_escape

from bot.messaging.format import shorten
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


def directory_not_matched(t: Texts, match: AgencyMatch, command: str = "") -> str:
    """A name in a directory edit that named no agency: said alone, with the close names
    it may have meant, if any (review I3), and the command again with the closest one."""
    query = match.query
    if not match.candidates:
        return t.t("bind.agency_not_found", query=query)
    names = "\n".join(f"• {c.name}" for c in match.candidates[:6])
    text = t.t("directory.did_you_mean", query=query, candidates=Raw(html_escape(names)))
    if command and query and query in command:
        example = command.replace(query, match.candidates[0].name, 1)
        text += "\n" + t.t("bind.agency_example", example=example)
    return text


def edit_answer(
    t: Texts, command: str, outcome: Renamed | Merged | GroupSaved | Refused | AgencyMatch, key: str
) -> str:
    """The answer to /donvi doiten|bidanh|gop|nhom: what changed, or why nothing did."""
    if isinstance(outcome, Refused):
        return t.t(outcome.key, **outcome.values)
    if isinstance(outcome, AgencyMatch):
        return directory_not_matched(t, outcome, command)
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
