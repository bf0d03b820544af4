"""The layout budget: every message the bot sends fits one phone screen.

Each row of the registry (tests/layout/messages.py) is played through the real application
and the emulator, at the seed's size and with 60 agencies; every message the bot sent or
edited on the way is measured as the phone shows it (bot/messaging/layout.py): at most 25
lines, 6 buttons, and no button label the phone would cut.

The registry is complete: every text of the catalogue (bot/messaging/texts, but the web app's
`web.*`, measured by its own tests) is rendered by a row, named in witnesses.txt ("key  row":
that row's seed run fails if it no longer renders the key), or listed, reviewed, in
unrendered.txt (a one-sentence answer, or a part of a message the rows measure). A new text
with neither fails `test_every_text_of_the_catalogue_has_a_row` at once, without playing any
row: the rows themselves are played one test each (pytest-xdist shares them out).
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.messaging.layout import MAX_BUTTONS, MAX_LINES, labels_too_wide, phone_lines
from bot.messaging.texts import Texts, vi
from bot.sandbox.emulator import SentRecord, plain_text
from tests.layout.messages import ASSERTED, MESSAGES, WEB_BASE_URL, Message
from tests.layout.world import layout_world

SIZES = {"seed": None, "60 agencies": 60}
WITNESSES = Path(__file__).with_name("witnesses.txt")
UNRENDERED = Path(__file__).with_name("unrendered.txt")


def _listed(path: Path) -> list[list[str]]:
    """The lines of one of the two lists, each split into its key and the rest."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split(maxsplit=1) for line in lines if line.strip() and not line.startswith("#")]


def witnesses() -> dict[str, list[str]]:
    """Row name -> the catalogue keys it stands witness for (witnesses.txt)."""
    rows: dict[str, list[str]] = {}
    for key, *row in _listed(WITNESSES):
        rows.setdefault(row[0] if row else "", []).append(key)
    return rows


def shown(record: SentRecord) -> str:
    return record.plain if record.plain is not None else plain_text(record.text or "")


def problems(record: SentRecord) -> list[str]:
    """What in one sent or edited message breaks the budget."""
    rows = [
        [b.get("text", "") for b in row]
        for row in (record.reply_markup or {}).get("inline_keyboard", [])
    ]
    found = []
    lines = phone_lines(shown(record)) if record.method != "editMessageReplyMarkup" else 0
    if lines > MAX_LINES:
        found.append(f"{lines} lines: {shown(record)[:120]!r}…")
    buttons = sum(len(row) for row in rows)
    if buttons > MAX_BUTTONS:
        found.append(f"{buttons} buttons: {[label for row in rows for label in row]}")
    found += [f"label cut on a phone: {label!r}" for label in labels_too_wide(rows)]
    return found


