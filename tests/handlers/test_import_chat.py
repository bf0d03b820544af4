"""Importing a notice in chat: preview first, nothing stored before Lưu, admins only."""

from __future__ import annotations

import io

import docx
from sqlalchemy import true

from bot.domain.callback_data import Act, encode
from bot.messaging.layout import fits
from storage.models import Assignment, ImportDraft, Notice, Task
from tests.harness import ADMIN, FOCAL_A, OFFICE_GROUP, SEED, Harness


async def _send_seed(bot: Harness, user: int, chat: int) -> dict:
    bot.emulator.user_sends_document(user, chat, "22-TB-BCD.txt", SEED.read_bytes())
    await bot.flush()
    return bot.last(chat)


async def test_preview_then_save(bot: Harness) -> None:
    preview = await _send_seed(bot, ADMIN, ADMIN)
    text = preview["text"]
    assert "Xem trước: Thông báo số 22-TB/BCĐ" in text
    assert "27/12/2019" in text
    # As many agencies as one phone screen holds; the rest are counted (🏢 shows all).
    assert "• Văn phòng Điều phối nông thôn mới tỉnh 🆕: 9 + 1" in text and "… và " in text
    assert "Lưu sẽ tạo 33 nhiệm vụ" in text
    assert fits(text, 4)
    assert len(text) <= 4096
    assert await bot.rows(Notice, true()) == []
    # See the tasks before saving, page by page.
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "📋"))
    page = bot.last(ADMIN)
    assert "Nhiệm vụ sẽ lưu" in page["text"] and "I.1.1 🆕" in page["text"]
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "💾"))
    assert "Đã lưu Thông báo số 22-TB/BCĐ" in bot.last_text(ADMIN)
    notices = await bot.rows(Notice, true())
    assert [(n.number, n.issued_on.isoformat()) for n in notices] == [("22-TB/BCĐ", "2019-12-27")]
    tasks = await bot.rows(Task, true())
    assert len(tasks) >= 30
    assert await bot.rows(Assignment, true())
    # Pressing Lưu again does nothing more.
    await bot.press(
        ADMIN, ADMIN, preview["message_id"], encode(Act.IMP, "s", notices[0].id), strict=False
    )
    assert len(await bot.rows(Task, true())) == len(tasks)


async def test_reimport_updates_in_place(bot: Harness) -> None:
    for _ in range(2):
        preview = await _send_seed(bot, ADMIN, ADMIN)
        await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "💾"))
    assert "không có thay đổi" in bot.last_text(ADMIN)
    assert len(await bot.rows(Notice, true())) == 1


async def test_cancel_stores_nothing(bot: Harness) -> None:
    preview = await _send_seed(bot, ADMIN, OFFICE_GROUP)
    await bot.press(ADMIN, OFFICE_GROUP, preview["message_id"], bot.button(preview, "✖️"))
    assert "Đã hủy" in bot.last_text(OFFICE_GROUP)
    assert await bot.rows(Notice, true()) == []
    assert [d.status for d in await bot.rows(ImportDraft, true())] == ["cancelled"]


async def test_a_paste_called_off_with_either_spelling_of_huy_stores_nothing(
    bot: Harness,
) -> None:
    """ "huỷ" and "hủy" are both typed (two places for the tone mark): each cancels; before,
    "huỷ" was read as the notice's text and answered "no task found"."""
    for word in ("huỷ", "Hủy", "thôi."):
        await bot.send(ADMIN, ADMIN, "/nhapvanban")
        await bot.send(ADMIN, ADMIN, word)
        assert bot.last_text(ADMIN) == "Đã hủy.", word
    assert await bot.rows(ImportDraft, true()) == []


async def test_non_admin_is_refused(bot: Harness) -> None:
    await _send_seed(bot, FOCAL_A, FOCAL_A)
    assert "Chỉ Văn phòng Điều phối được nhập văn bản" in bot.last_text(FOCAL_A)
    await bot.send(FOCAL_A, FOCAL_A, "/nhapvanban")
    assert await bot.rows(ImportDraft, true()) == []


async def test_wrong_type_and_scanned_pdf(bot: Harness) -> None:
    bot.emulator.user_sends_document(ADMIN, ADMIN, "bang-tinh.xlsx", b"PK\x03\x04junk")
    await bot.flush()
    assert "không đúng định dạng" in bot.last_text(ADMIN)
    bot.emulator.user_sends_document(ADMIN, ADMIN, "scan.pdf", _blank_pdf())
    await bot.flush()
    assert "bản scan" in bot.last_text(ADMIN)
    assert await bot.rows(ImportDraft, true()) == []


async def test_pasted_text(bot: Harness) -> None:
    await bot.send(ADMIN, ADMIN, "/nhapvanban")
    assert "dán toàn văn" in bot.last_text(ADMIN)
    await bot.send(ADMIN, ADMIN, SEED.read_text(encoding="utf-8")[:4000])
    assert "Xem trước" in bot.last_text(ADMIN)


async def test_docx_with_task_table(bot: Harness) -> None:
    document = docx.Document()
    document.add_paragraph("UBND TỈNH HÀ TĨNH")
    document.add_paragraph("Số: 15/TB-UBND")
    document.add_paragraph("Hà Tĩnh, ngày 10 tháng 01 năm 2020")
    document.add_paragraph("THÔNG BÁO")
    document.add_paragraph("Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban")
    table = document.add_table(rows=1, cols=5)
    for cell, title in zip(
        table.rows[0].cells,
        ["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"],
        strict=True,
    ):
        cell.text = title
    row = table.add_row().cells
    for cell, value in zip(
        row,
        [
            "1",
            "Hoàn thiện dự thảo chính sách hỗ trợ",
            "Sở Tài chính",
            "Sở Kế hoạch và Đầu tư",
            "31/03/2020",
        ],
        strict=True,
    ):
        cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    bot.emulator.user_sends_document(ADMIN, ADMIN, "15-TB-UBND.docx", buffer.getvalue())
    await bot.flush()
    preview = bot.last(ADMIN)
    assert "15/TB-UBND" in preview["text"], preview["text"]
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "💾"))
    task = next(t for t in await bot.rows(Task, true()) if "chính sách hỗ trợ" in t.text)
    assert task.deadline_end.isoformat() == "2020-03-31"


def _blank_pdf() -> bytes:
    """A one-page PDF with no text layer (what a scanner produces, minus the image)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
