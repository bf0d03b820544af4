"""Summary categories and counts, on 2020 dates (Tết Canh Tý: 23–29/01/2020)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.domain.calendar import WorkCalendar
from bot.domain.rollup import (
    CATEGORY_LABELS_EN,
    CATEGORY_LABELS_VI,
    OVERDUE_CELLS,
    AssignmentFacts,
    Category,
    Classification,
    Counts,
    Flag,
    Rate,
    State,
    Timing,
    classify,
    summarize,
    summarize_by,
    week_bounds,
)
from bot.domain.types import AssignmentStatus

S = AssignmentStatus
C = Category


def d(text: str) -> date:
    day, month, year = map(int, text.split("/"))
    return date(year, month, day)


VN = WorkCalendar(
    holidays=frozenset(
        {d("01/01/2020"), d("02/04/2020"), d("30/04/2020"), d("01/05/2020"), d("02/09/2020")}
        | {d("23/01/2020") + timedelta(days=i) for i in range(7)}  # Tết 23–29/01/2020
    )
)


def facts(
    *,
    status: AssignmentStatus = S.IN_PROGRESS,
    deadline: str | None = "07/02/2020",
    adjusted: str | None = None,
    approved: bool = False,
    completed: str | None = None,
    has_update: bool = True,
    agency_id: int = 10,
    assignment_id: int = 1,
) -> AssignmentFacts:
    return AssignmentFacts(
        assignment_id=assignment_id,
        agency_id=agency_id,
        agency_name=f"Sở {agency_id}",
        notice_id=22,
        status=status,
        percent=None,
        original_deadline_end=d(deadline) if deadline else None,
        adjusted_deadline_end=d(adjusted) if adjusted else None,
        extension_approved=approved,
        completed_on=d(completed) if completed else None,
        has_update=has_update,
    )


def cls(f: AssignmentFacts, today: str = "12/02/2020") -> Classification:
    result = classify(f, today=d(today), calendar=VN)
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("completed", "category", "late"),
    [
        ("05/02/2020", C.DONE_ON_TIME, 0),
        ("07/02/2020", C.DONE_ON_TIME, 0),  # on the deadline day
        ("08/02/2020", C.DONE_LATE, 0),  # a day late, but a Saturday: 0 working days
        ("10/02/2020", C.DONE_LATE, 1),
        ("20/02/2020", C.DONE_LATE, 9),
    ],
)
def test_done_on_time_or_late(completed: str, category: Category, late: int) -> None:
    c = cls(facts(status=S.DONE, completed=completed), today="28/02/2020")
    assert (c.category, c.late_working_days) == (category, late)
    assert not c.overdue and not c.due_soon and not c.awaiting_confirmation


def test_done_late_across_tet_counts_working_days_only() -> None:
    c = cls(facts(status=S.DONE, deadline="22/01/2020", completed="30/01/2020"))
    assert (c.category, c.late_working_days) == (C.DONE_LATE, 1)


def test_done_without_a_completion_date_gets_the_benefit_of_the_doubt() -> None:
    assert cls(facts(status=S.DONE, completed=None)).category == C.DONE_ON_TIME


@pytest.mark.parametrize(
    ("approved", "adjusted", "category", "late"),
    [
        (True, "28/02/2020", C.DONE_ON_TIME, 0),
        (False, "28/02/2020", C.DONE_LATE, 9),  # requested, not approved: nothing changes
        (True, None, C.DONE_LATE, 9),  # approved without a date: keep the original
        (True, "14/02/2020", C.DONE_LATE, 4),
    ],
)
def test_extension_counts_only_when_approved(
    approved: bool, adjusted: str | None, category: Category, late: int
) -> None:
    f = facts(status=S.DONE, completed="20/02/2020", adjusted=adjusted, approved=approved)
    c = cls(f, today="28/02/2020")
    assert (c.category, c.late_working_days) == (category, late)


@pytest.mark.parametrize(
    ("today", "category", "late", "overdue", "due_soon"),
    [
        ("31/01/2020", C.IN_PROGRESS_ON_TIME, 0, False, True),  # exactly 7 days left
        ("30/01/2020", C.IN_PROGRESS_ON_TIME, 0, False, False),  # 8 days left
        ("07/02/2020", C.IN_PROGRESS_ON_TIME, 0, False, True),  # the deadline day
        ("08/02/2020", C.IN_PROGRESS_OVERDUE, 0, True, False),  # Saturday after
        ("10/02/2020", C.IN_PROGRESS_OVERDUE, 1, True, False),
        ("21/02/2020", C.IN_PROGRESS_OVERDUE, 10, True, False),
    ],
)
def test_in_progress_against_today(
    today: str, category: Category, late: int, overdue: bool, due_soon: bool
) -> None:
    c = cls(facts(), today=today)
    assert (c.category, c.late_working_days, c.overdue, c.due_soon) == (
        category,
        late,
        overdue,
        due_soon,
    )


@pytest.mark.parametrize("status", [S.IN_PROGRESS, S.BLOCKED])
def test_blocked_counts_as_in_progress(status: AssignmentStatus) -> None:
    assert cls(facts(status=status), today="10/02/2020").category == C.IN_PROGRESS_OVERDUE


def test_extension_approved_keeps_an_open_task_on_time() -> None:
    c = cls(facts(adjusted="28/02/2020", approved=True), today="21/02/2020")
    assert (c.category, c.overdue, c.due_soon, c.late_working_days) == (
        C.IN_PROGRESS_ON_TIME,
        False,
        True,
        0,
    )


@pytest.mark.parametrize(
    ("today", "category", "late", "overdue"),
    [
        ("05/02/2020", C.NOT_STARTED_NOT_DUE, 0, False),
        ("07/02/2020", C.NOT_STARTED_NOT_DUE, 0, False),  # the deadline day
        ("13/02/2020", C.NOT_STARTED_OVERDUE, 4, True),
    ],
)
def test_not_started_is_split_by_its_deadline(
    today: str, category: Category, late: int, overdue: bool
) -> None:
    c = cls(facts(status=S.NOT_STARTED, has_update=False), today=today)
    assert (c.category, c.late_working_days, c.overdue) == (category, late, overdue)


def test_an_acknowledgement_keeps_not_started() -> None:
    """The status says it: an acknowledgement (an update that leaves the status at not
    started) is not work begun; a note moves the status itself (services/progress.py)."""
    c = cls(facts(status=S.NOT_STARTED, has_update=True), today="13/02/2020")
    assert (c.category, c.state) == (C.NOT_STARTED_OVERDUE, State.NOT_STARTED)


@pytest.mark.parametrize(
    ("status", "has_update", "category"),
    [
        (S.IN_PROGRESS, True, C.IN_PROGRESS_NO_DEADLINE),
        (S.NOT_STARTED, False, C.NOT_STARTED_NO_DEADLINE),
        (S.BLOCKED, True, C.IN_PROGRESS_NO_DEADLINE),
        (S.AWAITING_CONFIRMATION, True, C.AWAITING_NO_DEADLINE),
        (S.DONE, True, C.DONE_NO_DEADLINE),
    ],
)
def test_no_deadline_keeps_its_state(
    status: AssignmentStatus, has_update: bool, category: Category
) -> None:
    c = cls(facts(status=status, deadline=None, has_update=has_update, completed="01/06/2020"))
    assert (c.category, c.overdue, c.due_soon, c.late_working_days) == (category, False, False, 0)
    assert c.timing is Timing.NO_DEADLINE


@pytest.mark.parametrize(
    ("completed", "today", "timing", "late"),
    [
        ("06/02/2020", "12/02/2020", Timing.ON_TIME, 0),  # claimed in time
        ("10/02/2020", "12/02/2020", Timing.OVERDUE, 1),  # claimed late
        (None, "12/02/2020", Timing.ON_TIME, 0),
    ],
)
def test_awaiting_confirmation_is_its_own_cell(
    completed: str | None, today: str, timing: Timing, late: int
) -> None:
    c = cls(facts(status=S.AWAITING_CONFIRMATION, completed=completed), today=today)
    assert c.awaiting_confirmation
    assert (c.category, c.timing, c.late_working_days) == (C.AWAITING, timing, late)
    assert not c.overdue  # the office's turn: not chased as "quá hạn"
    assert not c.due_soon


def test_awaiting_confirmation_is_not_due_soon() -> None:
    c = cls(facts(status=S.AWAITING_CONFIRMATION, completed="05/02/2020"), today="05/02/2020")
    assert (c.awaiting_confirmation, c.due_soon) == (True, False)


def test_cancelled_is_excluded() -> None:
    assert classify(facts(status=S.CANCELLED), today=d("12/02/2020"), calendar=VN) is None


def _c(category: Category, *, due_soon: bool = False) -> Classification:
    awaiting = category in (C.AWAITING, C.AWAITING_NO_DEADLINE)
    return Classification(category, due_soon, awaiting, 0, category in OVERDUE_CELLS)


def test_summarize_counts_and_rates() -> None:
    counts = summarize(
        [
            _c(C.DONE_ON_TIME),
            _c(C.DONE_ON_TIME),
            _c(C.DONE_LATE),
            _c(C.IN_PROGRESS_ON_TIME, due_soon=True),
            _c(C.AWAITING),
            _c(C.IN_PROGRESS_OVERDUE),
            _c(C.NOT_STARTED_OVERDUE),
            _c(C.NOT_STARTED_NO_DEADLINE),
            _c(C.DONE_NO_DEADLINE),
            None,  # cancelled
        ]
    )
    assert counts == Counts(
        total=9,
        done_on_time=2,
        done_late=1,
        awaiting=1,
        in_progress_on_time=1,
        in_progress_overdue=1,
        not_started_overdue=1,
        not_started_no_deadline=1,
        done_no_deadline=1,
        due_soon=1,
    )
    assert (counts.overdue, counts.done, counts.not_started, counts.no_deadline) == (2, 4, 2, 2)
    # on time: 2 of the 5 with a deadline that are done or overdue; completion: 4 of 9
    assert counts.on_time == Rate(2, 5) and counts.on_time_rate == pytest.approx(2 / 5)
    assert counts.completion == Rate(4, 9) and counts.completion_rate == pytest.approx(4 / 9)


@pytest.mark.parametrize(
    ("items", "on_time", "completion"),
    [
        ([], None, None),
        ([_c(C.IN_PROGRESS_NO_DEADLINE), _c(C.DONE_NO_DEADLINE)], None, 0.5),
        ([_c(C.DONE_ON_TIME)], 1.0, 1.0),
        ([_c(C.IN_PROGRESS_OVERDUE)], 0.0, 0.0),
        ([_c(C.NOT_STARTED_NOT_DUE), _c(C.AWAITING)], None, 0.0),  # outcome not known yet
    ],
)
def test_rates_are_none_when_undefined(
    items: list[Classification], on_time: float | None, completion: float | None
) -> None:
    counts = summarize(items)
    assert (counts.on_time_rate, counts.completion_rate) == (on_time, completion)


def test_rows_add_up_to_the_total_row() -> None:
    a = summarize([_c(C.DONE_ON_TIME), _c(C.NOT_STARTED_OVERDUE)])
    b = summarize([_c(C.DONE_LATE)])
    assert a + b == summarize([_c(C.DONE_ON_TIME), _c(C.NOT_STARTED_OVERDUE), _c(C.DONE_LATE)])
    assert a + Counts() == a


def test_summarize_by_agency() -> None:
    rows = summarize_by(
        [
            facts(agency_id=10, status=S.DONE, completed="07/02/2020"),
            facts(agency_id=10, status=S.IN_PROGRESS),
            facts(agency_id=20, status=S.NOT_STARTED, has_update=False),
            facts(agency_id=30, status=S.CANCELLED),
        ],
        key=lambda f: f.agency_id,
        today=d("12/02/2020"),
        calendar=VN,
    )
    assert set(rows) == {10, 20}
    assert (rows[10].total, rows[10].done_on_time, rows[10].in_progress_overdue) == (2, 1, 1)
    assert (rows[20].not_started_overdue, rows[20].overdue) == (1, 1)


def test_every_category_and_flag_has_both_labels() -> None:
    for key in [*Category, *Flag]:
        assert CATEGORY_LABELS_VI[key]
        assert CATEGORY_LABELS_EN[key]
    assert CATEGORY_LABELS_VI[C.DONE_ON_TIME] == "Đã hoàn thành đúng hạn"
    assert CATEGORY_LABELS_VI[C.NOT_STARTED_OVERDUE] == "Chưa thực hiện, đã quá hạn"
    assert CATEGORY_LABELS_VI[C.DONE_NO_DEADLINE] == "Không thời hạn: đã hoàn thành"


@pytest.mark.parametrize(
    ("today", "ends_on", "start", "end"),
    [
        ("07/02/2020", 4, "01/02/2020", "07/02/2020"),  # Friday: the week ends today
        ("03/02/2020", 4, "01/02/2020", "07/02/2020"),  # Monday
        ("01/02/2020", 4, "01/02/2020", "07/02/2020"),  # Saturday opens the next week
        ("31/12/2019", 4, "28/12/2019", "03/01/2020"),  # across the year end
        ("07/02/2020", 6, "03/02/2020", "09/02/2020"),  # Monday..Sunday weeks
    ],
)
def test_week_bounds(today: str, ends_on: int, start: str, end: str) -> None:
    assert week_bounds(d(today), week_ends_on=ends_on) == (d(start), d(end))


def test_week_bounds_rejects_a_bad_weekday() -> None:
    with pytest.raises(ValueError):
        week_bounds(d("07/02/2020"), week_ends_on=7)


def test_classification_is_a_value() -> None:
    f = facts(status=S.DONE, completed="07/02/2020")
    assert cls(f) == cls(replace(f, agency_name="UBND huyện Tiên Du"))
