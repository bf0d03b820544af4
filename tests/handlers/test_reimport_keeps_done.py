"""A corrected notice never erases finished work (leftover of 06/12): a re-import that drops a
task, or gives it to another agency, keeps an assignment the agency has completed (done, or
awaiting the office's confirmation) as it is, in every figure, with its history; the
preview says so and leaves the decision to the office. An open assignment is still
cancelled as before (its history kept)."""

from __future__ import annotations

from sqlalchemy import true

from bot.domain.rollup import Counts
from storage.models import Assignment, ProgressUpdate, Task
from tests.handlers.reimport_steps import assignment, save, send_version
from tests.harness import ADMIN, OFFICE_GROUP, SEED, Harness

DROPPED = "- Đôn đốc, đẩy nhanh tiến độ giải ngân vốn nông thôn mới năm 2019"


async def _done(bot: Harness, assignment: Assignment, *, confirm: bool) -> None:
    """The agency's completion (through the bot), confirmed by the office when asked."""
    await bot.send(ADMIN, ADMIN, f"/capnhat #{assignment.id} đã hoàn thành")
    if confirm:
        notice = bot.last(OFFICE_GROUP)
        await bot.press(ADMIN, OFFICE_GROUP, notice["message_id"], bot.button(notice, "conf:"))


async def _overall(bot: Harness) -> Counts:
    return (await bot.services.summary.rollup(at=None, notice_number=None)).overall


async def test_a_dropped_or_reassigned_task_keeps_the_work_already_done(bot: Harness) -> None:
    text = SEED.read_text(encoding="utf-8")
    await save(bot, await send_version(bot, text))
    await bot.send(ADMIN, OFFICE_GROUP, "/vanphong")
    confirmed = await assignment(bot, "I.6.1", "Sở Tài chính")
    awaiting = await assignment(bot, "I.3", "Sở Công Thương")
    open_one = await assignment(bot, "I.6.2", "Sở Tài chính")
    await _done(bot, confirmed, confirm=True)
    await _done(bot, awaiting, confirm=False)
    states = {a.id: a.status for a in await bot.rows(Assignment, true())}
    assert (states[confirmed.id], states[awaiting.id]) == ("done", "awaiting_confirmation")
    before = await _overall(bot)
    history = len(await bot.rows(ProgressUpdate, true()))

    # The correction drops I.6.1 (done, confirmed) and gives I.3 (awaiting confirmation) to
    # another agency; I.6.2 (open) is dropped too, by the renumbering it becomes I.6.
    corrected = "\n".join(line for line in text.split("\n") if not line.startswith(DROPPED))
    corrected = corrected.replace("3. Sở Công Thương", "3. Sở Kế hoạch và Đầu tư", 1)
    preview = await send_version(bot, corrected)
    shown = preview["text"]
    assert "Giữ nguyên 2 lượt giao đã hoàn thành hoặc chờ xác nhận" in shown, shown
    assert f"#{confirmed.id} (I.6.1)" in shown and "Văn phòng quyết định" in shown
    saved = await save(bot, preview)
    assert "Đã lưu" in saved and "Giữ nguyên 2 lượt giao đã hoàn thành" in saved, saved

    after = {a.id: a for a in await bot.rows(Assignment, true())}
    assert after[confirmed.id].status == "done"
    assert after[awaiting.id].status == "awaiting_confirmation"
    (dropped_task,) = await bot.rows(Task, Task.id == confirmed.task_id)
    assert not dropped_task.cancelled  # kept live: the office decides (/huynv)
    # The new agency has I.3 now, beside the finished one.
    assert (await assignment(bot, "I.3", "Sở Kế hoạch và Đầu tư")).status == "not_started"
    assert after[open_one.id].status != "cancelled"  # I.6.2 is still in the notice (as I.6)
    # Nothing finished left the figures; no history was lost.
    now = await _overall(bot)
    assert now.done == before.done and now.awaiting_confirmation == before.awaiting_confirmation
    assert len(await bot.rows(ProgressUpdate, true())) >= history

    # The same corrected notice again: nothing more to do, and still nothing erased.
    again = await send_version(bot, corrected)
    assert "không có thay đổi" in again["text"], again["text"]
    await save(bot, again)
    assert {a.id: a.status for a in await bot.rows(Assignment, true())}[confirmed.id] == "done"
