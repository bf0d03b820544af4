"""Review items R5 and R2 (/work/notes/review.md), through the whole bot on SQLite and
PostgreSQL: an edited report in an agency's group is answered (the edit is not applied), its
chatter edits are not; a percent above 100 in a reply to a card gets the range answer."""

from __future__ import annotations

import pytest

from storage.models import Assignment, ProgressUpdate
from tests.harness import FOCAL_A, GROUP_A, Harness
from tests.jobs.world import TC, World, seed_world

TASKS = [("I.1", TC, "31/01/2020"), ("I.2", TC, "25/01/2020")]
EDITED = "Bot không xử lý tin nhắn đã sửa. Vui lòng gửi lại nội dung mới."
RANGE = "Tỷ lệ phần trăm phải từ 0 đến 100. Không có gì thay đổi."


@pytest.fixture
async def world(bot: Harness) -> World:
    return await seed_world(bot, TASKS)


async def _percents(bot: Harness, assignment_id: int) -> list[int | None]:
    rows = await bot.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment_id)
    return [u.percent for u in sorted(rows, key=lambda u: u.id)]


async def _edit(bot: Harness, message: dict[str, object], text: str) -> None:
    message_id = message["message_id"]
    assert isinstance(message_id, int)
    bot.emulator.user_edits(FOCAL_A, GROUP_A, message_id, text)
    await bot.flush()


async def test_an_edited_coded_report_in_a_group_is_answered_and_changes_nothing(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]
    sent = await bot.send(FOCAL_A, GROUP_A, f"#{aid} đạt 30%")
    assert bot.last_text(GROUP_A) == f"🔄 Đã ghi nhận #{aid}: đạt 30%."
    before = len(bot.bot_messages(GROUP_A))
    await _edit(bot, sent, f"#{aid} đạt 60%")
    assert len(bot.bot_messages(GROUP_A)) == before + 1  # answered once
    assert bot.last_text(GROUP_A) == EDITED
    assert await _percents(bot, aid) == [30]
    assert (await bot.rows(Assignment, Assignment.id == aid))[0].percent == 30


async def test_an_edited_reply_to_a_card_in_a_group_is_answered(bot: Harness, world: World) -> None:
    aid = world.aid["I.2"]
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{aid}")
    card = bot.last(GROUP_A)
    sent = await bot.send(FOCAL_A, GROUP_A, "xong một nửa", reply_to=card["message_id"])
    before = len(bot.bot_messages(GROUP_A))
    await _edit(bot, sent, "đã xong hết")
    assert len(bot.bot_messages(GROUP_A)) == before + 1
    assert bot.last_text(GROUP_A) == EDITED
    assert await _percents(bot, aid) == [50]


async def test_chatter_edits_in_a_group_get_no_answer(bot: Harness, world: World) -> None:
    sent = await bot.send(FOCAL_A, GROUP_A, "chào cả nhà, chiều nay họp lúc 3h")
    before = len(bot.bot_messages(GROUP_A))
    await _edit(bot, sent, "chào cả nhà, chiều nay họp lúc 4h")
    assert len(bot.bot_messages(GROUP_A)) == before


async def test_a_percent_above_100_replying_to_a_card_gets_the_range_answer(
    bot: Harness, world: World
) -> None:
    aid = world.aid["I.1"]
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{aid}")
    card = bot.last(GROUP_A)
    for text in ("150%", "đạt 150%"):
        await bot.send(FOCAL_A, GROUP_A, text, reply_to=card["message_id"])
        assert bot.last_text(GROUP_A) == RANGE
    await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{aid} 150%")
    assert bot.last_text(GROUP_A) == RANGE
    assert await _percents(bot, aid) == []
    # A statistic above 100 is not the task's progress: still read as before.
    await bot.send(
        FOCAL_A, GROUP_A, "đạt 40%, thu ngân sách tăng 150%", reply_to=card["message_id"]
    )
    assert await _percents(bot, aid) == [40]
