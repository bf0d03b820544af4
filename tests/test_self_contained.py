"""A user's clone has nothing beside it: no file of the project may reach outside the repository
for data (the seed notice lives in examples/)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = re.compile(r"\.\./shared|shared/seeds|parents\[[3-9]\]")


def _tracked_sources() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "*.py", "*.sh", "Makefile", ".ci/*", "*.toml", "*.cfg", "*.ini"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode == 0 and listed.stdout.strip():
        return [ROOT / line for line in listed.stdout.splitlines()]
    return [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts]


def test_no_source_reads_outside_the_repository() -> None:
    me = Path(__file__).resolve()
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _tracked_sources()
        if path.is_file() and path.resolve() != me
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert offenders == []


def test_the_seed_notice_is_the_repositorys_own() -> None:
    seed = ROOT / "examples" / "22-TB-BCD.txt"
    assert "22 - TB/BCĐ" in seed.read_text(encoding="utf-8")
