"""The words that tell who does what: directive verbs, list-ending verbs, fillers, closers.

An agency list ends at the first verb phrase in lower case ("Sở Tài chính *chủ trì*, ..."),
so the ~200 verbs below ("stoppers") bound every agency name the parser reads; a sentence
opened by a directive verb ("Giao", "Yêu cầu", "Đề nghị") names its doers next. Each list is
kept in two matching modes (with diacritics, and accent-free for text typed without them):
`VOCABS[accentless]`. Add a verb here, not a special case in leads.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.text import match_form

# Verb phrases that end an agency list ("stoppers"), one "|"-separated list.
_STOPPERS_RAW = """
chủ trì|phối hợp|khẩn trương|tham mưu|tiếp tục|nghiên cứu|tổ chức|thực hiện|rà soát|soát xét
hướng dẫn|kiểm tra|xây dựng|báo cáo|có trách nhiệm|chịu trách nhiệm|căn cứ|hoàn thành|chỉ đạo
trình|lập|tăng cường|đẩy mạnh|đẩy nhanh|bố trí|xem xét|quan tâm|tập trung|sớm|làm việc|cân đối
tiếp thu|hoàn chỉnh|hoàn thiện|triển khai|ban hành|đôn đốc|giám sát|phân bổ|cung cấp|khắc phục
xử lý|giải quyết|bổ sung|chuẩn bị|đề xuất|thẩm định|thông báo|cập nhật|theo dõi|tuyên truyền
vận động|quản lý|đảm bảo|bảo đảm|chủ động|ưu tiên|huy động|đánh giá|phát huy|tham gia|nghiêm túc
thống nhất|phân công|lựa chọn|thành lập|hỗ trợ|phấn đấu|kịp thời|lưu ý|quyết liệt|gửi|nộp
phê duyệt|thẩm tra|điều chỉnh|hoàn tất|tổng hợp|tiếp nhận|làm rõ|giải ngân|thanh toán
quyết toán|duy trì|mở rộng|tiến hành|đăng ký|khảo sát|kiện toàn|sắp xếp|rút kinh nghiệm|tham dự
xác định|lấy ý kiến|có ý kiến|cho ý kiến|ra mắt|điều hành|tổng kết|sơ kết|cải thiện|xúc tiến
kết nối|hình thành|thúc đẩy|nhanh chóng|cần|phải|định hướng|khẩn cấp|cử|nắm bắt|bám sát
mở|đưa|giữ|tập huấn|bồi dưỡng|phổ biến|quán triệt|phát động|ngăn chặn|kêu gọi|sửa đổi
công nhận|xét|vận hành|nâng cấp|rà|tiếp tục|dự thảo|xin|làm|bàn|chấp hành|mua sắm|mua
cấp phát|phân phối|kiểm soát|điều tra|thống kê|lắp đặt|sửa chữa|thu hồi|giải phóng|bàn giao
đề nghị|yêu cầu|giao|tiêm|tập hợp|lồng ghép|vận chuyển|tháo gỡ|nhân rộng|biên soạn|in|phát hành
"""


def _stopper_table(accentless: bool) -> dict[str, list[tuple[str, ...]]]:
    """First word -> verb phrases, longest first; accented or accent-free words."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in re.split(r"[|\n]", _STOPPERS_RAW):
        words = tuple(match_form(phrase, accentless=accentless).split())
        if words:
            table.setdefault(words[0], []).append(words)
    for options in table.values():
        options.sort(key=len, reverse=True)
    return table


