"""Every button pressed twice acts once (issue 22, item 2), on SQLite and PostgreSQL.

A phone on a weak connection shows no answer, so the official presses again: the second press
must change nothing and say what the first one did. One test per button that acts (the list's
pages and the card open nothing twice that matters; Lưu of an import pressed again is
tests/handlers/test_import_chat.py::test_preview_then_save).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import true

from storage.models import (
    Assignment,
    ChatBinding,
    ExtensionRequest,
    ProgressUpdate,
    Task,
    TaskRevision,
)
from tests.harness import (
    ADMIN,
    DEPUTY_A,
    FOCAL_A,
    GROUP_A,
    OFFICE_GROUP,
    STRANGER,
    Harness,
    running_bot,
)
from tests.reliability.world import NOW, TOPICS, World, seed

AT = "lúc 27/12/2019 09:00"


@pytest.fixture
async def agency(database_url: str) -> AsyncIterator[tuple[Harness, World]]:
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        yield harness, await seed(harness)


async def _twice(
    harness: Harness, user: int, chat: int, message: dict[str, Any], data: str
) -> None:
    await harness.press(user, chat, message["message_id"], data)
    await harness.press(user, chat, message["message_id"], data, strict=False)


async def _card(harness: Harness, task: int) -> dict[str, Any]:
    await harness.send(FOCAL_A, GROUP_A, "/nhiemvu")
    listing = harness.last(GROUP_A)
    await harness.press(FOCAL_A, GROUP_A, listing["message_id"], f"card:{task}")
    return harness.last(GROUP_A)


async def _kinds(harness: Harness, task: int) -> list[str]:
    rows = await harness.rows(ProgressUpdate, ProgressUpdate.assignment_id == task)
    return [r.kind for r in sorted(rows, key=lambda r: r.id or 0)]


async def test_done_and_a_percent_pressed_twice(agency: tuple[Harness, World]) -> None:
    harness, world = agency
    task = world.open_task["A"]
    card = await _card(harness, task)
    await harness.press(FOCAL_A, GROUP_A, card["message_id"], f"prog:{task}")
    percents = harness.last(GROUP_A)
    await _twice(harness, FOCAL_A, GROUP_A, percents, f"pct:{task}:50")
    assert f"đã được ghi nhận {AT}" in harness.last_text(GROUP_A)
    await _twice(harness, FOCAL_A, GROUP_A, card, f"done:{task}")
    assert f"đã được ghi nhận {AT}" in harness.last_text(GROUP_A)
    assert await _kinds(harness, task) == ["in_progress", "done"]
    asked = [m for m in harness.bot_messages(OFFICE_GROUP) if "báo hoàn thành" in m["text"]]
    assert len(asked) == 1


async def test_the_percent_menu_and_a_blocker_question_pressed_twice(
    agency: tuple[Harness, World],
) -> None:
    harness, world = agency
    task = world.open_task["A"]
    card = await _card(harness, task)
    await _twice(harness, FOCAL_A, GROUP_A, card, f"prog:{task}")  # a menu: nothing stored
    await _twice(harness, FOCAL_A, GROUP_A, card, f"block:{task}")
    await harness.send(FOCAL_A, GROUP_A, "chưa có mặt bằng")
    await harness.send(FOCAL_A, GROUP_A, "chưa có mặt bằng")  # the answer sent again
    assert await _kinds(harness, task) == ["blocked"]


async def test_undo_pressed_twice(agency: tuple[Harness, World]) -> None:
    harness, world = agency
    task = world.open_task["A"]
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 30%")
    confirmation = harness.last(GROUP_A)
    await _twice(harness, FOCAL_A, GROUP_A, confirmation, harness.button(confirmation, "undo:"))
    assert "đã được hoàn tác" in harness.answers()[-1]
    assert await _kinds(harness, task) == ["in_progress", "undo"]


async def test_confirm_pressed_twice(agency: tuple[Harness, World]) -> None:
    harness, world = agency
    task = world.open_task["A"]
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành")
    asked = harness.last(OFFICE_GROUP)
    await _twice(harness, ADMIN, OFFICE_GROUP, asked, f"conf:{task}")
    assert f"#{task} đã được xác nhận hoàn thành {AT} (Chánh Văn phòng)" in harness.answers()[-1]
    assert await _kinds(harness, task) == ["done", "confirmed"]
    told = [m for m in harness.bot_messages(GROUP_A) if "đã xác nhận hoàn thành" in m["text"]]
    assert len(told) == 1


async def test_return_pressed_and_answered_twice(agency: tuple[Harness, World]) -> None:
    harness, world = agency
    task = world.open_task["A"]
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành")
    asked = harness.last(OFFICE_GROUP)
    for _ in range(2):
        await harness.press(ADMIN, OFFICE_GROUP, asked["message_id"], f"ret:{task}", strict=False)
        await harness.send(ADMIN, OFFICE_GROUP, "thiếu biên bản nghiệm thu")
    assert f"#{task} đã được trả lại {AT}" in harness.last_text(OFFICE_GROUP)
    assert await _kinds(harness, task) == ["done", "returned"]
    told = [m for m in harness.bot_messages(GROUP_A) if "thiếu biên bản" in m["text"]]
    assert len(told) == 1


@pytest.mark.parametrize(("action", "said"), [("xok", "đã được đồng ý"), ("xno", "không đồng ý")])
async def test_an_extension_decision_pressed_twice(
    agency: tuple[Harness, World], action: str, said: str
) -> None:
    harness, world = agency
    task = world.open_task["A"]
    card = await _card(harness, task)
    await harness.press(FOCAL_A, GROUP_A, card["message_id"], f"ext:{task}")
    await harness.send(FOCAL_A, GROUP_A, "15/07/2020 chờ vốn")
    asked = harness.last(OFFICE_GROUP)
    request = harness.button(asked, f"{action}:")
    await _twice(harness, ADMIN, OFFICE_GROUP, asked, request)
    assert said in harness.answers()[-1] and AT in harness.answers()[-1]
    decided = await harness.rows(ExtensionRequest, ExtensionRequest.status != "pending")
    assert len(decided) == 1
    assert [k for k in await _kinds(harness, task) if k.startswith("extension_")] == [
        "extension_request",
        "extension_approved" if action == "xok" else "extension_refused",
    ]
    told = [m for m in harness.bot_messages(GROUP_A) if "gia hạn nhiệm vụ" in m["text"]]
    assert len(told) == 1


async def test_cancel_pressed_twice(agency: tuple[Harness, World]) -> None:
    harness, world = agency
    task = world.open_task["A"]
    await harness.send(ADMIN, ADMIN, f"/huynv #{task}")
    question = harness.last(ADMIN)
    await _twice(harness, ADMIN, ADMIN, question, f"xcan:{task}")
    assert "đã được hủy trước đó" in harness.answers()[-1]
    revisions = await harness.rows(TaskRevision, TaskRevision.field_name == "cancelled")
    assert len(revisions) == 1
    [assignment] = await harness.rows(Assignment, Assignment.id == task)
    [row] = await harness.rows(Task, Task.id == assignment.task_id)
    assert row.cancelled is True
    assert sum("Đã hủy" in m["text"] for m in harness.bot_messages(ADMIN)) == 1


async def test_unbind_pressed_twice(agency: tuple[Harness, World]) -> None:
    harness, _world = agency
    await harness.send(ADMIN, OFFICE_GROUP, "/ganket")
    overview = harness.last(OFFICE_GROUP)  # who is on board; the bound groups behind 📋
    await harness.press(ADMIN, OFFICE_GROUP, overview["message_id"], harness.button(overview, "📋"))
    listing = harness.last(OFFICE_GROUP)
    data = harness.button(listing, "unbind:")
    await _twice(harness, ADMIN, OFFICE_GROUP, listing, data)
    assert "đã được gỡ trước đó" in harness.answers()[-1]
    ended = await harness.rows(ChatBinding, ChatBinding.active.is_(False))
    assert len(ended) == 1


async def test_a_code_sent_twice_by_the_same_person_binds_once_and_says_so(
    agency: tuple[Harness, World],
) -> None:
    harness, _world = agency
    group = -1004444
    harness.emulator.add_chat(group, "supergroup", "Nhóm mới")
    harness.emulator.add_member(group, STRANGER)
    harness.emulator.add_member(group, DEPUTY_A)
    await harness.send(ADMIN, ADMIN, "/moi Sở Công Thương")
    code = harness.last_text(ADMIN).split("/dangky ")[1].split()[0]
    await harness.send(STRANGER, group, f"/dangky {code}")
    assert "Sở Công Thương" in harness.last_text(group)
    await harness.send(STRANGER, group, f"/dangky {code}")
    assert f"đã được gắn với Sở Công Thương bằng mã này {AT}" in harness.last_text(group)
    assert len(await harness.rows(ChatBinding, ChatBinding.chat_id == group)) == 1
    # Someone else with the same code: it is used (a code is single-use).
    await harness.send(DEPUTY_A, group, f"/dangky {code}")
    assert "đã được sử dụng" in harness.last_text(group)
    assert len(await harness.rows(ChatBinding, true())) == 5
