"""The roll-up service on SQLite and PostgreSQL: exact counts around every boundary, the
period's changes, and the proof that the SQL aggregation equals the pure domain rule."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ManualClock
from bot.config import Settings
from bot.domain.calendar import WorkCalendar
from bot.domain.periods import date_range
from bot.domain.rollup import AssignmentFacts, Category, Counts, summarize_by
from bot.domain.types import AssignmentStatus
from bot.services.context import ServiceContext
from bot.services.summary import SummaryService
from storage.models import Agency, Assignment, Notice, ProgressUpdate, Task
from storage.repositories.summary import category_expression

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2025, 3, 14)  # a Friday: the reporting week is Sat 08/03 .. Fri 14/03


def local(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ).astimezone(UTC)


def make_ctx(
    session_factory: async_sessionmaker[AsyncSession], today: date = TODAY
) -> ServiceContext:
    clock = ManualClock(local(today, 16))
    return ServiceContext(session_factory=session_factory, clock=clock, settings=Settings())


@dataclass
class Builder:
    """Adds rows with sensible defaults so each case states only what it is about."""

    session: AsyncSession
    agencies: dict[str, Agency] = field(default_factory=dict)
    notices: dict[str, Notice] = field(default_factory=dict)
    count: int = 0

    async def agency(self, name: str, **kw: object) -> Agency:
        if name not in self.agencies:
            agency = Agency(name=name, key=name.lower(), **kw)  # type: ignore[arg-type]
            self.session.add(agency)
            await self.session.flush()
            self.agencies[name] = agency
        return self.agencies[name]

    async def notice(self, number: str, issued_on: date = date(2025, 3, 1)) -> Notice:
        if number not in self.notices:
            notice = Notice(number=number, issued_on=issued_on, title=f"Thông báo {number}")
            self.session.add(notice)
            await self.session.flush()
            self.notices[number] = notice
        return self.notices[number]

    async def task(
        self,
        agency: str,
        *,
        deadline: date | None = None,
        adjusted: date | None = None,
        approved: bool = False,
        status: str = "in_progress",
        completed_on: date | None = None,
        updated: bool = True,
        cancelled_task: bool = False,
        restricted: bool = False,
        notice: str = "22-TB/BCĐ",
        role: str = "lead",
        text: str | None = None,
    ) -> Assignment:
        self.count += 1
        owner = await self.notice(notice)
        task = Task(
            notice_id=owner.id,  # type: ignore[arg-type]
            code=f"T{self.count}",
            text=text or f"Nhiệm vụ số {self.count}",
            deadline_kind="date" if deadline else "none",
            deadline_end=deadline,
            adjusted_deadline_end=adjusted,
            extension_approved=approved,
            cancelled=cancelled_task,
            restricted=restricted,
        )
        self.session.add(task)
        await self.session.flush()
        return await self.assign(
            task, agency, status=status, completed_on=completed_on, updated=updated, role=role
        )

    async def assign(
        self,
        task: Task,
        agency: str,
        *,
        status: str = "in_progress",
        completed_on: date | None = None,
        updated: bool = True,
        role: str = "lead",
        created_on: date | None = None,
    ) -> Assignment:
        owner = await self.agency(agency)
        assignment = Assignment(
            task_id=task.id,  # type: ignore[arg-type]
            agency_id=owner.id,  # type: ignore[arg-type]
            role=role,
            status=status,
            percent=100 if status in ("done", "awaiting_confirmation") else 40,
            completed_on=completed_on,
            last_update_at=local(date(2025, 3, 1)) if updated else None,
            created_at=local(created_on or date(2025, 3, 1)),  # the notice's date by default
        )
        self.session.add(assignment)
        await self.session.flush()
        return assignment

    async def report(
        self, assignment: Assignment, day: date, *, kind: str = "in_progress", text: str = ""
    ) -> ProgressUpdate:
        update = ProgressUpdate(
            assignment_id=assignment.id,  # type: ignore[arg-type]
            kind=kind,
            status="blocked" if kind == "blocked" else "in_progress",
            text=text,
            created_at=local(day),
        )
        self.session.add(update)
        await self.session.flush()
        return update


A, B, C = "Sở Tài chính", "Sở Xây dựng", "UBND huyện Tân Phú"


async def build_boundaries(
    session: AsyncSession, b: Builder | None = None
) -> dict[str, Assignment]:
    """One assignment per boundary of the categories; the expected category in its name."""
    b = b or Builder(session)
    cases = {
        # Done on the deadline day is on time; a day later is late.
        "done_on_deadline_day": await b.task(A, deadline=date(2025, 3, 10), status="done", completed_on=date(2025, 3, 10)),
        "done_one_day_late": await b.task(A, deadline=date(2025, 3, 10), status="done", completed_on=date(2025, 3, 11)),
        # An approved extension moves the deadline; a requested one does not.
        "ext_approved_in_progress": await b.task(A, deadline=date(2025, 3, 10), adjusted=date(2025, 3, 20), approved=True),
        "ext_not_approved_in_progress": await b.task(B, deadline=date(2025, 3, 10), adjusted=date(2025, 3, 20)),
        "ext_approved_done": await b.task(A, deadline=date(2025, 3, 10), adjusted=date(2025, 3, 13), approved=True, status="done", completed_on=date(2025, 3, 12)),
        "ext_not_approved_done": await b.task(B, deadline=date(2025, 3, 10), adjusted=date(2025, 3, 13), status="done", completed_on=date(2025, 3, 12)),
        # No deadline: ongoing, or done (then on time).
        "no_deadline_open": await b.task(B),
        "no_deadline_done": await b.task(B, status="done", completed_on=date(2025, 3, 9)),
        "no_deadline_awaiting": await b.task(B, status="awaiting_confirmation", completed_on=date(2025, 3, 9)),
        # Not started: no update at all; with an (undone) update it is in progress.
        "not_started_future": await b.task(B, deadline=date(2025, 4, 30), status="not_started", updated=False),
        "not_started_overdue": await b.task(C, deadline=date(2025, 3, 5), status="not_started", updated=False),
        "not_started_with_update": await b.task(C, deadline=date(2025, 3, 13), status="not_started"),
        # Awaiting confirmation: judged on the claimed date, never "overdue".
        "awaiting_on_time": await b.task(C, deadline=date(2025, 3, 12), status="awaiting_confirmation", completed_on=date(2025, 3, 11)),
        "awaiting_late": await b.task(C, deadline=date(2025, 3, 12), status="awaiting_confirmation", completed_on=date(2025, 3, 13)),
        # Due soon: 0..7 days ahead.
        "due_today": await b.task(A, deadline=TODAY, status="blocked"),
        "due_in_7_days": await b.task(C, deadline=TODAY + timedelta(days=7)),
        "due_in_8_days": await b.task(C, deadline=TODAY + timedelta(days=8)),
        # Became overdue on Saturday 08/03, the first day of the week.
        "overdue_since_week_start": await b.task(C, deadline=date(2025, 3, 7)),
        "overdue_before_week": await b.task(C, deadline=date(2025, 3, 6)),
        "done_no_completion_date": await b.task(A, deadline=date(2025, 3, 1), status="done"),
        # Excluded: a cancelled assignment, a cancelled task.
        "cancelled_assignment": await b.task(A, deadline=date(2025, 3, 1), status="cancelled"),
        "cancelled_task": await b.task(A, deadline=date(2025, 3, 1), cancelled_task=True),
        # Another notice, for the per-notice counts and the notice filter.
        "other_notice_overdue": await b.task(A, deadline=date(2025, 3, 3), notice="35-TB/BCĐ", restricted=True, text="Nội dung mật số 1"),
    }  # fmt: skip
    # A coordinating agency on a lead's task counts as its own assignment.
    task = await session.get(Task, cases["due_in_8_days"].task_id)
    assert task is not None
    cases["coordinating_not_started"] = await b.assign(
        task, A, status="not_started", updated=False, role="coordinating"
    )
    # Reports in the week: A and C report, B is silent; a blocked report quoted; an undone one.
    await b.report(
        cases["due_today"],
        date(2025, 3, 11),
        kind="blocked",
        text="Thiếu kinh phí <đối ứng> & mặt bằng",
    )
    await b.report(cases["ext_approved_in_progress"], date(2025, 3, 8), text="Đã xong 40%")
    await b.report(cases["due_in_7_days"], date(2025, 3, 14), text="Đang khảo sát")
    await b.report(
        cases["other_notice_overdue"], date(2025, 3, 12), kind="blocked", text="Vướng mắc bí mật"
    )
    undone = await b.report(
        cases["no_deadline_open"], date(2025, 3, 12), kind="blocked", text="rút lại"
    )
    session.add(
        ProgressUpdate(
            assignment_id=undone.assignment_id,
            kind="undo",
            status="in_progress",
            reverts_id=undone.id,
            created_at=local(date(2025, 3, 12), 11),
        )
    )
    # Outside the week (Friday before) and the office's own decision: not the agency's news.
    await b.report(cases["ext_not_approved_in_progress"], date(2025, 3, 7), text="tuần trước")
    await b.report(cases["ext_not_approved_done"], date(2025, 3, 12), kind="confirmed")
    await session.commit()  # fmt: skip
    return cases


EXPECTED = {
    "done_on_deadline_day": Category.DONE_ON_TIME,
    "done_one_day_late": Category.DONE_LATE,
    "ext_approved_in_progress": Category.IN_PROGRESS_ON_TIME,
    "ext_not_approved_in_progress": Category.IN_PROGRESS_OVERDUE,
    "ext_approved_done": Category.DONE_ON_TIME,
    "ext_not_approved_done": Category.DONE_LATE,
    "no_deadline_open": Category.IN_PROGRESS_NO_DEADLINE,
    "no_deadline_done": Category.DONE_NO_DEADLINE,
    "no_deadline_awaiting": Category.AWAITING_NO_DEADLINE,
    "not_started_future": Category.NOT_STARTED_NOT_DUE,
    "not_started_overdue": Category.NOT_STARTED_OVERDUE,
    # The status says not started: an update that left it so (an acknowledgement) is no work.
    "not_started_with_update": Category.NOT_STARTED_OVERDUE,
    "awaiting_on_time": Category.AWAITING,
    "awaiting_late": Category.AWAITING,
    "due_today": Category.IN_PROGRESS_ON_TIME,
    "due_in_7_days": Category.IN_PROGRESS_ON_TIME,
    "due_in_8_days": Category.IN_PROGRESS_ON_TIME,
    "overdue_since_week_start": Category.IN_PROGRESS_OVERDUE,
    "overdue_before_week": Category.IN_PROGRESS_OVERDUE,
    "done_no_completion_date": Category.DONE_ON_TIME,
    "other_notice_overdue": Category.IN_PROGRESS_OVERDUE,
    "coordinating_not_started": Category.NOT_STARTED_NOT_DUE,
}


async def pure_counts(
    session: AsyncSession, today: date, *, key: str = "agency"
) -> dict[object, Counts]:
    """The same data through the pure domain rule (loading every row: the test's privilege)."""
    rows = (
        await session.execute(
            select(Assignment, Task, Agency)
            .join(Task, Task.id == Assignment.task_id)
            .join(Agency, Agency.id == Assignment.agency_id)
            .where(Task.cancelled.is_(False))
        )
    ).all()
    facts = [
        AssignmentFacts(
            assignment_id=a.id,
            agency_id=a.agency_id,
            agency_name=ag.name,
            notice_id=t.notice_id,
            status=AssignmentStatus(a.status),
            percent=a.percent,
            original_deadline_end=t.deadline_end,
            adjusted_deadline_end=t.adjusted_deadline_end,
            extension_approved=t.extension_approved,
            completed_on=a.completed_on,
            has_update=a.last_update_at is not None,
        )
        for a, t, ag in rows
    ]
    pick = {
        "agency": lambda f: f.agency_id,
        "notice": lambda f: f.notice_id,
        "all": lambda f: "all",
    }[key]
    return summarize_by(facts, key=pick, today=today, calendar=WorkCalendar())


async def test_each_boundary_counts_exactly(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        cases = await build_boundaries(session)
    rollup = await SummaryService(make_ctx(session_factory)).rollup()

    expected: dict[str, int] = {c.value: 0 for c in Category}
    for category in EXPECTED.values():
        expected[category.value] += 1
    overall = rollup.overall
    assert overall.cells() == expected
    assert sum(overall.cells().values()) == overall.total
    assert overall.total == len(EXPECTED) == len(cases) - 2  # two cancelled left out
    # Due soon: today, +6 (approved extension to 20/03) and +7; not +8, not awaiting.
    assert overall.due_soon == 3
    assert overall.awaiting_confirmation == 3
    # Overdue = open and past: not-started 05/03, not approved 10/03, undone 13/03, 07/03,
    # 06/03 and the other notice's 03/03; never the awaiting ones.
    assert overall.overdue == 6
    # On time: 3 done on time of the 11 with a deadline done (3 + 2 late) or overdue (6);
    # completion: 6 done (one without deadline) of 22.
    assert (overall.on_time.numerator, overall.on_time.base) == (3, 11)
    assert overall.completion_rate == pytest.approx(6 / 22)
    assert rollup.tasks == 21  # the coordinating assignment shares the lead's task


async def test_each_case_gets_its_category_in_sql(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        cases = await build_boundaries(session)
        rows = await session.execute(
            select(Assignment.id, category_expression(TODAY)).join(
                Task, Task.id == Assignment.task_id
            )
        )
        got = {row[0]: row[1] for row in rows.all()}
    assert {name: got[cases[name].id] for name in EXPECTED} == {
        name: category.value for name, category in EXPECTED.items()
    }


async def test_sql_counts_equal_the_pure_rule(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await build_boundaries(session)
        by_agency = await pure_counts(session, TODAY)
        by_notice = await pure_counts(session, TODAY, key="notice")
        overall = await pure_counts(session, TODAY, key="all")
    rollup = await SummaryService(make_ctx(session_factory)).rollup()
    assert {row.agency_id: row.counts for row in rollup.agencies} == by_agency
    assert {row.notice_id: row.counts for row in rollup.notices} == by_notice
    assert rollup.overall == overall["all"]


async def test_sql_equals_pure_on_a_random_data_set_over_many_days(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """A seeded mix of every status, deadline shape and extension, judged on several days."""
    rng = random.Random(20250314)
    statuses = [s.value for s in AssignmentStatus]
    async with session_factory() as session:
        b = Builder(session)
        for i in range(300):
            deadline = rng.choice([None, TODAY + timedelta(days=rng.randint(-40, 40))])
            adjusted = (
                deadline + timedelta(days=rng.randint(-3, 20))
                if deadline and rng.random() < 0.3
                else None
            )
            status = rng.choice(statuses)
            completed = (
                TODAY + timedelta(days=rng.randint(-40, 0))
                if status in ("done", "awaiting_confirmation") and rng.random() < 0.85
                else None
            )
            await b.task(
                f"Đơn vị {i % 13}",
                deadline=deadline,
                adjusted=adjusted,
                approved=rng.random() < 0.5,
                status=status,
                completed_on=completed,
                updated=rng.random() < 0.6,
                cancelled_task=rng.random() < 0.05,
                notice=rng.choice(["1-TB/BCĐ", "2-TB/BCĐ", "3-KL/TU"]),
            )
        await session.commit()
    for offset in (-30, -1, 0, 1, 7, 8, 45):
        today = TODAY + timedelta(days=offset)
        async with session_factory() as session:
            by_agency = await pure_counts(session, today)
        rollup = await SummaryService(make_ctx(session_factory, today)).rollup(at=today)
        assert {row.agency_id: row.counts for row in rollup.agencies} == by_agency, offset
        assert rollup.overall == sum(by_agency.values(), Counts())


async def test_agencies_come_worst_first(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        await build_boundaries(session)
    rollup = await SummaryService(make_ctx(session_factory)).rollup()
    # C has four overdue; A and B one each, tied on overdue not started and done late: B's
    # on-time rate (0 of 2 done or overdue) is below A's (3 of 5).
    assert [row.name for row in rollup.agencies] == [C, B, A]
    assert [row.counts.overdue for row in rollup.agencies] == [4, 1, 1]


async def test_the_weeks_changes(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        cases = await build_boundaries(session)
    rollup = await SummaryService(make_ctx(session_factory)).rollup()
    assert rollup.period.start == date(2025, 3, 8) and rollup.period.end == TODAY
    changes = rollup.changes
    # Four agency reports in the week: the undone one, the office's and last week's are not.
    assert changes.updates == 4
    completed = {i.assignment_id for i in changes.completed}
    assert completed == {
        cases[n].id
        for n in (
            "done_on_deadline_day",
            "done_one_day_late",
            "ext_approved_done",
            "ext_not_approved_done",
            "no_deadline_done",
            "no_deadline_awaiting",
            "awaiting_on_time",
            "awaiting_late",
        )
    }
    assert changes.completed_count == 8
    assert (changes.confirmed_count, changes.awaiting_count) == (5, 3)
    newly_overdue = [i.assignment_id for i in changes.overdue]
    assert newly_overdue == [
        cases["overdue_since_week_start"].id,
        cases["ext_not_approved_in_progress"].id,
        cases["not_started_with_update"].id,
    ]
    assert changes.overdue_count == 3
    # The overdue list: most late first, lateness in working days.
    overdue = rollup.overdue
    assert [i.deadline for i in overdue] == sorted(i.deadline for i in overdue)  # type: ignore[type-var]
    first = overdue[0]
    assert first.deadline == date(2025, 3, 3) and first.late_working_days == 9
    assert first.restricted and first.text == ""
    # B sent nothing this week (its only report was last Friday, and the office's
    # confirmation is not B's report); C and A reported.
    assert [(s.name, s.open_count) for s in rollup.silent_agencies] == [(B, 3)]
    quoted = [(d.agency_name, d.text, d.reported_on) for d in rollup.difficulties]
    assert quoted == [
        (A, "", date(2025, 3, 12)),  # restricted task: its words are not repeated
        (A, "Thiếu kinh phí <đối ứng> & mặt bằng", date(2025, 3, 11)),
    ]
    assert rollup.difficulties_count == 2


async def test_filters_by_notice_agency_and_period(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await build_boundaries(session)
        agency_a = (await session.execute(select(Agency).where(Agency.name == A))).scalar_one()
    service = SummaryService(make_ctx(session_factory))

    other = await service.rollup(notice_number="35/TB-BCD")  # typed loosely
    assert other.notice_number == "35-TB/BCĐ" and not other.unknown_notice
    assert other.overall.total == 1 and other.overall.in_progress_overdue == 1
    assert [n.number for n in other.notices] == ["35-TB/BCĐ"]

    missing = await service.rollup(notice_number="99-TB/BCĐ")
    assert missing.unknown_notice and missing.overall == Counts()

    mine = await service.rollup(agency_id=agency_a.id)
    assert [row.name for row in mine.agencies] == [A]
    assert mine.agency_name == A
    assert mine.overall.total == 8
    assert {d.agency_name for d in mine.difficulties} == {A}

    march = date_range(date(2025, 3, 1), date(2025, 3, 31))
    month = await service.rollup(period=march)
    assert month.changes.updates == 5  # last week's report now falls inside
    assert month.silent_agencies == ()
    # The counts are those of `at`, whatever the period.
    assert month.overall == (await service.rollup()).overall


async def test_task_rows_for_the_export(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        cases = await build_boundaries(session)
    service = SummaryService(make_ctx(session_factory))
    rows = await service.task_rows()
    # Every live task once (cancelled task and the cancelled assignment's task left out:
    # that task has no live assignment but is still a task of the notice).
    codes = [r.code for r in rows]
    assert len(codes) == len(set(codes)) == 22
    by_code = {r.code: r for r in rows}
    shared = by_code[f"T{list(cases).index('due_in_8_days') + 1}"]
    assert shared.leads == (C,) and shared.coordinating == (A,)
    assert shared.category is Category.IN_PROGRESS_ON_TIME  # judged on the lead
    blocked = by_code[f"T{list(cases).index('due_today') + 1}"]
    assert blocked.last_report == "Thiếu kinh phí <đối ứng> & mặt bằng"
    assert blocked.last_update_on == date(2025, 3, 11)
    undone = by_code[f"T{list(cases).index('no_deadline_open') + 1}"]
    assert undone.last_report == "" and undone.last_update_on is None
    extended = by_code[f"T{list(cases).index('ext_approved_in_progress') + 1}"]
    assert extended.deadline == date(2025, 3, 20)
    assert extended.original_deadline == date(2025, 3, 10)
    awaiting = by_code[f"T{list(cases).index('awaiting_late') + 1}"]
    assert awaiting.awaiting_confirmation and awaiting.category is Category.AWAITING
    only_other = await service.task_rows(notice_number="35-TB/BCĐ")
    assert [r.notice_number for r in only_other] == ["35-TB/BCĐ"]
    assert only_other[0].restricted


async def test_a_new_assignment_is_spared_for_its_grace(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """REPORT_GRACE_DAYS (5 working days): an agency given its first task on Tuesday is not
    "chưa cập nhật" on Friday; the period counts the task as new. Given a week earlier, it is."""
    async with session_factory() as session:
        b = Builder(session)
        await build_boundaries(session, b)
        fresh = await b.task("Sở Mới", deadline=date(2025, 4, 30), status="not_started")
        task = await session.get(Task, fresh.task_id)
        assert task is not None
        fresh.created_at = local(date(2025, 3, 11))  # Tuesday: 3 working days before Friday
        older = await b.task("Sở Cũ", deadline=date(2025, 4, 30), status="not_started")
        older.created_at = local(date(2025, 3, 7))  # 5 working days before Friday 14/03
        await session.commit()
    rollup = await SummaryService(make_ctx(session_factory)).rollup()
    silent = {a.name for a in rollup.silent_agencies}
    assert "Sở Mới" not in silent and "Sở Cũ" in silent
    assert rollup.changes.new_count == 1 and rollup.changes.new_today == 0


async def test_the_table_alone_has_the_rollups_numbers(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """`table()` (the web's /agencies, /notices, a Phụ lục) reads the same cells as the whole
    roll-up, for every notice and for one."""
    async with session_factory() as session:
        await build_boundaries(session)
    summary = SummaryService(make_ctx(session_factory))
    for wanted in (None, *(n.number for n in (await summary.rollup()).notices)):
        whole = await summary.rollup(notice_number=wanted)
        table = await summary.table(notice_number=wanted)
        assert (table.overall, table.agencies, table.notices) == (
            whole.overall,
            whole.agencies,
            whole.notices,
        )
        assert (table.tasks, table.unassigned_tasks, table.at) == (
            whole.tasks,
            whole.unassigned_tasks,
            whole.at,
        )
        assert table.notice_number == whole.notice_number and table.overall.total > 0
    assert (await summary.table(notice_number="404-TB/BCĐ")).unknown_notice
