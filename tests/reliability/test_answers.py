"""Answers survive Telegram's brief failures (issue 22, item 1): what the person asked for is
answered, sent again through a 5xx, a timeout or a dropped connection, never replaced by an
apology; what still cannot be delivered is handed over (logged with its update today).

Through the real application and the emulator's faults; the retries' waits run on
`VirtualTime` (the policy's injected clock and sleep), so nothing really waits.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import true

from bot.clock import ManualClock
from handlers.menu import menus_ready
from storage.models import InviteCode, MessageLink, Person, ProgressUpdate
from tests.harness import (
    ADMIN,
    DEPUTY_A,
    FOCAL_A,
    GROUP_A,
    OFFICE_GROUP,
    STRANGER,
    TOKEN,
    Harness,
    VirtualTime,
    running_bot,
    sweep_and_send,
)
from tests.reliability.world import FANOUT_DAY, MARK_A, NOW, TOPICS, seed

SAVED = "Đã ghi nhận"


def _texts(harness: Harness, chat_id: int) -> list[str]:
    return [m.get("text") or "" for m in harness.bot_messages(chat_id)]


def _apologies(harness: Harness, chat_id: int) -> list[str]:
    return [t for t in _texts(harness, chat_id) if "Xin lỗi" in t]


def _handed_over(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "handed over:" in r.getMessage()]


# --- the three cases: one 500 on the answer ------------------------------------------


async def test_a_used_codes_refusal_survives_a_500(sqlite_url: str) -> None:
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        await seed(harness)
        await harness.send(ADMIN, ADMIN, "/moi Sở Tài chính")
        [invite] = await harness.rows(InviteCode, true())
        await harness.send(STRANGER, STRANGER, f"/dangky {invite.code}")
        harness.emulator.faults.server_error("sendMessage")
        await harness.send(DEPUTY_A, DEPUTY_A, f"/dangky {invite.code}")
        assert _texts(harness, DEPUTY_A) == [
            "Mã mời này đã được sử dụng. Đề nghị Văn phòng Điều phối cấp mã mới."
        ]
        assert time.slept == [0.5]


async def test_a_not_found_answer_survives_a_500(sqlite_url: str) -> None:
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        await seed(harness)
        harness.emulator.faults.server_error("sendMessage")
        await harness.send(FOCAL_A, GROUP_A, "/capnhat ZZZ-999 đạt 50%")
        [answer] = _texts(harness, GROUP_A)
        assert "Không tìm thấy nhiệm vụ ZZZ-999" in answer
        assert await harness.rows(ProgressUpdate, true()) == []


async def test_a_card_that_met_a_500_is_shown_and_a_reply_to_it_recorded(sqlite_url: str) -> None:
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        world = await seed(harness)
        await harness.send(FOCAL_A, GROUP_A, "/nhiemvu")
        listing = harness.last(GROUP_A)
        task = world.open_task["A"]
        harness.emulator.faults.server_error("sendMessage", times=2)
        await harness.press(FOCAL_A, GROUP_A, listing["message_id"], f"card:{task}")
        card = harness.last(GROUP_A)
        assert f"#{task}" in card["text"] and harness.button(card, "done:")
        assert time.slept == [0.5, 1.5]
        links = await harness.rows(MessageLink, MessageLink.message_id == card["message_id"])
        assert [link.assignment_id for link in links] == [task]
        await harness.send(FOCAL_A, GROUP_A, "đạt 60%", reply_to=card["message_id"])
        assert SAVED in harness.last_text(GROUP_A)
        rows = await harness.rows(ProgressUpdate, true())
        assert [(r.assignment_id, r.percent) for r in rows] == [(task, 60)]
        assert harness.answers()[-1] == ""  # the press was answered, once


async def test_a_card_telegram_would_not_take_comes_later_and_a_reply_to_it_is_recorded(
    sqlite_url: str,
) -> None:
    """Telegram down for the group longer than the update's retries: the card is handed to
    the outbox with its task, so when it arrives a reply to it is a report on that task (the
    issue's third case, past the retries); the press is answered meanwhile."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy(), drain=False
    ) as harness:
        world = await seed(harness)
        await harness.send(FOCAL_A, GROUP_A, "/nhiemvu")
        listing = harness.last(GROUP_A)
        task = world.open_task["A"]
        harness.emulator.faults.server_error("sendMessage", times=4)
        await harness.press(FOCAL_A, GROUP_A, listing["message_id"], f"card:{task}")
        assert harness.last(GROUP_A)["message_id"] == listing["message_id"]  # not yet
        assert harness.answers() == [""]  # the press was answered all the same
        await harness.drain()
        card = harness.last(GROUP_A)
        assert f"#{task}" in card["text"] and harness.button(card, "done:")
        links = await harness.rows(MessageLink, MessageLink.message_id == card["message_id"])
        assert [(link.assignment_id, link.purpose) for link in links] == [(task, "card")]
        await harness.send(FOCAL_A, GROUP_A, "đạt 60%", reply_to=card["message_id"])
        assert SAVED in harness.last_text(GROUP_A)
        rows = await harness.rows(ProgressUpdate, true())
        assert [(r.assignment_id, r.percent) for r in rows] == [(task, 60)]
        assert _apologies(harness, GROUP_A) == []


