"""An import-linter contract type the `[tool.importlinter]` config in pyproject.toml uses.

`standard_library_only`: the source packages import nothing but the standard library and
their own modules. A `forbidden` contract can only list what it forbids, so a third-party
package nobody thought to list would slip through; this one allows a fixed set instead.

Only direct imports are read, and that is complete: a standard-library module never imports
project or third-party code, so every forbidden chain starts with a forbidden direct import.
"""

from __future__ import annotations

import sys
from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output

ALLOWED_ROOTS = frozenset(sys.stdlib_module_names) | {"__future__"}


class StandardLibraryOnlyContract(Contract):
    type_name = "standard_library_only"

    source_modules = fields.ListField(subfield=fields.ModuleField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        violations: list[dict[str, Any]] = []
        for source in self.source_modules:  # type: ignore[attr-defined]
            package = source.name
            if package not in graph.modules:
                raise ValueError(f"Module '{package}' does not exist.")
            for importer in sorted({package, *graph.find_descendants(package)}):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if imported == package or imported.startswith(f"{package}."):
                        continue
                    if imported.split(".")[0] in ALLOWED_ROOTS:
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = sorted({d["line_number"] for d in details})
                    violations.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            lines = ", ".join(f"l.{n}" for n in violation["lines"]) or "?"
            output.print_error(
                f"{violation['importer']} imports {violation['imported']} ({lines}): "
                "not the standard library",
                bold=False,
            )
            output.new_line()
