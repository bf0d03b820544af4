"""The scheduler's few fixed jobs. Thin: each calls what bot.messaging does and logs it.

The database is the source of truth; the JobQueue (APScheduler 3 inside, in the settings'
time zone through `Defaults(tzinfo)`) only holds fixed jobs — never one job per task — so a
restart loses nothing and 100,000 tasks do not mean 100,000 jobs. The work itself (the
reminder sweep, the weekly summary) lives in bot.messaging, which handlers use too: jobs and
handlers never import each other.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.messaging.sweep import run_sweep_now
from bot.messaging.weekly import post_weekly_summary, weekly_due
from bot.services import Services

log = logging.getLogger(__name__)

SWEEP_JOB = "reminder-sweep"
WEEKLY_JOB = "weekly-summary"
SWEEP_FIRST_SECONDS = 5
# A sweep late by up to five minutes still runs, and a backlog of missed runs runs once.
SWEEP_JOB_KWARGS = {"misfire_grace_time": 300, "coalesce": True, "max_instances": 1}


def schedule_jobs(app: Application) -> None:
    """Register the fixed jobs; one each, never one per task."""
    job_queue = app.job_queue
    if job_queue is None:
        return
    settings = _services(app).ctx.settings
    job_queue.run_repeating(
        reminder_sweep_job,
        interval=settings.reminder_sweep_seconds,
        first=SWEEP_FIRST_SECONDS,
        name=SWEEP_JOB,
        job_kwargs=dict(SWEEP_JOB_KWARGS),
    )
    # The weekly summary: one job; its sends are claimed per (chat, week) in dispatch_log.
    job_queue.run_daily(
        weekly_summary_job,
        time=settings.weekly_summary_time,
        days=(ptb_weekday(settings.weekly_summary_weekday),),
        name=WEEKLY_JOB,
        job_kwargs={"misfire_grace_time": 6 * 3600, "coalesce": True, "max_instances": 1},
    )


def ptb_weekday(python_weekday: int) -> int:
    """PTB's run_daily counts 0 = Sunday; Python's date.weekday() counts 0 = Monday."""
    return (python_weekday + 1) % 7


async def reminder_sweep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    report = await run_sweep_now(context.application)
    await weekly_summary_job(context)  # catches up after a restart
    # The ledger of applied updates keeps a week (storage/ledger.py); pruned once an hour.
    pruned = await _services(context.application).ledger.prune()
    if pruned:
        log.info("applied updates: %d claims older than a week forgotten", pruned)
    if report.messages:
        log.info(
            "reminder sweep: %d reminders queued in the outbox as %d messages",
            report.sent,
            report.messages,
        )


async def weekly_summary_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The scheduler's weekly job: thin, the work is in post_weekly_summary. The reminder
    sweep also calls it after the weekly moment, so a restart on Friday evening still posts
    it; the dispatch claims make every call after the first one send nothing."""
    services = _services(context.application)
    if not weekly_due(services):
        return
    count = await post_weekly_summary(services)
    if count:
        log.info("weekly summary: %d messages sent", count)


def _services(app: Application) -> Services:
    services: Any = app.bot_data["services"]
    return services


__all__ = ["SWEEP_JOB", "WEEKLY_JOB", "schedule_jobs"]
