"""Start-up settles the heap once per process (bot/app.py `settle_heap`): what is alive once the
Application is initialized is frozen out of the garbage collector's reach, and the young
generation is collected every `GC_GEN0_THRESHOLD` allocations, not CPython's 700 (bench/README.md,
finding H: ~0.4 ms of a reply's CPU was the collector going over the same 250,000 objects)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

import bot.app
from bot.app import GC_GEN0_THRESHOLD
from tests.harness import running_bot


def _tracked(obj: object) -> bool:
    """In one of the collector's three generations (a frozen object is in none of them)."""
    return any(o is obj for o in gc.get_objects())


@pytest.fixture
def unsettled(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A process as it is before start-up (another test may have started an Application
    already in this one), put back as it was afterwards."""
    settled, threshold = bot.app._heap_settled, gc.get_threshold()
    monkeypatch.setattr(bot.app, "_heap_settled", False)
    gc.unfreeze()
    gc.set_threshold(700, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not settled:
            gc.unfreeze()  # as before: the next Application's start-up freezes


async def test_start_up_freezes_what_it_built_and_raises_the_threshold(
    sqlite_url: str, unsettled: None
) -> None:
    assert gc.get_freeze_count() == 0
    async with running_bot(sqlite_url) as harness:
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == GC_GEN0_THRESHOLD > 700
        # The Application and what it holds were built before the freeze: out of the
        # collector's generations, never traversed again.
        assert not _tracked(harness.app)
        assert not _tracked(harness.services)


async def test_once_per_process_a_second_application_is_not_frozen(
    sqlite_url: str, unsettled: None
) -> None:
    async with running_bot(sqlite_url):
        frozen = gc.get_freeze_count()
    async with running_bot(sqlite_url) as second:
        # Frozen objects are never collected: freezing per Application would keep every
        # earlier one (the tests build hundreds) for the life of the process.
        assert _tracked(second.app)
        assert gc.get_freeze_count() <= frozen  # (less: frozen objects freed by their count)
    assert bot.app.settle_heap() is False
