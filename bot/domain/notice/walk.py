"""A conclusion notice's text -> document metadata, the tasks it assigns and their agencies.

Notices ("Thông báo kết luận") follow a genre rather than a template. What we rely on:
- a header block (issuing body, "Số: 22-TB/BCĐ", "Hà Tĩnh, ngày 27 tháng 12 năm 2019"), the
  word "THÔNG BÁO" and a title;
- a preamble and an evaluation that are *not* tasks;
- a directive part, either structured (Roman parts, numbered agency sections, bullets) or in
  sentences ("Giao Sở Tài chính chủ trì, ...", "Yêu cầu UBND các huyện ...");
- closing paragraphs, "Nơi nhận:" and the signature.

The parser walks the lines with a stack of frames (part > section > sub-item > bullet
heading). A frame may carry a lead ("2. Sở Nông nghiệp và Phát triển nông thôn"); a sentence
that names its own agency ("Huyện Nghi Xuân tiếp thu ...") overrides it. Task codes are the
frame labels plus a running number ("I.1.2"); a frame with a single task uses its own label
("I.3"); closing paragraphs after a structured body are coded "C.1", "C.2"...
It never raises: anything it cannot classify inside the directive part goes to
``unclassified`` for the office to handle by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.agency_names import (
    agency_key,
    group_kind,
    guess_agency_kind,
    looks_like_agency,
    split_agency_list,
    starts_new_agency,
)
from bot.domain.deadlines import parse_deadline, parse_deadline_cell
from bot.domain.text import (
    capitalize_first,
    clean,
    fold,
    fold_spaces,
    lower_aligned,
    match_form,
)
from bot.domain.types import Deadline

__all__ = [
    "DocumentMeta",
    "ParsedNotice",
    "ParsedTask",
    "detect_legacy_encoding",
    "parse_notice",
    "parse_task_table",
]

MAX_INPUT_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Who issued the notice, when, under which number; None when the text does not say."""

    number: str | None = None
    date: date | None = None
    issuer: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    place: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedTask:
    """One task: its code in the notice, lead and coordinating agencies, wording and deadline."""

    code: str
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    text: str
    deadline: Deadline
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedNotice:
    """The whole parse; ``unclassified`` lines are shown to the office rather than dropped."""

    document: DocumentMeta
    tasks: tuple[ParsedTask, ...] = ()
    agencies: tuple[str, ...] = ()
    unclassified: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        """The exchange format (exactly these keys; dates ISO or null)."""
        doc = self.document
        return {
            "document": {
                "number": doc.number,
                "date": doc.date.isoformat() if doc.date else None,
                "issuer": doc.issuer,
                "signer": doc.signer,
                "title": doc.title,
            },
            "tasks": [
                {
                    "code": task.code,
                    "lead": list(task.lead),
                    "coordinating": list(task.coordinating),
                    "text": task.text,
                    "deadline": {
                        "kind": str(task.deadline.kind),
                        "start": task.deadline.start.isoformat() if task.deadline.start else None,
                        "end": task.deadline.end.isoformat() if task.deadline.end else None,
                        "source_phrase": task.deadline.source_phrase,
                    },
                }
                for task in self.tasks
            ],
        }


# =============================================================================================
# Legacy font detection
# =============================================================================================

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


# =============================================================================================
# Lines
# =============================================================================================

_MARKUP = re.compile(r"\*\*|__|(?<=\()\*|\*(?=\))|^#+\s*")
_INLINE_ENUM = re.compile(r"(?<=[:;.])\s+(\d{1,2})[.)]\s+(?=[^\W\d_])")
_TERMINAL = ".;:!?"


def _split_inline_enumeration(line: str) -> list[str]:
    """ "... như sau: 1. Giao ... 2. Yêu cầu ..." -> one line per item (numbers 1, 2, ... only)."""
    if ":" not in line or len(line) > 20000:
        return [line]
    cuts: list[int] = []
    expected = 1
    for match in _INLINE_ENUM.finditer(line):
        if int(match.group(1)) == expected and (expected > 1 or ":" in line[: match.start() + 1]):
            cuts.append(match.start())
            expected += 1
    if len(cuts) < 2:
        return [line]
    pieces = [line[: cuts[0]]]
    pieces += [line[a:b] for a, b in zip(cuts, [*cuts[1:], len(line)], strict=True)]
    return [p.strip() for p in pieces if p.strip()]


def _prepare_lines(text: str) -> list[str]:
    """Clean lines ("" for blank ones): markup removed, hard-wrapped sentences re-joined."""
    out: list[str] = []
    for raw in clean(text).split("\n"):
        line = fold_spaces(_MARKUP.sub("", raw))
        for piece in _split_inline_enumeration(line):
            if _continues(out, piece):
                out[-1] = f"{out[-1]} {piece}"
            else:
                out.append(piece)
    return out


def _continues(out: list[str], line: str) -> bool:
    """A wrapped line: the previous one is unfinished and this one starts in lower case."""
    if not out or not out[-1] or not line or _LETTER.match(line):
        return False
    return out[-1][-1] not in _TERMINAL and line[0].islower()


# =============================================================================================
# Header and signature
# =============================================================================================