async def test_a_question_telegram_would_not_take_comes_later_still_asking_for_a_reply(
    sqlite_url: str,
) -> None:
    """⚠️ Vướng mắc asks what stops the agency with a forced reply (in a group the answer must
    reach the bot). Handed to the outbox, the question keeps it; the answer is recorded."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy(), drain=False
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        await harness.send(FOCAL_A, GROUP_A, f"/nhiemvu #{task}")
        card = harness.last(GROUP_A)
        harness.emulator.faults.server_error("sendMessage", times=4)
        await harness.press(FOCAL_A, GROUP_A, card["message_id"], f"block:{task}")
        assert harness.last(GROUP_A)["message_id"] == card["message_id"]
        harness.emulator.reset_records()
        await harness.drain()
        [sent] = [c for c in harness.emulator.calls if c.method == "sendMessage"]
        assert sent.params.get("reply_markup") == {"force_reply": True, "selective": True}
        question = harness.last(GROUP_A)
        await harness.send(FOCAL_A, GROUP_A, "chưa có mặt bằng", reply_to=question["message_id"])
        rows = await harness.rows(ProgressUpdate, true())
        assert [(r.kind, r.text) for r in rows] == [("blocked", "chưa có mặt bằng")]


# --- what is retried, and how many times -----------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "times", "sent", "slept", "handed"),
    [
        ("server_error", 3, 4, [0.5, 1.5, 3.0], False),  # 4 tries: the 4th gets through
        ("bad_gateway", 4, 4, [0.5, 1.5, 3.0], True),  # still down after 5 s: handed over
        ("timeout", 1, 2, [0.5], False),  # may have arrived: sent again once
        ("timeout", 2, 2, [0.5], True),  # ... but only once
        ("drop", 2, 2, [0.5], True),  # a dropped connection is a timeout's kin
    ],
)
async def test_how_a_message_answer_is_retried(
    sqlite_url: str,
    fault: str,
    times: int,
    sent: int,
    slept: list[float],
    handed: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy(), drain=False
    ) as harness:
        world = await seed(harness)
        harness.emulator.faults.inject("sendMessage", fault, times=times)
        harness.emulator.reset_records()
        with caplog.at_level(logging.INFO):
            await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đạt 30%")
        calls = [c for c in harness.emulator.calls if c.method == "sendMessage"]
        assert len(calls) == sent
        assert time.slept == slept
        assert len(await harness.rows(ProgressUpdate, true())) == 1
        assert _apologies(harness, GROUP_A) == []
        assert bool(_handed_over(caplog)) is handed
        assert [SAVED in t for t in _texts(harness, GROUP_A)] == ([] if handed else [True])
        # What was handed over waits in the outbox, and goes when Telegram answers again.
        await harness.drain()
        assert [SAVED in t for t in _texts(harness, GROUP_A)] == [True]


async def test_an_undelivered_answer_is_handed_over_with_its_update_and_the_rest_goes_on(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram down for the agency's group: the report is stored once, its confirmation is
    handed over (one warning: update, chat, what it said; never the token), no apology, and
    the office is still asked to confirm."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        harness.emulator.faults.inject("sendMessage", "server_error", times=100, chat_id=GROUP_A)
        with caplog.at_level(logging.DEBUG):
            message = harness.emulator.user_sends(
                FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành"
            )
            update_ids = [u["update_id"] for u in harness.emulator.updates]
            await harness.flush()
        [handed] = _handed_over(caplog)
        assert f"update {update_ids[-1]}" in handed and f"chat {GROUP_A}" in handed
        assert f"'✅ Đã ghi nhận #{task} hoàn thành" in handed
        ours = [r.getMessage() for r in caplog.records if r.name.startswith(("bot.", "handlers"))]
        assert ours and not [line for line in ours if TOKEN.split(":")[1] in line]
        assert harness.bot_messages(GROUP_A) == []
        assert [r.kind for r in await harness.rows(ProgressUpdate, true())] == ["done"]
        assert any("báo hoàn thành" in t for t in _texts(harness, OFFICE_GROUP))
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert message["text"].startswith("/capnhat")
        assert sum(time.slept) <= 10  # within the update's budget


async def test_the_retries_stop_at_the_updates_budget(sqlite_url: str) -> None:
    """A 429 asking for 30 s is not waited out inside an update (10 s): handed over."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy(), drain=False
    ) as harness:
        world = await seed(harness)
        harness.emulator.faults.flood("sendMessage", retry_after=30)
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đạt 30%")
        assert time.slept == []
        assert harness.bot_messages(GROUP_A) == []  # kept in the outbox: sent after
        harness.emulator.faults.flood("sendMessage", retry_after=2)
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đạt 40%")
        assert time.slept == [2.0]
        assert SAVED in harness.last_text(GROUP_A)


