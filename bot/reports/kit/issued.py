"""From the codes the bot issued to the kit's rows and header: one place, so the chat and
`dondoc invites` print the same kit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.config import Settings
from bot.domain.text import fold
from bot.reports.kit.model import KitHeader, KitNotice, KitRow, invite_link
from bot.reports.letterhead import kit_header
from bot.services.onboarding import IssuedInvite


def kit_rows(invites: Sequence[IssuedInvite], *, bot_username: str) -> list[KitRow]:
    return [
        KitRow(
            agency=invite.agency.name,
            notices=tuple(KitNotice(n.number, n.issued_on) for n in invite.notices),
            task_count=invite.task_count,
            deep_link=invite_link(bot_username, invite.code),
            code=invite.code,
            expires_at=invite.expires_at,
        )
        for invite in invites
    ]


def office_header(settings: Settings, today: date) -> KitHeader:
    """The kit's header block, dated today: the office's letterhead from settings (ORG_*),
    as the Word report has it."""
    return kit_header(settings, today)


def kit_filename(notice_number: str | None, today: date, suffix: str) -> str:
    """`bo-ma-moi-22-TB-BCD-20191227.pdf`: ASCII, so every mail client keeps it."""
    stem = "tat-ca"
    if notice_number:
        stem = "".join(ch if ch.isalnum() else "-" for ch in fold(notice_number)).strip("-")
        stem = "-".join(part for part in stem.split("-") if part) or "van-ban"
    return f"bo-ma-moi-{stem}-{today:%Y%m%d}.{suffix}"
