"""The flood limiter serves the answers first (issue 20, item 2): the confirmation to the
person who just wrote is not queued behind the outbox's fan-out, which shares Telegram's 30 a
second with it (bot/messaging/flood.py)."""

from __future__ import annotations

import asyncio
import time
from contextvars import ContextVar
from typing import Any

from telegram.request import BaseRequest

from bot.messaging.flood import FloodLimiter
from bot.messaging.outbox import Pace
from bot.messaging.wire import ShardedRequest, TrailingWindow, names_a_chat
from bot.sandbox.emulator import BotApiEmulator
from bot.services.outbox import Outgoing
from tests.harness import (
    ADMIN,
    DEPUTY_A,
    FOCAL_A,
    FOCAL_B,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    STRANGER,
    running_bot,
)
from tests.reliability.world import NOW, TOPICS, seed

_URGENT: ContextVar[bool] = ContextVar("urgent", default=False)


async def test_a_call_marked_urgent_goes_before_every_call_already_waiting() -> None:
    limiter = FloodLimiter(overall_per_second=50, group_interval=0, urgent=_URGENT.get)
    order: list[str] = []

    async def call(name: str) -> bool:
        order.append(name)
        return True

    async def later(name: str) -> None:
        await limiter.process_request(call, (name,), {}, "sendMessage", {"chat_id": 5}, None)

    async def urgent() -> None:
        _URGENT.set(True)
        await later("answer")

    started = time.perf_counter()
    waiting = [asyncio.create_task(later(f"fan-out {n}")) for n in range(10)]
    await asyncio.sleep(0.05)  # the first ones went; the rest wait for their slots
    await asyncio.gather(asyncio.create_task(urgent()), *waiting)
    elapsed = time.perf_counter() - started
    gone_before = order.index("answer")
    assert 1 <= gone_before <= 4, order  # the next slot after it asked, not the eleventh
    assert order[gone_before + 1 :] == [f"fan-out {n}" for n in range(gone_before, 10)]
    assert elapsed >= 10 / 50  # the rate held: eleven calls, one every 20 ms


async def test_a_group_gets_one_call_per_interval_and_calls_without_a_chat_are_free() -> None:
    limiter = FloodLimiter(overall_per_second=1000, group_interval=0.2)
    at: list[float] = []

    async def call() -> bool:
        at.append(time.perf_counter())
        return True

    async def to(chat: int, endpoint: str = "sendMessage") -> None:
        data = {"chat_id": chat} if chat else {}
        await limiter.process_request(call, (), {}, endpoint, data, None)

    await asyncio.gather(*(to(-100) for _ in range(3)))
    assert at[2] - at[0] >= 0.38  # three in one group: 0.2 s apart
    at.clear()
    await asyncio.gather(to(-300), to(-200), to(0, "answerCallbackQuery"))
    assert max(at) - min(at) < 0.15  # other groups and chatless calls do not wait


async def test_the_agencys_answer_is_not_queued_behind_the_outbox_fan_out(
    sqlite_url: str,
) -> None:
    """Twenty messages to other chats are being sent at two a second when a focal point
    reports: the confirmation takes the next slot, not the twentieth."""
    limiter = FloodLimiter(overall_per_second=2, group_interval=0)
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, rate_limiter=limiter, outbox_pace=Pace(0, 0),
        drain=False,
    ) as bot:  # fmt: skip
        world = await seed(bot)
        chats = (GROUP_B, OFFICE_GROUP, FOCAL_B, ADMIN, DEPUTY_A, STRANGER)
        await bot.services.outbox.post(
            *(Outgoing(text=f"tin {n}", chat=(chats[n % len(chats)], 0)) for n in range(20))
        )
        fan_out = asyncio.create_task(bot.outbox.drain())

        def sent_out() -> int:
            return sum(1 for r in bot.emulator.sent if (r.text or "").startswith("tin "))

        await bot.emulator.wait_for(lambda: sent_out() >= 3, timeout=30)
        before = sent_out()
        await bot.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đạt 40%")
        assert "Đã ghi nhận" in bot.last_text(GROUP_A)
        answer = next(i for i, r in enumerate(bot.emulator.sent) if "Đã ghi nhận" in (r.text or ""))
        ahead = sum(1 for r in bot.emulator.sent[:answer] if (r.text or "").startswith("tin "))
        # First come, first served would put the sender's six calls under way ahead of it.
        assert ahead - before <= 2
        await fan_out
        assert sent_out() == 20


async def test_after_a_429_the_held_calls_go_at_the_cadence_not_together() -> None:
    """A 429 holds every call for its `retry_after`; the slots are not granted meanwhile, so
    the calls that waited then go one slot apart. (Granted during the wait, they all went
    together when it ended: a burst over Telegram's one-second window, the next 429, and so
    on, every two seconds: bench item 8 on a loaded machine.)"""
    from datetime import timedelta

    from telegram.error import RetryAfter

    limiter = FloodLimiter(overall_per_second=20, group_interval=0)
    at: list[float] = []
    refused: list[str] = []

    async def call(name: str) -> bool:
        if name == "first" and not refused:
            refused.append(name)
            raise RetryAfter(timedelta(seconds=0.3))
        at.append(asyncio.get_running_loop().time())
        return True

    async def send(name: str) -> None:
        await limiter.process_request(call, (name,), {}, "sendMessage", {"chat_id": 5}, None)

    first = asyncio.create_task(send("first"))
    await asyncio.sleep(0)  # it takes the first slot and is refused
    await asyncio.gather(first, *(send(f"held {n}") for n in range(8)))
    assert refused == ["first"] and len(at) == 9
    # Nine calls after the wait, one slot (50 ms) apart: 400 ms from the first to the last.
    assert at[-1] - at[0] >= 8 * 0.05 * 0.9


