"""Reading notice files: .txt encodings, .docx paragraphs + task table, .pdf text layer, refusals."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from bot.domain.types import DeadlineKind
from bot.notice_files import NoticeFileError, extract_text, read_notice_file


def _pdf_with_text(lines: list[str]) -> bytes:
    """A minimal one-page PDF whose text layer holds ``lines`` (ASCII, Helvetica)."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 10 Tf", "14 TL", "40 800 Td"]
    for line in lines:
        ops.append(f"({esc(line)}) Tj T*")
    ops.append("ET")
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


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx_with_task_table() -> bytes:
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 88/TB-UBND"
    header.cell(1, 1).text = "Hà Tĩnh, ngày 10 tháng 01 năm 2020"
    document.add_paragraph("THÔNG BÁO")
    document.add_paragraph("Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 01/2020")
    document.add_paragraph(
        "Ngày 08/01/2020, Chủ tịch UBND tỉnh chủ trì cuộc họp giao ban. Chủ tịch UBND tỉnh "
        "giao nhiệm vụ cụ thể như sau:"
    )
    rows = [
        ["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn hoàn thành"],
        ["1", "Tham mưu phân bổ vốn sự nghiệp năm 2020", "Sở Tài chính", "Sở KH&ĐT", "31/3/2020"],
        ["2", "Tổng kết Chương trình OCOP năm 2019", "VP Điều phối NTM tỉnh", "", "Quý I/2020"],
        ["3", "Rà soát hộ nghèo", "UBND các huyện, thành phố, thị xã", "Sở LĐTBXH", "Thường xuyên"],
        ["4", "Báo cáo tình hình dịch bệnh", "Sở NN&PTNT", "", "31/02/2020"],
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(
        "Giao Văn phòng UBND tỉnh theo dõi, đôn đốc việc thực hiện Thông báo này./."
    )
    document.add_paragraph("Nơi nhận:")
    document.add_paragraph("- Như trên;")
    document.add_paragraph("KT. CHỦ TỊCH")
    document.add_paragraph("PHÓ CHỦ TỊCH")
    document.add_paragraph("Đặng Quốc Vinh")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_txt_utf8_with_bom(fixtures_dir: Path) -> None:
    data = (fixtures_dir / "45-TB-UBND-sentence.txt").read_bytes()
    notice = read_notice_file("tb.txt", b"\xef\xbb\xbf" + data)
    assert notice.document.number == "45/TB-UBND"
    assert len(notice.tasks) == 6


def test_txt_utf16_with_bom(fixtures_dir: Path) -> None:
    text = (fixtures_dir / "45-TB-UBND-sentence.txt").read_text(encoding="utf-8")
    notice = read_notice_file("TB.TXT", text.encode("utf-16"))
    assert notice.document.date == date(2020, 3, 12)


def test_txt_cp1258_is_refused_as_not_utf8() -> None:
    data = "Thông báo: Tài chính, hoàn thành".encode("cp1258")  # letters cp1258 has precomposed
    with pytest.raises(NoticeFileError) as info:
        read_notice_file("tb.txt", data)
    assert info.value.code == "not_utf8"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Th«ng b¸o kÕt luËn cña Ban chØ ®¹o tØnh".encode("cp1252"), "TCVN3"),
        ("Th«ng b¸o kÕt luËn cña Ban chØ ®¹o tØnh".encode(), "TCVN3"),
        ("Thoâng baùo keát luaän cuûa Ban chæ ñaïo".encode(), "VNI"),
    ],
)
def test_legacy_fonts_are_refused(data: bytes, expected: str) -> None:
    with pytest.raises(NoticeFileError) as info:
        read_notice_file("tb.txt", data)
    assert (info.value.code, info.value.detail) == ("legacy_encoding", expected)


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("tb.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("tb.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("tb.docx", b"just some text, not a zip"),
        ("tb.pdf", b"MZ\x90\x00 this is an executable"),
        ("tb.txt", b"%PDF-1.4 pretending to be text"),
        ("tb.txt", b"PK\x03\x04 a zip"),
        ("tb.jpg", b"\xff\xd8\xff\xe0 jpeg"),
        ("notice", b"no extension"),
    ],
)
def test_unsupported_types_by_extension_and_magic(filename: str, data: bytes) -> None:
    with pytest.raises(NoticeFileError) as info:
        read_notice_file(filename, data)
    assert info.value.code == "unsupported_type"


def test_zip_that_is_not_a_word_document() -> None:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(NoticeFileError) as info:
        read_notice_file("tb.docx", buffer.getvalue())
    assert info.value.code == "unsupported_type"


@pytest.mark.parametrize("data", [b"", b"   \r\n\t ", b"\xef\xbb\xbf"])
def test_empty(data: bytes) -> None:
    with pytest.raises(NoticeFileError) as info:
        read_notice_file("tb.txt", data)
    assert info.value.code == "empty"


def test_too_large() -> None:
    with pytest.raises(NoticeFileError) as info:
        read_notice_file("tb.txt", b"a" * 2048, max_size=1024)
    assert info.value.code == "too_large"


