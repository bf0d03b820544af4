"""Tables pasted as text, PDF tables rebuilt from their drawn cells, PDF lines wrapped before
a dash, and every line of a notice either used by a task or listed as not used."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from bot.domain.drawn_tables import Drawing, page_text_with_tables
from bot.domain.notice import ParsedNotice, parse_notice
from bot.domain.types import DeadlineKind
from bot.notice_files import extract_text, read_notice_file

D = DeadlineKind

PIPES = """Số: 31/KH-UBND
Nam Định, ngày 12 tháng 1 năm 2024

KẾ HOẠCH
Chuyển đổi số năm 2024

I. NHIỆM VỤ
| TT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn |
|----|----------|----------------|-----------------|----------|
| 1 | Xây dựng kho dữ liệu dùng chung | Sở Thông tin và Truyền thông | Các sở, ngành | Quý II/2024 |
| 2 | Số hóa hồ sơ đất đai | Sở Tài nguyên và Môi trường | UBND các huyện | 2024 - 2025 |

II. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.
"""


def test_a_pipe_table_pasted_in_the_text_is_read_as_a_task_table() -> None:
    notice = parse_notice(PIPES)
    assert [(t.code, t.lead, t.deadline.kind, t.deadline.end) for t in notice.tasks] == [
        ("1", ("Sở Thông tin và Truyền thông",), D.QUARTER, date(2024, 6, 30)),
        ("2", ("Sở Tài nguyên và Môi trường",), D.RANGE, date(2025, 12, 31)),
        ("II.1", ("Sở Tài chính",), D.NONE, None),
    ]
    assert notice.tasks[0].coordinating_groups == ("Các sở, ngành",)
    assert [t.lines for t in notice.tasks] == [(10,), (11,), (13, 14)]
    assert {u.line: u.reason for u in notice.unused}[8] == "table"  # the header row


def test_a_tab_table_and_a_text_task_whose_code_clashes() -> None:
    notice = parse_notice(
        "Các đơn vị triển khai theo bảng sau:\n"
        "STT\tNhiệm vụ\tCơ quan chủ trì\tThời hạn\n"
        "1\tRà soát nợ đọng thuế\tThuế tỉnh\t30/9/2025\n"
        "\n1. Giao Sở Tài chính tổng hợp, báo cáo trước ngày 25 hằng tháng.\n",
    )
    assert [(t.code, t.lead) for t in notice.tasks] == [
        ("1", ("Thuế tỉnh",)),
        ("VB.1", ("Sở Tài chính",)),
    ]
    assert notice.tasks[0].deadline.end == date(2025, 9, 30)


def test_a_table_that_assigns_nothing_stays_text() -> None:
    notice = parse_notice(
        "THÔNG BÁO\nKết luận\n\n| Chỉ tiêu | 2022 | 2023 |\n| Tăng trưởng | 6% | 7% |\n\n"
        "1. Sở Y tế kiểm tra an toàn thực phẩm.\n"
    )
    assert [t.lead for t in notice.tasks] == [("Sở Y tế",)]
    assert not any(u.reason == "table" for u in notice.unused)


def test_a_range_wrapped_before_its_dash_is_joined_again() -> None:
    notice = parse_notice(
        "THÔNG BÁO\nKết luận\n\n1. Sở Văn hóa hướng dẫn lễ hội gắn với Chương trình du lịch "
        "giai đoạn 2026\n- 2030 của tỉnh.\n2. Sở Y tế\n- Kiểm tra an toàn thực phẩm.\n"
    )
    assert [t.text for t in notice.tasks] == [
        "Sở Văn hóa hướng dẫn lễ hội gắn với Chương trình du lịch giai đoạn 2026 - 2030 của tỉnh.",
        "Kiểm tra an toàn thực phẩm.",
    ]
    assert notice.tasks[0].deadline.end is None


# --- PDF --------------------------------------------------------------------------------------


def _pdf(pieces: list[tuple[float, float, str]], drawing: list[str]) -> bytes:
    """A one-page PDF: ASCII text pieces at (x, y) and raw drawing operators (cells)."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = [*drawing]
    for x, y, text in pieces:
        ops.append(f"BT /F1 9 Tf 1 0 0 1 {x} {y} Tm ({esc(text)}) Tj ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


COLUMNS = (40, 70, 250, 350, 460, 550)  # x of each column's left edge, then the right edge
HEADER = ("TT", "Noi dung nhiem vu", "Don vi chu tri", "Don vi phoi hop", "Thoi han")
ROWS = (  # each cell's lines; rows two lines high
    (
        ("1",),
        ("Ra soat ho so dat dai", "ton dong"),
        ("So Tai chinh",),
        ("Cong an tinh",),
        ("2024",),
    ),
    (
        ("2",),
        ("Sua chua duong tinh 316",),
        ("So Xay dung,", "So Giao thong"),
        ("",),
        ("Quy II/2024",),
    ),
)
TOP = 700.0
ROW_HEIGHT = 30.0


def _table_pdf(*, as_rules: bool) -> bytes:
    pieces = [
        (40, 800, "UBND TINH THAI BINH"),
        (40, 786, "So: 7/KH-UBND"),
        (40, 772, "Thai Binh, ngay 5 thang 1 nam 2024"),
        (40, 750, "KE HOACH"),
        (40, 736, "Cai cach hanh chinh nam 2024"),
        (40, 600, "Giao So Noi vu theo doi, don doc, bao cao truoc ngay 15/12/2024."),
    ]
    drawing = ["0.5 w"]
    rows = (HEADER, *ROWS)
    for r, row in enumerate(rows):
        top = TOP - r * ROW_HEIGHT
        for c, cell in enumerate(row):
            lines = (cell,) if isinstance(cell, str) else cell
            for k, line in enumerate(lines):
                if line:
                    pieces.append((COLUMNS[c] + 2, top - 10 - 10 * k, line))
            if not as_rules:
                left, right = COLUMNS[c], COLUMNS[c + 1]
                drawing.append(f"{left} {top - ROW_HEIGHT} {right - left} {ROW_HEIGHT} re S")
    if as_rules:
        bottom = TOP - len(rows) * ROW_HEIGHT
        for r in range(len(rows) + 1):
            y = TOP - r * ROW_HEIGHT
            drawing.append(f"{COLUMNS[0]} {y} m {COLUMNS[-1]} {y} l S")
        for x in COLUMNS:
            drawing.append(f"{x} {TOP} m {x} {bottom} l S")
    return _pdf(pieces, drawing)


@pytest.mark.parametrize("as_rules", [False, True], ids=["cell rectangles", "ruled lines"])
def test_a_pdf_task_table_is_rebuilt_from_its_drawn_cells(as_rules: bool) -> None:
    data = _table_pdf(as_rules=as_rules)
    text = extract_text("kh.pdf", data).text
    assert "1\tRa soat ho so dat dai ton dong\tSo Tai chinh\tCong an tinh\t2024" in text
    notice = read_notice_file("kh.pdf", data)
    assert [(t.code, t.lead, t.deadline.end) for t in notice.tasks] == [
        ("1", ("So Tai chinh",), date(2024, 12, 31)),
        ("2", ("So Xay dung", "So Giao thong"), date(2024, 6, 30)),
        ("VB.1", ("So Noi vu",), date(2024, 12, 15)),  # "1" is the table's
    ]
    assert notice.tasks[0].coordinating == ("Cong an tinh",)


def test_a_drawn_grid_without_a_task_header_is_left_to_the_text_layer() -> None:
    """A framed header block or a statistics table is no task table: the page keeps its text."""
    drawing = Drawing(pieces=[(42, 690, "Chi tieu"), (152, 690, "2023")])
    drawing.rectangle(40, 680, 150, 700)
    drawing.rectangle(150, 680, 250, 700)
    assert page_text_with_tables(drawing) is None
    assert page_text_with_tables(Drawing(pieces=[(40, 700, "Khong co bang")])) is None


def test_a_pdf_title_that_fills_its_line_is_not_joined_to_the_first_paragraph() -> None:
    title = "Thuc hien Chuong trinh Moi xa mot san pham tinh Ha Tinh nam 2023 va cac nam tiep theo"
    pieces = [
        (40, 800, "UBND TINH HA TINH"),
        (40, 786, "So: 9/KH-UBND"),
        (40, 772, "Ha Tinh, ngay 5 thang 1 nam 2023"),
        (40, 750, "KE HOACH"),
        (40, 736, title),
        (40, 722, "Thuc hien Quyet dinh so 919/QD-TTg, UBND tinh ban hanh Ke hoach nhu sau:"),
        (40, 708, "1. So Cong Thuong to chuc hoi cho trong thang 10/2023."),
    ]
    notice = read_notice_file("kh.pdf", _pdf(pieces, []))
    assert notice.document.title == title
    assert [t.lead for t in notice.tasks] == [("So Cong Thuong",)]


def test_a_pdf_line_wrapped_before_a_dash_joins_the_sentence_a_bullet_does_not() -> None:
    long_line = "1. So Van hoa huong dan to chuc le hoi gan voi Chuong trinh du lich giai doan 2026"
    pieces = [
        (40, 800, "UBND TINH LAO CAI"),
        (40, 786, "So: 3/CT-UBND"),
        (40, 772, "Lao Cai, ngay 5 thang 1 nam 2026"),
        (40, 750, "CHI THI"),
        (40, 736, "Ve le hoi xuan"),
        (40, 716, long_line),
        (40, 702, "- 2030 cua tinh."),
        (40, 688, "2. Cong an tinh:"),
        (40, 674, "- Bao dam an ninh tai cac le hoi."),
    ]
    notice = read_notice_file("ct.pdf", _pdf(pieces, []))
    assert [t.text for t in notice.tasks] == [
        long_line[3:] + " - 2030 cua tinh.",
        "Bao dam an ninh tai cac le hoi.",
    ]


# --- every line accounted for -----------------------------------------------------------------


def _accounted(notice: ParsedNotice, text: str) -> None:
    """Each line with words is in a task's lines or among the unused; a line fully used is not
    listed unused (only a piece of it may be)."""
    with_words = {
        number
        for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1)
        if any(ch.isalnum() for ch in line)
    }
    used = {n for task in notice.tasks for n in task.lines}
    unused = {n for u in notice.unused for n in u.lines}
    assert with_words <= used | unused, sorted(with_words - used - unused)
    assert all(u.part for u in notice.unused if u.line in used)


