"""Headings: which marker lines address agencies ("2. Sở Tài chính:") and which name a topic.

A heading that names agencies becomes the lead of everything under it, heads' titles and all
("Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh; Chủ tịch UBND các huyện…:" addresses two
groups); a topic heading ("1. Về công tác quy hoạch") leads nothing and is not a task itself.
A colon after "các huyện" / "các Bộ" opens a member list, not a heading.
"""

from __future__ import annotations

import re

from bot.domain.agency_directory import Directory
from bot.domain.agency_names import looks_like_agency
from bot.domain.agency_titles import drop_titles
from bot.domain.notice.leads import clean_name_list, explicit_lead
from bot.domain.text import fold

_TOPIC_START = re.compile(r"^(?:ve|doi voi|linh vuc|cong tac|nhom|phan|noi dung|mot so)\b")
_MEMBER_COLON = re.compile(
    r"\bcac\s+(?:huyen|thi xa|thanh pho|quan|xa|phuong|dac khu|thi tran|tinh|so|bo|ban|nganh"
    r"|don vi|co quan)\s*$"
)


def _heading_colon(content: str) -> int:
    """The colon ending a heading, skipping those that open a member list ("các huyện: A")."""
    colon = content.find(":")
    while colon > 0 and _MEMBER_COLON.search(fold(content[max(0, colon - 30) : colon])):
        colon = content.find(":", colon + 1)
    return colon


def heading_split(content: str) -> tuple[str, str, bool]:
    """ "Sở X: Chủ trì ..." -> ("Sở X", "Chủ trì ...", True); no colon -> (content, "", False)."""
    colon = _heading_colon(content)
    if colon <= 0:
        return content, "", False
    head = content[:colon].strip()
    if len(head.split()) > 30 or re.search(r"\.\s", head):
        return content, "", False
    if ";" in head and not all(
        looks_like_agency(drop_titles(part).strip()) for part in head.split(";") if part.strip()
    ):
        return content, "", False
    return head, content[colon + 1 :].strip(), True


def heading_agencies(
    head: str, has_colon: bool, directory: Directory | None = None
) -> tuple[str, ...]:
    """Agencies a heading names ("9. Đài ..., Báo Hà Tĩnh"), () when it is not an addressee."""
    stripped = re.sub(r"^(?:đối với|doi voi)\s+", "", head, flags=re.IGNORECASE).strip()
    if not stripped or (stripped.endswith(".") and not has_colon):
        return ()
    if not has_colon and (
        len(stripped.split()) > 18 or explicit_lead(stripped, directory) is not None
    ):
        return ()
    names = clean_name_list(stripped, directory)
    if not names or len(names) > 20 or not all(looks_like_agency(n) for n in names):
        return ()
    return tuple(names)


def is_topic_heading(content: str) -> bool:
    letters = [ch for ch in content if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return True
    return bool(_TOPIC_START.match(fold(content))) and len(content.split()) <= 15
