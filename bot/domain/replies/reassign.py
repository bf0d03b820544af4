"""An agency saying a task is not theirs, and the agency it proposes instead.

Refusal or transfer (on the folded text): "khong thuoc chuc nang / tham quyen / linh vuc /
nhiem vu / pham vi / trach nhiem", "phai / nen do X chu tri", "khong phai (la) viec / nhiem vu (cua) …", "khong phai (cua) ben em / so
/ don vi", "chi phoi hop", "nham don vi", "de nghi / nen / de xuat … chuyen / giao" (not money:
"chuyen kinh phi"), "dieu chinh don vi chu tri", "chu tri (phai) la", "khong duoc giao", "(day)
la nhiem vu cua …". Handing a task inside the agency ("da giao phong Ke hoach theo doi") is no
refusal.

The agency proposed, as written, is looked for in this order: after "chuyen / giao (nhiem vu
nay) (cho / sang / ve)"; after "chu tri (phai) la / sang"; between "do" and "chu tri"; between
"ben" and "lam / theo doi"; after "(nhiem vu | viec | cai nay) (la) cua" outside a clause that
says "khong thuoc / khong phai". The replying agency itself ("So", "ben em", "don vi") is not
a proposal. A comma inside a name of the shape "X, Y và Z" stays in it ("Sở Văn hóa, Thể
thao và Du lịch"); the reading does not depend on capitals.
"""

from __future__ import annotations

import re

from bot.domain.replies.normalise import aligned, trim

_REFUSAL = re.compile(
    r"\bkhong thuoc\s+(?:\w+\s+){0,2}?(?:chuc nang|tham quyen|linh vuc|nhiem vu|pham vi"
    r"|trach nhiem)\b"
    r"|\b(?:phai|nen)\s+(?:la\s+)?do\s+[^,.;\n]+?\s+chu tri\b"
    r"|\bkhong phai\s+(?:la\s+)?(?:viec|nhiem vu|cong viec)\b"
    r"|\bkhong phai\s+(?:cua\s+)?(?:ben em|so|don vi|phong|huyen|chung toi|minh)\b"
    r"|\bchi\s+(?:la\s+)?(?:don vi\s+)?phoi hop\b"
    r"|\bnham don vi\b"
    r"|\b(?:de nghi|de xuat|nen)\s+(?:\w+\s+){0,3}?(?:chuyen|giao)\b"
    r"(?!\s+(?:kinh phi|von|tien|ho so|van ban|bao cao|san pham|ket qua))"
    r"|\bdieu chinh\s+(?:don vi\s+)?chu tri\b"
    r"|\bchu tri\s+(?:phai\s+)?la\b"
    r"|\bkhong duoc giao\b"
    r"|\b(?:day la|la)\s+nhiem vu cua\b"
)

_AFTER_TRANSFER = re.compile(
    r"\b(?:chuyen|giao)(?:\s+lai)?(?:\s+(?:nhiem vu|nv|viec|noi dung)(?:\s+nay)?)?"
    r"(?:\s+(?:cho|sang|ve|qua))?\s+"
)
_AFTER_LEAD = re.compile(r"\bchu tri\s+(?:phai\s+)?(?:la|sang)\s+")
_DO_LEAD = re.compile(r"\bdo\s+(?P<a>[^,.;\n]+?)\s+chu tri\b")
_BEN = re.compile(r"\bben\s+(?!em\b)(?P<a>[^,.;\n]+?)\s+(?:lam|theo doi|chu tri|thuc hien)\b")
_OWNER = re.compile(r"\b(?:nhiem vu|viec|cai nay|noi dung nay)\s+(?:nay\s+)?(?:la\s+)?cua\s+")
_DENIAL = re.compile(r"\bkhong (?:thuoc|phai)\b")
_STOP = re.compile(
    r"[,.;:!?\n]|\s+(?:chu tri|thuc hien|theo doi|phoi hop|lam(?!\s+nghiep))\b"
    r"|\s+(?:chu\s+a|chu|a|nhe|nha|voi\s+a|anh\s+a|oi)\s*$"
)
_SELF = frozenset(
    {"so", "ben em", "em", "don vi", "phong em", "huyen", "chung toi", "minh", "nay", "do", "lai"}
)


def refuses_task(folded: str) -> bool:
    """Whether the reply says the task is not the agency's, or proposes another lead."""
    return bool(_REFUSAL.search(folded))


def proposed_agency(cleaned: str) -> str | None:
    """The agency named to lead instead, as written in `cleaned`; None if none is named."""
    form = aligned(cleaned)
    for match in _AFTER_TRANSFER.finditer(form):
        found = _named(cleaned, form, match.end())
        if found:
            return found
    for match in _AFTER_LEAD.finditer(form):
        found = _named(cleaned, form, match.end())
        if found:
            return found
    for pattern in (_DO_LEAD, _BEN):
        for match in pattern.finditer(form):
            found = _clip(cleaned[match.start("a") : match.end("a")])
            if found:
                return found
    for match in _OWNER.finditer(form):
        clause_start = max(form.rfind(c, 0, match.start()) for c in ",.;\n")
        if _DENIAL.search(form[clause_start + 1 : match.start()]):
            continue
        found = _named(cleaned, form, match.end())
        if found:
            return found
    return None


def _named(cleaned: str, form: str, start: int) -> str | None:
    position = start
    while True:
        stop = _STOP.search(form, position)
        end = stop.start() if stop else len(form)
        if stop is None or not _name_goes_on(form, end, start):
            return _clip(cleaned[start:end])
        position = end + 1  # "Sở Văn hóa, Thể thao và Du lịch": one name


# A comma inside a name joins its parts: "Sở Văn hóa, Thể thao và Du lịch" (X, Y và Z).
_NAME_TAIL = re.compile(
    r",\s*(?!(?:so|ban|bo|ubnd|uy ban|phong|hoi|van phong|lien minh|doan|mat tran|cong an"
    r"|trung tam|chi cuc|cuc|huyen|thi xa|thanh pho|em|anh|chi|de nghi)\b)[a-z]+(?:\s+[a-z]+)?"
    r"\s+va\s+\w"
)


def _name_goes_on(form: str, comma: int, start: int) -> bool:
    return bool(_NAME_TAIL.match(form, comma)) and " va " not in form[start:comma]


def _clip(raw: str) -> str | None:
    name = trim(raw)
    if not name or aligned(name) in _SELF:
        return None
    return name
