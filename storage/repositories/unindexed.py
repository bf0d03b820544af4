"""`unindexed(column)`: a column tested in a WHERE clause but never sought in an index.

SQLite keeps no statistics unless ANALYZE is run, so its planner picks an index by the shape
of the terms alone; where that shape misleads it (an equality on the leading column of a wide
index looks better than a join from a handful of rows), the term is written so no index is
sought for it: SQLite's unary `+` (a no-op on the value; sqlite.org/optimizer.html,
"Disqualifying WHERE clause terms"). Elsewhere the column is rendered as it is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class _Unindexed(FunctionElement[str]):
    type = String()
    inherit_cache = True


@compiles(_Unindexed)
def _column_itself(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(next(iter(element.clauses)), **kw))


@compiles(_Unindexed, "sqlite")
def _unary_plus(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(next(iter(element.clauses)), **kw))


def unindexed(column: ColumnElement[str]) -> ColumnElement[str]:
    """`column`, for SQLite's planner not a way into an index."""
    return _Unindexed(column)
