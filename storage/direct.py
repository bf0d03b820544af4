"""Core statements compiled once and run on the driver: the reply path's statements without
SQLAlchemy's per-statement execution.

Why: through `Connection.execute` each statement pays for an execution context, its cache key,
`construct_params`, the bind and result processing set up anew and a `CursorResult`: under
cProfile ~137 µs a reply's statement on SQLite, of which sqlite3's own execute ~22 µs
(bench/README.md, finding O); on PostgreSQL the asyncio adapter adds a greenlet and its
switches per call.

How: a statement built once (a module constant) is wrapped, `HOT = Direct(select(...))`, and
handed to `uow.execute` as before. For each dialect and set of parameter names it is compiled
once (as `Connection.execute` compiles it: the parameter names as `column_keys`), and what
running it needs is kept: the SQL, the order of its parameters, each one's bind processor, and
the result columns' names and result processors. `UnitOfWork.execute` then runs it on the
driver connection in the unit of work's transaction (SQLite: the sqlite3 connection, on the
loop's thread; PostgreSQL: psycopg's AsyncConnection, awaited) and returns a `DirectResult`
of processed rows.

What it refuses, decided on the compiled statement, not by a list: Python-side defaults
(`insert_prefetch`/`update_prefetch`), implicit RETURNING, literal-execute and expanding (IN)
parameters, parameters with a callable value or collected `.params()`, tuple types, textual
or unordered result columns, ORM entities among the columns, result names that are not
distinct identifiers, statement execution options; and at execution (the unit of work),
executemany lists, a required parameter missing, listeners of the connection's or engine's
events (they would not see the statement), and SQLite busy (nothing ran). A refused statement runs through `Connection.execute` as before,
its result copied into a `DirectResult`, so callers see one result type.

The contract with SQLAlchemy: the public `Compiled` attributes (`string`, `positional`,
`positiontup`, `bind_names`, `escaped_bind_names`, `literal_execute_params`,
`post_compile_params`, `insert_prefetch`, `update_prefetch`, `implicit_returning`,
`isplaintext`) and `TypeEngine.dialect_impl(...).bind_processor/result_processor`, which is
what SQLAlchemy's own execution caches; and private ones, `_result_columns`,
`_ordered_columns`/`_textual_ordered_columns` and `_collected_params`, as
`DefaultExecutionContext._init_compiled` and `CursorResultMetaData` read them, and (the unit of
work) `Connection._has_events`/`Engine._has_events`, SQLAlchemy's own test for listeners.
tests/storage/test_direct.py fails if they change shape, and runs every statement wrapped here
both ways on SQLite and PostgreSQL, comparing rows and types.
"""

from __future__ import annotations

import keyword
import sqlite3
import weakref
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler

from storage.sqlite_inline import is_busy

try:  # PostgreSQL's driver, when installed
    from psycopg.pq import ExecStatus

    _TUPLES: Any = ExecStatus.TUPLES_OK
except ImportError:  # pragma: no cover
    _TUPLES = None

Processor = Callable[[Any], Any]
_FROM_DEFAULT = object()  # a parameter not given: its bindparam's own value is bound


class Direct:
    """A Core statement built once, to be run on the driver (see the module)."""

    __slots__ = ("_dialect", "_plans", "_plans_by_dialect", "is_dml", "statement")

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self.is_dml = bool(getattr(statement, "is_dml", False))  # the unit of work's `wrote`
        self._dialect: Dialect | None = None  # the last dialect seen, and its plans
        self._plans: dict[tuple[str, ...], Plan | None] = {}
        self._plans_by_dialect: weakref.WeakKeyDictionary[
            Dialect, dict[tuple[str, ...], Plan | None]
        ] = weakref.WeakKeyDictionary()

    def plan(self, dialect: Dialect, parameters: dict[str, Any] | None) -> Plan | None:
        """How to run the statement with these parameters' names (None: refused)."""
        if dialect is not self._dialect:
            plans = self._plans_by_dialect.get(dialect)
            if plans is None:
                plans = self._plans_by_dialect[dialect] = {}
            self._dialect, self._plans = dialect, plans
        names = tuple(parameters) if parameters else ()
        try:
            return self._plans[names]
        except KeyError:
            plan = self._plans[names] = prepare(self.statement, dialect, names)
            return plan


