"""The answers' links, written behind in batches (bot/services/link_writer.py): a reply to a
confirmation is a report on its task (docs/replies.md, "Nothing vanishes") right away in this
process, on a second instance once written, after a restart since shutdown writes what is
queued; a burst of confirmations costs a few transactions, not one each. SQLite and
PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, true
from telegram import Update

from bot.services.link_writer import GATHER
from storage.models import Assignment, MessageLink, ProgressUpdate
from storage.repositories import conversation as conversation_repo
from tests.harness import FOCAL_A, GROUP_A, Harness, running_bot
from tests.jobs.world import TC, seed_world

THREE = [("I.1", TC, "31/01/2020"), ("I.2", TC, "25/01/2020"), ("I.3", TC, "03/02/2020")]


async def _deliver(bot: Harness) -> None:
    """Hand the queued updates to the bot without waiting for their links to be written
    (the harness's `flush` waits, as production's writer is done long before anyone
    replies)."""
    for raw in bot.emulator.take_updates():
        await bot.app.process_update(Update.de_json(raw, bot.app.bot))


async def _links(bot: Harness, message: dict[str, Any]) -> list[tuple[int, str]]:
    rows = await bot.rows(MessageLink, MessageLink.message_id == message["message_id"])
    return [(row.assignment_id, row.purpose) for row in rows]


async def _percent(bot: Harness, assignment_id: int) -> int:
    return (await bot.rows(Assignment, Assignment.id == assignment_id))[0].percent


class _Away:
    """The writes the links' table refused so far."""

    def __init__(self) -> None:
        self.refused = 0
        self._changed = asyncio.Event()

    def refuse(self) -> None:
        self.refused += 1
        self._changed.set()

    async def until(self, refused: int) -> None:
        while self.refused < refused:
            self._changed.clear()
            await asyncio.wait_for(self._changed.wait(), 10)


@contextmanager
def _database_away(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Away]:
    """The links' table refuses every write while open (a database gone for a while)."""
    away = _Away()
    real = conversation_repo.link_messages

    async def refuse(uow: Any, *, links: Sequence[Any]) -> None:
        away.refuse()
        raise ConnectionError("the database went away")

    monkeypatch.setattr(conversation_repo, "link_messages", refuse)
    try:
        yield away
    finally:
        monkeypatch.setattr(conversation_repo, "link_messages", real)


