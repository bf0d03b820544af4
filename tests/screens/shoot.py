"""HTML to PNG in Debian's headless Chromium at 360 px, through Playwright's API (never its
own browser download: the executable is the system's)."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCALE = 2  # a phone's pixel density, so the picture is sharp in the README


def chromium_missing() -> str | None:
    """Why pictures cannot be taken here, or None."""
    if not CHROMIUM.exists():
        return f"Chromium is absent ({CHROMIUM}): apt-get install chromium (.ci/apt-packages)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is absent: pip install -e '.[dev]'"
    return None


def screenshot(pages: dict[str, str], out: Path, *, width: int = 360) -> dict[str, Path]:
    """Render each named HTML page and save `<name>.png` in `out`; one browser for all."""
    from playwright.sync_api import sync_playwright

    saved = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            context = browser.new_context(
                viewport={"width": width, "height": 640}, device_scale_factor=SCALE
            )
            tab = context.new_page()
            for name, html in pages.items():
                tab.set_content(html, wait_until="load")
                path = out / f"{name}.png"
                tab.screenshot(path=str(path), full_page=True)
                saved[name] = path
        finally:
            browser.close()
    return saved


def measure_lines(text: str, *, width: int = 360) -> int:
    """How many lines `text` takes in a message bubble of the chat page at `width` px."""
    from playwright.sync_api import sync_playwright

    from tests.screens.html import page, rich_text

    html = page(
        "đo", "", [f'<div class="msg"><div class="bubble" id="b">{rich_text(text, [])}</div></div>']
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            tab = browser.new_page(viewport={"width": width, "height": 640})
            tab.set_content(html.replace('<span class="time">', "<span>"), wait_until="load")
            return int(
                tab.evaluate(
                    "() => { const b = document.getElementById('b');"
                    " const s = getComputedStyle(b);"
                    " const h = b.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);"
                    " return Math.round(h / parseFloat(s.lineHeight)); }"
                )
            )
        finally:
            browser.close()
