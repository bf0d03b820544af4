"""Answers to questions the bot asked, by action name: each feature registers its own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

PendingAnswer = Callable[[Update, Any, str], Awaitable[None]]

PENDING_ACTIONS: dict[str, PendingAnswer] = {}
