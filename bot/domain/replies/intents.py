"""One item's words → its intent, percent, requested date, difficulty and citation.

The intent is the first that applies, in this order (the package docstring says why):

1. unclear: an unreadable percent ("đạt %", "đạt 150%"), a question about the task's status
   ("xong chưa?"), a statement taken back, "không rõ", a bare "đã thực hiện", a bare number,
   a lone check mark or question mark;
2. reassign: the task is not the agency's, or another lead is proposed;
3. extension: more time is asked (or the bot asked for a date: `expects_date`);
4. done: completion is stated (module `completion`) or 100% is;
5. blocked: a difficulty is reported (module `obstacle`); the percent is kept;
6. progress: a percent or fraction, work under way ("đang …", "tiếp tục"), near or forecast
   completion, a part done ("xong phần …", "được một phần");
7. note: a cited document, a step taken ("đã trình", "đã gửi", "đã ban hành"…), a question
   to the office, "không có khó khăn", a statistic;
8. acknowledge: receipt, thanks, a promise to act, a bare "not yet", nothing new, filler;
9. otherwise a note when there are at least three words to keep, else unclear.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from bot.domain.replies.completion import read_completion
from bot.domain.replies.dates import requested_date
from bot.domain.replies.documents import cites_document
from bot.domain.replies.model import Intent, ReplyContext
from bot.domain.replies.normalise import fold, words
from bot.domain.replies.obstacle import reports_obstacle, without_good_news
from bot.domain.replies.percents import read_percent
from bot.domain.replies.reassign import proposed_agency, refuses_task

_EXTENSION = re.compile(
    r"\bgia han\b|\blui\s+(?:han|thoi han|them|sang|den|toi|lai)\b|\b(?:cho|xin)\s+lui\b"
    r"|\b(?:dieu chinh|keo dai)\s+(?:lai\s+)?thoi han\b"
    r"|\b(?:xin|can|cho\s+(?:em|ben em|don vi|minh)?\s*(?:xin\s+)?)\s*them\s+"
    r"(?:thoi gian|\d+\s+(?:ngay|tuan|thang)|(?:mot|hai|ba)\s+(?:ngay|tuan|thang)|it)\b"
)
_PARTLY = re.compile(r"\b(?:duoc|xong|hoan thanh|lam)\s+(?:mot|1)\s+phan\b|\bphan lon\b")
_NO_EXTENSION = re.compile(r"\bkhong\s+(?:can\s+)?(?:xin\s+)?gia han\b")
_STEP = re.compile(
    r"\bda\s+(?:duoc\s+)?(?:\w+\s+){0,3}?(?:trinh|gui|ban hanh|tham muu|to chuc|hop|xin y kien"
    r"|bao cao|nop|giao|phe duyet|ky|co\s+(?:van ban|cong van|to trinh|bao cao|quyet dinh"
    r"|ke hoach))\b"
    r"|\bgui kem\b"
)
_NONE_TO_REPORT = re.compile(
    r"\b(?:khong|chua)\s+(?:co|phat sinh)\s+(?:kho khan|vuong mac|kien nghi|de xuat|y kien)\b"
    r"|^(?:kho khan|vuong mac|kien nghi|de xuat)\b.*:\s*(?:khong|chua)\b"
)
_RECEIPT = re.compile(
    r"\b(?:tiep nhan|nhan duoc|da nhan|nhan roi|nhan du|da nam|nam roi|nam duoc|da xem|xem roi"
    r"|doc roi|da doc|tiep thu|noted|ro roi|biet roi|da biet|cam on|chao)\b"
)
_PROMISE = re.compile(
    r"\bse\b|\bde em\b|\bmai em\b|\bbao cao sau\b|\bbao cao lai\b|\bcap nhat sau\b|\bem bao\b"
    r"|\bbao sau\b"
)
_NOTHING_NEW = re.compile(r"\b(?:nhu cu|nhu bao cao|(?:khong|chua) co gi moi)\b")
_NOT_YET = re.compile(r"\bchua\b")
_DONT_KNOW = re.compile(r"^(?:\w+\s+){0,2}(?:khong|chua)\s+(?:ro|biet)\b")
_POLITE = re.compile(
    r"^(?:(?:da|vang|thua\s+(?:anh|chi)|kinh gui\s+[^:,\n]*[:,])\s*,?\s*)*"
    r"(?:(?:em|toi)\s+)?(?:xin\s+)?(?:kinh\s+)?bao cao(?=\s*(?:anh|chi|lanh dao|:|,|$))"
    r"(?:\s+(?:anh|chi|lanh dao))?\s*[:,]?\s*"
)
_FILLER = frozenset(
    {
        "ok", "da", "vang", "ro", "u", "a", "ah", "uh", "uhm", "nhe", "nha", "anh", "chi", "em",
        "oi", "roi", "duoc", "cam", "on", "xin", "chao", "noted", "thua", "vay",
    }
)  # fmt: skip
_CHECK_MARKS = re.compile(r"[✅✔☑✓❓❔?]")
_BARE_NUMBER = re.compile(r"^[\d\s.,]+$")
_BARE_DONE_OR_STARTED = ("da thuc hien", "thuc hien roi", "da lam")


@dataclass(frozen=True, slots=True)
class Reading:
    """What one item says (its target is decided by the caller)."""

    intent: Intent
    percent: int | None = None
    until: date | None = None
    obstacle: bool = False
    cites_document: bool = False
    agency: str | None = None


def classify(cleaned: str, context: ReplyContext) -> Reading:
    """Read one item's words (already cleaned) against the context's dates."""
    folded = fold(cleaned)
    body = _POLITE.sub("", folded, count=1).strip(" ,.:;-!")
    document = cites_document(folded)
    tokens = words(body)
    early = _unclear_or_filler(body, tokens)
    if early is not None:
        return Reading(early, cites_document=document)
    percent = read_percent(folded)
    completion = read_completion(without_good_news(folded), today=context.today)
    if (
        percent.invalid
        or completion.question
        or completion.taken_back
        or _DONT_KNOW.match(body)
        or " ".join(tokens) in _BARE_DONE_OR_STARTED
    ):
        return Reading(Intent.UNCLEAR, cites_document=document)
    if refuses_task(folded):
        return Reading(Intent.REASSIGN, cites_document=document, agency=proposed_agency(cleaned))
    request = _EXTENSION.search(folded)
    if context.expects_date or (request and not _NO_EXTENSION.search(folded)):
        until = requested_date(
            folded,
            today=context.today,
            deadline=context.deadline,
            after=request.start() if request else 0,
        )
        return Reading(
            Intent.EXTENSION,
            percent=percent.value,
            until=until,
            obstacle=reports_obstacle(folded, extension=True),
            cites_document=document,
        )
    obstacle = reports_obstacle(folded)
    done = percent.value == 100 and not completion.work_left
    if done or (completion.stated and percent.value is None):
        return Reading(Intent.DONE, 100, obstacle=obstacle, cites_document=document)
    if obstacle:
        return Reading(Intent.BLOCKED, percent.value, obstacle=True, cites_document=document)
    if percent.mentioned or completion.under_way or completion.ongoing or _PARTLY.search(folded):
        return Reading(Intent.PROGRESS, percent.value, cites_document=document)
    intent = _without_status(body, tokens, document, completion.negated)
    return Reading(intent, cites_document=document)


def _unclear_or_filler(body: str, tokens: list[str]) -> Intent | None:
    """Texts with no words to read: numbers, marks, emoji; and words that are all filler."""
    if not tokens:
        emoji = any(unicodedata.category(ch) == "So" for ch in body)
        unreadable = not emoji or _CHECK_MARKS.search(body)
        return Intent.UNCLEAR if unreadable else Intent.ACKNOWLEDGE  # 👍 alone: filler
    if _BARE_NUMBER.match(body):
        return Intent.UNCLEAR  # "50": a percent, a count, a line? the bot asks
    if all(token in _FILLER for token in tokens) and not _CHECK_MARKS.search(body):
        return Intent.ACKNOWLEDGE
    return None


def _without_status(body: str, tokens: list[str], document: bool, negated: bool) -> Intent:
    """A reply that moves no status: information (note), receipt or filler, or unreadable."""
    if document or _STEP.search(body) or "?" in body or _NONE_TO_REPORT.search(body):
        return Intent.NOTE
    if (
        _RECEIPT.search(body)
        or _PROMISE.search(body)
        or _NOTHING_NEW.search(body)
        or negated
        or _NOT_YET.search(body)
    ):
        return Intent.ACKNOWLEDGE
    return Intent.NOTE if len(tokens) >= 3 else Intent.UNCLEAR
