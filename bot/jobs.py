"""The scheduler's few fixed jobs. Thin: each calls a service and sends what it returns."""

from __future__ import annotations

from telegram.ext import Application


def schedule_jobs(app: Application) -> None:
    """No jobs yet: reminders and summaries add theirs here (one job each, never per task)."""
    _ = app