# --- buttons: the press's answer and the edit of the pressed message --------------------------


async def _awaiting_confirmation(harness: Harness, task: int) -> dict[str, Any]:
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đã hoàn thành")
    return harness.last(OFFICE_GROUP)


@pytest.mark.parametrize("method", ["answerCallbackQuery", "editMessageReplyMarkup"])
async def test_a_press_whose_answer_cannot_be_given_still_does_everything_else(
    sqlite_url: str, method: str, caplog: pytest.LogCaptureFixture
) -> None:
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        asked = await _awaiting_confirmation(harness, task)
        harness.emulator.faults.inject(method, "server_error", times=100)
        with caplog.at_level(logging.INFO):
            await harness.press(
                ADMIN, OFFICE_GROUP, asked["message_id"], harness.button(asked, "conf:")
            )
        kinds = [r.kind for r in await harness.rows(ProgressUpdate, true())]
        assert kinds == ["done", "confirmed"]
        assert "Đã xác nhận hoàn thành" in harness.last_text(OFFICE_GROUP)
        assert "đã xác nhận hoàn thành" in harness.last_text(GROUP_A)
        [handed] = _handed_over(caplog)
        assert method in handed
        assert _apologies(harness, OFFICE_GROUP) == []


@pytest.mark.parametrize("method", ["answerCallbackQuery", "editMessageReplyMarkup"])
async def test_a_press_answer_or_edit_that_arrived_but_timed_out_is_not_an_error(
    sqlite_url: str, method: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The retry finds Telegram's "query is too old" / "message is not modified": the first
    try had arrived, and that is success."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        world = await seed(harness)
        asked = await _awaiting_confirmation(harness, world.open_task["A"])
        harness.emulator.faults.timeout(method, after=True)
        with caplog.at_level(logging.INFO):
            await harness.press(
                ADMIN, OFFICE_GROUP, asked["message_id"], harness.button(asked, "conf:")
            )
        assert time.slept == [0.5]
        assert _handed_over(caplog) == []
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        pressed = harness.emulator.message(OFFICE_GROUP, asked["message_id"])
        assert pressed is not None and harness.emulator.buttons(pressed) == []
        assert len(harness.emulator.callback_answers) == 1


# --- the phone-first messages (issue 23): the digest's buttons, Xem thêm, pages, menus ------


async def test_a_digest_button_whose_card_met_a_500_shows_the_card(sqlite_url: str) -> None:
    """The digest's one button per task opens its card: an answer like any other."""
    time = VirtualTime()
    clock = ManualClock(FANOUT_DAY)
    async with running_bot(
        sqlite_url, clock=clock, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        await sweep_and_send(harness.app)
        digest = harness.last(GROUP_A)
        harness.emulator.faults.server_error("sendMessage", times=2)
        await harness.press(
            FOCAL_A, GROUP_A, digest["message_id"], harness.button(digest, f"card:{task}")
        )
        card = harness.last(GROUP_A)
        assert f"#{task}" in card["text"] and harness.button(card, "done:")
        assert time.slept == [0.5, 1.5]
        links = await harness.rows(MessageLink, MessageLink.message_id == card["message_id"])
        assert [link.assignment_id for link in links] == [task]


@pytest.mark.parametrize(("reports", "method"), [(4, "sendMessage"), (30, "sendDocument")])
async def test_a_cards_whole_text_that_met_a_500_is_shown(
    sqlite_url: str, reports: int, method: str
) -> None:
    """📄 Xem thêm under a card: the whole text as a message when it fits one screen, else as
    a file; either is retried (the file is uploaded again)."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        for percent in range(1, reports + 1):
            await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt {percent}%")
        await harness.send(FOCAL_A, GROUP_A, f"/nhiemvu #{task}")
        card = harness.last(GROUP_A)
        harness.emulator.faults.server_error(method, times=2)
        await harness.press(FOCAL_A, GROUP_A, card["message_id"], harness.button(card, "full:"))
        assert time.slept == [0.5, 1.5]
        whole = harness.last(GROUP_A)
        if method == "sendDocument":
            assert whole["document"]["file_name"] == f"nhiem-vu-{task}.txt"
            assert f"#{task}" in whole["caption"]
        else:
            assert MARK_A in whole["text"] and "1%" in whole["text"]
        assert _apologies(harness, GROUP_A) == []


async def test_a_file_telegram_would_not_take_is_replaced_by_a_note_saying_so(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A file (here a card's whole text) is not kept by the outbox: a note goes in its place,
    naming the file and saying to ask again, so what the person sees is what happened."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy(), drain=False
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        for percent in range(1, 31):
            await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt {percent}%")
        await harness.send(FOCAL_A, GROUP_A, f"/nhiemvu #{task}")
        card = harness.last(GROUP_A)
        harness.emulator.faults.server_error("sendDocument", times=4)
        with caplog.at_level(logging.INFO):
            await harness.press(FOCAL_A, GROUP_A, card["message_id"], harness.button(card, "full:"))
        assert harness.last(GROUP_A)["message_id"] == card["message_id"]
        [handed] = _handed_over(caplog)
        assert "sendDocument" in handed
        await harness.drain()
        note = harness.last_text(GROUP_A)
        assert f"nhiem-vu-{task}.txt" in note and "chưa gửi được" in note
        assert _apologies(harness, GROUP_A) == []
        await harness.press(FOCAL_A, GROUP_A, card["message_id"], harness.button(card, "full:"))
        assert harness.last(GROUP_A)["document"]["file_name"] == f"nhiem-vu-{task}.txt"


async def test_the_next_help_page_that_met_a_502_is_shown_in_place(sqlite_url: str) -> None:
    """A page of a paged message (here /trogiup's) is an edit of the pressed message."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        await seed(harness)
        await harness.send(ADMIN, OFFICE_GROUP, "/trogiup")
        first = harness.last(OFFICE_GROUP)
        assert "(1/" in first["text"]  # the office's help has more than one page
        harness.emulator.faults.bad_gateway("editMessageText")
        await harness.press(
            ADMIN, OFFICE_GROUP, first["message_id"], harness.button(first, "Xem thêm")
        )
        assert time.slept == [0.5]
        shown = harness.emulator.message(OFFICE_GROUP, first["message_id"])
        assert shown is not None and "(2/" in shown["text"]


async def test_menus_are_not_answers_a_failed_one_is_neither_retried_nor_handed_over(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The command menus a binding changes are set while its update is handled, but answer
    no one: a 500 there is logged and skipped (the next refresh sets it), never retried as
    an answer, handed over or apologised for."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        await seed(harness)
        await menus_ready(harness.app)
        harness.emulator.reset_records()
        harness.emulator.faults.server_error("setMyCommands", times=1_000)
        with caplog.at_level(logging.INFO):
            await harness.send(ADMIN, ADMIN, f"/themadmin {STRANGER}")
        menus = [
            (repr(c.params.get("scope")), c.params.get("language_code"))
            for c in harness.emulator.calls
            if c.method == "setMyCommands"
        ]
        assert menus and len(menus) == len(set(menus))  # each menu tried once
        assert time.slept == [] and _handed_over(caplog) == []
        assert _apologies(harness, ADMIN) == [] and len(_texts(harness, ADMIN)) == 1


# --- a reply to the task list --------------------------------------------------------------


async def test_a_reply_to_the_task_list_gets_the_hint_and_records_nothing(sqlite_url: str) -> None:
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS) as harness:
        await seed(harness)
        await harness.send(FOCAL_A, GROUP_A, "/nhiemvu")
        listing = harness.last(GROUP_A)
        await harness.send(FOCAL_A, GROUP_A, "đã xong rồi", reply_to=listing["message_id"])
        assert "danh sách nhiệm vụ nên chưa ghi nhận gì" in harness.last_text(GROUP_A)
        await harness.send(FOCAL_A, GROUP_A, "cảm ơn", reply_to=listing["message_id"])
        assert "danh sách nhiệm vụ" in harness.last_text(GROUP_A)  # whatever it says
        before = len(harness.bot_messages(GROUP_A))
        # Someone who does not report here is not answered in the group.
        await harness.send(STRANGER, GROUP_A, "ok", reply_to=listing["message_id"])
        assert len(harness.bot_messages(GROUP_A)) == before
        assert await harness.rows(ProgressUpdate, true()) == []
        people = {p.telegram_user_id for p in await harness.rows(Person, true())}
        assert STRANGER not in people  # the stranger's reply wrote nothing either


async def test_an_edit_whose_answer_cannot_be_given_still_changes_nothing(sqlite_url: str) -> None:
    """Edits never change a report; the "edits are ignored" answer failing must not let the
    edited command through."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, answer_policy=time.policy()
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        sent = await harness.send(FOCAL_A, FOCAL_A, f"/capnhat #{task} đạt 10%")
        harness.emulator.faults.inject("sendMessage", "server_error", times=100)
        harness.emulator.user_edits(FOCAL_A, FOCAL_A, sent["message_id"], f"/capnhat #{task} 90%")
        await harness.flush()
        rows = await harness.rows(ProgressUpdate, true())
        assert [r.percent for r in rows] == [10]
