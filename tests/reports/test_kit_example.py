"""The example kit in examples/kit/ (shown in docs/onboarding.md) is a real, working kit for
the seed notice: `make kit-example` regenerates it, and this checks the committed copy."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from bot.reports.kit.example import seed_kit
from bot.reports.kit.xlsx import SHEET
from tests.reports.kit_check import fonts, page_texts, qr_problems, squeeze

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "kit"


def test_the_committed_example_scans_and_reads_like_the_seed_kit():
    rows, _header = seed_kit(ROOT)
    pdf = (EXAMPLE / "kit-22-TB-BCD.pdf").read_bytes()
    assert qr_problems(pdf, rows) == []
    assert all(fonts(pdf).values())
    texts = page_texts(pdf)
    for row, page in zip(rows, texts[len(texts) - len(rows) :], strict=True):
        assert squeeze(row.agency) in squeeze(page) and row.code in page
    sheet = load_workbook(EXAMPLE / "kit-22-TB-BCD.xlsx")[SHEET]
    assert [r[4] for r in sheet.iter_rows(min_row=2, values_only=True)] == [r.code for r in rows]
    assert (ROOT / "docs" / "img" / "kit-page.png").is_file()
