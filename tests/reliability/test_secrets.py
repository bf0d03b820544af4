"""Secrets and privacy: the token never leaks, restricted tasks never show their text,
invite codes cannot be guessed, and a person who leaves an agency loses access at once."""

from __future__ import annotations

import asyncio
import io
import logging
import math
import secrets
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import true
from sqlalchemy.exc import OperationalError
from telegram.error import NetworkError

from bot.cli.logging_setup import RedactTokenFilter, setup_logging
from bot.config import Settings
from bot.messaging.announce import announce_assignments
from bot.sandbox.terminal import SANDBOX_TOKEN
from bot.services import bindings as binding_service
from bot.services.bindings import (
    ATTEMPT_WINDOW,
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_WRONG_ATTEMPTS,
    Redeemed,
    RedeemError,
    new_code,
)
from storage.models import AgencyMember, ProgressUpdate
from tests.harness import (
    ADMIN,
    FOCAL_A,
    FOCAL_B,
    GROUP_A,
    OFFICE_GROUP,
    SEED,
    STRANGER,
    TZ,
    Harness,
    running_bot,
    sweep_and_send,
    weekly_and_send,
)
from tests.reliability.world import A_NAME, MARK_A, MARK_B, NOW, TOPICS, seed

ROOT = Path(__file__).resolve().parents[2]
SECRET_TOKEN = "987654321:AAHdistinctiveSECRETpartXyZ-0123456789ab"
SECRET_HALF = SECRET_TOKEN.split(":", 1)[1]


# --- invite codes ----------------------------------------------------------------------------


def test_invite_codes_are_drawn_from_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every character comes from `secrets.choice` (the OS CSPRNG), not `random`."""
    drawn: list[str] = []
    real = secrets.choice

    def recording(seq: str) -> str:
        drawn.append(seq)
        return real(seq)

    monkeypatch.setattr(binding_service.secrets, "choice", recording)
    code = new_code()
    assert len(drawn) == CODE_LENGTH and all(seq == CODE_ALPHABET for seq in drawn)
    assert len(code) == CODE_LENGTH


def test_invite_codes_are_long_unique_and_uniform() -> None:
    alphabet = set(CODE_ALPHABET)
    assert len(alphabet) == len(CODE_ALPHABET) == 32
    assert CODE_LENGTH * math.log2(len(alphabet)) >= 50  # bits of entropy per code
    codes = [new_code() for _ in range(20_000)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == CODE_LENGTH and set(c) <= alphabet for c in codes)
    # Each letter ~6250 times; ±10% is over 8 standard deviations: a biased draw fails.
    counts = Counter("".join(codes))
    expected = len(codes) * CODE_LENGTH / len(alphabet)
    assert set(counts) == alphabet
    assert all(abs(n - expected) < expected * 0.1 for n in counts.values())
    # No confusable characters to read aloud over the phone.
    assert not alphabet & set("01IO")


async def _invite(harness: Harness) -> str:
    result = await harness.services.bindings.create_invite(agency_query=A_NAME, by_user_id=ADMIN)
    assert not hasattr(result, "candidates"), result
    return result.code  # type: ignore[union-attr]


async def _redeem(harness: Harness, code: str, user: int) -> Redeemed | RedeemError:
    return await harness.services.bindings.redeem(
        code=code, user_id=user, display_name=str(user), chat_id=user, chat_type="private"
    )


async def test_a_code_is_single_use_even_when_two_people_race_for_it(database_url: str) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        await seed(harness)
        code = await _invite(harness)
        results = await asyncio.gather(
            _redeem(harness, code, STRANGER), _redeem(harness, code, FOCAL_B + 100)
        )
        assert sorted(isinstance(r, Redeemed) for r in results) == [False, True]
        assert [r for r in results if not isinstance(r, Redeemed)] == [RedeemError.USED]


async def test_a_code_expires(database_url: str) -> None:
    async with running_bot(database_url, now=NOW, topics=TOPICS) as harness:
        await seed(harness)
        code = await _invite(harness)
        harness.clock.advance(timedelta(hours=harness.settings.invite_ttl_hours))
        assert await _redeem(harness, code, STRANGER) is RedeemError.EXPIRED
        assert len(await harness.rows(AgencyMember, true())) == 3  # the seeded ones only


async def test_guessing_is_rate_limited_per_person_and_the_limit_lifts(sqlite_url: str) -> None:
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS) as harness:
        await seed(harness)
        code = await _invite(harness)
        for guess in range(MAX_WRONG_ATTEMPTS):
            assert await _redeem(harness, f"GUESS{guess}", STRANGER) is RedeemError.NOT_FOUND
        # Even the right code is refused to the guesser while the window lasts...
        assert await _redeem(harness, code, STRANGER) is RedeemError.RATE_LIMITED
        # ...and the code is not burnt by that refusal.
        harness.clock.advance(ATTEMPT_WINDOW + timedelta(seconds=1))
        assert isinstance(await _redeem(harness, code, STRANGER), Redeemed)


# --- the token -------------------------------------------------------------------------------


@pytest.fixture
def redacting_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Production logging (setup_logging) at DEBUG, with httpx and telegram at DEBUG too —
    the loudest it can be — captured by caplog; undone afterwards."""
    root = logging.getLogger()
    level = root.level
    before = list(root.handlers)
    setup_logging("DEBUG", SECRET_TOKEN)
    for name in ("httpx", "httpcore", "telegram", "apscheduler", ""):
        caplog.set_level(logging.DEBUG, logger=name or None)
    try:
        yield caplog
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
            for f in [f for f in handler.filters if isinstance(f, RedactTokenFilter)]:
                handler.removeFilter(f)
        root.setLevel(level)
        for name in ("httpx", "httpcore", "aiosqlite", "alembic", "apscheduler"):
            logging.getLogger(name).setLevel(logging.NOTSET)


