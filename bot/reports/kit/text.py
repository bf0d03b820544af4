"""The kit's wording, in one place: Vietnamese, as an office hands it to agencies.

The PDF and the Word file print the same sentences from here, so they never drift apart.
"""

from __future__ import annotations

from datetime import date

from bot.reports.kit.model import KitNotice, KitRow, notice_label

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DATE_PLACEHOLDER = "……, ngày …… tháng …… năm ……"

PAGE_TITLE = "HƯỚNG DẪN ĐĂNG KÝ THEO DÕI NHIỆM VỤ QUA TELEGRAM"
TO = "Kính gửi:"
CODE_LABEL = "MÃ ĐĂNG KÝ"
COMMAND_LABEL = "Lệnh:"
EXPIRY_LABEL = "Hạn dùng mã:"
SINGLE_USE = "Mã dùng một lần, chỉ dành cho đơn vị này."
SCAN_HINT = "Quét mã QR bằng camera điện thoại"
STEPS_TITLE = "Các bước thực hiện"
LINK_LABEL = "Đường dẫn đăng ký:"
RENEW = (
    "Mã hết hạn hoặc đã được dùng: đề nghị liên hệ Văn phòng Điều phối để được cấp mã mới "
    "(mã mới thay thế mã cũ)."
)

COVER_TITLE = "DANH SÁCH MÃ ĐĂNG KÝ TELEGRAM CỦA CÁC ĐƠN VỊ"
COVER_HEADERS = (
    "TT",
    "Tên đơn vị",
    "Văn bản",
    "Số nhiệm vụ",
    "Mã đăng ký",
    "Hạn dùng mã",
    "Ký nhận",
)
PAGE = "Trang"

MAX_NOTICES_SHOWN = 3


def header_date(place: str, day: date | None) -> str:
    """`Hà Tĩnh, ngày 05 tháng 01 năm 2020`: per Nghị định 30/2020/NĐ-CP a day below 10 and
    the months 1 and 2 take a leading zero; no date prints dots to fill in by hand."""
    if day is None:
        return DATE_PLACEHOLDER if not place else f"{place}, ngày …… tháng …… năm ……"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    line = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {line}" if place else line.capitalize()


def notices_phrase(notices: tuple[KitNotice, ...]) -> str:
    """`văn bản số 22-TB/BCĐ ngày 27/12/2019`; several: `các văn bản số A; B và 2 văn bản
    khác` (a page stays one page however many notices an agency has)."""
    if not notices:
        return "các văn bản chỉ đạo của Ban Chỉ đạo"
    labels = [notice_label(n) for n in notices[:MAX_NOTICES_SHOWN]]
    if len(notices) == 1:
        return f"văn bản số {labels[0]}"
    phrase = "các văn bản số " + "; ".join(labels)
    rest = len(notices) - len(labels)
    return phrase + (f" và {rest} văn bản khác" if rest else "")


def intro(row: KitRow, bot_username: str) -> str:
    tasks = f"{row.task_count} nhiệm vụ" if row.task_count else "các nhiệm vụ"
    return (
        f"Văn phòng Điều phối theo dõi, đôn đốc {tasks} giao đơn vị tại "
        f"{notices_phrase(row.notices)} qua bot Telegram @{bot_username}. Đề nghị đơn vị "
        "đăng ký nhóm Telegram của đơn vị theo các bước dưới đây để nhận nhắc việc và "
        "báo cáo tiến độ ngay trong nhóm."
    )


def steps(code: str, bot_username: str) -> tuple[str, ...]:
    """The four steps, short enough to follow standing at a desk with a phone."""
    return (
        "Tạo hoặc mở nhóm Telegram của đơn vị (nhóm có lãnh đạo và cán bộ đầu mối "
        "theo dõi nhiệm vụ).",
        f"Thêm bot @{bot_username} vào nhóm: trong nhóm chọn Thêm thành viên, tìm @{bot_username}.",
        f"Gửi lệnh /dangky {code} trong nhóm; hoặc quét mã QR ở trên bằng điện thoại và "
        "chọn nhóm của đơn vị: bot vào nhóm và đăng ký ngay.",
        "Kiểm tra: gửi /nhiemvu trong nhóm; bot trả lời danh sách nhiệm vụ của đơn vị "
        "là đã đăng ký xong.",
    )


def cover_subtitle(count: int, bot_username: str) -> str:
    return f"(Lưu tại Văn phòng Điều phối: {count} đơn vị; bot Telegram @{bot_username})"


def cover_notices(notices: tuple[KitNotice, ...]) -> str:
    """The notice numbers only, for a narrow table column."""
    return "; ".join(n.number for n in notices) or "—"
