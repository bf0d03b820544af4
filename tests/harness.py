"""The test harness: the real Application (build_application) against the local Bot API
emulator. Every test that runs the bot starts it here, with `running_bot`.

Updates are played as users (emulator.user_sends / user_presses), fetched from the emulator
like getUpdates would, and fed to `app.process_update`: the bot's requests go through
python-telegram-bot's HTTP layer to the emulator (in-process transport, or a loopback HTTP
server with `loopback=True`).

Time and Telegram are shared by keyword: `clock=` (a ManualClock the test moves) and
`emulator=` (from `new_emulator`) let a restart or a second instance see the same chats at
the same moment. Faults come from the emulator (`emulator.faults`, bot/sandbox/emulator/
faults.py), never from patching python-telegram-bot; the answers' retries wait on
`VirtualTime` (`answer_policy=`) when a test would rather not really wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from telegram import Update
from telegram.ext import Application, BaseRateLimiter
from telegram.request import BaseRequest

from bot.app import build_application, outbox_of
from bot.clock import ManualClock
from bot.config import Settings
from bot.messaging.answers import AnswerPolicy
from bot.messaging.delivery import pending_hand_overs
from bot.messaging.outbox import OutboxSender, Pace
from bot.messaging.sweep import SweepReport, run_sweep_now
from bot.messaging.weekly import post_weekly_summary
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.http_server import EmulatorServer
from bot.services import Services
from storage.unit_of_work import UnitOfWork

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = Path(__file__).resolve().parents[1] / "examples" / "22-TB-BCD.txt"

ADMIN = 1001
FOCAL_A = 2001
FOCAL_B = 2002
DEPUTY_A = 2003
STRANGER = 3001
OFFICE_GROUP = -1001000
GROUP_A = -1002001
GROUP_B = -1002002
UNKNOWN_GROUP = -1009999
FORUM = -1003000


@dataclass
class Harness:
    emulator: BotApiEmulator
    app: Application
    clock: ManualClock
    settings: Settings
    drain_outbox: bool = True
    settle_outbox: bool = False

    @property
    def services(self) -> Services:
        services: Services = self.app.bot_data["services"]
        return services

    @property
    def topics(self) -> dict[str, int]:
        """The forum's topics by name: their message_thread_id in FORUM."""
        return {name: thread for thread, name in self.emulator.chats[FORUM].topics.items()}

    @property
    def outbox(self) -> OutboxSender:
        return outbox_of(self.app)

    async def flush(self) -> None:
        """Hand every queued update to the application, in order, wait for their answers'
        links to be written, then send what they wrote to the outbox (production's sender
        task would; `drain=False` on `running_bot` leaves it waiting, for the tests of the
        outbox itself)."""
        for raw in self.emulator.take_updates():
            await self.app.process_update(Update.de_json(raw, self.app.bot))
        # The answers' links, written behind within tens of milliseconds in production
        # (bot/services/link_writer.py): in the table before the test looks.
        await self.services.conversation.links_written()
        if self.drain_outbox:
            await self.drain(settle=self.settle_outbox)

    async def drain(self, *, settle: bool = False) -> int:
        """Send what the outbox holds that is due now; returns the messages sent. `settle`
        waits out the retries too, moving the clock to each one's time (a flow under
        faults goes on as production would once the sender has tried again)."""
        await pending_hand_overs()
        sent = await self.outbox.drain()
        for _ in range(50 if settle else 0):
            due = await self.services.outbox.next_due(skip_chats=set())
            if due is None:
                break
            if due > self.clock.now():
                self.clock.set(due)
            sent += await self.outbox.drain()
        return sent

    async def send(
        self,
        user_id: int,
        chat_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        thread: int | None = None,
    ) -> dict[str, Any]:
        message = self.emulator.user_sends(
            user_id, chat_id, text, reply_to_message_id=reply_to, message_thread_id=thread
        )
        await self.flush()
        return message

    async def press(
        self, user_id: int, chat_id: int, message_id: int, data: str, *, strict: bool = True
    ) -> str:
        query_id = self.emulator.user_presses(user_id, chat_id, message_id, data, strict=strict)
        await self.flush()
        return query_id

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        bot_id = self.emulator.bot_id
        return [
            m
            for m in self.emulator.messages_in(chat_id, include_users=True)
            if m.get("from", {}).get("id") == bot_id
        ]

    def last(self, chat_id: int) -> dict[str, Any]:
        messages = self.bot_messages(chat_id)
        assert messages, f"the bot sent nothing to {chat_id}"
        return messages[-1]

    def last_text(self, chat_id: int) -> str:
        message = self.last(chat_id)
        return message.get("text") or message.get("caption") or ""

    def button(self, message: dict[str, Any], starts_with: str) -> str:
        for text, data in self.emulator.buttons(message):
            if text.startswith(starts_with) or (data or "").startswith(starts_with):
                assert data is not None
                return data
        raise AssertionError(f"no button {starts_with!r} in {self.emulator.buttons(message)}")

    def answers(self) -> list[str]:
        return [a.get("text") or "" for a in self.emulator.callback_answers]

    async def rows(self, model: type, *where: Any) -> list[Any]:
        async with UnitOfWork(self.services.ctx.session_factory) as uow:
            return list((await uow.session.execute(select(model).where(*where))).scalars().all())


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "database_url": database_url,
        "admin_ids": frozenset({ADMIN}),
        "timezone": TZ,
    }
    values.update(overrides)
    return Settings(**values)


