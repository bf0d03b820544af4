"""The import plan, pure: one canonical name per agency, groups never agencies, re-import a
diff, and the plan survives its JSON round trip unchanged (the draft stores it)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.agency_data import standard_directory
from bot.domain.agency_directory import Directory, Group
from bot.domain.import_plan import ImportPlan
from bot.domain.import_planner import (
    Stored,
    StoredAgency,
    StoredAssignment,
    StoredGroup,
    StoredTask,
    plan_import,
)
from bot.domain.notice import DocumentMeta, ParsedNotice, ParsedTask
from bot.domain.types import Deadline, DeadlineKind

STANDARD = standard_directory()
META = DocumentMeta(number="7/TB-UBND", date=date(2024, 3, 1), title="Kết luận")


def _task(code: str, *lead: str, groups: tuple[str, ...] = (), text: str = "") -> ParsedTask:
    return ParsedTask(
        code=code,
        lead=lead,
        coordinating=(),
        text=text or f"Nhiệm vụ {code} cần làm ngay trong tháng",
        deadline=Deadline(DeadlineKind.DATE, date(2024, 4, 30), date(2024, 4, 30), "30/4/2024"),
        lead_groups=groups,
    )


def _notice(*tasks: ParsedTask) -> ParsedNotice:
    return ParsedNotice(META, tasks=tasks)


def test_abbreviations_and_titles_resolve_to_one_canonical_agency() -> None:
    plan = plan_import(
        _notice(
            _task("1", "Sở TN&MT"),
            _task("2", "Giám đốc Sở Tài nguyên và Môi trường"),
            _task("3", "UBND huyện Can Lộc"),
            _task("4", "Chủ tịch UBND huyện Can Lộc"),
        ),
        Stored(),
        STANDARD,
    )
    assert [a.name for a in plan.agencies] == ["Sở Tài nguyên và Môi trường", "Huyện Can Lộc"]
    assert all(a.is_new for a in plan.agencies)


def test_the_offices_agency_keeps_its_name_under_a_standard_spelling() -> None:
    stored = Stored(agencies=(StoredAgency(5, "Mặt trận Tổ quốc tỉnh", "doan_the"),))
    plan = plan_import(_notice(_task("1", "Ủy ban MTTQ Việt Nam tỉnh")), stored, STANDARD)
    assert [(a.name, a.agency_id) for a in plan.agencies] == [("Mặt trận Tổ quốc tỉnh", 5)]


def test_a_group_without_members_is_a_question_never_an_agency() -> None:
    stored = Stored(agencies=(StoredAgency(1, "Huyện Kỳ Anh", "huyen"),))
    name = "Các huyện, thành phố, thị xã"
    plan = plan_import(_notice(_task("1", name, groups=(name,))), stored, STANDARD)
    assert plan.agencies == ()  # not expanded to the district that happens to exist
    assert [(g.name, g.status) for g in plan.groups] == [
        ("Các huyện, thị xã, thành phố", "unknown")
    ]
    assert plan.tasks[0].open_groups == ("Các huyện, thị xã, thành phố",)
    assert plan.saved_assignments() == set()


def test_a_defined_group_is_assigned_member_by_member() -> None:
    agencies = (StoredAgency(1, "Huyện Kỳ Anh", "huyen"), StoredAgency(2, "Huyện Can Lộc", "huyen"))
    group = StoredGroup(9, "Các huyện, thị xã, thành phố", member_ids=(1, 2))
    name = "UBND các huyện, thị xã, thành phố"
    plan = plan_import(
        _notice(_task("1", name, groups=(name,))), Stored(agencies, (group,)), STANDARD
    )
    assert plan.saved_assignments() == {
        ("1", "Huyện Kỳ Anh", "lead"),
        ("1", "Huyện Can Lộc", "lead"),
    }
    assert {a.via for a in plan.tasks[0].assignments} == {"Các huyện, thị xã, thành phố"}


def test_reimport_of_what_is_stored_changes_nothing() -> None:
    agencies = (StoredAgency(1, "Sở Tài chính", "so"),)
    task = _task("1", "Sở Tài chính")
    stored = Stored(
        agencies,
        notice_id=3,
        notice_meta=(META.title, None, None, None, None),
        tasks=(
            StoredTask(
                11, "1", task.text, "date", date(2024, 4, 30), date(2024, 4, 30),
                assignments=(StoredAssignment(21, 1, "lead"),),
            ),
        ),
    )  # fmt: skip
    plan = plan_import(_notice(task), stored, STANDARD)
    assert plan.no_change
    corrected = _task("1", "Sở Tài chính", "Sở Xây dựng")
    plan = plan_import(_notice(corrected), stored, STANDARD)
    assert not plan.no_change
    assert [(a.agency, a.change) for a in plan.tasks[0].assignments] == [
        ("Sở Tài chính", "kept"),
        ("Sở Xây dựng", "new"),
    ]
    gone = plan_import(
        _notice(_task("2", "Sở Tài chính", text="Một việc khác hẳn")), stored, STANDARD
    )
    assert [(t.code, t.change) for t in gone.tasks] == [("2", "new"), ("1", "removed")]


@pytest.mark.parametrize("finished", [False, True])
def test_finished_work_is_held_when_the_notice_drops_or_moves_it(finished: bool) -> None:
    """An assignment done (or awaiting confirmation) is never cancelled by a re-import: the
    notice dropping its task, or giving the task to another agency, holds it (the task stays
    live, the office decides); an open one is removed as before."""
    agencies = (StoredAgency(1, "Sở Tài chính", "so"), StoredAgency(2, "Sở Xây dựng", "so"))
    one, two = _task("1", "Sở Tài chính"), _task("2", "Sở Tài chính", text="Một việc khác hẳn")
    stored = Stored(
        agencies,
        notice_id=3,
        notice_meta=(META.title, None, None, None, None),
        tasks=tuple(
            StoredTask(
                10 + n, t.code, t.text, "date", date(2024, 4, 30), date(2024, 4, 30),
                assignments=(StoredAssignment(20 + n, 1, "lead", finished=finished),),
            )
            for n, t in ((1, one), (2, two))
        ),
    )  # fmt: skip
    # Task 1 now goes to Sở Xây dựng; task 2 is gone.
    plan = plan_import(_notice(_task("1", "Sở Xây dựng")), stored, STANDARD)
    moved, gone = plan.tasks
    expected = "held" if finished else "removed"
    assert [(a.agency, a.change) for a in moved.assignments] == [
        ("Sở Xây dựng", "new"),
        ("Sở Tài chính", expected),
    ]
    assert (gone.change, [a.change for a in gone.assignments]) == ("removed", [expected])
    assert gone.dropped is not finished  # a task holding finished work is not cancelled
    assert ("2", "Sở Tài chính", "lead") in plan.saved_assignments() or not finished
    assert ImportPlan.from_dict(plan.to_dict()) == plan


def test_the_plan_survives_its_json_round_trip() -> None:
    name = "Các tổ chức chính trị - xã hội tỉnh"
    plan = plan_import(
        _notice(_task("1", "Sở TN&MT", name, groups=(name,)), _task("2", "Sở Y tế")),
        Stored(),
        STANDARD,
    )
    assert ImportPlan.from_dict(plan.to_dict()) == plan


COLLECTIVE_SPELLINGS = (
    "UBND các huyện, thị xã, thành phố",
    "Ủy ban nhân dân các huyện, thành phố, thị xã",
    "UBND CÁC THÀNH PHỐ, THỊ XÃ, HUYỆN;",
    "các huyện, thị xã và thành phố.",
    "UBND cac huyen, thi xa, thanh pho",
    "Uy ban nhan dan cac thanh pho, huyen, thi xa:",
)


@pytest.mark.parametrize(
    "office_name", ["Các huyện, thị xã, thành phố", "Huyện, thành phố, thị xã"]
)
@pytest.mark.parametrize("written", COLLECTIVE_SPELLINGS)
def test_a_collective_matches_the_offices_group_however_it_is_written(
    office_name: str, written: str
) -> None:
    """ "UBND"/"Ủy ban nhân dân", "các", the units' order, case, tones and trailing punctuation
    do not make another group: the office's group (any of its spellings) gets the task."""
    agencies = (
        StoredAgency(1, "Huyện Kỳ Anh", "huyen"),
        StoredAgency(2, "Thị xã Hồng Lĩnh", "thi_xa"),
    )
    group = StoredGroup(9, office_name, member_ids=(1, 2))
    directory = Directory((), (Group(office_name, members=("Huyện Kỳ Anh",)),))
    found = directory.group(written)
    assert found is not None and found.name == office_name
    plan = plan_import(
        _notice(_task("1", written, groups=(written,))), Stored(agencies, (group,)), STANDARD
    )
    assert [(g.name, g.status) for g in plan.groups] == [(office_name, "expanded")]
    assert plan.saved_assignments() == {
        ("1", "Huyện Kỳ Anh", "lead"),
        ("1", "Thị xã Hồng Lĩnh", "lead"),
    }


def test_tones_are_ignored_only_when_one_group_is_meant() -> None:
    """Without tones "xã" and "xa" are one word: two groups that differ only by tones are not
    guessed between."""
    directory = Directory((), (Group("Các xã khu vực I"), Group("Các xa khu vực I")))
    assert directory.group("UBND các xã khu vực I") is not None
    assert directory.group("cac xa khu vuc I") is None
