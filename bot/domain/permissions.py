"""Who may do what, where: the one place permissions are decided.

Handlers resolve the actor and the chat, then ask `decide`. Keeping the rule pure means
the whole command × role × chat table can be checked without Telegram or a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Action(StrEnum):
    IMPORT = "import"
    ASSIGN = "assign"
    EDIT_TASK = "edit_task"
    INVITE = "invite"
    BIND_OFFICE = "bind_office"
    MANAGE_BINDINGS = "manage_bindings"
    VIEW_ALL = "view_all"
    CONFIRM = "confirm"
    DECIDE_EXTENSION = "decide_extension"
    REMIND_NOW = "remind_now"
    EXPORT = "export"
    VIEW_AGENCY = "view_agency"
    REPORT = "report"
    PAUSE = "pause"
    REGISTER = "register"  # redeem an invite code: anyone who has one
    HELP = "help"  # read the help: anyone
    # The web app (web/): opening a session, by the one-time link (/web) or the Mini App. Its
    # pages use the actions above (VIEW_ALL: overview, agencies, notices; VIEW_AGENCY: an
    # agency's page and a task's; EXPORT: the downloads; REPORT: the form); web/routes.py maps
    # each route to one of them. Anyone the bot knows: an admin or a member of an agency.
    WEB_SIGN_IN = "web_sign_in"
    # The agency directory (/donvi): list, rename, merge, aliases, groups of agencies.
    MANAGE_AGENCIES = "manage_agencies"


ADMIN_ONLY = frozenset(
    {
        Action.IMPORT,
        Action.ASSIGN,
        Action.EDIT_TASK,
        Action.INVITE,
        Action.BIND_OFFICE,
        Action.MANAGE_BINDINGS,
        Action.VIEW_ALL,
        Action.CONFIRM,
        Action.DECIDE_EXTENSION,
        Action.REMIND_NOW,
        Action.EXPORT,
        Action.MANAGE_AGENCIES,
    }
)
AGENCY_ACTIONS = frozenset({Action.VIEW_AGENCY, Action.REPORT, Action.PAUSE})
PUBLIC = frozenset({Action.REGISTER, Action.HELP})
# Done only in a private chat: the sign-in link is the person's alone (handlers/web_login.py
# refuses to post it in a group).
PRIVATE_ONLY = frozenset({Action.WEB_SIGN_IN})


class Denial(StrEnum):
    STRANGER = "stranger"
    ADMIN_ONLY = "admin_only"
    OTHER_AGENCY = "other_agency"
    WRONG_CHAT = "wrong_chat"


@dataclass(frozen=True, slots=True)
class Actor:
    """A Telegram user as the bot knows them: admin, and/or member of some agencies."""

    user_id: int
    name: str = ""
    is_admin: bool = False
    agencies: Mapping[int, str] = field(default_factory=dict)  # agency id -> focal_point|deputy

    @property
    def is_stranger(self) -> bool:
        return not self.is_admin and not self.agencies


@dataclass(frozen=True, slots=True)
class ChatScope:
    """Where a message came from: a private chat, an agency's chat or topic, the office."""

    chat_id: int
    chat_type: str
    thread_id: int = 0
    agency_id: int | None = None
    agency_name: str | None = None
    is_office: bool = False

    @property
    def is_private(self) -> bool:
        return self.chat_type == "private"

    @property
    def is_bound(self) -> bool:
        return self.is_office or self.agency_id is not None


def web_scope(user_id: int) -> ChatScope:
    """Where a web request comes from: the person alone, like their private chat with the bot
    (no agency bound to it), so each page names the agency it is about and `decide` checks it
    against the person's agencies."""
    return ChatScope(chat_id=user_id, chat_type="private")


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    denial: Denial | None = None


ALLOW = Decision(True)


def decide(
    actor: Actor, action: Action, scope: ChatScope, *, agency_id: int | None = None
) -> Decision:
    """Allow or deny `action` by `actor` in `scope`, on `agency_id`'s task when given.

    Admins may do everything everywhere. A focal point or deputy acts only for agencies
    bound to them, and in a chat bound to another agency only for that chat's agency
    (so a task of agency A is never shown in agency B's group).
    """
    if actor.is_admin or action in PUBLIC:
        return ALLOW
    if action in ADMIN_ONLY:
        return Decision(False, Denial.STRANGER if actor.is_stranger else Denial.ADMIN_ONLY)
    if actor.is_stranger:
        return Decision(False, Denial.STRANGER)
    target = agency_id if agency_id is not None else scope.agency_id
    if target is None:
        # A private chat or the office group with no agency named: the actor's own agencies.
        return ALLOW if scope.is_private or scope.is_office else Decision(False, Denial.WRONG_CHAT)
    if target not in actor.agencies:
        return Decision(False, Denial.OTHER_AGENCY)
    if scope.agency_id is not None and scope.agency_id != target:
        return Decision(False, Denial.WRONG_CHAT)
    return ALLOW


# --- what menus and help offer ---------------------------------------------------------------


class Place(StrEnum):
    """Whose work a chat is for: the office's (its group, an admin's private chat), an
    agency's (its group or topic, a focal point's private chat), or nobody's yet."""

    OFFICE = "office"
    AGENCY = "agency"
    UNBOUND = "unbound"  # a stranger's private chat, a group bound to nothing


def places(actor: Actor, scope: ChatScope) -> frozenset[Place]:
    """The kinds of work `scope` is for, for `actor`. A chat bound to an agency is that
    agency's, whoever writes there (an admin too): an agency group never shows the office's
    work. A private chat is the office's for an admin and an agency's for a member (both
    for an admin who is also a focal point)."""
    if scope.agency_id is not None:
        return frozenset({Place.AGENCY})
    if scope.is_office:
        return frozenset({Place.OFFICE})
    if not scope.is_private:
        return frozenset({Place.UNBOUND})
    found = set()
    if actor.is_admin:
        found.add(Place.OFFICE)
    if actor.agencies:
        found.add(Place.AGENCY)
    return frozenset(found or {Place.UNBOUND})


# Where each action belongs: the office's actions in the office's places, an agency's in its
# places; registering where nothing is bound yet; help everywhere; the web app's sign-in link
# for admins and members, in their private chat only (PRIVATE_ONLY). Binding the office chat
# is done in a group (the office group, or a new one: there a stranger's menu is shown).
OFFERED_IN: Mapping[Action, frozenset[Place]] = {
    **{action: frozenset({Place.OFFICE}) for action in ADMIN_ONLY},
    **{action: frozenset({Place.AGENCY}) for action in AGENCY_ACTIONS},
    Action.REGISTER: frozenset({Place.UNBOUND}),
    Action.HELP: frozenset(Place),
    Action.WEB_SIGN_IN: frozenset({Place.OFFICE, Place.AGENCY}),
}


def offered(actor: Actor, action: Action, scope: ChatScope) -> bool:
    """Whether menus and help offer `action` to `actor` in `scope`: the rule allows it there
    (`decide`) and it is the work that chat is for (`places`). Offering less than is allowed
    keeps a phone's menu short; offering what is refused would never happen."""
    if action is Action.BIND_OFFICE and scope.is_private:
        return False  # the office chat is a group
    if action in PRIVATE_ONLY and not scope.is_private:
        return False
    return bool(OFFERED_IN[action] & places(actor, scope)) and decide(actor, action, scope).allowed
