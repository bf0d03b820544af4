"""A focal point's free-text reply -> a progress report (status, percent, note).

Replies come from phones: with or without diacritics, in NFC or NFD, with "Dạ," in front.
Matching is done on a folded copy (no marks, đ -> d, lower case, single spaces); the note
always keeps the original words (NFC). The rules lean towards *not* reading "done": a wrong
"done" moves the task to the office's confirmation queue, a wrong "note" costs nothing.

Precedence: errors (empty, too long, percent out of range, a % sign with no number) > done
(100% or a done phrase, unless negated as in "chưa hoàn thành") > blocked > a percent (in
progress) > "đang thực hiện" (in progress, no percent) > note. A percent below 100 beats a done phrase: "đã hoàn thành
80%" means 80% done. A difficulty mentioned alongside a percent keeps both (blocked, 70).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.bounds import date_in_bounds

MAX_TEXT_LENGTH = 4000


class ProgressKind(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    NOTE = "note"


class ErrorCode(StrEnum):
    """Stable codes; the user-facing wording lives in the text catalogue."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    PERCENT_OUT_OF_RANGE = "percent_out_of_range"
    INVALID_PERCENT = "invalid_percent"
    INVALID_DATE = "invalid_date"
    DATE_IN_PAST = "date_in_past"


@dataclass(frozen=True, slots=True)
class ProgressReport:
    kind: ProgressKind
    percent: int | None
    note: str
    obstacle: bool = False  # a difficulty stated beside a completion: the office is told


@dataclass(frozen=True, slots=True)
class ProgressError:
    code: ErrorCode
    detail: str = ""


# --- folding ---------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Compare Vietnamese text whatever the keyboard: strip marks, đ -> d, lower case, and
    collapse whitespace (NFKD first, so precomposed, decomposed and full-width input fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "D").casefold()
    return " ".join(bare.split())


# --- patterns (on folded text) ---------------------------------------------------------------

_NUMBER = r"(-?\d+(?:[.,]\d+)?)"
# A percent: "70%", "70 %", "70 phan tram". Not part of a range/word ("10-15%", "x70%").
_PERCENT = re.compile(rf"(?<![\w.,\-]){_NUMBER}\s*(?:%|phan\s*tram\b)")
_UNREADABLE_PERCENT = re.compile(r"(?:^|\s)[^\s\d%]*%")  # no digit before the sign
_BARE_NUMBER = re.compile(rf"^{_NUMBER}\s*(?:%|phan\s*tram)?$")
_NUMBER_ONLY = re.compile(rf"^{_NUMBER}$")  # no unit at all: "50"
_CLAUSE_SPLIT = re.compile(r"[.,;:!?\n()\-–—/]+|\s+-\s+")

_POLITE = frozenset({"da", "vang", "bao cao", "kinh bao cao", "xin bao cao", "ok", "oke"})
_DONE_CORE = r"(?:hoan thanh|xong|done|ht|hoan tat)"
_DONE_CLAUSE = re.compile(
    r"^(?:(?:nhiem vu|cong viec|viec nay|don vi|chung toi|toi)\s+)?"
    r"(?:da\s+)?(?:thuc hien\s+)?" + _DONE_CORE + r"(?:\s+(?:roi|a|nhe|nha|100 ?%|nhiem vu"
    r"|cong viec|dung han|theo yeu cau|theo chi dao))*$"
)
_NEGATED_DONE = re.compile(r"\b(?:chua|khong|chang)\s+(?:\w+\s+){0,2}?" + _DONE_CORE + r"\b")
_BLOCKER_WORD = r"(?:vuong mac|kho khan|kien nghi|de xuat)"
_BLOCKER_LIST = r"(?:\s*(?:,|va|hay|hoac)?\s*" + _BLOCKER_WORD + r")*"
# "khó khăn, vướng mắc" / "khó khăn và vướng mắc" is one mention, negated or not as a whole.
_BLOCKER_MENTION = re.compile(r"\b(?:vuong mac|kho khan)" + _BLOCKER_LIST + r"\b")
# A sentence that opens with the word is a heading: "Kiến nghị: ...", "Khó khăn, vướng mắc: ..."
_BLOCKER_HEADING = re.compile(r"^" + _BLOCKER_WORD + _BLOCKER_LIST + r"\b")
# What may stand before a mention that says there is *no* difficulty.
_BLOCKER_NEGATED = re.compile(
    r"\b(?:khong|chua|het|thao go|khac phuc|giai quyet)"
    r"(?:\s+(?:co|phat sinh|gap|con|gi|cac|nhung|duoc|xong|het|da|ve))*\s*$"
)
# The usual answer under such a heading when all is well.
_NONE_ANSWER = re.compile(
    r"^(?:khong|chua|khong co|chua co|khong co gi|khong phat sinh|chua phat sinh|khong co y kien"
    r"|khong co kien nghi|khong co de xuat|khong co vuong mac|khong co kho khan)(?: a)?$"
)
_SENTENCE_SPLIT = re.compile(r"[.;:!?\n]+")
_POLITE_PREFIX = re.compile(r"^(?:(?:da|vang|bao cao|kinh bao cao|xin bao cao)\b\s*,?\s*)+")
_WORKING_CLAUSE = re.compile(r"^(?:dang|van dang|tiep tuc)\s+(?:thuc hien|trien khai|lam)\b")


