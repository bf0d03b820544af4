"""/tonghop and /xuatbaocao in chat, and the weekly summary sent once per week."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from docx import Document

from bot.messaging.layout import fits
from storage.models import DispatchLog, OutboxMessage
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, SEED, Harness, weekly_and_send

WEEK = timedelta(days=7)


@pytest.fixture
async def office(seeded: Harness) -> Harness:
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await seeded.send(ADMIN, ADMIN, "/moi Sở Tài chính")
    code = seeded.last_text(ADMIN).split("/dangky ")[1].strip()
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {code}")
    return seeded


async def test_summary_in_office_with_chart(office: Harness) -> None:
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop")
    messages = office.bot_messages(OFFICE_GROUP)
    digest = next(m for m in reversed(messages) if "TỔNG HỢP" in (m.get("text") or ""))
    assert re.search(r"\d+ nhiệm vụ, \d+ lượt giao", digest["text"])
    assert len(digest["text"]) <= 4096
    assert "photo" in messages[-1]


async def test_summary_in_agency_chat_shows_only_that_agency(office: Harness) -> None:
    await office.send(FOCAL_A, GROUP_A, "/tonghop")
    text = office.last_text(GROUP_A)
    assert "Sở Tài chính" in text
    assert "Sở Công Thương" not in text


async def test_an_agency_asking_for_what_is_not_a_period_is_told_so(office: Harness) -> None:
    """A focal point may only pick a period; anything else used to fall back to this week."""
    sent = len(office.bot_messages(GROUP_A))
    await office.send(FOCAL_A, GROUP_A, "/tonghop thang 13")
    answer = office.last_text(GROUP_A)
    assert "Không hiểu «thang 13»" in answer and "tuan | thang" in answer
    assert "số văn bản" not in answer  # the office's filters are not offered
    assert len(office.bot_messages(GROUP_A)) == sent + 1  # no summary, no chart
    await office.send(FOCAL_A, GROUP_A, "/tonghop thang 1/2020")
    assert "Tháng 01/2020" in office.last_text(GROUP_A)


async def test_a_task_number_means_the_task_and_every_usage_shows_real_examples(
    office: Harness,
) -> None:
    """#N is task N everywhere: /tonghop #15 (or 15) points to the task's card, never to an
    agency or a notice. Anything else gets examples that run as typed, for the command used."""
    for arg in ("#15", "15"):
        await office.send(ADMIN, ADMIN, f"/tonghop {arg}")
        assert office.last_text(ADMIN).startswith(
            "«#15» là số nhiệm vụ: xem nhiệm vụ đó bằng /nhiemvu #15."
        )
    await office.send(ADMIN, ADMIN, "/tonghop xyz")
    assert "Ví dụ: /tonghop thang, /tonghop Sở Tài chính, /tonghop 22-TB/BCĐ" in office.last_text(
        ADMIN
    )
    await office.send(ADMIN, ADMIN, "/xuatbaocao xyz")
    assert "Ví dụ: /xuatbaocao thang" in office.last_text(ADMIN)
    await office.send(FOCAL_A, GROUP_A, "/tonghop #15")
    assert "/nhiemvu #15" in office.last_text(GROUP_A)


async def test_a_range_typed_backwards_is_explained(office: Harness) -> None:
    await office.send(ADMIN, ADMIN, "/tonghop 31/01/2020-01/01/2020")
    assert office.last_text(ADMIN) == (
        "Ngày kết thúc (01/01/2020) đứng trước ngày bắt đầu (31/01/2020). "
        "Nhập ngày đầu trước, ví dụ /tonghop 01/01/2020-31/01/2020."
    )
    await office.send(ADMIN, ADMIN, "/xuatbaocao 31/01/2020-01/01/2020")
    assert "ví dụ /xuatbaocao 01/01/2020-31/01/2020" in office.last_text(ADMIN)


async def test_summary_filters(office: Harness) -> None:
    await office.send(ADMIN, ADMIN, "/tonghop 99-TB/XYZ")
    assert "Không hiểu" in office.last_text(ADMIN) or "Không tìm thấy" in office.last_text(ADMIN)
    await office.send(ADMIN, ADMIN, "/tonghop 22-TB/BCĐ")
    assert "22-TB/BCĐ" in "".join(m.get("text") or "" for m in office.bot_messages(ADMIN)[-2:])
    # A name that fits several agencies lists them, each with the command naming it by number.
    await office.send(ADMIN, ADMIN, "/tonghop so tai")
    ambiguous = office.last_text(ADMIN)
    assert (
        "khớp nhiều đơn vị" in ambiguous
        and "• Sở Tài chính" in ambiguous
        and "Ví dụ: /tonghop Sở" in ambiguous
    )


async def test_export_sends_excel_and_word(office: Harness) -> None:
    await office.send(ADMIN, ADMIN, "/xuatbaocao")
    documents = [
        r for r in office.emulator.sent if r.method == "sendDocument" and r.chat_id == ADMIN
    ]
    names = [r.filename for r in documents]
    assert any(n.endswith(".xlsx") for n in names) and any(n.endswith(".docx") for n in names)
    xlsx = next(r.data for r in documents if r.filename.endswith(".xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert "Phụ lục" in workbook.sheetnames


async def test_the_digests_buttons_give_the_overdue_list_and_the_files(office: Harness) -> None:
    """The phone-sized digest leaves the rest to its buttons: the overdue tasks in full, the
    Excel appendix, the Word report; the files only to whoever may export."""
    office.clock.advance(WEEK)
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop")
    digest = next(
        m
        for m in reversed(office.bot_messages(OFFICE_GROUP))
        if "TỔNG HỢP" in (m.get("text") or "")
    )
    buttons = {
        b["text"]: b["callback_data"]
        for row in digest["reply_markup"]["inline_keyboard"]
        for b in row
    }
    assert buttons == {
        "⚠️ Xem nhiệm vụ quá hạn": "open:od",
        "📊 Phụ lục Excel": "rep:x",
        "📄 Báo cáo Word": "rep:w",
    }
    await office.press(ADMIN, OFFICE_GROUP, digest["message_id"], "rep:x")
    sent = [r for r in office.emulator.sent if r.method == "sendDocument"]
    assert [r.filename.endswith(".xlsx") for r in sent] == [True]
    assert "Phụ lục" in openpyxl.load_workbook(io.BytesIO(sent[0].data)).sheetnames
    await office.press(ADMIN, OFFICE_GROUP, digest["message_id"], "rep:w")
    assert office.emulator.sent[-1].filename.endswith(".docx")
    await office.press(FOCAL_A, OFFICE_GROUP, digest["message_id"], "rep:x", strict=False)
    assert len([r for r in office.emulator.sent if r.method == "sendDocument"]) == 2


async def test_export_is_admin_only(office: Harness) -> None:
    await office.send(FOCAL_A, GROUP_A, "/xuatbaocao")
    assert not [r for r in office.emulator.sent if r.method == "sendDocument"]


async def test_weekly_summary_once_per_week(office: Harness) -> None:
    office.clock.advance(WEEK)  # the next Friday: the notice is no longer today's
    first = await weekly_and_send(office.app)
    assert first >= 2  # the office and Sở Tài chính's group
    again = await weekly_and_send(office.app)
    assert again == 0
    office_texts = [m.get("text") or "" for m in office.bot_messages(OFFICE_GROUP)]
    assert sum("TỔNG HỢP" in t for t in office_texts) == 1
    assert "Sở Tài chính" in office.last_text(GROUP_A)
    rows = await office.rows(DispatchLog, DispatchLog.kind == "weekly")
    assert len(rows) == first and all(r.sent_at is not None for r in rows)
    # Claimed and queued together; the outbox carried each, the office's chart with it.
    carried = await office.rows(OutboxMessage, OutboxMessage.purpose.in_(["weekly", "chart"]))
    assert all(o.message_id and o.sent_at for o in carried)
    assert sorted(o.purpose for o in carried if o.chat_id == OFFICE_GROUP) == ["chart", "weekly"]
    photos = [r for r in office.emulator.sent if r.method == "sendPhoto"]
    assert [r.chat_id for r in photos] == [OFFICE_GROUP]


async def test_a_weekly_summary_that_failed_for_one_chat_waits_in_the_outbox_and_arrives_once(
    office: Harness,
) -> None:
    """A 502 on the agency's group does not hold up the others: that group's summary waits
    in the outbox, is tried again after its backoff and arrives once; the week is done (no
    later run queues anything), and nobody gets a second one."""
    office.clock.advance(WEEK)
    office.emulator.faults.inject("sendMessage", "bad_gateway", chat_id=GROUP_A)
    first = await weekly_and_send(office.app)
    assert first >= 2 and "tình hình thực hiện nhiệm vụ" not in office.last_text(GROUP_A)
    office_texts = [m.get("text") or "" for m in office.bot_messages(OFFICE_GROUP)]
    assert sum("TỔNG HỢP" in t for t in office_texts) == 1
    assert await weekly_and_send(office.app) == 0  # the week is queued: done
    await office.drain(settle=True)  # the outbox's retry, the clock moved to it
    assert "tình hình thực hiện nhiệm vụ" in office.last_text(GROUP_A)
    group = [m.get("text") or "" for m in office.bot_messages(GROUP_A)]
    assert sum("tình hình thực hiện nhiệm vụ" in t for t in group) == 1
    office_texts = [m.get("text") or "" for m in office.bot_messages(OFFICE_GROUP)]
    assert sum("TỔNG HỢP" in t for t in office_texts) == 1


async def test_no_weekly_summary_on_the_day_its_notice_was_imported(office: Harness) -> None:
    """Every task was given today: nothing to sum up, nobody scolded; the week is done."""
    assert await weekly_and_send(office.app) == 0
    assert not [m for m in office.emulator.sent if "TỔNG HỢP" in (m.text or "")]
    office.clock.advance(timedelta(hours=1))
    assert await weekly_and_send(office.app) == 0


async def test_weekly_summary_not_resent_after_a_restart(sqlite_url: str) -> None:
    """A second process on the same database (a restart, or a second instance) sends nothing."""
    from bot.domain.notice import parse_notice
    from tests.harness import SEED, running_bot

    async with running_bot(sqlite_url) as first:
        text = SEED.read_text(encoding="utf-8")
        await first.services.notices.import_notice(
            parse_notice(text), source_text=text, by_user_id=None
        )
        await first.send(ADMIN, OFFICE_GROUP, "/vanphong")
        first.clock.advance(WEEK)
        assert await weekly_and_send(first.app) >= 1
        later = first.clock.now()
    async with running_bot(sqlite_url, now=later) as second:
        assert await weekly_and_send(second.app) == 0
        assert not [m for m in second.emulator.sent if "TỔNG HỢP" in (m.text or "")]


def _digest_after(office: Harness, chat: int) -> dict:
    return next(
        m for m in reversed(office.bot_messages(chat)) if "TỔNG HỢP" in (m.get("text") or "")
    )


def _files_buttons(digest: dict) -> dict[str, str]:
    return {
        b["text"]: b["callback_data"]
        for row in digest["reply_markup"]["inline_keyboard"]
        for b in row
        if b["callback_data"].startswith("rep:")
    }


def _shown_total(digest: dict) -> int:
    match = re.search(r"(\d+) lượt giao", digest["text"])
    assert match is not None
    return int(match[1])


async def test_the_files_under_a_filtered_digest_hold_what_it_shows(office: Harness) -> None:
    """📊/📄 under `/tonghop <agency>` send that agency's roll-up, not the whole week's: the
    file's Tổng cộng equals the message's total; an old button without a filter (and the
    weekly digest's) still sends everything."""
    office.clock.advance(WEEK)
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop")
    everything = _shown_total(_digest_after(office, OFFICE_GROUP))
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop Sở Tài chính")
    digest = _digest_after(office, OFFICE_GROUP)
    shown = _shown_total(digest)
    assert 0 < shown < everything  # the filter shows less: a whole-week file would differ
    buttons = _files_buttons(digest)
    xlsx_data, docx_data = buttons["📊 Phụ lục Excel"], buttons["📄 Báo cáo Word"]
    assert re.fullmatch(r"rep:x:a\d+", xlsx_data) and docx_data == "rep:w" + xlsx_data[5:]
    await office.press(ADMIN, OFFICE_GROUP, digest["message_id"], xlsx_data)
    sent = office.emulator.sent[-1]
    assert sent.method == "sendDocument" and sent.filename.endswith(".xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(sent.data))["Phụ lục"]
    total = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Tổng cộng")
    assert total[2] == shown
    await office.press(ADMIN, OFFICE_GROUP, digest["message_id"], docx_data)
    sent = office.emulator.sent[-1]
    assert sent.filename.endswith(".docx")
    last = Document(io.BytesIO(sent.data)).tables[-1].rows[-1].cells
    assert last[1].text == "Tổng cộng" and int(last[2].text) == shown
    # The button sent before filters were carried keeps its meaning: everything.
    await office.press(ADMIN, OFFICE_GROUP, digest["message_id"], "rep:x", strict=False)
    ws = openpyxl.load_workbook(io.BytesIO(office.emulator.sent[-1].data))["Phụ lục"]
    total = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Tổng cộng")
    assert total[2] == everything


async def test_the_files_carry_the_digests_notice_and_period(office: Harness) -> None:
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop 22-TB/BCĐ")
    digest = _digest_after(office, OFFICE_GROUP)
    data = _files_buttons(digest)["📊 Phụ lục Excel"]
    assert re.fullmatch(r"rep:x:n\d+", data)
    await office.press(ADMIN, OFFICE_GROUP, digest["message_id"], data)
    ws = openpyxl.load_workbook(io.BytesIO(office.emulator.sent[-1].data))["Phụ lục"]
    total = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Tổng cộng")
    assert total[2] == _shown_total(digest)
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop thang 1/2020")
    digest = _digest_after(office, OFFICE_GROUP)
    data = _files_buttons(digest)["📄 Báo cáo Word"]
    assert data == "rep:w:pm2020010120200131"
    await office.press(ADMIN, OFFICE_GROUP, digest["message_id"], data)
    body = "\n".join(p.text for p in Document(io.BytesIO(office.emulator.sent[-1].data)).paragraphs)
    assert "01/2020" in body
    # A damaged or forged filter is refused, never widened to everything.
    files = len([r for r in office.emulator.sent if r.method == "sendDocument"])
    for forged in ("rep:x:zz", "rep:x:a1:a2", "rep:x:pm2020010120200230", "rep:x:n999999"):
        await office.press(ADMIN, OFFICE_GROUP, digest["message_id"], forged, strict=False)
    assert len([r for r in office.emulator.sent if r.method == "sendDocument"]) == files


async def test_tasks_given_to_no_agency_are_counted_beside_the_rollup(bot: Harness) -> None:
    """Review I2: the preview says 33 tasks, the roll-up 28 (it counts assignments); the 5
    tasks given to no agency are named so the office does not think they were lost."""
    bot.emulator.user_sends_document(ADMIN, ADMIN, "22-TB-BCD.txt", SEED.read_bytes())
    await bot.flush()
    preview = bot.last(ADMIN)
    previewed = int(re.search(r"📋 (?:<b>)?(\d+)", preview["text"]).group(1))  # type: ignore[union-attr]
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "💾"))
    await bot.send(ADMIN, ADMIN, "/tonghop")
    digest = next(
        m["text"] for m in reversed(bot.bot_messages(ADMIN)) if "TỔNG HỢP" in (m.get("text") or "")
    )
    rolled = int(re.search(r"(\d+) nhiệm vụ, \d+ lượt giao", digest).group(1))  # type: ignore[union-attr]
    assert rolled < previewed
    assert f"+ {previewed - rolled} nhiệm vụ chưa giao đơn vị" in digest
    assert fits(digest, 6)


