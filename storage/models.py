"""All tables in one module, so the schema can be read in one place.

Datetimes are UTC (`UTCDateTime`); calendar dates (deadlines, due days) are plain dates in
the office's time zone. Telegram ids are 64-bit. Progress updates are append-only: a
correction or an undo is a new row that points at the one it reverts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _now_field() -> Any:
    """A timezone-aware "now" column; `Any` (as sqlmodel.Field is): typed by its annotation."""
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Notice(SQLModel, table=True):
    """A conclusion notice (Thông báo kết luận); identified by its number and date."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("number", "issued_on", name="uq_notice_number_date"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=100, index=True)
    issued_on: date | None = None
    issuer: str | None = Field(default=None, sa_type=Text)
    signer: str | None = Field(default=None, max_length=200)
    signer_title: str | None = Field(default=None, max_length=300)
    place: str | None = Field(default=None, max_length=100)
    title: str | None = Field(default=None, sa_type=Text)
    source_text: str = Field(default="", sa_column=Column(Text, nullable=False))
    imported_by: int | None = Field(default=None, sa_type=BigInteger)
    imported_at: datetime = _now_field()
    updated_at: datetime = _now_field()


class Agency(SQLModel, table=True):
    """An agency (đơn vị): a department, a district, an organisation, or a group of them."""

    __tablename__ = "agencies"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300)
    key: str = Field(max_length=300, unique=True)
    short_name: str | None = Field(default=None, max_length=100)
    kind: str = Field(default="khac", max_length=20)
    is_group: bool = False
    parent_id: int | None = Field(default=None, foreign_key="agencies.id")
    paused_until: date | None = None
    active: bool = True
    created_at: datetime = _now_field()


class AgencyAlias(SQLModel, table=True):
    """Another way a notice writes an agency's name (`Sở NN&PTNT`); matched by key."""

    __tablename__ = "agency_aliases"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agencies.id", index=True)
    alias: str = Field(max_length=300)
    key: str = Field(max_length=300, unique=True)


class AgencyGroup(SQLModel, table=True):
    """A named set of agencies the office defines ("Các huyện, thị xã, thành phố" = its 13
    districts). Not an agency: a task addressed to it is assigned to each member; it has no
    chat, no focal point and no row in the roll-up."""

    __tablename__ = "agency_groups"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300)
    key: str = Field(max_length=300, unique=True)
    # The province whose agencies these are ("Hà Tĩnh"): a notice of another province naming
    # a group of the same name is asked about, never expanded onto these members.
    province: str | None = Field(default=None, max_length=100)
    created_at: datetime = _now_field()


