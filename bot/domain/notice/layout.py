"""Where the parts of a notice are: header, directive body, signature, appendix; its metadata.

The body starts after the title ("THÔNG BÁO", "CHỈ THỊ", "KẾ HOẠCH"… and the lines under it)
or, without one (a Công văn), after the number and date lines, and after a "Kính gửi" list.
It ends at "Nơi nhận", a signing formula or the closing "./". A text pasted without a header
starts at line 0, and when the body comes out empty (a news page ending with its date, a cited
document's date taken for the notice's) the whole text is read instead. A document may carry
an appendix after its signature (a Quyết định's "KẾ HOẠCH", a "PHỤ LỤC"): its body is read as
a second body. Every line outside the bodies gets the reason it is not read (``outside``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.domain.notice.header import (
    find_date,
    find_issuer,
    find_number,
    find_subject_line,
    find_title,
)
from bot.domain.notice.lines import BULLET
from bot.domain.notice.model import DocumentMeta, UnusedReason
from bot.domain.notice.signature import RECIPIENTS, SIGN_MARKER, find_signature
from bot.domain.text import fold

# "Kính gửi:", and a Công điện's "THỦ TƯỚNG CHÍNH PHỦ điện:" / "CHỦ TỊCH UBND TỈNH điện:"
_RECIPIENTS_OPEN = re.compile(r"^kinh gui\b|^[^:]{3,80}\bdien\s*:\s*$")
_APPENDIX = re.compile(r"^(?:ke hoach|phu luc|chuong trinh(?: hanh dong)?|danh muc)\b")
_APPENDIX_NOTE = re.compile(r"^\(?\s*(?:ban hanh )?kem theo\b")


class Layout(NamedTuple):
    """The metadata, the bodies (lines[start:end] each) and why each other line is not read."""

    meta: DocumentMeta
    body_start: int
    body_end: int
    signature_start: int
    bodies: tuple[tuple[int, int], ...]
    outside: dict[int, UnusedReason]
    skip: frozenset[int] = frozenset()  # header lines inside a body (a headerless text's date)


def read_layout(lines: list[str]) -> Layout:
    """Find the header's facts, the bodies' bounds and the signature in the prepared lines."""
    title, title_idx, title_end = find_title(lines)
    head_limit = title_idx if title_idx >= 0 else min(len(lines), 30)
    head_scan = lines[: head_limit + 1] if title_idx >= 0 else lines[:head_limit]
    number, number_idx = find_number(head_scan)
    found_date, place, date_idx = find_date(head_scan)
    body_start = title_end + 1 if title_idx >= 0 else max(number_idx, date_idx) + 1
    if title is None:
        title, _ = find_subject_line(lines[:head_limit])
    outside: dict[int, UnusedReason] = dict.fromkeys(range(body_start), "header")
    body_start = _skip_recipients(lines, body_start, outside)
    body_end, sign_start = _body_end(lines, body_start)
    skip: frozenset[int] = frozenset()
    if not any(lines[body_start:body_end]):  # nothing left to read: read the whole text
        for i in range(body_end):
            outside.pop(i, None)
        body_start = 0
        body_end, sign_start = _body_end(lines, 0)
        skip = frozenset(i for i in (number_idx, date_idx) if i >= 0)  # its number, its date
        outside.update(dict.fromkeys(skip, "header"))
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
    bodies = [(body_start, body_end)]
    appendix = _appendix(lines, sign_start)
    signature_end = len(lines)
    if appendix is not None:
        heading, start = appendix
        end, _ = _body_end(lines, start)
        bodies.append((start, end))
        signature_end = heading
        outside.update(dict.fromkeys(range(heading, start), "header"))
        outside.update(dict.fromkeys(range(end, len(lines)), "signature"))
    outside.update(dict.fromkeys(range(body_end, signature_end), "signature"))
    return Layout(meta, body_start, body_end, sign_start, tuple(bodies), outside, skip)


def _skip_recipients(lines: list[str], start: int, outside: dict[int, UnusedReason]) -> int:
    """After "Kính gửi:" and its list (a Công văn's addressees), where the body really starts."""
    i = start
    while i < len(lines) and not lines[i]:
        i += 1
    if i >= len(lines) or not _RECIPIENTS_OPEN.match(fold(lines[i])):
        return start
    outside[i] = "recipients"
    if not lines[i].endswith(":"):
        return i + 1  # "Kính gửi: Sở Y tế." on one line
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if not line:
            if j > i + 1:
                break
            j += 1
            continue
        if not (BULLET.match(line) or (len(line.split()) <= 25 and line.endswith((";", ".", ",")))):
            break
        outside[j] = "recipients"
        j += 1
    return j


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


def _appendix(lines: list[str], after: int) -> tuple[int, int] | None:
    """An appendix after the signature: (its heading's index, where its body starts)."""
    for i in range(after, len(lines)):
        line = lines[i]
        if not line or not line.isupper() or not _APPENDIX.match(fold(line)):
            continue
        j = i + 1
        while j < len(lines) and (
            not lines[j] or (j <= i + 3 and _is_appendix_title(lines[j], lines[j - 1]))
        ):
            j += 1
        return i, j
    return None


def _is_appendix_title(line: str, previous: str) -> bool:
    """The appendix's title lines: its name and "(Ban hành kèm theo Quyết định số …)"."""
    if _APPENDIX_NOTE.match(fold(line)):
        return True
    return previous.isupper() and not BULLET.match(line) and not line[:1].isdigit()
