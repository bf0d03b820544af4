"""`BotApiEmulator`: state, the HTTP entry point, dispatch with faults and flood limits.

Each area of the Bot API is a mixin in its own module (commands, updates, chats, messages,
callbacks, files), and so is the user side (people, user_messages) and what tests read
(inspection); this module holds what they share: the state, the lock, the lookups, and
the path of every call (token check, body parsing, injected fault, flood limit, method,
record).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from bot.sandbox.emulator.callbacks import CallbackMethods
from bot.sandbox.emulator.chats import ChatMethods
from bot.sandbox.emulator.commands import CommandMethods
from bot.sandbox.emulator.faults import SEND_METHODS, Fault, FaultKind, FaultPlan, FloodLimits
from bot.sandbox.emulator.files import FileMethods
from bot.sandbox.emulator.inspection import Inspection
from bot.sandbox.emulator.messages import MessageMethods
from bot.sandbox.emulator.people import PeopleAndChats
from bot.sandbox.emulator.state import CallRecord, ChatState, FileRecord, SentRecord
from bot.sandbox.emulator.updates import UpdateQueue
from bot.sandbox.emulator.user_messages import UserMessages
from bot.sandbox.emulator.wire import (
    NOT_FOUND,
    UNAUTHORIZED,
    ApiError,
    HttpReply,
    JSONDict,
    UploadedFile,
    bad_request,
    forbidden,
    parse_body,
    too_many_requests,
)

if TYPE_CHECKING:
    import httpx
    from telegram import Bot
    from telegram.ext import ApplicationBuilder
    from telegram.request import HTTPXRequest

BOT_ID_FALLBACK = 123456


class BotApiEmulator(
    PeopleAndChats,
    UserMessages,
    Inspection,
    UpdateQueue,
    CommandMethods,
    ChatMethods,
    MessageMethods,
    CallbackMethods,
    FileMethods,
):
    """The Bot API as the bot sees it, plus the levers tests use to play users and faults.

    The Bot API methods are the `api_<name>` methods of the mixins, one per area; each takes
    (params, files) and returns the `result`, or raises ApiError. The sync ones run under
    the lock.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "dondoc_bot",
        clock: Callable[[], datetime] | None = None,
        bot_first_name: str = "Dôn Đốc",
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        head = token.split(":", 1)[0]
        self.bot_id = int(head) if head.isdigit() else BOT_ID_FALLBACK
        self.bot_user: JSONDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.clock = clock
        self.privacy_mode = False  # True: groups deliver only commands, replies and mentions
        self.faults = FaultPlan()
        self.limits: FloodLimits | None = None
        self.stats: Counter[str] = Counter()
        self.sent: list[SentRecord] = []
        self.calls: list[CallRecord] = []
        self.callback_answers: list[JSONDict] = []
        self.chat_actions: list[JSONDict] = []
        self.webhook: JSONDict = {"url": ""}
        self.commands: dict[str, list[JSONDict]] = {}
        self.menu_buttons: dict[str, JSONDict] = {}  # chat id (or "default") -> MenuButton
        self.users: dict[int, JSONDict] = {}
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, FileRecord] = {}
        self.updates: list[JSONDict] = []  # every update ever queued, in order
        self._lock = threading.RLock()
        self._pending: deque[JSONDict] = deque()  # queued, not yet confirmed by an offset
        self._allowed_updates: list[str] | None = None
        self._update_ids = itertools.count(10_000)
        self._file_counter = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._callbacks: dict[str, JSONDict] = {}
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._poll_generation = 0
        self._polled = False
        self._fetched_upto: int = 0
        self._inflight = 0
        self._last_activity = time.monotonic()
        self._api = self._handlers()

    # --- time ----------------------------------------------------------------------------

    def now(self) -> datetime:
        if self.clock is None:
            return datetime.now(UTC)
        current = self.clock()
        return current if current.tzinfo else current.replace(tzinfo=UTC)

    def timestamp(self) -> int:
        return int(self.now().timestamp())

    def _monotonic(self) -> float:
        return self.clock().timestamp() if self.clock is not None else time.monotonic()

    # --- configuration -------------------------------------------------------------------

    def enforce_limits(
        self,
        per_bot_per_second: int = 30,
        per_chat_per_minute: int = 20,
        private_per_second: int = 1,
    ) -> None:
        """Answer 429 like Telegram once a flood limit is passed (counted in stats)."""
        self.limits = FloodLimits(
            self._monotonic,
            per_bot_per_second=per_bot_per_second,
            per_chat_per_minute=per_chat_per_minute,
            private_per_second=private_per_second,
        )

    def disable_limits(self) -> None:
        self.limits = None

    def block_chat(self, chat_id: int) -> None:
        """The user blocked the bot / the group kicked it: sends now answer 403."""
        with self._lock:
            self._chat(chat_id).blocked = True

    def unblock_chat(self, chat_id: int) -> None:
        with self._lock:
            self._chat(chat_id).blocked = False

    def reset_records(self) -> None:
        """Forget what was recorded (not the state): handy between phases of a test."""
        with self._lock:
            self.sent.clear()
            self.calls.clear()
            self.callback_answers.clear()
            self.chat_actions.clear()
            self.stats.clear()

    # --- PTB wiring (thin wrappers; the work is in transport.py) ------------------------

    base_url = "http://emulator/bot"
    base_file_url = "http://emulator/file/bot"

    def transport(self) -> httpx.AsyncBaseTransport:
        from bot.sandbox.transport import EmulatorTransport

        return EmulatorTransport(self)

    def make_request(self, **kwargs: Any) -> HTTPXRequest:
        from bot.sandbox.transport import make_request

        return make_request(self, **kwargs)

    def make_get_updates_request(self, **kwargs: Any) -> HTTPXRequest:
        from bot.sandbox.transport import make_get_updates_request

        return make_get_updates_request(self, **kwargs)

    def make_bot(self, **kwargs: Any) -> Bot:
        from bot.sandbox.transport import make_bot

        return make_bot(self, **kwargs)

    def application_builder(self) -> ApplicationBuilder:
        from bot.sandbox.transport import application_builder

        return application_builder(self)

    # --- HTTP entry point ----------------------------------------------------------------

    async def handle_http(
        self, http_method: str, target: str, content_type: str = "", body: bytes = b""
    ) -> HttpReply:
        """Answer one HTTP request addressed to the Bot API or its file endpoint."""
        split = urlsplit(target)
        path = unquote(split.path)
        api = re.fullmatch(r"/bot([^/]*)/([A-Za-z0-9_]+)", path)
        if api:
            return await self._handle_api(
                api.group(1), api.group(2), split.query, content_type, body
            )
        download = re.fullmatch(r"/file/bot([^/]*)/(.+)", path)
        if download and http_method.upper() in ("GET", "HEAD"):
            return await self._handle_download(download.group(1), download.group(2))
        return HttpReply.json(404, NOT_FOUND.payload())

    def _token_error(self, token: str) -> ApiError | None:
        if token == self.token:
            return None
        return UNAUTHORIZED if re.fullmatch(r"\d+:[\w-]+", token) else NOT_FOUND

    async def _handle_api(
        self, token: str, method: str, query: str, content_type: str, body: bytes
    ) -> HttpReply:
        error = self._token_error(token)
        if error is not None:
            return HttpReply.json(error.code, error.payload())
        try:
            params, files = parse_body(content_type, body, query)
        except ApiError as exc:
            return HttpReply.json(exc.code, exc.payload())
        return await self.dispatch(method, params, files, body=body)

    # --- dispatch ------------------------------------------------------------------------

    async def call(
        self, method: str, /, files: dict[str, UploadedFile] | None = None, **params: Any
    ) -> Any:
        """Call a Bot API method directly (no HTTP): returns `result` or raises ApiError."""
        reply = await self.dispatch(method, params, files or {})
        payload = json.loads(reply.body) if reply.content_type == "application/json" else None
        if payload and payload.get("ok"):
            return payload["result"]
        if payload:
            raise ApiError(payload["error_code"], payload["description"], payload.get("parameters"))
        raise ApiError(reply.status, reply.body.decode("utf-8", "replace"))

    async def dispatch(
        self, method: str, params: JSONDict, files: Mapping[str, UploadedFile], *, body: bytes = b""
    ) -> HttpReply:
        """Run one API method with faults, flood limits and recording around it."""
        key = method.lower()
        handler = self._api.get(key)
        name = handler.__name__.removeprefix("api_") if handler else method
        record = CallRecord(
            name,
            params,
            {k: f.filename for k, f in files.items()},
            self.now(),
            arrived=time.monotonic(),
            body=body,
        )
        polling = key == "getupdates"
        with self._lock:
            self.calls.append(record)
            self.stats["requests"] += 1
            if not polling:
                self._inflight += 1
                self._last_activity = time.monotonic()
                if self._inflight > self.stats["most_in_flight"]:  # calls on the wire at once
                    self.stats["most_in_flight"] = self._inflight
        try:
            reply = await self._run(handler, key, params, files)
        finally:
            with self._lock:
                if not polling:
                    self._inflight -= 1
                    self._last_activity = time.monotonic()
        record.status = reply.status
        if reply.status != 200:
            with self._lock:
                self.stats["errors"] += 1
            with contextlib.suppress(ValueError):
                record.description = json.loads(reply.body).get("description")
        return reply

    async def _run(
        self,
        handler: Callable[..., Any] | None,
        key: str,
        params: JSONDict,
        files: Mapping[str, UploadedFile],
    ) -> HttpReply:
        if handler is None:
            return HttpReply.json(404, NOT_FOUND.payload())
        fault = self.faults.take(key, params.get("chat_id"))
        if fault is not None:
            self.stats["faults"] += 1
            self.stats[f"fault:{fault.kind}"] += 1
            if fault.kind == FaultKind.SLOW:
                await asyncio.sleep(fault.delay or 0)
            elif not fault.after:
                return self._fault_reply(fault)
        try:
            self._check_flood(key, params)
            if asyncio.iscoroutinefunction(handler):
                result = await handler(params, files)
            else:
                with self._lock:
                    result = handler(params, files)
            reply = HttpReply.json(200, {"ok": True, "result": result})
        except ApiError as exc:
            if exc.code == 429:
                self.stats["rate_limited"] += 1
            reply = HttpReply.json(exc.code, exc.payload())
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            # Malformed parameters (fuzzing, hand-made calls): Telegram answers 400 too.
            self.stats["malformed"] += 1
            error = bad_request(f"invalid parameters ({type(exc).__name__}: {exc})")
            reply = HttpReply.json(400, error.payload())
        if fault is not None and fault.after:
            return self._fault_reply(fault)
        return reply

    def _check_flood(self, key: str, params: JSONDict) -> None:
        if self.limits is None or key not in SEND_METHODS:
            return
        with self._lock:
            state = self._resolve_chat(params.get("chat_id"))
            retry_after = self.limits.check(state.id, state.type)
        if retry_after is not None:
            raise too_many_requests(retry_after)

    def _fault_reply(self, fault: Fault) -> HttpReply:
        if fault.kind == FaultKind.FLOOD:
            self.stats["rate_limited"] += 1
        return fault.reply()

    def _handlers(self) -> dict[str, Callable[..., Any]]:
        return {
            name.removeprefix("api_").lower(): getattr(self, name)
            for name in dir(type(self))
            if name.startswith("api_")
        }

    # --- lookups -------------------------------------------------------------------------

    def _chat(self, chat_id: Any) -> ChatState:
        state = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if state is None:
            raise KeyError(f"unknown chat {chat_id!r}: add_chat() it first")
        return state

    def _resolve_chat(self, chat_id: Any) -> ChatState:
        """Find a chat by id or @username, as the Bot API does."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for state in self.chats.values():
                if state.chat.get("username", "").lower() == chat_id[1:].lower():
                    return state
            raise bad_request("chat not found")
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            chat_id = int(chat_id)
        if isinstance(chat_id, bool) or not isinstance(chat_id, int) or chat_id not in self.chats:
            raise bad_request("chat not found")
        return self.chats[chat_id]

    def _writable_chat(self, chat_id: Any) -> ChatState:
        """A chat the bot may post in, or the 400/403 Telegram gives."""
        if isinstance(chat_id, str) and re.fullmatch(r"\d+", chat_id):
            chat_id = int(chat_id)
        if isinstance(chat_id, int) and chat_id not in self.chats and chat_id in self.users:
            raise forbidden("bot can't initiate conversation with a user")
        state = self._resolve_chat(chat_id)
        if state.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": state.migrated_to},
            )
        kind = "supergroup chat" if state.type == "supergroup" else f"{state.type} chat"
        if state.type == "private" and state.blocked:
            raise forbidden("bot was blocked by the user")
        if state.blocked or state.bot_status in ("kicked", "banned"):
            raise forbidden(f"bot was kicked from the {kind}")
        if state.bot_status == "left":
            raise forbidden(f"bot is not a member of the {kind}")
        return state

    @staticmethod
    def _int(params: JSONDict, name: str, *, required: bool = True) -> int | None:
        value = params.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(
                    f"{name} is empty"
                    if name != "message_id"
                    else "message identifier is not specified"
                )
            return None
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Integer')
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Integer') from None

    def _message(self, state: ChatState, message_id: int | None, missing: str) -> JSONDict:
        message = state.messages.get(message_id or 0)
        if message is None:
            raise bad_request(missing)
        return message

    def _next_message_id(self, state: ChatState) -> int:
        message_id = state.next_message_id
        state.next_message_id += 1
        return message_id