def _leaks(text: str) -> bool:
    return SECRET_TOKEN in text or SECRET_HALF in text


async def test_the_token_never_reaches_logs_exceptions_or_users(
    sqlite_url: str, redacting_logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, telegram_bot_token=SECRET_TOKEN
    ) as harness:
        world = await seed(harness)
        emulator = harness.emulator
        # 1. Normal traffic: every request URL carries the token (httpx logs it at INFO).
        await harness.send(FOCAL_A, GROUP_A, "/nhiemvu")
        # 2. A handler failing on the database.
        tasks = harness.services.tasks

        async def broken(*_: object, **__: object) -> None:
            raise OperationalError("SELECT assignments", {}, Exception("database is locked"))

        monkeypatch.setattr(tasks, "list_tasks", broken)
        await harness.send(FOCAL_A, GROUP_A, "/nhiemvu")
        # 3. An HTTP error whose text carries the request URL, token included.
        url = f"https://api.telegram.org/bot{SECRET_TOKEN}/sendMessage"

        async def network(*_: object, **__: object) -> None:
            raise NetworkError(f"httpx.ConnectError: connection refused for url '{url}'")

        monkeypatch.setattr(tasks, "list_tasks", network)
        await harness.send(FOCAL_A, GROUP_A, "/nhiemvu")
        monkeypatch.undo()
        # 4. Telegram faults on the reply, and a download that fails (its URL has the token).
        emulator.faults.bad_gateway("sendMessage")
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đạt 10%")
        emulator.faults.drop("sendMessage")
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{world.open_task['A']} đạt 20%")
        emulator.faults.bad_gateway("file")
        emulator.user_sends_document(ADMIN, ADMIN, "tb.txt", SEED.read_bytes())
        await harness.flush()
        answer = harness.last_text(ADMIN)
        assert "Không đọc được tệp" in answer  # told, without the URL
    records = redacting_logs.records
    assert any("HTTP Request" in r.getMessage() for r in records)  # httpx was heard
    assert any(r.levelno == logging.ERROR for r in records)  # the failures were logged
    assert sum("<TOKEN>" in r.getMessage() or "<TOKEN>" in (r.exc_text or "") for r in records)
    for record in records:
        assert not _leaks(record.getMessage()), record.getMessage()
        assert not _leaks(record.exc_text or "")
    assert not _leaks(redacting_logs.text)
    for sent in emulator.sent:
        assert not _leaks(f"{sent.text} {sent.plain} {sent.params}")
    assert not any(_leaks(str(a)) for a in emulator.callback_answers)


def test_settings_never_print_the_token() -> None:
    settings = Settings(telegram_bot_token=SECRET_TOKEN, database_url="sqlite+aiosqlite:///x")
    assert not _leaks(repr(settings)) and not _leaks(str(settings))


def test_the_sandbox_transcript_never_shows_its_token(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text(
        "\n".join(["/as Sở Tài chính", "/nhiemvu", "/as office", "/tonghop", "/nhacngay"]) + "\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "sandbox",
            "--script",
            str(script),
            "--workdir",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DONDOC_ENV_FILE": str(tmp_path / "absent.env"),
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "DEBUG",
        },
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip()
    secret = SANDBOX_TOKEN.split(":", 1)[1]
    for stream in (result.stdout, result.stderr):
        assert SANDBOX_TOKEN not in stream and secret not in stream


# --- restricted tasks ------------------------------------------------------------------------


def _everything_sent(harness: Harness) -> str:
    """Every text, caption and file (xlsx/docx unzipped) the emulator received."""
    parts: list[str] = []
    for sent in harness.emulator.sent:
        parts += [sent.text or "", sent.plain or "", str(sent.reply_markup or "")]
        if sent.data and sent.data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(sent.data)) as archive:
                parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        elif sent.data:
            parts.append(sent.data.decode("utf-8", "replace"))
    parts += [str(a) for a in harness.emulator.callback_answers]
    return "\n".join(parts)