_NUMBER_AT_START = re.compile(
    r"^(?:Số|SỐ|số|So|SO)\s*[:.]?\s*(\d{1,5})\s*([-/–])\s*([A-ZĐ0-9][\wĐđ]*(?:\s*[-/–]\s*[A-ZĐ0-9][\wĐđ]*)*)"
)
_NUMBER_ANYWHERE = re.compile(
    r"(?:Số|SỐ)\s*:\s*(\d{1,5})\s*([-/–])\s*([A-ZĐ0-9][\wĐđ]*(?:\s*[-/–]\s*[A-ZĐ0-9][\wĐđ]*)*)"
)
_DATE_LINE = re.compile(
    r"(?:(?P<place>[^\d,;:]{2,80}?)\s*,\s*)?ngay\s+(?P<d>\d{1,2})\s*(?:thang\s+|/\s*)(?P<m>\d{1,2})"
    r"\s*(?:,?\s*nam\s+|/\s*)(?P<y>\d{4})"
)
_NOT_ISSUER = re.compile(
    r"cong hoa xa hoi|doc lap\s*-|dang cong san viet nam|^thong bao\b|^so\s*[:.]?\s*\d|ngay\s+\d"
)
_PARENT = re.compile(
    r"^(?:tinh uy|thanh uy|huyen uy|thi uy|dang uy|ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan"
    r"|bo |ban chap hanh)"
)
_SEPARATOR = re.compile(r"^[\W_]*$")
_RECIPIENTS = re.compile(r"^noi nhan\b")
_SIGN_MARKER = re.compile(
    r"^(?:k/?t\.?|t/?m\.?|t/?l\.?|q\.|thua lenh|thua uy quyen)\s|^(?:chu tich|truong ban|pho truong ban"
    r"|pho chu tich|giam doc|chanh van phong)$|^\(?da ky"
)
_SURNAMES = frozenset(
    [
        "nguyen",
        "tran",
        "le",
        "pham",
        "hoang",
        "huynh",
        "phan",
        "vu",
        "vo",
        "dang",
        "bui",
        "do",
        "ho",
        "ngo",
        "duong",
        "ly",
        "dinh",
        "doan",
        "truong",
        "lam",
        "mai",
        "trinh",
        "dao",
        "cao",
        "luong",
        "ha",
        "ta",
        "to",
        "chu",
        "chau",
        "thai",
        "la",
        "kieu",
        "quach",
        "luu",
        "tu",
        "trieu",
        "hua",
        "than",
        "vuong",
        "tang",
        "khuc",
        "mac",
        "phung",
        "nghiem",
        "dam",
        "luc",
        "lai",
        "au",
        "ton",
        "giang",
        "trinh",
        "dong",
        "ong",
        "hau",
        "vi",
        "lo",
        "lu",
        "kha",
        "khong",
        "thach",
        "tong",
        "van",
        "dieu",
        "nong",
        "mong",
    ]
)
_TITLE_PHRASES = re.compile(
    r"\b(?:chu tich|truong ban|pho truong|uy vien|giam doc|chanh van phong|van phong|ubnd"
    r"|thuong truc|bi thu|noi nhan|tm|kt|tl|k/t|ban chi dao)\b"
)
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
    [
        "UBND",
        "HĐND",
        "MTQG",
        "MTTQ",
        "UBMTTQ",
        "BCĐ",
        "NTM",
        "OCOP",
        "TW",
        "ĐBQH",
        "HTX",
        "TP",
        "TX",
        "VP",
        "VPĐP",
        "KT-XH",
        "BCH",
        "QP-AN",
        "CNH-HĐH",
        "GTVT",
        "LĐTBXH",
        "NN&PTNT",
        "KH&ĐT",
        "TN&MT",
        "VHTTDL",
        "TT&TT",
        "KH&CN",
        "GD&ĐT",
        "PT-TH",
        "BQL",
        "UBKT",
        "MTQG",
    ]
)
_VOWELS = re.compile(r"[aeiouyăâêôơư]", re.IGNORECASE)


def _is_acronym(word: str) -> bool:
    bare = word.strip(',.;:()"“”')
    if bare in _ACRONYMS or any(ch.isdigit() for ch in bare):
        return True
    return len(bare) >= 2 and not _VOWELS.search(match_form(bare, accentless=True))


def _institution_case(text: str) -> str:
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


def _ends_title(parts: list[str], line: str) -> bool:
    """Whether ``line`` already belongs to the body (the title has no blank line after it)."""
    return bool(
        re.match(r"^(?:ngay|can cu|sang|chieu|vua qua|thuc hien)\b", fold(line))
        or line.endswith(":")
        or _ROMAN.match(line)
        or _NUMBER.match(line)
        or _BULLET.match(line)
        or len(" ".join(parts).split()) > 60
    )


def _find_title(lines: list[str]) -> tuple[str | None, int, int]:
    """The title after "THÔNG BÁO" and the indexes (title line, last title line)."""
    for i, line in enumerate(lines[:80]):
        folded = fold(line)
        if not folded.startswith("thong bao") or any(ch.islower() for ch in line[:9]):
            continue
        rest = line[len("THÔNG BÁO") :].strip(" :.-")
        if rest:
            return _institution_case(rest), i, i
        parts: list[str] = []
        j = i + 1
        while j < len(lines) and not lines[j]:
            j += 1
        end = i
        while j < len(lines) and lines[j] and len(parts) < 4 and not _SEPARATOR.match(lines[j]):
            if parts and _ends_title(parts, lines[j]):
                break
            parts.append(lines[j])
            end = j
            j += 1
        return (_institution_case(" ".join(parts)) if parts else None), i, end
    return None, -1, -1


