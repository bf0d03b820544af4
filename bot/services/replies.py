"""A message sent to the bot that may answer it: a question it asked, or one of its messages.

This is the path of every focal point's reply to a reminder, the commonest update the bot
gets, and of a report written in an agency's group without replying to anything. The reader
(bot/domain/replies/) says what it means; bot/services/reply_items.py does what each item says. It runs in one unit of work, which the conversation's and the progress report's use cases
join: who is writing, where, and their open question (one statement), the replied message's
tasks, and the report itself. Four transactions did the same before, and each costs more than
its statements (bench/README.md, finding C). The handler then only answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from unicodedata import normalize

from bot.domain.permissions import Action
from bot.domain.progress import MAX_TEXT_LENGTH, ErrorCode, ProgressError, unmatched_line
from bot.domain.replies import (
    Intent,
    ReplyContext,
    ReplyItem,
    out_of_range_percent,
    read_reply,
    reads_as_report,
    reports_to_bot,
)
from bot.services.access import Identity, Who, who_of
from bot.services.context import ServiceContext
from bot.services.conversation import ConversationService, Pending
from bot.services.progress import ProgressService, Refusal, Source
from bot.services.repeats import window_start
from bot.services.reply_items import ItemOutcome, Withdrawn, apply_item, current_deadline
from storage.repositories import people
from storage.repositories import progress as progress_repo
from storage.repositories import report as report_repo
from storage.repositories import tasks as task_repo
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class AnswersQuestion:
    """The message answers a question the bot asked this person here (now consumed)."""

    pending: Pending


@dataclass(frozen=True, slots=True)
class NotAboutTasks:
    """Neither an answer nor a reply to a bot message about tasks, nor a report."""


@dataclass(frozen=True, slots=True)
class WhichTask:
    """A report that does not say which task: the bot asks, keeping the text. `linked` are the
    digest's lines (`numbered`), or the agency's open tasks for a message replying to nothing."""

    who: Who
    linked: tuple[int, ...]
    text: str
    unmatched_line: int | None = None  # "7 đạt 30%" to five lines: 7
    numbered: bool = True


@dataclass(frozen=True, slots=True)
class Unreadable:
    """The reply names a task but cannot be read at all (empty, too long)."""

    who: Who
    error: ProgressError


@dataclass(frozen=True, slots=True)
class Handled:
    """What each item of the reply did to its task (bot/services/reply_items.py), in the
    order written; all of it in one transaction."""

    who: Who
    outcomes: tuple[ItemOutcome, ...]
    evidence: int = 0


@dataclass(frozen=True, slots=True)
class SeveralItems:
    """A reply to a message about one task that lists numbered items ("1 đạt 50%\n2 xong"):
    they may be other tasks, so nothing is recorded and the bot asks for task codes rather
    than read them as one report (or keep one line and drop the rest)."""

    who: Who
    assignment_id: int
    lines: tuple[int, ...]


Reported = NotAboutTasks | WhichTask | Unreadable | Handled | SeveralItems
ReplyOutcome = AnswersQuestion | Reported

# Questions answered with a button, never with text: "which task?" after a digest reply that
# named none. A message sent meanwhile is read on its own (a numbered reply to the digest is
# a report), and the question is dropped: its buttons then say they have expired.
ANSWERED_BY_BUTTONS = frozenset({"pick"})
ANSWER = "answer"  # a message link's purpose: the bot's answer to a report (handlers/base.py)
LISTED = 99  # read as a digest of this many lines, to find the line numbers a text names
PICKS = 6  # "which task?" for a message replying to nothing: at most this many open tasks


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
        to_person: bool = False,
        to_list: bool = False,
    ) -> ReplyOutcome:
        """Answer what the message means, storing what it reports, in one transaction.

        `replied_message_id` is the bot's message it replies to (None for anything else);
        `to_person` when it replies to someone's message: people talking, left alone;
        `to_list` when it replies to a task list (the caller hints how to report)."""
        known = None
        if replied_message_id is not None and not to_person:
            known = self._conversation.known_links(
                chat_id=identity.chat_id, message_id=replied_message_id
            )
        # A reply to a message about tasks, whose links are known: read before the first
        # statement, which then also reads (and locks) the task it reports on first.
        reading = first = None
        about_tasks = known is not None and known.ids and known.purpose != ANSWER
        if known is not None and about_tasks and _unreadable(text, evidence) is None:
            reading = _read(text, known.ids, self._ctx.today())
            first = reading.first
        async with self._ctx.uow() as uow:
            if first is not None:
                found, question = await report_repo.who_where_question_and_target(
                    uow,
                    telegram_user_id=identity.user_id,
                    chat_id=identity.chat_id,
                    thread_id=identity.thread_id,
                    assignment_id=first,
                    since=window_start(self._ctx.settings, self._ctx.now()),
                )
            else:
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
            who = who_of(self._ctx.settings, identity, found)
            if to_person:
                return NotAboutTasks()
            if replied_message_id is None:
                return await self._standalone(uow, who, text, evidence, source)
            links = known or await self._conversation.links(
                chat_id=identity.chat_id, message_id=replied_message_id
            )
            linked = links.ids
            if not linked:  # the weekly summary, a help text, a list…: about no task
                if "#" in text:  # a report by its code
                    return await self._standalone(uow, who, text, evidence, source, coded=True)
                if to_list:
                    return NotAboutTasks()
                return await self._under_other(uow, who, text, evidence, source)
            if links.purpose == ANSWER:
                return await self._under_answer(uow, who, linked, text, evidence, source)
            return await self._reply(uow, who, linked, text, evidence, source, reading)

    async def take_picked(
        self, who: Who, assignment_id: int, text: str, evidence: tuple[str, ...], source: Source
    ) -> Handled | Unreadable | SeveralItems:
        """A report kept by "which task?", now that its task was picked: read as a reply to
        that task's card."""
        async with self._ctx.uow() as uow:
            outcome = await self._reply(uow, who, (assignment_id,), text, evidence, source)
        assert not isinstance(outcome, WhichTask | NotAboutTasks)
        return outcome

    async def withdraw_extension(self, who: Who, request_id: int) -> Withdrawn | Refusal:
        """✏️ Sửa ngày: take back a request the office has not decided yet, so the right date
        can be sent (a decided one stays as decided)."""
        async with self._ctx.uow() as uow:
            request = await progress_repo.extension_request(uow, request_id=request_id, lock=True)
            if request is None or request.status != "pending":
                return Refusal.NO_PENDING_EXTENSION
            target = await task_repo.report_target(uow, assignment_id=request.assignment_id)
            if target is None or target.cancelled:
                return Refusal.NOT_FOUND
            if not who.may(Action.REPORT, agency_id=target.agency_id).allowed:
                return Refusal.NOT_ALLOWED
            await progress_repo.withdraw_extension(
                uow, request=request, by_user_id=who.actor.user_id, at=self._ctx.now()
            )
            return Withdrawn(
                request.assignment_id, target.agency_name, request.requested_end, request.reason
            )

    async def _reply(
        self,
        uow: UnitOfWork,
        who: Who,
        linked: tuple[int, ...],
        text: str,
        evidence: tuple[str, ...],
        source: Source,
        reading: Reading | None = None,
    ) -> WhichTask | Unreadable | Handled | SeveralItems:
        """A reply to a card or reminder (one task) or a digest (its numbered lines);
        `reading`, its `_read` made already (of a readable text)."""
        if reading is None:
            error = _unreadable(text, evidence)
            if error is not None:
                return Unreadable(who, error)
            reading = _read(text, linked, self._ctx.today())
        if reading.several:
            return SeveralItems(who, linked[0], reading.several)
        digest = len(linked) >= 2
        context, items, targets = reading.context, reading.items, reading.targets
        if all(target is None for target in targets):
            if digest and not evidence and all(i.intent is Intent.ACKNOWLEDGE for i in items):
                # "đã tiếp nhận" to a digest: receipt of all its tasks, as 👍 records it.
                every = [items[0]] * len(linked)
                return await self._apply(uow, who, every, list(linked), text, evidence, source)
            return WhichTask(who, linked, text, unmatched_line(linked, text))
        if not digest and any(item.intent is Intent.EXTENSION for item in items):
            # "thêm 2 tuần" counts from the deadline: read again against it.
            deadline = await current_deadline(uow, linked[0])
            items = read_reply(text, ReplyContext(today=context.today, deadline=deadline))
            targets = [_target(item, linked) for item in items]
        return await self._apply(uow, who, items, targets, text, evidence, source, whole=not digest)

    async def _standalone(
        self,
        uow: UnitOfWork,
        who: Who,
        text: str,
        evidence: tuple[str, ...],
        source: Source,
        *,
        coded: bool = False,
    ) -> NotAboutTasks | WhichTask | Unreadable | Handled | SeveralItems:
        """A message that replies to nothing, from someone who reports for an agency: a report
        when it names a task code or reads as one (bot/domain/replies/standalone.py); chatter
        otherwise, which the bot leaves alone. `coded`: only when it names a task code."""
        scope = who.scope
        if scope.agency_id is not None:
            agency_ids = [scope.agency_id]
        elif scope.is_private:
            agency_ids = sorted(who.actor.agencies)
        else:
            return NotAboutTasks()
        if not text.strip() or len(text) > MAX_TEXT_LENGTH:
            return NotAboutTasks()
        if not any(who.may(Action.REPORT, agency_id=a).allowed for a in agency_ids):
            return NotAboutTasks()
        items = read_reply(text, ReplyContext(today=self._ctx.today()))
        if not coded and not any(item.task for item in items):
            numbered = await self._numbered(uow, who, agency_ids, text, evidence, source)
            if numbered is not None:
                return numbered
        if not reads_as_report(items):
            return NotAboutTasks()
        targets = [int(item.task) if item.task else None for item in items]
        if coded and all(target is None for target in targets):
            return NotAboutTasks()
        if all(target is None for target in targets):
            open_ids = await self._open_tasks(uow, agency_ids)
            if not open_ids:
                return NotAboutTasks()
            if len(open_ids) == 1:
                return await self._reply(uow, who, open_ids, text, evidence, source)
            return WhichTask(who, open_ids[:PICKS], text, numbered=False)
        return await self._apply(uow, who, items, targets, text, evidence, source, whole=True)

    async def _under_answer(
        self,
        uow: UnitOfWork,
        who: Who,
        linked: tuple[int, ...],
        text: str,
        evidence: tuple[str, ...],
        source: Source,
    ) -> Reported:
        """A reply to the bot's answer to a report ("Đã ghi nhận #28 …"): a report on the
        task(s) that answer was about, from someone who reports here ("đã xong rồi", "đạt
        80%", a photo). Under an answer about one task it is that task's, as under its card;
        under one about several, a task code names it, a digest line number is read against
        the agency's last digest, and otherwise the bot asks which of them. "ok", thanks and
        notes stay chatter: the answer was the bot's last word."""
        agency_ids = self._reporting_agencies(who)
        if not agency_ids:
            return NotAboutTasks()
        items = read_reply(text, ReplyContext(today=self._ctx.today()))
        coded = any(item.task for item in items)
        if not (evidence or coded or reports_to_bot(items) or _unreadable(text, evidence)):
            return NotAboutTasks()
        if len(linked) == 1:
            return await self._reply(uow, who, linked, text, evidence, source)
        if coded:
            return await self._standalone(uow, who, text, evidence, source, coded=True)
        numbered = await self._numbered(uow, who, agency_ids, text, evidence, source)
        if numbered is not None:
            return numbered
        return WhichTask(who, linked[:PICKS], text, numbered=False)

    async def _numbered(
        self,
        uow: UnitOfWork,
        who: Who,
        agency_ids: list[int],
        text: str,
        evidence: tuple[str, ...],
        source: Source,
    ) -> Reported | None:
        """A report by digest line numbers that replies to no digest ("3 vướng kinh phí", "1
        đạt 50%"): read against the last digest sent here about the agency's tasks, as if it
        replied to it; a number that digest does not have, or no digest here, asks which
        task (its lines, or the agency's open tasks). None when the text names no line or
        says nothing that would move a task ("3 người đi họp")."""
        today = self._ctx.today()
        listed = read_reply(text, ReplyContext(today=today, digest_lines=LISTED))
        lines = sorted({item.line for item in listed if item.line is not None})
        if not lines or not reports_to_bot(listed):
            return None
        scope = who.scope
        digest: tuple[int, ...] = ()
        if scope.agency_id is not None:
            digest = await self._conversation.last_digest(
                chat_id=scope.chat_id, agency_id=scope.agency_id
            )
        if digest:
            return await self._reply(uow, who, digest, text, evidence, source)
        open_ids = await self._open_tasks(uow, agency_ids)
        if not open_ids:
            return NotAboutTasks()
        return WhichTask(who, open_ids[:PICKS], text, numbered=False)

    async def _under_other(
        self, uow: UnitOfWork, who: Who, text: str, evidence: tuple[str, ...], source: Source
    ) -> Reported:
        """A report with no code under a bot message about no task ("xong" under a help
        text or the weekly summary): which task? The agency's open tasks as buttons, even
        when it has only one (never a guess); nothing is recorded until one is pressed. A
        digest line number is read against the agency's last digest (`_numbered`).
        Chatter ("ok", "cảm ơn") and people who do not report here: NotAboutTasks."""
        agency_ids = self._reporting_agencies(who)
        if not agency_ids or not text.strip() or len(text) > MAX_TEXT_LENGTH:
            return NotAboutTasks()
        if not reports_to_bot(read_reply(text, ReplyContext(today=self._ctx.today()))):
            return NotAboutTasks()
        numbered = await self._numbered(uow, who, agency_ids, text, evidence, source)
        if numbered is not None:
            return numbered
        open_ids = await self._open_tasks(uow, agency_ids)
        if not open_ids:
            return NotAboutTasks()
        return WhichTask(who, open_ids[:PICKS], text, numbered=False)

    def _reporting_agencies(self, who: Who) -> list[int]:
        """The agencies `who` reports for here: the group's, or all theirs in private."""
        scope = who.scope
        if scope.agency_id is not None:
            agency_ids = [scope.agency_id]
        elif scope.is_private:
            agency_ids = sorted(who.actor.agencies)
        else:
            return []
        return [a for a in agency_ids if who.may(Action.REPORT, agency_id=a).allowed]

    async def _open_tasks(self, uow: UnitOfWork, agency_ids: list[int]) -> tuple[int, ...]:
        rows = await task_repo.unfinished_assignments(uow, agency_ids=agency_ids)
        return tuple(  # a completion awaiting the office's word is not asked about
            row[0].id or 0 for row in rows if row[0].status != "awaiting_confirmation"
        )

    async def _apply(
        self,
        uow: UnitOfWork,
        who: Who,
        items: list[ReplyItem],
        targets: list[int | None],
        text: str,
        evidence: tuple[str, ...],
        source: Source,
        *,
        whole: bool = False,
    ) -> Handled:
        """Each item on its own task, in the caller's transaction. A reply about one task
        keeps the whole message in the history (`whole`); otherwise each item its own words."""
        chosen = [(item, target) for item, target in zip(items, targets, strict=True) if target]
        message = normalize("NFC", text).strip()
        outcomes = []
        for item, target in chosen:
            words = message if whole and len(chosen) == 1 else item.text
            outcome = await apply_item(
                uow, self._progress, who, item, target,
                words=words, evidence=evidence, source=source, today=self._ctx.today(),
            )  # fmt: skip
            outcomes.append(outcome)
        return Handled(who, tuple(outcomes), evidence=len(evidence))


