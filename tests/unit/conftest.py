"""Shared fixtures for the notice parser tests: the real seed notice and our own fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = REPO_ROOT / "examples" / "22-TB-BCD.txt"
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "notices"


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The real notice 22-TB/BCĐ (Hà Tĩnh), the repository's own copy in examples/."""
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
