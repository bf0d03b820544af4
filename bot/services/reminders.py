"""Today's reminders (nhắc việc, đôn đốc), claimed exactly once, and the acknowledgements
they wait for. (An agency's pause of its reminders is its own use case: bot/services/pause.py.)

The pure policy (`bot.domain.reminders`) says what is due *today*; this module loads its
inputs from the database, groups the result into digests and owns the claim protocol, whose
statements are storage/repositories/reminder_log.py's.

Claim protocol (the `reminder_log` table, UNIQUE on `(assignment_id, kind, due_on)`):

1. `plan(now)` lists today's reminders, grouped into digests: one per agency (its chat gets
   one message a day, one numbered line per task) and one for the office (escalations,
   grouped by agency, the leaders' ones first).
2. `claim(reminders)` inserts one row per reminder with ``INSERT ... ON CONFLICT DO
   NOTHING`` in its own transaction, and returns only the rows *this* caller inserted. A
   digest row set is therefore claimed per `(assignment, kind, due_on)`: the digest message
   carries every row of that agency that this caller claimed today, and a second sweep, a
   second instance or a restart finds the rows present and sends nothing.
3. The sweep (bot/messaging/sweep.py) claims a digest and writes its messages to the outbox
   (one row per part and chat) in ONE transaction, then `record_outcome` marks the rows
   handed over: `delivered_to` lists the chats queued and `sent_at` is the moment. The
   outbox's sender delivers them (paced per chat, retried for OUTBOX_RETRY_HOURS, claimed
   once across instances, a final failure shown to the office: bot/services/outbox.py).

So a reminder is queued exactly once: a second sweep, a second instance or a restart finds
its row and queues nothing, and a crash before the commit leaves neither claim nor message
(the next sweep claims it). Its delivery is the outbox's: exactly once except in the window
between a send and its record (a crash there, or a timeout whose request in fact reached
Telegram): at least once, a duplicate, never a loss.

A row whose `sent_at` is still NULL (only from a version that sent before recording, or a
caller that records an error) is *re-claimed* by a later sweep once it is older than
``claim_timeout_seconds × attempts``, with
``UPDATE ... WHERE id = :id AND claimed_at = :old AND sent_at IS NULL`` so that, of two
instances racing for it, exactly one wins; at most `MAX_ATTEMPTS` times, and only for
*today's* keys (yesterday's are never sent late). A retry after a partial delivery goes to
the chats `delivered_to` lacks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from bot.domain.reminders import (
    Audience,
    DueReminder,
    ReminderPolicy,
    group_digests,
    urgency_key,
)
from bot.services.calendar import load_calendar
from bot.services.context import ServiceContext

# An agency's pause is its own use case (bot/services/pause.py); importable from here as before.
from bot.services.pause import PauseResult as PauseResult
from bot.services.pause import PauseService as PauseService

# The plan's pages and its lines (bot/services/reminder_plan.py); importable from here as before.
from bot.services.reminder_plan import ReminderItem as ReminderItem
from bot.services.reminder_plan import deadline_of as deadline_of
from bot.services.reminder_plan import due_items
from bot.services.tasks import effective_deadline, effective_start
from storage.repositories import reminder_log
from storage.repositories import tasks as task_repo
from storage.unit_of_work import UnitOfWork

MAX_ATTEMPTS = 5
ERROR_CHARS = 1000


class QuietReason(StrEnum):
    """Why a sweep sends nothing at all right now."""

    BEFORE_TIME = "before_time"  # before REMINDER_TIME: never at night
    DAY_OFF = "day_off"  # a weekend or a holiday


@dataclass(frozen=True, slots=True)
class PlannedDigest:
    """One message's worth of reminders: an agency's (audience AGENCY) or the office's."""

    audience: Audience
    due_on: date
    items: tuple[ReminderItem, ...]
    agency_id: int | None = None  # None for the office digest
    agency_name: str = ""

    @property
    def reminders(self) -> list[DueReminder]:
        return [item.reminder for item in self.items]


@dataclass(frozen=True, slots=True)
class Claim:
    """A reminder_log row this caller owns until it records the outcome."""

    id: int
    assignment_id: int
    kind: str
    due_on: date
    attempts: int
    delivered_to: frozenset[str] = frozenset()  # chat keys that already have it


def chat_key(chat_id: int, thread_id: int = 0) -> str:
    """How `reminder_log.delivered_to` names a chat (a forum topic is a chat of its own)."""
    return f"{chat_id}:{thread_id}"


