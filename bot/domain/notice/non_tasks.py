"""Text inside the body that assigns nothing: evaluation, attendance, the issuer's own voice.

The walk asks these before making a task, so a notice's review of results ("Đánh giá kết
quả"), its list of attendees, "Chủ tịch UBND tỉnh kết luận như sau:" and the closing formula
("... thông báo để các cơ quan, đơn vị biết, thực hiện./.") never become tasks. Each test
takes text already folded (`bot.domain.text.fold`: lower case, accent-free), except
`is_evaluation_heading`, which reads a heading as written.
"""

from __future__ import annotations

import re

from bot.domain.text import fold

_EVALUATION = re.compile(
    r"\b(?:danh gia|ket qua|tinh hinh|uu diem|han che|ton tai|nhan xet|khuyet diem|boi canh)\b"
)
_DIRECTIVE_HEADING = re.compile(
    r"\b(?:nhiem vu|giai phap|de nghi|yeu cau|giao|trien khai|thoi gian toi|phuong huong"
    r"|to chuc thuc hien|ke hoach|chi dao|ket luan)\b"
)
# "UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./." closes every notice.
_FORMULA = re.compile(r"\bthong bao\b.{0,60}\b(?:de|cho)\b.{0,80}\bbiet\b")
_ISSUER_VOICE = re.compile(r"\b(?:y kien|ket luan|thong nhat|nhu sau|chi dao nhu)\b")
_ATTENDANCE = re.compile(r"\b(?:tham du|thanh phan|du hop|co mat|moi du)\b")


def is_evaluation_heading(content: str) -> bool:
    """A short heading about results or the situation ("Đánh giá kết quả"): background."""
    folded = fold(content)
    return (
        len(folded.split()) <= 15
        and bool(_EVALUATION.search(folded))
        and not _DIRECTIVE_HEADING.search(folded)
    )


def is_closing_formula(folded: str) -> bool:
    """ "... thông báo để các cơ quan, đơn vị biết, thực hiện": the notice's last sentence."""
    return bool(_FORMULA.search(folded))


def is_issuer_voice(folded: str) -> bool:
    """ "... có ý kiến như sau:", "... kết luận như sau:": the issuer speaking, not a doer."""
    return bool(_ISSUER_VOICE.search(folded))


def opens_attendance(folded: str) -> bool:
    """ "Tham dự có:", "Thành phần:": the bullets that follow list people, not tasks."""
    return bool(_ATTENDANCE.search(folded))
