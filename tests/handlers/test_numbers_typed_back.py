"""#N is the assignment's number: what any message shows, typed back, reaches that same row.

A task shared by several leads has one row per lead ("Đài Phát thanh và Truyền hình tỉnh, Báo
Hà Tĩnh: Đẩy mạnh tuyên truyền …" in the seed), so a focal point needs a number that is its own
agency's: the one its list, its card and the bot's answers show. Typed back in /nhiemvu #N,
/capnhat #N … or a plain "#N xong", it reaches that row and no other; typed in another agency's
group it reaches nothing.
"""

from __future__ import annotations

import re

from storage.models import Agency, Assignment, ProgressUpdate
from tests.handlers.test_tasks_and_progress import _bind
from tests.harness import ADMIN, FOCAL_A, FOCAL_B, GROUP_A, GROUP_B, OFFICE_GROUP, Harness

_NUMBER = re.compile(r"#(\d+)")


def _shown(message: dict, buttons: list[tuple[str, str]]) -> set[int]:
    labels = " ".join(label for label, _ in buttons)
    return {int(n) for n in _NUMBER.findall(f"{message['text']} {labels}")}


async def _row(bot: Harness, agency_name: str) -> Assignment:
    agency = (await bot.rows(Agency, Agency.name == agency_name))[0]
    return (await bot.rows(Assignment, Assignment.agency_id == agency.id))[0]


async def test_a_number_shown_in_any_message_typed_back_reaches_that_row(seeded: Harness) -> None:
    await _bind(seeded, "Đài Phát thanh và Truyền hình tỉnh", FOCAL_A, GROUP_A)
    await _bind(seeded, "Báo Hà Tĩnh", FOCAL_B, GROUP_B)
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    radio, paper = (
        await _row(seeded, "Đài Phát thanh và Truyền hình tỉnh"),
        await _row(seeded, "Báo Hà Tĩnh"),
    )
    assert radio.task_id == paper.task_id and radio.id != paper.id  # one task, two rows

    for user, chat, row in ((FOCAL_A, GROUP_A, radio), (FOCAL_B, GROUP_B, paper)):
        await seeded.send(user, chat, "/nhiemvu")
        listing = seeded.last(chat)
        own = {a.id for a in await seeded.rows(Assignment, Assignment.agency_id == row.agency_id)}
        shown = _shown(listing, seeded.emulator.buttons(listing))
        assert row.id in shown and shown <= own
        for number in shown:  # each number the list showed opens that row's card
            await seeded.send(user, chat, f"/nhiemvu #{number}")
            assert _shown(seeded.last(chat), []) == {number}, seeded.last_text(chat)

    await seeded.send(FOCAL_A, GROUP_A, f"/capnhat #{radio.id} đạt 40%")
    assert _shown(seeded.last(GROUP_A), []) == {radio.id}
    await seeded.send(FOCAL_B, GROUP_B, f"#{paper.id} đã hoàn thành")
    assert paper.id in _shown(seeded.last(GROUP_B), [])
    office = seeded.last(OFFICE_GROUP)
    assert "Báo Hà Tĩnh" in office["text"] and _shown(office, []) == {paper.id}

    # Another agency's number, typed in this group, reaches nothing.
    before = len(await seeded.rows(ProgressUpdate, ProgressUpdate.assignment_id == paper.id))
    await seeded.send(FOCAL_A, GROUP_A, f"/capnhat #{paper.id} đạt 90%")
    after = await seeded.rows(ProgressUpdate, ProgressUpdate.assignment_id == paper.id)
    assert len(after) == before

    updates = await seeded.rows(
        ProgressUpdate,
        ProgressUpdate.assignment_id.in_([radio.id, paper.id]),  # type: ignore[union-attr]
    )
    assert {(u.assignment_id, u.percent) for u in updates if u.assignment_id == radio.id} == {
        (radio.id, 40)
    }
    assert any(u.assignment_id == paper.id for u in updates)
