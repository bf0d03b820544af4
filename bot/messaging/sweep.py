"""The reminder sweep: plan today's reminders, claim them and queue what was won in the
outbox, in one transaction per digest (the outbox's sender delivers them).

The JobQueue runs it every `REMINDER_SWEEP_SECONDS` (bot/jobs.py); /nhacngay, `dondoc remind`
and the sandbox run it now. Each run asks for *today's* reminders (none before
`REMINDER_TIME` or on a day off), claims them in `reminder_log` (UNIQUE per assignment, kind
and day) and writes what it won to the outbox in the claim's transaction. So the sweep can
run any number of times, on any number of instances: a bot down at 08:00 and started at
10:30 queues today's reminders on its first run, once; every later run finds them claimed
and queues nothing. A send that fails is the outbox's to retry (bot/services/outbox.py); a
process that dies before the commit leaves nothing claimed (bot/services/reminders.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from telegram import Bot
from telegram.ext import Application

from bot.domain.reminders import Audience
from bot.messaging.keyboards import form_button
from bot.messaging.nudge import Nudge, claim_nudge, send_alone, settle
from bot.messaging.outbox_presenter import outgoing
from bot.messaging.reminder_presenter import agency_digest, office_digest
from bot.messaging.texts import Texts, texts_for
from bot.services import Services
from bot.services.ledger import UpdateAlreadyApplied
from bot.services.reminders import (
    Delivery,
    PlannedDigest,
    QuietReason,
    chat_key,
)

log = logging.getLogger(__name__)
FANOUT_AT_ONCE = 3  # agencies' digests being claimed and queued at once (database work only)
FANOUT_KEY = "fanout_at_once"  # in bot_data: 1 is the sweep before issue 20 (the bench's baseline)

_LOCK_KEY = "reminder_sweep_lock"
_INSTANCE_KEY = "instance_id"


@dataclass(slots=True)
class SweepReport:
    """What one sweep did: for /nhacngay's answer, the CLI and the logs."""

    due: int = 0  # reminders due today, claimed or not
    claimed: int = 0  # reminders this sweep won
    sent: int = 0  # reminders handed to the outbox (claimed and queued in one transaction)
    messages: int = 0  # messages queued (digest parts × chats): the outbox's sender sends them
    unreachable: list[str] = field(default_factory=list)  # agencies with no chat at all
    quiet: QuietReason | None = None


async def run_sweep_now(
    app: Application, *, asked: bool = False, day: date | None = None
) -> SweepReport:
    """One sweep, now (the job, /nhacngay, `dondoc remind`, the sandbox). Idempotent.

    Sweeps of one process take turns (a lock), so /nhacngay during the job waits rather than
    racing it; other processes are kept apart by the claims.
    """
    lock: asyncio.Lock = app.bot_data.setdefault(_LOCK_KEY, asyncio.Lock())
    async with lock:
        services = _services(app)
        at_once = int(app.bot_data.get(FANOUT_KEY, FANOUT_AT_ONCE))
        return await sweep(
            app.bot, services, instance_id(app), asked=asked, day=day, at_once=at_once
        )


def instance_id(app: Application) -> str:
    """Who claimed a row (host, pid and a random tag): for the operator reading the log."""
    value = app.bot_data.get(_INSTANCE_KEY)
    if value is None:
        value = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"
        app.bot_data[_INSTANCE_KEY] = value
    return value


