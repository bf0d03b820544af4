"""Whether a reply cites a numbered document (so the bot can ask if the task is done).

A numbered document is a số/ký hiệu ("45/QĐ-UBND", "15/TTr-UBND", "22-TB/BCĐ": digits, then
a slash and letters) or a kind of document followed by "số" and a number ("Quyết định số 45",
"QĐ số 45", "văn bản số 234"). A document named without its number is not a citation.
"""

from __future__ import annotations

import re

_SYMBOL = re.compile(r"\b\d+(?:\s*-\s*[a-z]+)?\s*/\s*[a-z]")
_KIND_AND_NUMBER = re.compile(
    r"\b(?:quyet dinh|qd|cong van|cv|to trinh|ttr|van ban|ke hoach|kh|bao cao|thong bao|tb"
    r"|nghi quyet|nq|chi thi|ct|ket luan)\s+so\s+\d+"
)


def cites_document(folded: str) -> bool:
    return bool(_SYMBOL.search(folded) or _KIND_AND_NUMBER.search(folded))
