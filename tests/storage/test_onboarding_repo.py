"""Who is on board, in SQL (SQLite and PostgreSQL): the agencies with work (groups, closed
agencies and cancelled tasks left out), which are bound, each agency's latest code, and the
revocation that only touches codes that could still bind."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_session_factory
from storage.models import Agency, Assignment, ChatBinding, InviteCode, Notice, Task
from storage.repositories import onboarding
from storage.unit_of_work import UnitOfWork

NOW = datetime(2020, 1, 2, 1, 0, tzinfo=UTC)


async def _seed(engine: AsyncEngine) -> dict[str, int]:
    async with engine.begin() as connection:
        ids: dict[str, int] = {}
        for key, active, is_group in (
            ("so-tc", True, False),
            ("so-ct", True, False),
            ("cac-huyen", True, True),
            ("so-cu", False, False),
        ):
            result = await connection.execute(
                Agency.__table__.insert().values(
                    name=key.upper(), key=key, active=active, is_group=is_group
                )
            )
            ids[key] = result.inserted_primary_key[0]
        notice = await connection.execute(
            Notice.__table__.insert().values(
                number="22-TB/BCĐ", issued_on=date(2019, 12, 27), source_text=""
            )
        )
        notice_id = notice.inserted_primary_key[0]
        for n, (agency, cancelled) in enumerate(
            (
                ("so-tc", False),
                ("so-tc", False),
                ("so-tc", True),
                ("so-ct", False),
                ("cac-huyen", False),
                ("so-cu", False),
            )
        ):
            task = await connection.execute(
                Task.__table__.insert().values(
                    notice_id=notice_id, code=f"I.{n}", text="x", cancelled=cancelled
                )
            )
            await connection.execute(
                Assignment.__table__.insert().values(
                    task_id=task.inserted_primary_key[0], agency_id=ids[agency]
                )
            )
        await connection.execute(
            ChatBinding.__table__.insert().values(chat_id=-1, thread_id=0, agency_id=ids["so-ct"])
        )
        for code, agency, used, revoked, expires in (
            ("OLDUSED", "so-tc", NOW, None, NOW + timedelta(days=1)),
            ("EXPIRED", "so-tc", None, None, NOW - timedelta(days=1)),
            ("OPEN", "so-tc", None, None, NOW + timedelta(days=1)),
            ("OTHER", "so-ct", None, None, NOW + timedelta(days=1)),
        ):
            await connection.execute(
                InviteCode.__table__.insert().values(
                    code=code, agency_id=ids[agency], used_at=used, revoked_at=revoked,
                    expires_at=expires, created_at=NOW,
                )
            )  # fmt: skip
    return ids


async def test_work_bound_and_latest_invites(engine: AsyncEngine) -> None:
    ids = await _seed(engine)
    async with UnitOfWork(make_session_factory(engine)) as uow:
        work = await onboarding.agency_work(uow)
        bound = await onboarding.bound_agency_ids(uow)
        latest = await onboarding.latest_invites(uow)
    assert [(w.agency_name, w.notice_number, w.tasks) for w in work] == [
        ("SO-CT", "22-TB/BCĐ", 1),
        ("SO-TC", "22-TB/BCĐ", 2),
    ]
    assert bound == {ids["so-ct"]}
    assert {agency: invite.code for agency, invite in latest.items()} == {
        ids["so-tc"]: "OPEN",
        ids["so-ct"]: "OTHER",
    }


async def test_revoke_touches_only_codes_that_could_still_bind(engine: AsyncEngine) -> None:
    ids = await _seed(engine)
    factory = make_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        revoked = await onboarding.revoke_open_invites(uow, agency_ids=[ids["so-tc"]], at=NOW)
        assert await onboarding.revoke_open_invites(uow, agency_ids=[], at=NOW) == 0
    assert revoked == 1
    async with UnitOfWork(factory) as uow:
        rows = (await uow.session.execute(select(InviteCode))).scalars().all()
    assert {r.code for r in rows if r.revoked_at is not None} == {"OPEN"}