def _parse_keys(text: str | None) -> frozenset[str]:
    return frozenset((text or "").split())


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one send of a digest part achieved, for `record_outcome`."""

    audience: frozenset[str]  # every chat it is for now (chats found gone left out)
    reached: frozenset[str]  # chats that got it in this send
    first: tuple[int, int] | None  # (chat, message) of the first copy sent now
    error: str | None  # why the other chats did not get it


@dataclass(frozen=True, slots=True)
class Unacknowledged:
    """An agency that has not confirmed receipt (tiếp nhận) of some of its tasks."""

    agency_id: int
    agency_name: str
    count: int
    oldest_assigned_on: date


@dataclass(frozen=True, slots=True)
class AssignmentBrief:
    """What an announcement line shows about a newly assigned task."""

    assignment_id: int
    agency_id: int
    agency_name: str
    notice_id: int
    notice_number: str
    task_code: str
    text: str
    restricted: bool
    deadline_start: date | None
    deadline_end: date | None


def policy_from(ctx: ServiceContext) -> ReminderPolicy:
    settings = ctx.settings
    return ReminderPolicy(
        before_days=tuple(settings.reminder_before_days),
        overdue_every=settings.reminder_overdue_every,
        escalate_leaders_after=settings.escalate_leaders_after,
        no_deadline_every_days=settings.no_deadline_every_days,
        ack_nudge_after=settings.ack_nudge_after,
    )


class ReminderService:
    """Plans today's reminders and owns their exactly-once claims (no Telegram here)."""

    def __init__(self, ctx: ServiceContext, policy: ReminderPolicy | None = None) -> None:
        self._ctx = ctx
        self.policy = policy or policy_from(ctx)

    # --- planning -----------------------------------------------------------------------

    def local(self, now: datetime | None = None) -> datetime:
        return (now or self._ctx.now()).astimezone(self._ctx.tz)

    async def quiet_reason(self, now: datetime | None = None) -> QuietReason | None:
        """Why nothing at all goes out at `now` (None: reminders may be due)."""
        local = self.local(now)
        if local.time() < self.reminder_time:
            return QuietReason.BEFORE_TIME
        async with self._ctx.uow() as uow:
            calendar = await load_calendar(uow, today=local.date())
        return None if calendar.is_working_day(local.date()) else QuietReason.DAY_OFF

    @property
    def reminder_time(self) -> time:
        return self._ctx.settings.reminder_time

    async def next_working_day(self, now: datetime | None = None) -> date:
        """The first working day after today (for /nhacngay on a day off)."""
        today = self.local(now).date()
        async with self._ctx.uow() as uow:
            calendar = await load_calendar(uow, today=today)
        return calendar.next_working_day(today)

    async def due(
        self, now: datetime | None = None, *, asked: bool = False, day: date | None = None
    ) -> list[ReminderItem]:
        """Every reminder whose send day is today, once local time has reached REMINDER_TIME;
        `asked` (an admin's /nhacngay): at any hour; `day`: that working day's, sent early
        (/nhacngay confirmed on a day off). Claimed under their own day either way, so the
        scheduled sweep of that day does not send them again."""
        local = self.local(now)
        if not asked and local.time() < self.reminder_time:
            return []
        today = day or local.date()
        async with self._ctx.uow() as uow:
            calendar = await load_calendar(uow, today=today)
        if not calendar.is_working_day(today):
            return []
        # In pages that let the loop answer between them (bot/services/reminder_plan.py).
        return await due_items(self._ctx, self.policy, today=today, calendar=calendar)

    async def plan(
        self, now: datetime | None = None, *, asked: bool = False, day: date | None = None
    ) -> list[PlannedDigest]:
        """Today's digests (or `day`'s, see `due`): one per agency with agency-facing
        reminders, then the office's."""
        items = await self.due(now, asked=asked, day=day)
        if not items:
            return []
        today = items[0].reminder.due_on
        by_key = {(i.assignment_id, i.kind): i for i in items}
        digests: list[PlannedDigest] = []
        agency_groups = group_digests((i.reminder for i in items), audience=Audience.AGENCY)
        for agency_id, reminders in sorted(
            agency_groups.items(), key=lambda kv: by_key[_key(kv[1][0])].agency_name
        ):
            lines = tuple(by_key[_key(r)] for r in reminders)
            digests.append(
                PlannedDigest(Audience.AGENCY, today, lines, agency_id, lines[0].agency_name)
            )
        office = sorted(
            (i for i in items if i.reminder.audience != Audience.AGENCY),
            key=lambda i: (
                i.reminder.audience != Audience.LEADERS,
                i.agency_name,
                urgency_key(i.reminder),
            ),
        )
        if office:
            digests.append(PlannedDigest(Audience.OFFICE, today, tuple(office)))
        return digests

    # --- claims ---------------------------------------------------------------------------

    async def claim(self, reminders: Iterable[DueReminder], *, instance_id: str) -> list[Claim]:
        """Claim what nobody else has, in one transaction: new rows, plus stale unsent ones.

        Rows are inserted in key order so that two instances claiming overlapping digests
        meet on the same first row and never deadlock.
        """
        keys = sorted({(r.assignment_id, str(r.kind), r.due_on) for r in reminders})
        if not keys:
            return []
        now = self._ctx.now()
        async with self._ctx.uow() as uow:
            inserted = await reminder_log.insert_claims(
                uow, keys=keys, at=now, claimed_by=instance_id[:100]
            )
            claims = [Claim(cid, aid, kind, due_on, 1) for cid, aid, kind, due_on in inserted]
            taken = {(c.assignment_id, c.kind, c.due_on) for c in claims}
            rest = [k for k in keys if k not in taken]
            if rest:
                claims += await self._reclaim_stale(uow, rest, now, instance_id)
        return sorted(claims, key=lambda c: (c.assignment_id, c.kind))

    async def _reclaim_stale(
        self,
        uow: UnitOfWork,
        keys: Sequence[tuple[int, str, date]],
        now: datetime,
        instance_id: str,
    ) -> list[Claim]:
        timeout = timedelta(seconds=self._ctx.settings.claim_timeout_seconds)
        candidates = await reminder_log.unsent_claims(
            uow, keys=keys, claimed_before=now - timeout, max_attempts=MAX_ATTEMPTS
        )
        claims: list[Claim] = []
        for row in candidates:
            if row.claimed_at >= now - timeout * row.attempts:
                continue  # backing off: claim_timeout × attempts since the last try
            won = await reminder_log.reclaim(
                uow,
                claim_id=row.id or 0,
                seen_claimed_at=row.claimed_at,
                at=now,
                claimed_by=instance_id[:100],
            )
            if won:
                claims.append(
                    Claim(
                        row.id or 0,
                        row.assignment_id,
                        row.kind,
                        row.due_on,
                        row.attempts + 1,
                        _parse_keys(row.delivered_to),
                    )
                )
        return claims

    async def record_outcome(self, claims: Sequence[Claim], delivery: Delivery) -> int:
        """Store which chats now have each row and, for a row every chat has, `sent_at`;
        otherwise the error (the claim is retried after its timeout, to the missing chats).
        At the last attempt a row that some chat has counts as sent. A row already marked
        sent keeps its first send. Returns how many of `claims` are now sent."""
        if not claims:
            return 0
        now = self._ctx.now()
        groups: dict[tuple[str, bool, bool], list[int]] = defaultdict(list)
        for claim in claims:
            have = claim.delivered_to | delivery.reached
            everywhere = bool(delivery.audience) and delivery.audience <= have
            complete = everywhere or (bool(have) and claim.attempts >= MAX_ATTEMPTS)
            groups[(" ".join(sorted(have)), everywhere, complete)].append(claim.id)
        first_chat, first_message = delivery.first or (None, None)
        error = delivery.error[:ERROR_CHARS] if delivery.error else None
        sent = 0
        async with self._ctx.uow() as uow:
            for (have_text, everywhere, complete), ids in groups.items():
                changed = await reminder_log.record_outcome(
                    uow,
                    claim_ids=ids,
                    delivered_to=have_text or None,
                    error=None if everywhere else error,
                    first_chat_id=first_chat,
                    first_message_id=first_message,
                    sent_at=now if complete else None,
                )
                if complete:
                    sent += changed
        return sent

    async def sent_keys(self, day: date) -> set[tuple[int, str]]:
        """(assignment, kind) already sent on `day`: what a dry run would not send again."""
        async with self._ctx.uow() as uow:
            return await reminder_log.sent_keys(uow, day=day)

    # --- acknowledgement (tiếp nhận) -----------------------------------------------------

    async def briefs(self, assignment_ids: Sequence[int]) -> list[AssignmentBrief]:
        """The announcement lines for new assignments, in the order given."""
        if not assignment_ids:
            return []
        async with self._ctx.uow() as uow:
            found = await task_repo.assignment_rows_by_id(uow, assignment_ids=assignment_ids)
        briefs = []
        for assignment_id in assignment_ids:
            row = found.get(assignment_id)
            if row is None:
                continue
            _assignment, task, notice, agency = row
            briefs.append(
                AssignmentBrief(
                    assignment_id=assignment_id,
                    agency_id=agency.id or 0,
                    agency_name=agency.name,
                    notice_id=notice.id or 0,
                    notice_number=notice.number,
                    task_code=task.code,
                    text=task.text,
                    restricted=task.restricted,
                    deadline_start=effective_start(task),
                    deadline_end=effective_deadline(task),
                )
            )
        return briefs

    async def unacknowledged_of(self, *, agency_id: int, notice_id: int) -> list[int]:
        """The agency's assignments of live tasks from a notice that it has not yet
        acknowledged."""
        async with self._ctx.uow() as uow:
            return await task_repo.unacknowledged_of(uow, agency_id=agency_id, notice_id=notice_id)

    async def unacknowledged(self) -> list[Unacknowledged]:
        """Agencies with open tasks neither acknowledged nor reported on, oldest first."""
        tz = self._ctx.tz
        async with self._ctx.uow() as uow:
            rows = await task_repo.never_acknowledged(uow)
        grouped: dict[tuple[int, str], list[date]] = defaultdict(list)
        for agency_id, name, created_at in rows:
            grouped[(agency_id, name)].append(created_at.astimezone(tz).date())
        result = [
            Unacknowledged(agency_id, name, len(days), min(days))
            for (agency_id, name), days in grouped.items()
        ]
        return sorted(result, key=lambda u: (u.oldest_assigned_on, u.agency_name))


# --- helpers -------------------------------------------------------------------------------


def _key(reminder: DueReminder) -> tuple[int, str]:
    return (reminder.assignment_id, str(reminder.kind))
