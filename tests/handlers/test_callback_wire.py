"""The callback data on the wire does not change: buttons sent by an earlier version sit in
chats for months, and questions it asked sit in pending_inputs, so the strings written below
(those of the version before the actions became an enum) must keep doing what they did."""

from __future__ import annotations

import pytest
from sqlalchemy import true

from bot.domain.callback_data import Act, decode
from bot.messaging import keyboards
from bot.messaging.texts import Texts
from handlers.routes import ROUTES
from storage.models import Agency, Assignment, PendingInput, ProgressUpdate, Task
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, Harness

WIRE = {
    "LIST": "list",
    "CARD": "card",
    "DONE": "done",
    "PROG": "prog",
    "PCT": "pct",
    "BLOCK": "block",
    "EXT": "ext",
    "UNDO": "undo",
    "UNDOALL": "undoa",
    "PICK": "pick",
    "CONF": "conf",
    "RET": "ret",
    "XOK": "xok",
    "XNO": "xno",
    "ACK": "ack",
    "UNBIND": "unbind",
    "XCAN": "xcan",
    "KEEP": "keep",
    "IMP": "imp",
    "IMPORT": "import",
    "RBOK": "rbok",
    "RBNO": "rbno",
    "RNOW": "rnow",
    "XFIX": "xfix",
    "RKEEP": "rkeep",
    "XPROP": "xprop",
    "REP": "rep",
    "OBPAGE": "obpage",
}
ASKED_BY_EARLIER_VERSIONS = {"block", "ext", "ret", "import"}  # answered by a message
T = Texts("vi")


def test_every_action_keeps_its_value() -> None:
    assert {name: Act[name].value for name in WIRE} == WIRE


def test_every_button_an_earlier_version_sent_has_a_handler() -> None:
    for value in WIRE.values():
        if value == "import":  # a question, never a button
            continue
        callback = decode(f"{value}:1:2")
        assert callback is not None and ROUTES[callback.action].pressed is not None, value


def test_every_question_an_earlier_version_asked_has_an_answer() -> None:
    for value in ASKED_BY_EARLIER_VERSIONS:
        assert ROUTES[Act(value)].answered is not None, value


def _data(markup) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[button.callback_data for button in row] for row in markup.inline_keyboard]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (keyboards.progress_keyboard(T, 12), [["done:12", "prog:12"], ["block:12", "ext:12"]]),
        (keyboards.percent_keyboard(T, 12), [["pct:12:25", "pct:12:50", "pct:12:75"]]),
        (keyboards.undo_keyboard(T, 7), [["undo:7"]]),
        (keyboards.which_task_keyboard([5, 6]), [["pick:5", "pick:6"]]),
        (keyboards.completion_keyboard(T, 12), [["conf:12", "ret:12"]]),
        (keyboards.extension_keyboard(T, 3), [["xok:3", "xno:3"]]),
        (keyboards.ack_keyboard(T, 4, 2), [["ack:4:2"]]),
        (keyboards.cancel_task_keyboard(T, 12), [["xcan:12", "keep:12"]]),
        (keyboards.unbind_keyboard(T, [9]), [["unbind:9"]]),
        (keyboards.draft_keyboard(T, 5), [["imp:s:5", "imp:c:5"], ["imp:v:5:1", "imp:a:5:1"]]),
        (
            keyboards.draft_page_keyboard(T, 5, page=2, pages=3),
            [["imp:v:5:1", "imp:v:5:3"], ["imp:s:5", "imp:c:5"]],
        ),
    ],
)
def test_keyboards_write_what_earlier_versions_wrote(markup, expected) -> None:  # type: ignore[no-untyped-def]
    assert _data(markup) == expected


async def _bind(bot: Harness, agency: str, user: int, chat: int) -> None:
    await bot.send(ADMIN, ADMIN, f"/moi {agency}")
    code = bot.last_text(ADMIN).split("/dangky ")[1].strip()
    await bot.send(user, chat, f"/dangky {code}")


async def _assignment(bot: Harness, code: str) -> int:
    [agency] = await bot.rows(Agency, Agency.name == "Sở Tài chính")
    [task] = await bot.rows(Task, Task.code == code)
    [assignment] = await bot.rows(
        Assignment, Assignment.agency_id == agency.id, Assignment.task_id == task.id
    )
    assert assignment.id is not None
    return assignment.id


async def test_literal_payloads_work_through_the_real_application(seeded: Harness) -> None:
    """Each press names its payload as a string; `press` checks the message carries it."""
    bot = seeded
    await _bind(bot, "Sở Tài chính", FOCAL_A, GROUP_A)
    await bot.send(ADMIN, OFFICE_GROUP, "/vanphong")
    first, second = await _assignment(bot, "I.6.1"), await _assignment(bot, "I.6.2")

    await bot.send(FOCAL_A, GROUP_A, "/nhiemvu")
    await bot.press(FOCAL_A, GROUP_A, bot.last(GROUP_A)["message_id"], f"card:{first}")
    card = bot.last(GROUP_A)
    assert f"#{first}" in card["text"]
    await bot.press(FOCAL_A, GROUP_A, card["message_id"], f"prog:{first}")
    await bot.press(FOCAL_A, GROUP_A, bot.last(GROUP_A)["message_id"], f"pct:{first}:50")
    assert f"Đã ghi nhận #{first}: đạt 50%" in bot.last_text(GROUP_A)
    await bot.press(FOCAL_A, GROUP_A, card["message_id"], f"done:{first}")
    office = bot.last(OFFICE_GROUP)
    await bot.press(ADMIN, OFFICE_GROUP, office["message_id"], f"conf:{first}")
    assert "Đã xác nhận hoàn thành" in bot.last_text(OFFICE_GROUP)

    # A question asked with the old code, answered by the next message.
    await bot.send(FOCAL_A, GROUP_A, "/nhiemvu")
    await bot.press(FOCAL_A, GROUP_A, bot.last(GROUP_A)["message_id"], f"card:{second}")
    await bot.press(FOCAL_A, GROUP_A, bot.last(GROUP_A)["message_id"], f"block:{second}")
    [question] = await bot.rows(PendingInput, true())
    assert (question.action, question.target_id) == ("block", second)
    await bot.send(FOCAL_A, GROUP_A, "Chờ hướng dẫn của Bộ Tài chính")
    assert "Đã ghi nhận vướng mắc" in bot.last_text(GROUP_A)
    updates = await bot.rows(ProgressUpdate, true())
    assert [(u.assignment_id, u.kind) for u in updates] == [
        (first, "in_progress"),
        (first, "done"),
        (first, "confirmed"),
        (second, "blocked"),
    ]
