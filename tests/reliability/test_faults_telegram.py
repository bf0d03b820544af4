"""Faults from Telegram, injected by the emulator while the bot works: 5xx, timeouts,
dropped connections (before or after the call took effect), 429 with retry_after, and 403.

* getUpdates: the production bot polls the emulator over loopback HTTP; every user message
  produces its effect exactly once, whatever the fault (an answer lost after the emulator
  handed out updates means they come again, unconfirmed, and are handled once).
* replies: the confirmation send fails once; it is sent again (issue 22: an answer that
  may have arrived is sent again once, and seen twice), the progress update is stored once,
  a 403 is logged once with its update, chat and user, and the bot carries on.
* a reminder fan-out: no reminder lost or doubled — claims plus the retry after the claim
  timeout — except the documented at-least-once window (the send reached Telegram but its
  answer was lost).

Waits are real but short, and nothing of python-telegram-bot is patched: a 429 carries a
fraction of a second of retry_after (the emulator measures how long the client really waited:
`emulator.retry_waits`), and the polling loop backs off from a short `poll_interval`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import true
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest

from bot.clock import ManualClock
from bot.sandbox.emulator import BotApiEmulator
from storage.models import ChatBinding, OutboxMessage, ProgressUpdate, ReminderLog
from tests.harness import (
    ADMIN,
    FOCAL_A,
    FOCAL_B,
    FORUM,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    Harness,
    VirtualTime,
    running_bot,
    sweep_and_send,
)
from tests.reliability.world import FANOUT_DAY, NOW, TOPICS, seed

SAVED = "Đã ghi nhận"
# A 429's retry_after in these tests: Telegram's are whole seconds, the emulator's may be a
# fraction so that the bot really waits it out without slowing the suite.
RETRY_AFTER = 0.2


Arm = Callable[[BotApiEmulator, str], None]
# name -> how to arm it on a method; `after` faults let the call take effect first.
FAULTS: dict[str, Arm] = {
    "bad_gateway": lambda e, m: e.faults.bad_gateway(m) and None,
    "server_error": lambda e, m: e.faults.server_error(m) and None,
    "timeout": lambda e, m: e.faults.timeout(m) and None,
    "drop": lambda e, m: e.faults.drop(m) and None,
    "flood": lambda e, m: e.faults.flood(m, retry_after=RETRY_AFTER) and None,
    "bad_gateway_after": lambda e, m: e.faults.bad_gateway(m, after=True) and None,
    "timeout_after": lambda e, m: e.faults.timeout(m, after=True) and None,
    "drop_after": lambda e, m: e.faults.drop(m, after=True) and None,
}


def _errors(caplog: pytest.LogCaptureFixture, logger: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == logger and r.levelno >= logging.ERROR]


# --- getUpdates ------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_get_updates_faults_lose_nothing_and_double_nothing(
    sqlite_url: str, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="telegram.ext.Updater")
    # A short read timeout, so a stalled getUpdates times out in a blink.
    stalled = fault.startswith("timeout")
    async with running_bot(
        sqlite_url,
        now=NOW,
        topics=TOPICS,
        loopback=True,
        get_updates_request=HTTPXRequest(read_timeout=0.1) if stalled else None,
    ) as harness:
        app, emulator = harness.app, harness.emulator
        world = await seed(harness)
        task_a, task_b = world.open_task["A"], world.open_task["B"]
        await app.start()
        FAULTS[fault](emulator, "getUpdates")
        for percent in (10, 20, 30):
            emulator.user_sends(FOCAL_A, GROUP_A, f"/capnhat #{task_a} đạt {percent}%")
        emulator.user_sends(FOCAL_B, GROUP_B, f"/capnhat #{task_b} đạt 15%")
        # The polling loop backs off from poll_interval after an error (x1.5 each time):
        # a short one keeps the real wait short, as retry_after does for 429.
        await app.updater.start_polling(poll_interval=0.01, timeout=0 if stalled else 1)
        try:
            await emulator.wait_for(
                lambda: (
                    sum(SAVED in (m.get("text") or "") for m in harness.bot_messages(GROUP_A)) >= 3
                    and harness.bot_messages(GROUP_B)
                ),
                timeout=15,
            )
            await emulator.wait_idle()
        finally:
            await app.updater.stop()
            await app.stop()
        assert emulator.faults.pending == 0  # every armed fault did fire
        updates = await harness.rows(ProgressUpdate, true())
        assert sorted((u.assignment_id, u.percent) for u in updates) == sorted(
            [(task_a, 10), (task_a, 20), (task_a, 30), (task_b, 15)]
        )
        confirmations = [m["text"] for m in harness.bot_messages(GROUP_A)]
        assert len(confirmations) == 3 and all(SAVED in t for t in confirmations)
    if fault == "flood":
        [wait] = emulator.retry_waits("getUpdates")
        assert wait >= RETRY_AFTER  # retry_after honoured (the loop adds 0.5 s)
    # 5xx and dropped connections: one ERROR each from the polling loop; timeouts and 429
    # are expected weather (retried at once / after retry_after), logged at DEBUG.
    polling_errors = _errors(caplog, "telegram.ext.Updater")
    expected = 0 if stalled or fault == "flood" else 1
    assert len(polling_errors) == expected
    assert _errors(caplog, "handlers.common") == []


# --- replies ---------------------------------------------------------------------------------

REPLY_FAULTS: dict[str, Arm] = {
    **FAULTS,
    "forbidden": lambda e, m: (
        e.faults.forbidden(m, description="Forbidden: bot was kicked from the supergroup chat")
        and None
    ),
}


@pytest.mark.parametrize("fault", sorted(REPLY_FAULTS))
async def test_a_confirmation_meeting_a_fault_is_sent_again_and_the_report_stored_once(
    sqlite_url: str, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The answer to a report meets one fault (issue 22): it is sent again, never replaced
    by an apology, and the report is stored once whatever happens to its answer."""
    time = VirtualTime()
    async with running_bot(
        sqlite_url,
        now=NOW,
        topics=TOPICS,
        rate_limiter=AIORateLimiter(max_retries=3),
        answer_policy=time.policy(),
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        REPLY_FAULTS[fault](harness.emulator, "sendMessage")
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 30%")
        assert harness.emulator.faults.pending == 0
        rows = await harness.rows(ProgressUpdate, ProgressUpdate.assignment_id == task)
        assert [(r.percent, r.author_user_id) for r in rows] == [(30, FOCAL_A)]
        confirmations = [m for m in harness.bot_messages(GROUP_A) if SAVED in m["text"]]
        assert not [m for m in harness.bot_messages(GROUP_A) if "Xin lỗi" in m["text"]]
        assert _errors(caplog, "handlers.common") == []
        if fault == "flood":
            # The rate limiter waited retry_after and delivered: nothing to report.
            [wait] = harness.emulator.retry_waits("sendMessage")
            assert wait >= RETRY_AFTER
            assert len(confirmations) == 1 and time.slept == []
        elif fault == "forbidden":
            # Not weather: not retried; logged once with the chat and the user.
            assert confirmations == [] and time.slept == []
            warnings = [
                r for r in caplog.records
                if r.name == "handlers.progress" and "confirmation failed" in r.getMessage()
            ]  # fmt: skip
            assert len(warnings) == 1
            assert f"chat {GROUP_A} user {FOCAL_A}" in warnings[0].getMessage()
        elif fault.endswith("_after"):
            # It had arrived, the bot could not know: sent again once, so seen twice (the
            # documented price of never losing an answer; Telegram has no idempotency key).
            assert len(confirmations) == 2 and time.slept == [0.5]
        else:
            assert len(confirmations) == 1 and time.slept == [0.5]
        # The bot is still up: the next message is handled normally.
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 40%")
        assert SAVED in harness.last_text(GROUP_A)
        rows = await harness.rows(ProgressUpdate, ProgressUpdate.assignment_id == task)
        assert [r.percent for r in rows] == [30, 40]


async def test_a_user_who_blocked_the_bot_does_not_stop_the_others(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """403 in private (the person blocked the bot after writing): stored, logged once, and
    the next person is served."""
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        harness.emulator.faults.forbidden("sendMessage", chat_id=FOCAL_A)
        await harness.send(FOCAL_A, FOCAL_A, f"/capnhat #{world.open_task['A']} đạt 25%")
        await harness.send(FOCAL_B, FOCAL_B, f"/capnhat #{world.open_task['B']} đạt 35%")
        assert SAVED in harness.last_text(FOCAL_B)
        rows = await harness.rows(ProgressUpdate, true())
        assert sorted(r.percent or 0 for r in rows) == [25, 35]
        warnings = [r for r in caplog.records if "confirmation failed" in r.getMessage()]
        assert len(warnings) == 1 and f"user {FOCAL_A}" in warnings[0].getMessage()


# --- a reminder fan-out ----------------------------------------------------------------------

# The faults hit B's group, B's only chat. A also has a forum topic: one of two chats failing
# is tested below.


async def _sweep_faulted(
    harness: Harness, fault: str
) -> tuple[int, int]:  # (messages GROUP_B got at first, after the outbox's retries)
    emulator = harness.emulator
    kind = fault.removesuffix("_after")
    options: dict[str, Any] = {"chat_id": GROUP_B, "after": fault.endswith("_after")}
    if kind == "flood":
        options = {"chat_id": GROUP_B, "retry_after": RETRY_AFTER}
    if kind == "forbidden":
        options = {"chat_id": GROUP_B}
    emulator.faults.inject("sendMessage", kind, **options)
    report = await sweep_and_send(harness.app)
    assert emulator.faults.pending == 0
    first = len(harness.bot_messages(GROUP_B))
    assert len(harness.bot_messages(GROUP_A)) == 1  # the others are not held up
    assert report.messages >= 2
    await harness.drain(settle=True)  # the outbox tries again after its backoff
    harness.clock.advance(timedelta(hours=2))
    assert (await sweep_and_send(harness.app)).messages == 0  # and never again today
    return first, len(harness.bot_messages(GROUP_B))


@pytest.mark.parametrize("fault", [*sorted(FAULTS), "forbidden"])
async def test_fan_out_faults_lose_no_reminder_and_double_only_in_the_documented_window(
    database_url: str, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The sweep claims each reminder and queues it in the outbox in one transaction; the
    outbox's sender delivers it, waiting out the weather for that chat only."""
    async with running_bot(
        database_url, now=FANOUT_DAY, topics=TOPICS, rate_limiter=AIORateLimiter(max_retries=3)
    ) as harness:
        await seed(harness)
        first, final = await _sweep_faulted(harness, fault)
        await harness.drain()  # a gone chat's notice to the office goes through the outbox
        office = len(harness.bot_messages(OFFICE_GROUP))
        rows = await harness.rows(ReminderLog, true())
        assert rows and all(r.sent_at is not None and r.attempts == 1 for r in rows)  # once
        [queued] = await harness.rows(OutboxMessage, OutboxMessage.chat_id == GROUP_B)
        if fault == "flood":
            assert (first, final) == (1, 1) and queued.attempts == 0
            assert min(harness.emulator.retry_waits("sendMessage")) >= RETRY_AFTER
        elif fault == "forbidden":
            # The chat is gone: its binding ends, the office is told, nothing is retried.
            assert (first, final) == (0, 0)
            assert queued.failed_at is not None and "Forbidden" in (queued.error or "")
            binding = (await harness.rows(ChatBinding, ChatBinding.chat_id == GROUP_B))[0]
            assert binding.active is False
            assert any(
                "Không gửi được" in (m.get("text") or "")
                for m in harness.bot_messages(OFFICE_GROUP)
            )
        elif fault.endswith("_after"):
            # The send reached the chat but its answer was lost: tried again after the
            # backoff — the documented at-least-once window, at most twice.
            assert (first, final) == (1, 2)
            assert queued.sent_at is not None and queued.attempts == 1
        else:
            # Never reached the chat: tried again after the backoff, then recorded.
            assert (first, final) == (0, 1)
            assert queued.sent_at is not None and queued.attempts == 1
        assert office >= 1
        assert _errors(caplog, "bot.messaging.sweep") == []  # a failed send is weather, not a crash
        assert _errors(caplog, "bot.messaging.outbox") == []


# --- one of an agency's two chats fails ---------------------------------------------------------


def _topic_messages(harness: Harness, topic: int) -> list[dict[str, Any]]:
    """The bot's texts in the agency's forum topic (not the topic's creation)."""
    return [
        m
        for m in harness.bot_messages(FORUM)
        if m.get("message_thread_id") == topic and "text" in m
    ]


async def test_a_reminder_that_reached_one_of_two_chats_is_retried_to_the_other_only(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Agency A has a group and a forum topic: one outbox row each. A brief failure on the
    topic is waited out for the topic alone; the group never gets a second copy."""
    clock = ManualClock(FANOUT_DAY)
    async with running_bot(database_url, clock=clock, topics=TOPICS) as harness:
        world = await seed(harness)
        harness.emulator.faults.inject("sendMessage", "bad_gateway", chat_id=FORUM)
        report = await sweep_and_send(harness.app)
        assert len(harness.bot_messages(GROUP_A)) == 1
        assert _topic_messages(harness, world.topic) == []
        [row] = [
            r
            for r in await harness.rows(
                ReminderLog, ReminderLog.assignment_id == world.open_task["A"]
            )
            if str(OFFICE_GROUP) not in (r.delivered_to or "")
        ]
        # Claimed once and queued for both chats in that transaction.
        assert row.sent_at is not None and row.attempts == 1
        assert set((row.delivered_to or "").split()) == {f"{FORUM}:{world.topic}", f"{GROUP_A}:0"}
        assert report.sent >= 1
        [waiting] = await harness.rows(
            OutboxMessage, OutboxMessage.chat_id == FORUM, OutboxMessage.sent_at.is_(None)
        )
        assert waiting.attempts == 1 and waiting.error
        # Before its backoff nothing moves; after it, the topic alone gets it.
        clock.advance(timedelta(seconds=1))
        assert await harness.drain() == 0
        clock.advance(timedelta(seconds=2))
        assert await harness.drain() == 1
        assert len(harness.bot_messages(GROUP_A)) == 1  # no second copy in the group
        [retried] = _topic_messages(harness, world.topic)
        assert "ALPHAMARK" in retried["text"]
        clock.advance(timedelta(hours=2))
        assert (await sweep_and_send(harness.app)).messages == 0
        # The topic's copy is linked like the group's: a reply to it is a report.
        await harness.send(
            FOCAL_A, FORUM, "đạt 10%", reply_to=retried["message_id"], thread=world.topic
        )
        updates = await harness.rows(ProgressUpdate, true())
        assert [(u.assignment_id, u.percent) for u in updates] == [(world.open_task["A"], 10)]
    assert _errors(caplog, "bot.messaging.sweep") == []


async def test_a_chat_that_keeps_failing_is_tried_for_outbox_retry_hours_then_shown_to_the_office(
    sqlite_url: str,
) -> None:
    clock = ManualClock(FANOUT_DAY)
    async with running_bot(sqlite_url, clock=clock, topics=TOPICS) as harness:
        world = await seed(harness)
        harness.emulator.faults.inject("sendMessage", "server_error", chat_id=FORUM, times=1000)
        start = clock.now()
        await sweep_and_send(harness.app)
        for _ in range(4):  # each settle follows up to 50 retries, moving the clock
            await harness.drain(settle=True)
        assert len(harness.bot_messages(GROUP_A)) == 1  # the group never gets a duplicate
        assert _topic_messages(harness, world.topic) == []
        [failed] = await harness.rows(OutboxMessage, OutboxMessage.chat_id == FORUM)
        assert failed.failed_at is not None and "Internal Server Error" in (failed.error or "")
        hours = timedelta(hours=harness.settings.outbox_retry_hours)
        assert failed.failed_at - start >= hours  # tried for OUTBOX_RETRY_HOURS, then given up
        assert failed.attempts > 20
        told = [m.get("text") or "" for m in harness.bot_messages(OFFICE_GROUP)]
        assert any("Không gửi được tin đến" in text and "ALPHAMARK" in text for text in told)
        # The office's /hopthu lists it among what failed (a reminder like any other message).
        await harness.send(ADMIN, OFFICE_GROUP, "/hopthu")
        listed = harness.last_text(OFFICE_GROUP)
        failed_part = listed.split("Không gửi được", 1)[-1]
        assert "Nhắc việc" in failed_part, listed
        clock.advance(timedelta(hours=1))
        assert (await sweep_and_send(harness.app)).messages == 0  # claimed once: not again


# --- notifications to other chats (the office's "please confirm") ------------------------------


def _asks_to_confirm(harness: Harness) -> list[dict[str, Any]]:
    return [
        m for m in harness.bot_messages(OFFICE_GROUP) if "báo hoàn thành" in (m.get("text") or "")
    ]


@pytest.mark.parametrize(
    ("fault", "times", "arrived"),
    [
        ("bad_gateway", 1, 1),  # a brief 502: the next try gets through
        ("server_error", 2, 1),
        ("bad_gateway", 10, 1),  # down for a while: tried until it is back
        ("timeout_after", 1, 2),  # it arrived, but the bot could not know: seen twice
    ],
)
async def test_a_notification_to_the_office_waits_out_a_failure_in_the_outbox(
    sqlite_url: str, fault: str, times: int, arrived: int
) -> None:
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        kind = fault.removesuffix("_after")
        harness.emulator.faults.inject(
            "sendMessage", kind, times=times, chat_id=OFFICE_GROUP, after=fault.endswith("_after")
        )
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đã hoàn thành")
        assert SAVED in harness.last_text(GROUP_A)  # the agency's answer is not held up
        assert len(_asks_to_confirm(harness)) == arrived - 1  # the first try failed
        for _ in range(times):
            harness.clock.advance(timedelta(minutes=15))
            await harness.drain()
        assert len(_asks_to_confirm(harness)) == arrived
        [row] = await harness.rows(OutboxMessage, OutboxMessage.chat_id == OFFICE_GROUP)
        assert row.sent_at is not None and row.attempts == times
