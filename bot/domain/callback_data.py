"""Button payloads: `action:arg:arg`, at most 64 bytes, decoded without trusting them.

A payload only names what was pressed; what it may do is decided again against the
database at press time, so a forged payload can at worst be refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
# fullmatch, not match with ^…$: `$` also matches before a trailing newline ("done\n").
_ACTION = re.compile(r"[a-z]{1,6}")
_ARG = re.compile(r"[A-Za-z0-9_-]{0,24}")


@dataclass(frozen=True, slots=True)
class Callback:
    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int | None:
        """The index-th argument as a non-negative int, or None when absent or not a number."""
        if index >= len(self.args) or not self.args[index].isdigit() or len(self.args[index]) > 12:
            return None
        return int(self.args[index])


def encode(action: str, *args: object) -> str:
    """Build a payload; raises ValueError rather than letting Telegram reject the button."""
    parts = [action, *(str(a) for a in args)]
    if not _ACTION.fullmatch(action) or not all(_ARG.fullmatch(p) for p in parts[1:]):
        raise ValueError(f"unsafe callback payload: {parts!r}")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError("callback payload over 64 bytes")
    return data


def decode(data: str | None) -> Callback | None:
    """Parse a payload from a button press; None for anything malformed."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    action, *args = data.split(":")
    if not _ACTION.fullmatch(action) or not all(_ARG.fullmatch(a) for a in args):
        return None
    return Callback(action, tuple(args))
