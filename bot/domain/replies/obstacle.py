"""Whether a reply reports a difficulty that holds the work up.

A difficulty is: a word for one (vuong, vuong mac, kho khan, kho qua, thieu …, khong du …,
cham tien do, anh huong, bi cham, khong dong thuan, "chua co" + a means such as kinh phi,
huong dan, mat bang), unless "dau" denies it ("co vuong gi dau"); an inability, even without its cause
("khong the", "chua the", "khong / chua + verb + duoc", "khong kip"; not the passive "chua
duoc trien khai", which only says not yet); a recommendation asking someone to remove one
("kien nghi …", "de xuat …", and "de nghi …" when it asks for money, guidance, a decision or
help); or a cause ("do …", "vi …", "ly do …") given for an extension, a delay or a negation.

Not a difficulty: the usual good news ("khong co kho khan, vuong mac", "kho khan: khong",
"kien nghi: khong co", "da thao go", "het vuong"), "mét vuông", the request itself of an
extension or a reassignment ("de nghi gia han", "de nghi chuyen …").
"""

from __future__ import annotations

import re

_CLAUSE_BREAK = re.compile(r"[.;,:\n]")
_MENTION = re.compile(
    r"\b(?:(?:vuong(?! quoc)(?:\s+mac)?|kho khan)(?:(?:\s*(?:,|va|hay|hoac)\s*|\s+)(?:vuong mac|kho khan))*"
    r"|gap tro ngai|tro ngai|kho\s+(?:qua|lam)|rat kho|anh huong|gian doan"
    r"|bi\s+(?:cham|tre|ngung|dung|vuong)|khong du\b(?! kien)"
    r"|(?:khong|chua)\s+(?:dong thuan|dong y|hop tac)|(?<!toi )thieu(?! nhi| sot)"
    r"|cham (?:tien do|tre|gui|trien khai)|(?:tien do|thi cong|trien khai|thuc hien)\s+(?:rat\s+|qua\s+)?cham"
    r"|(?:chua|khong) co (?:kinh phi|von|nguon|huong dan|mat bang|van ban|y kien|quyet dinh"
    r"|chu truong|ket qua|ke hoach von|du toan|bien che|nhan luc|can bo))\b"
)
_NOT_A_MENTION = re.compile(r"\b(?:met|m|hinh|km)\s*$")  # "met vuong", "m vuong"
_NEGATED = re.compile(
    r"\b(?:khong|chua|het|thao go|khac phuc|giai quyet|khong con|khong gap|khong phat sinh)"
    r"(?:\s+(?:co|phat sinh|gap|con|gi|cac|nhung|duoc|xong|het|da|ve|them))*\s*$"
)
_NONE_AFTER = re.compile(r"\s*(?:gi\s+)?dau\b")
_HEADING = re.compile(
    r"(?:^|[.,;\n]\s*)(?:(?:da|vang)\s+)?(?:kho khan|vuong mac|kien nghi|de xuat|de nghi)"
    r"(?:\s*(?:,|va)?\s*(?:kho khan|vuong mac|kien nghi|de xuat|de nghi))*\s*:\s*"
)
_NONE_ANSWER = re.compile(
    r"^(?:khong|chua|khong co|chua co|khong co gi|khong phat sinh|chua phat sinh)\b"
    r"(?:\s+(?:y kien|kien nghi|de xuat|vuong mac|kho khan))?\s*(?:a|nhe)?\s*(?:[.;\n]|$)"
)
_INABILITY = re.compile(
    r"\b(?:khong|chua)\s+the\b"
    r"|\b(?:khong|chua)\s+(?!duoc\b|co\b|phai\b|thuoc\b|can\b)"
    r"(?:(?!nhung\b|da\b|ma\b)\w+\s+){0,3}?duoc\b"
    r"|\b(?:khong|chua)\s+(?:\w+\s+){0,2}?kip\b"
)
_RECOMMENDATION = re.compile(r"\b(?:kien nghi|de xuat)\s*(?::\s*)?(?=[a-z0-9])")
_ASKS_HELP = re.compile(
    r"\bde nghi\b(?:\s+\w+){0,6}?\s+(?:bo tri|bo sung|(?<!cung )cap|ho tro|thao go|huong dan|tham dinh"
    r"|giai quyet|phan bo|kinh phi|von|cho chu truong|chi dao|xu ly|go vuong)\b"
)
_NOT_HELP = re.compile(
    r"\b(?:kien nghi|de xuat|de nghi)\s+(?:\w+\s+){0,4}?(?:gia han|lui|chuyen|giao|xac nhan"
    r"|dieu chinh don vi)\b"
)
_CAUSE = re.compile(
    r"(?:^|[\s,(])(?:do|vi|boi vi|ly do|nguyen nhan)\s+(?!do\b|chu tri\b|pham\b|tri\b|du\b)\w"
)
_NOT_CAUSE = re.compile(r"\b(?:viec|khi|sau|truoc|luc|cai|nguoi|noi|ben|don|pham|dia|do)\s*$")
_DELAY = re.compile(r"\b(?:chua|khong|cham|lui|gia han|nen)\b")


def reports_obstacle(folded: str, *, extension: bool = False, causes: bool = True) -> bool:
    """Whether the folded item text reports a difficulty (see the module docstring);
    `causes` False: a cause alone ("do chờ ý kiến UBND tỉnh") is not one, only a difficulty
    named, an inability or a recommendation."""
    text = without_good_news(folded)
    for mention in _MENTION.finditer(text):
        before = text[: mention.start()]
        if _NOT_A_MENTION.search(before) or _NEGATED.search(_clause_before(before)):
            continue
        if _NONE_AFTER.match(text, mention.end()):
            continue  # "co vuong gi dau": none at all
        return True
    if _INABILITY.search(text):
        return True
    for pattern in (_RECOMMENDATION, _ASKS_HELP):
        for match in pattern.finditer(text):
            if not _NOT_HELP.match(text, match.start()):
                return True
    return causes and _has_cause(text) and (extension or bool(_DELAY.search(text)))


def _clause_before(before: str) -> str:
    """The words before a mention, within its clause."""
    return _CLAUSE_BREAK.split(before)[-1]


def without_good_news(folded: str) -> str:
    """Remove "Kho khan, vuong mac: khong" and the like, headings with good news."""
    if ":" not in folded:  # every heading ends with a colon; most replies have none (speed)
        return folded
    out, position = [], 0
    for heading in _HEADING.finditer(folded):
        answer = folded[heading.end() :]
        if _NONE_ANSWER.match(answer):
            none = _NONE_ANSWER.match(answer)
            assert none is not None
            out.append(folded[position : heading.start()])
            position = heading.end() + none.end()
    out.append(folded[position:])
    return " . ".join(out)


def _has_cause(text: str) -> bool:
    return any(not _NOT_CAUSE.search(text[: m.start() + 1]) for m in _CAUSE.finditer(text))
