"""The reminder policy, pinned on real 2019–2020 Vietnamese dates (Tết Canh Tý: 23–29/01/2020)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.calendar import WorkCalendar
from bot.domain.reminders import (
    AssignmentState,
    Audience,
    DueReminder,
    ReminderKind,
    ReminderPolicy,
    before_kind,
    due_reminders,
    group_digests,
    urgency_key,
)
from bot.domain.types import AssignmentStatus, Deadline, DeadlineKind

K = ReminderKind
S = AssignmentStatus


def d(text: str) -> date:
    day, month, year = map(int, text.split("/"))
    return date(year, month, day)


def _span(first: str, last: str) -> set[date]:
    start, end = d(first), d(last)
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


VN = WorkCalendar(
    holidays=frozenset(
        {d("01/01/2019"), d("15/04/2019"), d("29/04/2019"), d("30/04/2019"), d("01/05/2019")}
        | {d("02/09/2019"), d("01/01/2020"), d("02/04/2020"), d("30/04/2020"), d("01/05/2020")}
        | {d("02/09/2020")}
        | _span("02/02/2019", "10/02/2019")
        | _span("23/01/2020", "29/01/2020")
    ),
    extra_working_days=frozenset({d("04/05/2019")}),
)
POLICY = ReminderPolicy()


def on(end: str) -> Deadline:
    return Deadline(DeadlineKind.DATE, d(end), d(end))


def window(kind: DeadlineKind, start: str, end: str) -> Deadline:
    return Deadline(kind, d(start), d(end))


def state(
    deadline: Deadline,
    *,
    assigned: str = "02/01/2020",
    status: AssignmentStatus = S.IN_PROGRESS,
    acknowledged: bool = True,
    updated: str | None = None,
    paused_until: str | None = None,
    assignment_id: int = 1,
    agency_id: int = 10,
) -> AssignmentState:
    return AssignmentState(
        assignment_id=assignment_id,
        agency_id=agency_id,
        task_id=100 + assignment_id,
        status=status,
        deadline=deadline,
        assigned_on=d(assigned),
        acknowledged=acknowledged,
        last_update_on=d(updated) if updated else None,
        paused_until=d(paused_until) if paused_until else None,
    )


def schedule(
    s: AssignmentState, first: str, last: str, policy: ReminderPolicy = POLICY
) -> list[tuple[str, str]]:
    """Every (day, kind) the sweep would send between two dates, as the office reads them."""
    out = []
    for day in sorted(_span(first, last)):
        for r in due_reminders([s], today=day, calendar=VN, policy=policy):
            assert r.due_on == day
            out.append((day.strftime("%d/%m/%Y"), str(r.kind)))
    return out


def kinds_on(s: AssignmentState, day: str, policy: ReminderPolicy = POLICY) -> list[str]:
    return [str(r.kind) for r in due_reminders([s], today=d(day), calendar=VN, policy=policy)]


# --- before the deadline -------------------------------------------------------------------


def test_deadline_on_a_monday_before_1_goes_out_on_the_friday() -> None:
    assert schedule(state(on("10/02/2020")), "03/01/2020", "10/02/2020") == [
        ("30/01/2020", "before_7"),
        ("05/02/2020", "before_3"),
        ("07/02/2020", "before_1"),
        ("10/02/2020", "due_today"),
    ]


def test_tet_is_skipped_when_counting_back() -> None:
    assert schedule(state(on("05/02/2020")), "03/01/2020", "05/02/2020") == [
        ("20/01/2020", "before_7"),
        ("31/01/2020", "before_3"),
        ("04/02/2020", "before_1"),
        ("05/02/2020", "due_today"),
    ]


def test_deadline_on_a_sunday_due_today_wins_over_before_1_on_the_friday() -> None:
    assert schedule(state(on("31/05/2020"), assigned="04/05/2020"), "05/05/2020", "01/06/2020") == [
        ("21/05/2020", "before_7"),
        ("27/05/2020", "before_3"),
        ("29/05/2020", "due_today"),
        ("01/06/2020", "escalate_office"),
        ("01/06/2020", "overdue"),
    ]


def test_deadline_on_new_year_is_announced_on_the_last_day_of_the_old_year() -> None:
    s = state(on("01/01/2020"), assigned="02/12/2019")
    assert schedule(s, "20/12/2019", "01/01/2020") == [
        ("23/12/2019", "before_7"),
        ("27/12/2019", "before_3"),
        ("31/12/2019", "due_today"),
    ]


def test_due_today_goes_out_before_tet_when_the_deadline_is_in_tet() -> None:
    assert kinds_on(state(on("25/01/2020")), "22/01/2020") == ["due_today"]


@pytest.mark.parametrize(
    ("assigned", "expected_first"),
    [
        ("02/01/2020", ("30/01/2020", "before_7")),
        ("29/01/2020", ("30/01/2020", "before_7")),
        ("30/01/2020", ("05/02/2020", "before_3")),  # assignment day itself: the card says it
        ("31/01/2020", ("05/02/2020", "before_3")),  # no back-dated before_7
        ("07/02/2020", ("10/02/2020", "due_today")),
        ("10/02/2020", ("11/02/2020", "escalate_office")),
    ],
)
def test_nothing_before_or_on_the_assignment_day(
    assigned: str, expected_first: tuple[str, str]
) -> None:
    sched = schedule(state(on("10/02/2020"), assigned=assigned), "01/01/2020", "11/02/2020")
    assert sched[0] == expected_first
    assert all(d(day) > d(assigned) for day, _ in sched)


def test_no_reminders_on_a_day_off_even_for_escalations() -> None:
    s = state(on("07/02/2020"))
    for day in ("08/02/2020", "09/02/2020"):
        assert due_reminders([s], today=d(day), calendar=VN, policy=POLICY) == []


# --- windows -------------------------------------------------------------------------------


def test_quarter_window_start_is_announced_on_the_first_working_day() -> None:
    q1 = window(DeadlineKind.QUARTER, "01/01/2020", "31/03/2020")
    assert kinds_on(state(q1, assigned="20/12/2019"), "02/01/2020") == ["window_start"]
    assert kinds_on(state(q1, assigned="31/12/2019"), "02/01/2020") == ["window_start"]
    assert schedule(state(q1, assigned="20/12/2019"), "21/12/2019", "31/03/2020") == [
        ("02/01/2020", "window_start"),
        ("20/03/2020", "before_7"),
        ("26/03/2020", "before_3"),
        ("30/03/2020", "before_1"),
        ("31/03/2020", "due_today"),
    ]


@pytest.mark.parametrize("assigned", ["01/01/2020", "02/01/2020", "15/01/2020"])
def test_window_already_open_when_assigned_is_not_announced(assigned: str) -> None:
    q1 = window(DeadlineKind.QUARTER, "01/01/2020", "31/03/2020")
    assert "window_start" not in {
        k for _, k in schedule(state(q1, assigned=assigned), "01/01/2020", "31/03/2020")
    }


def test_month_window_ending_on_a_saturday() -> None:
    feb = window(DeadlineKind.MONTH, "01/02/2020", "29/02/2020")
    assert schedule(state(feb, assigned="15/01/2020"), "16/01/2020", "02/03/2020") == [
        ("03/02/2020", "window_start"),
        ("20/02/2020", "before_7"),
        ("26/02/2020", "before_3"),
        ("28/02/2020", "due_today"),
        ("02/03/2020", "escalate_office"),
        ("02/03/2020", "overdue"),
    ]


def test_year_window_ends_on_31_december() -> None:
    year = window(DeadlineKind.YEAR, "01/01/2020", "31/12/2020")
    s = state(year, assigned="01/12/2019")
    assert schedule(s, "01/12/2020", "31/12/2020") == [
        ("22/12/2020", "before_7"),
        ("28/12/2020", "before_3"),
        ("30/12/2020", "before_1"),
        ("31/12/2020", "due_today"),
    ]


def test_window_start_can_be_switched_off() -> None:
    q1 = window(DeadlineKind.QUARTER, "01/01/2020", "31/03/2020")
    policy = ReminderPolicy(announce_window_start=False)
    assert kinds_on(state(q1, assigned="20/12/2019"), "02/01/2020", policy) == []


def test_short_range_keeps_the_deadline_reminder_over_window_start() -> None:
    # "từ 04/02 đến 05/02/2020": the start day is also before_1's day.
    r = window(DeadlineKind.RANGE, "04/02/2020", "05/02/2020")
    assert kinds_on(state(r, assigned="10/01/2020"), "04/02/2020") == ["before_1"]


# --- after the deadline --------------------------------------------------------------------


def test_overdue_every_three_working_days_with_escalations_at_1_and_10() -> None:
    assert schedule(state(on("07/02/2020")), "08/02/2020", "26/02/2020") == [
        ("10/02/2020", "escalate_office"),
        ("10/02/2020", "overdue"),
        ("13/02/2020", "escalate_office"),
        ("13/02/2020", "overdue"),
        ("18/02/2020", "escalate_office"),
        ("18/02/2020", "overdue"),
        ("21/02/2020", "escalate_leaders"),
        ("21/02/2020", "escalate_office"),
        ("21/02/2020", "overdue"),
        ("26/02/2020", "escalate_office"),
        ("26/02/2020", "overdue"),
    ]


@pytest.mark.parametrize(
    ("day", "late"), [("10/02/2020", 1), ("13/02/2020", 4), ("21/02/2020", 10)]
)
def test_overdue_working_days_is_carried(day: str, late: int) -> None:
    rs = due_reminders([state(on("07/02/2020"))], today=d(day), calendar=VN, policy=POLICY)
    assert {r.overdue_working_days for r in rs} == {late}


def test_overdue_across_tet() -> None:
    s = state(on("21/01/2020"))
    assert [day for day, k in schedule(s, "22/01/2020", "06/02/2020") if k == "overdue"] == [
        "22/01/2020",  # k=1
        "03/02/2020",  # k=4 (30, 31/01, 03/02)
        "06/02/2020",  # k=7
    ]


def test_escalate_office_from_a_later_day() -> None:
    policy = ReminderPolicy(escalate_office_from=5)
    sched = schedule(state(on("07/02/2020")), "08/02/2020", "19/02/2020", policy)
    assert [day for day, k in sched if k == "escalate_office"] == ["18/02/2020"]
    assert [day for day, k in sched if k == "overdue"] == ["10/02/2020", "13/02/2020", "18/02/2020"]


def test_escalations_can_be_switched_off() -> None:
    policy = ReminderPolicy(escalate_office_from=None, escalate_leaders_after=None)
    assert kinds_on(state(on("07/02/2020")), "21/02/2020", policy) == ["overdue"]


def test_a_fresh_update_after_the_deadline_postpones_the_next_nudge() -> None:
    s = state(on("07/02/2020"), updated="11/02/2020")  # reported on the 2nd overdue day
    sched = schedule(s, "12/02/2020", "24/02/2020")
    assert [day for day, k in sched if k == "overdue"] == ["14/02/2020", "19/02/2020", "24/02/2020"]
    # The office's escalation follows the nudges; the leaders' step does not move.
    assert [day for day, k in sched if k == "escalate_office"] == [
        "14/02/2020",
        "19/02/2020",
        "24/02/2020",
    ]
    assert [day for day, k in sched if k == "escalate_leaders"] == ["21/02/2020"]


def test_an_update_on_the_deadline_day_does_not_hide_that_it_is_late() -> None:
    assert kinds_on(state(on("07/02/2020"), updated="07/02/2020"), "10/02/2020") == [
        "escalate_office",
        "overdue",
    ]


def test_an_update_the_same_day_after_the_nudge_sends_nothing_more() -> None:
    assert kinds_on(state(on("07/02/2020"), updated="10/02/2020"), "10/02/2020") == []


# --- who gets nothing ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DONE, S.CANCELLED, S.AWAITING_CONFIRMATION])
def test_closed_or_awaiting_assignments_get_nothing(status: AssignmentStatus) -> None:
    s = state(on("07/02/2020"), status=status, acknowledged=False)
    assert schedule(s, "03/01/2020", "28/02/2020") == []
    assert schedule(state(Deadline.none(), status=status), "03/01/2020", "28/02/2020") == []


@pytest.mark.parametrize("status", [S.NOT_STARTED, S.IN_PROGRESS, S.BLOCKED])
def test_open_assignments_are_followed_up(status: AssignmentStatus) -> None:
    assert kinds_on(state(on("10/02/2020"), status=status), "07/02/2020") == ["before_1"]


def test_paused_agency_gets_nothing_but_the_office_still_escalates() -> None:
    s = state(on("07/02/2020"), paused_until="13/02/2020")
    assert kinds_on(s, "10/02/2020") == ["escalate_office"]
    assert kinds_on(s, "13/02/2020") == ["escalate_office"]  # inclusive
    assert kinds_on(s, "18/02/2020") == ["escalate_office", "overdue"]
    assert kinds_on(state(on("07/02/2020"), paused_until="21/02/2020"), "21/02/2020") == [
        "escalate_leaders",
        "escalate_office",
    ]


def test_paused_agency_misses_its_before_reminders_only_while_paused() -> None:
    s = state(on("10/02/2020"), paused_until="07/02/2020")
    assert schedule(s, "03/01/2020", "10/02/2020") == [("10/02/2020", "due_today")]


# --- no deadline ---------------------------------------------------------------------------


def test_no_deadline_every_14_days_from_assignment() -> None:
    s = state(Deadline.none("thường xuyên"), assigned="02/01/2020")
    assert schedule(s, "02/01/2020", "20/02/2020") == [
        ("16/01/2020", "no_deadline"),
        ("30/01/2020", "no_deadline"),
        ("13/02/2020", "no_deadline"),
    ]


def test_no_deadline_request_in_tet_goes_out_before_it() -> None:
    s = state(Deadline.none(), assigned="10/01/2020")  # +14 = 24/01, in Tết
    assert schedule(s, "11/01/2020", "10/02/2020") == [
        ("22/01/2020", "no_deadline"),
        ("07/02/2020", "no_deadline"),  # still counted from the anchor, not the send day
    ]


def test_no_deadline_request_on_a_sunday_goes_out_on_friday() -> None:
    s = state(Deadline.none(), assigned="05/01/2020")  # Sunday; +14 = Sunday 19/01
    assert schedule(s, "06/01/2020", "20/01/2020") == [("17/01/2020", "no_deadline")]


def test_no_deadline_counts_from_the_last_update() -> None:
    s = state(Deadline.none(), assigned="02/01/2020", updated="20/01/2020")
    assert schedule(s, "21/01/2020", "20/02/2020") == [
        ("03/02/2020", "no_deadline"),
        ("17/02/2020", "no_deadline"),
    ]


def test_no_deadline_respects_the_pause() -> None:
    s = state(Deadline.none(), assigned="02/01/2020", paused_until="16/01/2020")
    assert kinds_on(s, "16/01/2020") == []
    assert kinds_on(s, "30/01/2020") == ["no_deadline"]


def test_no_deadline_never_becomes_overdue() -> None:
    s = state(Deadline.none(), assigned="02/01/2019")
    kinds = {k for _, k in schedule(s, "02/01/2019", "31/12/2019")}
    assert kinds == {"no_deadline"}


# --- acknowledgement -----------------------------------------------------------------------


def test_ack_nudge_after_two_working_days_once() -> None:
    s = state(on("30/06/2020"), assigned="06/01/2020", acknowledged=False, status=S.NOT_STARTED)
    assert schedule(s, "06/01/2020", "20/01/2020") == [("08/01/2020", "ack_nudge")]


def test_ack_nudge_across_tet() -> None:
    s = state(on("30/06/2020"), assigned="22/01/2020", acknowledged=False, status=S.NOT_STARTED)
    assert schedule(s, "22/01/2020", "05/02/2020") == [("31/01/2020", "ack_nudge")]


@pytest.mark.parametrize(
    "overrides",
    [
        {"acknowledged": True},
        {"updated": "07/01/2020"},  # a report is an acknowledgement
        {"status": S.IN_PROGRESS},
    ],
)
def test_no_ack_nudge_when_the_agency_has_answered(overrides: dict) -> None:
    base = {"assigned": "06/01/2020", "acknowledged": False, "status": S.NOT_STARTED}
    s = state(on("30/06/2020"), **{**base, **overrides})
    assert kinds_on(s, "08/01/2020") == []


def test_ack_nudge_gives_way_to_a_deadline_reminder_the_same_day() -> None:
    s = state(on("10/02/2020"), assigned="03/02/2020", acknowledged=False, status=S.NOT_STARTED)
    assert kinds_on(s, "05/02/2020") == ["before_3"]


# --- policy variants and kinds -------------------------------------------------------------


def test_policy_days_name_the_kinds() -> None:
    policy = ReminderPolicy(before_days=(5, 2))
    assert schedule(state(on("10/02/2020")), "03/01/2020", "10/02/2020", policy) == [
        ("03/02/2020", "before_5"),
        ("06/02/2020", "before_2"),
        ("10/02/2020", "due_today"),
    ]
    assert before_kind(7) is K.BEFORE_7
    assert before_kind(5) == "before_5"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"before_days": (0,)},
        {"before_days": (3, 3)},
        {"overdue_every": 0},
        {"escalate_leaders_after": 0},
        {"no_deadline_every_days": -14},
    ],
)
def test_invalid_policies_are_rejected(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        ReminderPolicy(**kwargs)


def test_urgency_order() -> None:
    def r(kind: str, late: int = 0) -> DueReminder:
        return DueReminder(1, 10, 101, kind, d("10/02/2020"), late)

    ordered = [
        r(K.ESCALATE_LEADERS, 10),
        r(K.ESCALATE_OFFICE, 10),
        r(K.OVERDUE, 10),
        r(K.OVERDUE, 1),
        r(K.DUE_TODAY),
        r(K.BEFORE_1),
        r("before_2"),
        r(K.BEFORE_3),
        r(K.BEFORE_7),
        r(K.WINDOW_START),
        r(K.ACK_NUDGE),
        r(K.NO_DEADLINE),
    ]
    assert sorted(reversed(ordered), key=urgency_key) == ordered


# --- many assignments ----------------------------------------------------------------------


def _portfolio() -> list[AssignmentState]:
    return [
        state(on("10/02/2020"), assignment_id=1, agency_id=10),  # due today
        state(on("07/02/2020"), assignment_id=2, agency_id=10),  # overdue k=1 + escalation
        state(on("11/02/2020"), assignment_id=3, agency_id=10),  # before_1
        state(on("13/02/2020"), assignment_id=4, agency_id=20),  # before_3
        state(on("10/02/2020"), assignment_id=5, agency_id=20, status=S.DONE),
        state(on("20/01/2020"), assignment_id=6, agency_id=20),  # overdue k=10: leaders
        state(Deadline.none(), assignment_id=7, agency_id=30, assigned="27/01/2020"),
    ]


def test_group_digests_one_list_per_agency_most_urgent_first() -> None:
    reminders = due_reminders(_portfolio(), today=d("10/02/2020"), calendar=VN, policy=POLICY)
    digests = group_digests(reminders)
    assert {a: [(r.assignment_id, str(r.kind)) for r in rs] for a, rs in digests.items()} == {
        10: [(2, "overdue"), (1, "due_today"), (3, "before_1")],
        20: [(6, "overdue"), (4, "before_3")],
        30: [(7, "no_deadline")],  # 27/01 + 14 = 10/02
    }
    office = group_digests(reminders, audience=Audience.OFFICE)
    assert {a: [r.assignment_id for r in rs] for a, rs in office.items()} == {10: [2], 20: [6]}
    leaders = group_digests(reminders, audience=Audience.LEADERS)
    assert {a: [r.assignment_id for r in rs] for a, rs in leaders.items()} == {20: [6]}


def test_a_second_sweep_the_same_day_finds_the_same_reminders() -> None:
    first = due_reminders(_portfolio(), today=d("10/02/2020"), calendar=VN, policy=POLICY)
    again = due_reminders(_portfolio(), today=d("10/02/2020"), calendar=VN, policy=POLICY)
    assert first == again
    claims = {(r.assignment_id, str(r.kind), r.due_on) for r in first}
    assert len(claims) == len(first)  # the UNIQUE claim key never collides within a day


_DATES = st.dates(min_value=date(2019, 12, 1), max_value=date(2020, 3, 31))
_STATES = st.builds(
    AssignmentState,
    assignment_id=st.integers(1, 5),
    agency_id=st.integers(1, 3),
    task_id=st.integers(1, 5),
    status=st.sampled_from(list(AssignmentStatus)),
    deadline=st.one_of(
        st.builds(lambda x: Deadline(DeadlineKind.DATE, x, x), _DATES),
        st.builds(
            lambda a, n: Deadline(DeadlineKind.RANGE, a, a + timedelta(days=n)),
            _DATES,
            st.integers(0, 60),
        ),
        st.just(Deadline.none()),
    ),
    assigned_on=_DATES,
    acknowledged=st.booleans(),
    last_update_on=st.one_of(st.none(), _DATES),
    paused_until=st.one_of(st.none(), _DATES),
)


@settings(max_examples=200, deadline=None)
@given(s=_STATES, today=_DATES)
def test_invariants(s: AssignmentState, today: date) -> None:
    rs = due_reminders([s], today=today, calendar=VN, policy=POLICY)
    if not rs:
        return
    assert VN.is_working_day(today)
    assert today > s.assigned_on
    # Only the agency's move is reminded; a task the office returned (R6) is the agency's again.
    assert s.status in {S.NOT_STARTED, S.IN_PROGRESS, S.BLOCKED, S.RETURNED}
    assert all(r.due_on == today for r in rs)
    per_audience = Counter(r.audience for r in rs)
    assert per_audience[Audience.AGENCY] <= 1
    assert len({r.kind for r in rs}) == len(rs)
    if s.paused_until and today <= s.paused_until:
        assert per_audience[Audience.AGENCY] == 0


def test_extension_is_just_a_new_effective_deadline() -> None:
    original = state(on("07/02/2020"))
    extended = replace(original, deadline=on("28/02/2020"))
    assert kinds_on(original, "10/02/2020") == ["escalate_office", "overdue"]
    assert kinds_on(extended, "10/02/2020") == []
    assert kinds_on(extended, "27/02/2020") == ["before_1"]
