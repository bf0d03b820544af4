"""PostgreSQL through psycopg, where the pool's ping is the transaction's BEGIN.

A pooled connection may have died while it waited (a server restart, a terminated backend, a
network path dropped): `pool_pre_ping` finds out at checkout, and SQLAlchemy then replaces it
(and every connection older than the failure) before the caller has run anything: a restart is
survived without an error (tests/reliability/test_faults_process.py). psycopg's dialect pings
with an empty query (switching the connection to autocommit and back around it), then psycopg
sends its own BEGIN before the first statement: two round trips before any work, each
~150–200 µs of the bot's CPU through SQLAlchemy's asyncio engine (bench/README.md, finding G).

This dialect keeps the pool's ping and makes it do the BEGIN's work:

* its connections are in psycopg's autocommit mode, so psycopg never sends a BEGIN of its own
  (it sends COMMIT and ROLLBACK whenever the server is in a transaction, autocommit or not);
* the ping is `BEGIN`: a dead connection fails it and the pool replaces it as before; a live
  one is then in the transaction its checkout is for;
* SQLAlchemy's `do_begin` (a no-op in the stock dialects) sends `BEGIN` only when the server is
  not in a transaction already: a connection new to the pool (never pinged) and a second
  transaction on one checkout begin so, so nothing runs outside a transaction.

A unit of work is therefore its statements, one BEGIN and one COMMIT on the wire
(tests/storage/test_pg_round_trips.py reads libpq's trace). What it rules out: changing a
connection's isolation level or autocommit through SQLAlchemy (psycopg refuses inside the
checkout's transaction, loudly); dondoc does neither. asyncpg URLs keep the stock dialect and
its ping (storage/engine.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.postgresql.psycopg import PGDialectAsync_psycopg

DRIVER = "psycopg_beginping"  # postgresql+psycopg URLs are given this driver (storage/engine.py)
_IDLE = TransactionStatus.IDLE


class BeginPingDialect(PGDialectAsync_psycopg):
    """psycopg's async dialect, its connections in autocommit, its ping the BEGIN."""

    supports_statement_cache = True

    @classmethod
    def get_async_dialect_cls(cls, url: Any) -> type[BeginPingDialect]:
        return cls

    def on_connect(self) -> Callable[[Any], None]:
        stock = super().on_connect()

        def connected(dbapi_connection: Any) -> None:
            if stock is not None:
                stock(dbapi_connection)
            dbapi_connection.autocommit = True

        return connected

    def do_ping(self, dbapi_connection: Any) -> bool:
        _begin(dbapi_connection)
        return True

    def do_begin(self, dbapi_connection: Any) -> None:
        if dbapi_connection.driver_connection.pgconn.transaction_status == _IDLE:
            _begin(dbapi_connection)


def _begin(dbapi_connection: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("BEGIN")
    finally:
        cursor.close()


registry.register(f"postgresql.{DRIVER}", __name__, "BeginPingDialect")
