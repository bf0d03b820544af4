"""Settings: defaults, every wrong value named in one line, the token never printed."""

from __future__ import annotations

import subprocess
import sys
from datetime import time

import pytest

from bot.config import ConfigError, load_settings, redact

TOKEN = "123456789:AAH-secret-part-of-the-token-XYZ"


def test_defaults() -> None:
    settings = load_settings({})
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.telegram_file_base_url == "https://api.telegram.org/file/bot"
    assert settings.database_url == "sqlite+aiosqlite:///./data/dondoc.sqlite3"
    assert settings.timezone.key == "Asia/Ho_Chi_Minh"
    assert settings.language == "vi"
    assert settings.reminder_time == time(8, 0)
    assert (settings.weekly_summary_weekday, settings.weekly_summary_time) == (4, time(16, 0))


def test_values_are_read_and_normalised() -> None:
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "ADMIN_IDS": "11, 22 33",
            "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
            "TIMEZONE": "Asia/Bangkok",
            "LANGUAGE": "EN",
            "WEEKLY_SUMMARY_AT": "t6 15:30",
            "REMINDER_BEFORE_DAYS": "1,7,3",
        }
    )
    assert settings.admin_ids == frozenset({11, 22, 33})
    assert settings.database_url == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert settings.timezone.key == "Asia/Bangkok"
    assert settings.language == "en"
    assert settings.weekly_summary_time == time(15, 30)
    assert settings.reminder_before_days == (7, 3, 1)
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"ADMIN_IDS": "abc"}, "ADMIN_IDS"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"LANGUAGE": "fr"}, "LANGUAGE"),
        ({"REMINDER_TIME": "25:00"}, "REMINDER_TIME"),
        ({"WEEKLY_SUMMARY_AT": "someday"}, "WEEKLY_SUMMARY_AT"),
        ({"TELEGRAM_BOT_TOKEN": "half-pasted"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_API_BASE_URL": "ftp://x"}, "TELEGRAM_API_BASE_URL"),
        ({"INVITE_TTL_HOURS": "-1"}, "INVITE_TTL_HOURS"),
    ],
)
def test_wrong_values_name_the_key(env: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    assert caught.value.key == key
    assert str(caught.value).startswith(f"{key}:")


def test_bad_token_is_not_echoed() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"TELEGRAM_BOT_TOKEN": "123:short-secret-value"})
    assert "short-secret-value" not in str(caught.value)


def test_redact_hides_whole_token_and_secret_half() -> None:
    text = f"GET https://api.telegram.org/bot{TOKEN}/getMe and {TOKEN.split(':')[1]}"
    cleaned = redact(text, TOKEN)
    assert TOKEN not in cleaned
    assert TOKEN.split(":")[1] not in cleaned


@pytest.mark.parametrize(
    ("variable", "value"),
    [("TIMEZONE", "Nowhere/City"), ("ADMIN_IDS", "abc"), ("DATABASE_URL", "oracle://db")],
)
def test_cli_exits_2_with_one_line(variable: str, value: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"PATH": "/usr/bin:/bin", variable: value, "DONDOC_ENV_FILE": str(tmp_path / "none.env")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "current"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_cli_help_is_bilingual() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "đôn đốc" in result.stdout
    assert "follow up" in result.stdout
    for command in ("run", "db", "import", "sandbox"):
        assert command in result.stdout
