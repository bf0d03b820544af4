"""A person's repeat changes nothing twice (issue 22, item 2), through the real application
on SQLite and PostgreSQL: the same report from the same person within REPEAT_WINDOW_MINUTES
(same intent, percent and date) records nothing new and says when it was recorded; a
different report is recorded as usual. History stays append-only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import true

from storage.models import ExtensionRequest, ProgressUpdate
from tests.harness import (
    DEPUTY_A,
    FOCAL_A,
    FOCAL_B,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    Harness,
    running_bot,
)
from tests.reliability.world import NOW, TOPICS, World, seed

SAVED = "Đã ghi nhận"
REPEATED = "đã được ghi nhận lúc 27/12/2019 09:00; không ghi thêm lần nữa"


@pytest.fixture
async def agency(database_url: str) -> AsyncIterator[tuple[Harness, World]]:
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        yield harness, await seed(harness)


async def _history(harness: Harness, task: int) -> list[tuple[str, int | None, int | None]]:
    rows = await harness.rows(ProgressUpdate, ProgressUpdate.assignment_id == task)
    return [(r.kind, r.percent, r.author_user_id) for r in sorted(rows, key=lambda r: r.id or 0)]


def _asked_to_confirm(harness: Harness) -> int:
    return sum("báo hoàn thành" in m["text"] for m in harness.bot_messages(OFFICE_GROUP))


async def test_a_done_sent_again_is_recorded_once_and_answered_with_its_moment(
    agency: tuple[Harness, World],
) -> None:
    harness, world = agency
    task = world.open_task["A"]
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành")
    assert SAVED in harness.last_text(GROUP_A)
    harness.clock.advance(timedelta(minutes=3))
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} xong rồi")
    answer = harness.last(GROUP_A)
    assert REPEATED in answer["text"] and "Chờ xác nhận" in answer["text"]
    assert await _history(harness, task) == [("done", 100, FOCAL_A)]
    assert _asked_to_confirm(harness) == 1  # the office is not asked twice
    # The lost confirmation's Undo comes with the answer, and undoes the first report.
    [first] = await harness.rows(ProgressUpdate, ProgressUpdate.assignment_id == task)
    assert harness.button(answer, "undo:") == f"undo:{first.id}"
    await harness.press(FOCAL_A, GROUP_A, answer["message_id"], f"undo:{first.id}")
    assert "Đã hoàn tác" in harness.last_text(GROUP_A)
    assert [k for k, _, _ in await _history(harness, task)] == ["done", "undo"]
    # After an undo the same words are a new report.
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} xong rồi")
    assert SAVED in harness.last_text(GROUP_A)
    assert [k for k, _, _ in await _history(harness, task)] == ["done", "undo", "done"]


async def test_a_done_while_the_office_has_yet_to_decide_asks_it_once_whenever_sent(
    agency: tuple[Harness, World],
) -> None:
    """Past the window too, and from a colleague: a task whose completion awaits the office
    is not put through confirmation again (the issue: "a second «đã hoàn thành» puts the
    task through confirmation twice"); the answer says when it was recorded."""
    harness, world = agency
    task = world.open_task["A"]
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành")
    harness.clock.advance(timedelta(minutes=30))
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành")
    answer = harness.last_text(GROUP_A)
    assert REPEATED in answer and "Chờ xác nhận" in answer
    await harness.send(DEPUTY_A, GROUP_A, f"/capnhat #{task} xong")
    assert REPEATED in harness.last_text(GROUP_A)
    assert await _history(harness, task) == [("done", 100, FOCAL_A)]
    assert _asked_to_confirm(harness) == 1


async def test_a_different_report_or_another_person_or_a_later_one_is_recorded(
    agency: tuple[Harness, World],
) -> None:
    harness, world = agency
    task = world.open_task["A"]
    for text in ("đạt 70%", "đạt 80%", "80%"):
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} {text}")
    assert REPEATED in harness.last_text(GROUP_A)  # "80%" says what "đạt 80%" said
    await harness.send(DEPUTY_A, GROUP_A, f"/capnhat #{task} đạt 80%")  # another person
    assert SAVED in harness.last_text(GROUP_A)
    harness.clock.advance(timedelta(minutes=11))  # past REPEAT_WINDOW_MINUTES
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 80%")
    assert SAVED in harness.last_text(GROUP_A)
    assert await _history(harness, task) == [
        ("in_progress", 70, FOCAL_A),
        ("in_progress", 80, FOCAL_A),
        ("in_progress", 80, DEPUTY_A),
        ("in_progress", 80, FOCAL_A),
    ]