async def sweep(
    bot: Bot,
    services: Services,
    instance: str,
    *,
    asked: bool = False,
    day: date | None = None,
    at_once: int = FANOUT_AT_ONCE,
) -> SweepReport:
    """`asked`: an admin's /nhacngay, at any hour; `day`: a working day's reminders sent early
    (ReminderService.due)."""
    report = SweepReport()
    digests = await services.reminders.plan(asked=asked, day=day)
    if not digests:
        quiet = await services.reminders.quiet_reason()
        if quiet is not None:
            # Asked for (/nhacngay) before the hour or for a day off's next working day: no
            # reason to give, there was just nothing due.
            early = (asked and quiet is QuietReason.BEFORE_TIME) or day is not None
            report.quiet = None if early else quiet
            return report
    t = texts_for(None, services.ctx.settings.language)
    # The agencies not on board: one line a working day, in the office's digest if one goes
    # out now, else alone (bot/messaging/nudge.py).
    nudge = await claim_nudge(services, t)

    async def send(digest: PlannedDigest, extra: Nudge | None) -> bool:
        report.due += len(digest.items)
        try:
            return await _send_digest(bot, services, instance, t, digest, report, extra)
        except UpdateAlreadyApplied:
            raise  # /nhacngay delivered again: the first delivery sent these
        except Exception:  # one digest's failure (database, a bug) never stops the others
            log.exception("reminder digest for %s failed", digest.agency_name or "the office")
            return False

    # The agencies' digests claimed and queued side by side (FANOUT_AT_ONCE at a time; the
    # outbox's sender starts on the first ones as they commit and paces each chat), then the
    # office's, which may carry the nudge.
    turns = asyncio.Semaphore(at_once)

    async def in_turn(digest: PlannedDigest) -> None:
        async with turns:
            # Let the loop run first: on SQLite (storage/sqlite_inline.py) a digest's unit of
            # work never suspends, so without this the thousand digests ran in one turn of
            # the loop, the sender and every update held for seconds.
            await asyncio.sleep(0)
            await send(digest, None)

    agencies = [d for d in digests if d.audience != Audience.OFFICE]
    await asyncio.gather(*(in_turn(digest) for digest in agencies))
    for digest in digests:
        if digest.audience == Audience.OFFICE and await send(digest, nudge):
            nudge = None  # carried by the office's digest
    if nudge is not None:
        try:
            await send_alone(services, t, nudge)
        except Exception:  # the claim is released after the timeout and tried again
            log.exception("the onboarding line to the office failed")
    return report


async def _send_digest(
    bot: Bot,
    services: Services,
    instance: str,
    t: Texts,
    digest: PlannedDigest,
    report: SweepReport,
    nudge: Nudge | None = None,
) -> bool:
    """Claim the digest's reminders and write what was won to the outbox, one row per part
    and chat, in ONE transaction: claimed and queued, or neither (a crash before the commit
    leaves nothing claimed; the next sweep claims again). The outbox's sender delivers them
    (paced per chat, retried for OUTBOX_RETRY_HOURS, shown to the office if they fail). The
    office's digest carries `nudge` last; True when it did (its claim is settled with it)."""
    reminders = services.reminders
    if digest.audience == Audience.AGENCY:
        assert digest.agency_id is not None
        targets = await services.conversation.agency_chats(digest.agency_id)
    else:
        targets = await services.conversation.office_chats()
    if not targets:
        # Nothing claimed: if the agency binds a chat later today, it still gets today's.
        report.unreachable.append(digest.agency_name or t.t("remind.office_label"))
        return False
    if digest.audience == Audience.AGENCY:
        form = form_button(
            t,
            services.ctx.settings.web_base_url,
            private=False,  # one digest goes to every chat of the agency: a link works in all
            bot_username=bot.username if services.ctx.settings.web_base_url else None,
        )
    purpose = "digest" if digest.audience == Audience.AGENCY else "escalation"
    keys = frozenset(chat_key(target.chat_id, target.thread_id) for target in targets)
    async with services.ctx.uow():
        claims = await reminders.claim(digest.reminders, instance_id=instance)
        if not claims:
            return False
        won = {(c.assignment_id, c.kind) for c in claims}
        digest = replace(
            digest, items=tuple(i for i in digest.items if (i.assignment_id, i.kind) in won)
        )
        if digest.audience == Audience.AGENCY:
            parts = agency_digest(t, digest, form=form)
        else:
            leaders_after = services.ctx.settings.escalate_leaders_after
            extra = nudge.line if nudge is not None else ""
            parts = office_digest(t, digest, leaders_after=leaders_after, extra=extra)
        written = await services.outbox.post(
            *(
                outgoing(
                    part.text,
                    part.markup,
                    chat=(target.chat_id, target.thread_id),
                    assignment_ids=tuple(part.assignment_ids),
                    purpose=purpose,
                    source=digest.agency_name or None,
                )
                for part in parts
                for target in targets
            )
        )
        # Handed to the outbox: `sent_at` is when (bot/services/reminders.py).
        sent = await reminders.record_outcome(claims, Delivery(keys, keys, None, None))
        if nudge is not None:
            await settle(services, nudge, delivered=True)
    report.claimed += len(claims)
    report.messages += written
    report.sent += sent
    return nudge is not None


def _services(app: Application) -> Services:
    services: Any = app.bot_data["services"]
    return services


__all__ = ["SweepReport", "run_sweep_now", "sweep"]
