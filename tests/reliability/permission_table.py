"""The permission table: every command and button × role × chat, with the expected result.

This is the specification, written out by hand from the rule in `bot.domain.permissions`
and the handlers' chat rules — not computed by running the bot. `test_permissions_table.py`
drives the real Application through every cell and compares; `docs/permissions.md` is
rendered from this module (`python -m tests.reliability.permission_table --write`) and a test
fails when it is out of date, so the published table cannot drift from the tested one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


class Result(StrEnum):
    ALLOWED = "allowed"  # the effect happened (database row, reply with the content)
    REFUSED = "refused"  # a refusal was said: a reply, or an alert on the button
    SILENT = "silent"  # nothing at all was sent to the chat


class Role(StrEnum):
    STRANGER = "stranger"
    FOCAL_A_ON_A = "focal_a_on_a"  # focal point of agency A acting on A's task
    FOCAL_A_ON_B = "focal_a_on_b"  # focal point of agency A acting on B's task
    DEPUTY_A = "deputy_a"  # deputy of agency A acting on A's task
    ADMIN = "admin"  # the coordination office (ADMIN_IDS or /themadmin)


class Chat(StrEnum):
    PRIVATE = "private"  # the actor's private chat with the bot
    GROUP_A = "group_a"  # the group bound to agency A
    GROUP_B = "group_b"  # the group bound to agency B
    OFFICE = "office"  # the office group (/vanphong)
    UNKNOWN = "unknown_group"  # a group bound to nobody
    TOPIC_A = "topic_a"  # a forum topic bound to agency A


@dataclass(frozen=True, slots=True)
class Operation:
    key: str
    label: str  # as a user types or sees it
    kind: str  # command | button | document
    targeted: bool  # acts on one task (the role decides whose)
    effect: str  # what "allowed" means, checked against the database or the sent messages


OPERATIONS: tuple[Operation, ...] = (
    Operation("nhiemvu", "/nhiemvu", "command", False, "a task list is sent"),
    Operation("capnhat", "/capnhat #id 30%", "command", True, "a progress_updates row"),
    Operation("done", "✅ Hoàn thành (done:id)", "button", True, "a progress_updates row"),
    Operation("moi", "/moi Sở Tài chính", "command", False, "an invite_codes row"),
    Operation("moitatca", "/moi tatca", "command", False, "codes and the kit, or: all on board"),
    Operation(
        "inva", "🎫 Cấp mã mới (inva)", "button", False, "codes and the kit, or: all on board"
    ),
    Operation("vanphong", "/vanphong", "command", False, "the chat bound as the office"),
    Operation("giaoviec", "/giaoviec A | text | date", "command", False, "a tasks row"),
    Operation("tonghop", "/tonghop", "command", False, "a roll-up is sent"),
    Operation("xuatbaocao", "/xuatbaocao", "command", False, "the .xlsx and .docx are sent"),
    Operation("nhacngay", "/nhacngay", "command", False, "a sweep runs and is reported"),
    Operation("tamdung", "/tamdung 3", "command", False, "agencies.paused_until set"),
    Operation("conf", "Xác nhận (conf:id)", "button", True, "a 'confirmed' update row"),
    Operation("xok", "Đồng ý gia hạn (xok:id)", "button", True, "the request decided"),
    Operation("xfix", "✏️ Sửa ngày (xfix:id)", "button", True, "the request withdrawn"),
    Operation("rkeep", "Giữ nguyên (rkeep:id)", "button", True, "the task kept, said"),
    Operation("import", "a .txt notice sent as a file", "document", False, "an import draft"),
    Operation("repx", "📊 Phụ lục Excel (rep:x)", "button", False, "the .xlsx is sent"),
    Operation(
        "repw", "📄 Báo cáo Word (rep:w:n…:a…:p…)", "button", False, "the filtered .docx is sent"
    ),
)
OPERATION = {op.key: op for op in OPERATIONS}
ADMIN_ONLY = frozenset(
    {
        "moi",
        "moitatca",
        "inva",
        "vanphong",
        "giaoviec",
        "xuatbaocao",
        "nhacngay",
        "conf",
        "xok",
        "import",
        "rkeep",
        "repx",
        "repw",
    }
)
AGENCY_CHATS = frozenset({Chat.GROUP_A, Chat.TOPIC_A})


def expected(op: Operation, role: Role, chat: Chat) -> Result:
    """The rule, case by case, in the order a reader would check it."""
    if role is Role.ADMIN:
        # Admins may do everything everywhere; two commands need a particular chat.
        if op.key == "vanphong" and chat is Chat.PRIVATE:
            return Result.REFUSED  # the office is a group
        if op.key == "vanphong" and chat in (Chat.GROUP_A, Chat.GROUP_B, Chat.TOPIC_A):
            return Result.REFUSED  # an agency's chat: its binding is removed first (issue 17)
        if op.key == "tamdung" and chat not in (Chat.GROUP_A, Chat.GROUP_B, Chat.TOPIC_A):
            return Result.REFUSED  # a pause is about the chat's agency
        return Result.ALLOWED
    if op.key == "import":
        # A file from a non-admin is answered in private only: in a group it may be anything.
        return Result.REFUSED if chat is Chat.PRIVATE else Result.SILENT
    if op.kind == "button":
        return Result.ALLOWED if _member_may(op, role, chat) else Result.REFUSED
    if op.key in ADMIN_ONLY or role is Role.STRANGER:
        # A stranger in a group nobody bound gets silence: the bot must not spam it.
        if role is Role.STRANGER and chat is Chat.UNKNOWN:
            return Result.SILENT
        return Result.REFUSED
    return Result.ALLOWED if _member_may(op, role, chat) else Result.REFUSED


def _member_may(op: Operation, role: Role, chat: Chat) -> bool:
    """A focal point or deputy of A (never a stranger, never admin-only operations)."""
    if role is Role.STRANGER or op.key in ADMIN_ONLY:
        return False
    if op.key == "nhiemvu":
        # No agency named: their own agencies, in private or the office group only.
        return chat in AGENCY_CHATS or chat in (Chat.PRIVATE, Chat.OFFICE)
    if op.key in ("tonghop", "tamdung"):
        # The agency is the chat's, or in private the person's only agency.
        return chat in AGENCY_CHATS or chat is Chat.PRIVATE
    # Reporting on a task: only A's tasks, and never from another agency's chat.
    return role is not Role.FOCAL_A_ON_B and chat is not Chat.GROUP_B


def cases() -> list[tuple[Operation, Role, Chat, Result]]:
    """Every cell; a focal point of A naming no task is the same case as *on A's task*."""
    return [
        (op, role, chat, expected(op, role, chat))
        for op in OPERATIONS
        for role in Role
        for chat in Chat
        if op.targeted or role is not Role.FOCAL_A_ON_B
    ]


