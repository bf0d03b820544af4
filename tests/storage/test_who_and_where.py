"""`who_and_where`: a person's memberships and a chat's binding in one statement, on SQLite and
PostgreSQL. The LEFT JOINs multiply memberships by bindings; the answer must not."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_session_factory
from storage.models import Agency, AgencyMember, ChatBinding, PendingInput, Person
from storage.repositories.people import BindingView, who_and_where, who_where_and_question
from storage.unit_of_work import UnitOfWork

FOCAL = 501
STRANGER = 999
GROUP = -1001
TOPIC = 7


async def _seed(engine: AsyncEngine) -> dict[str, int]:
    """Three agencies; the focal point serves two (one membership revoked, one agency closed);
    the group is bound as a whole to one agency and its topic 7 to another."""
    async with engine.begin() as connection:
        ids: dict[str, int] = {}
        for key, active in (("so-xd", True), ("so-gtvt", True), ("ubnd-ky-anh", False)):
            result = await connection.execute(
                Agency.__table__.insert().values(name=key.upper(), key=key, active=active)
            )
            ids[key] = result.inserted_primary_key[0]
        person = await connection.execute(
            Person.__table__.insert().values(telegram_user_id=FOCAL, display_name="Lan")
        )
        person_id = person.inserted_primary_key[0]
        for key, role, active in (
            ("so-xd", "focal_point", True),
            ("so-gtvt", "deputy", True),
            ("ubnd-ky-anh", "focal_point", True),
        ):
            await connection.execute(
                AgencyMember.__table__.insert().values(
                    person_id=person_id, agency_id=ids[key], role=role, active=active
                )
            )
        await connection.execute(
            ChatBinding.__table__.insert(),
            [
                {"chat_id": GROUP, "thread_id": 0, "agency_id": ids["so-xd"], "active": True},
                {"chat_id": GROUP, "thread_id": TOPIC, "agency_id": ids["so-gtvt"], "active": True},
                {"chat_id": GROUP, "thread_id": 9, "agency_id": ids["so-gtvt"], "active": False},
            ],
        )
    return ids


async def test_memberships_are_not_repeated_per_binding_and_the_topic_wins(
    engine: AsyncEngine,
) -> None:
    ids = await _seed(engine)
    async with UnitOfWork(make_session_factory(engine)) as uow:
        in_topic = await who_and_where(uow, telegram_user_id=FOCAL, chat_id=GROUP, thread_id=TOPIC)
        in_group = await who_and_where(uow, telegram_user_id=FOCAL, chat_id=GROUP)
        in_closed_topic = await who_and_where(
            uow, telegram_user_id=FOCAL, chat_id=GROUP, thread_id=9
        )
    expected_agencies = {ids["so-xd"]: "focal_point", ids["so-gtvt"]: "deputy"}
    assert in_topic.agencies == expected_agencies  # the closed agency is left out
    assert in_topic.binding == BindingView(ids["so-gtvt"], False, "SO-GTVT")
    assert in_group.agencies == expected_agencies
    assert in_group.binding == BindingView(ids["so-xd"], False, "SO-XD")
    # A topic whose binding was revoked falls back to the whole group's.
    assert in_closed_topic.binding == BindingView(ids["so-xd"], False, "SO-XD")
    assert not in_topic.is_admin


async def test_a_stranger_in_a_bound_group_and_a_member_in_an_unbound_chat(
    engine: AsyncEngine,
) -> None:
    ids = await _seed(engine)
    async with engine.begin() as connection:
        await connection.execute(
            Person.__table__.update().where(Person.telegram_user_id == FOCAL).values(is_admin=True)
        )
        await connection.execute(
            AgencyMember.__table__.update()
            .where(AgencyMember.agency_id == ids["so-gtvt"])
            .values(active=False)
        )
    async with UnitOfWork(make_session_factory(engine)) as uow:
        stranger = await who_and_where(uow, telegram_user_id=STRANGER, chat_id=GROUP)
        elsewhere = await who_and_where(uow, telegram_user_id=FOCAL, chat_id=-4242)
    assert stranger.agencies == {} and not stranger.is_admin
    assert stranger.binding == BindingView(ids["so-xd"], False, "SO-XD")
    assert elsewhere.agencies == {ids["so-xd"]: "focal_point"}  # revoked membership gone
    assert elsewhere.is_admin
    assert elsewhere.binding is None


async def test_an_open_question_comes_with_who_is_writing_and_multiplies_nothing(
    engine: AsyncEngine,
) -> None:
    ids = await _seed(engine)
    async with engine.begin() as connection:
        await connection.execute(
            PendingInput.__table__.insert().values(
                chat_id=GROUP,
                telegram_user_id=FOCAL,
                action="block",
                target_id=12,
                payload="{}",
                expires_at=datetime(2030, 1, 1, tzinfo=UTC),
                created_at=datetime(2020, 1, 1, tzinfo=UTC),
            )
        )
    async with UnitOfWork(make_session_factory(engine)) as uow:
        found, question = await who_where_and_question(
            uow, telegram_user_id=FOCAL, chat_id=GROUP, thread_id=TOPIC
        )
        elsewhere, none = await who_where_and_question(uow, telegram_user_id=FOCAL, chat_id=-4242)
        plain = await who_and_where(uow, telegram_user_id=FOCAL, chat_id=GROUP, thread_id=TOPIC)
    assert question is not None and (question.action, question.target_id) == ("block", 12)
    assert found == plain  # the question changes nothing of who is writing and where
    assert found.binding == BindingView(ids["so-gtvt"], False, "SO-GTVT")
    assert none is None and elsewhere.binding is None
