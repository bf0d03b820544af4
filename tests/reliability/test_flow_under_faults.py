"""The whole user flow under Telegram's faults ends as it does without them (issue 22, item 3).

The flow, through the real application and the emulator: the office invites an agency, its
new focal point binds a group with the code, lists the tasks, opens a card, replies to it
with a percent, asks for an extension, the office approves it, the focal point reports done,
the office confirms. Run once without faults (the baseline), then under fault schedules:

* deterministic ones: a 5xx on every 3rd send, a 502 on every 2nd call, a timeout on every
  3rd answer, a dropped connection on every 4th, a 429 on every 3rd call (a fraction of a
  second of retry_after, waited out for real), and an answer lost *after* it took effect on
  every 4th;
* random ones (hypothesis): any fault on the answers, in runs the retries can carry (at most
  two in a row, one of them a timeout or a drop), and 5xx or 429 on the notifications to
  other chats (the outbox's: tried again after its backoff, the clock moved to each retry
  by the harness's `settle`; a timeout there would be sent again and may be seen twice, so
  none is scheduled there).

Each ends with the same database (no effect doubled) and the same messages seen by every
person, no apology anywhere. A fault after the call took effect may show an answer twice
(Telegram has no idempotency key; docs/reliability.md): those compare equal once adjacent
copies are folded, and there are never more copies than such faults.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from telegram.ext import AIORateLimiter

from bot.sandbox.emulator import BotApiEmulator, FaultScript
from storage import migrate
from storage.models import (
    AgencyMember,
    Assignment,
    ChatBinding,
    ExtensionRequest,
    InviteCode,
    MessageLink,
    PendingInput,
    Person,
    ProgressUpdate,
    Task,
)
from storage.unit_of_work import UnitOfWork
from tests.harness import (
    ADMIN,
    GROUP_B,
    OFFICE_GROUP,
    STRANGER,
    Harness,
    VirtualTime,
    running_bot,
)
from tests.reliability.world import NOW, TOPICS, World, seed

NEW_GROUP = -1005555
CHATS = (ADMIN, NEW_GROUP, OFFICE_GROUP, GROUP_B)
LOST_AFTER = ("server_error_after", "bad_gateway_after", "timeout_after", "drop_after")
# A 429's retry_after here: Telegram's are whole seconds; a fraction is waited out for real
# by the flood limiter without slowing the suite.
FLOOD_WAIT = 0.05


# --- the flow and what it leaves ----------------------------------------------------------------


@dataclass
class Acting:
    """The chat whose update is being handled: what answers it goes there."""

    chat: int = ADMIN

    def answers(self, method: str, chat_id: Any) -> bool:
        if method == "answercallbackquery":
            return True
        return method != "getupdates" and str(chat_id) == str(self.chat)

    def notifies(self, method: str, chat_id: Any) -> bool:
        return not self.answers(method, chat_id)


async def user_flow(harness: Harness, world: World, acting: Acting) -> str:
    """Play the flow; returns the invite code (random: masked when comparing)."""
    task = world.open_task["B"]
    acting.chat = ADMIN
    await harness.send(ADMIN, ADMIN, "/moi Sở Công Thương")
    code = re.search(r"/dangky (\w+)", harness.last_text(ADMIN))
    assert code is not None, harness.last_text(ADMIN)
    acting.chat = NEW_GROUP
    await harness.send(STRANGER, NEW_GROUP, f"/dangky {code[1]}")
    await harness.send(STRANGER, NEW_GROUP, "/nhiemvu")
    listing = harness.last(NEW_GROUP)
    await harness.press(STRANGER, NEW_GROUP, listing["message_id"], f"card:{task}")
    card = harness.last(NEW_GROUP)
    await harness.send(STRANGER, NEW_GROUP, "đạt 40%", reply_to=card["message_id"])
    await harness.press(STRANGER, NEW_GROUP, card["message_id"], f"ext:{task}")
    await harness.send(STRANGER, NEW_GROUP, "15/07/2020 chờ phân bổ vốn")
    acting.chat = OFFICE_GROUP
    request = harness.last(OFFICE_GROUP)
    await harness.press(ADMIN, OFFICE_GROUP, request["message_id"], harness.button(request, "xok:"))
    acting.chat = NEW_GROUP
    await harness.press(STRANGER, NEW_GROUP, card["message_id"], f"done:{task}")
    acting.chat = OFFICE_GROUP
    asked = harness.last(OFFICE_GROUP)
    await harness.press(ADMIN, OFFICE_GROUP, asked["message_id"], harness.button(asked, "conf:"))
    return code[1]


STATE = {
    "progress": select(
        ProgressUpdate.assignment_id,
        ProgressUpdate.kind,
        ProgressUpdate.status,
        ProgressUpdate.percent,
        ProgressUpdate.text,
        ProgressUpdate.author_user_id,
        ProgressUpdate.source_chat_id,
        ProgressUpdate.reverts_id,
    ).order_by(ProgressUpdate.id),
    "assignments": select(
        Assignment.id, Assignment.status, Assignment.percent, Assignment.completed_on
    ).order_by(Assignment.id),
    "tasks": select(Task.id, Task.adjusted_deadline_end, Task.extension_approved).order_by(Task.id),
    "extensions": select(
        ExtensionRequest.id,
        ExtensionRequest.requested_end,
        ExtensionRequest.status,
        ExtensionRequest.decided_by,
    ).order_by(ExtensionRequest.id),
    "bindings": select(
        ChatBinding.chat_id, ChatBinding.agency_id, ChatBinding.is_office, ChatBinding.active
    ).order_by(ChatBinding.id),
    "invites": select(InviteCode.agency_id, InviteCode.used_by, InviteCode.used_chat_id),
    "members": select(Person.telegram_user_id, AgencyMember.agency_id, AgencyMember.role)
    .join(Person, Person.id == AgencyMember.person_id)
    .order_by(AgencyMember.id),
    # Per chat, in order (the outbox sends to different chats side by side).
    "links": select(MessageLink.chat_id, MessageLink.assignment_id, MessageLink.purpose).order_by(
        MessageLink.chat_id, MessageLink.id
    ),
    "questions left": select(func.count(PendingInput.id)),
}

Seen = tuple[str, tuple[tuple[str, str | None], ...]]


@dataclass
class Outcome:
    database: dict[str, list[tuple[Any, ...]]]
    seen: dict[int, list[Seen]]  # per chat: each bot message as it reads now (edits applied)
    button_answers: list[tuple[str, bool]]


async def outcome_of(harness: Harness, code: str) -> Outcome:
    database: dict[str, list[tuple[Any, ...]]] = {}
    async with UnitOfWork(harness.services.ctx.session_factory) as uow:
        for name, query in STATE.items():
            database[name] = [tuple(row) for row in (await uow.execute(query)).all()]
    emulator = harness.emulator
    seen = {
        chat: [
            (
                (m.get("text") or m.get("caption") or "").replace(code, "<code>"),
                tuple(emulator.buttons(m)),
            )
            for m in harness.bot_messages(chat)
        ]
        for chat in CHATS
    }
    answers = [(a.get("text") or "", a["show_alert"]) for a in emulator.callback_answers]
    return Outcome(database, seen, answers)


def folded(messages: Sequence[Seen]) -> list[Seen]:
    """Adjacent copies folded into one: what an answer sent twice looks like."""
    return [m for n, m in enumerate(messages) if n == 0 or messages[n - 1] != m]


def assert_same_as_without_faults(run: Outcome, baseline: Outcome, lost_after: int) -> None:
    assert run.database == baseline.database  # every effect once, none missing
    assert run.button_answers == baseline.button_answers
    copies = 0
    for chat in CHATS:
        assert not [text for text, _ in run.seen[chat] if "Xin lỗi" in text]
        assert folded(run.seen[chat]) == baseline.seen[chat], chat
        copies += len(run.seen[chat]) - len(baseline.seen[chat])
    assert copies <= lost_after
    if lost_after == 0:
        assert run.seen == baseline.seen


# --- running it --------------------------------------------------------------------------------


Planned = list[tuple[FaultScript, list[str | None]]]  # each script and the steps it was given
Arm = Callable[[BotApiEmulator, Acting], Planned]


def lost_after_the_fact(planned: Planned) -> int:
    """How many of the steps that fired were faults after the call took effect."""
    fired = chain.from_iterable(steps[: len(steps) - len(s.steps)] for s, steps in planned)
    return sum(step in LOST_AFTER for step in fired)


@dataclass
class Run:
    outcome: Outcome
    lost_after: int  # faults that lost an answer after the call took effect
    faults: int  # faults the emulator injected in all


async def run_flow(database_url: str, arm: Arm | None = None) -> Run:
    """The flow on a fresh database, under `arm`'s faults."""
    time = VirtualTime()
    async with running_bot(
        database_url,
        now=NOW,
        topics=TOPICS,
        rate_limiter=AIORateLimiter(max_retries=3),
        answer_policy=time.policy(),
        settle=True,
    ) as harness:
        world = await seed(harness)
        harness.emulator.add_chat(NEW_GROUP, "supergroup", "Phòng Kế hoạch - Sở Công Thương")
        harness.emulator.add_member(NEW_GROUP, STRANGER)
        acting = Acting()
        planned = arm(harness.emulator, acting) if arm is not None else []
        code = await user_flow(harness, world, acting)
        outcome = await outcome_of(harness, code)
        return Run(outcome, lost_after_the_fact(planned), harness.emulator.stats["faults"])