class Plan:
    """One statement compiled for one dialect and one set of parameter names."""

    __slots__ = ("_binds", "_codes", "_processed", "_row", "_types", "positional", "sql")

    def __init__(
        self,
        sql: str,
        positional: bool,
        binds: tuple[tuple[str, str, Any, Processor | None], ...],
        row: type[tuple[Any, ...]] | None,
        types: Sequence[Any],
    ) -> None:
        self.sql = sql
        self.positional = positional
        self._binds = binds  # (its name in the SQL, the parameter's key or "", default, processor)
        self._row = row
        self._types = types  # the result columns' types, as compiled
        # The driver's type codes the result processors were chosen for (PostgreSQL's OIDs:
        # one statement's columns keep their types; SQLite's are None).
        self._codes: tuple[Any, ...] | None = None
        self._processed: list[tuple[int, Processor]] = []

    def parameters(self, given: dict[str, Any] | None) -> list[Any] | dict[str, Any]:
        """The driver's parameters, as `_init_compiled` would have made them."""
        if self.positional:
            values: list[Any] = []
            for _name, key, default, process in self._binds:
                value = given[key] if key else default  # type: ignore[index]
                values.append(value if process is None else process(value))
            return values
        named: dict[str, Any] = {}
        for name, key, default, process in self._binds:
            value = given[key] if key else default  # type: ignore[index]
            named[name] = value if process is None else process(value)
        return named

    def result(
        self, dialect: Dialect, raw_rows: list[Any] | None, description: Any, rowcount: int
    ) -> DirectResult:
        """The driver's rows as SQLAlchemy would have returned them."""
        if self._row is None:
            return DirectResult([], rowcount)
        if self._codes is None:  # the first run: the driver's type codes are known now
            codes = tuple(column[1] for column in description or ())
            if len(codes) != len(self._types):  # SQLAlchemy would match them by name
                raise RuntimeError(f"the driver's columns are not the compiled ones: {self.sql}")
            self._processed = _result_processors(dialect, self._types, codes)
            self._codes = codes
        new = tuple.__new__
        row = self._row
        processed = self._processed
        if raw_rows is None:
            raw_rows = []
        if not processed:
            return DirectResult([new(row, raw) for raw in raw_rows], rowcount)
        rows = []
        for raw in raw_rows:
            values = list(raw)
            for i, process in processed:
                values[i] = process(values[i])
            rows.append(new(row, values))
        return DirectResult(rows, rowcount)


def run_sqlite(
    plan: Plan, dialect: Dialect, driver: sqlite3.Connection, given: dict[str, Any] | None
) -> DirectResult | None:
    """Run `plan` on the sqlite3 connection of the unit of work, on the loop's thread; None
    when SQLite is busy (nothing ran: the caller runs it SQLAlchemy's asyncio way, which
    waits for the lock without blocking the loop, storage/sqlite_inline.py)."""
    parameters: Any = None
    try:
        parameters = plan.parameters(given)
        cursor = driver.execute(plan.sql, parameters)
        try:
            rows = cursor.fetchall() if cursor.description is not None else None
            return plan.result(dialect, rows, cursor.description, cursor.rowcount)
        finally:
            cursor.close()
    except sqlite3.OperationalError as error:
        if is_busy(error):
            return None
        raise _wrapped(plan, parameters, error, dialect) from error
    except Exception as error:
        raise _wrapped(plan, parameters, error, dialect) from error


async def run_psycopg(
    plan: Plan, dialect: Dialect, driver: Any, given: dict[str, Any] | None
) -> DirectResult:
    """Run `plan` on psycopg's AsyncConnection of the unit of work, in its transaction (what
    SQLAlchemy's adapter does in its greenlet, `AsyncAdapt_psycopg_cursor._execute_async`:
    execute, then fetch every row when the result has tuples)."""
    parameters: Any = None
    cursor = driver.cursor()
    try:
        parameters = plan.parameters(given)
        await cursor.execute(plan.sql, parameters)
        result = cursor.pgresult
        rows = await cursor.fetchall() if result is not None and result.status == _TUPLES else None
        return plan.result(dialect, rows, cursor.description, cursor.rowcount)
    except Exception as error:
        wrapped = _wrapped(plan, parameters, error, dialect)
        lost = isinstance(wrapped, DBAPIError) and dialect.is_disconnect(
            cast(Any, error), driver, cursor
        )
        if lost:
            cast(DBAPIError, wrapped).connection_invalidated = True
        raise wrapped from error
    finally:
        await cursor.close()


def _wrapped(plan: Plan, parameters: Any, error: Exception, dialect: Dialect) -> Exception:
    """The error as `Connection.execute` raises it: a DBAPI error wrapped in SQLAlchemy's
    class of the same name, anything else (a bind processor's ValueError) in StatementError."""
    dbapi_error = dialect.loaded_dbapi.Error
    return DBAPIError.instance(plan.sql, parameters, error, dbapi_error, dialect=dialect)


