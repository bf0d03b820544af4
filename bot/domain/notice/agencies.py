"""Agency names inside a sentence: where a name ends, and whether it names a group.

A name in a sentence runs until its verb; the verb list (vocabulary.py) finds most ends, and
the agency directory, when the caller passes one (bot.domain.agency_directory), finds others:
"Sở Y tế là cơ quan thường trực …" ends where the longest agency the directory knows ends,
when the words after it are not part of a name. A group is never cut so ("các xã ven biển" is
not "các xã": the office decides who that is). A few words never belong to a name ("là",
"thường xuyên", "nhận được") and end it, with or without a directory.

A group ("Các sở, ban, ngành", "UBND các xã, phường ven biển", "Các đồng chí Trưởng các Đoàn
công tác") is an addressee made of several agencies: it is kept as a group, never taken for
an agency, and never expanded here (the office decides its members).
"""

from __future__ import annotations

import re

from bot.domain.agency_directory import Directory
from bot.domain.agency_names import group_kind, split_agency_list
from bot.domain.agency_titles import drop_titles
from bot.domain.text import fold, match_form

# Words that continue a name after the part the directory knows ("Sở Y tế tỉnh", "… liên quan").
_CONTINUES = re.compile(
    r"^(?:tinh|thanh pho|tw|trung uong|lien quan|co lien quan|cap tinh|tren dia ban|va\b|cac\b"
    r"|ve\b|thuoc\b|truc thuoc\b|cua\b)"
)
# Words that end a name whatever the directory says: "là" (the copula), adverbs, "nhận được";
# matched with diacritics (accent-free only in a text typed without them).
_NEVER_IN_NAME = {
    False: re.compile(r"\s(?:là|thường xuyên|nhận được|luôn|kịp thời|trực tiếp)\s"),
    True: re.compile(r"\s(?:la|thuong xuyen|nhan duoc|luon|kip thoi|truc tiep)\s"),
}
_DIACRITICS = re.compile(r"[à-ỹđ]", re.IGNORECASE)
_MAX_NAME_WORDS = 25
_COLLECTIVE = re.compile(r"^(?:(?:ubnd|uy ban nhan dan|lanh dao)\s+)?(?:cac|cap|moi)\s")


def bound_name(name: str, directory: Directory | None = None) -> str:
    """The name without the words after it that belong to the sentence, not to the name."""
    words = name.split()
    if len(words) < 2 or len(words) > _MAX_NAME_WORDS:
        return name
    if directory is not None and directory.knows(name) is None:
        for k in range(len(words) - 1, 0, -1):
            rest = " ".join(words[k:])
            if not rest[:1].islower() or _CONTINUES.match(fold(rest)):
                continue
            prefix = " ".join(words[:k]).rstrip(",;")
            if directory.knows(prefix) == "agency":  # a group may be qualified: "các xã ven biển"
                return prefix
    form = f" {match_form(name, accentless=not _DIACRITICS.search(name))} "
    cut = _NEVER_IN_NAME[not _DIACRITICS.search(name)].search(form)
    if cut is not None:
        kept = form[: cut.start()].split()
        return " ".join(words[: len(kept)]).rstrip(",;") or name
    return name


def name_list(text: str, directory: Directory | None = None) -> list[str]:
    """The agencies of an addressee list, heads' titles dropped, its last name bounded."""
    names = [n for n in split_agency_list(drop_titles(text.strip(" ,;-–"))) if n]
    if names:
        names[-1] = bound_name(names[-1], directory)
    return names


def is_group(name: str, directory: Directory | None = None) -> bool:
    """Whether ``name`` designates several agencies ("Các sở, ban, ngành tỉnh")."""
    if directory is not None:
        kind = directory.resolve(name).kind
        if kind in ("agency", "group"):
            return kind == "group"
    folded = fold(drop_titles(name))
    return group_kind(name) is not None or bool(_COLLECTIVE.match(folded))