def _find_number(lines: list[str]) -> tuple[str | None, int]:
    for i, line in enumerate(lines):
        match = _NUMBER_AT_START.match(line) or _NUMBER_ANYWHERE.search(line)
        if match:
            number = "".join(match.groups()).replace("–", "-")
            return re.sub(r"\s+", "", number), i
    return None, -1


def _find_date(lines: list[str]) -> tuple[date | None, str | None, int]:
    for i, line in enumerate(lines):
        form = match_form(line, accentless=True)
        match = _DATE_LINE.search(form)
        if not match or (not match.group("place") and len(line.split()) > 8):
            continue
        try:
            found = date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        except ValueError:
            continue
        place = (
            _place(line[match.start("place") : match.end("place")])
            if match.group("place")
            else None
        )
        return found, place, i
    return None, None, -1


def _place(raw: str) -> str | None:
    """The place before ", ngày": the whole phrase if short, else its trailing capitalised words."""
    words = raw.strip(" ,-").split()
    if not words:
        return None
    if len(words) > 5:
        tail: list[str] = []
        for word in reversed(words):
            if not word[:1].isupper():
                break
            tail.insert(0, word)
        words = tail or words[-3:]
    return " ".join(words) or None


def _find_issuer(header: list[str]) -> str | None:
    """The issuing body: header capitals, minus the national motto and the parent body line."""
    units: list[str] = []
    for line in header:
        folded = fold(line)
        if not line or _SEPARATOR.match(line) or _NOT_ISSUER.search(folded):
            continue
        if any(ch.islower() for ch in line) and not units:
            continue
        if (
            units
            and re.match(r"^(?:tinh|thanh pho|huyen|thi xa)\b", folded)
            and re.match(r"^(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)$", fold(units[-1]))
        ):
            units[-1] = f"{units[-1]} {line}"
            continue
        units.append(line)
    if not units:
        return None
    if len(units) > 1 and _PARENT.match(fold(units[0])):
        parent, units = units[0], units[1:]
        if len(" ".join(units).split()) <= 2:
            return f"{_institution_case(' '.join(units))} {_institution_case(parent)}"
    return _institution_case(" ".join(units))


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


def _find_signature(lines: list[str]) -> tuple[str | None, str | None]:
    """Signer's name and title ("K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN") from the lines after the body."""
    candidates = [
        ln
        for ln in lines
        if ln and not ln.startswith(("-", "+", "•")) and not _RECIPIENTS.match(fold(ln))
    ]
    for i, line in enumerate(candidates):
        if not _is_person_name(line):
            continue
        name = line.title() if line.isupper() else line
        titles: list[str] = []
        for prev in reversed(candidates[:i]):
            if re.match(r"^\(?\s*(?:đã ký|da ky|ký|ky)\b", prev, re.I):
                continue
            if prev.isupper() or _SIGN_MARKER.match(fold(prev)):
                titles.insert(0, prev)
                continue
            break
        return name, (" ".join(titles) or None)
    return None, None


def _body_end(lines: list[str], start: int) -> tuple[int, int]:
    """Where the directive part ends (exclusive) and where the signature area begins."""
    for i in range(start, len(lines)):
        folded = fold(lines[i])
        if _RECIPIENTS.match(folded) or (
            _SIGN_MARKER.match(folded) and lines[i].isupper() and i > start
        ):
            return i, i
        if lines[i].endswith("/."):
            return i + 1, i + 1
    return len(lines), len(lines)


# =============================================================================================
# Sentences and explicit leads
# =============================================================================================

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
_DIRECTIVE_VERBS_RAW = (
    "kính đề nghị",
    "đề nghị",
    "yêu cầu",
    "giao cho",
    "giao",
    "phân công",
    "ủy quyền",
)
_LEADING_FILLERS_RAW = ("đồng thời", "ngoài ra", "riêng", "trong đó")
_COORD_END_RAW = "để nhằm theo tại về trong cho khi đến"
_COORD_SKIP_RAW = ("chặt chẽ", "với", "cùng")
_EVALUATIVE = frozenset({"đã", "đang", "sẽ", "đều", "cũng", "vẫn", "chưa"})
_ABBREV_BEFORE_DOT = frozenset(
    {"tp", "tx", "ths", "ts", "pgs", "gs", "q", "st", "th", "kt", "tm", "tl", "ông", "bà", "v.v"}
)
_WORD = re.compile(r"\w+|[^\w\s]")


def _words(phrase: str, accentless: bool) -> tuple[str, ...]:
    return tuple(match_form(phrase, accentless=accentless).split())


