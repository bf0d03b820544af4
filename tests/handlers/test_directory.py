"""Groups of agencies and the office's directory (issue 15, items 3 and 4): a group is
assigned member by member as the preview shows, asked about when the office has not defined
it (❓ → 👥 defines it and the preview is computed again), never expanded onto another
province's districts, never an agency; /donvi renames, merges and adds aliases."""

from __future__ import annotations

import json

from sqlalchemy import true

from bot.domain.import_plan import ImportPlan
from storage.models import Agency, AgencyAlias, Assignment, ImportDraft, Task
from tests.harness import ADMIN, FOCAL_A, SEED, Harness, running_bot

DISTRICTS = "Huyện Kỳ Anh\nHuyện Can Lộc\nThị xã Hồng Lĩnh"
NOTICE = """UBND TỈNH HÀ TĨNH
Số: 12/TB-UBND
Hà Tĩnh, ngày 05 tháng 3 năm 2024
THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về phòng, chống dịch bệnh
Chủ tịch UBND tỉnh kết luận như sau:
1. UBND các huyện, thành phố, thị xã chỉ đạo tiêm phòng cho đàn vật nuôi, hoàn thành trước ngày 30/4/2024.
2. Sở TN&MT chủ trì, phối hợp với UBND huyện Can Lộc kiểm tra các điểm xả thải, báo cáo trước ngày 15/5/2024.
"""


async def _send_text(bot: Harness, text: str, name: str = "tb.txt") -> dict:
    bot.emulator.user_sends_document(ADMIN, ADMIN, name, text.encode())
    await bot.flush()
    return bot.last(ADMIN)


async def _plan(bot: Harness) -> ImportPlan:
    draft = max(await bot.rows(ImportDraft, true()), key=lambda d: d.id)
    return ImportPlan.from_dict(json.loads(draft.parsed_json)["plan"])


async def _live(bot: Harness) -> set[tuple[str, str]]:
    tasks = {t.id: t.code for t in await bot.rows(Task, true())}
    names = {a.id: a.name for a in await bot.rows(Agency, true())}
    return {
        (tasks[a.task_id], names[a.agency_id])
        for a in await bot.rows(Assignment, true())
        if a.status != "cancelled"
    }


async def test_a_group_is_asked_about_defined_then_expanded_as_previewed(bot: Harness) -> None:
    preview = await _send_text(bot, NOTICE)
    assert "1 nhóm chưa có danh sách đơn vị" in preview["text"]
    assert "Sở Tài nguyên và Môi trường 🆕" in preview["text"] or "🏢" in preview["text"]
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "❓"))
    question = bot.last(ADMIN)
    assert "☑️ Chọn đơn vị" in question["text"] and "⏭ Bỏ qua" in question["text"]
    await bot.press(ADMIN, ADMIN, question["message_id"], bot.button(question, "👥"))
    assert "chưa có danh sách đơn vị" in bot.last_text(ADMIN)
    await bot.send(ADMIN, ADMIN, DISTRICTS)
    again = bot.last(ADMIN)
    assert "Đã lưu nhóm «Các huyện, thị xã, thành phố»: 3 đơn vị" in again["text"]
    assert "nhóm chưa có danh sách" not in again["text"]
    plan = await _plan(bot)
    # The first preview is superseded: its Lưu saves nothing.
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "💾"), strict=False)
    assert await bot.rows(Task, true()) == []
    await bot.press(ADMIN, ADMIN, again["message_id"], bot.button(again, "💾"))
    assert {(c, a) for c, a, _ in plan.saved_assignments()} == await _live(bot)
    assert await _live(bot) == {
        ("1", "Huyện Kỳ Anh"),
        ("1", "Huyện Can Lộc"),
        ("1", "Thị xã Hồng Lĩnh"),
        ("2", "Sở Tài nguyên và Môi trường"),
        ("2", "Huyện Can Lộc"),
    }
    names = {a.name for a in await bot.rows(Agency, true())}
    assert not [n for n in names if n.lower().startswith(("các", "ubnd"))]


