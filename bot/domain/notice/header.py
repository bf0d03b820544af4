"""The header block: the notice's number, date and place, issuing body and title.

Headers are typed in capitals and laid out in two columns that text extraction runs together,
so each finder looks for its own pattern in the first lines rather than at fixed positions.
Each returns the index of the line it used, so layout.py can tell where the body begins.
"""

from __future__ import annotations

import re
from datetime import date

from bot.domain.notice.casing import institution_case
from bot.domain.notice.lines import BULLET, NUMBER, ROMAN, SEPARATOR
from bot.domain.text import capitalize_first, fold, match_form

_NUMBER_AT_START = re.compile(
    r"^(?:Số|SỐ|số|So|SO)\s*[:.]?\s*(\d{1,5})\s*([-/–])\s*([A-ZĐ0-9][\wĐđ]*(?:\s*[-/–]\s*[A-ZĐ0-9][\wĐđ]*)*)"
)
_NUMBER_ANYWHERE = re.compile(
    r"(?:Số|SỐ)\s*:\s*(\d{1,5})\s*([-/–])\s*([A-ZĐ0-9][\wĐđ]*(?:\s*[-/–]\s*[A-ZĐ0-9][\wĐđ]*)*)"
)
_DATE_LINE = re.compile(
    r"(?:(?P<place>[^\d,;:]{2,80}?)\s*,\s*)?ngay\s+(?P<d>\d{1,2})\s*(?:thang\s+|/\s*)(?P<m>\d{1,2})"
    r"\s*(?:,?\s*nam\s+|/\s*)(?P<y>\d{4})"
)
_NOT_ISSUER = re.compile(
    r"cong hoa xa hoi|doc lap\s*-|dang cong san viet nam|^thong bao\b|^so\s*[:.]?\s*\d|ngay\s+\d"
)
_PARENT = re.compile(
    r"^(?:tinh uy|thanh uy|huyen uy|thi uy|dang uy|ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan"
    r"|bo |ban chap hanh)"
)


# The document kinds whose name, in capitals, precedes the title ("THÔNG BÁO", "CHỈ THỊ"...).
_KIND = re.compile(r"^(?:thong bao|chi thi|ke hoach|quyet dinh|cong dien|ket luan)\b")


def _ends_title(parts: list[str], line: str) -> bool:
    """Whether ``line`` already belongs to the body (the title has no blank line after it)."""
    return bool(
        re.match(r"^(?:ngay|can cu|sang|chieu|vua qua|thuc hien|theo|de)\b", fold(line))
        or line.endswith((":", "."))
        or len(line.split()) > 40
        or ROMAN.match(line)
        or NUMBER.match(line)
        or BULLET.match(line)
        or len(" ".join(parts).split()) > 60
    )


def find_title(lines: list[str]) -> tuple[str | None, int, int]:
    """The title after "THÔNG BÁO" (or "CHỈ THỊ", "KẾ HOẠCH", "QUYẾT ĐỊNH"...) and the indexes
    (the kind's line, the last title line)."""
    for i, line in enumerate(lines[:80]):
        folded = fold(line)
        kind = _KIND.match(folded)
        if not kind or any(ch.islower() for ch in line[:9]) or line.endswith(":"):
            continue
        rest = line[kind.end() :].strip(" :.-")
        if rest:
            return institution_case(rest), i, i
        parts: list[str] = []
        j = i + 1
        while j < len(lines) and not lines[j]:
            j += 1
        end = i
        while j < len(lines) and lines[j] and len(parts) < 4 and not SEPARATOR.match(lines[j]):
            if parts and _ends_title(parts, lines[j]):
                break
            parts.append(lines[j])
            end = j
            j += 1
        return (institution_case(" ".join(parts)) if parts else None), i, end
    return None, -1, -1


def find_subject_line(lines: list[str]) -> tuple[str | None, int]:
    """A Công văn's subject ("V/v điều chỉnh quy hoạch ...") and its index: its title."""
    for i, line in enumerate(lines):
        match = re.match(r"^(?:V/v|v/v|V/V|Về việc)\s*:?\s*(?P<rest>\S.*)$", line)
        if match:
            return capitalize_first(match["rest"].strip(" .")), i
    return None, -1


def find_number(lines: list[str]) -> tuple[str | None, int]:
    for i, line in enumerate(lines):
        match = _NUMBER_AT_START.match(line) or _NUMBER_ANYWHERE.search(line)
        if match:
            number = "".join(match.groups()).replace("–", "-")
            return re.sub(r"\s+", "", number), i
    return None, -1


def find_date(lines: list[str]) -> tuple[date | None, str | None, int]:
    for i, line in enumerate(lines):
        form = match_form(line, accentless=True)
        match = _DATE_LINE.search(form)
        if not match or (not match.group("place") and len(line.split()) > 8):
            continue
        try:
            found = date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        except ValueError:
            continue
        place = (
            _place(line[match.start("place") : match.end("place")])
            if match.group("place")
            else None
        )
        return found, place, i
    return None, None, -1


def _place(raw: str) -> str | None:
    """The place before ", ngày": the whole phrase if short, else its trailing capitalised words."""
    words = raw.strip(" ,-").split()
    if not words:
        return None
    if len(words) > 5:
        tail: list[str] = []
        for word in reversed(words):
            if not word[:1].isupper():
                break
            tail.insert(0, word)
        words = tail or words[-3:]
    return " ".join(words) or None


def find_issuer(header: list[str]) -> str | None:
    """The issuing body: header capitals, minus the national motto and the parent body line."""
    units: list[str] = []
    for line in header:
        folded = fold(line)
        if not line or SEPARATOR.match(line) or _NOT_ISSUER.search(folded):
            continue
        if any(ch.islower() for ch in line) and not units:
            continue
        if (
            units
            and re.match(r"^(?:tinh|thanh pho|huyen|thi xa)\b", folded)
            and re.match(r"^(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)$", fold(units[-1]))
        ):
            units[-1] = f"{units[-1]} {line}"
            continue
        units.append(line)
    if not units:
        return None
    if len(units) > 1 and _PARENT.match(fold(units[0])):
        parent, units = units[0], units[1:]
        if len(" ".join(units).split()) <= 2:
            return f"{institution_case(' '.join(units))} {institution_case(parent)}"
    return institution_case(" ".join(units))