async def test_a_reply_to_a_confirmation_not_yet_written_is_its_tasks_report_here(
    bot: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The link is kept in memory at once: a reply that comes before it is in the table (here
    the database refuses the writer meanwhile) is still that task's report in this process;
    the failed writes are logged with the message they hold and tried again until written."""
    world = await seed_world(bot, THREE)
    task = world.aid["I.2"]
    with _database_away(monkeypatch) as away:
        bot.emulator.user_sends(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 30%")
        await _deliver(bot)
        confirmation = bot.last(GROUP_A)
        assert confirmation["text"].startswith(f"🔄 Đã ghi nhận #{task}")
        bot.emulator.user_sends(
            FOCAL_A, GROUP_A, "đạt 80%", reply_to_message_id=confirmation["message_id"]
        )
        await _deliver(bot)
        assert await _percent(bot, task) == 80
        assert bot.last_text(GROUP_A).startswith(f"🔄 Đã ghi nhận #{task}: đạt 80%")
        assert await _links(bot, confirmation) == []  # not in the table yet
        await away.until(2)  # tried again (the answer to the reply queued meanwhile)
    await bot.services.conversation.links_written()
    assert await _links(bot, confirmation) == [(task, "answer")]
    answer = bot.last(GROUP_A)  # the answer to the reply, queued meanwhile: written too
    assert await _links(bot, answer) == [(task, "answer")]
    warned = [r for r in caplog.records if r.name == "bot.services.link_writer"]
    assert warned and f"message {confirmation['message_id']} -> answer [{task}]" in (
        warned[0].getMessage()
    )


async def test_a_second_instance_finds_the_link_once_written(database_url: str) -> None:
    """Two instances on one database (PostgreSQL; SQLite: two pollers on one file): a reply
    to one's confirmation, handed to the other, is that task's report."""
    async with running_bot(database_url) as one:
        world = await seed_world(one, THREE)
        task = world.aid["I.1"]
        async with running_bot(database_url, clock=one.clock, emulator=one.emulator) as two:
            await one.send(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 40%")
            confirmation = one.last(GROUP_A)
            assert await _links(one, confirmation) == [(task, "answer")]
            await two.send(FOCAL_A, GROUP_A, "xong", reply_to=confirmation["message_id"])
            assert two.last_text(GROUP_A).startswith(f"✅ Đã ghi nhận #{task} hoàn thành")
            updates = await two.rows(ProgressUpdate, true())
            assert [(u.assignment_id, u.percent) for u in updates] == [(task, 40), (task, 100)]


async def test_links_still_queued_are_written_at_shutdown(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database refuses the writer until the bot stops: shutdown writes what is queued,
    so the restarted bot reads a reply to that confirmation as its task's report."""
    async with running_bot(database_url) as first:
        world = await seed_world(first, THREE)
        task = world.aid["I.3"]
        with _database_away(monkeypatch) as away:
            first.emulator.user_sends(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 20%")
            await _deliver(first)
            confirmation = first.last(GROUP_A)
            await away.until(1)
            assert await _links(first, confirmation) == []
        # The writer waits out its backoff; stopping the bot does not.
    async with running_bot(database_url, clock=first.clock, emulator=first.emulator) as again:
        assert await _links(again, confirmation) == [(task, "answer")]
        await again.send(FOCAL_A, GROUP_A, "đạt 60%", reply_to=confirmation["message_id"])
        assert await _percent(again, task) == 60


async def test_links_the_database_never_takes_are_logged_at_shutdown(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Never dropped in silence: what still cannot be written when the bot stops is logged,
    link by link, and the stop is not held up for long."""
    with _database_away(monkeypatch):
        async with running_bot(sqlite_url) as bot:
            world = await seed_world(bot, THREE)
            task = world.aid["I.1"]
            bot.emulator.user_sends(FOCAL_A, GROUP_A, f"/capnhat #{task} đạt 20%")
            await _deliver(bot)
            confirmation = bot.last(GROUP_A)
    given_up = [
        r for r in caplog.records
        if r.name == "bot.services.link_writer" and r.levelno == logging.ERROR
    ]  # fmt: skip
    assert len(given_up) == 1
    assert f"chat {GROUP_A} message {confirmation['message_id']} -> answer [{task}]" in (
        given_up[0].getMessage()
    )


async def test_a_burst_of_confirmations_is_written_in_a_few_transactions(bot: Harness) -> None:
    """Thirty reports handled at once: thirty confirmations, each linked to its task, in a
    few INSERTs (one transaction each: the first at once, then one per GATHER while the
    burst lasts), not thirty."""
    many = [(f"V.{n}", TC, "31/01/2020") for n in range(1, 31)]
    world = await seed_world(bot, many)
    ids = [world.aid[f"V.{n}"] for n in range(1, 31)]
    for n, aid in enumerate(ids, 1):
        bot.emulator.user_sends(FOCAL_A, GROUP_A, f"/capnhat #{aid} đạt {n}%")
    raws = bot.emulator.take_updates()
    inserts = []
    engine = bot.app.bot_data["engine"].sync_engine

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("INSERT INTO message_links"):
            inserts.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    started = time.monotonic()
    try:
        await asyncio.gather(
            *(bot.app.process_update(Update.de_json(raw, bot.app.bot)) for raw in raws)
        )
        await bot.services.conversation.links_written()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    confirmations = [m for m in bot.bot_messages(GROUP_A) if "Đã ghi nhận #" in m["text"]]
    assert len(confirmations) == 30
    for message in confirmations:
        (linked,) = await _links(bot, message)
        assert linked[1] == "answer" and f"#{linked[0]}" in message["text"]
    # The first at once, then one per GATHER at most while links keep coming.
    elapsed = time.monotonic() - started
    assert 1 <= len(inserts) <= 2 + elapsed / GATHER, (len(inserts), elapsed)