@dataclass(frozen=True)
class _Vocab:
    """The phrase lists in one matching mode: with diacritics, or accent-free for plain ASCII."""

    accentless: bool
    stoppers: dict[str, list[tuple[str, ...]]]
    except_after: dict[tuple[str, ...], frozenset[str]]
    directive_verbs: tuple[tuple[str, ...], ...]
    fillers: tuple[tuple[str, ...], ...]
    coord_end: frozenset[str]
    coord_skip: tuple[tuple[str, ...], ...]
    coordinate: tuple[str, ...]
    list_openers: frozenset[str]

    @classmethod
    def build(cls, accentless: bool) -> _Vocab:
        return cls(
            accentless=accentless,
            stoppers=_stopper_table(accentless),
            except_after={
                _words(k, accentless): frozenset(_words(v, accentless))
                for k, v in _STOPPER_EXCEPT_AFTER_RAW.items()
            },
            directive_verbs=tuple(_words(v, accentless) for v in _DIRECTIVE_VERBS_RAW),
            fillers=tuple(_words(v, accentless) for v in _LEADING_FILLERS_RAW),
            coord_end=frozenset(_words(_COORD_END_RAW, accentless)),
            coord_skip=tuple(_words(v, accentless) for v in _COORD_SKIP_RAW),
            coordinate=_words("phối hợp", accentless),
            list_openers=frozenset(_words("các ubnd sở", accentless)),
        )


_VOCABS = {False: _Vocab.build(False), True: _Vocab.build(True)}
_HAS_DIACRITICS = re.compile(r"[à-ỹÀ-Ỹđ]")


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # lower case, diacritics kept unless the sentence has none at all
    start: int
    end: int
    lower: bool  # the original is lower case (a verb inside a sentence, not a Name)


@dataclass(frozen=True, slots=True)
class _Lead:
    names: tuple[str, ...]
    coordinating: tuple[str, ...]
    directive: bool

    @property
    def generic(self) -> bool:
        """Only groups ("Các huyện"): under a group heading this is not a new addressee."""
        return all(group_kind(n) is not None or fold(n).startswith("cac ") for n in self.names)

    def keys(self) -> frozenset[str]:
        return frozenset(agency_key(n) for n in self.names)


@dataclass(frozen=True, slots=True)
class _Sentence:
    """A sentence tokenised in the matching mode its own spelling calls for."""

    text: str
    tokens: list[_Token]
    vocab: _Vocab

    @classmethod
    def of(cls, text: str) -> _Sentence:
        accentless = not _HAS_DIACRITICS.search(text)
        form = match_form(text, accentless=accentless)
        tokens = [
            _Token(m.group(), m.start(), m.end(), text[m.start() : m.start() + 1].islower())
            for m in _WORD.finditer(form)
        ]
        return cls(text, tokens, _VOCABS[accentless])

    def starts_with(self, i: int, phrase: tuple[str, ...]) -> bool:
        tokens = self.tokens
        return len(tokens) - i >= len(phrase) and all(
            tokens[i + k].text == word for k, word in enumerate(phrase)
        )

    def stopper_at(self, i: int) -> int:
        """Length in tokens of a lower-case verb phrase starting at ``i`` (0 when none)."""
        tok = self.tokens[i]
        if not tok.lower:
            return 0
        for phrase in self.vocab.stoppers.get(tok.text, ()):
            if self.starts_with(i, phrase):
                prev = self.tokens[i - 1].text if i else ""
                if prev in self.vocab.except_after.get(phrase, frozenset()):
                    return 0
                return len(phrase)
        return 0

    def find_stop(self, start: int, *, extra: frozenset[str] = frozenset()) -> int:
        """First token ending an agency list: a verb, ':', '(', '.', ';' or a word of ``extra``.

        A colon right after "các huyện" opens a member list and does not stop it.
        """
        tokens = self.tokens
        for i in range(start, len(tokens)):
            tok = tokens[i]
            if (
                tok.text == ":"
                and i >= 2
                and _MEMBER_KIND.match(fold(self.text[tokens[i - 2].start : tok.start]))
            ):
                continue
            if tok.text in (":", "(", ".", ";", "?", "!") or self.stopper_at(i):
                return i
            if tok.lower and tok.text in extra:
                return i
        return len(tokens)

    def span(self, first: int, stop: int) -> str:
        return self.text[self.tokens[first].start : self.tokens[stop - 1].end]


_MEMBER_KIND = re.compile(r"^cac (?:huyen|thi xa|thanh pho|xa|phuong|so|don vi|co quan)\s*$")


def _clean_name_list(text: str) -> list[str]:
    return [n for n in split_agency_list(text.strip(" ,;-–")) if n]


def _explicit_lead(text: str) -> _Lead | None:
    """The agencies a sentence names as its doers: "Giao X chủ trì...", "X, Y phối hợp với Z ..."."""
    sentence = _Sentence.of(text)
    i = 0
    for filler in sentence.vocab.fillers:
        if sentence.starts_with(i, filler):
            i += len(filler)
            if i < len(sentence.tokens) and sentence.tokens[i].text == ",":
                i += 1
            break
    if i >= len(sentence.tokens):
        return None
    for verb in sentence.vocab.directive_verbs:
        if sentence.starts_with(i, verb):
            return _directive_lead(sentence, i + len(verb))
    return _subject_lead(sentence, i)


