"""The real Application (build_application) against the local Bot API emulator.

Updates are played as users (emulator.user_sends / user_presses), fetched from the emulator
like getUpdates would, and fed to `app.process_update`: the bot's requests go through
python-telegram-bot's HTTP layer to the emulator (in-process transport).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.messaging.answers import AnswerPolicy
from bot.sandbox.emulator import BotApiEmulator
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

    @property
    def services(self) -> Services:
        return self.app.bot_data["services"]

    async def flush(self) -> None:
        """Hand every queued update to the application, in order."""
        for raw in self.emulator.take_updates():
            await self.app.process_update(Update.de_json(raw, self.app.bot))

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


@asynccontextmanager
async def running_bot(
    database_url: str,
    *,
    now: datetime | None = None,
    with_jobs: bool = False,
    answer_policy: AnswerPolicy | None = None,
    **overrides: Any,
) -> AsyncIterator[Harness]:
    """`answer_policy`: how answers are retried (bot/messaging/answers.py); production's when
    None."""
    clock = ManualClock(now or datetime(2019, 12, 27, 8, 0, tzinfo=TZ))
    emulator = BotApiEmulator(TOKEN, clock=clock.now)
    settings = make_settings(database_url, **overrides)
    app = build_application(
        settings,
        request=emulator.make_request(),
        get_updates_request=emulator.make_get_updates_request(),
        clock=clock,
        rate_limiter=None,
        answer_policy=answer_policy,
        with_jobs=with_jobs,
    )
    _populate(emulator)
    async with app:
        yield Harness(emulator, app, clock, settings)


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
