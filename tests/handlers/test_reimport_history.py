"""A re-import that cancels an assignment says so in its history (who, when, which notice),
and one that gives it back restores the status its history supports, not "Chưa thực hiện"."""

from __future__ import annotations

from bot.domain.types import AssignmentStatus
from storage.models import ProgressUpdate
from tests.handlers.reimport_steps import assignment, save, send_version
from tests.harness import ADMIN, OFFICE_GROUP, SEED, Harness


async def _history(bot: Harness, assignment_id: int) -> list[ProgressUpdate]:
    rows = await bot.rows(ProgressUpdate, ProgressUpdate.assignment_id == assignment_id)
    return sorted(rows, key=lambda u: u.id)


async def test_a_cancelled_assignment_is_in_its_history_and_comes_back_as_it_was(
    bot: Harness,
) -> None:
    text = SEED.read_text(encoding="utf-8")
    await save(bot, await send_version(bot, text))
    mine = await assignment(bot, "I.3", "Sở Công Thương")
    await bot.send(ADMIN, ADMIN, f"/capnhat #{mine.id} 40%")

    corrected = text.replace("3. Sở Công Thương", "3. Sở Kế hoạch và Đầu tư", 1)
    assert "Đã lưu" in await save(bot, await send_version(bot, corrected))
    cancelled = await assignment(bot, "I.3", "Sở Công Thương")
    assert cancelled.status == AssignmentStatus.CANCELLED
    last = (await _history(bot, mine.id))[-1]
    assert (last.kind, last.status, last.author_user_id) == (
        "import_cancelled",
        AssignmentStatus.CANCELLED,
        ADMIN,
    )
    assert last.text == "22-TB/BCĐ"  # the notice re-imported

    # The notice as it was, imported again: the assignment comes back at 40%, not restarted.
    assert "Đã lưu" in await save(bot, await send_version(bot, text))
    back = await assignment(bot, "I.3", "Sở Công Thương")
    assert (back.status, back.percent) == (AssignmentStatus.IN_PROGRESS, 40)
    kinds = [(u.kind, u.status, u.percent) for u in await _history(bot, mine.id)]
    assert kinds == [
        ("in_progress", "in_progress", 40),
        ("import_cancelled", "cancelled", 40),
        ("import_restored", "in_progress", 40),
    ]


async def test_a_deadline_moved_by_a_reimport_warns_of_done_work_changing_cell(
    bot: Harness,
) -> None:
    """Done on 27/12/2019 against 31/03/2020: on time. The corrected notice says 20/12/2019:
    the same work now counts as late; the preview says so before Lưu (and again the other
    way round)."""
    text = SEED.read_text(encoding="utf-8")
    await save(bot, await send_version(bot, text))
    await bot.send(ADMIN, OFFICE_GROUP, "/vanphong")
    done = await assignment(bot, "I.6.2", "Sở Tài chính")
    await bot.send(ADMIN, ADMIN, f"/capnhat #{done.id} đã hoàn thành")
    office = bot.last(OFFICE_GROUP)
    await bot.press(ADMIN, OFFICE_GROUP, office["message_id"], bot.button(office, "conf:"))
    assert (await assignment(bot, "I.6.2", "Sở Tài chính")).status == AssignmentStatus.DONE

    # A deadline moved that changes no finished work's cell says nothing of the kind.
    later = text.replace("hoàn thành trước 31/03/2020", "hoàn thành trước 30/04/2020", 1)
    assert "Đổi thời hạn làm" not in (await send_version(bot, later))["text"]
    earlier = text.replace("hoàn thành trước 31/03/2020", "hoàn thành trước 20/12/2019", 1)
    preview = (await send_version(bot, earlier))["text"]
    assert (
        "⚠️ Đổi thời hạn làm 1 lượt giao đã hoàn thành chuyển từ đúng hạn sang quá hạn: "
        f"#{done.id} (I.6.2)"
    ) in preview, preview
    assert "Đã lưu" in await save(bot, await send_version(bot, earlier))
    back = (await send_version(bot, text))["text"]
    assert (
        "⚠️ Đổi thời hạn làm 1 lượt giao đã hoàn thành chuyển từ quá hạn sang đúng hạn: "
        f"#{done.id} (I.6.2)"
    ) in back, back