@dataclass(frozen=True, slots=True)
class Reading:
    """What a reply about `linked` tasks says (`_read`): its items and the task each is
    about, or `several` numbered lines of a reply about one task."""

    context: ReplyContext
    items: list[ReplyItem]
    targets: list[int | None]
    several: tuple[int, ...] = ()

    @property
    def first(self) -> int | None:
        """The first task it reports on, if any."""
        return next((t for t in self.targets if t is not None), None)


def _read(text: str, linked: tuple[int, ...], today: date) -> Reading:
    digest = len(linked) >= 2
    context = ReplyContext(
        today=today,
        digest_lines=len(linked) if digest else 0,
        codes=tuple(str(a) for a in linked),
    )
    if not digest:
        lines = _numbered_lines(text, context)
        if lines:
            return Reading(context, [], [], lines)
    items = read_reply(text, context) or [ReplyItem(Intent.NOTE)]  # a file alone
    return Reading(context, items, [_target(item, linked) for item in items])


def _target(item: ReplyItem, linked: tuple[int, ...]) -> int | None:
    """The assignment an item is about: its task code, its digest line, or the one task."""
    if item.task is not None:
        return int(item.task)
    if item.line is not None:
        return linked[item.line - 1] if 1 <= item.line <= len(linked) else None
    return linked[0] if len(linked) == 1 else None


def _numbered_lines(text: str, context: ReplyContext) -> tuple[int, ...]:
    """The numbered items of a reply about one task, read as if it answered a long digest,
    when there are several and some number is beyond 1: () when it reads as one report."""
    as_list = ReplyContext(today=context.today, digest_lines=LISTED)
    lines = sorted({item.line for item in read_reply(text, as_list) if item.line is not None})
    return tuple(lines) if len(lines) >= 2 and lines[-1] > 1 else ()


def _unreadable(text: str, evidence: tuple[str, ...]) -> ProgressError | None:
    if len(text) > MAX_TEXT_LENGTH:
        return ProgressError(ErrorCode.TOO_LONG, f"{len(text)} > {MAX_TEXT_LENGTH}")
    if not text.strip() and not evidence:
        return ProgressError(ErrorCode.EMPTY)
    figure = out_of_range_percent(text)
    if figure is not None:  # "150%": the range, as /capnhat says it, nothing recorded
        return ProgressError(ErrorCode.PERCENT_OUT_OF_RANGE, figure)
    return None
