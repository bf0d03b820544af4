"""The shipped tour (examples/tour.txt) runs end to end and shows each key moment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.test_sandbox import ROOT, run_script


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> str:
    lines = (ROOT / "examples" / "tour.txt").read_text(encoding="utf-8").splitlines()
    result = run_script(tmp_path_factory.mktemp("tour"), lines)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result.stdout


@pytest.mark.parametrize(
    "moment",
    [
        "Xem trước: Thông báo số 45/TB-UBND",  # import: preview before saving
        "Đã lưu Thông báo số 45/TB-UBND",  # … saved on Lưu
        "Đã gắn nhóm mô phỏng «Sở Y tế»",  # bind
        "Nhiệm vụ của Sở Tài chính",  # list
        "Nhắc việc ngày 31/12/2019",  # reminders fire on a working day
        "Đã ghi nhận #29: đạt 30%",  # reply to a digest
        "Đã ghi nhận #29: đạt 75%",  # a digest's task button, its card, 🔄, 75%
        "Kèm 1 tệp minh chứng",  # a photo replying to the card
        "Đã ghi nhận #28 hoàn thành — chờ Văn phòng Điều phối xác nhận",  # /capnhat
        "Đã xác nhận hoàn thành #28",  # the office confirms
        "Đã đồng ý gia hạn #29 đến 30/04/2020",  # extension
        "Đôn đốc nhiệm vụ quá hạn",  # escalation to the office
        "TỔNG HỢP KẾT QUẢ THỰC HIỆN",  # the Friday summary
        "Tuần 11/01/2020 - 17/01/2020",
    ],
)
def test_key_moment(tour: str, moment: str) -> None:
    assert moment in tour


def test_exports_are_saved_files(tour: str) -> None:
    paths = [Path(p) for p in re.findall(r"📎 (\S+\.(?:xlsx|docx|png))", tour)]
    suffixes = {p.suffix for p in paths}
    assert {".xlsx", ".docx", ".png"} <= suffixes
    for path in paths:
        full = path if path.is_absolute() else ROOT / path
        assert full.exists() and full.stat().st_size > 1000


def test_no_message_in_the_transcript_is_longer_than_telegram_allows(tour: str) -> None:
    for chunk in re.split(r"── #\d+ ", tour):
        # One message, without the one-line notes of the others sent meanwhile (📨 → a group).
        message = "\n".join(line for line in chunk.splitlines() if "📨 #" not in line)
        assert len(message) <= 4096 + 400  # the transcript adds indentation and button lines