async def test_restricted_tasks_never_show_their_text_in_any_chat(sqlite_url: str) -> None:
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        ids = [*world.open_task.values(), *world.awaiting.values()]
        for assignment_id in ids:  # the office marks every task restricted (/mat)
            await harness.send(ADMIN, ADMIN, f"/mat #{assignment_id}")
            assert "đánh dấu mật" in harness.last_text(ADMIN)
        harness.emulator.reset_records()
        # Lists and cards, in the agency's group, the office and in private.
        await harness.send(FOCAL_A, GROUP_A, "/nhiemvu")
        await harness.send(FOCAL_A, FOCAL_A, "/nhiemvu")
        await harness.send(ADMIN, OFFICE_GROUP, "/nhiemvu")
        for assignment_id in ids:
            listing = harness.last(OFFICE_GROUP)
            await harness.press(
                ADMIN, OFFICE_GROUP, listing["message_id"], f"card:{assignment_id}", strict=False
            )
        card = harness.last(OFFICE_GROUP)
        assert "#" in (card.get("text") or "")
        # The announcement of new tasks, reminders and escalations over several days.
        await announce_assignments(
            harness.app, harness.services, {world.agency["A"]: ids[:1]}, "99-TB/BCĐ"
        )
        await harness.drain()
        sent = 0
        for day in (20, 24, 31):
            harness.clock.set(datetime(2020, 3, day, 9, 0, tzinfo=TZ))
            sent += (await sweep_and_send(harness.app)).messages
        for day in (1, 3, 8, 14):
            harness.clock.set(datetime(2020, 4, day, 9, 0, tzinfo=TZ))
            sent += (await sweep_and_send(harness.app)).messages
        assert sent >= 3
        # The weekly summary (Friday after 16:00), /tonghop and /xuatbaocao.
        harness.clock.set(datetime(2020, 4, 3, 16, 30, tzinfo=TZ))
        assert await weekly_and_send(harness.app) >= 2
        await harness.send(ADMIN, OFFICE_GROUP, "/tonghop")
        await harness.send(FOCAL_A, GROUP_A, "/tonghop")
        await harness.send(ADMIN, OFFICE_GROUP, "/xuatbaocao")
        everything = _everything_sent(harness)
        assert len(harness.emulator.sent) >= 15
        assert MARK_A not in everything and MARK_B not in everything
        assert "rà soát, đôn đốc giải ngân" not in everything


# --- leaving an agency -----------------------------------------------------------------------


async def test_a_person_who_leaves_loses_access_at_once(sqlite_url: str) -> None:
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 10%")
        assert "Đã ghi nhận" in harness.last_text(GROUP_A)
        # Only the office may remove someone.
        await harness.send(FOCAL_B, FOCAL_B, f"/xoadaumoi {FOCAL_A} {A_NAME}")
        assert "Chỉ Văn phòng" in harness.last_text(FOCAL_B)
        await harness.send(ADMIN, ADMIN, "/xoadaumoi")
        assert "/xoadaumoi" in harness.last_text(ADMIN)
        await harness.send(ADMIN, ADMIN, f"/xoadaumoi {FOCAL_A} {A_NAME}")
        assert "Đã xoá" in harness.last_text(ADMIN)
        await harness.send(ADMIN, ADMIN, f"/xoadaumoi {FOCAL_A} {A_NAME}")
        assert "không phải" in harness.last_text(ADMIN)
        # The very next update: no report, no button, no list, in private a stranger.
        await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 50%")
        assert "Đã ghi nhận" not in harness.last_text(GROUP_A)
        message = harness.last(GROUP_A)
        await harness.press(FOCAL_A, GROUP_A, message["message_id"], f"done:{task}", strict=False)
        await harness.send(FOCAL_A, GROUP_A, "/nhiemvu")
        assert MARK_A not in harness.last_text(GROUP_A)
        await harness.send(FOCAL_A, FOCAL_A, "/nhiemvu")
        assert "chưa được gắn" in harness.last_text(FOCAL_A)
        updates = await harness.rows(ProgressUpdate, ProgressUpdate.assignment_id == task)
        assert [u.percent for u in updates] == [10]
        member = await harness.rows(AgencyMember, AgencyMember.agency_id == world.agency["A"])
        assert sorted(m.active for m in member) == [False, True]  # the deputy stays