class AgencyGroupMember(SQLModel, table=True):
    __tablename__ = "agency_group_members"
    __table_args__ = (UniqueConstraint("group_id", "agency_id", name="uq_group_member"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="agency_groups.id", index=True)
    agency_id: int = Field(foreign_key="agencies.id")


class Task(SQLModel, table=True):
    """One thing a notice asks for. The original deadline is never overwritten."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("notice_id", "code", name="uq_task_notice_code"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notices.id", index=True)
    code: str = Field(max_length=40)
    text: str = Field(sa_column=Column(Text, nullable=False))
    deadline_kind: str = Field(default="none", max_length=20)
    deadline_start: date | None = None
    deadline_end: date | None = None
    deadline_phrase: str | None = Field(default=None, max_length=300)
    adjusted_deadline_end: date | None = None
    extension_approved: bool = False
    restricted: bool = False
    cancelled: bool = False
    created_at: datetime = _now_field()
    updated_at: datetime = _now_field()


class TaskRevision(SQLModel, table=True):
    """History of a task's text and deadline when a notice is re-imported or edited."""

    __tablename__ = "task_revisions"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", index=True)
    field_name: str = Field(max_length=40)
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
    changed_by: int | None = Field(default=None, sa_type=BigInteger)
    changed_at: datetime = _now_field()


class Assignment(SQLModel, table=True):
    """A task given to one agency as lead (chủ trì) or coordinating (phối hợp)."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("task_id", "agency_id", name="uq_assignment_task_agency"),
        Index("ix_assignment_agency_status", "agency_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", index=True)
    agency_id: int = Field(foreign_key="agencies.id")
    role: str = Field(default="lead", max_length=20)
    status: str = Field(default="not_started", max_length=30)
    percent: int = 0
    completed_on: date | None = None
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_update_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = _now_field()


class ProgressUpdate(SQLModel, table=True):
    """An agency's report, or the office's decision on it. Append-only: never updated."""

    __tablename__ = "progress_updates"
    __table_args__ = (
        Index("ix_update_assignment_time", "assignment_id", "created_at"),
        # Reports in a window (the roll-up's period, the web app's trend): one covering range
        # per report kind, so counting a week's reports per agency, finding its difficulties
        # and the trend's weeks read the index alone, with no per-row test of the kind (the id
        # rides along: SQLite's rowid, PostgreSQL's INCLUDE).
        Index(
            "ix_update_window",
            "kind",
            "created_at",
            "assignment_id",
            "obstacle",
            postgresql_include=["id"],
        ),
        # What was undone: a handful of rows, found without reading the whole history.
        Index("ix_update_reverts", "reverts_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignments.id")
    kind: str = Field(max_length=30)
    status: str = Field(max_length=30)
    percent: int | None = None
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    evidence_file_ids: str = Field(default="", sa_column=Column(Text, nullable=False))
    author_user_id: int | None = Field(default=None, sa_type=BigInteger)
    author_name: str | None = Field(default=None, max_length=200)
    source_chat_id: int | None = Field(default=None, sa_type=BigInteger)
    source_message_id: int | None = Field(default=None, sa_type=BigInteger)
    reverts_id: int | None = Field(default=None, foreign_key="progress_updates.id")
    # A difficulty stated in the report (blocked, or beside done/progress: "Đã hoàn thành,
    # tuy nhiên còn vướng kinh phí"): the roll-up quotes it whatever the report's kind.
    obstacle: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    created_at: datetime = _now_field()


class Person(SQLModel, table=True):
    """A Telegram user the bot knows: an admin of the office or an agency's focal point."""

    __tablename__ = "people"

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=BigInteger, unique=True)
    display_name: str = Field(default="", max_length=200)
    is_admin: bool = False
    language: str | None = Field(default=None, max_length=10)
    private_chat_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = _now_field()


