"""Production's transport, bot/messaging/aiohttp_request.py, against the emulator over loopback
HTTP (bot/sandbox/http_server.py): what it sends, how its failures read, what it leaves open.

python-telegram-bot's `HTTPXRequest` is the contract: (status, body) back, form fields or
multipart, TimedOut for a timeout and NetworkError for the rest with the library's exception
as the cause, which bot/messaging/answers.py reads to know whether a failed answer may have
reached Telegram. Nothing is mocked: each failure is the emulator's (a stalled answer, a
429, an unknown chat) or the socket's (a port nobody listens on)."""

from __future__ import annotations

import asyncio
import gc
import io
import logging
import socket
import sys
import traceback
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import openpyxl
import pytest
from docx import Document
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.app import CONNECTIONS, polling_request
from bot.clock import ManualClock
from bot.domain.notice import parse_notice
from bot.messaging.aiohttp_request import (
    AiohttpRequest,
    environment_proxies,
    multipart,
    proxy_for,
)
from bot.messaging.answers import _may_have_arrived, seconds_of
from bot.messaging.delivery import pending_hand_overs
from bot.messaging.wire import ShardedRequest
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.emulator.wire import parse_multipart
from bot.sandbox.http_server import EmulatorServer
from storage.models import OutboxMessage, ProgressUpdate
from tests.harness import ADMIN, FOCAL_A, GROUP_A, SEED, VirtualTime, new_emulator, running_bot
from tests.reliability.world import NOW, TOPICS, seed

SECRET_TOKEN = "987654321:AAHdistinctiveSECRETpartXyZ-0123456789ab"
SECRET_HALF = SECRET_TOKEN.split(":", 1)[1]
SAVED = "Đã ghi nhận"


@asynccontextmanager
async def bare_bot(**request: Any) -> AsyncIterator[tuple[Bot, BotApiEmulator, AiohttpRequest]]:
    """A telegram.Bot on an AiohttpRequest (`request` its arguments), with the cast's emulator
    on loopback under a token that must never show."""
    emulator = new_emulator(ManualClock(NOW), token=SECRET_TOKEN)
    async with EmulatorServer(emulator) as server:
        transport = AiohttpRequest(trust_env=False, **request)
        bot = server.make_bot(request=transport)
        async with bot:
            yield bot, emulator, transport


