"""Every cell of the permission table, through the real Application, against the database.

One parametrised test: for each (operation, role, chat) it starts the production bot on a
copy of one seeded SQLite file, plays the user (a command, a button press with a possibly
forged payload, a file), then classifies what happened from the database and from what the
emulator received — allowed, refused or silent — and compares with `permission_table`.
SQLite only: the rule is in Python and the database-specific paths are covered elsewhere.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models import (
    Agency,
    ChatBinding,
    ExtensionRequest,
    ImportDraft,
    InviteCode,
    ProgressUpdate,
    Task,
)
from storage.unit_of_work import UnitOfWork
from tests.harness import (
    ADMIN,
    DEPUTY_A,
    FOCAL_A,
    FORUM,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    STRANGER,
    UNKNOWN_GROUP,
    Harness,
    running_bot,
)
from tests.reliability import permission_table as table
from tests.reliability.permission_table import Chat, Operation, Result, Role
from tests.reliability.world import (
    MARK_A,
    MARK_B,
    NOW,
    TOPICS,
    World,
    copy_database,
    read_world,
    seed,
)

SEED_NOTICE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "notices" / "45-TB-UBND-sentence.txt"
)
ACTOR = {
    Role.STRANGER: STRANGER,
    Role.FOCAL_A_ON_A: FOCAL_A,
    Role.FOCAL_A_ON_B: FOCAL_A,
    Role.DEPUTY_A: DEPUTY_A,
    Role.ADMIN: ADMIN,
}
NEW_TASK_TEXT = "Nhiệm vụ giao mới kiểm thử quyền"


@pytest.fixture(scope="module")
def seeded_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated template with the world seeded, once per module."""
    path = tmp_path_factory.mktemp("permissions") / "seeded.sqlite3"
    shutil.copy(sqlite_template, path)

    async def fill() -> None:
        async with running_bot(f"sqlite+aiosqlite:///{path}", now=NOW, topics=TOPICS) as harness:
            await seed(harness)

    asyncio.run(fill())
    return path


@dataclass(frozen=True, slots=True)
class Where:
    chat_id: int
    thread: int | None


def where(chat: Chat, actor: int, world: World) -> Where:
    return {
        Chat.PRIVATE: Where(actor, None),
        Chat.GROUP_A: Where(GROUP_A, None),
        Chat.GROUP_B: Where(GROUP_B, None),
        Chat.OFFICE: Where(OFFICE_GROUP, None),
        Chat.UNKNOWN: Where(UNKNOWN_GROUP, None),
        Chat.TOPIC_A: Where(FORUM, world.topic),
    }[chat]


async def _count(harness: Harness, query: Any) -> int:
    async with UnitOfWork(harness.services.ctx.session_factory) as uow:
        return int(await uow.session.scalar(query) or 0)


async def effect(harness: Harness, op: Operation, world: World, key: str, at: Where) -> bool:
    """Did the operation's effect happen? Read from the database, or from what was sent."""
    texts = [r.plain or "" for r in harness.emulator.sent if r.chat_id == at.chat_id]
    if op.key == "nhiemvu":
        return any(MARK_A in t or MARK_B in t for t in texts)
    if op.key in ("capnhat", "done"):
        kind = "done" if op.key == "done" else "in_progress"
        return bool(
            await _count(
                harness,
                select(func.count())
                .select_from(ProgressUpdate)
                .where(
                    ProgressUpdate.assignment_id == world.open_task[key],
                    ProgressUpdate.kind == kind,
                ),
            )
        )
    if op.key == "moi":
        return bool(await _count(harness, select(func.count()).select_from(InviteCode)))
    if op.key in ("moitatca", "inva"):
        # Every agency with tasks in this world has its group: the answer says so; otherwise
        # the codes are stored and the kit is sent.
        if any("đã gắn nhóm; không cần cấp mã mới" in t for t in texts):
            return True
        kit = any(r.method == "sendDocument" for r in harness.emulator.sent)
        return kit and bool(await _count(harness, select(func.count()).select_from(InviteCode)))
    if op.key == "vanphong":
        return bool(
            await _count(
                harness,
                select(func.count())
                .select_from(ChatBinding)
                .where(
                    ChatBinding.chat_id == at.chat_id,
                    ChatBinding.thread_id == (at.thread or 0),
                    ChatBinding.is_office.is_(True),
                    ChatBinding.active.is_(True),
                ),
            )
        ) and any("nhóm Văn phòng Điều phối" in t for t in texts)
    if op.key == "giaoviec":
        return bool(
            await _count(
                harness, select(func.count()).select_from(Task).where(Task.text == NEW_TASK_TEXT)
            )
        )
    if op.key == "tonghop":
        return any("TỔNG HỢP" in t or "tình hình thực hiện nhiệm vụ" in t for t in texts)
    if op.key == "xuatbaocao":
        documents = [r for r in harness.emulator.sent_to(at.chat_id) if r.method == "sendDocument"]
        return len(documents) == 2
    if op.key == "nhacngay":
        return any(
            t.startswith(
                ("🔔 Đã gửi", "Không có nhắc việc", "Chưa đến giờ", "Hôm nay là ngày nghỉ")
            )
            for t in texts
        )
    if op.key == "tamdung":
        return bool(
            await _count(
                harness,
                select(func.count()).select_from(Agency).where(Agency.paused_until.is_not(None)),
            )
        )
    if op.key == "conf":
        return bool(
            await _count(
                harness,
                select(func.count())
                .select_from(ProgressUpdate)
                .where(
                    ProgressUpdate.assignment_id == world.awaiting[key],
                    ProgressUpdate.kind == "confirmed",
                ),
            )
        )
    if op.key == "xok":
        return bool(
            await _count(
                harness,
                select(func.count())
                .select_from(ExtensionRequest)
                .where(
                    ExtensionRequest.id == world.extension[key],
                    ExtensionRequest.status != "pending",
                ),
            )
        )
    if op.key == "xfix":
        return bool(
            await _count(
                harness,
                select(func.count())
                .select_from(ExtensionRequest)
                .where(
                    ExtensionRequest.id == world.extension[key],
                    ExtensionRequest.status == "withdrawn",
                ),
            )
        )
    if op.key == "rkeep":
        return any(t.startswith("Đã giữ nguyên nhiệm vụ") for t in texts)
    if op.key == "import":
        return bool(await _count(harness, select(func.count()).select_from(ImportDraft)))
    if op.key in ("repx", "repw"):
        suffix = ".xlsx" if op.key == "repx" else ".docx"
        documents = [r for r in harness.emulator.sent_to(at.chat_id) if r.method == "sendDocument"]
        return [d.filename.endswith(suffix) for d in documents] == [True]
    raise AssertionError(op.key)


