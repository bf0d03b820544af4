"""The catalogues: same keys in both languages, same placeholders, valid for Telegram HTML."""

from __future__ import annotations

import string

import pytest

from bot.messaging.texts import en, vi
from bot.sandbox.emulator import parse_html


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_the_same_keys() -> None:
    assert set(vi.TEXTS) == set(en.TEXTS)


@pytest.mark.parametrize("key", sorted(vi.TEXTS))
def test_placeholders_match_and_html_parses(key: str) -> None:
    assert _fields(vi.TEXTS[key]) == _fields(en.TEXTS[key]), key
    for template in (vi.TEXTS[key], en.TEXTS[key]):
        sample = template.format(**{name: "x" for name in _fields(template)})
        parse_html(sample)  # raises on tags Telegram would refuse