def free_port() -> int:
    """A loopback port nobody listens on (taken from the system, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def shows_the_token(error: BaseException) -> bool:
    text = "".join(traceback.format_exception(error))
    return SECRET_TOKEN in text or SECRET_HALF in text


# --- production's wiring ---------------------------------------------------------------------


async def test_production_answers_a_report_through_one_aiohttp_session(sqlite_url: str) -> None:
    """`dondoc run`'s transport (loopback: the harness leaves the request to
    build_application): one AiohttpRequest of CONNECTIONS connections behind the wire's bound,
    form-encoded Vietnamese text and a keyboard arriving as sent."""
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS, loopback=True) as harness:
        request = harness.app.bot.request
        assert isinstance(request, ShardedRequest) and request.in_flight == CONNECTIONS
        [shard] = request.shards
        assert isinstance(shard, AiohttpRequest) and shard.session is not None
        world = await seed(harness)
        task = world.open_task["A"]
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 30%")
        answer = harness.last(GROUP_A)
        assert SAVED in answer["text"] and "30%" in answer["text"]
        assert harness.emulator.buttons(answer)  # ↩️ Hoàn tác: the reply_markup's JSON came
        rows = await harness.rows(ProgressUpdate, ProgressUpdate.assignment_id == task)
        assert [r.percent for r in rows] == [30]


async def test_the_reports_reach_telegram_intact(sqlite_url: str) -> None:
    """/xuatbaocao's Excel appendix and Word report, multipart over production's transport:
    the emulator keeps what it received, and it opens."""
    async with running_bot(sqlite_url, loopback=True) as harness:
        text = SEED.read_text(encoding="utf-8")
        await harness.services.notices.import_notice(
            parse_notice(text), source_text=text, by_user_id=None
        )
        await harness.send(ADMIN, ADMIN, "/xuatbaocao")
        documents = [
            r for r in harness.emulator.sent if r.method == "sendDocument" and r.chat_id == ADMIN
        ]
        xlsx = next(r for r in documents if (r.filename or "").endswith(".xlsx"))
        docx = next(r for r in documents if (r.filename or "").endswith(".docx"))
        assert xlsx.data and docx.data
        assert openpyxl.load_workbook(io.BytesIO(xlsx.data)).sheetnames
        assert Document(io.BytesIO(docx.data)).paragraphs


async def test_a_file_and_its_name_arrive_byte_for_byte() -> None:
    """Bytes that look like the multipart boundary's line, a Vietnamese name with a quote and
    a backslash: the emulator stores exactly what was uploaded, under exactly that name."""
    content = bytes(range(256)) * 40 + b"\r\n--boundary\r\n\r\n" + "Phụ lục".encode()
    name = 'Phụ lục "22-TB" \\ bản 2.xlsx'
    async with bare_bot() as (bot, emulator, _):
        message = await bot.send_document(
            ADMIN, InputFile(content, filename=name), caption="Báo cáo <b>tuần</b>"
        )
        stored = emulator.files[message.document.file_id]
        assert stored.data == content and stored.filename == name
        assert message.caption == "Báo cáo <b>tuần</b>"


def test_the_multipart_body_is_httpx_s() -> None:
    """What Telegram has always received from the bot (httpx's encoding): text fields before
    files, a name's quote as %22 and its line breaks as %0D%0A, the file's own MIME type."""
    body, content_type = multipart(
        {"chat_id": "-100", "caption": "Tiến độ"},
        {"document": ('a"b\r\n.pdf', b"%PDF-1.7", "application/pdf")},
    )
    boundary = content_type.removeprefix("multipart/form-data; boundary=")
    assert body.startswith(f"--{boundary}\r\n".encode()) and body.endswith(
        f"--{boundary}--\r\n".encode()
    )
    assert b'filename="a%22b%0D%0A.pdf"\r\nContent-Type: application/pdf\r\n' in body
    fields, files = parse_multipart(body, boundary)
    assert fields == {"chat_id": "-100", "caption": "Tiến độ"}
    assert files["document"].filename == 'a"b\r\n.pdf' and files["document"].data == b"%PDF-1.7"


# --- failures as python-telegram-bot's errors ------------------------------------------------


async def test_a_read_timeout_is_timed_out_and_may_have_arrived() -> None:
    async with bare_bot(read_timeout=0.2) as (bot, emulator, _):
        emulator.faults.timeout("sendMessage", delay=5)
        with pytest.raises(TimedOut) as caught:
            await bot.send_message(ADMIN, "xin chào")
        assert isinstance(caught.value.__cause__, aiohttp.SocketTimeoutError)
        assert _may_have_arrived(caught.value)
        # A timeout given with the call wins over the request's own: this one waits out
        # the emulator's stall of 0.5 s, after which the connection drops.
        emulator.faults.timeout("sendMessage", delay=0.5)
        with pytest.raises(NetworkError) as dropped:
            await bot.send_message(ADMIN, "xin chào", read_timeout=2)
        assert not isinstance(dropped.value, TimedOut)
        assert isinstance(dropped.value.__cause__, aiohttp.ServerDisconnectedError)


async def test_a_dropped_connection_is_a_network_error_that_may_have_arrived() -> None:
    async with bare_bot() as (bot, emulator, _):
        emulator.faults.drop("sendMessage", after=True)
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(ADMIN, "xin chào")
        assert not isinstance(caught.value, TimedOut)
        assert str(caught.value).startswith("aiohttp.ServerDisconnectedError")
        assert _may_have_arrived(caught.value)


async def test_a_refused_connection_never_arrived() -> None:
    port = free_port()
    request = AiohttpRequest(trust_env=False)
    bot = Bot(
        SECRET_TOKEN,
        base_url=f"http://127.0.0.1:{port}/bot",
        request=request,
        get_updates_request=AiohttpRequest(trust_env=False),  # never used, never opened
    )
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(ADMIN, "xin chào")
    finally:
        await request.shutdown()
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorError)
    assert not isinstance(caught.value, TimedOut)
    assert not _may_have_arrived(caught.value)
    assert not shows_the_token(caught.value)


async def test_no_free_connection_in_time_is_timed_out_never_sent_and_keeps_the_token() -> None:
    """aiohttp's own text names the URL, token and all ("Connection timeout to host
    http://…/bot<TOKEN>/sendMessage"): it reaches neither our error nor the traceback."""
    async with bare_bot(connection_pool_size=1, pool_timeout=0.1, connect_timeout=0.1) as (
        bot,
        emulator,
        _,
    ):
        emulator.faults.timeout("sendMessage", delay=5)
        stalled = asyncio.create_task(bot.send_message(ADMIN, "một", read_timeout=10))
        await asyncio.sleep(0.05)  # it holds the one connection
        try:
            with pytest.raises(TimedOut) as caught:
                await bot.send_message(ADMIN, "hai")
        finally:
            stalled.cancel()
            await asyncio.gather(stalled, return_exceptions=True)
    cause = caught.value.__cause__
    assert isinstance(cause, aiohttp.ConnectionTimeoutError)
    assert "Connection timeout to host" in str(cause) and "/bot<TOKEN>/sendMessage" in str(cause)
    assert "not sent" in str(caught.value)
    assert not _may_have_arrived(caught.value)
    assert not shows_the_token(caught.value)


async def test_429_and_400_become_retry_after_and_bad_request() -> None:
    async with bare_bot() as (bot, emulator, _):
        emulator.faults.flood("sendMessage", retry_after=7)
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(ADMIN, "xin chào")
        assert seconds_of(flood.value) == 7
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(-100999999, "xin chào")
        assert (await bot.send_message(ADMIN, "xin chào")).text == "xin chào"


# --- in the application ----------------------------------------------------------------------


async def test_an_answer_meeting_a_closed_port_is_retried_kept_and_never_shows_the_token(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram unreachable while a report is handled: a connection that never opened did
    not take effect, so the answer is tried again on the policy's delays (not once, as one
    that may have arrived), then kept in the outbox; no log line carries the token."""
    caplog.set_level(logging.DEBUG)
    clock = ManualClock(NOW)
    emulator = new_emulator(clock, token=SECRET_TOKEN, topics=TOPICS)
    time = VirtualTime()
    async with (
        EmulatorServer(emulator) as server,
        running_bot(
            sqlite_url,
            clock=clock,
            emulator=emulator,
            loopback=True,
            telegram_bot_token=SECRET_TOKEN,
            telegram_api_base_url=server.base_url,  # this test's server, to close it
            telegram_file_base_url=server.base_file_url,
            answer_policy=time.policy(),
            drain=False,
        ) as harness,
    ):
        world = await seed(harness)
        await server.close()
        await asyncio.sleep(0.1)  # the pooled connections see the server go
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đạt 30%")
        assert time.slept == [0.5, 1.5, 3.0]
        [handed] = [r for r in caplog.records if "handed over" in r.getMessage()]
        assert "ClientConnectorError" in handed.getMessage()
        assert "may have arrived" not in handed.getMessage()
        await pending_hand_overs()
        kept = await harness.rows(OutboxMessage, OutboxMessage.chat_id == GROUP_A)
        assert [SAVED in m.text for m in kept] == [True]
    for record in caplog.records:
        if record.getMessage().startswith(("Set Bot API URL", "Set Bot API File URL")):
            continue  # python-telegram-bot's own, at DEBUG; logging's filter redacts it (CLI)
        logged = record.getMessage() + (
            "".join(traceback.format_exception(*record.exc_info)) if record.exc_info else ""
        )
        assert SECRET_TOKEN not in logged and SECRET_HALF not in logged, record.name


async def test_shutdown_closes_the_sessions_and_leaves_nothing_unclosed(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot's shutdown closes production's session and getUpdates' (no "Unclosed client
    session" from aiohttp, which it says only when an open one is collected); the same
    detector, shown an open session, does see it."""
    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: unraisable.append(str(u.exc_value)))
    loop = asyncio.get_running_loop()
    handled: list[str] = []
    loop.set_exception_handler(lambda _loop, context: handled.append(context["message"]))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            polling = polling_request(trust_env=False)
            async with running_bot(
                sqlite_url, now=NOW, topics=TOPICS, loopback=True, get_updates_request=polling
            ) as harness:
                [request] = harness.app.bot.request.shards  # type: ignore[attr-defined]
                world = await seed(harness)
                await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đạt 5%")
                await harness.app.bot.get_updates(timeout=0)
            assert isinstance(request, AiohttpRequest) and request.session is not None
            assert request.session.closed
            assert isinstance(polling, AiohttpRequest) and polling.session is not None
            assert polling.session.closed
            del harness, request, polling
            gc.collect()
            assert unraisable == [] and handled == []

            leaked = AiohttpRequest(trust_env=False)
            await leaked.initialize()
            del leaked
            gc.collect()
            assert any("Unclosed client session" in m for m in unraisable + handled)
    finally:
        loop.set_exception_handler(None)