async def perform(harness: Harness, op: Operation, actor: int, at: Where, world: World, key: str):  # type: ignore[no-untyped-def]
    """Play the user: type the command, press the (possibly forged) button, send the file."""
    target = world.open_task[key]
    commands = {
        "nhiemvu": "/nhiemvu",
        "capnhat": f"/capnhat #{target} đạt 30%",
        "moi": "/moi Sở Tài chính",
        "moitatca": "/moi tatca",
        "vanphong": "/vanphong",
        "giaoviec": f"/giaoviec Sở Tài chính | {NEW_TASK_TEXT} | 31/12/2020",
        "tonghop": "/tonghop",
        "xuatbaocao": "/xuatbaocao",
        "nhacngay": "/nhacngay",
        "tamdung": "/tamdung 3",
    }
    if op.kind == "command":
        await harness.send(actor, at.chat_id, commands[op.key], thread=at.thread)
        return
    if op.kind == "document":
        harness.emulator.user_sends_document(
            actor,
            at.chat_id,
            "thong-bao.txt",
            SEED_NOTICE.read_bytes(),
            message_thread_id=at.thread,
        )
        await harness.flush()
        return
    data = {
        "done": f"done:{target}",
        "conf": f"conf:{world.awaiting[key]}",
        "xok": f"xok:{world.extension[key]}",
        "xfix": f"xfix:{world.extension[key]}",
        "rkeep": f"rkeep:{target}",
        "inva": "inva",
        "repx": "rep:x",
        # the filter a /tonghop of A's tasks in this notice, this month, writes into its button
        "repw": f"rep:w:n{world.notice_id}:a{world.agency['A']}:pm2019120120191231",
    }[op.key]
    # A message of the bot's in that chat to press on; the payload is forged (strict=False).
    params: dict[str, Any] = {"chat_id": at.chat_id, "text": "🔘"}
    if at.thread:
        params["message_thread_id"] = at.thread
    message = await harness.emulator.call("sendMessage", **params)
    harness.emulator.reset_records()
    await harness.press(actor, at.chat_id, message["message_id"], data, strict=False)


def observed(harness: Harness, at: Where, did: bool) -> Result:
    if did:
        return Result.ALLOWED
    said = [r for r in harness.emulator.sent if r.chat_id == at.chat_id]
    alerts = [a for a in harness.emulator.callback_answers if a.get("text")]
    return Result.REFUSED if said or alerts else Result.SILENT


@pytest.mark.parametrize(
    ("op", "role", "chat", "want"),
    [
        pytest.param(*case, id=f"{case[0].key}-{case[1].value}-{case[2].value}")
        for case in table.cases()
    ],
)
async def test_permission_cell(
    op: Operation, role: Role, chat: Chat, want: Result, seeded_template: Path, tmp_path: Path
) -> None:
    url = copy_database(seeded_template, tmp_path / "db.sqlite3")
    async with running_bot(url, now=NOW, topics=TOPICS) as harness:
        world = await read_world(harness)
        emulator = harness.emulator
        actor = ACTOR[role]
        key = "B" if role is Role.FOCAL_A_ON_B else "A"
        at = where(chat, actor, world)
        emulator.reset_records()
        await perform(harness, op, actor, at, world, key)
        did = await effect(harness, op, world, key, at)
        got = observed(harness, at, did)
        said = [r.plain for r in emulator.sent if r.chat_id == at.chat_id]
        alerts = [a.get("text") for a in emulator.callback_answers]
        assert got is want, f"{op.label} by {role} in {chat}: {got}, sent {said} {alerts}"
        if want is not Result.ALLOWED:
            # Nothing written for a refused or ignored operation, whatever was said.
            assert not await effect(harness, op, world, key, at)
        # Every button press is answered (the phone's spinner stops), allowed or not.
        if op.kind == "button":
            assert len(emulator.callback_answers) == 1


def test_docs_permissions_md_is_generated_from_the_table() -> None:
    """docs/permissions.md is the table above, rendered: regenerate it when the rule changes
    (`python -m tests.reliability.permission_table --write`)."""
    assert table.DOC.exists(), "run: python -m tests.reliability.permission_table --write"
    assert table.DOC.read_text(encoding="utf-8") == table.render_markdown()


def test_the_table_covers_every_operation_role_and_chat() -> None:
    keys = {op.key for op in table.OPERATIONS}
    assert {"nhiemvu", "capnhat", "done", "moi", "vanphong", "giaoviec", "tonghop"} <= keys
    assert {"xuatbaocao", "nhacngay", "tamdung", "conf", "xok", "import"} <= keys
    targeted = sum(1 for op in table.OPERATIONS if op.targeted)
    assert len(table.cases()) == (len(keys) * (len(Role) - 1) + targeted) * len(Chat)
