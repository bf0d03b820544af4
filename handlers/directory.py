"""/donvi: the office's agency directory in chat.

`/donvi [trang]` lists the agencies (canonical name, short name, live tasks, 💬 when a chat
is bound); `/donvi nhom` the groups and their members; `/donvi nhom Tên nhóm: A; B; C`
defines a group; `/donvi doiten A | B` renames (the old name stays an alias), `/donvi gop
A | B` merges A into B keeping history, `/donvi bidanh A | tên khác` adds an alias.
"""

from __future__ import annotations

from telegram import Update

from bot.domain.permissions import Action
from bot.messaging.directory_presenter import agencies_page, edit_answer, groups_text
from bot.services.agencies import AgencyMatch
from bot.services.directory import Merged, Refused, Renamed
from handlers.base import BotContext, reply, texts, who
from handlers.guards import allowed

_PAIRS = {
    "doiten": ("directory.rename_usage", "directory.renamed"),
    "rename": ("directory.rename_usage", "directory.renamed"),
    "gop": ("directory.merge_usage", "directory.merged"),
    "merge": ("directory.merge_usage", "directory.merged"),
    "bidanh": ("directory.alias_usage", "directory.alias_added"),
    "alias": ("directory.alias_usage", "directory.alias_added"),
}


async def directory_command(update: Update, context: BotContext) -> None:
    t = texts(update, context)
    person = await who(update, context)
    if not await allowed(update, context, person, Action.MANAGE_AGENCIES):
        return
    message = update.effective_message
    assert message is not None
    raw = (message.text or "").split(maxsplit=1)
    rest = raw[1].strip() if len(raw) > 1 else ""
    verb, _, args = rest.partition(" ")
    verb = verb.lower()
    directory = context.services.directory
    if not rest or rest.isdigit():
        rows = await directory.agencies()
        groups = await directory.groups()
        await reply(update, agencies_page(t, rows, len(groups), int(rest or 1)))
        return
    if verb in ("nhom", "nhóm", "groups", "group"):
        if not args.strip():
            await reply(update, groups_text(t, await directory.groups()))
            return
        name, colon, members = args.partition(":")
        if not colon:
            await reply(update, t.t("directory.group_usage"))
            return
        saved = await directory.save_group(person, name, members.split(";"))
        await reply(update, edit_answer(t, name, saved, ""))
        return
    if verb not in _PAIRS:
        await reply(update, t.t("directory.help"))
        return
    usage, done = _PAIRS[verb]
    first, bar, second = args.partition("|")
    if not bar or not first.strip() or not second.strip():
        await reply(update, t.t(usage))
        return
    first, second = first.strip(), second.strip()
    outcome: Renamed | Merged | Refused | AgencyMatch
    if verb in ("doiten", "rename"):
        outcome = await directory.rename(person, first, second)
    elif verb in ("gop", "merge"):
        outcome = await directory.merge(person, first, second)
    else:
        outcome = await directory.add_alias(person, first, second)
    command = f"/donvi {verb} {first} | {second}"
    await reply(update, edit_answer(t, command, outcome, done))
