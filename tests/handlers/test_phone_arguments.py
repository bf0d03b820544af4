"""`#N` is always task N; agencies are named or tapped; the digest's one button per task."""

from __future__ import annotations

from datetime import datetime

import pytest

from storage.models import Assignment, InviteCode
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, TZ, Harness, sweep_and_send


async def _bind(bot: Harness, agency: str, user: int, chat: int) -> None:
    await bot.send(ADMIN, ADMIN, f"/moi {agency}")
    code = bot.last_text(ADMIN).split("/dangky ")[1].strip()
    await bot.send(user, chat, f"/dangky {code}")


@pytest.fixture
async def bound(seeded: Harness) -> Harness:
    await _bind(seeded, "Sở Tài chính", FOCAL_A, GROUP_A)
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    return seeded


async def test_hash_n_is_task_n_for_nhiemvu(bound: Harness) -> None:
    await bound.send(FOCAL_A, GROUP_A, "/nhiemvu #16")
    card = bound.last(GROUP_A)
    assert card["text"].startswith("Nhiệm vụ #16 · 22-TB/BCĐ (I.6.2)")
    assert [t for t, _ in bound.emulator.buttons(card)][:4] == [
        "✅ Hoàn thành", "🔄 Đang thực hiện", "⚠️ Vướng mắc", "📅 Xin gia hạn",
    ]  # fmt: skip
    # Another agency's task is not shown in this group, whatever its number.
    await bound.send(FOCAL_A, GROUP_A, "/nhiemvu #1")
    assert "Không tìm thấy nhiệm vụ #1" in bound.last_text(GROUP_A)


async def test_a_number_never_names_an_agency(bound: Harness) -> None:
    await bound.send(ADMIN, ADMIN, "/moi 15")
    assert "là mã nhiệm vụ, không phải tên đơn vị" in bound.last_text(ADMIN)
    await bound.send(ADMIN, OFFICE_GROUP, "/tonghop #15")
    assert "Sở Tài chính" not in bound.last_text(OFFICE_GROUP).split("\n")[0]


async def test_an_agency_is_picked_by_tapping_its_name(bound: Harness) -> None:
    await bound.send(ADMIN, ADMIN, "/moi huyện")
    question = bound.last(ADMIN)
    buttons = bound.emulator.buttons(question)
    assert 2 <= len(buttons) <= 6 and all("#" not in label for label, _ in buttons)
    assert "Ví dụ: /moi " in question["text"]
    _, data = next(b for b in buttons if b[0] == "Huyện Hương Khê")
    await bound.press(ADMIN, ADMIN, question["message_id"], data or "")
    assert "Mã mời cho Huyện Hương Khê" in bound.last_text(ADMIN)
    assert len(await bound.rows(InviteCode, InviteCode.agency_id.is_not(None))) == 2


async def test_reassign_to_an_agency_picked_from_buttons(bound: Harness) -> None:
    await bound.send(ADMIN, ADMIN, "/giaolai #16 huyện")
    question = bound.last(ADMIN)
    data = bound.button(question, "Huyện Kỳ Anh")
    await bound.press(ADMIN, ADMIN, question["message_id"], data)
    assert "Đã giao lại #16 (I.6.2) từ Sở Tài chính cho Huyện Kỳ Anh (mã mới #" in bound.last_text(
        ADMIN
    )


async def test_the_digest_gives_one_button_per_task_and_one_to_acknowledge(
    bound: Harness,
) -> None:
    bound.clock.set(datetime(2019, 12, 31, 8, 0, tzinfo=TZ))
    await sweep_and_send(bound.app)
    digests = [m for m in bound.bot_messages(GROUP_A) if "Nhắc việc ngày" in m["text"]]
    assert digests
    for digest in digests:
        labels = [label for label, _ in bound.emulator.buttons(digest)]
        tasks = [label for label in labels if not label.startswith("👍")]
        lines = [ln for ln in digest["text"].splitlines() if ln[:2].rstrip(".").isdigit()]
        assert len(tasks) == len(lines) and len(labels) <= 6
        assert len(set(tasks)) == len(tasks)  # told apart at a glance: number, code, words
        for n, label in enumerate(tasks, start=1):
            assert label.startswith(f"{n} · #") and len(label.split()) >= 4
        assert any(label.startswith("👍 Đã tiếp nhận") for label in labels)
    first = digests[0]
    label, data = bound.emulator.buttons(first)[0]
    await bound.press(FOCAL_A, GROUP_A, first["message_id"], data or "")
    card = bound.last(GROUP_A)
    code = label.split()[2]
    assert card["text"].startswith(f"Nhiệm vụ {code} ")
    assert "✅ Hoàn thành" in [t for t, _ in bound.emulator.buttons(card)]
    # The reply reader still maps "2 …" through the digest's own lines.
    await bound.send(FOCAL_A, GROUP_A, "2 đạt 40%", reply_to=first["message_id"])
    second = bound.emulator.buttons(first)[1][0].split()[2]
    assert f"Đã ghi nhận {second}: đạt 40%" in bound.last_text(GROUP_A)
    assert (await bound.rows(Assignment, Assignment.id == int(second[1:])))[0].percent == 40
