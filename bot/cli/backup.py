"""`dondoc backup FILE` and `dondoc restore FILE`: the office's copy of its history.

SQLite: both go through SQLite's online backup API (`sqlite3.Connection.backup`), which
copies the database page by page under SQLite's own locking, in one step: the copy is a
consistent snapshot even while the bot runs and writes (an uncommitted transaction is not
in it), and a restore replaces the pages of the live file atomically for every other
connection, instead of copying a file under an open database. A restore first checks that
FILE really is a dondoc database (SQLite, intact, with an `alembic_version` this dondoc
knows) and first backs up the current database to `<database>.before-restore`.

PostgreSQL: the server's own tools do this better (and need no access to the bot), so both
commands print the exact `pg_dump` / `pg_restore` command and exit 2.

Arguments expected on `args`: `file` (Path); optional `force` (bool, backup: overwrite FILE).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from bot.config import Settings, sqlite_path

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
SQLITE_MAGIC = b"SQLite format 3\x00"
REQUIRED_TABLES = frozenset({"alembic_version", "progress_updates", "assignments", "tasks"})


class BackupError(Exception):
    """A refusal with a one-line, bilingual reason for the operator."""


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    target = Path(args.file)
    if not settings.is_sqlite:
        print(_pg_explanation(settings.database_url, target, restore=False))
        return EXIT_USAGE
    try:
        source = _database_file(settings)
        if target.exists() and not getattr(args, "force", False):
            raise BackupError(
                f"{target} đã có, không ghi đè (thêm --force) / already exists (use --force)"
            )
        revision = backup_sqlite(source, target)
    except (BackupError, sqlite3.Error, OSError) as error:
        print(f"Sao lưu thất bại / backup failed: {error}", file=sys.stderr)
        return EXIT_FAILURE
    size = target.stat().st_size
    print(
        f"Đã sao lưu / backed up {source} → {target} "
        f"({size:,} bytes, phiên bản lược đồ / schema revision {revision})"
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    source = Path(args.file)
    if not settings.is_sqlite:
        print(_pg_explanation(settings.database_url, source, restore=True))
        return EXIT_USAGE
    try:
        target = _database_file(settings, must_exist=False)
        revision = check_dondoc_database(source)
        _check_known_revision(settings.database_url, revision)
        safety = _safety_copy(target) if target.exists() else None
        restore_sqlite(source, target)
    except (BackupError, sqlite3.Error, OSError) as error:
        print(f"Khôi phục thất bại / restore failed: {error}", file=sys.stderr)
        return EXIT_FAILURE
    if safety is not None:
        print(f"Bản cũ được giữ tại / the previous database was saved to {safety}")
    print(f"Đã khôi phục / restored {source} → {target} (revision {revision})")
    from storage import migrate

    if revision != migrate.head_revision(settings.database_url):
        print("Chạy `dondoc db upgrade` trước khi chạy bot / run `dondoc db upgrade` next.")
    return EXIT_OK


# --- SQLite ----------------------------------------------------------------------------------


def backup_sqlite(source: Path, target: Path) -> str:
    """Copy `source` to `target` with the online backup API; returns the schema revision.

    Written to a temporary file and renamed, so `target` is never a half-written copy."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(_connect(source, readonly=True)) as src,
        contextlib.closing(sqlite3.connect(partial)) as dst,
    ):
        src.backup(dst)  # pages=-1: the whole database in one step, one snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    try:
        revision = check_dondoc_database(partial)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    return revision


