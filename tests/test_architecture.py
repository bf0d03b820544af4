"""The house rule has one source of truth, the import-linter config in pyproject.toml (run by
`make test`); these tests check only that it and README's map cover the whole tree, and that
its home-made contract type (tests/architecture.py) catches what it should."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import grimp
import pytest

from tests.architecture import StandardLibraryOnlyContract

ROOT = Path(__file__).resolve().parents[1]


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def top_level_modules() -> set[str]:
    """bot's own modules and packages, and the other root packages: what the layers order."""
    names = {"handlers", "storage", "web"}
    for path in (ROOT / "bot").iterdir():
        if path.suffix == ".py" and path.name != "__init__.py":
            names.add(f"bot.{path.stem}")
        elif path.is_dir() and (path / "__init__.py").exists():
            names.add(f"bot.{path.name}")
    return names


def test_the_layers_contract_places_every_top_level_module() -> None:
    """import-linter checks the layers it is given; a module left out of them would be free
    to import anything (its `exhaustive` option needs containers, which this tree has not)."""
    [layers] = [c for c in _contracts() if c["type"] == "layers" and "containers" not in c]
    listed = {name.strip() for layer in layers["layers"] for name in re.split(r"[|:]", layer)}
    assert top_level_modules() - listed == set()


def readme_map() -> dict[str, set[str]]:
    """The map in README's "How it is built": each top-level entry and the entries under it
    (names at column 0, and at column 2 below them; the rest of a line is its description)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## How it is built", 1)[1].split("```", 2)[1]
    entries: dict[str, set[str]] = {}
    parent = ""
    for line in block.splitlines():
        found = re.match(r"^( {0,2})([\w.-]+/?)(?:\s|$)", line)
        if found is None:
            continue
        indent, name = found.groups()
        if not indent:
            parent = name
            entries[parent] = set()
        elif name.endswith(("/", ".py")):
            entries[parent].add(name)
    return entries


def test_readme_map_names_every_top_level_module_and_nothing_that_is_gone() -> None:
    entries = readme_map()
    sources = {
        f"{path.name}/"
        for path in ROOT.iterdir()
        if path.is_dir() and not path.name.startswith(".") and any(path.glob("*.py"))
    }
    assert sources - set(entries) == set(), "source folders missing from README's map"
    in_bot = {name.split(".", 1)[1] for name in top_level_modules() if name.startswith("bot.")}
    shown = {name.removesuffix("/").removesuffix(".py") for name in entries["bot/"]}
    assert in_bot - shown == set(), "bot/ modules missing from README's map"
    named = [f"{parent}{child}" for parent, children in entries.items() for child in children]
    missing = [name for name in [*entries, *named] if not (ROOT / name).exists()]
    assert missing == [], "README's map names what does not exist"


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.pure", "pkg.pure.rules", "pkg.pure.text", "pkg.app"):
        graph.add_module(module)
    for external in ("re", "dataclasses", "__future__", "telegram", "attrs"):
        graph.add_module(external, is_squashed=True)
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=3, line_contents="")
    return graph


def _check(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    contract = StandardLibraryOnlyContract(
        name="pure",
        session_options={"root_packages": ["pkg"], "include_external_packages": True},
        contract_options={"source_modules": ["pkg.pure"]},
    )
    check = contract.check(graph, verbose=False)
    found = [(v["importer"], v["imported"]) for v in check.metadata["violations"]]
    assert check.kept is (found == [])
    return found


def test_standard_library_only_keeps_the_standard_library_and_the_package_itself() -> None:
    graph = _graph(
        ("pkg.pure.rules", "re"),
        ("pkg.pure.rules", "__future__"),
        ("pkg.pure.rules", "pkg.pure.text"),
        ("pkg.pure.text", "dataclasses"),
        ("pkg.app", "telegram"),  # outside the source package: not its business
        ("pkg.app", "pkg.pure.rules"),
    )
    assert _check(graph) == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("pkg.pure.rules", "telegram"),  # a third-party package nobody listed
        ("pkg.pure.text", "attrs"),
        ("pkg.pure.rules", "pkg.app"),  # the project above it
        ("pkg.pure", "pkg"),  # its own parent package
    ],
)
def test_standard_library_only_breaks_on_anything_else(importer: str, imported: str) -> None:
    graph = _graph(("pkg.pure.rules", "re"), (importer, imported))
    assert _check(graph) == [(importer, imported)]
