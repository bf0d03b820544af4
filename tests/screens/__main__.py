"""`make screens`: regenerate the README's phone pictures and their hashes."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from tests.screens.capture import OUT, SCREENS, digest_of, migrated_template, screen_html
from tests.screens.shoot import chromium_missing, screenshot


async def _pages(template: Path) -> dict[str, str]:
    return {screen.name: await screen_html(screen, template) for screen in SCREENS}


def main() -> int:
    reason = chromium_missing()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        pages = asyncio.run(_pages(migrated_template(Path(folder))))
    OUT.mkdir(parents=True, exist_ok=True)
    for name, html in pages.items():
        (OUT / f"{name}.sha256").write_text(digest_of(html) + "\n", encoding="utf-8")
    for path in screenshot(pages, OUT).values():
        print(path.relative_to(OUT.parents[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