async def test_another_provinces_notice_is_not_expanded_onto_our_districts(
    database_url: str,
) -> None:
    async with running_bot(database_url, province="Hà Tĩnh") as bot:
        members = DISTRICTS.replace("\n", "; ")
        await bot.send(ADMIN, ADMIN, f"/donvi nhom Các huyện, thị xã, thành phố: {members}")
        assert "3 đơn vị" in bot.last_text(ADMIN)
        ours = await _send_text(bot, NOTICE)
        assert "nhóm chưa có danh sách" not in ours["text"]
        # The same group in a Quảng Bình notice is a question, not Hà Tĩnh's districts.
        theirs = NOTICE.replace("HÀ TĨNH", "QUẢNG BÌNH").replace(
            "Hà Tĩnh, ngày", "Quảng Bình, ngày"
        )
        preview = await _send_text(bot, theirs.replace("12/TB-UBND", "99/TB-UBND"))
        assert "1 nhóm chưa có danh sách đơn vị" in preview["text"]
        plan = await _plan(bot)
        assert {a for _, a, _ in plan.saved_assignments()} == {
            "Sở Tài nguyên và Môi trường",
            "Huyện Can Lộc",
        }


async def test_the_directory_in_chat_rename_alias_merge(bot: Harness) -> None:
    text = SEED.read_text(encoding="utf-8")
    preview = await _send_text(bot, text, SEED.name)
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "💾"))
    await bot.send(ADMIN, ADMIN, "/donvi")
    listing = bot.last_text(ADMIN)
    assert "Danh bạ đơn vị (18 đơn vị, 0 nhóm; trang 1/2)" in listing
    await bot.send(ADMIN, ADMIN, "/donvi 2")
    assert "• Sở Tài chính: 2 nhiệm vụ" in bot.last_text(ADMIN)
    await bot.send(ADMIN, ADMIN, "/donvi bidanh Sở Tài chính | STC Hà Tĩnh")
    assert "bí danh" in bot.last_text(ADMIN)
    await bot.send(ADMIN, ADMIN, "/donvi doiten Báo Hà Tĩnh | Báo Hà Tĩnh điện tử")
    assert "Đã đổi tên" in bot.last_text(ADMIN)
    aliases = {a.alias for a in await bot.rows(AgencyAlias, true())}
    assert {"STC Hà Tĩnh", "Báo Hà Tĩnh"} <= aliases
    before = await _live(bot)
    await bot.send(ADMIN, ADMIN, "/donvi gop Sở Kế hoạch và Đầu tư | Sở Tài chính")
    assert "Đã gộp" in bot.last_text(ADMIN)
    merged = [a for a in await bot.rows(Agency, true()) if a.name == "Sở Kế hoạch và Đầu tư"]
    assert merged and not merged[0].active
    after = await _live(bot)
    assert {c for c, a in before if a == "Sở Kế hoạch và Đầu tư"} <= {
        c for c, a in after if a == "Sở Tài chính"
    }
    # The seed read again: its names resolve to the renamed and merged agencies, no change.
    again = await _send_text(bot, text, SEED.name)
    assert "không có thay đổi" in again["text"]


async def test_only_the_office_edits_the_directory(bot: Harness) -> None:
    await bot.send(FOCAL_A, FOCAL_A, "/donvi nhom Các xã: Xã A")
    assert "Chỉ Văn phòng" in bot.last_text(FOCAL_A) or "Văn phòng" in bot.last_text(FOCAL_A)
    assert await bot.rows(Agency, true()) == []


async def test_a_merge_naming_no_agency_suggests_only_close_names(bot: Harness) -> None:
    """Review I3: `/donvi gop Sở A | …` listed every agency with an "a" in its name. Now a
    name that names no agency gets only the agencies it is close to (a typo), or none, says
    which of the two names it was, and nothing is merged."""
    text = SEED.read_text(encoding="utf-8")
    preview = await _send_text(bot, text, SEED.name)
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "💾"))
    before = {(a.name, a.active) for a in await bot.rows(Agency, true())}
    await bot.send(ADMIN, ADMIN, "/donvi gop Sở A | Sở Tài chính")
    answer = bot.last_text(ADMIN)
    assert answer.startswith("Không tìm thấy đơn vị «Sở A»")
    assert "•" not in answer  # no suggestion: nothing is close to "Sở A"
    await bot.send(ADMIN, ADMIN, "/donvi gop Sở Kế hoạch và Đầu tưư | Sở Tài chính")
    answer = bot.last_text(ADMIN)
    assert answer.startswith("Không tìm thấy đơn vị «Sở Kế hoạch và Đầu tưư»")
    assert [line for line in answer.splitlines() if line.startswith("•")] == [
        "• Sở Kế hoạch và Đầu tư"
    ]
    assert "/donvi gop Sở Kế hoạch và Đầu tư | Sở Tài chính" in answer  # the command to send
    await bot.send(ADMIN, ADMIN, "/donvi gop Sở Tài chính | Sở Xay dungg")
    assert bot.last_text(ADMIN).startswith("Không tìm thấy đơn vị «Sở Xay dungg»")
    assert {(a.name, a.active) for a in await bot.rows(Agency, true())} == before
