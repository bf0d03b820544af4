"""Bad input, fuzzed: the parsers and the decoder never raise, and the real Application fed
random but valid-shaped updates never crashes and never writes anything for a stranger.

Extends tests/unit/test_parser_properties.py and test_progress.py (which cover the notice,
deadline and progress parsers on random and fragment text) with what they lack: the
callback-data decoder, user dates and periods, NFD and zero-width variants of real phrases,
and 100,000-character inputs for every parser.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import tempfile
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import or_, true

from bot.domain.callback_data import MAX_BYTES, Act, Callback, decode, encode
from bot.domain.deadlines import parse_deadline
from bot.domain.notice import parse_notice
from bot.domain.periods import parse_period
from bot.domain.progress import ProgressError, ProgressReport, parse_progress, parse_user_date
from storage.models import (
    AgencyMember,
    ChatBinding,
    ExtensionRequest,
    ImportDraft,
    InviteCode,
    Person,
    ProgressUpdate,
)
from tests.harness import (
    DEPUTY_A,
    FOCAL_A,
    FOCAL_B,
    FORUM,
    GROUP_A,
    GROUP_B,
    OFFICE_GROUP,
    STRANGER,
    UNKNOWN_GROUP,
    Harness,
    running_bot,
)
from tests.reliability.world import NOW, TOPICS, World, read_world, seed

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
PHRASES = [
    "đã hoàn thành",
    "Dạ, đạt 70%",
    "vướng mắc về mặt bằng",
    "trước ngày 15/01/2020",
    "trong Quý II/2020",
    "từ 20/4 đến 25/4/2021",
    "tháng 3/2020",
    "thường xuyên",
    "31/02/2020",
    "29/02/2021",
    "00/00/0000",
    "32/13/2020",
    "15/01/99999",
    "1/1",
    "hết ngày 30/6",
    "Giao Sở Tài chính chủ trì, hoàn thành trước 31/03/2020.",
]


def _mangle(text: str, how: str, zw: str) -> str:
    """NFD, zero-width characters between letters, emoji, upper case: what phones send."""
    if how == "nfd":
        return unicodedata.normalize("NFD", text)
    if how == "zero_width":
        return zw.join(text)
    if how == "emoji":
        return f"👍 {text} 🙏🏻✅"
    if how == "upper":
        return text.upper()
    return text


mangled = st.builds(
    _mangle,
    st.sampled_from(PHRASES),
    st.sampled_from(["nfd", "zero_width", "emoji", "upper", "plain"]),
    st.sampled_from(ZERO_WIDTH),
)
anything = st.one_of(
    st.text(max_size=300), mangled, st.text(alphabet="0123456789/%-. ", max_size=40)
)
HUGE = [
    "9" * 100_000,
    "\u200b" * 100_000,
    "😀" * 100_000,
    unicodedata.normalize("NFD", "Giao Sở Tài chính hoàn thành trước 15/01/2020. " * 2_100),
    ("1" * 5_000) + "/" + ("2" * 5_000) + "/2020",
    "đạt " + "7" * 50_000 + "%",
]
TODAY = date(2020, 1, 15)


@settings(max_examples=150, deadline=None, database=None)
@given(anything)
def test_parsers_never_raise_on_mangled_phrases(text: str) -> None:
    assert isinstance(parse_progress(text), ProgressReport | ProgressError)
    assert isinstance(parse_user_date(text, today=TODAY), date | ProgressError)
    parse_deadline(text, notice_date=TODAY)
    period = parse_period(text, today=TODAY)
    assert period is None or period.start <= period.end


@settings(max_examples=100, deadline=None, database=None)
@given(mangled)
def test_nfd_and_zero_width_do_not_change_what_a_report_means(text: str) -> None:
    """A report typed on a phone that decomposes accents (NFD) reads like the NFC one."""
    nfc = unicodedata.normalize("NFC", text)
    assert type(parse_progress(unicodedata.normalize("NFD", text))) is type(parse_progress(nfc))
    a, b = parse_progress(unicodedata.normalize("NFD", text)), parse_progress(nfc)
    if isinstance(a, ProgressReport) and isinstance(b, ProgressReport):
        assert (a.kind, a.percent) == (b.kind, b.percent)


@pytest.mark.parametrize("text", HUGE, ids=lambda t: f"{len(t)}-chars-{t[:1]!r}")
def test_a_100000_character_input_is_refused_or_parsed_never_raised(text: str) -> None:
    assert isinstance(parse_progress(text), ProgressReport | ProgressError)
    assert isinstance(parse_user_date(text, today=TODAY), date | ProgressError)
    parse_deadline(text, notice_date=TODAY)
    parse_period(text, today=TODAY)
    parse_notice(text)
    assert decode(text) is None


@settings(max_examples=200, deadline=None, database=None)
@given(st.one_of(st.text(max_size=100), st.binary(max_size=80).map(lambda b: b.decode("latin-1"))))
def test_callback_decoder_accepts_only_well_formed_payloads(data: str) -> None:
    """Never raises; whatever it accepts is exactly `action:arg:arg` in the safe alphabet
    (no trailing newline, no non-ASCII digit), at most 64 bytes."""
    callback = decode(data)
    if callback is None:
        return
    assert len(data.encode()) <= MAX_BYTES
    assert re.fullmatch(r"[a-z]{1,6}", callback.action)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{0,24}", arg) for arg in callback.args)
    assert ":".join([callback.action, *callback.args]) == data
    for index in range(len(callback.args) + 1):
        value = callback.int_arg(index)
        assert value is None or (isinstance(value, int) and value >= 0)


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.sampled_from(list(Act)),
    st.lists(st.from_regex(r"[A-Za-z0-9_-]{0,12}", fullmatch=True), max_size=3),
)
def test_callback_payloads_round_trip(action: Act, args: list[str]) -> None:
    assert decode(encode(action, *args)) == Callback(action, tuple(args))


@settings(max_examples=200, deadline=None, database=None)
@given(st.from_regex(r"[a-z]{1,6}(:[0-9]{1,4}){0,2}", fullmatch=True))
def test_a_well_formed_payload_with_no_known_action_is_refused(data: str) -> None:
    """Only the actions the bot ever wrote decode: anything else is an expired button."""
    known = data.split(":")[0] in {a.value for a in Act}
    assert (decode(data) is not None) is known


@pytest.mark.parametrize(
    "data",
    ["done\n", "done:12\n", "done:١٢", "DONE:1", "done:" + "1" * 25, "x" * 65, "done:1 2", ""],
)
def test_near_miss_payloads_are_refused(data: str) -> None:
    """A trailing newline, non-ASCII digits, upper case, over-long parts: malformed."""
    assert decode(data) is None


# --- random updates through the real Application ---------------------------------------------

MEMBERS = (FOCAL_A, FOCAL_B, DEPUTY_A)
NEW_STRANGERS = (3101, 3102, 777000)
ACTORS = (*MEMBERS, STRANGER, *NEW_STRANGERS)
STRANGERS = (STRANGER, *NEW_STRANGERS)
CHATS = ("private", GROUP_A, GROUP_B, OFFICE_GROUP, UNKNOWN_GROUP, "topic", -1005550001)
COMMANDS = [
    "/start", "/trogiup", "/nhiemvu", "/capnhat", "/moi", "/dangky", "/vanphong", "/ganket",
    "/giaoviec", "/doihan", "/giaolai", "/huynv", "/mat", "/themadmin", "/boadmin",
    "/tonghop", "/nhacngay", "/tamdung", "/tieptuc", "/chuatiepnhan", "/nhapvanban",
    "/xoadaumoi",
]  # fmt: skip


def _args_for(world: World) -> st.SearchStrategy[str]:
    ids = [*world.open_task.values(), *world.awaiting.values(), 0, 99999]
    return st.one_of(
        anything,
        st.sampled_from([f"#{i}" for i in ids] + [f"{i} đạt 50%" for i in ids]),
        st.sampled_from([f"#{i} đã hoàn thành" for i in ids] + ["Sở Tài chính", "3", "tuan"]),
    )


def _payloads(world: World) -> st.SearchStrategy[str]:
    ids = [*world.open_task.values(), *world.awaiting.values(), *world.extension.values(), 0]
    forged = (
        [
            f"{action}:{i}"
            for action in (
                "done",
                "prog",
                "block",
                "ext",
                "undo",
                "conf",
                "ret",
                "xok",
                "xno",
                "card",
                "pick",
                "unbind",
            )
            for i in ids
        ]
        + [f"pct:{i}:50" for i in ids]
        + [f"ack:{world.agency['A']}:{world.notice_id}", "list:1:all"]
    )
    return st.one_of(st.sampled_from(forged), st.text(max_size=70))


def operations(world: World) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    # Strangers more often than not: they are who must never write.
    actors = st.one_of(st.sampled_from(STRANGERS), st.sampled_from(ACTORS))
    message = st.tuples(
        st.just("message"),
        actors,
        st.sampled_from(CHATS),
        st.one_of(
            anything,
            st.builds(lambda c, a: f"{c} {a}", st.sampled_from(COMMANDS), _args_for(world)),
        ),
        st.booleans(),  # as a reply to the bot's last message there
    )
    press = st.tuples(st.just("press"), actors, st.sampled_from(CHATS), _payloads(world))
    edit = st.tuples(st.just("edit"), actors, st.sampled_from(CHATS), anything)
    membership = st.tuples(st.just("added"), actors, st.sampled_from([UNKNOWN_GROUP, -1005550001]))
    return st.lists(
        st.one_of(message, press, message, press, edit, membership), min_size=3, max_size=15
    )


async def _play(harness: Harness, world: World, ops: list[tuple[Any, ...]]) -> None:
    emulator = harness.emulator
    for op in ops:
        kind, actor, where = op[0], op[1], op[2]
        chat = actor if where == "private" else FORUM if where == "topic" else where
        thread = world.topic if where == "topic" else None
        if chat not in emulator.chats:
            emulator.add_chat(chat, "supergroup", "Nhóm mới")
        if actor not in emulator.users:
            emulator.add_user(actor, f"Người {actor}")
            emulator.add_chat(actor, "private")
        if kind == "added":
            emulator.add_member(chat, actor)
            emulator.bot_removed_from_group(chat, actor)
            emulator.bot_added_to_group(chat, actor)
        elif kind == "press":
            params: dict[str, Any] = {"chat_id": chat, "text": "🔘"}
            if thread:
                params["message_thread_id"] = thread
            sent = await emulator.call("sendMessage", **params)
            emulator.user_presses(actor, chat, sent["message_id"], op[3], strict=False)
        elif kind == "edit":
            original = emulator.user_sends(actor, chat, "báo cáo", message_thread_id=thread)
            await harness.flush()
            emulator.user_edits(actor, chat, original["message_id"], op[3] or "x")
        else:
            text, as_reply = op[3] or ".", op[4]
            bot_messages = harness.bot_messages(chat)
            reply_to = bot_messages[-1]["message_id"] if as_reply and bot_messages else None
            emulator.user_sends(
                actor,
                chat,
                text[:4096],
                reply_to_message_id=reply_to,
                message_thread_id=None if reply_to else thread,
            )
        await harness.flush()  # process_update: must never raise


async def _stranger_writes(harness: Harness) -> list[str]:
    checks = [
        (ProgressUpdate, ProgressUpdate.author_user_id.in_(STRANGERS)),
        (InviteCode, or_(InviteCode.created_by.in_(STRANGERS), InviteCode.used_by.in_(STRANGERS))),
        (ChatBinding, ChatBinding.created_by.in_(STRANGERS)),
        (ImportDraft, ImportDraft.created_by.in_(STRANGERS)),
        (ExtensionRequest, ExtensionRequest.requested_by.in_(STRANGERS)),
        (Person, Person.telegram_user_id.in_(STRANGERS)),
    ]
    found = []
    for model, where in checks:
        rows = await harness.rows(model, where)
        found += [f"{model.__name__}: {row}" for row in rows]
    members = await harness.rows(AgencyMember, true())
    assert len(members) == 3  # nobody joined an agency
    return found


@pytest.fixture(scope="module")
def fuzz_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "seeded.sqlite3"
    shutil.copy(sqlite_template, path)

    async def fill() -> None:
        async with running_bot(f"sqlite+aiosqlite:///{path}", now=NOW, topics=TOPICS) as harness:
            await seed(harness)

    asyncio.run(fill())
    return path


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_updates_never_crash_the_bot_nor_write_for_a_stranger(
    data: st.DataObject, fuzz_template: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.clear()
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "db.sqlite3"
        shutil.copy(fuzz_template, database)
        asyncio.run(_fuzz_once(data, f"sqlite+aiosqlite:///{database}"))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


async def _fuzz_once(data: st.DataObject, url: str) -> None:
    async with running_bot(url, now=NOW, topics=TOPICS) as harness:
        world = await read_world(harness)
        ops = data.draw(operations(world), label="operations")
        await _play(harness, world, ops)
        assert len(harness.emulator.updates) >= len(ops)  # every operation reached the bot
        assert await _stranger_writes(harness) == []
