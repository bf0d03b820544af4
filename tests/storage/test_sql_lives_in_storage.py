"""All SQL lives in storage/: services call repository functions with a unit of work and
keyword arguments, and never build or run a statement themselves.

import-linter forbids bot.services from importing SQLAlchemy or SQLModel (pyproject.toml),
but it sees an external package whole, and a statement can be built without importing
SQLAlchemy at all (`Assignment.status.in_(...)` on a model). This reads the source instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted((ROOT / "bot" / "services").rglob("*.py"))
REPOSITORIES = sorted((ROOT / "storage" / "repositories").glob("*.py"))
# What a service must not touch on a unit of work: the ORM session, the connection, the
# statement runner. Repositories do.
UNIT_OF_WORK_INSIDES = {"session", "connection", "execute"}
# Column methods that build SQL on a model's attributes.
SQL_BUILDING_METHODS = {"in_", "not_in", "is_", "is_not", "label", "desc", "asc", "like"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", SERVICES, ids=_name)
def test_services_import_no_sql_builder(path: Path) -> None:
    found = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        for module in modules:
            root = module.split(".")[0]
            # The package's own __init__ types build_services' session factory: wiring, no SQL.
            wiring = path.name == "__init__.py" and module == "sqlalchemy.ext.asyncio"
            if root in {"sqlalchemy", "sqlmodel"} and not wiring:
                found.append(f"line {node.lineno}: {module}")
    assert found == []


@pytest.mark.parametrize("path", SERVICES, ids=_name)
def test_services_neither_build_nor_run_statements(path: Path) -> None:
    found = [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Attribute)
        and (node.attr in UNIT_OF_WORK_INSIDES or node.attr in SQL_BUILDING_METHODS)
    ]
    assert found == []


@pytest.mark.parametrize("path", REPOSITORIES, ids=_name)
def test_repository_functions_take_the_unit_of_work_then_keywords(path: Path) -> None:
    """`await tasks.assignment_row(uow, assignment_id=12)`: the unit of work first, every
    other argument by name, so that a call says what each value is."""
    found = []
    for node in _tree(path).body:
        if not isinstance(node, ast.AsyncFunctionDef) or node.name.startswith("_"):
            continue
        positional = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
        if positional != ["uow"]:
            found.append(f"{node.name}({', '.join(positional)}, ...)")
    assert found == []


def test_the_checks_see_every_service_and_repository() -> None:
    """The parametrised checks above would pass on an empty list: make sure they do not."""
    assert len(SERVICES) >= 15
    assert {p.name for p in REPOSITORIES} >= {
        "tasks.py",
        "progress.py",
        "reminder_log.py",
        "conversation.py",
        "summary.py",
        "bindings.py",
        "people.py",
        "agencies.py",
    }
