"""An in-memory Telegram Bot API server for tests, the terminal sandbox and benchmarks.

The emulator answers Bot API calls the way Telegram does (same JSON envelopes, same error
texts, same HTTP status codes), so python-telegram-bot's own error handling runs unchanged.
Two adapters put it on the wire: an in-process httpx transport (transport.py) and a loopback
HTTP/1.1 server (http_server.py). Both hand raw requests to `BotApiEmulator.handle_http`.

State changes happen synchronously under one lock, so a call is atomic with respect to other
calls; only long polling and injected delays await. That keeps the emulator safe to drive from
tests, from the polling bot and (for the terminal sandbox) from another thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import itertools
import json
import re
import struct
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.sandbox.emulator.people import UserDriver

if TYPE_CHECKING:
    import httpx
    from telegram import Bot
    from telegram.ext import ApplicationBuilder
    from telegram.request import HTTPXRequest

JSONDict = dict[str, Any]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
MAX_UPLOAD_SIZE = 50 * 1024 * 1024
MAX_INLINE_BUTTONS = 100
BOT_ID_FALLBACK = 123456

# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


class ApiError(Exception):
    """A Bot API error answer: becomes `{"ok": false, "error_code": ..., ...}` on the wire."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(message: str) -> ApiError:
    return ApiError(400, f"Bad Request: {message}")


