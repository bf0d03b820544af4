"""Issue 14, the gaps left after items 1-7, through the whole bot (the real Application, the
emulator, SQLite and PostgreSQL): a figure and an extension in one reply, a report under a bot
message about no task, every difficulty quoted in the roll-up, the voice-note hint across a
restart."""

from __future__ import annotations

from bot.clock import ManualClock
from storage.models import DispatchLog
from tests.harness import FOCAL_A, GROUP_A, new_emulator, running_bot
from tests.jobs.world import TC, at, seed_world

TASKS = [("I.1", TC, "31/01/2020"), ("I.2", TC, "25/01/2020")]


async def test_the_voice_note_hint_is_given_once_a_day_even_across_a_restart(
    database_url: str,
) -> None:
    clock = ManualClock(at("27/12/2019", 9, 0))
    emulator = new_emulator(clock)
    async with running_bot(database_url, clock=clock, emulator=emulator) as bot:
        await seed_world(bot, TASKS)
        sent = len(bot.bot_messages(GROUP_A))
        bot.emulator.user_sends_voice(FOCAL_A, GROUP_A)
        await bot.flush()
        assert "chưa nghe được tin thoại" in bot.last_text(GROUP_A)
        assert len(bot.bot_messages(GROUP_A)) == sent + 1
        claims = await bot.rows(DispatchLog, DispatchLog.kind == "media_hint")
        assert [(c.period, c.sent_at is not None) for c in claims] == [("2019-12-27", True)]
    async with running_bot(database_url, clock=clock, emulator=emulator) as bot:
        bot.emulator.user_sends_voice(FOCAL_A, GROUP_A)
        await bot.flush()
        assert len(bot.bot_messages(GROUP_A)) == sent + 1  # the same day: no second hint
        clock.set(at("28/12/2019", 9, 0))
        bot.emulator.user_sends_voice(FOCAL_A, GROUP_A)
        await bot.flush()
        assert len(bot.bot_messages(GROUP_A)) == sent + 2
