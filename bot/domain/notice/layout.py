"""Where the parts of a notice are: header, directive body, signature; and its metadata.

Today the body starts after the title (or, with no "THÔNG BÁO" title, after the number and
date lines) and ends at "Nơi nhận", a signing formula or the closing "./". A notice pasted
without its header starts at line 0. The walk (walk.py) reads only lines[body_start:body_end].
"""

from __future__ import annotations

from typing import NamedTuple

from bot.domain.notice.header import find_date, find_issuer, find_number, find_title
from bot.domain.notice.model import DocumentMeta
from bot.domain.notice.signature import RECIPIENTS, SIGN_MARKER, find_signature
from bot.domain.text import fold


class Layout(NamedTuple):
    """The metadata, and the body as the slice lines[body_start:body_end]."""

    meta: DocumentMeta
    body_start: int
    body_end: int
    signature_start: int


def read_layout(lines: list[str]) -> Layout:
    """Find the header's facts, the body's bounds and the signature in the prepared lines."""
    title, title_idx, title_end = find_title(lines)
    head_limit = title_idx if title_idx >= 0 else min(len(lines), 30)
    head_scan = lines[: head_limit + 1] if title_idx >= 0 else lines[:head_limit]
    number, number_idx = find_number(head_scan)
    found_date, place, date_idx = find_date(head_scan)
    body_start = title_end + 1 if title_idx >= 0 else max(number_idx, date_idx) + 1
    body_end, sign_start = _body_end(lines, body_start)
    header = lines[: number_idx if 0 <= number_idx < head_limit else head_limit]
    signer, signer_title = find_signature(lines[sign_start:])
    meta = DocumentMeta(
        number=number,
        date=found_date,
        issuer=find_issuer(header),
        signer=signer,
        signer_title=signer_title,
        place=place,
        title=title,
    )
    return Layout(meta, body_start, body_end, sign_start)


def _body_end(lines: list[str], start: int) -> tuple[int, int]:
    """Where the directive part ends (exclusive) and where the signature area begins."""
    for i in range(start, len(lines)):
        folded = fold(lines[i])
        if RECIPIENTS.match(folded) or (
            SIGN_MARKER.match(folded) and lines[i].isupper() and i > start
        ):
            return i, i
        if lines[i].endswith("/."):
            return i + 1, i + 1
    return len(lines), len(lines)
