"""One bot process per SQLite file.

Two `dondoc run` on one SQLite file both poll, both sweep, both hold write locks: SQLite is
made for one writing process, and dondoc's ledger of applied updates keeps them from applying
an update twice but not from fighting over the file. So `dondoc run` on SQLite holds an
exclusive lock (`flock`) on a file beside the database for as long as it runs; a second one
finds it held and stops with one line naming the first one's pid. The lock ends with the
process, however it ends (SIGKILL included: the kernel releases it). Several instances are
PostgreSQL's job (docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from storage.engine import sqlite_file


class DatabaseInUse(RuntimeError):
    """Another process holds this SQLite file's lock."""

    def __init__(self, database: Path, holder: str) -> None:
        super().__init__(f"{database} is in use by another dondoc process ({holder})")
        self.database = database
        self.holder = holder


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextlib.contextmanager
def single_instance(database_url: str) -> Iterator[Path | None]:
    """Hold the SQLite file's lock for the block (nothing to hold on PostgreSQL or in
    memory); raises DatabaseInUse when another process holds it."""
    database = sqlite_file(database_url) if database_url.startswith("sqlite") else None
    if database is None:
        yield None
        return
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole block
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "pid ?"
            raise DatabaseInUse(database, holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield path
    finally:
        handle.close()  # closing releases the lock
