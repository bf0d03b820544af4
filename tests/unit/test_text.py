"""Small text rules shared by the handlers."""

from __future__ import annotations

import unicodedata

import pytest

from bot.domain.text import means_cancel


@pytest.mark.parametrize(
    "text",
    ["hủy", "huỷ", "HUỶ", "Hủy bỏ", " thôi ", "thôi.", "Cancel", "huy", "bỏ qua!"],
)
def test_the_words_that_call_a_question_off(text: str) -> None:
    assert means_cancel(text)
    assert means_cancel(unicodedata.normalize("NFD", text))


@pytest.mark.parametrize(
    "text", ["", "hủy nhiệm vụ vì đã có văn bản khác", "31/03/2020", "không hủy", "thôi việc"]
)
def test_an_answer_that_only_mentions_them_is_an_answer(text: str) -> None:
    assert not means_cancel(text)