_BASELINES: dict[str, Outcome] = {}


async def baseline(database_url: str) -> Outcome:
    """The flow without faults, once per backend (the database's ids are the same)."""
    backend = database_url.split(":", 1)[0]
    if backend not in _BASELINES:
        _BASELINES[backend] = (await run_flow(database_url)).outcome
    return _BASELINES[backend]


@pytest.fixture
def fresh(database_url: str, sqlite_template: Path, tmp_path: Path) -> Callable[[], str]:
    """A new empty database each call: a copy of the template, or PostgreSQL truncated."""
    from tests.conftest import _truncate_pg

    made = iter(range(1_000))

    def make() -> str:
        if not database_url.startswith("sqlite"):
            _truncate_pg(database_url)
            return database_url
        path = tmp_path / f"run-{next(made)}.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"

    return make


# --- deterministic schedules -------------------------------------------------------------------


def _both(steps: list[str | None], notifications: list[str | None] | None = None) -> Arm:
    """`steps` on the answers, `notifications` (default: the same) on every other call."""

    def arm(emulator: BotApiEmulator, acting: Acting) -> Planned:
        others = steps if notifications is None else notifications
        return [
            (
                emulator.faults.script("*", steps, retry_after=FLOOD_WAIT, when=acting.answers),
                steps,
            ),
            (
                emulator.faults.script("*", others, retry_after=FLOOD_WAIT, when=acting.notifies),
                others,
            ),
        ]

    return arm


