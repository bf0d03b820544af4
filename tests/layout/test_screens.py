"""The README's pictures stay true, and the pipeline that takes them works.

Each screen's HTML is regenerated from the bot's messages today and compared with the hash
`make screens` stored beside its PNG: a message that changed without `make screens` fails
here. The screenshot pipeline (Debian's Chromium through Playwright) is run on a real page,
and the phone-line width the layout budget counts with is checked against the rendering.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.messaging.layout import LINE_CHARS
from tests.screens.capture import OUT, SCREENS, digest_of, screen_html
from tests.screens.html import message_html, page
from tests.screens.shoot import SCALE, chromium_missing, measure_lines, screenshot

SAMPLE = (
    "Chủ trì, phối hợp Văn phòng Điều phối NTM tỉnh, Sở Kế hoạch và Đầu tư và sở ngành "
    "liên quan xây dựng dự thảo chính sách tỉnh đạt chuẩn nông thôn mới giai đoạn 2021-2025"
)


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.name)
async def test_each_picture_shows_todays_message(screen, sqlite_template: Path) -> None:  # type: ignore[no-untyped-def]
    stored = OUT / f"{screen.name}.sha256"
    assert (OUT / f"{screen.name}.png").exists(), "run `make screens`"
    html = await screen_html(screen, sqlite_template)
    assert digest_of(html) == stored.read_text(encoding="utf-8").strip(), (
        f"the {screen.name} message changed: run `make screens` and commit the pictures"
    )


def test_the_screenshot_pipeline_takes_a_phone_sized_picture(tmp_path: Path) -> None:
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    from PIL import Image

    message = {
        "message_id": 1,
        "date": 0,
        "from": {"id": 1, "first_name": "dondoc"},
        "text": "Nhắc việc ngày 31/12/2019",
        "entities": [{"type": "bold", "offset": 0, "length": 9}],
        "reply_markup": {"inline_keyboard": [[{"text": "1 · #15 Đôn đốc"}]]},
    }
    html = page("Sở Tài chính", "3 thành viên", [message_html(message, bot_id=1, chat_title="")])
    path = screenshot({"probe": html}, tmp_path)["probe"]
    image = Image.open(io.BytesIO(path.read_bytes())).convert("RGB")
    assert image.width == 360 * SCALE
    colours = image.getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # text, a bubble, a button: not a blank page


def test_the_line_width_the_budget_counts_matches_the_rendering() -> None:
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    words = SAMPLE.split()
    line = ""
    for word in words:  # the longest run of whole words within LINE_CHARS
        if len(f"{line} {word}".strip()) > LINE_CHARS:
            break
        line = f"{line} {word}".strip()
    assert measure_lines(line) == 1  # what the budget counts as one line is one line
    assert measure_lines(SAMPLE) <= -(-len(SAMPLE) // LINE_CHARS) + 1
