"""Signing in to the web app by Telegram: the Mini App's initData check, and the digests of the
one-time links and session tokens the database keeps instead of the secrets themselves.

Telegram signs a Mini App's launch data (`Telegram.WebApp.initData`, a query string) with a key
derived from the bot's token: secret_key = HMAC-SHA256(key="WebAppData", msg=bot_token), then
hash = hex(HMAC-SHA256(key=secret_key, msg=data_check_string)), where the data-check-string is
every received field except `hash`, as `key=value`, sorted by key, joined by "\\n" (Telegram's
"Validating data received via the Mini App"). Whoever knows the token could forge it, so the
check runs on the server only. Pure: the time is passed in, nothing is stored here (replays are
refused by the service, which remembers each accepted hash until it would expire anyway).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import parse_qsl

# A launch older than this is refused: a copied initData is useless after it.
INIT_DATA_MAX_AGE = timedelta(hours=1)
# Clocks differ a little; an auth_date further in the future than this is forged.
CLOCK_SKEW = timedelta(minutes=5)
MAX_INIT_DATA_LENGTH = 4096  # Telegram's are a few hundred bytes


class InitDataProblem(StrEnum):
    MALFORMED = "malformed"
    BAD_HASH = "bad_hash"
    EXPIRED = "expired"
    FROM_THE_FUTURE = "from_the_future"
    NO_USER = "no_user"


@dataclass(frozen=True, slots=True)
class MiniAppUser:
    """Who Telegram says opened the Mini App, and when."""

    user_id: int
    name: str
    language: str | None
    auth_date: datetime
    hash: str  # hex, 64 characters: the replay key


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign_init_data(fields: dict[str, str], bot_token: str) -> str:
    """The hash Telegram would put beside these fields (used by the tests and the emulator)."""
    return hmac.new(
        secret_key(bot_token), data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()


def verify_init_data(
    init_data: str,
    bot_token: str,
    *,
    now: datetime,
    max_age: timedelta = INIT_DATA_MAX_AGE,
) -> MiniAppUser | InitDataProblem:
    """The user of a genuine, fresh initData, or why it is refused.

    Malformed input (not a query string, a field twice, no hash, a user that is not JSON with
    an integer id) is refused before any comparison; the hash is compared in constant time."""
    if not init_data or len(init_data) > MAX_INIT_DATA_LENGTH:
        return InitDataProblem.MALFORMED
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return InitDataProblem.MALFORMED
    fields = dict(pairs)
    received = fields.get("hash", "")
    if len(fields) != len(pairs) or len(received) != 64:
        return InitDataProblem.MALFORMED
    expected = sign_init_data(fields, bot_token)
    if not hmac.compare_digest(expected, received.lower()):
        return InitDataProblem.BAD_HASH
    try:
        auth_date = datetime.fromtimestamp(int(fields.get("auth_date", "")), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return InitDataProblem.MALFORMED
    if auth_date > now + CLOCK_SKEW:
        return InitDataProblem.FROM_THE_FUTURE
    if now - auth_date > max_age:
        return InitDataProblem.EXPIRED
    user = _user(fields.get("user", ""))
    if user is None:
        return InitDataProblem.NO_USER
    user_id, name, language = user
    return MiniAppUser(user_id, name, language, auth_date, received.lower())


def _user(raw: str) -> tuple[int, str, str | None] | None:
    try:
        user = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(user, dict):
        return None
    user_id = user.get("id")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        return None
    name = " ".join(
        str(user.get(part) or "").strip() for part in ("first_name", "last_name")
    ).strip()
    language = user.get("language_code")
    return user_id, name[:200], language if isinstance(language, str) else None


def digest(secret: str) -> str:
    """What the database keeps of a one-time link or a session token: its SHA-256, so a copy
    of the database opens no session."""
    return hashlib.sha256(secret.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    """The token every form of a session carries: derived from the session's secret, so it
    needs no storage and a page from another site cannot know it."""
    return hmac.new(session_token.encode(), b"dondoc-csrf", hashlib.sha256).hexdigest()[:32]


def same_token(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
