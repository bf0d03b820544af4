"""Thin python-telegram-bot adapters, one module per feature; `register_all` orders them."""

from __future__ import annotations

from telegram.ext import Application

from handlers import admin, bindings, common, imports, members, progress, reminders, summary, tasks

# Feature modules, in the order their handlers are tried within group 0. Progress goes
# last: it takes any remaining text, photo or document as a possible report.
FEATURES = [bindings, imports, admin, members, tasks, summary, reminders, progress]


def register_all(app: Application) -> None:
    common.register_guards(app)
    common.register_commands(app)
    for feature in FEATURES:
        feature.register(app)
    common.register_fallbacks(app)
