"""QR codes of the invite links, drawn by segno (pure Python, no image library needed).

Error correction M at least (segno raises it when the symbol keeps its size): a printed page
gets folded, stamped and photographed at an angle. The quiet zone of four modules is part of
the standard; the page layout keeps it white.
"""

from __future__ import annotations

from io import BytesIO

import segno

QUIET_ZONE = 4  # modules of white around the symbol (ISO/IEC 18004)


def make(link: str) -> segno.QRCode:
    return segno.make_qr(link, error="m", boost_error=True)


def dark_runs(link: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The symbol's size in modules (without quiet zone) and its dark modules as
    horizontal runs (row, first column, length): a vector drawing of few rectangles,
    sharp at any print size."""
    matrix = make(link).matrix
    runs: list[tuple[int, int, int]] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return len(matrix), runs


def png(link: str, *, scale: int = 12) -> bytes:
    """A black-on-white PNG with its quiet zone, `scale` pixels per module."""
    buffer = BytesIO()
    make(link).save(buffer, kind="png", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff")
    return buffer.getvalue()
