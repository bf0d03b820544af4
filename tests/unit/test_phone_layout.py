"""Cutting and measuring text for a phone: at a word, the code kept, lines as wrapped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.messaging.format import shorten, task_excerpt, two_lines
from bot.messaging.layout import LINE_CHARS, fits, labels_too_wide, phone_lines, plain

TEXT = "Soát xét đánh giá đúng, chính xác thực trạng tiêu chí tỉnh nông thôn mới đến 31/12/2019, báo cáo Ban chỉ đạo"


def test_shorten_cuts_at_a_word_never_inside_one() -> None:
    cut = shorten(TEXT, 80)
    assert cut.endswith("…") and len(cut) <= 80
    assert cut[:-1].split()[-1] in TEXT.split()  # a whole word before the ellipsis
    assert "báo cáo Ba…" not in shorten("chính xác, báo cáo Ban chỉ đạo", 23)
    assert shorten("ngắn", 10) == "ngắn"


@given(st.text(alphabet="abc đêư ,", min_size=0, max_size=200), st.integers(2, 120))
def test_shorten_never_exceeds_its_limit(text: str, limit: int) -> None:
    cut = shorten(text, limit)
    assert len(cut) <= limit
    if cut.endswith("…") and " " in cut.strip():
        kept = cut[:-1].split()[-1]
        assert any(word.startswith(kept) for word in text.split())


def test_the_code_is_kept_whole() -> None:
    assert task_excerpt("#15 (I.6.1)", TEXT, 30).startswith("#15 (I.6.1) ")
    assert task_excerpt("#15 (I.6.1)", TEXT, 12) == "#15 (I.6.1)"
    two = two_lines("3. #24 (I.8.1)", TEXT)
    assert phone_lines(f"3. #24 (I.8.1) {two}") <= 2 and two.endswith("…")


def test_lines_are_counted_as_the_phone_wraps_them() -> None:
    assert phone_lines("a" * LINE_CHARS) == 1
    assert phone_lines(TEXT) == 4  # 110 characters at 34 a line, cut at words
    assert phone_lines("một\n\nhai") == 3  # a blank line takes a line
    assert plain("<b>Nhiệm vụ #15</b> &lt;mã&gt;") == "Nhiệm vụ #15 <mã>"
    assert fits("\n".join(["dòng"] * 25)) and not fits("\n".join(["dòng"] * 26))
    assert not fits("một dòng", buttons=7)


def test_labels_the_phone_would_cut() -> None:
    assert labels_too_wide([["✅ Hoàn thành", "🔄 Đang thực hiện"]]) == []
    assert labels_too_wide([["↩️ Từ chối xác nhận", "✅ Xác nhận"]]) == ["↩️ Từ chối xác nhận"]
