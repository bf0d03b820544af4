"""The printed kit binds the right agency through the real application: the codes read back
from the rendered PDF (its text, and its QR code decoded from the page image) are the ones
the focal points type or scan, and each binds the agency whose page it is on."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from sqlalchemy import func, select, true

from bot.reports.kit import KitFormat, KitHeader, KitRow, invite_link, render_kit
from storage.models import Agency, AgencyMember, Assignment, ChatBinding, InviteCode
from storage.unit_of_work import UnitOfWork
from tests.harness import ADMIN, FOCAL_A, FOCAL_B, GROUP_A, Harness
from tests.reports.kit_check import black_and_white, page_images, page_texts, scan

AGENCIES = ("Sở Tài chính", "Sở Công Thương")


async def _kit_rows(bot: Harness) -> list[KitRow]:
    """What phase 2's `dondoc invites` will do, by hand: an invite per agency via /moi, then
    a kit row from each stored invite."""
    for name in AGENCIES:
        await bot.send(ADMIN, ADMIN, f"/moi {name}")
        assert "Mã mời cho" in bot.last_text(ADMIN)
    rows = []
    async with UnitOfWork(bot.services.ctx.session_factory) as uow:
        session = uow.session
        for name in AGENCIES:
            agency = (await session.execute(select(Agency).where(Agency.name == name))).scalar_one()
            invite = (
                await session.execute(select(InviteCode).where(InviteCode.agency_id == agency.id))
            ).scalar_one()
            tasks = await session.scalar(
                select(func.count())
                .select_from(Assignment)
                .where(Assignment.agency_id == agency.id)
            )
            rows.append(
                KitRow(
                    agency=agency.name,
                    notices=(),
                    task_count=tasks or 0,
                    deep_link=invite_link(bot.app.bot.username, invite.code),
                    code=invite.code,
                    expires_at=invite.expires_at,
                )
            )
    return rows


async def test_codes_read_from_the_printed_kit_bind_their_own_agencies(seeded: Harness) -> None:
    rows = await _kit_rows(seeded)
    header = KitHeader(issuer="Văn phòng Điều phối nông thôn mới tỉnh", place="Hà Tĩnh")
    pdf = render_kit(rows, header, ["pdf"], bot_username=seeded.app.bot.username)[KitFormat.PDF]
    texts, images = page_texts(pdf), page_images(pdf)
    first = len(texts) - len(rows)

    # Sở Tài chính's focal point types the code printed on the page in the agency's group.
    typed = re.search(r"/dangky ([A-Z0-9]+)", texts[first])
    assert typed is not None and "Sở Tài chính" in texts[first]
    await seeded.send(FOCAL_A, GROUP_A, f"/dangky {typed.group(1)}")
    assert "Nhóm này đã được gắn với Sở Tài chính" in seeded.last_text(GROUP_A)

    # Sở Công Thương's focal point scans the QR code on its page: the link opens the bot with
    # `/start <code>` in a private chat.
    (scanned,) = scan(black_and_white(images[first + 1]))
    link = urlparse(scanned.text)
    assert (link.netloc, link.path) == ("t.me", f"/{seeded.app.bot.username}")
    await seeded.send(FOCAL_B, FOCAL_B, f"/start {parse_qs(link.query)['start'][0]}")
    assert "đầu mối của Sở Công Thương" in seeded.last_text(FOCAL_B)

    async with UnitOfWork(seeded.services.ctx.session_factory) as uow:
        agencies = (await uow.session.execute(select(Agency))).scalars().all()
        names = {a.id: a.name for a in agencies}
    bindings = await seeded.rows(ChatBinding, ChatBinding.chat_id == GROUP_A)
    assert [names[b.agency_id] for b in bindings] == ["Sở Tài chính"]
    members = await seeded.rows(AgencyMember, true())
    assert sorted(names[m.agency_id] for m in members) == sorted(AGENCIES)
    used = await seeded.rows(InviteCode, InviteCode.used_at.is_not(None))
    assert len(used) == 2