class AgencyMember(SQLModel, table=True):
    """Binds a person to an agency as focal point (dau_moi) or deputy (thay_the)."""

    __tablename__ = "agency_members"
    __table_args__ = (UniqueConstraint("person_id", "agency_id", name="uq_member_person_agency"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    agency_id: int = Field(foreign_key="agencies.id", index=True)
    role: str = Field(default="focal_point", max_length=20)
    active: bool = True
    created_at: datetime = _now_field()


class ChatBinding(SQLModel, table=True):
    """A chat (or a forum topic, thread_id > 0) bound to an agency or to the office."""

    __tablename__ = "chat_bindings"
    __table_args__ = (UniqueConstraint("chat_id", "thread_id", name="uq_binding_chat_thread"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    thread_id: int = Field(default=0, sa_type=BigInteger)
    agency_id: int | None = Field(default=None, foreign_key="agencies.id", index=True)
    is_office: bool = False
    title: str | None = Field(default=None, max_length=300)
    active: bool = True
    deactivated_reason: str | None = Field(default=None, max_length=300)
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = _now_field()


class ReminderLog(SQLModel, table=True):
    """The exactly-once claim of a reminder: inserted before sending, outcome recorded after."""

    __tablename__ = "reminder_log"
    __table_args__ = (
        UniqueConstraint("assignment_id", "kind", "due_on", name="uq_reminder_claim"),
        Index("ix_reminder_unsent", "sent_at", "claimed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignments.id")
    kind: str = Field(max_length=30)
    due_on: date
    claimed_at: datetime = _now_field()
    claimed_by: str | None = Field(default=None, max_length=100)
    attempts: int = 1
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    chat_id: int | None = Field(default=None, sa_type=BigInteger)  # where the first copy went
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    error: str | None = Field(default=None, sa_type=Text)
    # The audience's chats that have it, "chat:thread" keys separated by spaces: a retry
    # sends only to the others, and the row counts as sent once every chat has it.
    delivered_to: str | None = Field(default=None, sa_type=Text)


class DispatchLog(SQLModel, table=True):
    """Exactly-once claim for messages that are not per assignment (weekly summary...)."""

    __tablename__ = "dispatch_log"
    __table_args__ = (UniqueConstraint("kind", "target", "period", name="uq_dispatch_claim"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    target: str = Field(max_length=60)
    period: str = Field(max_length=40)
    claimed_at: datetime = _now_field()
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    error: str | None = Field(default=None, sa_type=Text)


class InviteCode(SQLModel, table=True):
    """A single-use, expiring code that binds a person or a group to an agency."""

    __tablename__ = "invite_codes"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    agency_id: int = Field(foreign_key="agencies.id", index=True)
    role: str = Field(default="focal_point", max_length=20)
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = _now_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by: int | None = Field(default=None, sa_type=BigInteger)
    used_chat_id: int | None = Field(default=None, sa_type=BigInteger)
    # A newer code for the same agency replaced this one (re-issued): it no longer binds.
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class InviteAttempt(SQLModel, table=True):
    """Wrong-code attempts, so guessing can be rate-limited per user."""

    __tablename__ = "invite_attempts"

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=BigInteger, index=True)
    created_at: datetime = _now_field()


class MessageLink(SQLModel, table=True):
    """Which assignments a bot message (task card, reminder, digest) is about, for replies."""

    __tablename__ = "message_links"
    __table_args__ = (
        UniqueConstraint("chat_id", "message_id", "assignment_id", name="uq_message_link"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger)
    message_id: int = Field(sa_type=BigInteger)
    assignment_id: int = Field(foreign_key="assignments.id")
    position: int = 1
    purpose: str = Field(default="card", max_length=20)
    created_at: datetime = _now_field()


class PendingInput(SQLModel, table=True):
    """A question the bot asked (a blocker's text, an extension date): stateless across restarts."""

    __tablename__ = "pending_inputs"
    __table_args__ = (UniqueConstraint("chat_id", "telegram_user_id", name="uq_pending_chat_user"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger)
    telegram_user_id: int = Field(sa_type=BigInteger)
    action: str = Field(max_length=30)
    target_id: int
    payload: str = Field(default="", sa_column=Column(Text, nullable=False))
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    created_at: datetime = _now_field()


class ImportDraft(SQLModel, table=True):
    """A parsed notice waiting for the admin's Lưu / Hủy; nothing is stored before Lưu."""

    __tablename__ = "import_drafts"

    id: int | None = Field(default=None, primary_key=True)
    created_by: int = Field(sa_type=BigInteger)
    chat_id: int = Field(sa_type=BigInteger)
    filename: str | None = Field(default=None, max_length=300)
    source_text: str = Field(default="", sa_column=Column(Text, nullable=False))
    parsed_json: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=20)
    created_at: datetime = _now_field()


class ExtensionRequest(SQLModel, table=True):
    """An agency's request for a new deadline, decided by the office."""

    __tablename__ = "extension_requests"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignments.id", index=True)
    requested_end: date
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    requested_by: int | None = Field(default=None, sa_type=BigInteger)
    status: str = Field(default="pending", max_length=20)
    decided_by: int | None = Field(default=None, sa_type=BigInteger)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = _now_field()


class CalendarDay(SQLModel, table=True):
    """A day the office adds as a holiday (is_working False) or a make-up working Saturday."""

    __tablename__ = "calendar_days"

    day: date = Field(primary_key=True)
    is_working: bool
    note: str | None = Field(default=None, max_length=200)


class WebLoginLink(SQLModel, table=True):
    """A one-time link to the web app that `/web` gave in a private chat: only its SHA-256 is
    kept, it opens one session, once, within its ten minutes."""

    __tablename__ = "web_login_links"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    telegram_user_id: int = Field(sa_type=BigInteger)
    created_at: datetime = _now_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebSession(SQLModel, table=True):
    """A signed-in browser or Mini App: server-side, so every instance on one PostgreSQL
    shares it and logging out ends it everywhere. Only the token's SHA-256 is kept."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    telegram_user_id: int = Field(sa_type=BigInteger, index=True)
    via: str = Field(default="link", max_length=20)  # link | miniapp
    created_at: datetime = _now_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebInitDataUse(SQLModel, table=True):
    """Each Mini App launch signature accepted once: a replayed initData finds its hash here
    (UNIQUE) and is refused until it would have expired anyway."""

    __tablename__ = "web_init_data_uses"

    id: int | None = Field(default=None, primary_key=True)
    hash: str = Field(max_length=64, unique=True)
    telegram_user_id: int = Field(sa_type=BigInteger)
    used_at: datetime = _now_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)


class AppliedUpdate(SQLModel, table=True):
    """A Telegram update whose effect is stored: claimed in the same transaction as that
    effect (storage/ledger.py), so a webhook redelivery, two pollers or two instances never
    apply it twice. Rows older than Telegram's redelivery horizon are pruned."""

    __tablename__ = "applied_updates"

    bot_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    update_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    applied_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)


class BindingEvent(SQLModel, table=True):
    """The chat bindings' history, append-only (the database refuses UPDATE and DELETE):
    every binding, refusal, re-binding request and the office's decision on it (`decides_id`,
    UNIQUE: decided once, whoever presses), a move to a supergroup's id, an end."""

    __tablename__ = "binding_events"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    thread_id: int = Field(default=0, sa_type=BigInteger)
    kind: str = Field(max_length=30)
    agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    previous_agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    new_chat_id: int | None = Field(default=None, sa_type=BigInteger)
    actor_user_id: int | None = Field(default=None, sa_type=BigInteger)
    decides_id: int | None = Field(default=None, unique=True)
    title: str | None = Field(default=None, max_length=300)
    detail: str | None = Field(default=None, max_length=300)
    created_at: datetime = _now_field()


class OutboxMessage(SQLModel, table=True):
    """A message to a chat other than the one being answered, written in the same
    transaction as its cause and sent by the outbox's sender (bot/messaging/outbox.py).

    Pending while `sent_at`, `failed_at` and `withdrawn_at` (a reminder whose tasks all closed
    or moved while it waited: settled, unsent) are NULL; due at `due_at`; held by one sender
    while `claimed_until` is in the future. Messages of one `family` waiting for the same
    chat may go out as one (`item` is each one's lines there, `tag` what its buttons add)."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "sent_at", "failed_at", "due_at"),
        Index("ix_outbox_chat", "chat_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger)
    thread_id: int = Field(default=0, sa_type=BigInteger)
    text: str = Field(sa_column=Column(Text, nullable=False))
    markup: str | None = Field(default=None, sa_type=Text)  # InlineKeyboardMarkup as JSON
    family: str | None = Field(default=None, max_length=30)
    item: str | None = Field(default=None, sa_type=Text)
    tag: str | None = Field(default=None, max_length=40)
    source: str | None = Field(default=None, max_length=300)  # whom it is about (an agency)
    assignment_ids: str | None = Field(default=None, max_length=500)  # "12,15": remembered
    purpose: str = Field(default="notice", max_length=20)
    created_at: datetime = _now_field()
    due_at: datetime = _now_field()
    attempts: int = 0
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=100)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    failed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str | None = Field(default=None, sa_type=Text)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
