"""Read as on a phone (review of 06/12): no "—: 0/0", no "110 nhiệm vụ" beside "28 nhiệm vụ,
110 lượt giao", no instruction said twice in the message after Lưu."""

from __future__ import annotations

from datetime import date

from bot.domain.rollup import Counts
from bot.messaging.directory_presenter import groups_text
from bot.messaging.presenters import list_page
from bot.messaging.summary_presenter import count_lines
from bot.messaging.texts import texts_for
from bot.services.directory import GroupRow
from bot.services.tasks import TaskLine, Urgency
from storage.models import Agency
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, Harness

VI = texts_for("vi")


def line(n: int, agency: str) -> TaskLine:
    return TaskLine(
        assignment_id=n,
        task_id=1,
        task_code="II.2",
        notice_number="22-TB/BCĐ",
        notice_date=date(2019, 12, 27),
        text="Đẩy nhanh tiến độ thực hiện các công trình",
        restricted=False,
        agency_id=n,
        agency_name=agency,
        role="lead",
        status="not_started",
        percent=0,
        deadline_kind="date",
        deadline_start=None,
        deadline_end=date(2019, 12, 31),
        original_deadline_end=None,
        extension_approved=False,
        urgency=Urgency.DUE_SOON,
        days_left=4,
    )


def test_no_on_time_rate_yet_is_said_in_words() -> None:
    counts = Counts(total=2, not_started_no_deadline=2)
    for tasks in (None, 1):
        text = "\n".join(count_lines(counts, VI, tasks=tasks))
        assert "—" not in text and "0/0" not in text
        assert "Tỷ lệ HT đúng hạn: chưa tính" in text


def test_on_time_rate_with_a_base_keeps_its_figures() -> None:
    counts = Counts(total=3, done_on_time=1, not_started_overdue=1, not_started_no_deadline=1)
    text = "\n".join(count_lines(counts, VI, tasks=3))
    assert "1/2 lượt giao có hạn" in text


def test_office_list_counts_assignments_like_the_summary() -> None:
    lines = (line(1, "Huyện Can Lộc"), line(2, "Huyện Cẩm Xuyên"))
    office, _ = list_page(VI, lines, title="t", page=1, show_agency=True, filter_token="")
    agency, _ = list_page(VI, lines[:1], title="t", page=1, show_agency=False, filter_token="")
    assert "· 2 lượt giao" in office and "nhiệm vụ\n" not in office
    assert "· 1 nhiệm vụ" in agency


def test_saved_message_says_how_to_invite_once() -> None:
    text = VI.t("import.saved_agencies", names="Sở Y tế, Kho bạc Nhà nước tỉnh") + VI.t(
        "onboard.saved_unbound", n=2
    )
    assert "/moi" not in text  # the 🎫 button below does it for all of them
    assert text.count("chưa gắn nhóm") == 1


async def test_focal_point_overdue_filter_is_applied(seeded: Harness) -> None:
    """/nhiemvu quahan in the agency's group listed every task under "Nhiệm vụ của …"."""
    await seeded.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    code = seeded.last_text(ADMIN).split("/dangky ")[1].strip()
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    await seeded.send(FOCAL_A, GROUP_A, "/nhiemvu quahan")
    text = seeded.last_text(GROUP_A)
    assert text.startswith("Nhiệm vụ quá hạn của Sở Tài chính")
    assert "Không có nhiệm vụ nào quá hạn" in text and "#16" not in text
    await seeded.send(FOCAL_A, GROUP_A, "/nhiemvu")
    assert "#16" in seeded.last_text(GROUP_A)


async def test_extension_of_a_task_without_deadline_says_so(seeded: Harness) -> None:
    """The office read "(thời hạn hiện tại: —)" for a task with no deadline. Since review R8
    there is nothing to extend: the group is told so and nothing reaches the office until the
    agency taps to send the date as a proposed deadline, which the office reads as one."""
    await seeded.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    code = seeded.last_text(ADMIN).split("/dangky ")[1].strip()
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    office_before = len(seeded.bot_messages(OFFICE_GROUP))
    await seeded.send(FOCAL_A, GROUP_A, "/capnhat #15 xin gia hạn đến 30/06/2020")
    answer = seeded.last(GROUP_A)
    assert "#15 không có thời hạn" in answer["text"] and "chưa gửi gì" in answer["text"]
    assert len(seeded.bot_messages(OFFICE_GROUP)) == office_before
    await seeded.press(FOCAL_A, GROUP_A, answer["message_id"], seeded.button(answer, "xprop:"))
    office = seeded.last_text(OFFICE_GROUP)
    assert "đề xuất thời hạn cho nhiệm vụ #15 (hiện không thời hạn)" in office
    assert "30/06/2020" in office and "thời hạn hiện tại: —" not in office


async def test_pause_for_zero_days_is_refused(seeded: Harness) -> None:
    """/tamdung 0 paused the agency's reminders for today and told the office."""
    await seeded.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    code = seeded.last_text(ADMIN).split("/dangky ")[1].strip()
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    await seeded.send(FOCAL_A, GROUP_A, "/tamdung 0")
    assert seeded.last_text(GROUP_A).startswith("Cách dùng: /tamdung")
    agencies = await seeded.rows(Agency, Agency.name == "Sở Tài chính")
    assert agencies[0].paused_until is None


def test_group_members_are_never_cut_inside_a_name() -> None:
    """/donvi nhom ended "…, Huyện Đức Thọ, Huyện…"."""
    districts = (
        "Thành phố Hà Tĩnh", "Thị xã Hồng Lĩnh", "Thị xã Kỳ Anh", "Huyện Nghi Xuân",
        "Huyện Đức Thọ", "Huyện Hương Sơn", "Huyện Vũ Quang", "Huyện Can Lộc",
    )  # fmt: skip
    text = groups_text(VI, [GroupRow(1, "Các huyện, thị xã, thành phố", districts)])
    members = text.split("(8): ")[1]
    shown, more = members.split(" … +")
    assert all(name in districts for name in shown.split(", "))
    assert len(shown.split(", ")) + int(more) == len(districts)
    assert groups_text(VI, [GroupRow(1, "Nhóm", districts[:2])]).endswith(
        "Thành phố Hà Tĩnh, Thị xã Hồng Lĩnh"
    )
