"""An in-memory Telegram Bot API server for tests, the terminal sandbox and benchmarks.

The emulator answers Bot API calls the way Telegram does (same JSON envelopes, same error
texts, same HTTP status codes), so python-telegram-bot's own error handling runs unchanged.
Two adapters put it on the wire: an in-process httpx transport (bot/sandbox/transport.py) and
a loopback HTTP/1.1 server (bot/sandbox/http_server.py). Both hand raw requests to
`BotApiEmulator.handle_http`.

State changes happen synchronously under one lock, so a call is atomic with respect to other
calls; only long polling and injected delays await. That keeps the emulator safe to drive from
tests, from the polling bot and (for the terminal sandbox) from another thread.

Modules (`BotApiEmulator` is assembled in core from one mixin per area):

- ``core``           the emulator's state, HTTP entry, dispatch (faults, flood limits, records),
                     lookups shared by every method.
- ``wire``           error answers (`ApiError`), request bodies (`parse_body`), `HttpReply`.
- ``formatting``     HTML into text and entities (`parse_html`, `plain_text`, `iter_entities`).
- ``faults``         `FaultPlan` (faults on demand) and `FloodLimits` (Telegram's rates).
- ``state``          `ChatState`, `FileRecord`, `CallRecord`, `SentRecord`; Telegram's limits.
- ``commands``       getMe, command menus, descriptions.      ``chats``  getChat, members, pins.
- ``messages``       send/copy/forward/edit/delete.           ``callbacks``  answerCallbackQuery.
- ``files``          media, getFile, downloads.               ``updates``  queue, getUpdates, webhook.
- ``people``         users, chats, membership changes (joins, bot added/removed, migration, blocks).
- ``user_messages``  what users write and tap (`user_sends`, `user_presses`, …).
- ``inspection``     what tests read and wait for (`messages_in`, `sent_to`, `wait_idle`, …).

Markup: HTML only. dondoc sends HTML; `parse_mode` "MarkdownV2"/"Markdown" is answered
"400 Bad Request: can't parse entities: …", as Telegram answers text it cannot parse, so a
message that slipped into Markdown fails loudly (see formatting.py).

Faults, on demand. `emulator.faults` is a `FaultPlan`; each call arms one fault that fires on
the next `times` calls of a method ("sendMessage"; "*" = every method but getUpdates;
"getUpdates"; "file" = downloads), optionally for one `chat_id` only:

    emulator.faults.bad_gateway("sendMessage")             # 502 with nginx's HTML page
    emulator.faults.server_error("sendMessage", times=2)   # 500, JSON envelope
    emulator.faults.timeout("sendMessage", delay=1.0)      # no answer: the client times out
    emulator.faults.drop("getUpdates")                     # connection closed, no answer
    emulator.faults.flood("sendMessage", retry_after=3)    # 429 with parameters.retry_after
    emulator.faults.forbidden("sendMessage", chat_id=-100) # 403 "bot was blocked by the user"
    emulator.faults.slow("getMe", delay=0.5)               # right answer, late
    emulator.faults.inject("sendMessage", "bad_gateway", chat_id=-100, times=5)
    emulator.faults.server_error("*", every=4, times=50)   # every 4th call, 50 times at most
    emulator.faults.script("*", [None, "server_error", "timeout_after", None, "flood"])

`after=True` (5xx, timeout, drop) runs the call first and then loses its answer: the message
*was* sent, the bot cannot know it. `every=n` fires on the nth, 2nth… matching call (each
armed fault counts the calls it matches). A script gives each next matching call its own
step, in order, before any armed fault is looked at: None is a clean call, a kind a fault,
"<kind>_after" the same fault after the call took effect (a random schedule for a property
test is one list). `faults.pending` counts unfired shots (a script's clean steps too),
`faults.clear()` disarms; `emulator.stats` counts "faults", "fault:<kind>", "rate_limited", "errors", and keeps
"most_in_flight" (the most calls, getUpdates aside, it was answering at once).
Faults that come from the state rather than a shot: `enforce_limits()` answers 429 once
Telegram's rates are passed; `block_chat(id)`, `user_blocks_bot(id)` and
`bot_removed_from_group(id, by)` make sends answer 403; `migrate_group(old, new)` makes the
old id answer 400 with `migrate_to_chat_id` (PTB raises ChatMigrated). A new kind of fault is
a `FaultKind` member, its answer in `Fault.reply`, and a `FaultPlan` shortcut; where it
fires is decided in `BotApiEmulator._run` (core.py).
"""

from bot.sandbox.emulator.core import BOT_ID_FALLBACK, BotApiEmulator
from bot.sandbox.emulator.faults import (
    SEND_METHODS,
    Fault,
    FaultKind,
    FaultPlan,
    FaultScript,
    FloodLimits,
)
from bot.sandbox.emulator.files import image_size
from bot.sandbox.emulator.formatting import (
    EntityParseError,
    ParsedText,
    iter_entities,
    parse_formatted,
    parse_html,
    plain_text,
    trim_parsed,
    utf16_len,
)
from bot.sandbox.emulator.state import (
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_DOWNLOAD_SIZE,
    MAX_INLINE_BUTTONS,
    MAX_TEXT_LENGTH,
    MAX_UPLOAD_SIZE,
    CallRecord,
    ChatState,
    FileRecord,
    SentRecord,
    buttons,
)
from bot.sandbox.emulator.user_messages import detect_entities, tiny_png
from bot.sandbox.emulator.wire import (
    NOT_FOUND,
    UNAUTHORIZED,
    ApiError,
    HttpReply,
    JSONDict,
    UploadedFile,
    bad_request,
    coerce_params,
    forbidden,
    parse_body,
    parse_multipart,
    too_many_requests,
)

__all__ = [
    "BOT_ID_FALLBACK",
    "MAX_CALLBACK_ANSWER_LENGTH",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_DOWNLOAD_SIZE",
    "MAX_INLINE_BUTTONS",
    "MAX_TEXT_LENGTH",
    "MAX_UPLOAD_SIZE",
    "NOT_FOUND",
    "SEND_METHODS",
    "UNAUTHORIZED",
    "ApiError",
    "BotApiEmulator",
    "CallRecord",
    "ChatState",
    "EntityParseError",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "FaultScript",
    "FileRecord",
    "FloodLimits",
    "HttpReply",
    "JSONDict",
    "ParsedText",
    "SentRecord",
    "UploadedFile",
    "bad_request",
    "buttons",
    "coerce_params",
    "detect_entities",
    "forbidden",
    "image_size",
    "iter_entities",
    "parse_body",
    "parse_formatted",
    "parse_html",
    "parse_multipart",
    "plain_text",
    "tiny_png",
    "too_many_requests",
    "trim_parsed",
    "utf16_len",
]