# --- proxies, as httpx read them -------------------------------------------------------------


def test_proxies_come_from_the_environment_as_httpx_read_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    assert environment_proxies() == {}
    monkeypatch.setenv("HTTPS_PROXY", "proxy.tinh.gov.vn:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    proxies = environment_proxies()
    assert proxy_for("https://api.telegram.org", proxies) == "http://proxy.tinh.gov.vn:3128"
    assert proxy_for("http://127.0.0.1:8081", proxies) is None
    assert proxy_for("http://api.telegram.org", proxies) is None  # no HTTP_PROXY, no ALL_PROXY
    monkeypatch.setenv("ALL_PROXY", "http://all.tinh.gov.vn:8080")
    assert proxy_for("http://api.telegram.org", environment_proxies()) == (
        "http://all.tinh.gov.vn:8080"
    )
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    with pytest.raises(ValueError, match="only http:// proxies"):
        environment_proxies()
    assert AiohttpRequest(trust_env=False) is not None  # the environment unread


async def test_calls_go_through_the_proxy_the_environment_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The emulator, as a forward proxy (it reads the absolute URL a proxy is sent), answers
    for a host that exists nowhere: the call went to the proxy, never to that host."""
    emulator = new_emulator(ManualClock(NOW), token=SECRET_TOKEN)
    async with EmulatorServer(emulator) as server:
        for name in ("https_proxy", "all_proxy", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
            monkeypatch.delenv(name.upper(), raising=False)
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.port}")
        request = AiohttpRequest()  # production's: trusts the environment
        bot = Bot(
            SECRET_TOKEN,
            base_url="http://api.telegram.invalid/bot",
            request=request,
            get_updates_request=AiohttpRequest(trust_env=False),  # never used, never opened
        )
        await request.initialize()
        try:
            me = await bot.get_me()
        finally:
            await request.shutdown()
        assert me.id == emulator.bot_id and server.requests_served == 1
