"""The printed kit binds the right agency through the real application (issue 21, item 4).

The office sends `/moi tatca`; the bot answers with the kit. From the PDF the bot sent, every
agency page's QR code is decoded from the page image (as a phone camera would) and must be
that agency's `?startgroup=` deep link; then every page is used the way a focal point would:
odd pages by typing the printed `/dangky <code>` in the agency's group, even pages by
scanning, which makes Telegram add the bot to the group picked and send `/start <code>`
there. Each must bind its own agency's group, and nothing else."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from sqlalchemy import true

from bot.reports.kit import invite_link
from storage.models import Agency, AgencyMember, ChatBinding, InviteCode
from tests.harness import ADMIN, FOCAL_A, FOCAL_B, Harness
from tests.reports.kit_check import black_and_white, page_images, page_texts, scan

FIRST_GROUP = -1005000


def _sent_pdf(bot: Harness, chat: int) -> bytes:
    (pdf,) = [
        r.data
        for r in bot.emulator.sent
        if r.method == "sendDocument" and r.chat_id == chat and r.filename.endswith(".pdf")
    ]
    return pdf


async def test_every_printed_code_and_qr_binds_its_own_agency(seeded: Harness) -> None:
    await seeded.send(ADMIN, ADMIN, "/moi tatca")
    username = seeded.app.bot.username
    agencies = {a.id: a.name for a in await seeded.rows(Agency, true())}
    codes = {agencies[i.agency_id]: i.code for i in await seeded.rows(InviteCode, true())}
    pdf = _sent_pdf(seeded, ADMIN)
    texts, images = page_texts(pdf), page_images(pdf)
    pages = texts[len(texts) - len(codes) :]
    page_images_ = images[len(images) - len(codes) :]
    assert len(pages) == len(codes) >= 10

    for n, (text, image) in enumerate(zip(pages, page_images_, strict=True)):
        (agency,) = [name for name, code in codes.items() if f"/dangky {code}" in text]
        (scanned,) = scan(black_and_white(image))
        assert scanned.text == invite_link(username, codes[agency]), agency
        link = urlparse(scanned.text)
        assert (link.netloc, link.path) == ("t.me", f"/{username}")
        assert set(parse_qs(link.query)) == {"startgroup"}  # binds a group, not the scanner

        group = FIRST_GROUP - n
        focal = FOCAL_A if n % 2 else FOCAL_B
        if n % 2:
            # Typed: the group exists with the bot in it; the code is read off the page.
            seeded.emulator.bot_added_to_group(group, focal, chat_type="supergroup", title=agency)
            await seeded.flush()
            typed = re.search(r"/dangky ([A-Z0-9]+)", text)
            assert typed is not None
            await seeded.send(focal, group, f"/dangky {typed.group(1)}")
        else:
            # Scanned: Telegram adds the bot to the group picked, then sends the payload.
            seeded.emulator.bot_added_to_group(group, focal, chat_type="supergroup", title=agency)
            await seeded.flush()
            payload = parse_qs(link.query)["startgroup"][0]
            await seeded.send(focal, group, f"/start@{username} {payload}")
        assert f"Nhóm này đã được gắn với {agency}" in seeded.last_text(group), agency
        bound = await seeded.rows(ChatBinding, ChatBinding.chat_id == group)
        assert [agencies[b.agency_id] for b in bound] == [agency]

    assert len(await seeded.rows(InviteCode, InviteCode.used_at.is_not(None))) == len(codes)
    members = await seeded.rows(AgencyMember, true())
    assert {agencies[m.agency_id] for m in members} == set(codes)


async def test_a_scanned_code_used_again_binds_nothing_more(seeded: Harness) -> None:
    await seeded.send(ADMIN, ADMIN, "/moi tatca")
    username = seeded.app.bot.username
    pdf = _sent_pdf(seeded, ADMIN)
    (scanned,) = scan(black_and_white(page_images(pdf)[-1]))
    payload = parse_qs(urlparse(scanned.text).query)["startgroup"][0]
    for group, focal in ((FIRST_GROUP, FOCAL_A), (FIRST_GROUP - 1, FOCAL_B)):
        seeded.emulator.bot_added_to_group(group, focal, chat_type="supergroup", title="Nhóm")
        await seeded.flush()
        await seeded.send(focal, group, f"/start@{username} {payload}")
    assert "đã được sử dụng" in seeded.last_text(FIRST_GROUP - 1)
    assert await seeded.rows(ChatBinding, ChatBinding.chat_id == FIRST_GROUP - 1) == []