async def test_a_blocker_is_its_words(agency: tuple[Harness, World]) -> None:
    harness, world = agency
    task = world.open_task["A"]
    for text in (
        "vướng mắc: chưa có mặt bằng",
        "Vướng mắc: chưa có mặt bằng.",
        "vướng mắc: chưa có vốn",
    ):
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} {text}")
    kinds = [k for k, _, _ in await _history(harness, task)]
    assert kinds == ["blocked", "blocked"]
    blockers = [m for m in harness.bot_messages(OFFICE_GROUP) if "vướng mắc" in m["text"]]
    assert len(blockers) == 2


async def test_a_reply_to_a_card_sent_twice_is_recorded_once(agency: tuple[Harness, World]) -> None:
    harness, world = agency
    task = world.open_task["A"]
    await harness.send(FOCAL_A, GROUP_A, "/nhiemvu")
    listing = harness.last(GROUP_A)
    await harness.press(FOCAL_A, GROUP_A, listing["message_id"], f"card:{task}")
    card = harness.last(GROUP_A)
    await harness.send(FOCAL_A, GROUP_A, "đạt 50%", reply_to=card["message_id"])
    await harness.send(FOCAL_A, GROUP_A, "đạt 50%", reply_to=card["message_id"])
    assert REPEATED in harness.last_text(GROUP_A)
    assert await _history(harness, task) == [("in_progress", 50, FOCAL_A)]


async def test_the_same_extension_request_again_is_sent_once(agency: tuple[Harness, World]) -> None:
    harness, world = agency
    task = world.open_task["B"]
    before = len(await harness.rows(ExtensionRequest, true()))
    await harness.send(FOCAL_B, GROUP_B, "/nhiemvu")
    listing = harness.last(GROUP_B)
    await harness.press(FOCAL_B, GROUP_B, listing["message_id"], f"card:{task}")
    card = harness.last(GROUP_B)
    for _ in range(2):  # 📅, the date; again, as if the first answer never came
        await harness.press(FOCAL_B, GROUP_B, card["message_id"], f"ext:{task}")
        await harness.send(FOCAL_B, GROUP_B, "15/07/2020 chờ vốn")
    assert "đã được gửi Văn phòng Điều phối lúc 27/12/2019 09:00" in harness.last_text(GROUP_B)
    assert len(await harness.rows(ExtensionRequest, true())) == before + 1
    asked = [m for m in harness.bot_messages(OFFICE_GROUP) if "15/07/2020" in m["text"]]
    assert len(asked) == 1
    # Another date while the first waits for the office is not a second request: the agency
    # is told which one waits (tests/handlers/test_extension_waiting.py), nothing is sent.
    await harness.press(FOCAL_B, GROUP_B, card["message_id"], f"ext:{task}")
    await harness.send(FOCAL_B, GROUP_B, "31/07/2020 chờ vốn")
    assert "đang chờ Văn phòng Điều phối quyết định" in harness.last_text(GROUP_B)
    assert len(await harness.rows(ExtensionRequest, true())) == before + 1


async def test_a_done_that_closed_the_task_sent_again_says_when(database_url: str) -> None:
    async with running_bot(
        database_url, now=NOW, topics=TOPICS, require_confirmation=False
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành")
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành")
        assert REPEATED in harness.last_text(GROUP_A)
        assert "Đã hoàn thành" in harness.last_text(GROUP_A)
        assert await _history(harness, task) == [("done", 100, FOCAL_A)]


async def test_a_window_of_zero_records_every_report(database_url: str) -> None:
    async with running_bot(
        database_url, now=NOW, topics=TOPICS, repeat_window_minutes=0
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        for _ in range(2):
            await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 30%")
        assert len(await _history(harness, task)) == 2
