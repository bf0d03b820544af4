"""Rendering a file (the Excel appendix, the Word report) in a worker process, so the event
loop keeps answering while it is built.

A thread is not enough: openpyxl and python-docx are pure Python, so a rendering thread holds
the interpreter most of the time, and the loop (the webhook's Telegram updates, the web app's
other requests) gets it back only every switch interval, and not at all during the long
garbage collections that building 100,000 cells triggers. Measured at 100x the seed (the
Excel file's render alone, load 6-8): in a thread the loop's longest stall was 280-340 ms
(p99 ~25 ms) and the loop's process spent 2.5 s of CPU; in the worker, 18-20 ms (p99
7-12 ms) and 0.2 s (pickling the rows). The reads before it still run on the loop
(bench/README.md, item 7).

The data is read by the services on the loop as before and handed over as arguments (frozen
dataclasses, pickled); the bytes come back. One worker, started on the first file and kept for
the next ones (its imports, ~1 s, are paid once per process, not per file); files asked for at
the same time are rendered one after the other, which also bounds the CPU one clerk's
downloads can take from the bot. The worker is started by a fork server, never by forking
this process (which runs threads and an event loop). If it dies, the next file starts a new
one.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any

_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("forkserver")
        )
    return _pool


async def render_file(render: Callable[..., bytes], *args: Any, **kwargs: Any) -> bytes:
    """`render(*args, **kwargs)` in the worker process; `render` is a module-level function
    and its arguments picklable."""
    global _pool
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_executor(), partial(render, *args, **kwargs))
    except BrokenProcessPool:
        _pool = None  # the worker died (killed, out of memory): a new one for the next file
        raise


def shutdown() -> None:
    """Stop the worker (the process exiting does it too); the next file starts a new one."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
