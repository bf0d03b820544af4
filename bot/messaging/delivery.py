"""Sending to chats other than the one being answered (the office, agency groups): through
the outbox (bot/services/outbox.py, sent by bot/messaging/outbox.py), never awaited by the
update that caused it, never lost when Telegram has a bad hour.

Build a message with `to_office` / `to_agency` / `to_chat` (a presenter's text and keyboard)
and write it with `services.outbox.along(cause, then)` in the same transaction as its cause,
or `post` after it. `Forbidden` or "chat not found" ends that chat's bindings and tells the
office (`chat_gone`). The reminders and the weekly summary go through the outbox too, each
written in the transaction of its claim (bot/messaging/sweep.py, weekly.py). None of these
is an answer to the update in hand (bot/messaging/answers.py retries those), even when the
chat is the same.

`hand_over` is where an answer that could not be delivered goes: into the outbox, which sends
it when Telegram answers again.
"""

from __future__ import annotations

import asyncio
import contextvars
import html
import json
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, TelegramObject
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.messaging.answers import UndeliveredAnswer
from bot.messaging.outbox_presenter import outgoing
from bot.messaging.texts import Texts, texts_for
from bot.services import Services
from bot.services.conversation import ChatTarget
from bot.services.outbox import Outgoing

log = logging.getLogger(__name__)
_TAGS = re.compile(r"<[^>]+>")
_HANDED: set[asyncio.Task[Any]] = set()  # hand-overs being written (kept from the collector)


def is_gone(error: TelegramError) -> bool:
    """The chat will never accept a message again until someone re-binds it."""
    return isinstance(error, Forbidden) or (
        isinstance(error, BadRequest) and "chat not found" in str(error).lower()
    )


def to_office(
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    assignment_ids: Sequence[int] = (),
    except_chat: int | None = None,
    **coalescing: Any,
) -> Outgoing:
    """A message to every office chat (or, with none bound, the admins' private chats);
    `coalescing`: family, item, tag, source (bot/services/outbox.py)."""
    return outgoing(
        text, markup, to_office=True, except_chat=except_chat,
        assignment_ids=tuple(assignment_ids), purpose="office", **coalescing,
    )  # fmt: skip


def to_agency(
    agency_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    assignment_ids: Sequence[int] = (),
    purpose: str = "notice",
    **coalescing: Any,
) -> Outgoing:
    """A message to every chat of an agency (or, with none bound, its focal points)."""
    return outgoing(
        text, markup, agency_id=agency_id, assignment_ids=tuple(assignment_ids),
        purpose=purpose, **coalescing,
    )  # fmt: skip


def to_chat(
    target: ChatTarget,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    assignment_ids: Sequence[int] = (),
    purpose: str = "notice",
) -> Outgoing:
    return outgoing(
        text, markup, chat=(target.chat_id, target.thread_id),
        assignment_ids=tuple(assignment_ids), purpose=purpose,
    )  # fmt: skip


async def deliver(
    bot: Bot,
    services: Services,
    target: ChatTarget,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    assignment_ids: list[int] | None = None,
    purpose: str = "notice",
) -> None:
    """Post one message to one chat, after its cause committed (prefer `along` with
    `to_chat`). `bot` is not used: the outbox's sender sends."""
    del bot
    await services.outbox.post(
        to_chat(target, text, reply_markup, assignment_ids=assignment_ids or (), purpose=purpose)
    )


async def deliver_to_office(
    bot: Bot,
    services: Services,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    assignment_ids: list[int] | None = None,
    except_chat: int | None = None,
) -> None:
    """Post to the office after the cause committed (prefer `along` with `to_office`)."""
    del bot
    await services.outbox.post(
        to_office(text, reply_markup, assignment_ids=assignment_ids or (), except_chat=except_chat)
    )


async def deliver_to_agency(
    bot: Bot,
    services: Services,
    agency_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    assignment_ids: list[int] | None = None,
    purpose: str = "notice",
) -> None:
    """Post to an agency after the cause committed (prefer `along` with `to_agency`)."""
    del bot
    await services.outbox.post(
        to_agency(
            agency_id, text, reply_markup, assignment_ids=assignment_ids or (), purpose=purpose
        )
    )


async def chat_gone(services: Services, chat_id: int, reason: str) -> None:
    """Deactivate the chat's bindings and tell the office (once per deactivation), in one
    transaction."""

    def notice(names: list[str]) -> list[Outgoing]:
        if not names:
            return []
        log.warning("chat %s is gone (%s): bindings of %s deactivated", chat_id, reason, names)
        t = texts_for(None, services.ctx.settings.language)
        text = t.t("bind.deactivated_notice", agencies=", ".join(names))
        return [to_office(text, except_chat=chat_id)]

    await services.outbox.along(
        services.bindings.deactivate_chat(chat_id=chat_id, reason=reason[:300]), notice
    )