async def test_the_weekly_chart_says_what_it_shows_and_for_which_week(office: Harness) -> None:
    """Review U2: the Friday chart came bare. Its caption names what it draws and the week,
    dd/mm/yyyy, as /tonghop's chart does."""
    office.clock.advance(WEEK)
    assert await weekly_and_send(office.app) >= 1
    photos = [r for r in office.emulator.sent if r.method == "sendPhoto"]
    assert [r.chat_id for r in photos] == [OFFICE_GROUP]
    period = office.services.summary.default_period(office.services.ctx.today())
    caption = photos[0].caption or ""
    assert caption.startswith("Biểu đồ tình hình thực hiện nhiệm vụ theo đơn vị")
    assert f"{period.start:%d/%m/%Y} - {period.end:%d/%m/%Y}" in caption
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop thang 1/2020")
    asked = [r for r in office.emulator.sent if r.method == "sendPhoto"][-1].caption or ""
    assert "Tháng 01/2020" in asked and "Biểu đồ" in asked


async def test_a_date_on_no_calendar_is_named_with_an_example_that_works(office: Harness) -> None:
    """Review U4: `/tonghop 01/02/2026-31/02/2026` got "Không hiểu"; now the answer names the
    date that does not exist and why, offers the command mended, and sends no summary."""
    sent = len(office.emulator.sent)
    await office.send(ADMIN, ADMIN, "/tonghop 01/02/2026-31/02/2026")
    assert office.last_text(ADMIN) == (
        "Không có ngày 31/02/2026: tháng 02/2026 chỉ có 28 ngày. Chưa có gì thay đổi. "
        "Nhập ngày có thật, ví dụ /tonghop 01/02/2026-28/02/2026."
    )
    await office.send(ADMIN, ADMIN, "/tonghop 00/13/2026-31/12/2026")
    answer = office.last_text(ADMIN)
    assert answer.startswith("Không có ngày 00/13/2026: một năm chỉ có 12 tháng")
    assert answer.endswith("ví dụ /tonghop 01/12/2026-31/12/2026.")
    await office.send(FOCAL_A, GROUP_A, "/tonghop 31/04/2026-01/05/2026")  # an agency's own
    assert office.last_text(GROUP_A).startswith("Không có ngày 31/04/2026: tháng 04/2026 chỉ có 30")
    await office.send(ADMIN, ADMIN, "/xuatbaocao 30/02/2024-31/03/2024")
    assert office.last_text(ADMIN).endswith("ví dụ /xuatbaocao 29/02/2024-31/03/2024.")
    replies = office.emulator.sent[sent:]
    assert [r.method for r in replies] == ["sendMessage"] * 4  # one answer each, no file
    # The mended example works.
    await office.send(ADMIN, ADMIN, "/tonghop 01/02/2026-28/02/2026")
    assert any("TỔNG HỢP" in (m.get("text") or "") for m in office.bot_messages(ADMIN)[-2:])