def _directive_lead(sentence: _Sentence, start: int) -> _Lead | None:
    tokens = sentence.tokens
    if start >= len(tokens):
        return None
    first = tokens[start]
    original_first = sentence.text[first.start : first.end]
    if not (original_first[:1].isupper() or first.text in sentence.vocab.list_openers):
        return None
    stop = sentence.find_stop(start)
    if stop == start:
        return None
    addressee = sentence.span(start, stop)
    if len(addressee.split()) > 25:
        return None
    names = _clean_name_list(addressee)
    if not names:
        return None
    return _Lead(tuple(names), _coordinating(sentence, stop), directive=True)


def _subject_lead(sentence: _Sentence, start: int) -> _Lead | None:
    tokens = sentence.tokens
    first = tokens[start]
    rest = sentence.text[first.start :]
    if not rest[:1].isupper() or not starts_new_agency(rest):
        return None
    stop = sentence.find_stop(start + 1)
    if stop >= len(tokens) or not sentence.stopper_at(stop):
        return None
    subject = sentence.span(start, stop)
    words = match_form(subject).split()
    if len(words) > 25 or _EVALUATIVE.intersection(words):
        return None
    names = _clean_name_list(subject)
    if not names or not all(looks_like_agency(n) for n in names):
        return None
    return _Lead(tuple(names), _coordinating(sentence, stop), directive=False)


def _coordinating(sentence: _Sentence | str, start: int = 0) -> tuple[str, ...]:
    """Named agencies after "phối hợp (với)": "Sở KH&ĐT" yes, "các sở, ngành liên quan" no."""
    if isinstance(sentence, str):
        sentence = _Sentence.of(sentence)
    tokens, vocab = sentence.tokens, sentence.vocab
    for i in range(start, len(tokens) - 1):
        if not (tokens[i].lower and sentence.starts_with(i, vocab.coordinate)):
            continue
        j = i + len(vocab.coordinate)
        for skip in vocab.coord_skip:
            if sentence.starts_with(j, skip):
                j += len(skip)
        if j >= len(tokens):
            return ()
        stop = sentence.find_stop(j, extra=vocab.coord_end)
        if stop == j:
            continue
        listed = sentence.span(j, stop)
        return tuple(n for n in _clean_name_list(listed) if _is_named_agency(n))
    return ()


def _is_named_agency(name: str) -> bool:
    folded = fold(name)
    if not name[:1].isupper() or folded.startswith("cac ") or group_kind(name) is not None:
        return False
    if folded.endswith(("lien quan", "co lien quan")) or len(folded.split()) > 15:
        return False
    return starts_new_agency(name)


def _split_sentences(text: str) -> list[str]:
    """Sentences on ". X" (not after "TP." and friends) and "; Sở ..." (a new subject)."""
    out: list[str] = []
    last = 0
    for match in re.finditer(r"([.!?…;])\s+(?=\S)", text):
        nxt = text[match.end() : match.end() + 80]
        if not nxt[:1].isupper() and not nxt.startswith(("“", '"', "(")):
            continue
        if match.group(1) == ";" and not starts_new_agency(nxt):
            continue
        before = text[max(last, match.start() - 12) : match.start()].split()
        if match.group(1) == "." and before and lower_aligned(before[-1]) in _ABBREV_BEFORE_DOT:
            continue
        out.append(text[last : match.end()].strip())
        last = match.end()
    tail = text[last:].strip()
    if tail:
        out.append(tail)
    return out


# =============================================================================================
# Frames and the walk over the body
# =============================================================================================

_ROMAN = re.compile(r"^(?P<label>XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\s*[.)/]\s*(?P<rest>\S.*)$")
_NUMBER = re.compile(r"^(?P<label>\d{1,2})\s*[.)]\s*(?P<rest>[^\W\d_].*)$")
_SUBNUMBER = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,2})\.?\s+(?P<rest>\S.*)$")
_LETTER = re.compile(r"^(?P<label>[a-zđ])\s*[).]\s+(?P<rest>\S.*)$")
_BULLET = re.compile(r"^(?P<sym>[-–—•●▪■➢►❖◆➤→✓·*+◦○□])\s*(?P<rest>.*)$")
_SUB_BULLETS = frozenset("+*◦○□")
_TOPIC_START = re.compile(r"^(?:ve|doi voi|linh vuc|cong tac|nhom|phan|noi dung|mot so)\b")
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
_FOLLOW_UP = re.compile(
    r"\bthong bao\b.*\b(?:theo doi|don doc|tong hop|kiem tra)\b|\b(?:theo doi|don doc)\b.*\bthong bao\b"
)


@dataclass
class _Frame:
    level: int
    label: str | None
    lead: tuple[str, ...] = ()
    coordinating: tuple[str, ...] = ()
    background: bool = False
    counter: int = 0
    collapsible: bool = True


@dataclass
class _Draft:
    container: str
    frame: _Frame
    seq: int
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    text: str


