"""House rules that no linter states, checked on every `make test` (and `make check-house`):
small modules, one test harness, no patching of python-telegram-bot's internals, no dead
fixtures, pinned tools and a lock that matches pyproject.toml. The layers are import-linter's
(tests/test_architecture.py); types are mypy's (`make typecheck`)."""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"

# Small modules with one job each: none over ~500 lines.
MAX_LINES = 500
CHECKED_TREES = ("bot", "handlers", "storage", "web", "bench")
# What may be longer, and why. Keep it short: a module that grows past the limit is split
# along its seams, not listed here.
LONG_ALLOWED = {
    "storage/migrations/versions/": "Alembic revisions: generated, never edited once released",
}


def _python_files(*trees: str) -> Iterator[Path]:
    for tree in trees:
        for path in sorted((ROOT / tree).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_module_is_over_the_limit() -> None:
    too_long = {
        _relative(path): lines
        for path in _python_files(*CHECKED_TREES)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and not _relative(path).startswith(tuple(LONG_ALLOWED))
    }
    assert too_long == {}, f"over {MAX_LINES} lines: split along the seams"


def test_the_allow_list_names_only_what_exists() -> None:
    for prefix in LONG_ALLOWED:
        assert (ROOT / prefix).exists(), prefix


# --- one harness -----------------------------------------------------------------------------


def _calls(tree: ast.AST, name: str) -> list[int]:
    """Lines where `name(...)` or `something.name(...)` is called."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called == name:
                lines.append(node.lineno)
    return lines


def test_tests_start_the_bot_only_through_the_harness() -> None:
    """tests/harness.py's `running_bot` is the one way a test runs the application (a child
    process's script, a string, is the process under test and is not counted)."""
    elsewhere = {
        _relative(path): lines
        for path in _python_files("tests")
        if path != TESTS / "harness.py"
        and (lines := _calls(ast.parse(path.read_text(encoding="utf-8")), "build_application"))
    }
    assert elsewhere == {}, "start the bot with tests.harness.running_bot"


# --- python-telegram-bot's internals ---------------------------------------------------------

PRIVATE_PTB = re.compile(r"^telegram(\.\w+)*\._\w*")


def _private_ptb_references(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if PRIVATE_PTB.match(alias.name)]
        elif isinstance(node, ast.ImportFrom) and PRIVATE_PTB.match(node.module or ""):
            found.append(node.module or "")
        elif isinstance(node, ast.Constant) and PRIVATE_PTB.match(str(node.value)):
            found.append(str(node.value))  # monkeypatch.setattr("telegram.ext._x.y", …)
    return found


def test_no_test_reaches_into_python_telegram_bots_private_modules() -> None:
    """Faults come from the emulator (bot/sandbox/emulator/faults.py) and waits are real but
    short; patching a private module would break silently on a library upgrade."""
    found = {
        _relative(path): refs
        for path in _python_files("tests")
        if (refs := _private_ptb_references(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


# --- no dead fixtures ------------------------------------------------------------------------


def _is_fixture(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(target, ast.Attribute) and target.attr == "fixture") or (
        isinstance(target, ast.Name) and target.id == "fixture"
    )


def _autouse(decorator: ast.expr) -> bool:
    return isinstance(decorator, ast.Call) and any(
        keyword.arg == "autouse" and getattr(keyword.value, "value", False)
        for keyword in decorator.keywords
    )


def dead_fixtures(tests: Path) -> list[str]:
    """Fixtures no test or fixture in their reach asks for: a module's own are seen by that
    module, a conftest's by its folder and below. Asked for means a parameter of that name,
    or the name as a string (getfixturevalue, usefixtures)."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in tests.rglob("*.py")}
    asked: dict[Path, set[tuple[str, str | None]]] = {}
    defined: list[tuple[Path, str]] = []
    for path, tree in trees.items():
        names: set[tuple[str, str | None]] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                names |= {(argument.arg, node.name) for argument in arguments}
                for decorator in node.decorator_list:
                    if _is_fixture(decorator) and not _autouse(decorator):
                        defined.append((path, node.name))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add((node.value, None))
        asked[path] = names
    dead = []
    for path, name in defined:
        reach = (
            [p for p in trees if path.parent in p.parents or p.parent == path.parent]
            if path.name == "conftest.py"
            else [path]
        )
        if not any(
            asker != name for p in reach for asked_name, asker in asked[p] if asked_name == name
        ):
            dead.append(f"{path.relative_to(tests).as_posix()}::{name}")
    return sorted(dead)


def test_every_fixture_is_used() -> None:
    assert dead_fixtures(TESTS) == []


def test_a_dead_fixture_is_found(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "import pytest\n\n@pytest.fixture\ndef used(): ...\n\n@pytest.fixture\ndef unused(): ...\n"
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "test_a.py").write_text(
        "import pytest\n\n@pytest.fixture\ndef local(used): ...\n\ndef test_x(used): ...\n"
    )
    assert dead_fixtures(tmp_path) == ["conftest.py::unused", "sub/test_a.py::local"]


# --- pinned tools, locked installs -----------------------------------------------------------


def _requirements() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    dev = [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    return runtime, dev


def _locked() -> dict[str, Version]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pins = [line.split("==") for line in lines if line and not line.startswith("#")]
    return {canonicalize_name(name): Version(version) for name, version in pins}


def test_every_dev_tool_is_pinned_exactly() -> None:
    """A new release of ruff, mypy or pytest must not change `make test`'s verdict by itself."""
    _, dev = _requirements()
    loose = [str(r) for r in dev if [s.operator for s in r.specifier] != ["=="]]
    assert loose == []


def test_the_lock_covers_pyproject_and_agrees_with_it() -> None:
    """`make` installs with `-c requirements.lock`: a dependency missing from the lock would
    install at whatever version is newest; a locked version pyproject no longer accepts means
    the lock is stale. Either way: `make lock`."""
    runtime, dev = _requirements()
    locked = _locked()
    missing = [r.name for r in runtime + dev if canonicalize_name(r.name) not in locked]
    assert missing == []
    outside = {
        r.name: str(locked[canonicalize_name(r.name)])
        for r in runtime + dev
        if not r.specifier.contains(locked[canonicalize_name(r.name)], prereleases=True)
    }
    assert outside == {}