def _clauses(folded: str) -> list[str]:
    """Clauses without the polite openers ("Dạ,", "Báo cáo:") that say nothing."""
    parts = (" ".join(p.split()) for p in _CLAUSE_SPLIT.split(folded))
    # "Dạ đã hoàn thành": the opener is dropped; "đã" folds to "da" too, which the
    # done pattern accepts with or without it.
    return [_POLITE_PREFIX.sub("", p) or p for p in parts if p and p not in _POLITE]


def _to_percent(raw: str) -> int | None:
    """Whole percent, rounded *down* ("99,5%" must not become done); None when out of range."""
    value = float(raw.replace(",", "."))
    if not 0 <= value <= 100:
        return None
    return int(value)


def _is_blocked(folded: str) -> bool:
    """A difficulty or recommendation is raised, and not as "không có khó khăn, vướng mắc"
    (the usual *good* news in these reports)."""
    sentences = [_POLITE_PREFIX.sub("", s.strip(" ,-")) for s in _SENTENCE_SPLIT.split(folded)]
    sentences = [s for s in sentences if s]
    for i, sentence in enumerate(sentences):
        if heading := _BLOCKER_HEADING.match(sentence):
            answer = sentence[heading.end() :].strip(" ,-")
            if not answer and i + 1 < len(sentences):
                answer = sentences[i + 1]
            if not _NONE_ANSWER.match(answer):
                return True
            continue
        for mention in _BLOCKER_MENTION.finditer(sentence):
            if not _BLOCKER_NEGATED.search(sentence[: mention.start()]):
                return True
    return False


# --- public API ------------------------------------------------------------------------------


def parse_progress(text: str) -> ProgressReport | ProgressError:
    """Read a free-text reply; never raises."""
    note = unicodedata.normalize("NFC", text).strip()
    if not note:
        return ProgressError(ErrorCode.EMPTY)
    if len(note) > MAX_TEXT_LENGTH:
        return ProgressError(ErrorCode.TOO_LONG, f"{len(note)} > {MAX_TEXT_LENGTH}")
    folded = fold(note)
    clauses = _clauses(folded)

    match = _PERCENT.search(folded)
    percent: int | None = None
    if match:
        percent = _to_percent(match.group(1))
        if percent is None:
            return ProgressError(ErrorCode.PERCENT_OUT_OF_RANGE, match.group(0))
    elif unreadable := _UNREADABLE_PERCENT.search(folded):
        # "đạt abc%", "đạt %": a percent was meant but cannot be read; a guess would be wrong.
        return ProgressError(ErrorCode.INVALID_PERCENT, unreadable.group(0).strip())
    negated = bool(_NEGATED_DONE.search(folded))
    if negated and percent == 100:
        percent = None  # "chưa hoàn thành 100%": contradictory, keep only the words

    said_done = any(_DONE_CLAUSE.match(c) for c in clauses)
    if not negated and (percent == 100 or (said_done and percent is None)):
        return ProgressReport(ProgressKind.DONE, 100, note)
    if _is_blocked(folded):
        return ProgressReport(ProgressKind.BLOCKED, percent, note)
    if percent is not None:
        return ProgressReport(ProgressKind.IN_PROGRESS, percent, note)
    if not negated and any(_WORKING_CLAUSE.match(c) for c in clauses):
        return ProgressReport(ProgressKind.IN_PROGRESS, None, note)
    return ProgressReport(ProgressKind.NOTE, None, note)


EVIDENCE_ONLY_NOTE = "(minh chứng)"  # kept in history when a file comes without words
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.):\-]?\s+(.+)$", re.S)
_ONLY_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.):\-]?\s*$")


def parse_reply(text: str, *, has_evidence: bool = False) -> ProgressReport | ProgressError:
    """`parse_progress` for a reply that may be only a photo or a file (evidence)."""
    if has_evidence and not text.strip():
        text = EVIDENCE_ONLY_NOTE
    return parse_progress(text)


