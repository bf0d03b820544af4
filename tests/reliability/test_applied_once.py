"""Every update applied once, whatever delivers it (issue 17, item 3; storage/ledger.py).

The emulator hands the bot the same update again, as Telegram does after a webhook timeout,
an overlap of two pollers, or a restart after a crash between the commit and the answer (the
offset was never confirmed). An hour passes in between, so the person's repeat rule
(REPEAT_WINDOW_MINUTES) cannot be what stops it: the ledger of applied updates is. Two
instances on one database, each handed every update at the same moment, store and confirm
each report once. An update that only reads is not in the ledger: the process itself
remembers the updates it took (bot/services/ledger.py), so a second delivery to it is not
answered again; a report delivered again to the same process stops there too.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import true
from telegram import Update

from storage.models import AppliedUpdate, ProgressUpdate
from tests.harness import FOCAL_A, FOCAL_B, GROUP_A, GROUP_B, OFFICE_GROUP, Harness, running_bot
from tests.reliability.world import NOW, TOPICS, World, seed


async def _deliver(harness: Harness, raw: dict[str, Any]) -> None:
    await harness.app.process_update(Update.de_json(raw, harness.app.bot))


async def _send_raw(harness: Harness, user: int, chat: int, text: str) -> dict[str, Any]:
    """The user writes; the update is delivered once and returned for a second delivery."""
    harness.emulator.user_sends(user, chat, text)
    [raw] = harness.emulator.take_updates()
    await _deliver(harness, raw)
    return raw


async def _history(harness: Harness, assignment: int) -> list[tuple[str, int | None]]:
    rows = await harness.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment)
    return [(r.kind, r.percent) for r in sorted(rows, key=lambda r: r.id or 0)]


async def test_a_report_delivered_again_an_hour_later_changes_nothing(database_url: str) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        raw = await _send_raw(harness, FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 40%")
        answers = len(harness.bot_messages(GROUP_A))
        assert "Đã ghi nhận" in harness.last_text(GROUP_A)
        harness.clock.advance(timedelta(hours=1))
        await _deliver(harness, raw)
        assert await _history(harness, task) == [("in_progress", 40)]
        assert len(harness.bot_messages(GROUP_A)) == answers  # silent: no second answer
        assert len(await harness.rows(AppliedUpdate, true())) == 1


async def test_a_completion_delivered_again_asks_the_office_once(database_url: str) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        raw = await _send_raw(harness, FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành")
        office = len(harness.bot_messages(OFFICE_GROUP))
        harness.clock.advance(timedelta(hours=2))
        await _deliver(harness, raw)
        assert await _history(harness, task) == [("done", 100)]
        assert len(harness.bot_messages(OFFICE_GROUP)) == office


async def test_a_button_delivered_again_acts_once(database_url: str) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        await harness.send(FOCAL_A, GROUP_A, f"/nhiemvu #{world.open_task['A']}")
        card = harness.last(GROUP_A)
        data = harness.button(card, "✅")
        harness.emulator.user_presses(FOCAL_A, GROUP_A, card["message_id"], data)
        [raw] = harness.emulator.take_updates()
        await _deliver(harness, raw)
        before = len(harness.emulator.callback_answers)
        harness.clock.advance(timedelta(hours=1))
        await _deliver(harness, raw)
        assert await _history(harness, world.open_task["A"]) == [("done", 100)]
        assert len(harness.emulator.callback_answers) == before


async def test_a_crash_before_the_answer_then_the_same_update_again(database_url: str) -> None:
    """The report committed, then the process died before answering (its answer lost, the
    offset never confirmed): the restarted bot is handed the same update and stores nothing."""
    async with running_bot(database_url, now=NOW, topics=TOPICS) as first:
        world = await seed(first)
        task = world.open_task["B"]
        first.emulator.faults.inject("sendMessage", "server_error", chat_id=GROUP_B, times=50)
        raw = await _send_raw(first, FOCAL_B, GROUP_B, f"/capnhat #{task} đạt 60%")
        first.emulator.faults.clear()
        emulator, clock = first.emulator, first.clock
    clock.advance(timedelta(minutes=30))
    async with running_bot(database_url, clock=clock, emulator=emulator) as restarted:
        await _deliver(restarted, raw)
        assert await _history(restarted, task) == [("in_progress", 60)]
        assert restarted.bot_messages(GROUP_B) == []


async def test_a_read_only_update_delivered_again_is_answered_once(database_url: str) -> None:
    """A list, a card, the help: nothing is written before the answer, so the ledger cannot
    stop a second delivery (a webhook's retry); the process remembers what it took."""
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        for text in ("/nhiemvu", f"/nhiemvu #{world.open_task['A']}", "/trogiup"):
            raw = await _send_raw(harness, FOCAL_A, GROUP_A, text)
            answers = len(harness.bot_messages(GROUP_A))
            harness.clock.advance(timedelta(minutes=1))
            await _deliver(harness, raw)
            assert len(harness.bot_messages(GROUP_A)) == answers, text


async def test_a_restarted_bot_answers_a_read_only_update_handed_again(database_url: str) -> None:
    """Not remembered across a restart, on purpose (bot/services/ledger.py): the updates
    handed again then are the batch fetched just before the crash, most likely unanswered,
    and remembering every read would cost a write per read."""
    async with running_bot(database_url, now=NOW, topics=TOPICS) as first:
        await seed(first)
        raw = await _send_raw(first, FOCAL_A, GROUP_A, "/nhiemvu")
        emulator, clock = first.emulator, first.clock
    async with running_bot(database_url, clock=clock, emulator=emulator) as restarted:
        answers = len(restarted.bot_messages(GROUP_A))
        await _deliver(restarted, raw)
        assert len(restarted.bot_messages(GROUP_A)) == answers + 1
        assert await restarted.rows(AppliedUpdate, true()) == []  # a read claims nothing


async def test_two_instances_handed_every_update_store_and_confirm_each_once(
    database_url: str,
) -> None:
    """Two Applications on one database (PostgreSQL: two instances; SQLite: two pollers on one
    file, which `dondoc run` now refuses, tested here all the same), each given every report
    at the same moment."""
    async with running_bot(database_url, now=NOW, topics=TOPICS) as one:
        world = await seed(one)
        async with running_bot(database_url, clock=one.clock, emulator=one.emulator) as two:
            raws = []
            for n in range(12):
                user, chat, key = (FOCAL_A, GROUP_A, "A") if n % 2 else (FOCAL_B, GROUP_B, "B")
                one.emulator.user_sends(user, chat, f"/capnhat #{world.open_task[key]} đạt {n}%")
                raws.extend(one.emulator.take_updates())
            for raw in raws:
                await asyncio.gather(_deliver(one, raw), _deliver(two, raw))
            await _check_once(one, world, raws)


async def _check_once(harness: Harness, world: World, raws: list[dict[str, Any]]) -> None:
    a = await _history(harness, world.open_task["A"])
    b = await _history(harness, world.open_task["B"])
    assert [p for _, p in a] == list(range(1, 12, 2))
    assert [p for _, p in b] == list(range(0, 12, 2))
    confirmations = [
        m
        for chat in (GROUP_A, GROUP_B)
        for m in harness.bot_messages(chat)
        if "Đã ghi nhận" in (m.get("text") or "")
    ]
    assert len(confirmations) == len(raws)
    assert len(await harness.rows(AppliedUpdate, true())) == len(raws)
