"""What the emulator keeps: chats, files, the record of every call, and Telegram's size limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.sandbox.emulator.wire import JSONDict

# Telegram's limits, enforced with Telegram's answers.
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
MAX_UPLOAD_SIZE = 50 * 1024 * 1024
MAX_INLINE_BUTTONS = 100


@dataclass
class CallRecord:
    """Every Bot API call, for counting and debugging."""

    method: str
    params: JSONDict
    files: dict[str, str]
    at: datetime
    status: int = 0
    description: str | None = None
    # Real time (time.monotonic) of the call's arrival: how long a client really waited,
    # whatever the emulator's clock says (see Inspection.retry_waits).
    arrived: float = 0.0
    # The request's body as it came over HTTP (empty for a call made in-process): what a
    # client library put on the wire, byte for byte (tests/handlers/test_answer_bot.py).
    body: bytes = b""


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
    """Inline buttons of a message (or record), flattened: (text, callback_data, url or the
    Mini App's URL of a web_app button)."""
    if message is None:
        return []
    markup = (
        message.reply_markup if isinstance(message, SentRecord) else message.get("reply_markup")
    )
    rows = (markup or {}).get("inline_keyboard") or []
    return [
        (
            button.get("text", ""),
            button.get(
                "callback_data", button.get("url", (button.get("web_app") or {}).get("url"))
            ),
        )
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
