"""Two instances on one PostgreSQL, in webhook mode behind one address (issue 17, item 4).

Two Applications from `build_application`, each served on its own loopback port by the
production web app (bot/serve.py: the webhook route feeding its update queue), behind a small
loopback proxy that alternates the posts between them, as a load balancer would. "Telegram"
(the emulator's users) posts 1,000 reports from 50 agency groups to the proxy, and posts one
in ten a second time (a webhook retry), which the proxy hands to the other instance. Each
report is stored once and confirmed once. Then both instances run the reminder sweep at the
same moment, and the weekly summary: each chat gets its reminder once and its summary once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select
from telegram.ext import Application

from bot.clock import ManualClock
from bot.sandbox.emulator import BotApiEmulator
from bot.serve import uvicorn_config, web_app_for
from bot.services import Services
from storage.models import (
    Agency,
    AgencyMember,
    AppliedUpdate,
    Assignment,
    ChatBinding,
    Notice,
    Person,
    ProgressUpdate,
    Task,
)
from storage.unit_of_work import UnitOfWork
from tests.conftest import _truncate_pg
from tests.harness import (
    OFFICE_GROUP,
    TZ,
    new_emulator,
    running_bot,
    sweep_and_send,
    weekly_and_send,
)

pytestmark = pytest.mark.pg

GROUPS = 50
REPORTS_PER_GROUP = 20  # 1,000 reports
SECRET = "two-instances-secret"
WEBHOOK = "https://dondoc.example.gov.vn/telegram"
NOW = datetime(2020, 1, 6, 9, 0, tzinfo=TZ)  # a Monday
SWEEP_AT = datetime(2020, 4, 1, 9, 0, tzinfo=TZ)  # day 1 overdue: every agency and the office
WEEKLY_AT = datetime(2020, 4, 3, 16, 0, tzinfo=TZ)  # Friday 16:00


def _group(n: int) -> int:
    return -1005000000 - n


def _focal(n: int) -> int:
    return 50000 + n


# A fresh connection per POST, as Telegram's deliveries arrive: a pooled keep-alive connection
# that uvicorn closes at the moment it is reused fails with ReadError (seen once under CI).
NO_KEEPALIVE = httpx.Limits(max_keepalive_connections=0)


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: three servers share the test's loop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def _serving(app: Any) -> AsyncIterator[str]:
    """Serve `app` on a port the system picks (port 0: nothing to collide with another test
    running beside this one); yields its base URL."""
    server = _Server(uvicorn_config(app, host="127.0.0.1", port=0))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port: int = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


class AlternatingProxy:
    """The load balancer: each POST goes to the next instance in turn."""

    def __init__(self, upstreams: list[str]) -> None:
        self.upstreams = upstreams
        self.turn = itertools.cycle(range(len(upstreams)))
        self.client = httpx.AsyncClient(trust_env=False, timeout=60, limits=NO_KEEPALIVE)
        self.sent = [0] * len(upstreams)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        keep = {b"content-type", b"x-telegram-bot-api-secret-token"}
        headers = {k.decode(): v.decode() for k, v in scope["headers"] if k.lower() in keep}
        index = next(self.turn)
        self.sent[index] += 1
        answer = await self.client.post(
            self.upstreams[index] + scope["path"], content=body, headers=headers
        )
        await send(
            {
                "type": "http.response.start",
                "status": answer.status_code,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": answer.content})


async def _seed(services: Services, emulator: BotApiEmulator) -> dict[int, int]:
    """50 agencies, each with a bound group, a focal point and one open task due 31/03/2020;
    the office group bound. Returns group chat -> assignment id."""
    tasks: dict[int, int] = {}
    async with UnitOfWork(services.ctx.session_factory) as uow:
        session = uow.session
        notice = Notice(number="7-TB/BCĐ", issued_on=date(2020, 1, 2), imported_at=NOW)
        session.add(notice)
        await session.flush()
        for n in range(GROUPS):
            agency = Agency(name=f"Huyện số {n:02d}", key=f"huyen so {n:02d}", kind="huyen")
            session.add(agency)
            await session.flush()
            task = Task(
                notice_id=notice.id or 0,
                code=f"I.{n}",
                text=f"Nhiệm vụ {n}: rà soát, đôn đốc giải ngân vốn đầu tư công",
                deadline_kind="date",
                deadline_start=date(2020, 3, 31),
                deadline_end=date(2020, 3, 31),
            )
            session.add(task)
            await session.flush()
            assignment = Assignment(
                task_id=task.id or 0, agency_id=agency.id or 0, created_at=NOW, acknowledged_at=NOW
            )
            person = Person(telegram_user_id=_focal(n), display_name=f"Đầu mối {n}")
            session.add_all([assignment, person])
            await session.flush()
            session.add(AgencyMember(person_id=person.id, agency_id=agency.id or 0))
            session.add(ChatBinding(chat_id=_group(n), agency_id=agency.id, title=f"Nhóm {n}"))
            tasks[_group(n)] = assignment.id or 0
            emulator.add_user(_focal(n), f"Đầu mối {n}")
            emulator.add_chat(_group(n), "supergroup", f"Huyện số {n:02d} - NTM")
            emulator.add_member(_group(n), _focal(n))
        session.add(ChatBinding(chat_id=OFFICE_GROUP, is_office=True, title="Văn phòng"))
    return tasks


def _instance(url: str, emulator: BotApiEmulator, clock: ManualClock) -> Any:
    """One instance: the production Application in webhook mode (tests.harness)."""
    return running_bot(
        url,
        clock=clock,
        emulator=emulator,
        webhook_url=WEBHOOK,
        webhook_secret=SECRET,
        webhook_listen="127.0.0.1",
    )


async def _count(services: Services, model: type) -> int:
    async with UnitOfWork(services.ctx.session_factory) as uow:
        return int((await uow.execute(select(func.count()).select_from(model))).scalar_one())


async def test_two_webhook_instances_apply_every_report_once(pg_database: str) -> None:
    _truncate_pg(pg_database)
    clock = ManualClock(NOW)
    emulator = new_emulator(clock)
    async with contextlib.AsyncExitStack() as stack:
        apps: list[Application] = []
        upstreams: list[str] = []
        for _ in range(2):
            harness = await stack.enter_async_context(_instance(pg_database, emulator, clock))
            app = harness.app
            await app.start()  # its update queue fed by the webhook route, as `dondoc run`
            stack.push_async_callback(app.stop)
            upstreams.append(await stack.enter_async_context(_serving(web_app_for(app))))
            apps.append(app)
        one, two = apps
        proxy = AlternatingProxy(upstreams)
        proxy_url = await stack.enter_async_context(_serving(proxy))
        stack.push_async_callback(proxy.client.aclose)
        services: Services = one.bot_data["services"]
        tasks = await _seed(services, emulator)

        raws = []
        for k in range(REPORTS_PER_GROUP):
            for n in range(GROUPS):
                text = f"/capnhat #{tasks[_group(n)]} đạt {k + 1}%"
                emulator.user_sends(_focal(n), _group(n), text)
                raws.extend(emulator.take_updates())
        deliveries = raws + raws[::10]  # one in ten posted again: a webhook retry
        url = f"{proxy_url}/telegram"
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
        async with httpx.AsyncClient(trust_env=False, timeout=60, limits=NO_KEEPALIVE) as client:
            for start in range(0, len(deliveries), 50):
                answers = await asyncio.gather(
                    *(
                        client.post(url, content=json.dumps(raw), headers=headers)
                        for raw in deliveries[start : start + 50]
                    )
                )
                assert {a.status_code for a in answers} == {200}
        assert min(proxy.sent) >= len(deliveries) // 2  # both instances took their share

        def confirmed() -> int:
            return sum(
                "Đã ghi nhận" in (m.get("text") or "")
                for n in range(GROUPS)
                for m in emulator.messages_in(_group(n))
            )

        await emulator.wait_for(lambda: confirmed() >= len(raws), timeout=300)
        await _settle(one, two)
        assert confirmed() == len(raws)
        assert await _count(services, ProgressUpdate) == len(raws)
        assert await _count(services, AppliedUpdate) == len(raws)
        for n in range(GROUPS):
            confirmations = [
                m for m in emulator.messages_in(_group(n)) if "Đã ghi nhận" in m.get("text", "")
            ]
            assert len(confirmations) == REPORTS_PER_GROUP, n
            # and nothing else: a retried post is silent (the repeat rule would answer it)
            assert len(emulator.messages_in(_group(n))) == REPORTS_PER_GROUP, n

        # The sweep on both at once: every group's reminder once, the office's digest once.
        clock.set(SWEEP_AT)
        before = {chat: len(emulator.messages_in(chat)) for chat in (*tasks, OFFICE_GROUP)}
        await asyncio.gather(sweep_and_send(one), sweep_and_send(two))
        await _outbox_empty(services)  # the running senders may still hold some
        for chat in tasks:
            [digest] = emulator.messages_in(chat)[before[chat] :]  # once, never twice
            assert "Nhắc việc" in digest["text"], chat
        assert len(emulator.messages_in(OFFICE_GROUP)) > before[OFFICE_GROUP]  # escalations
        after = sum(len(emulator.messages_in(chat)) for chat in (*tasks, OFFICE_GROUP))
        await asyncio.gather(sweep_and_send(one), sweep_and_send(two))  # again: nothing new
        await _outbox_empty(services)
        assert sum(len(emulator.messages_in(chat)) for chat in (*tasks, OFFICE_GROUP)) == after

        # The weekly summary from both at once: once per chat.
        clock.set(WEEKLY_AT)
        before = {chat: len(emulator.messages_in(chat)) for chat in (*tasks, OFFICE_GROUP)}
        await asyncio.gather(
            weekly_and_send(one),
            weekly_and_send(two),
        )
        await _outbox_empty(services)
        weekly = [len(emulator.messages_in(chat)) - before[chat] for chat in tasks]
        assert set(weekly) == {1}
        assert len(emulator.messages_in(OFFICE_GROUP)) - before[OFFICE_GROUP] >= 1


async def _outbox_empty(services: Services, within: float = 60.0) -> None:
    """Until nothing waits in the outbox: the instances' own senders run beside the test's
    drains, and a row one of them holds is sent (and recorded) by it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (await services.outbox.waiting(limit=0))[0] and loop.time() < deadline:  # noqa: ASYNC110 (polls the database)
        await asyncio.sleep(0.05)
    assert (await services.outbox.waiting(limit=0))[0] == 0


async def _settle(*apps: Application) -> None:
    """Until both update queues are empty and stay so (every post handled)."""
    quiet = 0
    while quiet < 20:
        busy = any(app.update_queue.qsize() for app in apps)
        quiet = 0 if busy else quiet + 1
        await asyncio.sleep(0.05)