# One test per row and size, not one per size walking every row: each row plays in a world of
# its own anyway, and the two tests of 80-odd worlds each were a quarter of the suite's time,
# which a parallel run (`make test`, pytest-xdist) could not share out between its workers.
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("message", MESSAGES, ids=[m.name for m in MESSAGES])
async def test_every_message_fits_a_phone_screen(
    sqlite_url: str, message: Message, size: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = _catalogue_spy(monkeypatch)
    failures = await _play(sqlite_url, message, SIZES[size])
    assert not failures, "\n".join(failures)
    if SIZES[size] is None:
        gone = sorted(set(witnesses().get(message.name, ())) - rendered)
        assert not gone, (
            f"{message.name!r} no longer renders {gone} (witnesses.txt names it for them): "
            f"name another row that does, or fix the row; it renders {sorted(rendered)}"
        )
        listed = sorted(rendered & {key for key, *_ in _listed(UNRENDERED)})
        assert not listed, (
            f"{message.name!r} renders {listed}, listed in {UNRENDERED.name} as rendered by no "
            f"row: move them to {WITNESSES.name} with this row's name"
        )


def _catalogue_spy(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The keys of every text the bot renders from now on (Texts.t, which raw() calls too)."""
    rendered: set[str] = set()
    render = Texts.t

    def spy(self: Texts, key: str, **values: Any) -> str:
        rendered.add(key)
        return render(self, key, **values)

    monkeypatch.setattr(Texts, "t", spy)
    return rendered


def test_every_text_of_the_catalogue_has_a_row() -> None:
    """A text no row renders is a message the budget never measured: a new one needs its row
    in messages.py and a line "key  row name" in witnesses.txt (the row's seed run checks
    that it renders the key); unrendered.txt lists the reviewed exceptions."""
    chat = {key for key in vi.TEXTS if not key.startswith("web.")}
    named = [key for keys in witnesses().values() for key in keys]
    listed = [key for key, *_ in _listed(UNRENDERED)]
    missing = sorted(chat - set(named) - set(listed))
    assert not missing, (
        "no row of tests/layout/messages.py is named as rendering these texts: add the row "
        f"that makes the bot send each and name it in {WITNESSES.name} ('key  row name'), or, "
        f"for a one-sentence answer or a part of a measured message, list it in "
        f"{UNRENDERED.name}: {missing}"
    )
    twice = sorted(key for key, n in Counter(named + listed).items() if n > 1)
    assert not twice, f"named twice in {WITNESSES.name} and {UNRENDERED.name}: {twice}"
    gone = sorted(set(named + listed) - chat)
    assert not gone, f"gone from the catalogue: remove from the lists: {gone}"
    rows = {m.name for m in MESSAGES}
    unknown = sorted(set(witnesses()) - rows)
    assert not unknown, f"{WITNESSES.name} names rows messages.py does not have: {unknown}"


async def _play(database_url: str, message: Message, agencies: int | None) -> list[str]:
    records = await _sent(database_url, message, agencies)
    if message.owner not in ASSERTED:
        return []
    return [f"{message.name}: {p}" for r in records for p in problems(r)]


async def _sent(database_url: str, message: Message, agencies: int | None) -> list[SentRecord]:
    """What the bot sent or edited while `message`'s row was played."""
    web = {"web_base_url": WEB_BASE_URL} if message.web else {}
    async with layout_world(database_url, agencies=agencies, **web) as world:
        before = len(world.bot.emulator.sent)
        await message.act(world)
        records = world.bot.emulator.sent[before:]
    assert records, f"{message.name}: the bot sent nothing"
    return records


async def test_the_web_rows_measure_the_form_button(sqlite_template: Path, tmp_path: Path) -> None:
    """The 📱 rows measure what they are there for: the fullest card (✅ 🔄 ⚠️ 📅, Xem thêm and
    📱 Mở biểu mẫu: six buttons) and a digest whose every part carries the form's button."""
    rows = {m.name: m for m in MESSAGES}
    labels: dict[str, list[list[str]]] = {}
    for n, name in enumerate(("📱 card · Xem thêm", "📱 daily digest · agency")):
        database = tmp_path / f"{n}.sqlite3"
        shutil.copy(sqlite_template, database)
        records = await _sent(f"sqlite+aiosqlite:///{database}", rows[name], None)
        labels[name] = [[label for label, _ in r.buttons] for r in records if r.reply_markup]
    cards = [b for b in labels["📱 card · Xem thêm"] if "📄 Xem thêm" in b]
    assert cards and all(len(b) == 6 and b[-1] == "📱 Mở biểu mẫu" for b in cards), cards
    digests = [b for b in labels["📱 daily digest · agency"] if any(" · #" in x for x in b)]
    assert digests and all(b[-1] == "📱 Mở biểu mẫu" for b in digests), digests


def test_the_registry_names_each_message_once() -> None:
    names = [m.name for m in MESSAGES]
    assert len(names) == len(set(names))
    assert {m.owner for m in MESSAGES} == {"23", "16", "19", "22", "21", "17", "14", "15", "20"}
