"""The weekly summary names the agencies not on board apart from those that did not report
(issue 21): an agency with no bound group could not report."""

from __future__ import annotations

from datetime import datetime

from bot.messaging.summary_presenter import render_digest
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, TZ, Harness, weekly_and_send


def _section(text: str, title: str) -> list[str]:
    """The digest's line that starts with `title` (the digest names each group on one line,
    cut at a word: issue 16's phone screen)."""
    return [line for line in text.splitlines() if title in line.split(":</b>")[0]]


async def test_not_on_board_apart_from_not_reporting(seeded: Harness) -> None:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await seeded.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    code = seeded.last_text(ADMIN).split("/dangky ")[1].strip()
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    seeded.clock.set(datetime(2020, 1, 10, 16, 0, tzinfo=TZ))
    assert await weekly_and_send(seeded.app) >= 1
    text = next(
        m["text"] for m in seeded.bot_messages(OFFICE_GROUP) if "TỔNG HỢP" in (m.get("text") or "")
    )
    unbound = _section(text, "Chưa gắn nhóm Telegram")
    silent = _section(text, "Chưa báo cáo")
    assert unbound, text
    rollup = await seeded.services.summary.rollup()
    apart = {a.name for a in rollup.silent_agencies if not a.bound}
    assert "Sở Công Thương" in apart and "Sở Tài chính" not in apart
    assert f"({len(apart)} đơn vị, xem /ganket)" in unbound[0]
    assert not any("Sở Tài chính" in line for line in unbound)
    assert not any("Sở Công Thương" in line for line in silent)


async def test_the_rollup_marks_who_is_bound(seeded: Harness) -> None:
    seeded.clock.set(datetime(2020, 1, 10, 16, 0, tzinfo=TZ))
    rollup = await seeded.services.summary.rollup()
    assert rollup.silent_agencies and not any(a.bound for a in rollup.silent_agencies)
    text = render_digest(rollup)
    # Nobody is on board: every silent agency is under "not on board", none "did not report".
    assert _section(text, "Chưa gắn nhóm Telegram") and not _section(text, "Chưa báo cáo")