def test_every_line_of_the_seed_is_used_or_listed(seed_text: str) -> None:
    notice = parse_notice(seed_text)
    _accounted(notice, seed_text)
    reasons = {u.reason for u in notice.unused}
    assert reasons == {"header", "preamble", "issuer", "signature"}


@pytest.mark.parametrize("name", ["45-TB-UBND-sentence.txt", "112-TB-VPUB-numbered.txt"])
def test_every_line_of_the_fixtures_is_used_or_listed(fixtures_dir: Path, name: str) -> None:
    text = (fixtures_dir / name).read_text(encoding="utf-8")
    notice = parse_notice(text)
    _accounted(notice, text)
    listed = [u.text for u in notice.unused if u.reason == "unclassified"]
    assert len(listed) == len(notice.unclassified)  # the same texts, with their line numbers
    assert all(text in line for text, line in zip(notice.unclassified, listed, strict=True))


def test_every_line_of_a_pasted_table_notice_is_used_or_listed() -> None:
    _accounted(parse_notice(PIPES), PIPES)


def test_the_report_says_what_was_not_understood() -> None:
    notice = parse_notice(
        "THÔNG BÁO\nKết luận\n\n1. Sở Y tế kiểm tra trong 10 ngày làm việc kể từ ngày ký.\n"
        "2. Tăng cường công tác tuyên truyền.\n"
    )
    report = notice.to_report_dict()
    assert set(report) == {
        "document",
        "tasks",
        "addressees",
        "problems",
        "unclassified",
        "unused",
    }
    assert report["unclassified"] == ["Tăng cường công tác tuyên truyền."]
    assert {"line": 5, "last_line": 5, "text": "2. Tăng cường công tác tuyên truyền.",
            "reason": "unclassified", "part": False} in report["unused"]  # fmt: skip
    assert report["tasks"][0]["deadline"]["rule"] is None  # no notice date, nothing to count
    assert report["addressees"] == [
        {"name": "Sở Y tế", "kind": "agency", "canonical": None, "members": [], "current": None}
    ]
    assert set(notice.to_json_dict()) == {"document", "tasks"}  # the exchange format is unchanged
    assert json.loads(json.dumps(report, ensure_ascii=False)) == report