def restore_sqlite(source: Path, target: Path) -> None:
    """Replace the content of `target` by `source`'s, through the backup API (atomic for
    other connections; the bot should still be stopped, its caches are not told)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(_connect(source, readonly=True)) as src,
        contextlib.closing(sqlite3.connect(target, timeout=10)) as dst,
    ):
        src.backup(dst)
    check_dondoc_database(target)


def check_dondoc_database(path: Path) -> str:
    """The file's schema revision, or BackupError when it is not an intact dondoc database."""
    if not path.is_file():
        raise BackupError(f"không có tệp / no such file: {path}")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{path} không phải tệp SQLite / is not a SQLite database")
    with contextlib.closing(_connect(path, readonly=True)) as connection:
        status = connection.execute("PRAGMA integrity_check").fetchone()
        if not status or status[0] != "ok":
            raise BackupError(f"{path} bị hỏng / is damaged: {status[0] if status else '?'}")
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        missing = REQUIRED_TABLES - tables
        if missing:
            raise BackupError(
                f"{path} không phải CSDL dondoc / is not a dondoc database "
                f"(missing {', '.join(sorted(missing))})"
            )
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None:
        raise BackupError(f"{path}: alembic_version trống / empty alembic_version")
    return str(row[0])


def _check_known_revision(database_url: str, revision: str) -> None:
    """Refuse a backup made by a newer dondoc: this one cannot read or upgrade it."""
    from alembic.script import ScriptDirectory

    from storage import migrate

    script = ScriptDirectory.from_config(migrate.alembic_config(database_url))
    known = {rev.revision for rev in script.walk_revisions()}
    if revision not in known:
        raise BackupError(
            f"phiên bản {revision} không rõ (bản sao lưu của dondoc mới hơn?) / "
            f"unknown revision {revision} (a backup from a newer dondoc?)"
        )


def _safety_copy(target: Path) -> Path:
    """Back up the database about to be replaced; never overwrite an earlier safety copy."""
    safety = target.with_name(target.name + ".before-restore")
    if safety.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        safety = target.with_name(f"{target.name}.before-restore-{stamp}")
    with (
        contextlib.closing(_connect(target, readonly=True)) as src,
        contextlib.closing(sqlite3.connect(safety)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    return safety


def _database_file(settings: Settings, *, must_exist: bool = True) -> Path:
    path = sqlite_path(settings.database_url)
    if path is None:
        raise BackupError("DATABASE_URL là CSDL trong bộ nhớ / is an in-memory database")
    if must_exist and not path.is_file():
        raise BackupError(f"chưa có CSDL / no database at {path}")
    return path


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """Read-only when the file is not in WAL mode (a WAL file needs its -shm to be shared,
    which a read-only connection may not create); the code only reads either way."""
    if readonly and not _is_wal(path):
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    return sqlite3.connect(path, timeout=10)


def _is_wal(path: Path) -> bool:
    """Byte 18 of the header is 2 for a WAL database (1 for rollback journal)."""
    with path.open("rb") as handle:
        header = handle.read(20)
    return len(header) == 20 and header[18] == 2


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_explanation(database_url: str, file: Path, *, restore: bool) -> str:
    """The exact command for the server's own tools (the password is not printed)."""
    from sqlalchemy.engine import URL, make_url

    given = make_url(database_url)
    url = URL.create(  # `set(password=None)` would keep the password: build it anew
        "postgresql", given.username, None, given.host, given.port, given.database, given.query
    )
    target = url.render_as_string(hide_password=False)
    if restore:
        command = f'pg_restore --clean --if-exists --no-owner --dbname "{target}" "{file}"'
        what = "khôi phục / restore"
    else:
        command = f'pg_dump --format=custom --no-owner --file "{file}" "{target}"'
        what = "sao lưu / backup"
    return (
        f"CSDL là PostgreSQL: {what} bằng công cụ của PostgreSQL / the database is "
        f"PostgreSQL: use its own tools for a consistent {what.split(' / ')[1]}:\n\n"
        f"    {command}\n\n"
        "Mật khẩu lấy từ PGPASSWORD hoặc ~/.pgpass / the password comes from PGPASSWORD "
        "or ~/.pgpass."
        + ("\nDừng bot trước khi khôi phục / stop the bot before restoring." if restore else "")
    )