def _overdue_shown(digest: dict) -> int:
    """The digest's overdue figure: the overdue parts of its "đang" and "chưa" lines."""
    parts = re.findall(r"(?:Đang thực hiện|Chưa thực hiện) \d+ \(quá hạn (\d+)\)", digest["text"])
    assert len(parts) == 2
    return sum(int(p) for p in parts)


async def _overdue_list(office: Harness, digest: dict) -> tuple[str, str]:
    """Press ⚠️ under `digest`: its callback data and the list it sends."""
    data = next(
        b["callback_data"]
        for row in digest["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"].startswith("⚠️")
    )
    await office.press(ADMIN, OFFICE_GROUP, digest["message_id"], data)
    return data, office.last_text(OFFICE_GROUP)


def _listed(text: str) -> int:
    match = re.search(r"Trang \d+/\d+ · (\d+) (?:nhiệm vụ|lượt giao)", text)
    return int(match[1]) if match else 0


async def test_the_overdue_button_under_a_filtered_digest_lists_what_it_counts(
    office: Harness,
) -> None:
    """⚠️ under `/tonghop <agency>` (or a notice) listed every overdue task of every agency;
    now it carries the digest's filter as 📊/📄 do, and lists as many as the digest counts."""
    office.clock.advance(WEEK * 30)  # most deadlines of the seed have passed
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop")
    _, everything = await _overdue_list(office, _digest_after(office, OFFICE_GROUP))
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop Sở Tài chính")
    digest = _digest_after(office, OFFICE_GROUP)
    data, listed = await _overdue_list(office, digest)
    assert re.fullmatch(r"open:oda\d+", data)
    assert "Sở Tài chính" in listed.splitlines()[0]
    assert 0 < _listed(listed) == _overdue_shown(digest) < _listed(everything)
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop 22-TB/BCĐ")
    digest = _digest_after(office, OFFICE_GROUP)
    data, listed = await _overdue_list(office, digest)
    assert re.fullmatch(r"open:odn\d+", data) and "22-TB/BCĐ" in listed.splitlines()[0]
    assert _listed(listed) == _overdue_shown(digest)
    # A period does not change what is overdue today: the same list as everything's.
    await office.send(ADMIN, OFFICE_GROUP, "/tonghop thang")
    data, listed = await _overdue_list(office, _digest_after(office, OFFICE_GROUP))
    assert data == "open:od" and _listed(listed) == _listed(everything)
    # A forged filter is refused, never widened to everything.
    sent = len(office.emulator.sent)
    await office.press(ADMIN, OFFICE_GROUP, digest["message_id"], "open:odx1", strict=False)
    assert not [r for r in office.emulator.sent[sent:] if r.method == "sendMessage"]
