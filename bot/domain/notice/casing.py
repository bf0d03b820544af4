"""Proper case for names typed in capitals: "BAN CHỈ ĐẠO ... MTQG" -> "Ban Chỉ đạo ... MTQG".

Headers and titles are written in capitals; shown back in a sentence they must read as the
officials write them, acronyms kept.
"""

from __future__ import annotations

import re

from bot.domain.text import capitalize_first, fold_spaces, match_form

_INSTITUTION_CASE: tuple[tuple[str, str], ...] = (
    ("ban chỉ đạo", "Ban Chỉ đạo"),
    ("ban thường vụ", "Ban Thường vụ"),
    ("chương trình", "Chương trình"),
    ("ủy ban nhân dân", "Ủy ban nhân dân"),
    ("hội đồng nhân dân", "Hội đồng nhân dân"),
    ("văn phòng", "Văn phòng"),
    ("mặt trận tổ quốc", "Mặt trận Tổ quốc"),
    ("việt nam", "Việt Nam"),
    ("tỉnh ủy", "Tỉnh ủy"),
    ("quốc hội", "Quốc hội"),
    ("mục tiêu quốc gia", "Mục tiêu quốc gia"),
)
_ACRONYMS = frozenset(
    {
        "UBND", "HĐND", "MTQG", "MTTQ", "UBMTTQ", "BCĐ", "NTM", "OCOP", "TW", "ĐBQH", "HTX", "TP",
        "TX", "VP", "VPĐP", "KT-XH", "BCH", "QP-AN", "CNH-HĐH", "GTVT", "LĐTBXH", "NN&PTNT",
        "KH&ĐT", "TN&MT", "VHTTDL", "TT&TT", "KH&CN", "GD&ĐT", "PT-TH", "BQL", "UBKT",
    }
)  # fmt: skip
_VOWELS = re.compile(r"[aeiouyăâêôơư]", re.IGNORECASE)


def _is_acronym(word: str) -> bool:
    bare = word.strip(',.;:()"“”')
    if bare in _ACRONYMS or any(ch.isdigit() for ch in bare):
        return True
    return len(bare) >= 2 and not _VOWELS.search(match_form(bare, accentless=True))


def institution_case(text: str) -> str:
    """ "BAN CHỈ ĐẠO ... MTQG" -> "Ban Chỉ đạo ... MTQG": headers are typed in capitals."""
    words = fold_spaces(text).split(" ")
    if not any(ch.islower() for ch in text):
        words = [w if _is_acronym(w) else w.lower() for w in words]
    out = " ".join(words)
    for lower, proper in _INSTITUTION_CASE:
        out = re.sub(rf"(?<!\w){re.escape(lower)}(?!\w)", proper, out)
    out = re.sub(
        r"\b(tỉnh|thành phố|huyện|thị xã|tinh|thanh pho|huyen|thi xa)\s+((?:\w+\s*){1,3})$",
        lambda m: f"{m.group(1)} {m.group(2).title()}",
        out,
    )
    if out.lower().startswith("sở "):
        out = re.sub(
            r"(^sở |, | và | - )(\w)", lambda m: m.group(1) + m.group(2).upper(), out, flags=re.I
        )
    return capitalize_first(out)