# A stopper that is really part of a name: "các tổ chức", "Ban chỉ đạo", "chương trình".
_STOPPER_EXCEPT_AFTER_RAW: dict[str, str] = {
    "tổ chức": "các những mọi và",
    "chỉ đạo": "ban",
    "quản lý": "ban",
    "trình": "chương lộ quy công tờ tiến giải phương đệ qua",
    "kiểm tra": "ban",
    "đánh giá": "hội",
}
# The same, after a phrase written in lower case: "Ban Quản lý dự án đầu tư xây dựng …" (but
# "Sở Kế hoạch và Đầu tư xây dựng kế hoạch": "Đầu tư" is capitalised there, a verb follows).
_STOPPER_EXCEPT_AFTER_PHRASES: dict[str, tuple[str, ...]] = {"xây dựng": ("đầu tư",)}
# A stopper that is the first half of a noun: "công trình giao thông", "giao dịch".
_STOPPER_EXCEPT_BEFORE_RAW: dict[str, str] = {"giao": "thông dịch lưu"}
_DIRECTIVE_VERBS_RAW = (
    "kính đề nghị",
    "đề nghị",
    "yêu cầu",
    "giao cho",
    "giao",
    "phân công",
    "ủy quyền",
)
# Connectives before a sentence's doer ("Theo đó, giao …", "Về việc này, …").
_LEADING_FILLERS_RAW = (
    "đồng thời",
    "ngoài ra",
    "riêng",
    "trong đó",
    "theo đó",
    "về việc này",
    "về vấn đề này",
    "vì vậy",
    "do đó",
    "trên cơ sở đó",
    "bên cạnh đó",
    "mặt khác",
    "nhận được văn bản này",
    "nhận được công văn này",
)
_COORD_END_RAW = "để nhằm theo tại về trong cho khi đến"
_COORD_SKIP_RAW = ("chặt chẽ", "với", "cùng")
EVALUATIVE = frozenset({"đã", "đang", "sẽ", "đều", "cũng", "vẫn", "chưa"})
ABBREV_BEFORE_DOT = frozenset(
    {"tp", "tx", "ths", "ts", "pgs", "gs", "q", "st", "th", "kt", "tm", "tl", "ông", "bà", "v.v"}
)


def _words(phrase: str, accentless: bool) -> tuple[str, ...]:
    return tuple(match_form(phrase, accentless=accentless).split())


@dataclass(frozen=True)
class Vocab:
    """The phrase lists in one matching mode: with diacritics, or accent-free for plain ASCII."""

    accentless: bool
    stoppers: dict[str, list[tuple[str, ...]]]
    except_after: dict[tuple[str, ...], frozenset[str]]
    except_after_phrases: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    except_before: dict[tuple[str, ...], frozenset[str]]
    directive_verbs: tuple[tuple[str, ...], ...]
    fillers: tuple[tuple[str, ...], ...]
    coord_end: frozenset[str]
    coord_skip: tuple[tuple[str, ...], ...]
    coordinate: tuple[str, ...]
    list_openers: frozenset[str]

    @classmethod
    def build(cls, accentless: bool) -> Vocab:
        return cls(
            accentless=accentless,
            stoppers=_stopper_table(accentless),
            except_after={
                _words(k, accentless): frozenset(_words(v, accentless))
                for k, v in _STOPPER_EXCEPT_AFTER_RAW.items()
            },
            except_before={
                _words(k, accentless): frozenset(_words(v, accentless))
                for k, v in _STOPPER_EXCEPT_BEFORE_RAW.items()
            },
            except_after_phrases={
                _words(k, accentless): tuple(_words(p, accentless) for p in v)
                for k, v in _STOPPER_EXCEPT_AFTER_PHRASES.items()
            },
            directive_verbs=tuple(_words(v, accentless) for v in _DIRECTIVE_VERBS_RAW),
            fillers=tuple(_words(v, accentless) for v in _LEADING_FILLERS_RAW),
            coord_end=frozenset(_words(_COORD_END_RAW, accentless)),
            coord_skip=tuple(_words(v, accentless) for v in _COORD_SKIP_RAW),
            coordinate=_words("phối hợp", accentless),
            list_openers=frozenset(_words("các ubnd sở", accentless)),
        )


VOCABS = {False: Vocab.build(False), True: Vocab.build(True)}
