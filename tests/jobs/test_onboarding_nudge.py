"""The office's line about agencies not on board (issue 21): named once a working day from
`ONBOARDING_NUDGE_DAYS` working days after their first task, never again the same day
(another sweep, a restart), retried after a failed send, silent once everyone is bound."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import true

from bot.domain.notice import parse_notice
from storage.models import InviteCode
from tests.harness import (
    ADMIN,
    FOCAL_A,
    GROUP_A,
    OFFICE_GROUP,
    SEED,
    TZ,
    Harness,
    running_bot,
    sweep_and_send,
)
from tests.jobs.world import sends

NUDGE = "Chưa gắn nhóm Telegram"


def _at(day: int, month: int, year: int = 2020, hour: int = 8, minute: int = 1) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


async def _going_live(bot: Harness) -> None:
    """The seed imported on Friday 27/12/2019, the office group bound, Sở Tài chính bound."""
    text = SEED.read_text(encoding="utf-8")
    await bot.services.notices.import_notice(parse_notice(text), source_text=text, by_user_id=None)
    await bot.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await bot.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    code = bot.last_text(ADMIN).split("/dangky ")[1].strip()
    await bot.send(FOCAL_A, GROUP_A, f"/dangky {code}")


def _nudges(bot: Harness) -> list[str]:
    return [text for text in sends(bot.emulator, OFFICE_GROUP) if NUDGE in text]


@pytest.fixture
async def live(sqlite_url: str) -> AsyncIterator[Harness]:
    async with running_bot(sqlite_url, now=_at(27, 12, 2019, 8, 0)) as bot:
        await _going_live(bot)
        yield bot


async def test_named_from_the_third_working_day_once_a_day(live: Harness) -> None:
    # 30/12 and 31/12 are the first two working days; 01/01 is a holiday; 02/01 the third.
    for when in (_at(30, 12, 2019), _at(31, 12, 2019), _at(1, 1)):
        live.clock.set(when)
        await sweep_and_send(live.app)
    assert _nudges(live) == []
    live.clock.set(_at(2, 1, hour=7, minute=59))  # before REMINDER_TIME: nothing yet
    await sweep_and_send(live.app)
    assert _nudges(live) == []
    live.clock.set(_at(2, 1))
    await sweep_and_send(live.app)
    await sweep_and_send(live.app)
    (line,) = _nudges(live)
    assert "sau 3 ngày làm việc" in line and "Xem /ganket" in line
    assert "Sở Tài chính" not in line  # bound
    assert "Sở Công Thương" in line or "đơn vị khác" in line
    # The next working day, once again; a weekend day, nothing.
    live.clock.set(_at(3, 1))
    await sweep_and_send(live.app)
    live.clock.set(_at(4, 1))
    await sweep_and_send(live.app)
    assert len(_nudges(live)) == 2


async def test_a_failed_send_is_retried_by_the_outbox_and_a_bound_agency_leaves_the_line(
    live: Harness,
) -> None:
    live.clock.set(_at(2, 1))
    # The office's first two sends fail (500): the line waits in the outbox, which tries it
    # again after its backoff; no later sweep claims it a second time.
    live.emulator.faults.inject("sendMessage", "server_error", chat_id=OFFICE_GROUP, times=2)
    await sweep_and_send(live.app)
    assert _nudges(live) == []
    await sweep_and_send(live.app)
    assert _nudges(live) == []
    await live.drain(settle=True)  # the retries, the clock moved to each
    assert len(_nudges(live)) == 1
    await sweep_and_send(live.app)
    assert len(_nudges(live)) == 1

    # Everyone binds: nothing to say on the next working day.
    await live.send(ADMIN, ADMIN, "/moi tatca")
    for n, invite in enumerate(await live.rows(InviteCode, InviteCode.used_at.is_(None))):
        group = -1008000 - n
        live.emulator.bot_added_to_group(group, FOCAL_A, chat_type="supergroup", title=f"N{n}")
        await live.send(FOCAL_A, group, f"/dangky {invite.code}")
    assert len(await live.rows(InviteCode, true())) > 2
    live.clock.set(_at(3, 1))
    await sweep_and_send(live.app)
    assert len(_nudges(live)) == 1


async def test_the_number_of_days_is_the_office_s(sqlite_url: str) -> None:
    async with running_bot(sqlite_url, now=_at(27, 12, 2019, 8, 0), onboarding_nudge_days=1) as bot:
        await _going_live(bot)
        bot.clock.set(_at(30, 12, 2019))
        await sweep_and_send(bot.app)
        (line,) = _nudges(bot)
        assert "sau 1 ngày làm việc" in line