async def test_an_answer_in_a_group_goes_at_once_while_the_minute_has_room() -> None:
    """Telegram's group limit is twenty a minute, not a spacing: the answer to a report goes
    at once even just after the group's reminder (which took the group's slot), while the
    outbox's next message there waits for the interval; no more than `group_per_minute` go
    in any minute, answers included."""
    limiter = FloodLimiter(
        overall_per_second=1000, group_interval=100, group_per_minute=3, urgent=_URGENT.get
    )
    gone: list[str] = []

    async def call(name: str) -> bool:
        gone.append(name)
        return True

    async def send(name: str, *, urgent: bool = False) -> None:
        _URGENT.set(urgent)
        await limiter.process_request(call, (name,), {}, "sendMessage", {"chat_id": -7}, None)

    await send("reminder")
    await asyncio.wait_for(send("answer 1", urgent=True), timeout=30)  # not the 100 s slot
    next_notice = asyncio.create_task(send("notice"))
    await asyncio.wait_for(send("answer 2", urgent=True), timeout=30)
    held = asyncio.create_task(send("answer 3", urgent=True))  # the minute's fourth
    for _ in range(20):
        await asyncio.sleep(0)
    assert gone == ["reminder", "answer 1", "answer 2"]
    assert not next_notice.done() and not held.done()
    next_notice.cancel()
    held.cancel()
    await asyncio.gather(next_notice, held, return_exceptions=True)


class _Wire(BaseRequest):
    """Telegram's side of the wire for ShardedRequest: notes the loop's time each call starts
    and is answered (after `slow` seconds for the chats in it) and whether it named a chat."""

    def __init__(self, slow: dict[int, float] | None = None) -> None:
        self.slow = slow or {}
        self.calls: list[tuple[float, float, bool]] = []

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, url, method, request_data=None, **_timeouts):  # type: ignore[no-untyped-def]
        loop = asyncio.get_running_loop()
        started = loop.time()
        chat = request_data.parameters.get("chat_id") if request_data else None
        await asyncio.sleep(self.slow.get(chat, 0))
        self.calls.append((started, loop.time(), names_a_chat(request_data)))
        return 200, b'{"ok": true, "result": true}'


class _Data:
    """What ShardedRequest reads of a call's RequestData: its parameters."""

    def __init__(self, chat: int | None) -> None:
        self.parameters = {"text": "x"} | ({} if chat is None else {"chat_id": chat})


def _call(chat: int | None) -> Any:
    return _Data(chat)


URL = "https://api.telegram.org/botT/sendMessage"


async def test_the_wire_window_lets_no_bunch_of_calls_over_the_limit() -> None:
    """Thirteen calls reach the wire at once (a bunch after a stall): those naming a chat start
    three in any 0.12 s of the loop's time; those naming none (a button's answer) are not held
    behind them."""
    wire = _Wire()
    request = ShardedRequest([wire], in_flight=20, window=TrailingWindow(3, 0.12))
    chats = [request.do_request(URL, "POST", _call(-100 - n)) for n in range(10)]
    free = [request.do_request(URL, "POST", _call(None)) for _ in range(3)]
    await asyncio.gather(*chats, *free)

    named = [(started, answered) for started, answered, chat in wire.calls if chat]
    assert len(named) == 10
    # The fourth starts 0.12 s after the first was answered, and so on: by the loop's clock.
    assert all(named[n + 3][0] >= named[n][1] + 0.12 for n in range(len(named) - 3))
    order = sorted(wire.calls)
    assert [chat for *_times, chat in order][:6] == [True] * 3 + [False] * 3


async def test_a_call_answered_late_stays_in_the_window_until_a_window_after_its_answer() -> None:
    """The far end may count a call as late as its answer: two answered 0.3 s after they
    started (a stall before Telegram read them) keep their places until 0.1 s after their
    answers, so the third cannot reach Telegram in the same window as they did (counted from
    their starts only, it would have started 0.1 s in)."""
    wire = _Wire(slow={-100: 0.3, -101: 0.3})
    request = ShardedRequest([wire], in_flight=8, window=TrailingWindow(2, 0.1))
    calls = (request.do_request(URL, "POST", _call(chat)) for chat in (-100, -101, -102))
    await asyncio.gather(*calls)

    (first, first_answer, _), (_second, second_answer, _), (third, _, _) = sorted(wire.calls)
    assert third >= min(first_answer, second_answer) + 0.1
    assert third - first >= 0.4 - 0.01  # not 0.1 s in (0.01: the loop's clock resolution)


async def test_the_emulator_sees_no_429_from_a_bunch_the_wire_window_holds() -> None:
    """The emulator's own sliding window (5 a second here): twelve sends at once answer seven
    429s without the wire's window, and none with it (5 in any 1.05 s)."""
    emulator = BotApiEmulator()
    groups = [-1009000 - n for n in range(12)]
    for chat in groups:
        emulator.add_chat(chat, "supergroup", f"Tổ {chat}")
    emulator.enforce_limits(per_bot_per_second=5, per_chat_per_minute=20)

    async def burst(window: TrailingWindow | None) -> int:
        emulator.stats.clear()
        request = ShardedRequest([emulator.make_request()], in_flight=12, window=window)
        async with emulator.make_bot(request=request) as bot:
            await asyncio.gather(
                *(bot.send_message(chat, "Nhắc việc") for chat in groups), return_exceptions=True
            )
        return emulator.stats["rate_limited"]

    assert await burst(None) == 7
    await asyncio.sleep(1.0)  # the emulator's window empties
    assert await burst(TrailingWindow(5, 1.05)) == 0
