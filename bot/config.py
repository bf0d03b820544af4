"""Settings, read once from the environment into a frozen, typed object.

Every knob of the bot is here so that a wrong value stops start-up with one line that
names the key, instead of failing an hour later inside a job.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_FILE_BASE_URL = "https://api.telegram.org/file/bot"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/dondoc.sqlite3"
WEEKDAYS = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "t2": 0, "t3": 1, "t4": 2, "t5": 3, "t6": 4, "t7": 5, "cn": 6,
}  # fmt: skip
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")


class ConfigError(ValueError):
    """A setting has a wrong value; the message names the key and what is expected."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass(frozen=True, slots=True)
class Settings:
    """The bot's configuration. `repr` hides the token so it never reaches a log."""

    telegram_bot_token: str | None = field(default=None, repr=False)
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    telegram_file_base_url: str = DEFAULT_FILE_BASE_URL
    database_url: str = DEFAULT_DATABASE_URL
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    admin_ids: frozenset[int] = frozenset()
    language: str = "vi"
    # Telegram has no Vietnamese interface of its own, so most officials' apps report English:
    # following it would answer them in English in a Vietnamese group. Off: everyone reads
    # LANGUAGE; on: a user whose Telegram is in a language we have (vi, en) reads that one.
    follow_telegram_language: bool = False
    log_level: str = "INFO"
    # The province the office serves ("Hà Tĩnh"): its groups of agencies (its districts,
    # its xã and phường) are never expanded for a notice issued in another province.
    province: str | None = None
    reminder_time: time = time(8, 0)
    reminder_before_days: tuple[int, ...] = (7, 3, 1)
    reminder_overdue_every: int = 3
    escalate_leaders_after: int = 10
    no_deadline_every_days: int = 14
    ack_nudge_after: int = 2
    reminder_sweep_seconds: int = 60
    claim_timeout_seconds: int = 300
    # How long a message to another chat (the outbox: bot/messaging/outbox.py) is retried
    # through 5xx, timeouts and 429 before it counts as failed and the office is shown it.
    outbox_retry_hours: int = 24
    # Days a message the outbox sent is kept (for /hopthu's history and a reply's context)
    # before it is deleted; what failed is kept until the office has seen it (never pruned).
    outbox_keep_days: int = 30
    require_confirmation: bool = True
    weekly_summary_weekday: int = 4
    weekly_summary_time: time = time(16, 0)
    invite_ttl_hours: int = 48  # a code for one agency, pasted into a chat (/moi <đơn vị>)
    # Codes issued for many agencies at once (/moi tatca, a notice's agencies, the printed
    # kit, /ganket's re-issue): they travel on paper to a kick-off meeting, so days, not hours.
    invite_ttl_days: int = 14
    # The office's daily digest names agencies still without a bound group this many working
    # days after their first task was assigned.
    onboarding_nudge_days: int = 3
    undo_minutes: int = 5
    # The same report from the same person within this many minutes is a repeat: nothing new
    # is recorded, the person is told when it was (bot/domain/repeats.py). 0 turns it off.
    repeat_window_minutes: int = 10
    max_upload_mb: int = 20
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    # The web app's public HTTPS address (https://bot.example.gov.vn): the one-time sign-in
    # links, the "📱 Mở biểu mẫu" buttons and the menu button point there. None: no web app
    # links are sent (the pages are still served by `dondoc web` and in webhook mode).
    web_base_url: str | None = None
    # The office's letterhead on the Word report, the Excel appendix and the onboarding kit
    # (Nghị định 30/2020/NĐ-CP): the parent bodies above the issuer, the issuer (bold), the
    # symbol after "Số: …/BC-", the place before the date, the signer's title.
    org_parent: str = ""  # e.g. "UBND tỉnh Hà Tĩnh"
    org_name: str = "Ban Chỉ đạo"  # e.g. "Ban Chỉ đạo các CTMTQG tỉnh"
    org_short: str = "Văn phòng Điều phối"  # the issuer, e.g. "Văn phòng Điều phối NTM"
    org_symbol: str = "VPĐP"
    org_place: str = ""  # e.g. "Hà Tĩnh"; empty prints dots to fill in
    org_signer: str = "Chánh Văn phòng"
    # Working days a new assignment is spared "chưa cập nhật" and the weekly scolding.
    report_grace_days: int = 5

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _int(env: Mapping[str, str], key: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(key, f"cần một số nguyên, nhận được {raw!r}") from None
    if value < minimum:
        raise ConfigError(key, f"phải lớn hơn hoặc bằng {minimum}")
    return value


def _bool(env: Mapping[str, str], key: str, default: bool) -> bool:
    raw = env.get(key, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on", "có", "co"}:
        return True
    if raw in {"0", "false", "no", "off", "không", "khong"}:
        return False
    raise ConfigError(key, f"cần true/false, nhận được {raw!r}")


def _clock(env: Mapping[str, str], key: str, default: time) -> time:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    match = re.fullmatch(r"(\d{1,2})[:h](\d{2})", raw)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ConfigError(key, f"cần giờ dạng HH:MM, nhận được {raw!r}")
    return time(int(match[1]), int(match[2]))


def _weekly_at(env: Mapping[str, str]) -> tuple[int, time]:
    key = "WEEKLY_SUMMARY_AT"
    raw = env.get(key, "").strip().lower()
    if not raw:
        return 4, time(16, 0)
    parts = raw.split()
    if len(parts) != 2 or parts[0] not in WEEKDAYS:
        raise ConfigError(key, f"cần dạng 'fri 16:00' (mon..sun hoặc t2..cn), nhận được {raw!r}")
    return WEEKDAYS[parts[0]], _clock({key: parts[1]}, key, time(16, 0))


def _admin_ids(env: Mapping[str, str]) -> frozenset[int]:
    raw = env.get("ADMIN_IDS", "").strip()
    if not raw:
        return frozenset()
    ids: set[int] = set()
    for chunk in re.split(r"[,\s;]+", raw):
        if not chunk:
            continue
        if not re.fullmatch(r"-?\d+", chunk):
            raise ConfigError(
                "ADMIN_IDS", f"cần danh sách id số cách nhau bởi dấu phẩy, có {chunk!r}"
            )
        ids.add(int(chunk))
    return frozenset(ids)


def _database_url(env: Mapping[str, str]) -> str:
    raw = env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    # Accept the plain URLs hosting providers hand out and pick our async driver.
    for plain, asynchronous in (
        ("postgres://", "postgresql+psycopg://"),
        ("postgresql://", "postgresql+psycopg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if raw.startswith(plain):
            raw = asynchronous + raw[len(plain) :]
    if not re.fullmatch(r"(sqlite\+aiosqlite:///.*|postgresql\+(psycopg|asyncpg)://\S+)", raw):
        raise ConfigError(
            "DATABASE_URL",
            "cần sqlite:///đường/dẫn.sqlite3 hoặc postgresql://user@host:5432/tên (URL không hợp lệ)",
        )
    return raw


def _timezone(env: Mapping[str, str]) -> ZoneInfo:
    raw = env.get("TIMEZONE", "").strip() or "Asia/Ho_Chi_Minh"
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("TIMEZONE", f"múi giờ không tồn tại: {raw!r}") from None


def _token(env: Mapping[str, str]) -> str | None:
    raw = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not raw:
        return None
    if not _TOKEN_RE.match(raw):
        # Never echo the value: a half-pasted token is still a secret.
        raise ConfigError("TELEGRAM_BOT_TOKEN", "không đúng dạng <số>:<chuỗi> do @BotFather cấp")
    return raw


def _url(env: Mapping[str, str], key: str, default: str) -> str:
    raw = env.get(key, "").strip() or default
    if not re.match(r"^https?://\S+$", raw):
        raise ConfigError(key, f"cần URL http(s)://..., nhận được {raw!r}")
    return raw


def _choice(env: Mapping[str, str], key: str, default: str, choices: set[str]) -> str:
    raw = env.get(key, "").strip() or default
    value = raw.upper() if key == "LOG_LEVEL" else raw.lower()
    if value not in choices:
        raise ConfigError(key, f"cần một trong {sorted(choices)}, nhận được {raw!r}")
    return value


def _days(env: Mapping[str, str], key: str, default: tuple[int, ...]) -> tuple[int, ...]:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        values = tuple(sorted({int(x) for x in re.split(r"[,\s]+", raw) if x}, reverse=True))
    except ValueError:
        raise ConfigError(key, f"cần danh sách số ngày, ví dụ 7,3,1; nhận được {raw!r}") from None
    if any(v <= 0 for v in values):
        raise ConfigError(key, "số ngày phải lớn hơn 0")
    return values


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from `env` (default: os.environ). Raises ConfigError on a wrong value."""
    env = os.environ if env is None else env
    weekday, weekly_time = _weekly_at(env)
    webhook_url = env.get("WEBHOOK_URL", "").strip() or None
    if webhook_url:
        _url({"WEBHOOK_URL": webhook_url}, "WEBHOOK_URL", "")
    return Settings(
        telegram_bot_token=_token(env),
        telegram_api_base_url=_url(env, "TELEGRAM_API_BASE_URL", DEFAULT_API_BASE_URL),
        telegram_file_base_url=_url(env, "TELEGRAM_FILE_BASE_URL", DEFAULT_FILE_BASE_URL),
        database_url=_database_url(env),
        timezone=_timezone(env),
        admin_ids=_admin_ids(env),
        language=_choice(env, "LANGUAGE", "vi", {"vi", "en"}),
        follow_telegram_language=_bool(env, "FOLLOW_TELEGRAM_LANGUAGE", False),
        log_level=_choice(env, "LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
        province=" ".join(env.get("PROVINCE", "").split()) or None,
        reminder_time=_clock(env, "REMINDER_TIME", time(8, 0)),
        reminder_before_days=_days(env, "REMINDER_BEFORE_DAYS", (7, 3, 1)),
        reminder_overdue_every=_int(env, "REMINDER_OVERDUE_EVERY", 3, minimum=1),
        escalate_leaders_after=_int(env, "ESCALATE_LEADERS_AFTER", 10, minimum=1),
        no_deadline_every_days=_int(env, "NO_DEADLINE_EVERY_DAYS", 14, minimum=1),
        ack_nudge_after=_int(env, "ACK_NUDGE_AFTER", 2, minimum=1),
        reminder_sweep_seconds=_int(env, "REMINDER_SWEEP_SECONDS", 60, minimum=5),
        claim_timeout_seconds=_int(env, "CLAIM_TIMEOUT_SECONDS", 300, minimum=10),
        outbox_retry_hours=_int(env, "OUTBOX_RETRY_HOURS", 24, minimum=1),
        outbox_keep_days=_int(env, "OUTBOX_KEEP_DAYS", 30, minimum=1),
        require_confirmation=_bool(env, "REQUIRE_CONFIRMATION", True),
        weekly_summary_weekday=weekday,
        weekly_summary_time=weekly_time,
        invite_ttl_hours=_int(env, "INVITE_TTL_HOURS", 48, minimum=1),
        invite_ttl_days=_int(env, "INVITE_TTL_DAYS", 14, minimum=1),
        onboarding_nudge_days=_int(env, "ONBOARDING_NUDGE_DAYS", 3, minimum=1),
        undo_minutes=_int(env, "UNDO_MINUTES", 5, minimum=1),
        repeat_window_minutes=_int(env, "REPEAT_WINDOW_MINUTES", 10, minimum=0),
        max_upload_mb=_int(env, "MAX_UPLOAD_MB", 20, minimum=1),
        webhook_url=webhook_url,
        webhook_secret=env.get("WEBHOOK_SECRET", "").strip() or None,
        webhook_listen=env.get("WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
        webhook_port=_int(env, "WEBHOOK_PORT", 8443, minimum=1),
        web_base_url=_web_base_url(env),
        org_parent=_text(env, "ORG_PARENT", ""),
        org_name=_text(env, "ORG_NAME", "Ban Chỉ đạo"),
        org_short=_text(env, "ORG_SHORT", "Văn phòng Điều phối"),
        org_symbol=_text(env, "ORG_SYMBOL", "VPĐP"),
        org_place=_text(env, "ORG_PLACE", ""),
        org_signer=_text(env, "ORG_SIGNER", "Chánh Văn phòng"),
        report_grace_days=_int(env, "REPORT_GRACE_DAYS", 5, minimum=0),
    )


def _text(env: Mapping[str, str], key: str, default: str) -> str:
    """A name printed on documents: one line, at most 120 characters."""
    raw = " ".join(env.get(key, "").split()) or default
    if len(raw) > 120:
        raise ConfigError(key, "tối đa 120 ký tự")
    return raw


def _web_base_url(env: Mapping[str, str]) -> str | None:
    """WEB_BASE_URL: HTTPS only (Telegram opens Mini Apps over HTTPS, and the session cookie
    is Secure), no query or fragment; kept without its trailing slash."""
    raw = env.get("WEB_BASE_URL", "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/-]*)?", raw):
        raise ConfigError(
            "WEB_BASE_URL", f"cần địa chỉ https://… (không có ? hoặc #), nhận được {raw!r}"
        )
    return raw.rstrip("/")


def sqlite_path(database_url: str) -> Path | None:
    """The file behind a SQLite URL (None for PostgreSQL or in-memory)."""
    if not database_url.startswith("sqlite"):
        return None
    path = database_url.split(":///", 1)[1]
    return None if path in {"", ":memory:"} else Path(path)


def redact(text: str, token: str | None) -> str:
    """Remove the bot token (and its secret half) from any text before it is logged or shown."""
    if token:
        text = text.replace(token, "<TOKEN>")
        secret = token.split(":", 1)[-1]
        if len(secret) >= 8:
            text = text.replace(secret, "<TOKEN>")
    return text
