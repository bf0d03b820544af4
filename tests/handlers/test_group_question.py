"""A group's question under the preview (issue 15): ☑️ pick agencies from the directory for
this notice only (buttons and pages edited in place), or ⏭ skip it, the preview saying what is
skipped; Lưu then saves exactly the preview shown, and nothing is added to the directory."""

from __future__ import annotations

from sqlalchemy import true

from storage.models import Agency, AgencyGroup, Assignment, Task
from tests.handlers.test_directory import NOTICE, _live, _plan, _send_text
from tests.harness import ADMIN, Harness

GROUP = "Các huyện, thị xã, thành phố"


async def _question(bot: Harness) -> dict:
    preview = await _send_text(bot, NOTICE)
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "❓"))
    question = bot.last(ADMIN)
    assert f"Nhóm «{GROUP}» chưa có danh sách đơn vị" in question["text"]
    return question


async def test_agencies_picked_for_this_notice_are_saved_as_previewed(seeded: Harness) -> None:
    question = await _question(seeded)
    await seeded.press(ADMIN, ADMIN, question["message_id"], seeded.button(question, "☑️"))
    picker = seeded.last(ADMIN)
    assert "Trang 1/" in picker["text"] and "Đã chọn 0" in picker["text"]
    labels = [label for label, _ in seeded.emulator.buttons(picker)]
    assert labels[0].startswith("Huyện")  # the group's kind first
    # Done with nothing picked: said, nothing changes.
    await seeded.press(ADMIN, ADMIN, picker["message_id"], seeded.button(picker, "✅ Xong"))
    assert "Chưa chọn đơn vị nào" in seeded.answers()[-1]
    await seeded.press(ADMIN, ADMIN, picker["message_id"], seeded.button(picker, "Huyện Kỳ Anh"))
    edited = seeded.last(ADMIN)
    assert edited["message_id"] == picker["message_id"]  # in place
    assert "Đã chọn 1: Huyện Kỳ Anh" in edited["text"]
    assert "✅ Huyện Kỳ Anh" in [label for label, _ in seeded.emulator.buttons(edited)]
    await seeded.press(ADMIN, ADMIN, edited["message_id"], seeded.button(edited, "▶️"))
    page_two = seeded.last(ADMIN)
    assert page_two["message_id"] == picker["message_id"] and "Trang 2/" in page_two["text"]
    await seeded.press(ADMIN, ADMIN, page_two["message_id"], seeded.button(page_two, "✅ Xong"))
    preview = seeded.last(ADMIN)
    assert "Huyện Kỳ Anh" in preview["text"] and "nhóm chưa có danh sách" not in preview["text"]
    plan = await _plan(seeded)
    await seeded.press(ADMIN, ADMIN, preview["message_id"], seeded.button(preview, "💾"))
    live = {(c, a) for c, a in await _live(seeded) if c in ("1", "2")}
    assert {(c, a) for c, a, _ in plan.saved_assignments()} == live
    assert [a for c, a in live if c == "1"] == ["Huyện Kỳ Anh"]
    assert await seeded.rows(AgencyGroup, AgencyGroup.name == GROUP) == []  # this notice only


async def test_a_skipped_group_is_named_in_the_preview_and_given_to_nobody(bot: Harness) -> None:
    question = await _question(bot)
    await bot.press(ADMIN, ADMIN, question["message_id"], bot.button(question, "⏭"))
    preview = bot.last(ADMIN)
    assert f"⏭ Bỏ qua, không giao: «{GROUP}»" in preview["text"]
    assert "nhóm chưa có danh sách" not in preview["text"]
    plan = await _plan(bot)
    assert [g.status for g in plan.groups if g.name == GROUP] == ["skipped"]
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "💾"))
    assert {(c, a) for c, a, _ in plan.saved_assignments()} == await _live(bot)
    task_one = (await bot.rows(Task, Task.code == "1"))[0]
    assert await bot.rows(Assignment, Assignment.task_id == task_one.id) == []
    names = {a.name for a in await bot.rows(Agency, true())}
    assert not [n for n in names if n.lower().startswith("các")]


async def test_picks_survive_importing_the_same_notice_again(seeded: Harness) -> None:
    """Idempotent: the agencies picked for an open group stay when the notice comes again."""
    question = await _question(seeded)
    await seeded.press(ADMIN, ADMIN, question["message_id"], seeded.button(question, "☑️"))
    picker = seeded.last(ADMIN)
    await seeded.press(ADMIN, ADMIN, picker["message_id"], seeded.button(picker, "Huyện Kỳ Anh"))
    await seeded.press(
        ADMIN, ADMIN, picker["message_id"], seeded.button(seeded.last(ADMIN), "✅ Xong")
    )
    preview = seeded.last(ADMIN)
    await seeded.press(ADMIN, ADMIN, preview["message_id"], seeded.button(preview, "💾"))
    before = await _live(seeded)
    again = await _send_text(seeded, NOTICE)
    assert "không có thay đổi" in again["text"]
    await seeded.press(ADMIN, ADMIN, again["message_id"], seeded.button(again, "💾"))
    assert await _live(seeded) == before and ("1", "Huyện Kỳ Anh") in before