def prepare(statement: Executable, dialect: Dialect, names: tuple[str, ...]) -> Plan | None:
    """Compile `statement` as `Connection.execute` would for these parameter names, or None
    when it needs what the direct path does not do (the module's list)."""
    if statement.get_execution_options():
        return None
    descriptions = getattr(statement, "column_descriptions", None)
    if descriptions is not None and any(isinstance(d.get("type"), type) for d in descriptions):
        return None  # an ORM entity among the columns
    compiled = cast(ClauseElement, statement).compile(dialect=dialect, column_keys=sorted(names))
    if not isinstance(compiled, SQLCompiler) or _refused(compiled):
        return None
    by_name: dict[str, Any] = {}
    for bind, name in compiled.bind_names.items():
        by_name[name] = bind  # the last one wins, as in construct_params
    given = set(names)
    sources: dict[str, tuple[str, Any, Processor | None]] = {}
    for name, bind in by_name.items():
        if bind.callable is not None or bind.type._is_tuple_type:
            return None
        if bind.key in given:
            key, default = bind.key, None
        elif name in given:
            key, default = name, None
        elif bind.required:
            return None  # SQLAlchemy's path raises its own error
        else:
            key, default = "", bind.value
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        sources[name] = (key, default, process)
    if compiled.positional:
        order = compiled.positiontup or []
        binds = tuple((name, *sources[name]) for name in order)
    else:
        escaped: dict[str, str] = compiled.escaped_bind_names or {}
        binds = tuple((escaped.get(name, name), *src) for name, src in sources.items())
    columns = compiled._result_columns
    keys = tuple(column[0] for column in columns)
    row = _row_class(keys) if columns else None
    if columns and row is None:
        return None
    types = [column[3] for column in columns]
    return Plan(compiled.string, bool(compiled.positional), binds, row, types)


def _refused(compiled: SQLCompiler) -> bool:
    return bool(
        compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.implicit_returning
        or compiled.literal_execute_params
        or compiled.post_compile_params
        or compiled.isplaintext
        or compiled._collected_params
        or not compiled._ordered_columns
        or compiled._textual_ordered_columns
    )


def _row_class(keys: tuple[str, ...]) -> type[tuple[Any, ...]] | None:
    """A tuple with the result's names as attributes (None: names a Row would not offer so)."""
    if len(set(keys)) != len(keys) or not all(
        k.isidentifier() and not keyword.iskeyword(k) and not k.startswith("_") for k in keys
    ):
        return None
    attributes: dict[str, Any] = {"__slots__": (), "_fields": keys}
    for index, key in enumerate(keys):
        attributes[key] = property(itemgetter(index), doc=key)  # as a namedtuple's
    return type("DirectRow", (DirectRow,), attributes)


class DirectRow(tuple[Any, ...]):
    """A result row: a tuple whose values are also its columns' attributes (as a Row's)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    @property
    def _mapping(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))

    def _asdict(self) -> dict[str, Any]:
        return self._mapping


def _result_processors(
    dialect: Dialect, types: Sequence[Any], codes: Sequence[Any]
) -> list[tuple[int, Processor]]:
    """Each column's result processor for the driver's type code (as `CursorResultMetaData`
    gets it: SQLAlchemy caches the same `dialect_impl(...).result_processor(...)`), those
    that do something."""
    processors = (
        type_.dialect_impl(dialect).result_processor(dialect, code)
        for type_, code in zip(types, codes, strict=True)
    )
    return [(i, p) for i, p in enumerate(processors) if p is not None]


class DirectResult:
    """What the callers of a direct statement use of a result: its rows, all fetched."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    @classmethod
    def of(cls, result: Any) -> DirectResult:
        """A `CursorResult` (the refused statements' path) as a DirectResult."""
        rows = list(result.all()) if result.returns_rows else []
        return cls(rows, result.rowcount)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return list(self._rows)

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def one(self) -> Any:
        return _one(self._rows)

    def one_or_none(self) -> Any:
        return _one(self._rows) if self._rows else None

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def scalar_one(self) -> Any:
        return _one(self._rows)[0]

    def scalar_one_or_none(self) -> Any:
        return _one(self._rows)[0] if self._rows else None

    def scalars(self) -> DirectScalars:
        return DirectScalars([row[0] for row in self._rows])

    def mappings(self) -> list[dict[str, Any]]:
        return [row._mapping for row in self._rows]


class DirectScalars:
    """A result's first column (`DirectResult.scalars`)."""

    __slots__ = ("_values",)

    def __init__(self, values: list[Any]) -> None:
        self._values = values

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def all(self) -> list[Any]:
        return list(self._values)

    def first(self) -> Any:
        return self._values[0] if self._values else None

    def one(self) -> Any:
        return _one(self._values)

    def one_or_none(self) -> Any:
        return _one(self._values) if self._values else None


def _one(rows: list[Any]) -> Any:
    if not rows:
        raise NoResultFound("No row was found when one was required")
    if len(rows) > 1:
        raise MultipleResultsFound("Multiple rows were found when exactly one was required")
    return rows[0]