def parse_command_report(
    text: str, *, has_evidence: bool = False
) -> ProgressReport | ProgressError:
    """`parse_reply` for the words after "/capnhat #12": the task is named already, so a bare
    number is its percent ("/capnhat #12 50" is "50%"), as after the 🔄 button. In a reply a
    bare number names a digest's line instead, which is why this is not `parse_reply`'s rule."""
    if means_percent(text):
        return parse_reply(f"{text.strip()}%", has_evidence=has_evidence)
    return parse_reply(text, has_evidence=has_evidence)


def means_percent(text: str) -> bool:
    """A bare number after a task's code ("/capnhat #12 70") is its percent."""
    return bool(_NUMBER_ONLY.match(fold(text)))


def pick_linked(linked: Sequence[int], text: str) -> tuple[int | None, str]:
    """Which of a bot message's tasks a reply is about, and the reply without its number.

    A card is about one task; a digest numbers its lines, so "2 đạt 60%" answers line 2, and
    a bare "2" names line 2 with nothing to report (unless a file comes with it: evidence).
    None when the reply does not say which (the bot then asks)."""
    if len(linked) == 1:
        return linked[0], text
    match = _line_number(text)
    if match and 1 <= int(match[1]) <= len(linked):
        return linked[int(match[1]) - 1], match[2] if match.re is _LEADING_NUMBER else ""
    return None, text


def _line_number(text: str) -> re.Match[str] | None:
    """A digest line number opening a reply: "2 đạt 60%" or a bare "2"."""
    return _LEADING_NUMBER.match(text) or _ONLY_NUMBER.match(text)


def unmatched_line(linked: Sequence[int], text: str) -> int | None:
    """The number a reply to a digest starts with when no line has it ("7 đạt 30%" to five
    lines), so the question that follows can say so; None otherwise. "50 hồ sơ đã nộp" also
    gives 50: the bot then states a fact (no line 50) and still asks, never guesses."""
    match = _line_number(text)
    if match is None or len(linked) < 2 or 1 <= int(match[1]) <= len(linked):
        return None
    return int(match[1])


_EXTENSION_WORDS = re.compile(r"\b(gia han|lui han|keo dai thoi han)\b")


def asks_for_extension(text: str) -> bool:
    """Whether a report's words ask for more time ("xin gia hạn đến 31/3"): that needs the
    office's approval, which a note cannot carry, so the confirmation points to 📅."""
    return bool(_EXTENSION_WORDS.search(fold(text)))


def parse_percent(text: str) -> int | ProgressError:
    """The number typed after pressing "cập nhật %": "70", "70%", "đạt 70 phần trăm"."""
    folded = fold(unicodedata.normalize("NFC", text))
    if not folded:
        return ProgressError(ErrorCode.EMPTY)
    match = _BARE_NUMBER.match(folded) or _PERCENT.search(folded)
    if match is None:
        return ProgressError(ErrorCode.INVALID_PERCENT, text.strip()[:50])
    percent = _to_percent(match.group(1))
    if percent is None:
        return ProgressError(ErrorCode.PERCENT_OUT_OF_RANGE, match.group(0))
    return percent


_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2}|\d{4}))?$")
_YMD = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})(?:\s*nam\s*(\d{4}))?$")


def parse_user_date(text: str, *, today: date) -> date | ProgressError:
    """A proposed new deadline: "31/01/2020", "31/1", "31-01-2020", "2020-01-31",
    "ngày 31 tháng 1 năm 2020". Without a year, the next such date on or after today
    ("31/1" typed in December means next January)."""
    folded = fold(unicodedata.normalize("NFC", text)).removeprefix("ngay ").strip()
    if not folded:
        return ProgressError(ErrorCode.EMPTY)
    parts = _split_date(folded)
    if parts is None:
        return ProgressError(ErrorCode.INVALID_DATE, text.strip()[:50])
    day, month, year = parts
    result = _resolve(day, month, year, today)
    if result is None or not date_in_bounds(result):
        return ProgressError(ErrorCode.INVALID_DATE, text.strip()[:50])
    if result < today:
        return ProgressError(ErrorCode.DATE_IN_PAST, result.strftime("%d/%m/%Y"))
    return result


def _resolve(day: int, month: int, year: int | None, today: date) -> date | None:
    """The date, or None if impossible; without a year, this year's unless already past."""
    if year is not None:
        return _date_or_none(year, month, day)
    this_year = _date_or_none(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _date_or_none(today.year + 1, month, day)


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _split_date(folded: str) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) from the accepted shapes; a 2-digit year means 20yy."""
    if m := _YMD.match(folded):
        return int(m.group(3)), int(m.group(2)), int(m.group(1))
    m = _DMY.match(folded) or _WORDS.match(folded)
    if m is None:
        return None
    year = m.group(3)
    if year is not None and len(year) == 2:
        year = "20" + year
    return int(m.group(1)), int(m.group(2)), int(year) if year else None
