"""Text inside the body that assigns nothing: evaluation, background, the issuer's own voice,
sign-offs, a Quyết định's formal articles.

The walk asks these before making a task, so a notice's review of results ("Đánh giá kết
quả"), its list of attendees, "Chủ tịch UBND tỉnh kết luận như sau:", a cited document
("UBND tỉnh nhận được Tờ trình số …", "Xét Báo cáo số …": its date is no deadline), the
closing formula ("... thông báo để các cơ quan, đơn vị biết, thực hiện./."), a sign-off to
everyone ("Yêu cầu … nghiêm túc thực hiện Chỉ thị này", "Trên đây là …") and "Điều 1. Ban
hành kèm theo Quyết định này …" never become tasks. Each test takes text already folded
(`bot.domain.text.fold`: lower case, accent-free), except `is_evaluation_heading`, which
reads a heading as written.
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
# "… Chủ tịch UBND tỉnh yêu cầu:" / "… chỉ thị:": the issuer introducing what follows.
_ISSUER_INTRO = re.compile(r"\b(?:yeu cau|chi thi|de nghi|giao|quyet dinh|sau)\s*:\s*$")
# "I. MỤC ĐÍCH, YÊU CẦU": a plan's aims, read before its tasks.
_AIMS = re.compile(
    r"^(?:(?:muc dich|yeu cau|muc tieu|quan diem|su can thiet|can cu|chi tieu)(?:\s*(?:,|va)\s*)?)+$"
)
_ATTENDANCE = re.compile(r"\b(?:tham du|thanh phan|du hop|co mat|moi du)\b")
_DOCUMENT = (
    r"(?:to trinh|bao cao|cong van|cong dien|van ban|de nghi|kien nghi|chi thi|quyet dinh"
    r"|nghi quyet|ke hoach|thong bao|ket luan|y kien|huong dan|luat|nghi dinh|thong tu|don)"
)
# "Ngày 14/10/2025, Chủ tịch UBND tỉnh chủ trì cuộc họp …": the meeting the notice reports.
_MEETING = r"^(?:ngay|sang|chieu|toi)\s+\d.{0,160}\b(?:chu tri|hop|da ban hanh|lam viec)\b"
_MEETING_RE = re.compile(_MEETING)
# A cited document, a forecast, a legal basis: the reason for the tasks, not one of them.
_BACKGROUND = re.compile(
    r"^(?:[^,.;:]{0,60}\s)?nhan duoc\s+"
    + _DOCUMENT
    + r"|^xet\s+"
    + _DOCUMENT
    + r"|^(?:thuc hien|trien khai|can cu|theo|tiep theo|lien quan den)\s+"
    + _DOCUMENT
    + r"\b.{0,200}?\bso\b"
    + r"|^can cu\b"
    + r"|^theo\s+(?:de nghi|nhan dinh|du bao|tin|thong tin|bao cao|phan anh)\b"
    + r"|"
    + _MEETING
)
_CLOSING = re.compile(r"^(?:tren day la|nhan duoc van ban nay\b.*\bthuc hien\s*[./]*$)")
# "(… ) nghiêm túc thực hiện Chỉ thị này", "chịu trách nhiệm thi hành Quyết định này"
_SIGN_OFF_END = re.compile(
    r"(?:\s+(?:nghiem tuc|khan truong|chiu trach nhiem|co trach nhiem|to chuc|trien khai"
    r"|kip thoi))*\s+(?:thuc hien|thi hanh)(?:\s+nghiem(?:\s+tuc)?)?"
    r"(?:\s+(?:cac\s+)?(?:noi dung|chi thi|thong bao|quyet dinh|ke hoach|van ban|cong van"
    r"|cong dien|ket luan)(?:\s+(?:nay|tren))?)?\s*[./]*$"
)
_SIGN_OFF_START = re.compile(r"^(?:de nghi|yeu cau|giao|nhan duoc van ban nay\s*,?)\s*")
_FORMAL = re.compile(
    r"^(?:dieu\s+\d+\s*[.:]\s*)?(?:ban hanh kem theo\b|(?:quyet dinh|chi thi|ke hoach|quy che"
    r"|thong bao|van ban) nay co hieu luc\b|bai bo\b)"
)


def is_evaluation_heading(content: str) -> bool:
    """A short heading about results or the situation ("Đánh giá kết quả"): background."""
    folded = fold(content)
    return (
        len(folded.split()) <= 15
        and bool(_EVALUATION.search(folded))
        and not _DIRECTIVE_HEADING.search(folded)
    )


def is_aims_heading(folded: str) -> bool:
    """ "MỤC ĐÍCH, YÊU CẦU", "MỤC TIÊU": what a plan is for; its items assign nothing."""
    return bool(_AIMS.match(folded.strip(" .:")))


def is_closing_formula(folded: str) -> bool:
    """ "... thông báo để các cơ quan, đơn vị biết, thực hiện": the notice's last sentence."""
    return bool(_FORMULA.search(folded))


def is_issuer_voice(folded: str) -> bool:
    """ "... có ý kiến như sau:", "... kết luận như sau:", "… yêu cầu:": the issuer speaking."""
    return bool(_ISSUER_VOICE.search(folded) or _ISSUER_INTRO.search(folded))


def opens_attendance(folded: str) -> bool:
    """ "Tham dự có:", "Thành phần:": the bullets that follow list people, not tasks."""
    return bool(_ATTENDANCE.search(folded))


def is_background(folded: str) -> bool:
    """ "UBND tỉnh nhận được Tờ trình số …", "Xét Báo cáo số … ngày …", "Căn cứ …", "Theo
    nhận định của …", "Ngày 14/10, … chủ trì cuộc họp …": why the notice was written."""
    return bool(_BACKGROUND.search(folded))


def is_meeting(folded: str) -> bool:
    """ "Ngày 14/10/2025, Chủ tịch UBND tỉnh chủ trì cuộc họp …": the meeting reported."""
    return bool(_MEETING_RE.search(folded))


def is_formal(folded: str) -> bool:
    """A Quyết định's articles of form: "Ban hành kèm theo Quyết định này …", "… có hiệu lực"."""
    return bool(_FORMAL.search(folded))


def sign_off_addressees(folded: str) -> str | None:
    """The addressee part of a sign-off ("Yêu cầu <…> nghiêm túc thực hiện Chỉ thị này",
    "<…> chịu trách nhiệm thi hành Quyết định này"), None when ``folded`` is not one. The
    caller checks that the part names only addressees (no verb of its own)."""
    if _CLOSING.search(folded):
        return ""
    end = _SIGN_OFF_END.search(folded)
    if end is None:
        return None
    head = _SIGN_OFF_START.sub("", folded[: end.start()].strip(" ,"))
    return head if head else None
