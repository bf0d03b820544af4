"""The standard provincial structure shipped with dondoc (bot/data/agencies.json).

Kept outside ``bot.domain`` because it reads a file; the rules that use it are
``bot.domain.agency_directory``'s, which take the parsed data.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

from bot.domain.agency_directory import Directory

__all__ = ["load_standard_data", "standard_directory"]


@lru_cache(maxsize=1)
def load_standard_data() -> dict[str, Any]:
    """The parsed agencies.json: sources, kinds, agencies, groups and example groups."""
    data: dict[str, Any] = json.loads(
        files("bot").joinpath("data/agencies.json").read_text(encoding="utf-8")
    )
    return data


def standard_directory(*, examples: tuple[str, ...] = ()) -> Directory:
    """A directory of the standard structure, with the example groups of ``examples``."""
    return Directory.from_data(load_standard_data(), examples=examples)
