"""Property tests of the roll-up's partition: over random assignments and days, every live
assignment falls in exactly one cell, the cells add up to every total, and the rates' parts
stay within their bases (issue 16, item 2)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.calendar import WorkCalendar
from bot.domain.rollup import (
    OVERDUE_CELLS,
    STATE_OF,
    WITH_DEADLINE,
    WITHOUT_DEADLINE,
    AssignmentFacts,
    Category,
    Counts,
    State,
    add_up,
    classify,
    state_of,
    summarize,
    summarize_by,
)
from bot.domain.types import AssignmentStatus

CALENDAR = WorkCalendar(holidays=frozenset())
START = date(2020, 1, 1)
days = st.integers(min_value=0, max_value=200).map(lambda n: START + timedelta(days=n))


@st.composite
def assignment(draw: st.DrawFn, assignment_id: int = 1) -> AssignmentFacts:
    status = draw(st.sampled_from(list(AssignmentStatus)))
    finished = status in (AssignmentStatus.DONE, AssignmentStatus.AWAITING_CONFIRMATION)
    return AssignmentFacts(
        assignment_id=assignment_id,
        agency_id=draw(st.integers(min_value=1, max_value=6)),
        agency_name="Sở",
        notice_id=draw(st.integers(min_value=1, max_value=3)),
        status=status,
        percent=None,
        original_deadline_end=draw(st.none() | days),
        adjusted_deadline_end=draw(st.none() | days),
        extension_approved=draw(st.booleans()),
        completed_on=draw(st.none() | days) if finished else None,
        has_update=draw(st.booleans()),
    )


@given(assignment(), days)
@settings(max_examples=400)
def test_each_assignment_is_in_exactly_one_cell(facts: AssignmentFacts, today: date) -> None:
    judged = classify(facts, today=today, calendar=CALENDAR)
    if facts.status is AssignmentStatus.CANCELLED:
        assert judged is None
        return
    assert judged is not None
    assert judged.state is state_of(facts.status)
    assert (judged.category in WITHOUT_DEADLINE) == (facts.deadline is None)
    assert (judged.category in WITH_DEADLINE) == (facts.deadline is not None)
    # Overdue is exactly the two overdue cells; awaiting confirmation is never overdue.
    assert judged.overdue == (judged.category in OVERDUE_CELLS)
    if judged.awaiting_confirmation:
        assert not judged.overdue and judged.state is State.AWAITING
    one = summarize([judged])
    assert one.total == 1 and sum(one.cells().values()) == 1
    assert one.cell(judged.category) == 1


@given(st.lists(assignment(), max_size=60), days)
@settings(max_examples=200)
def test_cells_add_up_to_every_total(facts: list[AssignmentFacts], today: date) -> None:
    live = [f for f in facts if f.status is not AssignmentStatus.CANCELLED]
    overall = summarize(classify(f, today=today, calendar=CALENDAR) for f in facts)
    assert overall.total == len(live) == sum(overall.cells().values())
    assert overall.with_deadline + overall.no_deadline == overall.total
    assert sum(overall.state(s) for s in State) == overall.total
    assert set(STATE_OF) == set(Category)
    assert overall.due_soon <= overall.in_progress_on_time + overall.not_started_not_due
    # Returned ("thực hiện lại") is a part of in progress, beside the cells, never added.
    assert overall.returned == sum(f.status is AssignmentStatus.RETURNED for f in live)
    assert overall.returned <= overall.in_progress
    for rate in (overall.on_time, overall.completion):
        assert 0 <= rate.numerator <= rate.base <= overall.total
    # Per agency and per notice, the rows add up to the total row.
    for key in (lambda f: f.agency_id, lambda f: f.notice_id):
        rows = summarize_by(facts, key=key, today=today, calendar=CALENDAR)
        assert sum(rows.values(), Counts()) == overall


@given(days, st.integers(min_value=0, max_value=30), st.integers(min_value=1, max_value=60))
def test_done_within_an_approved_extension_is_never_late(
    deadline: date, done_after: int, extended_by: int
) -> None:
    """A task finished after its original deadline but within an approved extension is done
    on time, on every later day."""
    completed = deadline + timedelta(days=min(done_after, extended_by))
    facts = AssignmentFacts(
        assignment_id=1,
        agency_id=1,
        agency_name="Sở",
        notice_id=1,
        status=AssignmentStatus.DONE,
        percent=100,
        original_deadline_end=deadline,
        adjusted_deadline_end=deadline + timedelta(days=extended_by),
        extension_approved=True,
        completed_on=completed,
        has_update=True,
    )
    for later in range(0, 400, 37):
        judged = classify(facts, today=completed + timedelta(days=later), calendar=CALENDAR)
        assert judged is not None
        assert judged.category is Category.DONE_ON_TIME and not judged.overdue


@given(st.lists(st.tuples(*[st.integers(0, 10_000)] * 13), max_size=40))
def test_add_up_is_the_sum_of_the_rows(rows: list[tuple[int, ...]]) -> None:
    """The roll-up adds its rows with `add_up` (fast); the figures are those of `+`."""
    counts = [Counts(*row) for row in rows]
    expected = Counts()
    for row in counts:
        expected += row
    assert add_up(counts) == expected
    assert add_up(iter(counts)) == expected