async def chat_moved(
    bot: Bot, services: Services, old_chat_id: int, new_chat_id: int, title: str | None = None
) -> None:
    """A group Telegram turned into a supergroup (a new chat id), known from its service
    message or from a send's ChatMigrated error: its bindings, message links, open questions
    and what waits for it in the outbox move to the new id, and the office is told (once: a
    second signal finds nothing left to move). `bot` is not used: the outbox sends."""
    del bot
    moved = await services.bindings.migrate_chat(
        old_chat_id=old_chat_id, new_chat_id=new_chat_id, title=title
    )
    await services.outbox.move_chat(old_chat_id=old_chat_id, new_chat_id=new_chat_id)
    if moved is None:
        return
    log.info("chat %s migrated to %s: bindings moved", old_chat_id, new_chat_id)
    t = texts_for(None, services.ctx.settings.language)
    names = list(moved.agencies)
    if moved.office:
        names.insert(0, t.t("bind.office_label"))
    text = t.t(
        "bind.migrated_notice", chat=html.escape(moved.title or str(new_chat_id)),
        agencies=html.escape(", ".join(names)),
    )  # fmt: skip
    await services.outbox.post(to_office(text))


def hand_over_to(services: Services) -> Callable[[UndeliveredAnswer], None]:
    """Where an answer to a person that Telegram would not take, after its retries
    (bot/messaging/answers.py), goes: a message is written to the outbox, which sends it when
    Telegram answers again (never an apology instead); an edit or a button's answer, whose
    moment has passed, is logged. Each is logged once, with the update, the chat and what it
    said (the token is in none of them, and logging redacts it anyway). A file is not kept:
    a note in its place says it was not sent and to ask again."""

    def hand_over(answer: UndeliveredAnswer) -> None:
        log.warning(
            "answer to update %s not delivered, handed over: %s to chat %s %r (%s%s)",
            answer.update_id,
            answer.method,
            answer.chat_id,
            answer.summary(),
            answer.error,
            "; it may have arrived" if answer.may_have_arrived else "",
        )
        t = texts_for(None, services.ctx.settings.language)
        message = _as_outgoing(answer) or _file_note(t, answer)
        if message is not None:
            # In a context of its own: not the update's (its claim in the ledger of applied
            # updates, its unit of work): keeping an answer is no effect of the update.
            task = asyncio.get_running_loop().create_task(
                _keep(services, message, answer), context=contextvars.Context()
            )
            _HANDED.add(task)
            task.add_done_callback(_HANDED.discard)

    return hand_over


def _as_outgoing(answer: UndeliveredAnswer) -> Outgoing | None:
    data = answer.data
    if answer.method != "sendMessage" or not data.get("text"):
        return None
    try:
        chat_id = int(str(answer.chat_id))
    except ValueError:
        return None
    markup: Any = data.get("reply_markup")
    if isinstance(markup, TelegramObject):
        markup = markup.to_dict()
    elif isinstance(markup, str):
        markup = json.loads(markup)
    thread = data.get("message_thread_id") or 0
    return Outgoing(
        text=str(data["text"]),
        chat=(chat_id, int(thread)),
        # Buttons, or a question's forced reply (the answer must reach the bot in a group).
        markup=markup if isinstance(markup, dict) and _kept(markup) else None,
        assignment_ids=answer.assignment_ids,
        purpose=answer.purpose,
    )


def _kept(markup: dict[str, Any]) -> bool:
    return "inline_keyboard" in markup or bool(markup.get("force_reply"))


FILE_METHODS = {"sendDocument": "document", "sendPhoto": "photo"}


def _file_note(t: Texts, answer: UndeliveredAnswer) -> Outgoing | None:
    """A file is not kept (the outbox holds text): a note in its place, naming it and saying
    to ask again, so the person does not wait for what will not come."""
    field = FILE_METHODS.get(answer.method)
    if field is None or answer.chat_id is None:
        return None
    name = getattr(answer.data.get(field), "filename", None) or answer.method
    caption = html.escape(_TAGS.sub("", str(answer.data.get("caption") or "")))
    caption = f" ({caption})" if caption else ""
    thread = answer.data.get("message_thread_id") or 0
    return Outgoing(
        text=t.t("answer.file_not_sent", file=html.escape(str(name)), caption=caption),
        chat=(int(str(answer.chat_id)), int(thread)),
        purpose="answer",
    )


async def _keep(services: Services, message: Outgoing, answer: UndeliveredAnswer) -> None:
    try:
        await services.outbox.post(message)
    except Exception:
        log.exception("answer to update %s could not be kept in the outbox", answer.update_id)


async def pending_hand_overs() -> None:
    """Wait for the hand-overs being written (tests, shutdown)."""
    if _HANDED:
        await asyncio.gather(*list(_HANDED), return_exceptions=True)
