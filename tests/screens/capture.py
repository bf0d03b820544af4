"""Each README screen: played through the real application and the emulator on the seed,
then rendered from the emulator's record of the chat (tests/screens/html.py)."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage import migrate
from tests.harness import OFFICE_GROUP, TZ, sweep_and_send, weekly_and_send
from tests.layout.world import LayoutWorld, layout_world
from tests.screens.html import message_html, page

OUT = Path(__file__).resolve().parents[2] / "docs" / "img" / "screens"


@dataclass(frozen=True, slots=True)
class Screen:
    name: str  # the file name: docs/img/screens/<name>.png
    title: str  # the chat's name in the bar
    play: Callable[[LayoutWorld], Awaitable[tuple[int, int]]]  # → (chat, first message id)


async def _digest(world: LayoutWorld) -> tuple[int, int]:
    world.bot.clock.set(datetime(2019, 12, 31, 8, 0, tzinfo=TZ))
    await sweep_and_send(world.bot.app)
    group = world.group()
    first = world.bot.bot_messages(group)[0]["message_id"]
    return group, first


async def _card(world: LayoutWorld) -> tuple[int, int]:
    group, focal = world.group(), world.focal_point()
    world.bot.clock.set(datetime(2020, 1, 6, 9, 15, tzinfo=TZ))
    await world.bot.send(focal, group, "/capnhat #16 đạt 30% đã lấy ý kiến các sở")
    start = world.bot.last(group)["message_id"] + 1
    await world.bot.send(focal, group, "/nhiemvu #16")
    return group, start


async def _confirmation(world: LayoutWorld) -> tuple[int, int]:
    group, focal = world.group(), world.focal_point()
    world.bot.clock.set(datetime(2020, 1, 6, 9, 20, tzinfo=TZ))
    await world.bot.send(focal, group, "/nhiemvu #16")
    card = world.bot.last(group)
    await world.bot.send(focal, group, "đạt 70%, đã trình UBND tỉnh", reply_to=card["message_id"])
    return group, card["message_id"]  # the card, the reply to it, the one-line confirmation


async def _weekly(world: LayoutWorld) -> tuple[int, int]:
    group, focal = world.group(), world.focal_point()
    world.bot.clock.set(datetime(2020, 1, 8, 9, 0, tzinfo=TZ))
    await world.bot.send(focal, group, "/capnhat #16 đạt 50%")
    world.bot.clock.set(datetime(2020, 1, 10, 16, 0, tzinfo=TZ))
    start = world.bot.last(group)["message_id"] + 1
    await weekly_and_send(world.bot.app)
    return group, start


SCREENS: tuple[Screen, ...] = (
    Screen("digest", "Sở Tài chính", _digest),
    Screen("card", "Sở Tài chính", _card),
    Screen("confirmation", "Sở Tài chính", _confirmation),
    Screen("weekly", "Sở Tài chính", _weekly),
)


async def screen_html(screen: Screen, template: Path) -> str:
    """The screen's HTML, from a fresh copy of a migrated database (deterministic: the
    clock, the ids and the texts are the same on every run)."""
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "screens.sqlite3"
        shutil.copy(template, database)
        async with layout_world(f"sqlite+aiosqlite:///{database}", agencies=None) as world:
            chat, first = await screen.play(world)
            emulator = world.bot.emulator
            shown = [
                m
                for m in emulator.messages_in(chat, include_users=True)
                if m["message_id"] >= first
            ]
            bubbles = [
                message_html(m, bot_id=emulator.bot_id, chat_title=screen.title) for m in shown
            ]
            members = len(emulator.chats[chat].members) + 1
            subtitle = f"{members} thành viên" if chat != OFFICE_GROUP else "nhóm Văn phòng"
            return page(screen.title, subtitle, bubbles)


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def migrated_template(folder: Path) -> Path:
    path = folder / "template.sqlite3"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path