def new_emulator(
    clock: ManualClock, *, token: str = TOKEN, topics: Sequence[str] = ()
) -> BotApiEmulator:
    """The emulator with the cast (`_populate`) on `clock`, and these forum topics opened in
    FORUM. Share one between `running_bot` calls for a restart or a second instance."""
    emulator = BotApiEmulator(token, clock=clock.now)
    _populate(emulator)
    for name in topics:
        emulator.create_topic(FORUM, name)
    return emulator


@asynccontextmanager
async def running_bot(
    database_url: str,
    *,
    now: datetime | None = None,
    clock: ManualClock | None = None,
    emulator: BotApiEmulator | None = None,
    topics: Sequence[str] = (),
    rate_limiter: BaseRateLimiter[Any] | None = None,
    with_jobs: bool = False,
    loopback: bool = False,
    get_updates_request: BaseRequest | None = None,
    answer_policy: AnswerPolicy | None = None,
    outbox_pace: Pace | None = None,
    drain: bool = True,
    settle: bool = False,
    **overrides: Any,
) -> AsyncIterator[Harness]:
    """The production Application on `database_url`, talking to the emulator.

    `now` starts a new clock (27/12/2019 08:00 by default), or `clock` shares one; `emulator`
    shares one (else a new one with the cast and `topics`); `rate_limiter` is the bot's (none
    by default: tests send at once); `loopback` serves the emulator over loopback HTTP and
    points the bot at it, as production reaches Telegram; `get_updates_request` replaces the
    polling request; `answer_policy` is how answers are retried (bot/messaging/answers.py;
    production's when None); `outbox_pace` paces the outbox's sender (by default as the
    rate limiter: none without one) and `drain=False` leaves the outbox unsent after each update;
    `settle` waits its retries out after each update (moving the clock); `overrides` are
    Settings fields."""
    if clock is not None and now is not None:
        raise ValueError("running_bot: pass `now` or `clock`, not both")
    if emulator is not None and topics:
        raise ValueError("running_bot: open `topics` with new_emulator when sharing an emulator")
    clock = clock or ManualClock(now or datetime(2019, 12, 27, 8, 0, tzinfo=TZ))
    if emulator is None:
        token = overrides.get("telegram_bot_token", TOKEN)
        emulator = new_emulator(clock, token=token, topics=topics)
    async with AsyncExitStack() as stack:
        request: BaseRequest | None = None
        if loopback:
            server = await stack.enter_async_context(EmulatorServer(emulator))
            overrides = {
                "telegram_api_base_url": server.base_url,
                "telegram_file_base_url": server.base_file_url,
                **overrides,
            }
        else:
            request = emulator.make_request()
            get_updates_request = get_updates_request or emulator.make_get_updates_request()
        settings = make_settings(database_url, **overrides)
        app = build_application(
            settings,
            request=request,
            get_updates_request=get_updates_request,
            clock=clock,
            rate_limiter=rate_limiter,
            answer_policy=answer_policy,
            with_jobs=with_jobs,
            outbox_pace=outbox_pace,
        )
        await stack.enter_async_context(app)
        yield Harness(emulator, app, clock, settings, drain_outbox=drain, settle_outbox=settle)


async def sweep_and_send(app: Application, **options: Any) -> SweepReport:
    """The reminder sweep (`run_sweep_now`), then the outbox's sender sends what it queued
    that is due now (production's sender task would, woken by the commit)."""
    report = await run_sweep_now(app, **options)
    await outbox_of(app).drain()
    return report


async def weekly_and_send(app: Application) -> int:
    """The weekly summary (`post_weekly_summary`), then the outbox's sender sends it; returns
    the chats this run queued it for."""
    queued = await post_weekly_summary(app.bot_data["services"])
    await outbox_of(app).drain()
    return queued


class VirtualTime:
    """The answer policy's clock and sleep for tests (`running_bot(..., answer_policy=
    VirtualTime().policy())`): a sleep moves the clock at once, and is recorded, so the
    retries of answers and their budget are checked without real waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)

    def policy(self, **options: Any) -> AnswerPolicy:
        """Production's delays and budget (unless `options` say otherwise), on this time."""
        return AnswerPolicy(sleep=self.sleep, clock=self.clock, **options)


def _populate(emulator: BotApiEmulator) -> None:
    """The cast: an admin, two focal points, a deputy, a stranger, and their chats."""
    for user_id, name in (
        (ADMIN, "Chánh Văn phòng"),
        (FOCAL_A, "Đầu mối Tài chính"),
        (FOCAL_B, "Đầu mối Công Thương"),
        (DEPUTY_A, "Phó Tài chính"),
        (STRANGER, "Người lạ"),
    ):
        emulator.add_user(user_id, name)
        emulator.add_chat(user_id, "private")
    emulator.add_chat(OFFICE_GROUP, "supergroup", "VP Điều phối NTM")
    emulator.add_chat(GROUP_A, "supergroup", "Sở Tài chính - NTM")
    emulator.add_chat(GROUP_B, "supergroup", "Sở Công Thương - NTM")
    emulator.add_chat(UNKNOWN_GROUP, "group", "Nhóm lạ")
    emulator.add_chat(FORUM, "supergroup", "Các huyện - NTM", is_forum=True)
    for chat in (OFFICE_GROUP, GROUP_A, GROUP_B, UNKNOWN_GROUP, FORUM):
        for user_id in (ADMIN, FOCAL_A, FOCAL_B, DEPUTY_A, STRANGER):
            emulator.add_member(chat, user_id)
