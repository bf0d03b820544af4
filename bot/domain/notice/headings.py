"""Headings: which marker lines address agencies ("2. Sở Tài chính:") and which name a topic.

A heading that names agencies becomes the lead of everything under it; a topic heading
("1. Về công tác quy hoạch") leads nothing and is not a task itself.
"""

from __future__ import annotations

import re

from bot.domain.agency_names import looks_like_agency
from bot.domain.notice.leads import clean_name_list, explicit_lead
from bot.domain.text import fold

_TOPIC_START = re.compile(r"^(?:ve|doi voi|linh vuc|cong tac|nhom|phan|noi dung|mot so)\b")


def heading_split(content: str) -> tuple[str, str, bool]:
    """ "Sở X: Chủ trì ..." -> ("Sở X", "Chủ trì ...", True); no colon -> (content, "", False)."""
    colon = content.find(":")
    if colon <= 0:
        return content, "", False
    head = content[:colon].strip()
    if len(head.split()) > 30 or re.search(r"[.;]\s", head):
        return content, "", False
    return head, content[colon + 1 :].strip(), True


def heading_agencies(head: str, has_colon: bool) -> tuple[str, ...]:
    """Agencies a heading names ("9. Đài ..., Báo Hà Tĩnh"), () when it is not an addressee."""
    stripped = re.sub(r"^(?:đối với|doi voi)\s+", "", head, flags=re.IGNORECASE).strip()
    if not stripped or (stripped.endswith(".") and not has_colon):
        return ()
    if not has_colon and (len(stripped.split()) > 18 or explicit_lead(stripped) is not None):
        return ()
    names = clean_name_list(stripped)
    if not names or len(names) > 20 or not all(looks_like_agency(n) for n in names):
        return ()
    return tuple(names)


def is_topic_heading(content: str) -> bool:
    letters = [ch for ch in content if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return True
    return bool(_TOPIC_START.match(fold(content))) and len(content.split()) <= 15