SYMBOL = {Result.ALLOWED: "✅ allowed", Result.REFUSED: "⛔ refused", Result.SILENT: "· silent"}
ROLE_LABEL = {
    Role.STRANGER: "stranger",
    Role.FOCAL_A_ON_A: "focal point of A, on A's task",
    Role.FOCAL_A_ON_B: "focal point of A, on B's task",
    Role.DEPUTY_A: "deputy of A, on A's task",
    Role.ADMIN: "admin (office)",
}
CHAT_LABEL = {
    Chat.PRIVATE: "private",
    Chat.GROUP_A: "A's group",
    Chat.GROUP_B: "B's group",
    Chat.OFFICE: "office group",
    Chat.UNKNOWN: "unknown group",
    Chat.TOPIC_A: "topic bound to A",
}


def render_markdown() -> str:
    """docs/permissions.md, generated: edit this module, then run it with --write."""
    lines = [
        "# Who may do what, where",
        "",
        "<!-- Generated by `python -m tests.reliability.permission_table --write` from",
        "     tests/reliability/permission_table.py; tests/reliability/test_permissions_table.py",
        "     checks every cell against the real bot and that this file is up to date. -->",
        "",
        "Every command and button × role × chat, with the result the real bot gives. Each cell",
        "is one case of `tests/reliability/test_permissions_table.py::test_permission_cell`,",
        "which sends the command (or presses the button, or sends the file) through the real",
        "Application and the Bot API emulator, then checks both what was sent and what the",
        "database holds.",
        "",
        "* **✅ allowed** — the effect happened (the row named under each table is in the",
        "  database, or the content was sent).",
        "* **⛔ refused** — nothing changed and the bot said so: a reply, or an alert on the",
        "  pressed button (only the presser sees it).",
        "* **· silent** — nothing changed and nothing was sent.",
        "",
        "Roles: A = Sở Tài chính, B = Sở Công Thương. *On B's task* means the focal point of A",
        "names B's task (typed `#id`, or a forged `done:<id>` button payload): buttons carry",
        "only `action:id`, and every press is checked again against the database. A deputy",
        "has the same rights as a focal point. The rule itself is `bot.domain.permissions.decide`.",
        "",
    ]
    header = "| role \\ chat | " + " | ".join(CHAT_LABEL[c] for c in Chat) + " |"
    rule = "|---" * (len(Chat) + 1) + "|"
    for op in OPERATIONS:
        lines += [f"## `{op.label}` ({op.kind})", "", f"Allowed means: {op.effect}.", ""]
        lines += [header, rule]
        for role in Role:
            if not op.targeted and role is Role.FOCAL_A_ON_B:
                continue  # the same person as the row above when no task is named
            label = ROLE_LABEL[role] if op.targeted else ROLE_LABEL[role].split(",")[0]
            cells = " | ".join(SYMBOL[expected(op, role, chat)] for chat in Chat)
            lines.append(f"| {label} | {cells} |")
        lines.append("")
    counts = {r: sum(1 for *_, e in cases() if e is r) for r in Result}
    lines += [
        "## Totals",
        "",
        f"{len(cases())} cases: "
        + ", ".join(f"{counts[r]} {r.value}" for r in Result)
        + ". Where no task is named, a focal point of A is one case (not two).",
        "",
        "## Notes",
        "",
        "* Admins may act in any chat, including a group nobody bound: what they ask for is",
        "  then shown to that group (an invite code, the task list). That is their choice.",
        "* A focal point may report on their own agency's task from any chat except another",
        "  agency's (the rule checks the task's agency, then the chat's); listing tasks",
        "  without naming one works only in their agency's chat, in private and in the office",
        "  group.",
        "* A stranger in a group nobody bound gets no answer to commands, so that the bot",
        "  never spams a group it was merely added to; a button press is always answered",
        "  (Telegram expects it, and only the presser sees the alert).",
        "* A notice file sent in a forum topic is imported like one sent in a group (Telegram",
        "  marks every topic message as a reply to the topic's first message; only a real",
        "  reply — evidence for a report — is left to the progress handler).",
        "* Invite codes are single-use, expire after `INVITE_TTL_HOURS`, come from `secrets`",
        "  (10 characters from a 32-letter alphabet: 50 bits), and after",
        "  `MAX_WRONG_ATTEMPTS` wrong codes in 15 minutes a user is refused even the right",
        "  one (`tests/reliability/test_secrets.py`).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    text = render_markdown()
    if "--write" in sys.argv:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC}")
    else:
        print(text)
