"""Telegram Mini App initData, checked as Telegram documents it ("Validating data received via
the Mini App"): HMAC-SHA256 of the data-check-string with the key HMAC-SHA256("WebAppData",
bot_token). Telegram publishes no example for this scheme (its worked example is for the
third-party Ed25519 signature); the known-good vector below is the one aiogram's test suite
checks its own, independent implementation against."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import pytest

from bot.domain.webauth import (
    INIT_DATA_MAX_AGE,
    InitDataProblem,
    MiniAppUser,
    csrf_token,
    digest,
    same_token,
    sign_init_data,
    verify_init_data,
)

AIOGRAM_TOKEN = "42:TEST"
AIOGRAM_INIT_DATA = (
    "auth_date=1650385342"
    "&user=%7B%22id%22%3A42%2C%22first_name%22%3A%22Test%22%7D"
    "&query_id=test"
    "&hash=46d2ea5e32911ec8d30999b56247654460c0d20949b6277af519e76271182803"
)
SIGNED_AT = datetime.fromtimestamp(1650385342, tz=UTC)
TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
NOW = datetime(2020, 1, 6, 2, 0, tzinfo=UTC)


def launch(user: object, *, at: datetime = NOW, token: str = TOKEN, **extra: str) -> str:
    fields = {
        "auth_date": str(int(at.timestamp())),
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": user if isinstance(user, str) else json.dumps(user, ensure_ascii=False),
        **extra,
    }
    fields["hash"] = sign_init_data(fields, token)
    return urlencode(fields, quote_via=quote)


def test_the_published_vector_verifies_with_its_token_only() -> None:
    checked = verify_init_data(
        AIOGRAM_INIT_DATA, AIOGRAM_TOKEN, now=SIGNED_AT + timedelta(minutes=1)
    )
    assert checked == MiniAppUser(
        42,
        "Test",
        None,
        SIGNED_AT,
        "46d2ea5e32911ec8d30999b56247654460c0d20949b6277af519e76271182803",
    )
    assert (
        verify_init_data(AIOGRAM_INIT_DATA, "42:INVALID", now=SIGNED_AT + timedelta(minutes=1))
        is InitDataProblem.BAD_HASH
    )


def test_a_launch_signed_with_the_token_gives_its_user() -> None:
    data = launch(
        {"id": 2001, "first_name": "Nguyễn", "last_name": "Văn Á", "language_code": "vi"},
        start_param="t12",
    )
    checked = verify_init_data(data, TOKEN, now=NOW + timedelta(minutes=5))
    assert isinstance(checked, MiniAppUser)
    assert (checked.user_id, checked.name, checked.language) == (2001, "Nguyễn Văn Á", "vi")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d.replace("2001", "2002"),  # another user id, same hash
        lambda d: d.replace("auth_date=", "auth_date=1"),  # another time
        lambda d: d + "&extra=1",  # a field added after signing
        lambda d: d.rsplit("&hash=", 1)[0] + "&hash=" + "0" * 64,  # a made-up hash
    ],
)
def test_any_change_after_signing_is_refused(tamper) -> None:  # type: ignore[no-untyped-def]
    data = tamper(launch({"id": 2001, "first_name": "A"}))
    assert verify_init_data(data, TOKEN, now=NOW) in (
        InitDataProblem.BAD_HASH,
        InitDataProblem.MALFORMED,
    )


def test_signed_with_another_bots_token_is_refused() -> None:
    data = launch({"id": 2001, "first_name": "A"}, token="999:OTHER-BOT-TOKEN-abcdefghijklmnop")
    assert verify_init_data(data, TOKEN, now=NOW) is InitDataProblem.BAD_HASH


def test_freshness() -> None:
    data = launch({"id": 2001, "first_name": "A"})
    assert isinstance(verify_init_data(data, TOKEN, now=NOW + INIT_DATA_MAX_AGE), MiniAppUser)
    assert (
        verify_init_data(data, TOKEN, now=NOW + INIT_DATA_MAX_AGE + timedelta(seconds=1))
        is InitDataProblem.EXPIRED
    )
    assert (
        verify_init_data(data, TOKEN, now=NOW - timedelta(minutes=10))
        is InitDataProblem.FROM_THE_FUTURE
    )


@pytest.mark.parametrize(
    "data",
    [
        "",
        "not a query string",
        "auth_date=1&auth_date=2&hash=" + "a" * 64,  # a field twice
        "auth_date=1578276000&user=%7B%7D",  # no hash
        "x" * 5000,
    ],
)
def test_malformed_is_refused_before_any_comparison(data: str) -> None:
    assert verify_init_data(data, TOKEN, now=NOW) is InitDataProblem.MALFORMED


@pytest.mark.parametrize(
    "user",
    [
        "not json",
        '["a list"]',
        '{"first_name": "no id"}',
        '{"id": true}',
        '{"id": -5}',
        '{"id": "7"}',
    ],
)
def test_a_signed_launch_without_a_real_user_is_refused(user: str) -> None:
    assert verify_init_data(launch(user), TOKEN, now=NOW) is InitDataProblem.NO_USER


def test_a_signed_launch_with_a_bad_auth_date_is_malformed() -> None:
    fields = {"auth_date": "yesterday", "user": '{"id": 1}'}
    fields["hash"] = sign_init_data(fields, TOKEN)
    assert verify_init_data(urlencode(fields), TOKEN, now=NOW) is InitDataProblem.MALFORMED


def test_digests_and_csrf_tokens() -> None:
    assert digest("abc") == digest("abc") != digest("abd")
    assert len(digest("abc")) == 64 and "abc" not in digest("abc")
    assert csrf_token("session-1") != csrf_token("session-2")
    assert same_token(csrf_token("s"), csrf_token("s")) and not same_token("a", "b")