def _every_third_send_a_500(emulator: BotApiEmulator, acting: Acting) -> Planned:
    emulator.faults.server_error("sendMessage", every=3, times=1_000)
    return []


SCHEDULES: dict[str, Arm] = {
    "a 500 on every 3rd send": _every_third_send_a_500,
    "a 502 on every 2nd call": _both([None, "bad_gateway"] * 80),
    "a timeout on every 3rd answer": _both([None, None, "timeout"] * 60, []),
    "a dropped connection on every 4th answer": _both([None, None, None, "drop"] * 50, []),
    "a 429 on every 3rd call": _both([None, None, "flood"] * 60),
    "an answer lost after it took effect, every 4th": _both(
        [None, None, None, "timeout_after"] * 50, []
    ),
}


@pytest.mark.parametrize("schedule", sorted(SCHEDULES))
async def test_the_user_flow_under_a_fault_schedule_ends_as_without_faults(
    schedule: str, fresh: Callable[[], str]
) -> None:
    expected = await baseline(fresh())
    run = await run_flow(fresh(), SCHEDULES[schedule])
    assert run.faults >= 5  # the schedule did bite
    assert_same_as_without_faults(run.outcome, expected, run.lost_after)
    if "after" in schedule:
        assert run.lost_after > 0


async def test_the_baseline_is_the_flow_it_claims(fresh: Callable[[], str]) -> None:
    """What the comparisons rest on: the flow without faults does what it says."""
    outcome = await baseline(fresh())
    kinds = [row[1] for row in outcome.database["progress"]]
    assert kinds == ["in_progress", "extension_request", "extension_approved", "done", "confirmed"]
    assert [row[3] for row in outcome.database["extensions"]].count(ADMIN) == 1
    assert any(row[0] == NEW_GROUP and row[3] for row in outcome.database["bindings"])
    assert outcome.database["questions left"] == [(0,)]
    texts = [text for text, _ in outcome.seen[NEW_GROUP]]
    assert any("đã xác nhận hoàn thành" in t for t in texts)
    assert any("đồng ý gia hạn" in t for t in texts)


# --- random schedules ---------------------------------------------------------------------------

ANSWER_FAULTS = [
    "server_error", "bad_gateway", "timeout", "drop", "flood",
    "server_error_after", "timeout_after", "drop_after",
]  # fmt: skip
DOUBTFUL = {"timeout", "drop", "timeout_after", "drop_after"}
NOTIFICATION_FAULTS = ["server_error", "bad_gateway", "flood"]


def _schedule(kinds: list[str], *, doubtful_per_run: int) -> st.SearchStrategy[list[str | None]]:
    """Clean gaps of 1-3 calls, each followed by a run of at most two faults (a message is
    sent again once after a doubt: one doubtful fault per run)."""
    run = st.lists(st.sampled_from(kinds), max_size=2).filter(
        lambda r: sum(k in DOUBTFUL for k in r) <= doubtful_per_run
    )
    segment = st.tuples(st.integers(1, 3), run).map(lambda g: [None] * g[0] + g[1])
    return st.lists(segment, max_size=14).map(lambda s: list(chain.from_iterable(s)))


@pytest.fixture(scope="module")
def flow_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("flow") / "template.sqlite3"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    answers=_schedule(ANSWER_FAULTS, doubtful_per_run=1),
    notifications=_schedule(NOTIFICATION_FAULTS, doubtful_per_run=0),
)
def test_any_fault_schedule_the_retries_can_carry_ends_as_without_faults(
    answers: list[str | None],
    notifications: list[str | None],
    flow_template: Path,
    tmp_path: Path,
) -> None:
    made = iter(range(2))

    def fresh() -> str:
        path = tmp_path / f"example-{id(answers)}-{next(made)}.sqlite3"
        shutil.copy(flow_template, path)
        return f"sqlite+aiosqlite:///{path}"

    async def check() -> None:
        expected = await baseline(fresh())
        run = await run_flow(fresh(), _both(answers, notifications))
        assert_same_as_without_faults(run.outcome, expected, run.lost_after)

    asyncio.run(check())
