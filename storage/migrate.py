"""Alembic entry points used by `dondoc db ...` and by start-up's schema check.

These are synchronous (Alembic's env runs its own event loop): call them before the bot's
loop starts, or through `asyncio.to_thread` from async code.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

_HERE = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    config = Config(str(_HERE / "alembic.ini"))
    config.set_main_option("script_location", str(_HERE / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision`."""
    command.upgrade(alembic_config(database_url), revision)


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def _sync_url(database_url: str) -> str:
    # A short synchronous look at alembic_version; the async drivers have sync twins.
    return database_url.replace("sqlite+aiosqlite", "sqlite").replace(
        "postgresql+asyncpg", "postgresql+psycopg"
    )


def current_revision(database_url: str) -> str | None:
    """The revision the database is at (None when it has no schema yet)."""
    if database_url.startswith("sqlite"):
        path = database_url.split(":///", 1)[1]
        if path not in {"", ":memory:"} and not Path(path).exists():
            return None  # do not create an empty file just to look at it
    engine = create_engine(_sync_url(database_url))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def is_up_to_date(database_url: str) -> bool:
    return current_revision(database_url) == head_revision(database_url)
