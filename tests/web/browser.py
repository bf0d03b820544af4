"""A real browser on the web app: uvicorn serving the ASGI app on a loopback port, driven by
Playwright with Debian's Chromium (/usr/bin/chromium; Playwright's own browser download is
never used). Shared by the browser tests and `make web-screens`."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

CHROMIUM = os.environ.get("DONDOC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
PROJECTOR = {"width": 1366, "height": 768}


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None (CI installs `chromium`)."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium; .ci/apt-packages)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


@asynccontextmanager
async def served(app: Any) -> AsyncIterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1 (a free port) in this event loop; its base URL."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, access_log=False, log_config=None, lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(200):
            if server.started or task.done():
                break
            await asyncio.sleep(0.02)
        assert server.started, "uvicorn did not start"
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://localhost:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield browser
        finally:
            await browser.close()
