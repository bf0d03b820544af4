"""The repeat rule (bot/domain/repeats.py): pure, the history and the time given."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.repeats import (
    REPORT_KINDS,
    Candidate,
    Entry,
    pending_done,
    plain_words,
    repeat_of,
)

NOW = datetime(2020, 1, 14, 2, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=10)
LAN, MINH = 501, 502


def entry(
    n: int,
    kind: str = "done",
    *,
    author: int | None = LAN,
    percent: int | None = 100,
    minutes_ago: float = 2,
    words: str = "đã hoàn thành",
    on: date | None = None,
    evidence: frozenset[str] = frozenset(),
) -> Entry:
    return Entry(
        id=n,
        kind=kind,
        author_user_id=author,
        percent=percent,
        on=on,
        words=words,
        evidence=evidence,
        at=NOW - timedelta(minutes=minutes_ago),
    )


def new(
    kind: str = "done",
    *,
    author: int = LAN,
    percent: int | None = 100,
    words: str = "xong rồi",
    on: date | None = None,
    evidence: frozenset[str] = frozenset(),
) -> Candidate:
    return Candidate(kind, author, percent, on, words, evidence)


def rule(history: list[Entry], candidate: Candidate) -> Entry | None:
    return repeat_of(history, candidate, now=NOW, window=WINDOW)


def test_the_same_done_from_the_same_person_within_the_window_is_a_repeat() -> None:
    first = entry(1)
    # The words are only how it was said: "xong rồi" repeats "đã hoàn thành", and ✅ too.
    assert rule([first], new()) == first
    assert rule([first], new(words="")) == first


def test_outside_the_window_it_is_a_new_report() -> None:
    assert rule([entry(1, minutes_ago=10)], new()) is not None  # the window's last minute
    assert rule([entry(1, minutes_ago=10.5)], new()) is None


def test_another_persons_report_is_not_repeated_and_does_not_break_a_repeat() -> None:
    assert rule([entry(1, author=MINH)], new()) is None
    mine = entry(1, "in_progress", percent=70, words="70%", minutes_ago=5)
    theirs = entry(2, "in_progress", author=MINH, percent=80, words="80%", minutes_ago=1)
    assert rule([theirs, mine], new("in_progress", percent=70, words="đạt 70%")) == mine


def test_only_the_persons_latest_report_counts() -> None:
    """70% then 80% then 70% again is a correction back, not a repeat of the first."""
    history = [
        entry(2, "in_progress", percent=80, minutes_ago=1),
        entry(1, "in_progress", percent=70),
    ]
    assert rule(history, new("in_progress", percent=70)) is None


def test_an_office_decision_or_an_undo_since_makes_it_new() -> None:
    done = entry(1, minutes_ago=5)
    for kind in ("returned", "confirmed", "undo", "extension_approved", "extension_refused"):
        assert rule([entry(2, kind, author=LAN, minutes_ago=1), done], new()) is None, kind


def test_a_different_intent_or_percent_is_a_new_report() -> None:
    assert rule([entry(1, "in_progress", percent=70)], new("in_progress", percent=75)) is None
    assert rule([entry(1, "in_progress", percent=70)], new("blocked", percent=70)) is None
    assert rule([entry(1, "note", percent=0, words="x")], new("done")) is None


def test_a_blocker_or_a_note_is_its_words() -> None:
    said = entry(1, "blocked", percent=40, words="Vướng mắc: chưa có mặt bằng.")
    again = new("blocked", percent=40, words="vuong mac   CHUA co mat bang")
    assert rule([said], again) == said
    other = new("blocked", percent=40, words="vướng mắc: chưa có vốn")
    assert rule([said], other) is None
    note = entry(1, "note", percent=0, words="đã họp tổ công tác")
    assert rule([note], new("note", percent=0, words="Đã họp tổ công tác!")) == note
    assert rule([note], new("note", percent=0, words="đã gửi công văn")) is None


def test_an_extension_is_its_date() -> None:
    asked = entry(1, "extension_request", percent=30, on=date(2020, 4, 30), words="30/04/2020: x")
    same = new("extension_request", percent=30, on=date(2020, 4, 30), words="lý do khác")
    assert rule([asked], same) == asked
    later = new("extension_request", percent=30, on=date(2020, 5, 15))
    assert rule([asked], later) is None


def test_a_new_file_is_new_information() -> None:
    with_photo = entry(1, evidence=frozenset({"photo-1"}))
    assert rule([with_photo], new(evidence=frozenset({"photo-1"}))) == with_photo
    assert rule([with_photo], new()) == with_photo  # the same report without its file again
    assert rule([with_photo], new(evidence=frozenset({"photo-2"}))) is None


def test_a_window_of_zero_turns_it_off() -> None:
    assert repeat_of([entry(1, minutes_ago=0)], new(), now=NOW, window=timedelta(0)) is None


def test_a_done_on_a_task_awaiting_the_office_is_a_repeat_whenever_and_whoever() -> None:
    awaiting = "awaiting_confirmation"
    assert pending_done(new(), status=awaiting)
    assert pending_done(new(author=MINH, words="đã xong"), status=awaiting)
    assert not pending_done(new(), status="in_progress")  # returned, undone: a new done
    assert not pending_done(new("in_progress", percent=50), status=awaiting)
    assert not pending_done(new(evidence=frozenset({"f1"})), status=awaiting)  # a file is new


def test_plain_words_ignore_case_marks_spacing_and_punctuation() -> None:
    assert plain_words("  Vướng mắc:   Đất đai… ") == "vuong mac dat dai"
    assert plain_words("70%") == "70%"


entries = st.builds(
    entry,
    st.integers(1, 10_000),
    st.sampled_from(sorted(REPORT_KINDS | {"undo", "confirmed", "returned"})),
    author=st.sampled_from([LAN, MINH, None]),
    percent=st.one_of(st.none(), st.integers(0, 100)),
    minutes_ago=st.floats(0, 30),
    words=st.sampled_from(["", "xong", "vướng mắc vốn", "đã họp"]),
)
candidates = st.builds(
    new,
    st.sampled_from(sorted(REPORT_KINDS)),
    author=st.sampled_from([LAN, MINH]),
    percent=st.one_of(st.none(), st.integers(0, 100)),
    words=st.sampled_from(["", "xong", "vướng mắc vốn", "đã họp"]),
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(entries, max_size=8), candidates)
def test_a_repeat_is_always_the_persons_own_fresh_same_report(
    history: list[Entry], candidate: Candidate
) -> None:
    history = sorted(history, key=lambda e: e.at, reverse=True)
    found = rule(history, candidate)
    if found is None:
        return
    assert found in history
    assert found.author_user_id == candidate.author_user_id
    assert NOW - found.at <= WINDOW
    assert (found.kind, found.percent) == (candidate.kind, candidate.percent)
    # Nothing newer than it is a decision, an undo, or the same person's other report.
    for newer in history[: history.index(found)]:
        assert newer.kind in REPORT_KINDS and newer.author_user_id != candidate.author_user_id
