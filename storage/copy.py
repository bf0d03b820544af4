"""`dondoc db copy`: move a province's data from SQLite to PostgreSQL (docs/deploy.md).

Both databases are at the same schema revision (the target migrated with `dondoc db upgrade`
first, so the copy creates nothing and the append-only guards are in place); the target is
empty; the source's bot is stopped (the copy holds the SQLite file's lock, so a running
`dondoc run` makes it refuse). Every table is copied in the order of its foreign keys, in one
transaction on the target: a copy that fails leaves the target empty. Then each id sequence
continues after the highest id copied, and each table's row count is compared.

Synchronous on purpose: it runs alone, from the command line, before the bot starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, func, insert, select, text
from sqlmodel import SQLModel

import storage.models  # noqa: F401 - registers every table in SQLModel.metadata
from storage import migrate
from storage.instance_lock import single_instance

BATCH = 1000


class CopyRefused(RuntimeError):
    """The copy cannot start: said in one line."""


@dataclass(frozen=True, slots=True)
class Copied:
    revision: str
    tables: dict[str, int]  # table -> rows copied

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _sync(url: str) -> str:
    return (
        url.replace("sqlite+aiosqlite", "sqlite")
        .replace("postgresql+asyncpg", "postgresql+psycopg")
        .replace("postgresql://", "postgresql+psycopg://", 1)
    )


def copy_database(
    source_url: str, target_url: str, *, progress: Callable[[str, int], None] | None = None
) -> Copied:
    if not source_url.startswith("sqlite"):
        raise CopyRefused("the source must be the SQLite database (DATABASE_URL or --from)")
    if not target_url.startswith("postgresql"):
        raise CopyRefused("the target must be a PostgreSQL URL (postgresql://…)")
    revision = migrate.current_revision(source_url)
    head = migrate.head_revision(source_url)
    if revision != head:
        raise CopyRefused(f"the source is at {revision}, not {head}: `dondoc db upgrade` it first")
    if migrate.current_revision(target_url) != head:
        raise CopyRefused(f"the target is not at {head}: run `dondoc db upgrade` on it first")
    with single_instance(source_url):  # DatabaseInUse while its bot runs
        source = create_engine(_sync(source_url))
        target = create_engine(_sync(target_url))
        try:
            tables = _copy(source, target, progress)
        finally:
            source.dispose()
            target.dispose()
    assert head is not None
    return Copied(revision=head, tables=tables)


def _copy(
    source: Engine, target: Engine, progress: Callable[[str, int], None] | None
) -> dict[str, int]:
    ordered = SQLModel.metadata.sorted_tables
    copied: dict[str, int] = {}
    with source.connect() as reading, target.begin() as writing:
        for table in ordered:
            if writing.execute(select(func.count()).select_from(table)).scalar_one():
                raise CopyRefused(f"the target is not empty ({table.name} has rows)")
        for table in ordered:
            count = 0
            rows = reading.execute(select(table)).mappings()
            while batch := [dict(row) for row in rows.fetchmany(BATCH)]:
                writing.execute(insert(table), batch)
                count += len(batch)
            copied[table.name] = count
            if progress is not None:
                progress(table.name, count)
        for table in ordered:
            id_column = table.columns.get("id")
            if id_column is None or not id_column.primary_key or not id_column.autoincrement:
                continue
            writing.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f'COALESCE((SELECT max(id) FROM "{table.name}"), 1), '
                    f'(SELECT max(id) FROM "{table.name}") IS NOT NULL)'
                )
            )
        for table in ordered:
            found = writing.execute(select(func.count()).select_from(table)).scalar_one()
            if found != copied[table.name]:
                raise CopyRefused(f"{table.name}: {copied[table.name]} read, {found} written")
    return copied
