"""One request for more time waits at a time (leftover of 06/12): while the office has not
decided an extension request (or a proposed deadline), another one for the same assignment is
answered with the one waiting, its date and the day it was sent, and changes nothing:
nothing stored, nothing sent to the office, whichever way it is asked (a reply or /capnhat,
📅 and its date, the 📅 Đề xuất button). Once the office decides, a new request is welcome."""

from __future__ import annotations

from datetime import date

from sqlalchemy import true

from storage.models import ExtensionRequest
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, Harness
from tests.jobs.world import TC, seed_world

WAITING = "đang chờ Văn phòng Điều phối quyết định; chưa gửi đề nghị mới"


async def _pending(bot: Harness) -> list[tuple[int, date]]:
    rows = await bot.rows(ExtensionRequest, ExtensionRequest.status == "pending")
    return [(r.assignment_id, r.requested_end) for r in rows]


async def test_a_second_request_while_one_waits_changes_nothing(bot: Harness) -> None:
    world = await seed_world(bot, [("I.2", TC, "31/01/2020")])
    aid = world.aid["I.2"]
    await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{aid} xin gia hạn đến 30/04/2020")
    assert "30/04/2020" in bot.last_text(GROUP_A)
    office = bot.last(OFFICE_GROUP)
    sent_to_office = len(bot.bot_messages(OFFICE_GROUP))
    assert await _pending(bot) == [(aid, date(2020, 4, 30))]

    # In words, another date.
    await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{aid} xin gia hạn đến 31/05/2020")
    answer = bot.last_text(GROUP_A)
    assert f"đã xin gia hạn nhiệm vụ #{aid} đến 30/04/2020" in answer and WAITING in answer
    # 📅 on the card, then a date.
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{aid}")
    card = bot.last(GROUP_A)
    await bot.press(FOCAL_A, GROUP_A, card["message_id"], f"ext:{aid}")
    await bot.send(FOCAL_A, GROUP_A, "15/05/2020 chờ ý kiến của Bộ")
    answer = bot.last_text(GROUP_A)
    assert f"đã xin gia hạn nhiệm vụ #{aid} đến 30/04/2020" in answer and WAITING in answer
    # A reply to the card with a figure: the figure is recorded, the request is not.
    await bot.send(FOCAL_A, GROUP_A, f"/nhiemvu #{aid}")
    card = bot.last(GROUP_A)
    await bot.send(
        FOCAL_A, GROUP_A, "đạt 60%, xin gia hạn đến 31/05/2020", reply_to=card["message_id"]
    )
    answer = bot.last_text(GROUP_A)
    assert "60%" in answer and WAITING in answer
    assert await _pending(bot) == [(aid, date(2020, 4, 30))]
    assert len(bot.bot_messages(OFFICE_GROUP)) == sent_to_office

    # The office's buttons decide the one request there is; then more time may be asked.
    await bot.press(ADMIN, OFFICE_GROUP, office["message_id"], bot.button(office, "xok:"))
    assert await _pending(bot) == []
    await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{aid} xin gia hạn đến 31/05/2020")
    assert await _pending(bot) == [(aid, date(2020, 5, 31))]
    assert len(bot.bot_messages(OFFICE_GROUP)) > sent_to_office + 1  # decided, then the new one


async def test_a_second_proposed_deadline_while_one_waits_changes_nothing(bot: Harness) -> None:
    world = await seed_world(bot, [("I.1", TC, None)])
    aid = world.aid["I.1"]
    await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{aid} xin gia hạn đến 30/04/2020")
    first = bot.last(GROUP_A)
    await bot.press(FOCAL_A, GROUP_A, first["message_id"], f"xprop:{aid}:20200430")
    sent_to_office = len(bot.bot_messages(OFFICE_GROUP))
    await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{aid} xin gia hạn đến 31/05/2020")
    second = bot.last(GROUP_A)
    await bot.press(FOCAL_A, GROUP_A, second["message_id"], f"xprop:{aid}:20200531")
    said = bot.answers()[-1]
    assert f"đã đề xuất thời hạn cho nhiệm vụ #{aid} đến 30/04/2020" in said
    assert "đang chờ Văn phòng Điều phối quyết định" in said
    assert await _pending(bot) == [(aid, date(2020, 4, 30))]
    assert len(bot.bot_messages(OFFICE_GROUP)) == sent_to_office
    assert len(await bot.rows(ExtensionRequest, true())) == 1
