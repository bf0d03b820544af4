"""People (admins, focal points), their agency memberships, and who is writing where."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, literal_column, or_, select, update
from sqlalchemy.orm import aliased

from storage.direct import Direct
from storage.models import Agency, AgencyMember, ChatBinding, PendingInput, Person
from storage.repositories.conversation import OpenQuestion as OpenQuestion
from storage.unit_of_work import UnitOfWork


async def get_person(uow: UnitOfWork, *, telegram_user_id: int) -> Person | None:
    result = await uow.session.execute(
        select(Person).where(Person.telegram_user_id == telegram_user_id)
    )
    return result.scalar_one_or_none()


async def upsert_person(
    uow: UnitOfWork,
    *,
    telegram_user_id: int,
    display_name: str,
    language: str | None = None,
    private_chat_id: int | None = None,
) -> Person:
    """The person, added or renamed; `private_chat_id` (their chat with the bot) if given."""
    person = await get_person(uow, telegram_user_id=telegram_user_id)
    if person is None:
        person = Person(
            telegram_user_id=telegram_user_id, display_name=display_name, language=language
        )
        uow.session.add(person)
        await uow.session.flush()
    elif display_name and person.display_name != display_name:
        person.display_name = display_name
    if private_chat_id is not None:
        person.private_chat_id = private_chat_id
    return person


async def set_admin(uow: UnitOfWork, *, telegram_user_id: int, admin: bool) -> None:
    """Make a person an office admin or not (someone the bot never saw is added)."""
    person = await get_person(uow, telegram_user_id=telegram_user_id)
    if person is None:
        person = Person(telegram_user_id=telegram_user_id, display_name="")
        uow.session.add(person)
    person.is_admin = admin


async def add_membership(uow: UnitOfWork, *, person_id: int, agency_id: int, role: str) -> None:
    """The person speaks for the agency in this role (again, if they had left)."""
    existing = (
        await uow.session.execute(
            select(AgencyMember).where(
                AgencyMember.person_id == person_id, AgencyMember.agency_id == agency_id
            )
        )
    ).scalar_one_or_none()
    if existing is None:
        uow.session.add(AgencyMember(person_id=person_id, agency_id=agency_id, role=role))
    else:
        existing.active = True
        existing.role = role


async def end_membership(uow: UnitOfWork, *, telegram_user_id: int, agency_id: int) -> bool:
    """The person no longer speaks for the agency; False when they did not (or no longer)."""
    person = await get_person(uow, telegram_user_id=telegram_user_id)
    if person is None:
        return False
    result = await uow.execute(
        update(AgencyMember)
        .where(
            AgencyMember.person_id == person.id,
            AgencyMember.agency_id == agency_id,
            AgencyMember.active.is_(True),  # False for a second removal: say so
        )
        .values(active=False)
    )
    return result.rowcount > 0


# Every incoming update resolves who is acting and where, so this is one Core statement built
# once (bench/README.md, finding C): one round trip, not two, to
# PostgreSQL on every update. The person's memberships and the chat's bindings are unrelated
# lookups; both hang off a one-row anchor with LEFT JOINs, so the answer is one row per
# (membership, binding) pair, at least one row, NULL where either side has nothing.
_MemberAgency = aliased(Agency)
_BoundAgency = aliased(Agency)
_ANCHOR = select(literal_column("1").label("one")).subquery("anchor")
WHO_AND_WHERE = (
    select(
        Person.is_admin,
        AgencyMember.agency_id.label("member_agency_id"),
        AgencyMember.role,
        _MemberAgency.active.label("member_agency_active"),
        ChatBinding.id.label("binding_id"),
        ChatBinding.thread_id,
        ChatBinding.agency_id.label("bound_agency_id"),
        ChatBinding.is_office,
        _BoundAgency.name.label("bound_agency_name"),
    )
    .select_from(_ANCHOR)
    .outerjoin(Person, Person.telegram_user_id == bindparam("user_id"))
    .outerjoin(
        AgencyMember,
        and_(AgencyMember.person_id == Person.id, AgencyMember.active.is_(True)),
    )
    .outerjoin(_MemberAgency, _MemberAgency.id == AgencyMember.agency_id)
    .outerjoin(
        ChatBinding,
        and_(
            ChatBinding.chat_id == bindparam("chat_id"),
            or_(ChatBinding.thread_id == bindparam("thread_id"), ChatBinding.thread_id == 0),
            ChatBinding.active.is_(True),
        ),
    )
    .outerjoin(_BoundAgency, _BoundAgency.id == ChatBinding.agency_id)
)
# A reply also needs the person's open question in this chat, keyed like the rest by (chat,
# person): one more LEFT JOIN on the anchor (at most one row, unique per chat and person),
# which saves the reply path its own round trip for a question that is rarely there.
WHO_WHERE_AND_QUESTION = WHO_AND_WHERE.add_columns(
    PendingInput.id.label("question_id"),
    PendingInput.action.label("question_action"),
    PendingInput.target_id.label("question_target_id"),
    PendingInput.payload.label("question_payload"),
    PendingInput.expires_at.label("question_expires_at"),
).outerjoin(
    PendingInput,
    and_(
        PendingInput.chat_id == bindparam("chat_id"),
        PendingInput.telegram_user_id == bindparam("user_id"),
    ),
)
# Run on the driver, compiled once (storage/direct.py): every reply reads it.
_WHO_WHERE_AND_QUESTION = Direct(WHO_WHERE_AND_QUESTION)


class BindingView(NamedTuple):
    """What a chat's binding says about the chat: whose it is, and whether it is the office's."""

    agency_id: int | None
    is_office: bool
    agency_name: str | None


class WhoAndWhere(NamedTuple):
    """A person's standing (as stored) and the binding of the chat they write in."""

    is_admin: bool
    agencies: dict[int, str]  # agency id -> role, active memberships of active agencies
    binding: BindingView | None  # the topic's own binding, else the whole chat's