def test_default_limit_is_20_mb() -> None:
    with pytest.raises(NoticeFileError) as info:
        extract_text("tb.txt", b" " * (20 * 1024 * 1024 + 1))
    assert info.value.code == "too_large"


def test_docx_task_table_merged_with_metadata() -> None:
    notice = read_notice_file("tb.docx", _docx_with_task_table())
    doc = notice.document
    assert (doc.number, doc.date, doc.place) == ("88/TB-UBND", date(2020, 1, 10), "Hà Tĩnh")
    assert doc.issuer == "Ủy ban nhân dân tỉnh Hà Tĩnh"
    assert doc.signer == "Đặng Quốc Vinh"
    tasks = {t.code: t for t in notice.tasks}
    assert list(tasks) == ["1", "2", "3", "4", "VB.1"]  # text tasks clashing with rows: "VB."
    assert tasks["1"].lead == ("Sở Tài chính",)
    assert tasks["1"].coordinating == ("Sở KH&ĐT",)
    assert (tasks["1"].deadline.kind, tasks["1"].deadline.end) == (
        DeadlineKind.DATE,
        date(2020, 3, 31),
    )
    assert tasks["2"].deadline.kind == DeadlineKind.QUARTER
    assert tasks["3"].lead == ("UBND các huyện, thành phố, thị xã",)
    assert tasks["3"].deadline.kind == DeadlineKind.NONE
    assert tasks["4"].problems == ("Ngày không hợp lệ: 31/02/2020",)
    assert tasks["VB.1"].lead == ("Văn phòng UBND tỉnh",)  # the follow-up sentence under the table
    assert "Sở Tài chính" in notice.agencies


def test_docx_extract_keeps_table_rows() -> None:
    extracted = extract_text("tb.docx", _docx_with_task_table())
    assert "THÔNG BÁO" in extracted.text
    assert extracted.tables[1][0][0] == "TT"
    assert extracted.tables[1][1][2] == "Sở Tài chính"
    assert "Tham mưu phân bổ" not in extracted.text  # task rows are not repeated as text


def test_pdf_text_layer_joins_wrapped_lines() -> None:
    lines = [
        "UBND TINH HA TINH",
        "So: 15/TB-UBND",
        "Ha Tinh, ngay 20 thang 02 nam 2020",
        "THONG BAO",
        "Ket luan cua Chu tich UBND tinh",
        "Chu tich UBND tinh ket luan nhu sau:",
        "1. Giao So Tai chinh chu tri, phoi hop voi So Ke hoach va Dau tu tham muu bo tri",
        "von doi ung, hoan thanh truoc ngay 31/03/2020.",
        "2. Yeu cau UBND cac huyen bao cao ket qua trong thang 4/2020.",
        "Noi nhan:",
        "- Nhu tren;",
    ]
    notice = read_notice_file("tb.pdf", _pdf_with_text(lines))
    assert notice.document.number == "15/TB-UBND"
    assert notice.document.date == date(2020, 2, 20)
    assert [(t.code, t.lead, t.deadline.kind, t.deadline.end) for t in notice.tasks] == [
        ("1", ("So Tai chinh",), DeadlineKind.DATE, date(2020, 3, 31)),
        ("2", ("UBND cac huyen",), DeadlineKind.MONTH, date(2020, 4, 30)),
    ]
    assert notice.tasks[0].coordinating == ("So Ke hoach va Dau tu",)
    assert "bo tri von doi ung" in notice.tasks[0].text


def test_scanned_pdf_has_no_text_layer() -> None:
    with pytest.raises(NoticeFileError) as info:
        read_notice_file("scan.pdf", _blank_pdf())
    assert info.value.code == "no_text_layer"


def test_broken_pdf_is_unsupported() -> None:
    with pytest.raises(NoticeFileError) as info:
        read_notice_file("x.pdf", b"%PDF-1.4\n garbage without objects")
    assert info.value.code in ("unsupported_type", "no_text_layer")


def test_docx_automatic_numbering_is_restored() -> None:
    """Word keeps "1." and bullets out of the text; the structure must survive anyway."""
    document = docx.Document()
    for line in ("Số: 9/TB-UBND", "Hà Tĩnh, ngày 3 tháng 2 năm 2020", "THÔNG BÁO", "Kết luận"):
        document.add_paragraph(line)
    document.add_paragraph("Sở Công Thương", style="List Number")
    document.add_paragraph("Tổ chức hội chợ trước 30/4/2020.", style="List Bullet")
    document.add_paragraph("Xây dựng kế hoạch.", style="List Bullet")
    document.add_paragraph("Sở Y tế", style="List Number")
    document.add_paragraph("Kiểm tra an toàn thực phẩm.", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    notice = read_notice_file("tb.docx", buffer.getvalue())
    assert [(t.code, t.lead, t.deadline.end) for t in notice.tasks] == [
        ("1.1", ("Sở Công Thương",), date(2020, 4, 30)),
        ("1.2", ("Sở Công Thương",), None),
        ("2", ("Sở Y tế",), None),
    ]
