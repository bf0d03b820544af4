"""`make kit-example`: the kit for the seed notice 22-TB/BCĐ, as an office would print it.

Writes examples/kit/ (PDF, Word, Excel) and docs/img/ (the cover and one agency's page as
PNG, for docs/onboarding.md). The codes are made up but shaped like real ones, and the same
on every run, so the example only changes when the kit's layout does. The PNG step needs
pypdfium2 (a development dependency).
"""

from __future__ import annotations

import hashlib
import sys
from datetime import datetime, timedelta
from pathlib import Path

from bot.domain.notice import parse_notice
from bot.reports.kit import (
    DEFAULT_TZ,
    KitFormat,
    KitHeader,
    KitNotice,
    KitRow,
    invite_link,
    render_kit,
)

SEED = Path("examples") / "22-TB-BCD.txt"  # from the repository's root, where make runs
BOT = "dondoc_demo_bot"
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # the bot's invite-code alphabet
TTL = timedelta(days=14)  # INVITE_TTL_DAYS for a kit (issue 21)
PAGE_SHOWN = "Sở Tài chính"
DPI = 110


def _code(name: str) -> str:
    digest = hashlib.sha256(f"example:{name}".encode()).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:10])


def seed_kit(root: Path) -> tuple[list[KitRow], KitHeader]:
    """The seed notice's agencies as kit rows, and the Hà Tĩnh office's header."""
    notice = parse_notice((root / SEED).read_text(encoding="utf-8"))
    meta = notice.document
    assert meta.number and meta.date, "the seed notice has a number and a date"
    issued = datetime.combine(meta.date, datetime.min.time(), DEFAULT_TZ).replace(hour=8)
    ref = (KitNotice(meta.number, meta.date),)
    rows = []
    for name in notice.agencies:
        code = _code(name)
        tasks = sum(1 for task in notice.tasks if name in task.lead + task.coordinating)
        rows.append(
            KitRow(name, ref, tasks, invite_link(BOT, code), code, issued + TTL),
        )
    header = KitHeader(
        parent="Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh Hà Tĩnh",
        issuer="Văn phòng Điều phối nông thôn mới tỉnh",
        place=meta.place or "Hà Tĩnh",
        issued_on=meta.date,
        contact="Liên hệ: Văn phòng Điều phối nông thôn mới tỉnh (số điện thoại của Văn phòng).",
    )
    return rows, header


def main(root: Path) -> None:
    out_dir, img_dir = root / "examples" / "kit", root / "docs" / "img"
    rows, header = seed_kit(root)
    files = render_kit(rows, header, bot_username=BOT)
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind, data in files.items():
        path = out_dir / f"kit-22-TB-BCD.{kind}"
        path.write_bytes(data)
        print(f"{path.relative_to(root)}: {len(data):,} bytes")
    import pypdfium2 as pdfium  # development dependency: only for the pictures

    document = pdfium.PdfDocument(files[KitFormat.PDF])
    covers = len(document) - len(rows)
    shown = covers + [r.agency for r in rows].index(PAGE_SHOWN)
    img_dir.mkdir(parents=True, exist_ok=True)
    for index, name in ((0, "kit-cover.png"), (shown, "kit-page.png")):
        image = document[index].render(scale=DPI / 72, grayscale=True).to_pil()
        image.save(img_dir / name, optimize=True)
        print(f"{(img_dir / name).relative_to(root)}: page {index + 1}")
    document.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