async def who_and_where(
    uow: UnitOfWork, *, telegram_user_id: int, chat_id: int, thread_id: int = 0
) -> WhoAndWhere:
    """The person's memberships and the chat's binding, in one statement."""
    rows = (
        await uow.execute(
            WHO_AND_WHERE,
            {"user_id": telegram_user_id, "chat_id": chat_id, "thread_id": thread_id},
        )
    ).all()
    return _who_and_where_of(rows, thread_id)


async def who_where_and_question(
    uow: UnitOfWork, *, telegram_user_id: int, chat_id: int, thread_id: int = 0
) -> tuple[WhoAndWhere, OpenQuestion | None]:
    """`who_and_where` and the person's open question here, in one statement."""
    rows = (
        await uow.execute(
            _WHO_WHERE_AND_QUESTION,
            {"user_id": telegram_user_id, "chat_id": chat_id, "thread_id": thread_id},
        )
    ).all()
    return who_where_and_question_of(rows, thread_id)


def who_where_and_question_of(
    rows: Sequence[Any], thread_id: int
) -> tuple[WhoAndWhere, OpenQuestion | None]:
    """What WHO_WHERE_AND_QUESTION's rows say (also read with more columns after them)."""
    first = rows[0]
    question = None
    if first.question_id is not None:
        question = OpenQuestion(
            first.question_id,
            first.question_action,
            first.question_target_id,
            first.question_payload,
            first.question_expires_at,
        )
    return _who_and_where_of(rows, thread_id), question


def _who_and_where_of(rows: Sequence[Any], thread_id: int) -> WhoAndWhere:
    agencies = {
        r.member_agency_id: r.role
        for r in rows
        if r.member_agency_id is not None and r.member_agency_active
    }
    bindings = {r.binding_id: r for r in rows if r.binding_id is not None}
    binding = None
    if bindings:
        best = min(bindings.values(), key=lambda r: r.thread_id != thread_id)
        binding = BindingView(best.bound_agency_id, bool(best.is_office), best.bound_agency_name)
    return WhoAndWhere(
        is_admin=any(r.is_admin for r in rows),
        agencies=agencies,
        binding=binding,
    )
