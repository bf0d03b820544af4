"""What a reply says about completion ("hoàn thành", "xong", "done") — and what it does not.

Each mention of a completion word is read in its clause:

- hypothetical: "khi nao xong em bao", "doi em xong se bao cao" — no statement at all;
- question: "xong chua?", "da hoan thanh chua a", "hoan thanh hay chua", "Xong?", "xong roi
  a?" (a question mark with only particles after the word);
- negated: "chua / khong / chang … xong" within four words before, "xong thi chua", "xong
  dau (ma)"; *not fully* when "han / hoan toan / 100%" follows ("chua xong han");
- forecast: "sap / gan / gan nhu / co ban / du kien / se / phan dau / hy vong / mai / chieu
  nay / tuan sau / … la xong" before it, or "truoc / trong / vao (ngay) <a date still ahead>"
  after it when "da" does not mark it as past;
- a step still missing after it ("hoan thanh nhung chua nghiem thu / chua ky / chua nop")
  leaves work: not done;
- part: a part or a quantity after it ("phan", "buoc", "giai doan", "hang muc", "khau", "dot",
  "cai nay", "phan lon", "mot it", "1 nua", "duoc 2 viec": 100% is read as a percent), a count of units before it ("3 xa da hoan thanh"), or a verb of its own
  before it ("khao sat xong", "khac phuc xong"): a sub-action, not the task;
- affirmed otherwise ("da hoan thanh", "xong roi", "em lam xong", "Hoan thanh ✅").

A reply states completion only when some mention is affirmed and none is negated, questioned,
forecast or partial, no work is left ("con lai", "con phan", "con thu tuc", "con cho" — but
"con vuong / con kho khan" is a difficulty, not work) and no work is under way ("dang lam",
"tiep tuc"), and a bare "chua" does not take it back ("xong roi ma, a chua").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.replies.dates import requested_date
from bot.domain.replies.percents import COUNTED

_MENTION = re.compile(r"\b(?:hoan thanh|hoan tat|xong|done)\b")
_CLAUSES = re.compile(r"(?<!\d)[,.](?!\d)|[;:!()\"“”\n]|\s-\s|\bnhung\b|\btuy nhien\b")
_TOKENS = re.compile(r"[a-z0-9]+|\?")
# What may follow a completion word in a question about it ("xong rồi hả anh?").
_ASKING = frozenset(
    {"?", "roi", "a", "ah", "ha", "u", "nhi", "vay", "chua", "khong", "sao", "that", "anh", "chi"}
    | {"em", "moi", "nguoi", "nhe"}
)
_QUESTION_WORDS = frozenset({"ha", "sao", "nhi", "chua", "khong"})
_PARTICLES = frozenset({"a", "nhi", "ha", "vay", "anh", "chi", "em", "moi", "nguoi", "?", "nhe"})
_NEGATIONS = frozenset({"chua", "khong", "chang", "cha"})
_HYPOTHETICAL = frozenset({"khi", "doi", "neu"})
_FORECAST_WORDS = frozenset({"sap", "gan", "se", "mai", "chac", "la"})
_FORECAST_PHRASES = re.compile(
    r"\b(?:co ban|du kien|phan dau|hy vong|chieu nay|toi nay|sang mai|ngay mai|tuan sau"
    r"|tuan toi|thang sau|gan nhu|ke hoach)\b"
)
_FUTURE_DATE = re.compile(r"^\s*(?:truoc|trong|vao)\s+(?:ngay\s+)?\S*\d")
_PART_AFTER = re.compile(
    r"^\s*(?:duoc\s+)?(?:\d|(?:phan(?! tram)|buoc|giai doan|hang muc|khau|dot|cai nay|mot"
    r"|nua|it|vai|phan lon)\b)"
)
_ALL_OF = re.compile(r"\b(?:ca|tat ca|du|toan bo)\s*$")
_COUNT_BEFORE = re.compile(rf"\d+\s+(?:{COUNTED})\s+(?:da\s+|deu\s+)*$")
# What may stand right before a completion that is the task's own: a subject or "da/lam".
_OWN = frozenset(
    {
        "da", "lam", "hien", "em", "minh", "toi", "ta", "so", "vi", "vu", "nay", "deu", "cung",
        "roi", "oi", "a", "vang", "ok", "anh", "chi", "ca", "het", "tat", "duoc", "that", "su",
        "tinh", "huyen", "xa", "phong", "ban", "hoi", "viec", "nv",
    }
)  # fmt: skip
_OWN_VERB = re.compile(r"\b(?:trien khai|bao cao|thuc hien)\s*$")
_WORK_LEFT = re.compile(
    r"\bcon\s+(?:lai|phan|thu tuc|cho|khau|hang muc|noi dung|viec|buoc|cai|mot so|ho so"
    r"|giai doan|mot it|nhieu)\b"
)
_ONGOING = re.compile(
    r"\b(?:van\s+)?dang\s+(?!ky\b|tai\b|cho\s+(?:\w+\s+){0,3}?xac nhan\b)\w"
    r"|\btiep tuc\s+(?:thuc hien|trien khai|lam|hoan thien|xay dung|tong hop|chi dao)\b"
    r"|\bda trien khai\b(?!\s+xong)|\bdang duoc\b"
)
_STEP_NOT_YET = re.compile(
    r"\b(?:van\s+)?chua\s+(?:duoc\s+)?(?:nghiem thu|ky|ban hanh|nop|trinh|phe duyet|quyet toan"
    r"|ban giao|hoan thien|gui|thanh toan|giai ngan|xong|hoan thanh|dong dau|cong bo)\b"
)
_BARE_NOT_YET = re.compile(r"^\s*(?:a\s+|ah\s+|o\s+)?(?:chua|khong)(?:\s+(?:a|nhe|anh|chi))?\s*$")


@dataclass(frozen=True, slots=True)
class Completion:
    affirmed: bool = False
    negated: bool = False
    not_fully: bool = False
    question: bool = False
    forecast: bool = False
    part: bool = False
    taken_back: bool = False
    step_left: bool = False  # "hoàn thành nhưng chưa nghiệm thu"
    work_left: bool = False
    ongoing: bool = False

    @property
    def stated(self) -> bool:
        """The reply says the task is complete (see the module docstring)."""
        return (
            self.affirmed
            and not (self.negated or self.question or self.forecast or self.part)
            and not (self.taken_back or self.step_left or self.work_left or self.ongoing)
        )

    @property
    def under_way(self) -> bool:
        """Completion words that still say the work is going on: near, forecast, a part."""
        return (
            self.forecast
            or self.part
            or self.not_fully
            or (self.affirmed and (self.step_left or self.work_left or self.ongoing))
        )


def read_completion(folded: str, *, today: date) -> Completion:
    """Read every completion mention of a folded item text."""
    flags: dict[str, bool] = {}
    clauses = [c.strip() for c in _CLAUSES.split(folded.replace("?", " ? "))]
    for index, clause in enumerate(clauses):
        for mention in _MENTION.finditer(clause):
            kind = _kind(clause[: mention.start()], clause[mention.end() :], today)
            if kind is not None:
                flags[kind] = True
            later = clauses[index + 1 :]
            if kind == "affirmed" and any(_BARE_NOT_YET.match(c) for c in later):
                flags["taken_back"] = True
            if kind == "affirmed" and any(_STEP_NOT_YET.search(c) for c in later):
                flags["step_left"] = True
    return Completion(
        **flags,
        work_left=bool(_WORK_LEFT.search(folded)),
        ongoing=bool(_ONGOING.search(folded)),
    )


def _kind(before: str, after: str, today: date) -> str | None:
    words_before, words_after = _TOKENS.findall(before), _TOKENS.findall(after)
    if _HYPOTHETICAL & set(words_before):
        return None
    if _is_question(words_after):
        return "question"
    if _NEGATIONS & set(words_before[-4:]) or _negated_after(words_after):
        return "not_fully" if _not_fully(words_after) else "negated"
    if _is_forecast(before, words_before, after, today):
        return "forecast"
    if _PART_AFTER.match(after) or _counted_subject(before):
        return "part"
    if words_before and words_before[-1] not in _OWN and not _OWN_VERB.search(before):
        return "part"  # "khao sat xong", "giai phong xong": a sub-action of its own
    return "affirmed"


def _counted_subject(before: str) -> bool:
    """A count of units before the completion ("3 xa da hoan thanh") names some of them;
    "ca 3 nhiem vu", "du 5 …" name them all."""
    match = _COUNT_BEFORE.search(before)
    return match is not None and not _ALL_OF.search(before[: match.start()])


def _is_question(after: list[str]) -> bool:
    only_asking = bool(after) and all(word in _ASKING for word in after)
    if only_asking and ("?" in after or _QUESTION_WORDS & set(after)):
        return True  # "Xong?", "xong rồi à?", "xong rồi hả anh", "hoàn thành không?"
    if after[:2] == ["hay", "chua"]:
        return True
    if after[:1] == ["chua"]:
        return all(word in _PARTICLES for word in after[1:])
    return after[:1] == ["khong"] and "?" in after


def _negated_after(after: list[str]) -> bool:
    """ "xong thi chua", "xong dau", "hoan thanh duoc dau", "xong gi dau"."""
    return after[:1] == ["chua"] or after[:2] == ["thi", "chua"] or "dau" in after[:3]


def _not_fully(after: list[str]) -> bool:
    return bool(after) and (after[0] in {"han", "100"} or after[:2] == ["hoan", "toan"])


def _is_forecast(before: str, words_before: list[str], after: str, today: date) -> bool:
    if _FORECAST_WORDS & set(words_before[-3:]) or _FORECAST_PHRASES.search(before):
        return True
    if "da" in words_before or not _FUTURE_DATE.match(after):
        return False
    ahead = requested_date(after, today=today, deadline=None)
    return ahead is not None and ahead >= today
