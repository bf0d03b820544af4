"""How much of the work a reply says is done: a percent, a fraction, "một nửa".

Rules (on the folded text):
- "70%", "70 %", "70 phan tram", "72,3%" → the whole percent rounded *down* (never done by
  rounding); "tren/hon/khoang/~ 80%" → 80 (a lower bound is what is known); "60-70%" → 60;
  "gan 50%" → mentioned but no figure (less than 50 by an amount not said).
- a percent after "tang / giam / con / chiem" is a statistic, not progress: ignored.
- "a/b" is a fraction of the work when what it counts follows ("3/5 noi dung", "6/13 huyen",
  "3/5 ty dong") or when it follows duoc / dat / khoang / xong with a ≤ b; never when b is a
  year ("thang 1/2020"), when another "/" follows (a full date) or a > b ("15/1" is a day).
  "a phan b", "a tren b" are fractions too; "mot nua" and "duoc nua" are 50.
- a percent sign with no number, or a figure above 100, cannot be read: `invalid`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(rf"(?<![\w.,/]){_NUMBER}\s*[-–]\s*{_NUMBER}\s*(?:%|phan tram\b)")
_PERCENT = re.compile(rf"(?<![\w.,/-]){_NUMBER}\s*(?:%|phan tram\b)")
_NO_NUMBER = re.compile(r"(?:^|[^\d\s])\s*%|^%")
_STATISTIC_BEFORE = re.compile(r"\b(?:tang|giam|con|chiem|giam con|tang them)\s*(?:khoang\s*)?$")
_BELOW = re.compile(r"\b(?:gan|gan nhu|chua toi|duoi|chua den)\s*$")
_NEGATED_BEFORE = re.compile(r"\b(?:chua|khong)\b(?:\s+\w+){0,3}\s*$")

COUNTED = (
    r"noi dung|hang muc|xa|huyen|thon|to dan pho|ho so|ho|cong trinh|chi tieu|tieu chi|"
    r"nhiem vu|phan viec|don vi|ty|ty dong|trieu|trieu dong|km|mo hinh|san pham|dot|"
    r"khoi luong|cong viec|phan|buoc|lop|hoc vien|nguoi|co so|truong|doanh nghiep|du an|"
    r"van ban|bao cao|ke hoach|so nganh|phuong|thi tran|diem|tuyen|goi thau"
)
_FRACTION = re.compile(r"(?<![\d/.,])(\d{1,4})\s*/\s*(\d{1,4})(?![\d/]|\s*/\s*\d)")
_FRACTION_WORDS = re.compile(r"(?<![\d/.,])(\d{1,4})\s+(?:phan|tren)\s+(\d{1,4})(?!\d)")
_COUNTED_AFTER = re.compile(rf"^\s*(?:{COUNTED})\b")
_FRACTION_LEAD = re.compile(
    r"\b(?:duoc|dat|khoang|xong|moi duoc|thuc hien duoc|giai ngan|giai ngan duoc)\s*(?:khoang\s*)?$"
)
_DATE_LEAD = re.compile(
    r"\b(?:ngay|den|truoc|sau|han|tu|toi|vao|trong|thang|het|cuoi|sang|lui|du kien)\s*$"
)
_HALF = re.compile(r"\b(?:(?:mot|1) nua|duoc nua|duoc (?:mot|1) nua)\b")


@dataclass(frozen=True, slots=True)
class PercentReading:
    """`value` when a figure is known; `mentioned` when the words speak of how much is done
    (even without a figure: "gan 50%"); `invalid` when a percent was meant but is unreadable."""

    value: int | None = None
    mentioned: bool = False
    invalid: bool = False


NONE = PercentReading()


def _floor(raw: str) -> float:
    return float(raw.replace(",", "."))


def read_percent(folded: str) -> PercentReading:
    """The first progress figure of a folded item text."""
    found = _stated(folded)
    if found is not None:
        return found
    found = _fraction(folded)
    if found is not None:
        return found
    if _HALF.search(folded):
        return PercentReading(50, True)
    if _NO_NUMBER.search(folded):
        return PercentReading(invalid=True)
    return NONE


def _stated(folded: str) -> PercentReading | None:
    for pattern in (_RANGE, _PERCENT):
        for match in pattern.finditer(folded):
            before = folded[: match.start()]
            if _STATISTIC_BEFORE.search(before):
                continue
            value = _floor(match.group(1))
            if value > 100:
                return PercentReading(invalid=True)
            if _BELOW.search(before):
                return PercentReading(None, True)
            if value == 100 and _NEGATED_BEFORE.search(before):
                return PercentReading(None, True)  # "chua hoan thanh 100%": not fully, not 100
            return PercentReading(math.floor(value), True)
    return None


def percent_above_100(folded: str) -> str | None:
    """The first progress figure above 100 ("150%"), as written, or None: such a reply is
    refused with the range, as /capnhat refuses it, rather than asked about (review R2)."""
    for match in _PERCENT.finditer(folded):
        if _STATISTIC_BEFORE.search(folded[: match.start()]):
            continue
        return match.group(0).strip() if _floor(match.group(1)) > 100 else None
    return None


def _fraction(folded: str) -> PercentReading | None:
    for pattern in (_FRACTION, _FRACTION_WORDS):
        for match in pattern.finditer(folded):
            part, whole = int(match.group(1)), int(match.group(2))
            if whole == 0 or part > whole or whole >= 1900:
                continue
            before, after = folded[: match.start()], folded[match.end() :]
            counted = bool(_COUNTED_AFTER.match(after))
            led = bool(_FRACTION_LEAD.search(before)) and not _DATE_LEAD.search(before)
            if pattern is _FRACTION_WORDS or counted or led:
                return PercentReading(math.floor(100 * part / whole), True)
    return None
