"""Kit rows for the seed notice 22-TB/BCĐ: its real agencies, their task counts, and codes
made the way the bot makes them (the same alphabet), fixed so that failures repeat."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.domain.notice import parse_notice
from bot.reports.kit import KitHeader, KitNotice, KitRow, invite_link

SEED = Path(__file__).resolve().parents[2] / "examples" / "22-TB-BCD.txt"
BOT = "dondoc_test_bot"
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # bot.services.bindings.CODE_ALPHABET
# 08:00 in Hà Nội on 10/01/2020 is 01:00 UTC: the kit must show the local time.
EXPIRES = datetime(2020, 1, 10, 1, 0, tzinfo=UTC)
EXPIRES_SHOWN = "10/01/2020 08:00"


def code_for(name: str) -> str:
    digest = hashlib.sha256(name.encode()).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:10])


def row_for(name: str, tasks: int, notices: tuple[KitNotice, ...]) -> KitRow:
    code = code_for(name)
    return KitRow(
        agency=name,
        notices=notices,
        task_count=tasks,
        deep_link=invite_link(BOT, code),
        code=code,
        expires_at=EXPIRES,
    )


@pytest.fixture(scope="session")
def seed_rows() -> tuple[KitRow, ...]:
    notice = parse_notice(SEED.read_text(encoding="utf-8"))
    assert notice.document.number and notice.document.date
    ref = (KitNotice(notice.document.number, notice.document.date),)
    rows = tuple(
        row_for(name, sum(1 for t in notice.tasks if name in t.lead + t.coordinating), ref)
        for name in notice.agencies
    )
    assert len(rows) >= 20  # the seed's agencies, not a stand-in
    return rows


@pytest.fixture(scope="session")
def header() -> KitHeader:
    return KitHeader(
        parent="Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh Hà Tĩnh",
        issuer="Văn phòng Điều phối nông thôn mới tỉnh",
        place="Hà Tĩnh",
        issued_on=date(2019, 12, 27),
        contact="Liên hệ: Văn phòng Điều phối, điện thoại 0239 3 000 000.",
    )
