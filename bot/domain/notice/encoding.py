"""Legacy Vietnamese fonts (TCVN3, VNI): text that only looks Vietnamese with its old font."""

from __future__ import annotations

import re

# TCVN3 stores Vietnamese letters in Latin-1 symbol slots: ¸ µ ¶ · ¹ (a + tone), ¨ © (ă â),
# ® (đ), ª (ê), « (ô), ¬ (ơ), soft hyphen (ư) and a few letters no Vietnamese word uses.
_TCVN3_MARKS = frozenset("¸µ¶·¹¨©®ª«¬\u00ad¼½¾ÆÇËÎÏÐÑÖ×ØÜÞßåæçëîïðþ¡¢£¤¥¦")
# VNI writes a vowel followed by a separate mark character: "Thoâng baùo", "ñ" for "đ".
_VNI_PAIRS = re.compile(r"[aeoAEO][øùûõïâäëöÙØÛÕÏÂÄ]|[uU][øûïõ]|[ñÑ]|ö")
_VIETNAMESE_UNICODE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")


def detect_legacy_encoding(text: str) -> str | None:
    """ "TCVN3" or "VNI" when the text looks like legacy-font Vietnamese, else None.

    Old templates typed with ".VnTime"/"VNI-Times" hold Latin-1 bytes that only look
    Vietnamese with that font; parsing them would silently find nothing.
    """
    if not isinstance(text, str) or not text:
        return None
    sample = text[:50000]
    unicode_hits = len(_VIETNAMESE_UNICODE.findall(sample))
    tcvn = sum(1 for ch in sample if ch in _TCVN3_MARKS)
    vni = len(_VNI_PAIRS.findall(sample))
    best, score = ("VNI", vni) if vni > tcvn else ("TCVN3", tcvn)
    if score >= 3 and score > unicode_hits:
        return best
    return None
