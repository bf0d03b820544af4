"""The review of the replies (R3, R4, R6, R7, R8) through the whole bot: the real Application,
the emulator, SQLite and PostgreSQL. Each test was written failing first (docs/replies.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import true

from bot.messaging.sweep import run_sweep_now
from storage.models import Assignment, ExtensionRequest, ProgressUpdate
from tests.harness import FOCAL_A, GROUP_A, Harness
from tests.jobs.world import TC, at, seed_world

FIVE = [(f"IV.{n}", TC, "31/01/2020") for n in range(1, 6)]


async def _digest(bot: Harness) -> tuple[dict[str, Any], list[int]]:
    """The day's digest to Sở Tài chính and its tasks, by line."""
    bot.clock.set(at("31/01/2020", 8, 0))
    await run_sweep_now(bot.app)
    digest = bot.last(GROUP_A)
    ids = [int(d.split(":")[1]) for _t, d in bot.emulator.buttons(digest) if d.startswith("card:")]
    return digest, ids


def _data(bot: Harness, message: dict[str, Any]) -> list[str]:
    return [data or "" for _text, data in bot.emulator.buttons(message)]


async def _assignment(bot: Harness, assignment_id: int) -> Assignment:
    return (await bot.rows(Assignment, Assignment.id == assignment_id))[0]


# --- R7: every line recorded can be taken back ---------------------------------------------


async def test_every_line_a_digest_answer_recorded_can_be_undone(bot: Harness) -> None:
    await seed_world(bot, FIVE, acknowledged=False)
    digest, ids = await _digest(bot)
    text = "1 xong\n2 đạt 50%\n3 vướng kinh phí\n4 đạt 40%, xin gia hạn đến 30/4\n5 đã tiếp nhận"
    await bot.send(FOCAL_A, GROUP_A, text, reply_to=digest["message_id"])
    answer = bot.last(GROUP_A)
    assert len(answer["text"].splitlines()) == 6  # the head and five lines
    # Line 4 recorded two reports (the figure, the request): one button takes back all.
    assert [t for t, _d in bot.emulator.buttons(answer)] == ["↩️ Hoàn tác tất cả"]
    (undo_all,) = _data(bot, answer)
    assert undo_all.startswith("undoa:")
    (request,) = await bot.rows(ExtensionRequest, true())
    assert request.status == "pending"
    await bot.press(FOCAL_A, GROUP_A, answer["message_id"], undo_all)
    undone = bot.last_text(GROUP_A).splitlines()
    assert undone[0] == "↩️ Đã hoàn tác báo cáo 4 nhiệm vụ:"
    assert [line.split(":")[0] for line in undone[1:]] == [f"#{aid}" for aid in ids[:4]]
    states = [await _assignment(bot, aid) for aid in ids]
    assert [(a.status, a.percent) for a in states] == [("not_started", 0)] * 5
    assert states[4].acknowledged_at is not None  # receipt is no report: it stays
    (request,) = await bot.rows(ExtensionRequest, true())
    assert request.status == "withdrawn"  # the office can no longer approve it
    undos = await bot.rows(ProgressUpdate, ProgressUpdate.kind == "undo")
    assert len(undos) == 5  # four lines, five reports
    # Pressed again: nothing left to take back, nothing appended.
    sent = len(bot.bot_messages(GROUP_A))
    await bot.press(FOCAL_A, GROUP_A, answer["message_id"], undo_all)
    assert len(bot.bot_messages(GROUP_A)) == sent
    assert len(await bot.rows(ProgressUpdate, ProgressUpdate.kind == "undo")) == 5


async def test_one_button_per_line_while_they_fit_else_one_for_all(bot: Harness) -> None:
    seven = [(f"V.{n}", TC, "31/01/2020") for n in range(1, 8)]
    world = await seed_world(bot, seven)
    ids = [world.aid[f"V.{n}"] for n in range(1, 8)]
    digest, lines = await _digest(bot)
    await bot.send(
        FOCAL_A, GROUP_A, "\n".join(f"{n} đạt {10 * n}%" for n in range(1, len(lines) + 1)),
        reply_to=digest["message_id"],
    )  # fmt: skip
    assert [d.split(":")[0] for d in _data(bot, bot.last(GROUP_A))] == ["undo"] * len(lines)
    # Seven tasks named by code: more than the phone's six buttons.
    text = "\n".join(f"#{aid} đạt {5 * n}%" for n, aid in enumerate(ids, 1))
    await bot.send(FOCAL_A, GROUP_A, text)
    answer = bot.last(GROUP_A)
    assert answer["text"].startswith("Đã ghi nhận báo cáo 7 nhiệm vụ:")
    (undo_all,) = _data(bot, answer)
    await bot.press(FOCAL_A, GROUP_A, answer["message_id"], undo_all)
    assert bot.last_text(GROUP_A).startswith("↩️ Đã hoàn tác báo cáo 7 nhiệm vụ:")
    # Each goes back to what it was before that message, not to nothing.
    before = {aid: 10 * n for n, aid in enumerate(lines, 1)}
    assert [(await _assignment(bot, aid)).percent for aid in ids] == [
        before.get(aid, 0) for aid in ids
    ]