@dataclass
class _Walk:
    """Mutable state of one pass over the body."""

    stack: list[_Frame] = field(default_factory=lambda: [_Frame(0, None, collapsible=False)])
    drafts: list[_Draft] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)
    started: bool = False
    structured: bool = False
    closing: bool = False
    skip_bullets: bool = False

    def open(self, level: int, label: str | None, *, collapsible: bool = True) -> _Frame:
        while self.stack[-1].level >= level and len(self.stack) > 1:
            self.stack.pop()
        frame = _Frame(level, label, collapsible=collapsible)
        self.stack.append(frame)
        return frame

    def context(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        for frame in reversed(self.stack):
            if frame.lead:
                return frame.lead, frame.coordinating
        return (), ()

    def in_background(self) -> bool:
        return any(frame.background for frame in self.stack)

    def container(self) -> str:
        return ".".join(f.label for f in self.stack if f.label)


def _heading_split(content: str) -> tuple[str, str, bool]:
    """ "Sở X: Chủ trì ..." -> ("Sở X", "Chủ trì ...", True); no colon -> (content, "", False)."""
    colon = content.find(":")
    if colon <= 0:
        return content, "", False
    head = content[:colon].strip()
    if len(head.split()) > 30 or re.search(r"[.;]\s", head):
        return content, "", False
    return head, content[colon + 1 :].strip(), True


def _heading_agencies(head: str, has_colon: bool) -> tuple[str, ...]:
    """Agencies a heading names ("9. Đài ..., Báo Hà Tĩnh"), () when it is not an addressee."""
    stripped = re.sub(r"^(?:đối với|doi voi)\s+", "", head, flags=re.IGNORECASE).strip()
    if not stripped or (stripped.endswith(".") and not has_colon):
        return ()
    if not has_colon and (len(stripped.split()) > 18 or _explicit_lead(stripped) is not None):
        return ()
    names = _clean_name_list(stripped)
    if not names or len(names) > 20 or not all(looks_like_agency(n) for n in names):
        return ()
    return tuple(names)


def _is_topic_heading(content: str) -> bool:
    letters = [ch for ch in content if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return True
    return bool(_TOPIC_START.match(fold(content))) and len(content.split()) <= 15


def _is_evaluation_heading(content: str) -> bool:
    folded = fold(content)
    return (
        len(folded.split()) <= 15
        and bool(_EVALUATION.search(folded))
        and not _DIRECTIVE_HEADING.search(folded)
    )


def _handle_marker(walk: _Walk, level: int, label: str, content: str) -> None:
    """A Roman part, numbered section or lettered item: heading, lead-in or task."""
    walk.started = walk.structured = True
    walk.closing = walk.skip_bullets = False
    frame = walk.open(level, label)
    head, tail, has_colon = _heading_split(content)
    agencies = _heading_agencies(head, has_colon)
    if agencies:
        frame.lead = agencies
        if tail and not tail.endswith(":"):
            _emit(walk, tail, plain=False)
        elif tail:
            frame.coordinating = _coordinating(tail)
        return
    if content.endswith(":"):
        lead = _explicit_lead(content)
        if lead:
            frame.lead, frame.coordinating = lead.names, lead.coordinating
        frame.background = _is_evaluation_heading(content)
        return
    if _is_evaluation_heading(content):
        frame.background = True
        return
    if level == 1 or _is_topic_heading(content):
        lead = _explicit_lead(content)
        if lead is None or level > 1:
            return
    _emit(walk, content, plain=False)


def _handle_bullet(walk: _Walk, symbol: str, content: str) -> None:
    walk.started = True
    if walk.skip_bullets or not content:
        return
    top = walk.stack[-1]
    if symbol in _SUB_BULLETS and top.level < 4:
        if walk.drafts and walk.drafts[-1].container == walk.container():
            walk.drafts[-1].text = f"{walk.drafts[-1].text} {symbol} {content}"
            return
    elif symbol not in _SUB_BULLETS and top.level == 4:
        walk.stack.pop()
    if symbol not in _SUB_BULLETS and content.endswith(":"):
        parent = walk.stack[-1]
        parent.counter += 1
        frame = walk.open(4, str(parent.counter), collapsible=False)
        head, _tail, has_colon = _heading_split(content)
        agencies = _heading_agencies(head, has_colon)
        lead = None if agencies else _explicit_lead(content)
        frame.lead = agencies or (lead.names if lead else ())
        frame.coordinating = lead.coordinating if lead else ()
        return
    _emit(walk, content, plain=False)


def _handle_plain(walk: _Walk, line: str) -> None:
    folded = fold(line)
    if line.endswith(":"):
        walk.skip_bullets = bool(_ATTENDANCE.search(folded))
        lead = _explicit_lead(line)
        if lead and not lead.directive and _ISSUER_VOICE.search(folded):
            lead = None  # "Chủ tịch UBND tỉnh có ý kiến như sau:" is the issuer speaking
        if lead and walk.started:
            walk.stack[-1].lead, walk.stack[-1].coordinating = lead.names, lead.coordinating
        elif lead:
            walk.stack[0].lead, walk.stack[0].coordinating = lead.names, lead.coordinating
        return
    walk.skip_bullets = False
    if walk.structured and not walk.closing and _starts_closing(walk, line, folded):
        walk.closing = True
        walk.open(1, "C", collapsible=False)
    _emit(walk, line, plain=True)


def _starts_closing(walk: _Walk, line: str, folded: str) -> bool:
    """A paragraph after the structured list that addresses someone else, or the follow-up one."""
    if _FOLLOW_UP.search(folded):
        return True
    lead = _explicit_lead(_split_sentences(line)[0])
    if lead is None:
        return False
    context, _ = walk.context()
    if not context:
        return False
    context_groups = {group_kind(n) for n in context} - {None}
    if context_groups:
        return not all(
            (group_kind(n) or guess_agency_kind(n)) in context_groups for n in lead.names
        )
    return not lead.keys() <= frozenset(agency_key(n) for n in context)


def _emit(walk: _Walk, text: str, *, plain: bool) -> None:
    """Turn one paragraph into task drafts, splitting where a sentence names a new doer."""
    if walk.in_background():
        return
    context, context_coord = walk.context()
    head, tail, has_colon = _heading_split(text)
    agencies = _heading_agencies(head, has_colon) if has_colon and tail else ()
    if agencies:
        context, context_coord, text = agencies, (), tail
    chunks: list[tuple[_Lead | None, list[str]]] = []
    for sentence in _split_sentences(text):
        if _FORMULA.search(fold(sentence)):
            continue
        lead = _explicit_lead(sentence)
        if lead is not None and not lead.directive and lead.generic and (context or chunks):
            lead = None
        same = lead is None or (chunks and chunks[-1][0] and chunks[-1][0].keys() == lead.keys())
        if same and chunks:
            chunks[-1][1].append(sentence)
            continue
        chunks.append((lead, [sentence]))
    for lead, sentences in chunks:
        chunk_text = " ".join(sentences)
        if lead is not None:
            coord = lead.coordinating or _coordinating(chunk_text)
            _add_draft(walk, lead.names, coord, chunk_text)
            walk.started = True
        elif context:
            coord = _coordinating(chunk_text) or context_coord
            _add_draft(walk, context, coord, chunk_text)
        elif walk.started and not (plain and not walk.structured and not walk.drafts):
            walk.unclassified.append(chunk_text)


def _add_draft(walk: _Walk, lead: tuple[str, ...], coord: tuple[str, ...], text: str) -> None:
    frame = walk.stack[-1]
    frame.counter += 1
    container = walk.container()
    walk.drafts.append(
        _Draft(
            container=container,
            frame=frame,
            seq=frame.counter,
            lead=lead,
            coordinating=tuple(
                c for c in coord if agency_key(c) not in {agency_key(n) for n in lead}
            ),
            text=text.strip().removesuffix("/.").strip(),
        )
    )


def _walk_body(lines: list[str]) -> _Walk:
    walk = _Walk()
    for line in lines:
        if not line or _SEPARATOR.match(line):
            continue
        match = _ROMAN.match(line)
        if match:
            _handle_marker(walk, 1, match["label"], match["rest"])
            continue
        match = _SUBNUMBER.match(line)
        if match:
            _handle_marker(walk, 3, match["label"].split(".")[-1], match["rest"])
            continue
        match = _NUMBER.match(line)
        if match:
            _handle_marker(walk, 2, match["label"], match["rest"])
            continue
        match = _LETTER.match(line)
        if match and walk.structured:
            _handle_marker(walk, 3, match["label"], match["rest"])
            continue
        match = _BULLET.match(line)
        if match:
            _handle_bullet(walk, match["sym"], match["rest"].strip())
            continue
        _handle_plain(walk, line)
    return walk


def _codes(drafts: list[_Draft]) -> list[str]:
    """ "I.1" + running number; a marker frame holding one task gets the frame's own label."""
    codes: list[str] = []
    used: set[str] = set()
    repeats: dict[str, int] = {}  # a repeated numbering ("1." twice) gets "-2", "-3"...
    for draft in drafts:
        if draft.frame.collapsible and draft.container and draft.frame.counter == 1:
            code = draft.container
        else:
            code = ".".join(p for p in (draft.container, str(draft.seq)) if p)
        base = code
        while code in used:
            repeats[base] = repeats.get(base, 1) + 1
            code = f"{base}-{repeats[base]}"
        used.add(code)
        codes.append(code)
    return codes


# =============================================================================================
# Public entry points
# =============================================================================================


def parse_notice(text: str) -> ParsedNotice:
    """Parse a notice's text; never raises (a failure becomes a problem in the result)."""
    try:
        return _parse_notice(text if isinstance(text, str) else "")
    except (ValueError, IndexError, KeyError, TypeError, RecursionError) as exc:
        return ParsedNotice(
            DocumentMeta(), problems=(f"Lỗi khi phân tích văn bản: {type(exc).__name__}",)
        )


def _parse_notice(text: str) -> ParsedNotice:
    problems: list[str] = []
    if len(text) > MAX_INPUT_CHARS:
        text = text[:MAX_INPUT_CHARS]
        problems.append("Văn bản quá dài, chỉ phân tích phần đầu")
    legacy = detect_legacy_encoding(text)
    if legacy:
        problems.append(f"Văn bản dùng bảng mã cũ ({legacy}); hãy chuyển sang Unicode")
    lines = _prepare_lines(text)
    meta, body_start, body_end, sign_start = _parse_meta(lines)
    walk = _walk_body(lines[body_start:body_end])
    tasks = _finish_tasks(walk.drafts, meta)
    if meta.number is None:
        problems.append("Không tìm thấy số, ký hiệu văn bản")
    if meta.date is None:
        problems.append("Không tìm thấy ngày ban hành")
    if not tasks:
        problems.append("Không tìm thấy nhiệm vụ nào")
    del sign_start
    return ParsedNotice(
        document=meta,
        tasks=tasks,
        agencies=_agencies(tasks),
        unclassified=tuple(walk.unclassified),
        problems=tuple(problems),
    )


def _parse_meta(lines: list[str]) -> tuple[DocumentMeta, int, int, int]:
    title, title_idx, title_end = _find_title(lines)
    head_limit = title_idx if title_idx >= 0 else min(len(lines), 30)
    head_scan = lines[: head_limit + 1] if title_idx >= 0 else lines[:head_limit]
    number, number_idx = _find_number(head_scan)
    found_date, place, date_idx = _find_date(head_scan)
    body_start = title_end + 1 if title_idx >= 0 else max(number_idx, date_idx) + 1
    body_end, sign_start = _body_end(lines, body_start)
    header = lines[: number_idx if 0 <= number_idx < head_limit else head_limit]
    signer, signer_title = _find_signature(lines[sign_start:])
    meta = DocumentMeta(
        number=number,
        date=found_date,
        issuer=_find_issuer(header),
        signer=signer,
        signer_title=signer_title,
        place=place,
        title=title,
    )
    return meta, body_start, body_end, sign_start


def _finish_tasks(drafts: list[_Draft], meta: DocumentMeta) -> tuple[ParsedTask, ...]:
    tasks: list[ParsedTask] = []
    for draft, code in zip(drafts, _codes(drafts), strict=True):
        text = fold_spaces(draft.text)
        result = parse_deadline(text, notice_date=meta.date)
        tasks.append(
            ParsedTask(code, draft.lead, draft.coordinating, text, result.deadline, result.problems)
        )
    return tuple(tasks)


def _agencies(tasks: tuple[ParsedTask, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for task in tasks:
        for name in (*task.lead, *task.coordinating):
            seen.setdefault(agency_key(name), name)
    return tuple(seen.values())


# =============================================================================================
# Task tables (.docx "TT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn")
# =============================================================================================

_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coordinating", ("phoi hop",)),
    ("lead", ("chu tri", "don vi thuc hien", "co quan thuc hien", "don vi giao", "don vi")),
    ("deadline", ("thoi han", "han hoan thanh", "thoi gian", "tien do")),
    ("content", ("noi dung", "nhiem vu", "cong viec")),
    ("code", ("stt", "tt", "so tt", "so thu tu")),
)


def _table_columns(row: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        folded = fold(cell)
        for role, words in _COLUMN_WORDS:
            if role in columns:
                continue
            if role == "code" and folded not in words:
                continue
            if any(re.search(rf"\b{w}\b", folded) for w in words):
                columns[role] = index
                break
    return columns


def find_task_table_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The header row (within the first three) with at least a content and a lead column."""
    for index, row in enumerate(rows[:3]):
        columns = _table_columns(row)
        if "content" in columns and "lead" in columns:
            return index, columns
    return None


def parse_task_table(rows: list[list[str]], meta: DocumentMeta) -> tuple[ParsedTask, ...]:
    """Tasks from a table whose columns are found by their header words (not positions)."""
    try:
        return _parse_task_table(rows, meta)
    except (ValueError, IndexError, TypeError):
        return ()


def _cell(row: list[str], columns: dict[str, int], role: str) -> str:
    index = columns.get(role)
    if index is None or index >= len(row):
        return ""
    return fold_spaces(clean(row[index] or ""))


def _parse_task_table(rows: list[list[str]], meta: DocumentMeta) -> tuple[ParsedTask, ...]:
    header = find_task_table_header(rows)
    if header is None:
        return ()
    start, columns = header
    tasks: list[ParsedTask] = []
    section: str | None = None
    running = 0
    used: set[str] = set()
    for row in rows[start + 1 :]:
        content = _cell(row, columns, "content")
        code = _cell(row, columns, "code").rstrip(".")
        lead_cell = _cell(row, columns, "lead")
        if not content or re.fullmatch(r"[\d\s().]+", content):
            continue
        if re.fullmatch(r"[IVX]+", code) and not lead_cell:
            section = code
            running = 0
            continue
        running += 1
        code = code or str(running)
        code = f"{section}.{code}" if section and not code.startswith(section) else code
        while code in used:
            code += "'"
        used.add(code)
        tasks.append(_table_task(row, columns, code, content, lead_cell, meta))
    return tuple(tasks)


def _table_task(
    row: list[str],
    columns: dict[str, int],
    code: str,
    content: str,
    lead_cell: str,
    meta: DocumentMeta,
) -> ParsedTask:
    lead = tuple(split_agency_list(lead_cell))
    coordinating = tuple(split_agency_list(_cell(row, columns, "coordinating")))
    problems: list[str] = []
    deadline_cell = _cell(row, columns, "deadline")
    result = (
        parse_deadline_cell(deadline_cell, notice_date=meta.date)
        if deadline_cell
        else parse_deadline(content, notice_date=meta.date)
    )
    if result.deadline.kind == "none" and deadline_cell:
        fallback = parse_deadline(content, notice_date=meta.date)
        if fallback.deadline.kind != "none":
            result = fallback
    problems.extend(result.problems)
    if not lead:
        explicit = _explicit_lead(content)
        lead = explicit.names if explicit else ()
    if not lead:
        problems.append("Không xác định được đơn vị chủ trì")
    return ParsedTask(code, lead, coordinating, content, result.deadline, tuple(problems))
