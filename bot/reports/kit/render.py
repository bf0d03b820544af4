"""One call for every format of the kit, so the CLI and the chat button render alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from bot.reports.kit.docx import render_docx
from bot.reports.kit.model import ALL_FORMATS, DEFAULT_TZ, KitFormat, KitHeader, KitRow, validate
from bot.reports.kit.pdf import render_pdf
from bot.reports.kit.xlsx import render_xlsx


def render_kit(
    rows: Sequence[KitRow],
    header: KitHeader,
    formats: Iterable[KitFormat | str] = ALL_FORMATS,
    *,
    bot_username: str,
    tz: ZoneInfo = DEFAULT_TZ,
) -> dict[KitFormat, bytes]:
    """The kit's files as bytes, by format. Raises ValueError on rows that would print
    something wrong (see `model.validate`) or an unknown format, before rendering anything."""
    rows = tuple(rows)
    validate(rows)
    wanted = [KitFormat(f) for f in formats]  # ValueError on an unknown suffix
    username = bot_username.lstrip("@")
    if not username:
        raise ValueError("the kit names the bot: bot_username is empty")
    out: dict[KitFormat, bytes] = {}
    for kind in KitFormat:  # a stable order, whatever order was asked
        if kind not in wanted:
            continue
        if kind is KitFormat.PDF:
            out[kind] = render_pdf(rows, header, bot_username=username, tz=tz)
        elif kind is KitFormat.DOCX:
            out[kind] = render_docx(rows, header, bot_username=username, tz=tz)
        else:
            out[kind] = render_xlsx(rows, tz=tz)
    return out
