"""The agency's digest as the focal point reads it: the reply hint fits the number of lines,
and its parts are cut with every button they carry counted (📱 Mở biểu mẫu included)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.domain.reminders import Audience, DueReminder, ReminderKind
from bot.messaging.keyboards import form_button
from bot.messaging.layout import MAX_BUTTONS, fits
from bot.messaging.reminder_presenter import (
    DigestPart,
    agency_digest,
    announcement,
    unacknowledged_pages,
)
from bot.messaging.texts import Texts
from bot.services.reminders import AssignmentBrief, PlannedDigest, ReminderItem, Unacknowledged

TODAY = date(2020, 1, 16)


def _item(assignment_id: int) -> ReminderItem:
    return ReminderItem(
        reminder=DueReminder(assignment_id, 7, assignment_id, ReminderKind.OVERDUE, TODAY, 1),
        agency_name="Sở Nông nghiệp và Phát triển nông thôn",
        notice_id=1,
        notice_number="22-TB/BCĐ",
        task_code=f"I.{assignment_id}",
        text="Soát xét đánh giá đúng, chính xác thực trạng tiêu chí tỉnh nông thôn mới",
        restricted=False,
        deadline_start=date(2020, 1, 15),
        deadline_end=date(2020, 1, 15),
        working_days_left=-1,
    )


def _digest(*ids: int) -> PlannedDigest:
    items = tuple(_item(i) for i in ids)
    return PlannedDigest(Audience.AGENCY, TODAY, items, 7, items[0].agency_name)


def test_a_digest_of_one_task_does_not_ask_for_a_line_number() -> None:
    [part] = agency_digest(Texts("vi"), _digest(20))
    assert "bắt đầu bằng số thứ tự" not in part.text
    assert part.text.endswith(
        "Trả lời tin này để báo cáo, ví dụ «đạt 70%», «đã hoàn thành»; hoặc bấm nhiệm vụ."
    )


def test_a_digest_of_several_tasks_asks_to_start_with_the_line_number() -> None:
    [part] = agency_digest(Texts("vi"), _digest(20, 21))
    assert "bắt đầu bằng số thứ tự: «2 đạt 70%»" in part.text
    [english] = agency_digest(Texts("en"), _digest(20, 21))
    assert "starting with the line number" in english.text


def _unacknowledged(assignment_id: int) -> ReminderItem:
    """A restricted task (a short line) of a notice of its own not yet acknowledged: two
    buttons in the digest (the task's and 👍 for its notice)."""
    return replace(
        _item(assignment_id),
        reminder=DueReminder(assignment_id, 7, assignment_id, ReminderKind.ACK_NUDGE, TODAY, 0),
        notice_id=assignment_id,
        notice_number=f"{assignment_id}-TB/BCĐ",
        restricted=True,
        working_days_left=5,
    )


def _labels(part: DigestPart) -> list[str]:
    assert part.markup is not None
    return [button.text for row in part.markup.inline_keyboard for button in row]


def test_the_form_button_is_counted_when_a_digest_is_cut() -> None:
    t = Texts("vi")
    items = tuple(_unacknowledged(i) for i in (20, 21, 22, 23))
    digest = PlannedDigest(Audience.AGENCY, TODAY, items, 7, items[0].agency_name)
    without = agency_digest(t, digest)
    assert [len(part.covered) for part in without] == [3, 1]  # 3 tasks + 3 👍 = 6 buttons
    form = form_button(t, "https://dondoc.test", private=False, bot_username="dondoc_bot")
    parts = agency_digest(t, digest, form=form)
    # With the form's button three tasks would be 7 buttons: two per part, each with the form.
    assert [len(part.covered) for part in parts] == [2, 2]
    assert [item for part in parts for item in part.covered] == list(items)
    for part in parts:
        assert len(_labels(part)) <= MAX_BUTTONS
        assert _labels(part)[-1] == "📱 Mở biểu mẫu"


def _brief(assignment_id: int) -> AssignmentBrief:
    return AssignmentBrief(
        assignment_id, 7, "Sở Tài chính", 1, "22-TB/BCĐ", f"I.{assignment_id}",
        "Rà soát quy hoạch", False, None, date(2020, 3, 31),
    )  # fmt: skip


def test_an_announcement_asks_for_line_numbers_only_when_there_are_lines() -> None:
    [one] = announcement(Texts("vi"), [_brief(5)], notice_number="22-TB/BCĐ")
    assert one.text.endswith("Báo cáo tiến độ: trả lời tin này.")
    [two] = announcement(Texts("vi"), [_brief(5), _brief(6)], notice_number="22-TB/BCĐ")
    assert two.text.endswith("trả lời tin này, bắt đầu bằng số thứ tự.")


def test_every_agency_not_acknowledging_is_on_a_page_none_only_counted() -> None:
    """/chuatiepnhan at 60 agencies: pages of one screen each (◀️ ▶️ under them), every agency
    named once, the footer saying which page of how many."""
    rows = [
        Unacknowledged(i, f"UBND xã Số {i:02d} (huyện Can Lộc)", i % 4 + 1, TODAY)
        for i in range(60)
    ]
    pages = unacknowledged_pages(Texts("vi"), rows)
    assert len(pages) > 1 and all(fits(page, 2) for page in pages)
    named = [line for page in pages for line in page.splitlines() if line.startswith("• ")]
    assert [line.split(":")[0] for line in named] == [f"• {r.agency_name}" for r in rows]
    assert pages[-1].endswith(f"Trang {len(pages)}/{len(pages)} · 60 đơn vị")
    [one] = unacknowledged_pages(Texts("vi"), rows[:3])
    assert "Trang" not in one and one.count("• ") == 3
