"""Polite openers typed on phones ("Dạ", "Vâng", "Báo cáo") do not hide the report."""

import pytest

from bot.domain.progress import ProgressKind, parse_progress


@pytest.mark.parametrize(
    ("text", "kind", "percent"),
    [
        ("Dạ đã hoàn thành", ProgressKind.DONE, 100),
        ("Vâng, xong rồi ạ", ProgressKind.DONE, 100),
        ("Báo cáo đã xong", ProgressKind.DONE, 100),
        ("Dạ chưa hoàn thành", ProgressKind.NOTE, None),
        ("Vâng đang thực hiện", ProgressKind.IN_PROGRESS, None),
        ("dang thuc hien 50%", ProgressKind.IN_PROGRESS, 50),
    ],
)
def test_openers(text: str, kind: ProgressKind, percent: int | None) -> None:
    report = parse_progress(text)
    assert (report.kind, report.percent) == (kind, percent)
