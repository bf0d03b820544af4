"""Undo after the office decided: a report the office has acted on (confirmed, returned, an
extension decided after it) is not taken back by the agency; the answer says the office has
decided and how to ask for a correction. Nothing is appended, the status stays the decision's."""

from __future__ import annotations

import pytest

from bot.domain.callback_data import Act, encode
from storage.models import Agency, Assignment, ProgressUpdate, Task
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, Harness, sweep_and_send
from tests.jobs.world import TC, at, seed_world

DECIDED = "Văn phòng Điều phối đã quyết định"


async def _bind(bot: Harness, agency: str, user: int, chat: int) -> None:
    await bot.send(ADMIN, ADMIN, f"/moi {agency}")
    code = bot.last_text(ADMIN).split("/dangky ")[1].strip()
    await bot.send(user, chat, f"/dangky {code}")


@pytest.fixture
async def bound(seeded: Harness) -> Harness:
    await _bind(seeded, "Sở Tài chính", FOCAL_A, GROUP_A)
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    return seeded


async def _assignment(bot: Harness, code: str) -> Assignment:
    agency = (await bot.rows(Agency, Agency.name == "Sở Tài chính"))[0]
    task = (await bot.rows(Task, Task.code == code))[0]
    return (
        await bot.rows(Assignment, Assignment.agency_id == agency.id, Assignment.task_id == task.id)
    )[0]


async def _history(bot: Harness, assignment_id: int) -> list[tuple[str, str]]:
    rows = await bot.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment_id)
    return [(u.kind, u.status) for u in rows]


@pytest.mark.parametrize(("button", "status"), [(Act.CONF, "done"), (Act.RET, "returned")])
async def test_a_completion_the_office_decided_is_not_undone(
    bound: Harness, button: Act, status: str
) -> None:
    assignment = await _assignment(bound, "I.6.2")
    await bound.send(FOCAL_A, GROUP_A, f"/capnhat #{assignment.id} 40%")
    await bound.send(FOCAL_A, GROUP_A, f"/capnhat #{assignment.id} đã hoàn thành")
    confirmation = bound.last(GROUP_A)
    office = bound.last(OFFICE_GROUP)
    await bound.press(ADMIN, OFFICE_GROUP, office["message_id"], encode(button, assignment.id))
    if button is Act.RET:
        await bound.send(ADMIN, OFFICE_GROUP, "Chưa có văn bản kèm theo")
    before = await _history(bound, assignment.id)
    assert before[-1] == ("confirmed" if button is Act.CONF else "returned", status)
    # Within the undo window, the agency presses ↩️ under its "done" confirmation.
    await bound.press(
        FOCAL_A, GROUP_A, confirmation["message_id"], bound.button(confirmation, "↩️"),
        strict=False,
    )  # fmt: skip
    answer = bound.answers()[-1]
    assert DECIDED in answer and "không thể hoàn tác" in answer
    assert await _history(bound, assignment.id) == before
    assert (await _assignment(bound, "I.6.2")).status == status


async def test_a_report_before_an_extension_decision_is_not_undone(bound: Harness) -> None:
    assignment = await _assignment(bound, "I.6.2")
    await bound.send(FOCAL_A, GROUP_A, f"/capnhat #{assignment.id} 50%")
    confirmation = bound.last(GROUP_A)
    card_ext = encode(Act.EXT, assignment.id)
    await bound.send(FOCAL_A, GROUP_A, "/nhiemvu")
    listing = bound.last(GROUP_A)
    await bound.press(FOCAL_A, GROUP_A, listing["message_id"], encode(Act.CARD, assignment.id))
    card = bound.last(GROUP_A)
    await bound.press(FOCAL_A, GROUP_A, card["message_id"], card_ext)
    await bound.send(FOCAL_A, GROUP_A, "30/04/2020 chờ số liệu")
    request_answer = bound.last(GROUP_A)
    office = bound.last(OFFICE_GROUP)
    await bound.press(ADMIN, OFFICE_GROUP, office["message_id"], bound.button(office, "✅"))
    before = await _history(bound, assignment.id)
    assert [k for k, _ in before] == ["in_progress", "extension_request", "extension_approved"]
    rows = await bound.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment.id)
    # ↩️ on the 50% report, and on the request itself (its undo button's data, pressed).
    for message, undo in (
        (confirmation, bound.button(confirmation, "↩️")),
        (request_answer, f"undo:{rows[1].id}"),
    ):
        await bound.press(FOCAL_A, GROUP_A, message["message_id"], undo, strict=False)
        assert DECIDED in bound.answers()[-1]
    assert await _history(bound, assignment.id) == before
    refreshed = await _assignment(bound, "I.6.2")
    assert (refreshed.status, refreshed.percent) == ("in_progress", 50)


async def test_undo_all_is_refused_whole_once_the_office_decided_one_line(bot: Harness) -> None:
    """R7's ↩️ Hoàn tác tất cả: one line's completion confirmed since; nothing taken back
    (not the other line either: the answer says why, the agency undoes what it can by hand)."""
    await seed_world(bot, [(f"IV.{n}", TC, "31/01/2020") for n in (1, 2)])
    bot.clock.set(at("31/01/2020", 8, 0))
    await sweep_and_send(bot.app)
    digest = bot.last(GROUP_A)
    ids = [int(d.split(":")[1]) for _t, d in bot.emulator.buttons(digest) if d.startswith("card:")]
    await bot.send(
        FOCAL_A, GROUP_A, "1 xong\n2 đạt 40%, xin gia hạn đến 30/4", reply_to=digest["message_id"]
    )
    answer = bot.last(GROUP_A)
    undo_all = bot.button(answer, "undoa:")  # line 2 holds two reports: one button for all
    office = bot.last(OFFICE_GROUP)
    await bot.press(ADMIN, OFFICE_GROUP, office["message_id"], f"conf:{ids[0]}")
    before = [await _history(bot, aid) for aid in ids]
    await bot.press(FOCAL_A, GROUP_A, answer["message_id"], undo_all, strict=False)
    assert DECIDED in bot.answers()[-1]
    assert [await _history(bot, aid) for aid in ids] == before
    states = [(a.status, a.percent) for a in await bot.rows(Assignment, Assignment.id.in_(ids))]
    assert sorted(states) == [("done", 100), ("in_progress", 40)]
