"""The web app on the real Application and the emulator: the world of the reliability tests
(two agencies, their chats, the office), an httpx client on the ASGI app, and the two ways to
sign in: the one-time link from `/web` (played through the bot) and a Mini App initData
signed as Telegram signs it."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.domain.webauth import sign_init_data
from tests.harness import TOKEN, Harness, running_bot
from tests.reliability.world import NOW, TOPICS, World, seed
from web import create_app

BASE = "https://dondoc.test"
_launches = itertools.count(1)


@dataclass
class WebWorld:
    harness: Harness
    world: World
    app: Any  # the ASGI app

    def client(self) -> httpx.AsyncClient:
        """A browser on the app; after each answer the outbox is drained, as production's
        sender would send what the request wrote (the group's and the office's messages)."""

        async def drain(_response: httpx.Response) -> None:
            await self.harness.drain()

        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url=BASE,
            follow_redirects=False,
            event_hooks={"response": [drain]},
        )


@asynccontextmanager
async def web_world(database_url: str, **overrides: Any) -> AsyncIterator[WebWorld]:
    overrides.setdefault("web_base_url", BASE)
    async with running_bot(database_url, now=NOW, topics=TOPICS, **overrides) as harness:
        world = await seed(harness)
        yield WebWorld(harness, world, create_app(harness.services, harness.app.bot))


async def link_from_bot(harness: Harness, user_id: int) -> str:
    """Play `/web` in the user's private chat; the path of the link the bot answers with."""
    await harness.send(user_id, user_id, "/web")
    text = harness.last_text(user_id)
    found = re.search(re.escape(BASE) + r"(/login/[A-Za-z0-9_-]+)", text)
    assert found, text
    return found[1]


async def sign_in_by_link(world: WebWorld, client: httpx.AsyncClient, user_id: int) -> None:
    path = await link_from_bot(world.harness, user_id)
    page = await client.get(path)
    assert page.status_code == 200, page.text
    opened = await client.post(path)
    assert opened.status_code == 303, opened.text


def init_data(
    user_id: int,
    at: datetime,
    *,
    token: str = TOKEN,
    name: str = "Cán bộ",
    extra: dict[str, str] | None = None,
) -> str:
    """A Mini App launch as Telegram signs it (bot.domain.webauth's documented scheme)."""
    fields = {
        "auth_date": str(int(at.timestamp())),
        "query_id": f"AAH{user_id}x{next(_launches)}",  # each launch is signed anew
        "user": json.dumps(
            {"id": user_id, "first_name": name, "language_code": "vi"},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        **(extra or {}),
    }
    fields["hash"] = sign_init_data(fields, token)
    return urlencode(fields)


async def sign_in_by_miniapp(world: WebWorld, client: httpx.AsyncClient, user_id: int) -> None:
    response = await client.post(
        "/auth/miniapp", json={"init_data": init_data(user_id, world.harness.clock.now())}
    )
    assert response.status_code == 200, response.text
