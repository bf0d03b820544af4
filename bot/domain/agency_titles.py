"""Heads' titles before agency names: "Giám đốc Sở Y tế" is a task for Sở Y tế.

Chỉ thị and Công văn address the heads of agencies ("Giám đốc các sở, Thủ trưởng các ban,
ngành tỉnh; Chủ tịch UBND các huyện", "Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh, Giám đốc Công
an tỉnh"); the task belongs to the agency, so the title is dropped before the name is read,
and "các sở, [Thủ trưởng] các ban, ngành" becomes the one group "các sở, ban, ngành". Only the
title at the start of a list item goes, and only when an agency's name follows it: "Các đồng
chí Trưởng các Đoàn công tác" (people, named as such) and "UBND" are kept. Works with and
without diacritics. Pure, standard library only.
"""

from __future__ import annotations

import re

from bot.domain.text import match_form

__all__ = ["drop_titles", "starts_with_title"]

# Matched on the accent-free lower-case form, aligned with the original text.
_TITLE = (
    r"(?:pho\s+)?giam\s+doc|tong\s+giam\s+doc|(?:pho\s+)?thu\s+truong|(?:pho\s+)?chu\s+tich"
    r"|(?:thu\s+truong|bo\s+truong)(?=\s+bo\b)"
    r"|chi\s+huy\s+truong|chanh(?=\s+(?:van\s+phong|thanh\s+tra))|truong(?=\s+ban\b)"
    r"|nguoi\s+dung\s+dau"
)
# What may follow a title for it to be a head's title: an agency's name or a group of them.
_AGENCY_AFTER = (
    r"(?:cac\s+|moi\s+)?(?:so|ban|nganh|bo|ubnd|uy\s+ban|cong\s+an|bo\s+chi\s+huy|van\s+phong"
    r"|thanh\s+tra|kho\s+bac|dai|bao|cong\s+ty|tong\s+cong\s+ty|trung\s+tam|cuc|chi\s+cuc"
    r"|hoi|lien\s+doan|lien\s+minh|mat\s+tran|tinh\s+doan|benh\s+vien|truong|vien"
    r"|ngan\s+hang|quy|huyen|thi\s+xa|thanh\s+pho|xa|phuong|dac\s+khu|co\s+quan|don\s+vi"
    r"|dia\s+phuong|hdnd|hoi\s+dong|buu\s+dien|dien\s+luc|doanh\s+nghiep|chi\s+nhanh)\b"
)
_ITEM_TITLE = re.compile(
    rf"(?:(?<=^)|(?<=[,;:]\s)|(?<=[,;:])|(?<=\bva\s))\s*(?P<title>(?:{_TITLE})\s+)(?={_AGENCY_AFTER})"
)
# "các X" groups of one tier, written as separate heads ("Giám đốc các sở, Thủ trưởng các ban").
_FAMILIES = (
    ("so", "ban", "nganh", "doan the", "co quan", "don vi", "hoi", "to chuc"),
    ("huyen", "thi xa", "thanh pho", "quan"),
    ("xa", "phuong", "thi tran", "dac khu"),
)
_CAC = re.compile(r"(?:^|[,;]\s*)(?P<cac>cac\s+)(?P<kind>[a-z]+(?:\s+[a-z]+)?)")


def starts_with_title(text: str) -> bool:
    """Whether ``text`` opens with a head's title followed by an agency ("Giám đốc Sở …")."""
    return bool(_ITEM_TITLE.match(match_form(text.lstrip(), accentless=True)))


def drop_titles(text: str) -> str:
    """ "Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh" -> "các sở, ban, ngành tỉnh"."""
    form = match_form(text, accentless=True)
    cuts = [(m.start("title"), m.end("title")) for m in _ITEM_TITLE.finditer(form)]
    if not cuts:
        return text
    pieces, forms, last = [], [], 0
    for start, end in cuts:
        pieces.append(text[last:start])
        forms.append(form[last:start])
        last = end
    pieces.append(text[last:])
    forms.append(form[last:])
    return _merge_families("".join(pieces), "".join(forms))


def _family(kind: str) -> int | None:
    for index, family in enumerate(_FAMILIES):
        if any(kind == word or kind.startswith(word + " ") for word in family):
            return index
    return None


def _merge_families(text: str, form: str) -> str:
    """Drop the second "các" of "các sở, các ban": one group of one tier, not two."""
    previous: int | None = None
    remove: list[tuple[int, int]] = []
    for match in _CAC.finditer(form):
        family = _family(match["kind"])
        if match.start() > 0 and family is not None and family == previous:
            remove.append(match.span("cac"))
        previous = family
    for start, end in reversed(remove):
        text = text[:start] + text[end:]
    return text
