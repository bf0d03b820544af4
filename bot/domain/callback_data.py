"""Button payloads: `action:arg:arg`, at most 64 bytes, decoded without trusting them.

A payload only names what was pressed; what it may do is decided again against the
database at press time, so a forged payload can at worst be refused. `Act` names every
action; handlers/routes.py maps each to its handler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.bounds import MAX_ID

MAX_BYTES = 64
# fullmatch, not match with ^…$: `$` also matches before a trailing newline ("done\n").
_ACTION = re.compile(r"[a-z]{1,6}")
_ARG = re.compile(r"[A-Za-z0-9_-]{0,24}")


class Act(StrEnum):
    """What a button asks for (the first field of its callback data), or what a question the
    bot asked is about (pending_inputs.action). The values are on the wire: buttons already
    sent sit in chats for months and questions in the database, so a value never changes
    (tests/handlers/test_callback_wire.py holds them); a new action takes a new value."""

    # the task list and the card
    LIST = "list"  # list:<page>:<filter>  another page of /nhiemvu
    CARD = "card"  # card:<assignment>  open a task's card
    # progress, on cards, reminders and confirmations
    DONE = "done"  # done:<assignment>
    PROG = "prog"  # prog:<assignment>  choose a percentage…
    PCT = "pct"  # pct:<assignment>:<percent>
    BLOCK = "block"  # block:<assignment>; also the question "what blocks it?"
    EXT = "ext"  # ext:<assignment>; also the question "until when?"
    UNDO = "undo"  # undo:<progress update>
    UNDOALL = "undoa"  # undoa:<progress update>  every report that update's message recorded
    PICK = "pick"  # pick:<assignment>; also the question "which task?" (answered by buttons)
    # the office's decisions
    CONF = "conf"  # conf:<assignment>  confirm a completion
    RET = "ret"  # ret:<assignment>; also the question "why is it returned?"
    XOK = "xok"  # xok:<extension request>  approve
    XNO = "xno"  # xno:<extension request>  refuse
    # reminders, bindings, task editing, importing
    ACK = "ack"  # ack:<agency>:<notice>  tasks received
    UNBIND = "unbind"  # unbind:<binding>
    XCAN = "xcan"  # xcan:<assignment>  cancel the task, confirmed
    KEEP = "keep"  # keep:<assignment>  do not cancel it
    IMP = "imp"  # imp:s|c|v|a|g:<draft>[:<page>|<group>]  save, cancel, tasks, agencies, 👥
    IMPORT = "import"  # the question "paste the notice" (/nhapvanban): no button
    # phone-sized messages: what does not fit one screen, agencies picked by a tap
    FULL = "full"  # full:<assignment>  a card's whole text and history ("Xem thêm")
    OPEN = "open"  # open:<filter>  a task list as a new message (od: overdue), under a digest
    INV = "inv"  # inv:<agency>  an invite for the agency picked from /moi's choices
    REASG = "reasg"  # reasg:<assignment>:<agency>  /giaolai to the agency picked
    BPAGE = "bpage"  # bpage:<page>  another page of /ganket
    HELP = "help"  # help:<page>  another page of /trogiup
    UPAGE = "upage"  # upage:<page>  another page of /chuatiepnhan
    RBOK = "rbok"  # rbok:<binding event>  the office agrees to move a group to another agency
    RBNO = "rbno"  # rbno:<binding event>  the office keeps it with its agency
    RNOW = "rnow"  # rnow:<yyyymmdd>  /nhacngay on a day off: send that day's now (0: do not)
    # replies in words (issue 14)
    XFIX = "xfix"  # xfix:<extension request>  withdraw it and type the right date
    RKEEP = "rkeep"  # rkeep:<assignment>  the office keeps the task with its agency
    XPROP = "xprop"  # xprop:<assignment>:<yyyymmdd>  propose a deadline for a task without one
    # going live (issue 21)
    INVN = "invn"  # invn:<notice>  codes and the kit for the notice's agencies without a group
    INVA = "inva"  # inva  new codes and the kit for every agency without a group (/ganket)
    OPAGE = "opage"  # opage:<page>  another page of /ganket's agencies not on board
    OPICK = "opick"  # opick:<page>  pick one agency of that page for a new code
    REINV = "reinv"  # reinv:<agency>  a new code and its kit page for one agency
    # the roll-up (issue 16)
    REP = "rep"  # rep:x|w  the Excel appendix or the Word report, under the office's digest
    # the outbox (issue 20)
    OBPAGE = "obpage"  # obpage:<page>  another page of /hopthu


@dataclass(frozen=True, slots=True)
class Callback:
    action: Act
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int | None:
        """The index-th argument as a non-negative int, or None when absent or not a number."""
        if index >= len(self.args) or not self.args[index].isdigit() or len(self.args[index]) > 12:
            return None
        value = int(self.args[index])
        return value if value <= MAX_ID else None  # a forged id past any row's


def encode(action: Act, *args: object) -> str:
    """Build a payload; raises ValueError rather than letting Telegram reject the button."""
    parts = [Act(action).value, *(str(a) for a in args)]
    if not _ACTION.fullmatch(action) or not all(_ARG.fullmatch(p) for p in parts[1:]):
        raise ValueError(f"unsafe callback payload: {parts!r}")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError("callback payload over 64 bytes")
    return data


def decode(data: str | None) -> Callback | None:
    """Parse a payload from a button press; None for anything malformed or no known action."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    action, *args = data.split(":")
    if not _ACTION.fullmatch(action) or not all(_ARG.fullmatch(a) for a in args):
        return None
    try:
        return Callback(Act(action), tuple(args))
    except ValueError:
        return None
