"""A message sent to the bot that may answer it: a question it asked, or one of its messages.

This is the path of every focal point's reply to a reminder, the commonest update the bot
gets. It runs in one unit of work, which the conversation's and the progress report's use cases
join: who is writing, where, and their open question (one statement), the replied message's
tasks, and the report itself. Four transactions did the same before, and each costs more than
its statements (bench/README.md, finding C). The handler then only answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.progress import (
    ProgressError,
    ProgressReport,
    parse_reply,
    pick_linked,
    unmatched_line,
)
from bot.services.access import Identity, Who, who_of
from bot.services.context import ServiceContext
from bot.services.conversation import ConversationService, Pending
from bot.services.progress import ProgressService, Recorded, Refusal, Source
from bot.services.repeats import Repeat
from storage.repositories import people


@dataclass(frozen=True, slots=True)
class AnswersQuestion:
    """The message answers a question the bot asked this person here (now consumed)."""

    pending: Pending


@dataclass(frozen=True, slots=True)
class NotAboutTasks:
    """Neither an answer nor a reply to a bot message about tasks."""


@dataclass(frozen=True, slots=True)
class WhichTask:
    """A reply to a digest that does not say which line: the bot asks, keeping the text."""

    who: Who
    linked: tuple[int, ...]
    text: str
    unmatched_line: int | None = None  # "7 đạt 30%" to five lines: 7


@dataclass(frozen=True, slots=True)
class Unreadable:
    """The reply names a task but cannot be read as progress (empty, a wrong percent...)."""

    who: Who
    error: ProgressError


@dataclass(frozen=True, slots=True)
class Reported:
    """The report was stored (`result` is Recorded), refused (with the reason), or found to
    repeat the person's own report (`Repeat`: nothing stored)."""

    who: Who
    assignment_id: int
    report: ProgressReport
    result: Recorded | Refusal | Repeat


ReplyOutcome = AnswersQuestion | NotAboutTasks | WhichTask | Unreadable | Reported

# Questions answered with a button, never with text: "which task?" after a digest reply that
# named none. A message sent meanwhile is read on its own (a numbered reply to the digest is
# a report), and the question is dropped: its buttons then say they have expired.
ANSWERED_BY_BUTTONS = frozenset({"pick"})


class ReplyService:
    def __init__(
        self, ctx: ServiceContext, conversation: ConversationService, progress: ProgressService
    ) -> None:
        self._ctx = ctx
        self._conversation = conversation
        self._progress = progress

    async def take(
        self,
        identity: Identity,
        *,
        replied_message_id: int | None,
        text: str,
        evidence: tuple[str, ...],
        source: Source,
    ) -> ReplyOutcome:
        """Answer what the message means, storing the report it carries, in one transaction.

        `replied_message_id` is the bot's message it replies to (None for anything else)."""
        async with self._ctx.uow() as uow:
            found, question = await people.who_where_and_question(
                uow,
                telegram_user_id=identity.user_id,
                chat_id=identity.chat_id,
                thread_id=identity.thread_id,
            )
            # The use cases below join this unit of work: one transaction in all.
            pending = await self._conversation.consume(question)
            if pending is not None and pending.action not in ANSWERED_BY_BUTTONS:
                return AnswersQuestion(pending)
            if replied_message_id is None:
                return NotAboutTasks()
            linked = await self._conversation.linked(
                chat_id=identity.chat_id, message_id=replied_message_id
            )
            if not linked:
                return NotAboutTasks()
            who = who_of(self._ctx.settings, identity, found)
            assignment_id, picked_text = pick_linked(linked, text)
            if assignment_id is None:
                return WhichTask(who, tuple(linked), text, unmatched_line(linked, text))
            text = picked_text
            report = parse_reply(text, has_evidence=bool(evidence))
            if isinstance(report, ProgressError):
                return Unreadable(who, report)
            result = await self._progress.report(
                who, assignment_id, report, source, evidence=evidence
            )
            return Reported(who, assignment_id, report, result)