def forbidden(message: str) -> ApiError:
    return ApiError(403, f"Forbidden: {message}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


NOT_FOUND = ApiError(404, "Not Found")
UNAUTHORIZED = ApiError(401, "Unauthorized")


class EntityParseError(ValueError):
    """Raised by the text parsers with Telegram's wording (without the "can't parse" prefix)."""


# ---------------------------------------------------------------------------------------------
# Text and entities (Telegram counts entity offsets in UTF-16 code units)
# ---------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class ParsedText:
    """Text as a phone shows it, plus the MessageEntity dicts Telegram would return."""

    text: str
    entities: list[JSONDict] = field(default_factory=list)


_HTML_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_TAG_NAME_RE = re.compile(r"[A-Za-z0-9-]*")
_ATTR_NAME_RE = re.compile(r"[A-Za-z0-9_-]+")


@dataclass
class _OpenTag:
    name: str
    start: int
    attrs: dict[str, str]
    entity: JSONDict | None


class _HtmlParser:
    """A strict parser in the spirit of tdlib's parse_html: what Telegram rejects, we reject."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.length16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[JSONDict] = []

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode())

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.length16 += utf16_len(chunk)

    def parse(self) -> ParsedText:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "&":
                self._entity()
            elif char == "<":
                self._tag()
            else:
                end = len(src)
                for stop in ("<", "&"):
                    found = src.find(stop, self.pos)
                    if found != -1:
                        end = min(end, found)
                self.emit(src[self.pos : end])
                self.pos = end
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def _entity(self) -> None:
        match = _HTML_ENTITY_RE.match(self.src, self.pos)
        if match is None:
            self.emit("&")
            self.pos += 1
            return
        self.emit(html.unescape(match.group(0)))
        self.pos = match.end()

    def _tag(self) -> None:
        offset = self.byte_offset(self.pos)
        if self.src.startswith("</", self.pos):
            self._end_tag(offset)
        else:
            self._start_tag(offset)

    def _end_tag(self, offset: int) -> None:
        match = _TAG_NAME_RE.match(self.src, self.pos + 2)
        assert match is not None
        name = match.group(0).lower()
        end = self.src.find(">", match.end())
        if end == -1 or self.src[match.end() : end].strip():
            raise EntityParseError(f"Can't find end of end tag at byte offset {offset}")
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
        top = self.stack.pop()
        if top.name != name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        self.pos = end + 1
        if top.entity is not None:
            length = self.length16 - top.start
            if length > 0:
                self.entities.append({**top.entity, "offset": top.start, "length": length})

    def _start_tag(self, offset: int) -> None:
        match = _TAG_NAME_RE.match(self.src, self.pos + 1)
        assert match is not None
        name = match.group(0).lower()
        if name not in _HTML_TAG_ENTITY:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
        self.pos = match.end()
        attrs = self._attributes(name, offset)
        entity = self._entity_for(name, attrs, offset)
        self.stack.append(_OpenTag(name, self.length16, attrs, entity))

    def _attributes(self, tag: str, offset: int) -> dict[str, str]:
        src, attrs = self.src, {}
        while True:
            while self.pos < len(src) and src[self.pos].isspace():
                self.pos += 1
            if self.pos >= len(src):
                raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
            if src[self.pos] == ">":
                self.pos += 1
                return attrs
            match = _ATTR_NAME_RE.match(src, self.pos)
            if match is None:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {offset}'
                )
            key = match.group(0).lower()
            self.pos = match.end()
            attrs[key] = self._attribute_value(tag, offset)

    def _attribute_value(self, tag: str, offset: int) -> str:
        src = self.src
        if self.pos >= len(src) or src[self.pos] != "=":
            return ""
        self.pos += 1
        if self.pos < len(src) and src[self.pos] in "\"'":
            quote = src[self.pos]
            end = src.find(quote, self.pos + 1)
            if end == -1:
                raise EntityParseError(
                    f'Unclosed end of attribute value in the tag "{tag}" at byte offset {offset}'
                )
            raw = src[self.pos + 1 : end]
            self.pos = end + 1
        else:
            start = self.pos
            while self.pos < len(src) and not src[self.pos].isspace() and src[self.pos] != ">":
                self.pos += 1
            raw = src[start : self.pos]
        return _HTML_ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), raw)

    def _entity_for(self, name: str, attrs: dict[str, str], offset: int) -> JSONDict | None:
        kind = _HTML_TAG_ENTITY[name]
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {offset}'
            )
        if name == "a":
            href = attrs.get("href", "")
            user = re.fullmatch(r"tg://user\?id=(\d+)", href)
            if user:
                return {"type": "text_mention", "user": {"id": int(user.group(1))}}
            return {"type": "text_link", "url": href} if href else None
        if name == "blockquote" and "expandable" in attrs:
            return {"type": "expandable_blockquote"}
        if name == "tg-emoji":
            return {"type": "custom_emoji", "custom_emoji_id": attrs.get("emoji-id", "")}
        if name == "code" and self.stack and self.stack[-1].name == "pre":
            language = attrs.get("class", "")
            parent = self.stack[-1].entity
            if language.startswith("language-") and parent is not None:
                parent["language"] = language.removeprefix("language-")
            return None
        return {"type": kind}


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML; raises EntityParseError with Telegram's message on invalid markup."""
    return _HtmlParser(source).parse()


_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def parse_markdown_v2(source: str) -> ParsedText:
    """A simplified MarkdownV2 parser: enforces escaping and pairing, returns the plain text.

    Covers bold, italic, underline, strikethrough, spoiler, inline code, pre and links, which
    is what bots write; custom emoji and block quotes are accepted as plain text.
    """
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    entities: list[JSONDict] = []
    markers = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough"}
    markers["||"] = "spoiler"
    i, length16 = 0, 0

    def emit(chunk: str) -> None:
        nonlocal length16
        out.append(chunk)
        length16 += utf16_len(chunk)

    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            emit(source[i + 1])
            i += 2
            continue
        if char == "`":
            fence = source.startswith("```", i)
            closing = source.find("```" if fence else "`", i + (3 if fence else 1))
            if closing == -1:
                kind = "Pre" if fence else "Code"
                offset = len(source[:i].encode())
                raise EntityParseError(f"Can't find end of {kind} entity at byte offset {offset}")
            body = source[i + (3 if fence else 1) : closing]
            if fence and "\n" in body:
                body = body.split("\n", 1)[1]
            body = re.sub(r"\\([`\\])", r"\1", body)
            start = length16
            emit(body)
            entities.append(
                {"type": "pre" if fence else "code", "offset": start, "length": utf16_len(body)}
            )
            i = closing + (3 if fence else 1)
            continue
        two = source[i : i + 2]
        marker = two if two in ("__", "||") else char if char in "*_~" else None
        if marker is not None:
            if stack and stack[-1][0] == marker:
                kind, start = markers[marker], stack.pop()[1]
                if length16 > start:
                    entities.append({"type": kind, "offset": start, "length": length16 - start})
            else:
                stack.append((marker, length16))
            i += len(marker)
            continue
        if char == "[":
            stack.append(("[", length16))
            i += 1
            continue
        if char == "]" and stack and stack[-1][0] == "[":
            start = stack.pop()[1]
            match = re.match(r"\]\(((?:[^)\\]|\\.)*)\)", source[i:])
            if match is None:
                raise EntityParseError(
                    "Character ']' is reserved and must be escaped with the preceding '\\'"
                )
            url = re.sub(r"\\(.)", r"\1", match.group(1))
            entities.append(
                {"type": "text_link", "offset": start, "length": length16 - start, "url": url}
            )
            i += match.end()
            continue
        if char in _MDV2_RESERVED:
            raise EntityParseError(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        emit(char)
        i += 1
    if stack:
        names = {"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough"}
        names |= {"||": "Spoiler", "[": "TextUrl"}
        raise EntityParseError(
            f"Can't find end of {names[stack[-1][0]]} entity at byte offset {len(source.encode())}"
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


def parse_legacy_markdown(source: str) -> ParsedText:
    """Legacy Markdown: `*bold*`, `_italic_`, `` `code` ``, `[text](url)`; unpaired markers fail."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", source)
    for marker in ("*", "_", "`"):
        if text.count(marker) % 2:
            offset = len(source[: source.rfind(marker)].encode())
            raise EntityParseError(f"Can't find end of the entity starting at byte offset {offset}")
        text = text.replace(marker, "")
    return ParsedText(text)


def parse_formatted(text: str, parse_mode: str | None) -> ParsedText:
    """Dispatch on parse_mode the way the Bot API does (case-insensitively)."""
    mode = (parse_mode or "").lower()
    if not mode:
        return ParsedText(text)
    parser = {
        "html": parse_html,
        "markdownv2": parse_markdown_v2,
        "markdown": parse_legacy_markdown,
    }
    if mode not in parser:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    try:
        return parser[mode](text)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None


def trim_parsed(parsed: ParsedText) -> ParsedText:
    """Telegram strips leading/trailing whitespace and shifts the entities with it."""
    text = parsed.text
    left = len(text) - len(text.lstrip())
    stripped = text.strip()
    shift, total = utf16_len(text[:left]), utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, entities)


def plain_text(markup: str, parse_mode: str | None = "HTML") -> str:
    """Render formatted text as a phone shows it; lenient, for assertions on any input."""
    try:
        return trim_parsed(parse_formatted(markup, parse_mode)).text
    except ApiError:
        return html.unescape(re.sub(r"<[^>]*>", "", markup)).strip()


# ---------------------------------------------------------------------------------------------
# Wire format: bodies and replies
# ---------------------------------------------------------------------------------------------


@dataclass
class UploadedFile:
    """One file part of a multipart/form-data request."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class HttpReply:
    """What an adapter must do: answer, drop the connection, or let the client time out."""

    status: int
    body: bytes
    content_type: str = "application/json"
    action: Literal["respond", "drop", "timeout"] = "respond"
    delay: float | None = None

    @classmethod
    def json(cls, status: int, payload: Any) -> HttpReply:
        return cls(status, json.dumps(payload, ensure_ascii=False).encode())


# Values PTB sends verbatim (not JSON-encoded); everything else is JSON-decoded when possible.
_STRING_FIELDS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "file_id", "language_code",
        "action", "url", "secret_token", "title", "description", "short_description", "name",
        "emoji", "question", "query", "inline_message_id", "business_connection_id",
        "message_effect_id", "ip_address", "custom_title", "document", "photo", "sticker",
        "audio", "video", "voice", "animation", "video_note", "thumbnail", "certificate",
        "start_parameter", "invite_link", "callback_data",
    }
)  # fmt: skip


def coerce_params(raw: Mapping[str, Any]) -> JSONDict:
    """Turn form fields (JSON-encoded strings, as PTB sends them) into Python values."""
    params: JSONDict = {}
    for key, value in raw.items():
        if isinstance(value, str) and key not in _STRING_FIELDS:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        elif key in _STRING_FIELDS and value is not None and not isinstance(value, str):
            params[key] = value if isinstance(value, dict | list) else str(value)
        else:
            params[key] = value
    return params


def _header_params(header: str) -> dict[str, str]:
    """Parse `form-data; name="x"; filename="y"` as httpx writes it (HTML5 escaping)."""
    found: dict[str, str] = {}
    for match in re.finditer(r';\s*([\w*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))', header):
        value = match.group(2) if match.group(2) is not None else match.group(3).strip()
        value = value.replace("\\\\", "\\").replace('\\"', '"').replace("%22", '"')
        found[match.group(1).lower()] = re.sub(
            r"%([01][0-9A-F])", lambda m: chr(int(m.group(1), 16)), value
        )
    if "filename*" in found and found["filename*"].lower().startswith("utf-8''"):
        found["filename"] = unquote(found["filename*"][7:])
    return found


def parse_multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Split a multipart/form-data body into text fields and file parts, byte-exact."""
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    delimiter = b"--" + boundary.encode()
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, sep, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            raise bad_request("can't parse multipart body")
        content = content.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = _header_params(headers.get("content-disposition", ""))
        name = disposition.get("name", "")
        if "filename" in disposition:
            content_type = headers.get("content-type", "application/octet-stream")
            files[name] = UploadedFile(name, disposition["filename"], content_type, content)
        else:
            fields[name] = content.decode("utf-8", "replace")
    return fields, files


def parse_body(
    content_type: str, body: bytes, query: str = ""
) -> tuple[JSONDict, dict[str, UploadedFile]]:
    """Read parameters from the query string plus a JSON, urlencoded or multipart body."""
    raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    files: dict[str, UploadedFile] = {}
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime == "application/json" and body.strip():
        try:
            decoded = json.loads(body)
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(decoded, dict):
            raise bad_request("can't parse JSON object")
        raw.update(decoded)
    elif mime == "application/x-www-form-urlencoded":
        raw.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    elif mime == "multipart/form-data":
        boundary = _header_params(content_type).get("boundary")
        if not boundary:
            raise bad_request("can't parse multipart body")
        fields, files = parse_multipart(body, boundary)
        raw.update(fields)
    return coerce_params(raw), files


# ---------------------------------------------------------------------------------------------
# Faults and flood limits
# ---------------------------------------------------------------------------------------------


class FaultKind(StrEnum):
    BAD_GATEWAY = "bad_gateway"  # 502 with an HTML body, as nginx gives it
    SERVER_ERROR = "server_error"  # 500 with a JSON body
    TIMEOUT = "timeout"  # the answer never comes in time
    DROP = "drop"  # the connection is closed without an answer
    FLOOD = "flood"  # 429 with retry_after
    FORBIDDEN = "forbidden"  # 403
    SLOW = "slow"  # answer correctly, but after `delay` seconds


@dataclass
class Fault:
    """One armed fault: fires `remaining` times on matching calls."""

    method: str
    kind: FaultKind
    remaining: int = 1
    retry_after: int = 5
    delay: float | None = None
    description: str | None = None
    after: bool = False  # run the call first, then lose the answer (timeout/drop/5xx)
    chat_id: int | str | None = None

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.remaining <= 0:
            return False
        if self.chat_id is not None and str(self.chat_id) != str(chat_id):
            return False
        if self.method == "*":
            return method != "getupdates"
        return self.method == method


class FaultPlan:
    """Faults to inject, per Bot API method ("*" = any but getUpdates, "file" = downloads)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def inject(
        self, method: str, kind: FaultKind | str, *, times: int = 1, **options: Any
    ) -> Fault:
        fault = Fault(method.lower(), FaultKind(kind), times, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def bad_gateway(self, method: str = "*", *, times: int = 1, after: bool = False) -> Fault:
        return self.inject(method, FaultKind.BAD_GATEWAY, times=times, after=after)

    def server_error(self, method: str = "*", *, times: int = 1, after: bool = False) -> Fault:
        return self.inject(method, FaultKind.SERVER_ERROR, times=times, after=after)

    def timeout(
        self, method: str = "*", *, times: int = 1, delay: float | None = None, after: bool = False
    ) -> Fault:
        return self.inject(method, FaultKind.TIMEOUT, times=times, delay=delay, after=after)

    def drop(self, method: str = "*", *, times: int = 1, after: bool = False) -> Fault:
        return self.inject(method, FaultKind.DROP, times=times, after=after)

    def flood(
        self, method: str = "*", *, times: int = 1, retry_after: int = 1, chat_id: Any = None
    ) -> Fault:
        return self.inject(
            method, FaultKind.FLOOD, times=times, retry_after=retry_after, chat_id=chat_id
        )

    def forbidden(
        self,
        method: str = "*",
        *,
        times: int = 1,
        description: str = "Forbidden: bot was blocked by the user",
        chat_id: Any = None,
    ) -> Fault:
        return self.inject(
            method, FaultKind.FORBIDDEN, times=times, description=description, chat_id=chat_id
        )

    def slow(self, method: str = "*", *, delay: float, times: int = 1) -> Fault:
        return self.inject(method, FaultKind.SLOW, times=times, delay=delay)

    def take(self, method: str, chat_id: Any = None) -> Fault | None:
        """Consume one shot of the first fault matching this call."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method.lower(), chat_id):
                    fault.remaining -= 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(max(f.remaining, 0) for f in self._faults)


# Calls that send a new message count against Telegram's flood limits.
SEND_METHODS = frozenset(
    {
        "sendmessage", "senddocument", "sendphoto", "sendsticker", "sendmediagroup",
        "copymessage", "forwardmessage", "sendaudio", "sendvideo", "sendvoice",
        "sendanimation", "sendlocation", "sendpoll", "sendcontact", "senddice",
    }
)  # fmt: skip


class FloodLimits:
    """Sliding windows like Telegram's: per bot per second, per group per minute, per private
    chat per second. A refused call is not counted."""

    def __init__(
        self,
        now: Callable[[], float],
        *,
        per_bot_per_second: int,
        per_chat_per_minute: int,
        private_per_second: int,
    ) -> None:
        self._now = now
        self._rules = {
            "bot": (per_bot_per_second, 1.0),
            "group": (per_chat_per_minute, 60.0),
            "private": (private_per_second, 1.0),
        }
        self._windows: dict[tuple[str, Any], deque[float]] = {}

    def check(self, chat_id: int, chat_type: str) -> int | None:
        """Record a send and return None, or return the retry_after (seconds) to answer."""
        now = self._now()
        keys = [("bot", None), ("private" if chat_type == "private" else "group", chat_id)]
        waits = []
        for key in keys:
            limit, span = self._rules[key[0]]
            window = self._windows.setdefault(key, deque())
            while window and window[0] <= now - span:
                window.popleft()
            if len(window) >= limit:
                waits.append(window[0] + span - now)
        if waits:
            return max(1, int(max(waits) + 0.999))
        for key in keys:
            self._windows[key].append(now)
        return None


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass
class CallRecord:
    """Every Bot API call, for counting and debugging."""

    method: str
    params: JSONDict
    files: dict[str, str]
    at: datetime
    status: int = 0
    description: str | None = None


@dataclass
class SentRecord:
    """A bot call that produced or changed a message, for assertions."""

    method: str
    chat_id: int
    message_id: int | None
    text: str | None  # as the bot sent it (markup included); the caption for media
    plain: str | None  # as a phone shows it
    parse_mode: str | None
    reply_markup: JSONDict | None
    reply_to_message_id: int | None
    message_thread_id: int | None
    timestamp: datetime
    filename: str | None = None
    data: bytes | None = None
    mime_type: str | None = None
    params: JSONDict = field(default_factory=dict)

    @property
    def caption(self) -> str | None:
        return self.text if self.filename is not None else None

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        return buttons({"reply_markup": self.reply_markup})


def buttons(message: Mapping[str, Any] | SentRecord | None) -> list[tuple[str, str | None]]:
    """Inline buttons of a message (or record), flattened: (text, callback_data or url)."""
    if message is None:
        return []
    markup = (
        message.reply_markup if isinstance(message, SentRecord) else message.get("reply_markup")
    )
    rows = (markup or {}).get("inline_keyboard") or []
    return [
        (button.get("text", ""), button.get("callback_data", button.get("url")))
        for row in rows
        for button in row
    ]


@dataclass
class FileRecord:
    file_id: str
    file_unique_id: str
    file_path: str
    filename: str | None
    mime_type: str | None
    data: bytes | None
    url: str | None = None

    @property
    def size(self) -> int:
        return len(self.data or b"")


@dataclass
class ChatState:
    chat: JSONDict
    members: dict[int, str] = field(default_factory=dict)
    messages: dict[int, JSONDict] = field(default_factory=dict)
    topics: dict[int, str] = field(default_factory=dict)
    next_message_id: int = 1
    blocked: bool = False
    bot_status: str = "member"
    pinned: list[int] = field(default_factory=list)
    migrated_to: int | None = None

    @property
    def id(self) -> int:
        return self.chat["id"]

    @property
    def type(self) -> str:
        return self.chat["type"]


def _scope_key(scope: Any, language_code: Any) -> str:
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps(scope, sort_keys=True) + "|" + (language_code or "")


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG/GIF/JPEG/WebP image, or None when it is not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return (512, 512)
    if data.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                index += 1
                continue
            marker = data[index + 1]
            length = struct.unpack(">H", data[index + 2 : index + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return (width, height)
            index += 2 + length
        return (800, 600)
    return None


# ---------------------------------------------------------------------------------------------
# The emulator
# ---------------------------------------------------------------------------------------------


class BotApiEmulator(UserDriver):
    """The Bot API as the bot sees it, plus the levers tests use to play users and faults."""

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
        self._fetched_upto = 0
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

    # --- assertions helpers --------------------------------------------------------------

    plain_text = staticmethod(plain_text)
    buttons = staticmethod(buttons)

    def messages_in(self, chat_id: int, *, include_users: bool = False) -> list[JSONDict]:
        """Current state (after edits, without deleted ones) of the messages in a chat."""
        with self._lock:
            state = self.chats.get(chat_id)
            if state is None:
                return []
            return [
                dict(message)
                for _, message in sorted(state.messages.items())
                if include_users or message.get("from", {}).get("id") == self.bot_id
            ]

    def last_message(self, chat_id: int) -> JSONDict | None:
        messages = self.messages_in(chat_id)
        return messages[-1] if messages else None

    def message(self, chat_id: int, message_id: int) -> JSONDict | None:
        with self._lock:
            state = self.chats.get(chat_id)
            found = state.messages.get(message_id) if state else None
            return dict(found) if found else None

    def sent_to(self, chat_id: int) -> list[SentRecord]:
        with self._lock:
            return [record for record in self.sent if record.chat_id == chat_id]

    def count(self, method: str) -> int:
        """How many times the bot called `method` (case-insensitive)."""
        with self._lock:
            return sum(1 for call in self.calls if call.method.lower() == method.lower())

    def get_commands(
        self, scope: JSONDict | None = None, language_code: str = ""
    ) -> list[JSONDict]:
        with self._lock:
            return list(self.commands.get(_scope_key(scope, language_code), []))

    @property
    def pending_updates(self) -> int:
        with self._lock:
            return sum(1 for update in self._pending if update["update_id"] > self._fetched_upto)

    async def wait_for(
        self,
        predicate: Callable[[], Any],
        timeout: float = 5,  # noqa: ASYNC109 - a test helper's deadline, not an I/O timeout
        *,
        interval: float = 0.005,
    ) -> Any:
        """Poll `predicate` until it returns something truthy; return that value."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout}s")
            await asyncio.sleep(interval)

    async def wait_idle(self, timeout: float = 5, *, quiet: float = 0.05) -> None:  # noqa: ASYNC109
        """Wait until a polling bot has fetched every queued update and gone quiet.

        "Quiet" means no Bot API call (other than getUpdates) in flight and none started or
        finished for `quiet` seconds. Without a poller (tests using process_update) only the
        quiet period is awaited.
        """

        def idle() -> bool:
            with self._lock:
                fetched = not self._polled or self.pending_updates == 0
                calm = self._inflight == 0 and time.monotonic() - self._last_activity >= quiet
                return fetched and calm

        try:
            await self.wait_for(idle, timeout, interval=min(quiet / 5, 0.01))
        except TimeoutError:
            raise TimeoutError(
                f"emulator not idle after {timeout}s: {self.pending_updates} updates unfetched, "
                f"{self._inflight} calls in flight"
            ) from None

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

    async def _handle_download(self, token: str, file_path: str) -> HttpReply:
        error = self._token_error(token)
        if error is not None:
            return HttpReply.json(error.code, error.payload())
        fault = self.faults.take("file")
        if fault is not None and fault.kind != FaultKind.SLOW:
            return self._fault_reply(fault)
        if fault is not None:
            await asyncio.sleep(fault.delay or 0)
        with self._lock:
            record = next((f for f in self.files.values() if f.file_path == file_path), None)
        if record is None or record.data is None:
            return HttpReply.json(404, NOT_FOUND.payload())
        return HttpReply(200, record.data, record.mime_type or "application/octet-stream")

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
        return await self.dispatch(method, params, files)

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
        self, method: str, params: JSONDict, files: Mapping[str, UploadedFile]
    ) -> HttpReply:
        """Run one API method with faults, flood limits and recording around it."""
        key = method.lower()
        handler = self._api.get(key)
        name = handler.__name__.removeprefix("api_") if handler else method
        record = CallRecord(name, params, {k: f.filename for k, f in files.items()}, self.now())
        polling = key == "getupdates"
        with self._lock:
            self.calls.append(record)
            self.stats["requests"] += 1
            if not polling:
                self._inflight += 1
                self._last_activity = time.monotonic()
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
        if fault.kind == FaultKind.BAD_GATEWAY:
            body = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>\r\n"
            return HttpReply(502, body, "text/html")
        if fault.kind == FaultKind.SERVER_ERROR:
            return HttpReply.json(500, ApiError(500, "Internal Server Error").payload())
        if fault.kind == FaultKind.FLOOD:
            self.stats["rate_limited"] += 1
            return HttpReply.json(429, too_many_requests(fault.retry_after).payload())
        if fault.kind == FaultKind.FORBIDDEN:
            description = fault.description or "Forbidden: bot was blocked by the user"
            return HttpReply.json(403, ApiError(403, description).payload())
        action: Literal["drop", "timeout"] = "drop" if fault.kind == FaultKind.DROP else "timeout"
        return HttpReply(0, b"", action=action, delay=fault.delay)

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

    # --- updates queue -------------------------------------------------------------------

    def _enqueue(self, payload: JSONDict) -> JSONDict:
        """Queue an update (assigning its update_id) and wake any long poll."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **payload}
            self.updates.append(update)
            self._pending.append(update)
            self._notify()
        return update

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_resolve, future)

    def take_updates(self) -> list[JSONDict]:
        """Hand over and confirm every pending update (for tests calling process_update)."""
        with self._lock:
            taken = list(self._pending)
            self._pending.clear()
            if taken:
                self._fetched_upto = max(self._fetched_upto, taken[-1]["update_id"])
            return taken

    def _collect_updates(self, offset: int | None, limit: int) -> list[JSONDict]:
        if offset is not None:
            while self._pending and self._pending[0]["update_id"] < offset:
                self._pending.popleft()
        allowed = self._allowed_set()
        result = []
        for update in list(self._pending):
            if _update_type(update) not in allowed:
                self._pending.remove(update)
                continue
            result.append(update)
            if len(result) >= limit:
                break
        if result:
            self._fetched_upto = max(self._fetched_upto, result[-1]["update_id"])
        return result

    def _allowed_set(self) -> set[str]:
        default_off = {"chat_member", "message_reaction", "message_reaction_count"}
        everything = set(_ALL_UPDATE_TYPES)
        if not self._allowed_updates:
            return everything - default_off
        return set(self._allowed_updates)

    # --- API methods: bot and webhook ----------------------------------------------------
    # Each api_<name> takes (params, files) and returns the `result`, or raises ApiError.
    # The sync ones run under the lock.

    def api_getMe(self, params: JSONDict, files: Any) -> JSONDict:
        return dict(self.bot_user)

    def api_logOut(self, params: JSONDict, files: Any) -> bool:
        return True

    def api_close(self, params: JSONDict, files: Any) -> bool:
        return True

    async def api_getUpdates(self, params: JSONDict, files: Any) -> list[JSONDict]:
        offset = self._int(params, "offset", required=False)
        limit = min(max(self._int(params, "limit", required=False) or 100, 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        with self._lock:
            if self.webhook.get("url"):
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if isinstance(params.get("allowed_updates"), list):
                self._allowed_updates = params["allowed_updates"]
            self._polled = True
            self._poll_generation += 1
            generation = self._poll_generation
            self._notify()  # an older long poll is now superseded
        while True:
            future: asyncio.Future[None] = loop.create_future()
            with self._lock:
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                updates = self._collect_updates(offset, limit)
                if updates or loop.time() >= deadline:
                    return updates
                self._waiters.append((loop, future))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(future, deadline - loop.time())

    def api_setWebhook(self, params: JSONDict, files: Any) -> bool:
        url = params.get("url") or ""
        if url and not str(url).startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {
            "url": url,
            "has_custom_certificate": "certificate" in files,
            "max_connections": params.get("max_connections", 40),
            "allowed_updates": params.get("allowed_updates"),
            "secret_token": params.get("secret_token"),
        }
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def api_deleteWebhook(self, params: JSONDict, files: Any) -> bool:
        self.webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def api_getWebhookInfo(self, params: JSONDict, files: Any) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": bool(self.webhook.get("has_custom_certificate")),
            "pending_update_count": len(self._pending),
        }
        if info["url"]:
            info["max_connections"] = self.webhook.get("max_connections", 40)
        if self.webhook.get("allowed_updates"):
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def api_setMyCommands(self, params: JSONDict, files: Any) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise bad_request("command description must be non-empty")
        if len(commands) > 100:
            raise bad_request("too many commands")
        key = _scope_key(params.get("scope"), params.get("language_code"))
        self.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def api_getMyCommands(self, params: JSONDict, files: Any) -> list[JSONDict]:
        return list(
            self.commands.get(_scope_key(params.get("scope"), params.get("language_code")), [])
        )

    def api_deleteMyCommands(self, params: JSONDict, files: Any) -> bool:
        self.commands.pop(_scope_key(params.get("scope"), params.get("language_code")), None)
        return True

    def api_setMyDescription(self, params: JSONDict, files: Any) -> bool:
        return True

    def api_setMyShortDescription(self, params: JSONDict, files: Any) -> bool:
        return True

    def api_setMyName(self, params: JSONDict, files: Any) -> bool:
        return True

    def api_setChatMenuButton(self, params: JSONDict, files: Any) -> bool:
        return True

    def api_getChatMenuButton(self, params: JSONDict, files: Any) -> JSONDict:
        return {"type": "commands"}

    # --- API methods: chats --------------------------------------------------------------

    def api_getChat(self, params: JSONDict, files: Any) -> JSONDict:
        state = self._resolve_chat(params.get("chat_id"))
        if state.blocked and state.type != "private":
            raise forbidden(f"bot was kicked from the {state.type} chat")
        gifts = dict.fromkeys(
            ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription"), False
        )
        gifts["gifts_from_channels"] = False
        return {
            **state.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    def api_getChatMember(self, params: JSONDict, files: Any) -> JSONDict:
        state = self._resolve_chat(params.get("chat_id"))
        user_id = self._int(params, "user_id")
        if user_id == self.bot_id:
            return self._member_dict(self.bot_user, state.bot_status)
        user = self.users.get(user_id or 0)
        if user is None:
            raise bad_request("user not found")
        if state.type == "private":
            status = "member" if user_id == state.id else "left"
        else:
            status = state.members.get(user_id or 0, "left")
        return self._member_dict(user, status)

    def api_getChatAdministrators(self, params: JSONDict, files: Any) -> list[JSONDict]:
        state = self._resolve_chat(params.get("chat_id"))
        if state.type == "private":
            raise bad_request("there are no administrators in the private chat")
        admins = [
            self._member_dict(self.users[uid], status)
            for uid, status in state.members.items()
            if status in ("creator", "administrator") and uid in self.users
        ]
        if state.bot_status == "administrator":
            admins.append(self._member_dict(self.bot_user, "administrator"))
        return admins

    def api_getChatMemberCount(self, params: JSONDict, files: Any) -> int:
        state = self._resolve_chat(params.get("chat_id"))
        if state.type == "private":
            return 2
        active = ("creator", "administrator", "member", "restricted")
        return sum(1 for s in state.members.values() if s in active) + 1

    def api_leaveChat(self, params: JSONDict, files: Any) -> bool:
        state = self._resolve_chat(params.get("chat_id"))
        if state.type == "private":
            raise bad_request("chat member status can't be changed in private chats")
        old = state.bot_status
        state.bot_status = "left"
        self._enqueue(self._my_chat_member(state, self.bot_user, old, "left"))
        return True

    def api_sendChatAction(self, params: JSONDict, files: Any) -> bool:
        state = self._writable_chat(params.get("chat_id"))
        action = params.get("action")
        if not action:
            raise bad_request("action is empty")
        self.chat_actions.append({"chat_id": state.id, "action": action, "at": self.now()})
        return True

    def api_pinChatMessage(self, params: JSONDict, files: Any) -> bool:
        state = self._writable_chat(params.get("chat_id"))
        message_id = self._int(params, "message_id")
        self._message(state, message_id, "message to pin not found")
        state.pinned.append(message_id or 0)
        return True

    def api_unpinChatMessage(self, params: JSONDict, files: Any) -> bool:
        state = self._writable_chat(params.get("chat_id"))
        message_id = self._int(params, "message_id", required=False)
        if message_id is None and state.pinned:
            state.pinned.pop()
        elif message_id in state.pinned:
            state.pinned.remove(message_id)
        return True

    def _member_dict(self, user: JSONDict, status: str) -> JSONDict:
        member: JSONDict = {"status": status, "user": dict(user)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            rights = (
                "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
                "can_manage_video_chats", "can_restrict_members", "can_promote_members",
                "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
                "can_delete_stories",
            )  # fmt: skip
            member |= dict.fromkeys(rights, False) | {"can_manage_chat": True}
            member["can_delete_messages"] = True
        elif status == "restricted":
            rights = (
                "is_member", "can_change_info", "can_invite_users", "can_pin_messages",
                "can_send_messages", "can_send_polls", "can_send_other_messages",
                "can_add_web_page_previews", "can_manage_topics", "can_send_audios",
                "can_send_documents", "can_send_photos", "can_send_videos",
                "can_send_video_notes", "can_send_voice_notes", "can_edit_tag",
            )  # fmt: skip
            member |= dict.fromkeys(rights, False) | {"is_member": True, "until_date": 0}
        elif status == "kicked":
            member["until_date"] = 0
        return member

    # --- API methods: messages -----------------------------------------------------------

    def api_sendMessage(self, params: JSONDict, files: Any) -> JSONDict:
        state = self._writable_chat(params.get("chat_id"))
        raw = params.get("text")
        raw = "" if raw is None else str(raw)
        parsed = self._format(raw, params.get("parse_mode"), params.get("entities"))
        if not parsed.text:
            raise bad_request("message text is empty")
        if len(parsed.text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        fields: JSONDict = {"text": parsed.text}
        if parsed.entities:
            fields["entities"] = parsed.entities
        if isinstance(params.get("link_preview_options"), dict):
            fields["link_preview_options"] = params["link_preview_options"]
        message = self._post_bot_message(state, params, fields)
        self._record("sendMessage", state, message, params, raw)
        return message

    def api_sendDocument(self, params: JSONDict, files: Mapping[str, UploadedFile]) -> JSONDict:
        return self._send_media("sendDocument", "document", params, files)

    def api_sendPhoto(self, params: JSONDict, files: Mapping[str, UploadedFile]) -> JSONDict:
        return self._send_media("sendPhoto", "photo", params, files)

    def api_sendSticker(self, params: JSONDict, files: Mapping[str, UploadedFile]) -> JSONDict:
        return self._send_media("sendSticker", "sticker", params, files)

    def api_copyMessage(self, params: JSONDict, files: Any) -> JSONDict:
        source = self._resolve_chat(params.get("from_chat_id"))
        original = self._message(
            source, self._int(params, "message_id"), "message to copy not found"
        )
        state = self._writable_chat(params.get("chat_id"))
        fields = {k: v for k, v in original.items() if k in _CONTENT_KEYS}
        message = self._post_bot_message(state, params, fields)
        self._record("copyMessage", state, message, params, message.get("text"))
        return {"message_id": message["message_id"]}

    def api_forwardMessage(self, params: JSONDict, files: Any) -> JSONDict:
        source = self._resolve_chat(params.get("from_chat_id"))
        original = self._message(
            source, self._int(params, "message_id"), "message to forward not found"
        )
        state = self._writable_chat(params.get("chat_id"))
        fields = {k: v for k, v in original.items() if k in _CONTENT_KEYS}
        fields["forward_origin"] = {
            "type": "user",
            "sender_user": original.get("from", self.bot_user),
            "date": original["date"],
        }
        message = self._post_bot_message(state, params, fields)
        self._record("forwardMessage", state, message, params, message.get("text"))
        return message

    def api_editMessageText(self, params: JSONDict, files: Any) -> JSONDict:
        state, message = self._editable(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        raw = "" if params.get("text") is None else str(params.get("text"))
        parsed = self._format(raw, params.get("parse_mode"), params.get("entities"))
        if not parsed.text:
            raise bad_request("message text is empty")
        if len(parsed.text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        markup = self._markup(params.get("reply_markup"))
        self._ensure_modified(message, parsed, markup, "text", "entities")
        message["text"] = parsed.text
        self._set_optional(message, "entities", parsed.entities)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = self.timestamp()
        self._record("editMessageText", state, message, params, raw)
        return dict(message)

    def api_editMessageCaption(self, params: JSONDict, files: Any) -> JSONDict:
        state, message = self._editable(params)
        if "text" in message:
            raise bad_request("there is no caption in the message to edit")
        raw = "" if params.get("caption") is None else str(params.get("caption"))
        parsed = self._format(raw, params.get("parse_mode"), params.get("caption_entities"))
        if len(parsed.text) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        markup = self._markup(params.get("reply_markup"))
        self._ensure_modified(message, parsed, markup, "caption", "caption_entities")
        self._set_optional(message, "caption", parsed.text)
        self._set_optional(message, "caption_entities", parsed.entities)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = self.timestamp()
        self._record("editMessageCaption", state, message, params, raw)
        return dict(message)

    def api_editMessageReplyMarkup(self, params: JSONDict, files: Any) -> JSONDict:
        state, message = self._editable(params)
        markup = self._markup(params.get("reply_markup"))
        if (markup or None) == (message.get("reply_markup") or None):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = self.timestamp()
        self._record("editMessageReplyMarkup", state, message, params, None)
        return dict(message)

    def api_deleteMessage(self, params: JSONDict, files: Any) -> bool:
        state = self._writable_chat(params.get("chat_id"))
        message_id = self._int(params, "message_id")
        message = self._message(state, message_id, "message to delete not found")
        self._ensure_deletable(state, message)
        del state.messages[message_id or 0]
        self._record("deleteMessage", state, {"message_id": message_id}, params, None)
        return True

    def api_deleteMessages(self, params: JSONDict, files: Any) -> bool:
        state = self._writable_chat(params.get("chat_id"))
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must be a non-empty list of at most 100 ids")
        for message_id in ids:
            message = state.messages.get(int(message_id))
            if message is not None:
                self._ensure_deletable(state, message)
                del state.messages[int(message_id)]
                self._record("deleteMessage", state, {"message_id": int(message_id)}, params, None)
        return True

    def _ensure_deletable(self, state: ChatState, message: JSONDict) -> None:
        """In groups only an admin bot may delete other people's messages."""
        own = message.get("from", {}).get("id") == self.bot_id
        if state.type != "private" and not own and state.bot_status != "administrator":
            raise bad_request("message can't be deleted")

    def api_answerCallbackQuery(self, params: JSONDict, files: Any) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        query = self._callbacks.get(query_id)
        if query is None or query["answered"]:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        self.callback_answers.append(
            {
                "callback_query_id": query_id,
                "text": text,
                "show_alert": bool(params.get("show_alert")),
                "url": params.get("url"),
                "cache_time": params.get("cache_time"),
                "user_id": query["user_id"],
                "data": query["data"],
            }
        )
        return True

    def api_getFile(self, params: JSONDict, files: Any) -> JSONDict:
        record = self.files.get(str(params.get("file_id") or ""))
        if record is None:
            raise bad_request("invalid file_id")
        if record.size > MAX_DOWNLOAD_SIZE:
            raise bad_request("file is too big")
        return {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "file_size": record.size,
            "file_path": record.file_path,
        }

    # --- message building ----------------------------------------------------------------

    def _format(self, raw: str, parse_mode: Any, entities: Any) -> ParsedText:
        if parse_mode:
            parsed = parse_formatted(raw, str(parse_mode))
        else:
            parsed = ParsedText(raw, list(entities) if isinstance(entities, list) else [])
        for entity in parsed.entities:  # Telegram returns the whole user of a text mention
            if entity.get("type") == "text_mention":
                user_id = entity["user"]["id"]
                entity["user"] = dict(
                    self.users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": ""}
                )
        return trim_parsed(parsed)

    def _markup(self, markup: Any) -> JSONDict | None:
        """Validate reply_markup as Telegram does; return it as stored on the message."""
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            return None  # reply keyboards and force_reply are not part of the message
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
            raise bad_request("reply markup is too long")
        for row in rows:
            for button in row:
                _check_button(button)
        rows = [row for row in rows if row]
        return {"inline_keyboard": rows} if rows else None

    def _reply_target(self, state: ChatState, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        message_id = None
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
        elif params.get("reply_to_message_id") not in (None, ""):
            message_id = self._int(params, "reply_to_message_id")
        if message_id is None:
            return None
        target = state.messages.get(int(message_id))
        if target is None and not allow_missing:
            raise bad_request("message to be replied not found")
        return target

    def _thread(self, state: ChatState, params: JSONDict) -> int | None:
        thread_id = self._int(params, "message_thread_id", required=False)
        if thread_id is None or not state.chat.get("is_forum"):
            return None
        if thread_id in state.topics:
            return thread_id
        if thread_id == 1:  # the General topic: messages there carry no thread id
            return None
        raise bad_request("message thread not found")

    def _post_bot_message(self, state: ChatState, params: JSONDict, fields: JSONDict) -> JSONDict:
        """Store a message from the bot with reply, thread and markup resolved."""
        markup = self._markup(params.get("reply_markup"))
        target = self._reply_target(state, params)
        thread_id = self._thread(state, params)
        if target is not None and thread_id is None and target.get("message_thread_id"):
            thread_id = target["message_thread_id"]
        message = self.new_message(
            state, self.bot_user, fields, reply_to=target, thread_id=thread_id
        )
        if markup:
            message["reply_markup"] = markup
        return dict(message)

    def _send_media(
        self, method: str, kind: str, params: JSONDict, files: Mapping[str, UploadedFile]
    ) -> JSONDict:
        state = self._writable_chat(params.get("chat_id"))
        raw_caption = params.get("caption")
        parsed = self._format(
            str(raw_caption or ""), params.get("parse_mode"), params.get("caption_entities")
        )
        if len(parsed.text) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        record = self._media_file(kind, params.get(kind), files)
        fields: JSONDict = {kind: self.media_object(kind, record)}
        if parsed.text and kind != "sticker":
            fields["caption"] = parsed.text
            if parsed.entities:
                fields["caption_entities"] = parsed.entities
        message = self._post_bot_message(state, params, fields)
        self._record(method, state, message, params, raw_caption, record)
        return message

    def _media_file(self, kind: str, value: Any, files: Mapping[str, UploadedFile]) -> FileRecord:
        """The file behind a media parameter: an upload, an attach://, a file_id or a URL."""
        upload = files.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        if upload is not None:
            if len(upload.data) > MAX_UPLOAD_SIZE:
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo" and image_size(upload.data) is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            if not upload.data:
                raise bad_request("file must be non-empty")
            return self.store_file(kind, upload.data, upload.filename, upload.content_type)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        if isinstance(value, str) and re.match(r"https?://", value):
            name = value.rstrip("/").rsplit("/", 1)[-1] or "file"
            return self.store_file(kind, None, name, None, url=value)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def store_file(
        self,
        kind: str,
        data: bytes | None,
        filename: str | None,
        mime_type: str | None,
        *,
        url: str | None = None,
    ) -> FileRecord:
        """Keep a file so getFile and the download endpoint can serve it."""
        number = next(self._file_counter)
        digest = hashlib.sha1(f"{kind}:{number}:{self.token}".encode()).hexdigest()
        prefix = {
            "document": "BQACAgIAAxkBAA",
            "photo": "AgACAgIAAxkBAA",
            "sticker": "CAACAgIAAxkBAA",
        }
        file_id = prefix.get(kind, "BAACAgIAAxkBAA") + digest[:24]
        ext = ""
        if filename and "." in filename:
            ext = "." + filename.rsplit(".", 1)[1]
        elif kind == "photo":
            ext = ".jpg"
        folder = {"document": "documents", "photo": "photos", "sticker": "stickers"}.get(kind, kind)
        record = FileRecord(
            file_id=file_id,
            file_unique_id="AgAD" + digest[24:36],
            file_path=f"{folder}/file_{number}{ext}",
            filename=filename,
            mime_type=mime_type,
            data=data,
            url=url,
        )
        self.files[file_id] = record
        return record

    def media_object(self, kind: str, record: FileRecord) -> Any:
        """The Document / PhotoSize list / Sticker that a message carries."""
        base = {"file_id": record.file_id, "file_unique_id": record.file_unique_id}
        if record.data is not None:
            base["file_size"] = record.size
        if kind == "photo":
            width, height = image_size(record.data or b"") or (800, 600)
            small = {**base, "width": min(width, 90), "height": min(height, 90)}
            small["file_unique_id"] = record.file_unique_id + "s"
            return [small, {**base, "width": width, "height": height}]
        if kind == "sticker":
            return {
                **base,
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
                "emoji": "👍",
            }
        document = dict(base)
        if record.filename:
            document["file_name"] = record.filename
        if record.mime_type:
            document["mime_type"] = record.mime_type
        return document

    def _editable(self, params: JSONDict) -> tuple[ChatState, JSONDict]:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the emulator")
        state = self._writable_chat(params.get("chat_id"))
        message = self._message(state, self._int(params, "message_id"), "message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise bad_request("message can't be edited")
        return state, message

    @staticmethod
    def _ensure_modified(
        message: JSONDict, parsed: ParsedText, markup: JSONDict | None, text_key: str, ent_key: str
    ) -> None:
        same_text = message.get(text_key, "") == parsed.text
        same_entities = (message.get(ent_key) or []) == parsed.entities
        if same_text and same_entities and (message.get("reply_markup") or None) == markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )

    @staticmethod
    def _set_optional(message: JSONDict, key: str, value: Any) -> None:
        if value:
            message[key] = value
        else:
            message.pop(key, None)

    def _record(
        self,
        method: str,
        state: ChatState,
        message: JSONDict,
        params: JSONDict,
        raw_text: Any,
        file: FileRecord | None = None,
    ) -> None:
        reply = message.get("reply_to_message") or {}
        self.sent.append(
            SentRecord(
                method=method,
                chat_id=state.id,
                message_id=message.get("message_id"),
                text=None if raw_text is None else str(raw_text),
                plain=message.get("text", message.get("caption")),
                parse_mode=params.get("parse_mode"),
                reply_markup=params.get("reply_markup") or message.get("reply_markup"),
                reply_to_message_id=reply.get("message_id"),
                message_thread_id=message.get("message_thread_id"),
                timestamp=self.now(),
                filename=file.filename if file else None,
                data=file.data if file else None,
                mime_type=file.mime_type if file else None,
                params=dict(params),
            )
        )


_CONTENT_KEYS = frozenset(
    {"text", "entities", "caption", "caption_entities", "document", "photo", "sticker"}
)
_ALL_UPDATE_TYPES = (
    "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
    "business_message", "edited_business_message", "deleted_business_messages",
    "message_reaction", "message_reaction_count", "inline_query", "chosen_inline_result",
    "callback_query", "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll",
    "poll_answer", "my_chat_member", "chat_member", "chat_join_request", "chat_boost",
    "removed_chat_boost",
)  # fmt: skip
_BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode()) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif "url" in button:
        if not re.match(r"(https?|tg)://\S+$", str(button["url"])):
            raise bad_request(
                f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL"
            )
    elif not any(action in button for action in _BUTTON_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


def _update_type(update: Mapping[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def iter_entities(text: str, entities: Iterable[JSONDict]) -> list[tuple[str, str]]:
    """(type, covered text) pairs, decoding UTF-16 offsets: handy in assertions."""
    encoded = text.encode("utf-16-le")
    return [
        (e["type"], encoded[e["offset"] * 2 : (e["offset"] + e["length"]) * 2].decode("utf-16-le"))
        for e in entities
    ]
