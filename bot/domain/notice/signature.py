"""The signature block: signer's name and title, and the lines that mark where it starts.

"Nơi nhận:" and a signing formula ("KT. TRƯỞNG BAN", "TM. ỦY BAN NHÂN DÂN") end the body;
the signer is the first line below that looks like a person's name (a common surname or
Title Case), the capitals above it are the title.
"""

from __future__ import annotations

import re

from bot.domain.text import fold

RECIPIENTS = re.compile(r"^noi nhan\b")
SIGN_MARKER = re.compile(
    r"^(?:k/?t\.?|t/?m\.?|t/?l\.?|q\.|thua lenh|thua uy quyen)\s|^(?:chu tich|truong ban|pho truong ban"
    r"|pho chu tich|giam doc|chanh van phong)$|^\(?da ky"
)
# Common Vietnamese surnames, accent-free (a signer's name is looked up folded).
_SURNAMES = frozenset(
    {
        "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
        "ho", "ngo", "duong", "ly", "dinh", "doan", "truong", "lam", "mai", "trinh", "dao", "cao",
        "luong", "ha", "ta", "to", "chu", "chau", "thai", "la", "kieu", "quach", "luu", "tu",
        "trieu", "hua", "than", "vuong", "tang", "khuc", "mac", "phung", "nghiem", "dam", "luc",
        "lai", "au", "ton", "giang", "dong", "ong", "hau", "vi", "lo", "lu", "kha", "khong",
        "thach", "tong", "van", "dieu", "nong", "mong",
    }
)  # fmt: skip
_TITLE_PHRASES = re.compile(
    r"\b(?:chu tich|truong ban|pho truong|uy vien|giam doc|chanh van phong|van phong|ubnd"
    r"|thuong truc|bi thu|noi nhan|tm|kt|tl|k/t|ban chi dao)\b"
)


def _is_person_name(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 5 or any(not w.isalpha() for w in words):
        return False
    if not all(w[:1].isupper() for w in words):
        return False
    folded = fold(line)
    if _TITLE_PHRASES.search(folded):
        return False
    return folded.split()[0] in _SURNAMES or not line.isupper()


def find_signature(lines: list[str]) -> tuple[str | None, str | None]:
    """Signer's name and title ("K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN") from the lines after the body."""
    candidates = [
        ln
        for ln in lines
        if ln and not ln.startswith(("-", "+", "•")) and not RECIPIENTS.match(fold(ln))
    ]
    for i, line in enumerate(candidates):
        if not _is_person_name(line):
            continue
        name = line.title() if line.isupper() else line
        titles: list[str] = []
        for prev in reversed(candidates[:i]):
            if re.match(r"^\(?\s*(?:đã ký|da ky|ký|ky)\b", prev, re.I):
                continue
            if prev.isupper() or SIGN_MARKER.match(fold(prev)):
                titles.insert(0, prev)
                continue
            break
        return name, (" ".join(titles) or None)
    return None, None
