"""Agency names as notices write them: one canonical key, a kind, groups and lists.

A notice may call the same department "Sở NN&PTNT" in one line and "Sở Nông nghiệp và Phát
triển nông thôn" in the next; the registered agency may be typed in NFD with new-style tone
marks. ``agency_key`` maps all of these to one key so the storage layer can match them.

Choices (documented because they are judgement calls):
- a trailing "tỉnh" is dropped ("Sở Tài chính tỉnh" == "Sở Tài chính"): the whole bot works
  inside one province;
- "UBND huyện X" == "Huyện X": the district's people's committee is the district's office;
- "Ủy ban MTTQ (Việt Nam) tỉnh" == "Mặt trận Tổ quốc tỉnh";
- every "Văn phòng Điều phối ... nông thôn mới" is the same coordination office;
- "Mặt trận Tổ quốc tỉnh và các tổ chức đoàn thể" is split by ``split_agency_list`` into the
  Front itself (a lead) and the group "các tổ chức đoàn thể"; ``group_kind`` of the whole
  phrase still answers "doan_the" for callers that keep it whole.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.domain.agency_titles import starts_with_title
from bot.domain.text import capitalize_first, clean, fold, fold_spaces, match_form

__all__ = [
    "AGENCY_KINDS",
    "GROUP_KINDS",
    "agency_key",
    "group_kind",
    "guess_agency_kind",
    "looks_like_agency",
    "split_agency_list",
]

AGENCY_KINDS = ("so", "huyen", "doan_the", "van_phong", "khac")
GROUP_KINDS = ("huyen", "so", "doan_the", "do_dau")

# Abbreviations, applied on the lower-case form with diacritics (tones already canonical).
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"nn\s*(?:&|và|-)?\s*ptnt", "nông nghiệp và phát triển nông thôn"),
    (r"kh\s*(?:&|và|-)?\s*đt", "kế hoạch và đầu tư"),
    (r"tn\s*(?:&|và|-)?\s*mt", "tài nguyên và môi trường"),
    (r"gtvt|gt\s*(?:&|-)\s*vt", "giao thông vận tải"),
    (r"vh\s*[,&-]?\s*tt\s*(?:&|và|-)?\s*dl|vhttdl", "văn hóa thể thao và du lịch"),
    (r"lđ\s*[,&-]?\s*tb\s*(?:&|và|-)?\s*xh|lđtbxh", "lao động thương binh và xã hội"),
    (r"tt\s*(?:&|và)\s*tt|tttt", "thông tin và truyền thông"),
    (r"kh\s*(?:&|và|-)?\s*cn", "khoa học và công nghệ"),
    (r"gd\s*(?:&|và|-)?\s*đt", "giáo dục và đào tạo"),
    (r"pt\s*(?:&|và|-)?\s*th", "phát thanh và truyền hình"),
    # Halves written alone: "Sở Nông nghiệp và PTNT", "Sở Tài nguyên và MT".
    (r"ptnt", "phát triển nông thôn"),
    (r"tnmt", "tài nguyên và môi trường"),
    (r"khđt", "kế hoạch và đầu tư"),
    (r"gdđt", "giáo dục và đào tạo"),
    (r"khcn", "khoa học và công nghệ"),
    (r"vpđp", "văn phòng điều phối"),
    (r"ubmttq", "ủy ban mặt trận tổ quốc"),
    (r"ubnd", "ủy ban nhân dân"),
    (r"hđnd", "hội đồng nhân dân"),
    (r"mttq", "mặt trận tổ quốc"),
    (r"ntm", "nông thôn mới"),
    (r"mtqg", "mục tiêu quốc gia"),
    (r"bcđ", "ban chỉ đạo"),
    (r"đbqh", "đại biểu quốc hội"),
    (r"bchqs", "bộ chỉ huy quân sự"),
    (r"tw", "trung ương"),
    (r"vp", "văn phòng"),
    (r"tp", "thành phố"),
    (r"tx", "thị xã"),
    (r"sxkd", "sản xuất kinh doanh"),
)
_ABBREVIATION_RES = tuple(
    (re.compile(rf"(?<![\w]){pattern}(?![\w])"), repl) for pattern, repl in _ABBREVIATIONS
)
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_OFFICE = re.compile(r"^văn phòng điều phối\b.*?\bnông thôn mới\b")
_FRONT = re.compile(r"^ủy ban mặt trận tổ quốc(?: việt nam)?\b")
_DISTRICT_COMMITTEE = re.compile(r"^ủy ban nhân dân (?=(?:huyện|thị xã|thành phố|xã|phường) )")


@lru_cache(maxsize=8192)
def agency_key(name: str) -> str:
    """Canonical key: case, punctuation, NFC/NFD, tone placement and abbreviations ignored.

    Cached: a notice names the same few agencies again and again."""
    text = match_form(fold_spaces(clean(name or "")))
    text = text.replace("&", " và ")
    for pattern, repl in _ABBREVIATION_RES:
        text = pattern.sub(repl, text)
    text = _PUNCTUATION.sub(" ", text)
    words = [w for w in text.split() if w != "và"]
    text = " ".join(words)
    text = _OFFICE.sub("văn phòng điều phối nông thôn mới", text)
    text = _FRONT.sub("mặt trận tổ quốc", text)
    text = _DISTRICT_COMMITTEE.sub("", text)
    if text.endswith(" tỉnh") and len(text.split()) > 2:
        text = text[: -len(" tỉnh")]
    return text


# --- kinds and groups -------------------------------------------------------------------------

_GROUP_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bdo dau\b"), "do_dau"),
    (
        re.compile(r"\b(?:cac\s+)?(?:to chuc\s+)?doan the\b|\bcac hoi\b|\bcac to chuc chinh tri"),
        "doan_the",
    ),
    (
        re.compile(
            r"^(?:(?:ubnd|uy ban nhan dan|chu tich ubnd|chu tich uy ban nhan dan)\s+)?"
            r"(?:cac\s+(?:huyen|dia phuong|thanh pho|thi xa)|cap\s+huyen)\b"
        ),
        "huyen",
    ),
    (
        re.compile(
            r"^(?:(?:giam doc|thu truong)\s+)?(?:cac\s+)?(?:so\s*,?\s*(?:ban\s*,?\s*)?nganh|so\s+nganh"
            r"|cac\s+so\b|cac\s+nganh\b|cac\s+co\s+quan|so\s+ban\s+nganh)"
        ),
        "so",
    ),
)


def group_kind(name: str) -> str | None:
    """The member kind when ``name`` addresses a group ("Các huyện, thành phố, thị xã" -> "huyen").

    A list with members spelled out ("Các huyện: Kỳ Anh, Thạch Hà") is not a group: split it.
    """
    folded = fold(name or "")
    if not folded or ":" in folded:
        return None
    folded = folded.replace("&", " va ")
    for pattern, kind in _GROUP_PATTERNS:
        if pattern.search(folded):
            return kind
    return None


_KIND_PREFIXES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("so ", "giam doc so "), "so"),
    (
        (
            "huyen ",
            "thi xa ",
            "thanh pho ",
            "tp ",
            "tx ",
            "ubnd huyen",
            "ubnd thi xa",
            "ubnd thanh pho",
            "uy ban nhan dan huyen",
            "uy ban nhan dan thi xa",
            "uy ban nhan dan thanh pho",
        ),
        "huyen",
    ),
    (("van phong", "vp "), "van_phong"),
    (
        (
            "mat tran",
            "ubmttq",
            "uy ban mttq",
            "uy ban mat tran",
            "mttq",
            "hoi ",
            "doan thanh nien",
            "tinh doan",
            "lien doan lao dong",
            "lien minh hop tac xa",
            "cac to chuc doan the",
            "cac doan the",
        ),
        "doan_the",
    ),
)


def guess_agency_kind(name: str) -> str:
    """A best guess of the agency's kind from its name, one of ``AGENCY_KINDS``."""
    folded = fold(name or "") + " "
    for prefixes, kind in _KIND_PREFIXES:
        if folded.startswith(prefixes):
            return kind
    group = group_kind(name)
    if group in ("so", "huyen", "doan_the"):
        return group
    return "khac"


# --- splitting lists --------------------------------------------------------------------------

# Words that open a new agency name after a comma or "và". Matched on the accent-free form;
# those in _CASE_FREE also count in lower case ("và sở ngành liên quan").
_NEW_AGENCY_WORDS = (
    "so",
    "ban",
    "van phong",
    "vp",
    "vpdp",
    "ubnd",
    "uy ban",
    "ubmttq",
    "hdnd",
    "dai",
    "bao",
    "huyen",
    "thi xa",
    "thanh pho",
    "tp",
    "tx",
    "mat tran",
    "mttq",
    "hoi",
    "doan",
    "lien doan",
    "lien minh",
    "cong an",
    "bo chi huy",
    "bchqs",
    "kho bac",
    "ngan hang",
    "cuc",
    "chi cuc",
    "truong",
    "benh vien",
    "cac",
    "tinh uy",
    "tinh doan",
    "huyen uy",
    "thanh uy",
    "thi uy",
    "trung tam",
    "vien",
    "thanh tra",
    "toa an",
    "chu tich",
    "giam doc",
    "cong ty",
    "tong cong ty",
    "dien luc",
    "buu dien",
    "quy",
    "chi nhanh",
    "thuong truc",
    "doan dbqh",
    "hoi dong",
    "bo",
)
_CASE_FREE = frozenset({"so", "cac", "ubnd", "hdnd", "mttq", "ubmttq", "vp", "vpdp"})
_NOT_AGENCY_AFTER = re.compile(
    r"^(?:hoi\s+(?:nghi|thao|cho|thi|dien)|dai\s+(?:hoi|bieu|dien|tra)|truong\s+hop|bo\s+(?:tri|sung|sung)"
    r"|quy\s+(?:[ivx]+|\d|dinh|trinh|hoach|mo)\b|bao\s+(?:cao|dam|ve|quan|tri|hiem)|cac\s+(?:noi\s+dung|nhiem\s+vu|giai\s+phap|chi\s+tieu|tieu\s+chi|chuong\s+trinh|du\s+an|cong\s+trinh|van\s+ban|san\s+pham)"
    r"|doan\s+(?:ket|thanh\s+tra)?\s*$|vien\s+chuc|thanh\s+pho\s*$|so\s+(?:lieu|luong|sanh))"
)
_NEW_AGENCY = re.compile(
    r"^(?:"
    + "|".join(re.escape(w) for w in sorted(_NEW_AGENCY_WORDS, key=len, reverse=True))
    + r")(?![\w])"
)
# "các huyện: A, B", "các Bộ: Tài chính, Xây dựng": a kind, then its members (accent-free form).
_MEMBER_LIST = re.compile(
    r"\bcac\s+(?P<kind>huyen|thi\s+xa|thanh\s+pho|quan|xa|phuong|dac\s+khu|thi\s+tran|tinh"
    r"|so|bo|ban|nganh|don\s+vi|co\s+quan)\s*:\s*(?P<names>\S.*)$"
)
_UNIT_KINDS = frozenset({"huyen", "thi xa", "thanh pho", "quan", "xa", "phuong", "dac khu"})
_UNIT_KINDS |= {"thi tran", "tinh"}
_UNIT_START = re.compile(r"^(?:huyen|thi\s+xa|thanh\s+pho|quan|xa|phuong|dac\s+khu|thi\s+tran)\s")
_PREFIXED_KINDS = frozenset({"so", "bo", "ban"})
_BARE_COUNCIL = re.compile(
    r"^(?:hdnd|hoi dong nhan dan)(?:\s+va\s+(?:ubnd|uy ban nhan dan)(?:\s+tinh)?)?$"
)


def starts_new_agency(chunk: str) -> bool:
    """Whether a chunk after a comma/"và" opens a new agency name rather than continuing one.

    A head's title followed by an agency ("Giám đốc Công an tỉnh") opens one too."""
    chunk = chunk.strip()[:120]  # a name's opening words decide; the rest may be a sentence
    folded = match_form(chunk, accentless=True)
    hit = _NEW_AGENCY.match(folded)
    if hit is None or _NOT_AGENCY_AFTER.match(folded):
        return chunk[:1].isupper() and starts_with_title(chunk)
    return folded[: hit.end()] in _CASE_FREE or chunk[:1].isupper()


def looks_like_agency(name: str) -> bool:
    """Whether ``name`` opens like an agency or an addressee group (capitalised or "các ...")."""
    name = name.strip()
    if not name or len(name.split()) > 25:
        return False
    if group_kind(name) is not None:
        return True
    return starts_new_agency(name)


def _split_members(pre: str, kind: str, names: str) -> list[str]:
    """ "Các huyện: Kỳ Anh, Thạch Hà" -> ["Huyện Kỳ Anh", "Huyện Thạch Hà"]; "UBND các xã: A"
    -> ["UBND xã A"]; "các Bộ: Tài chính, Kế hoạch và Đầu tư, Ủy ban Dân tộc" -> ["Bộ Tài
    chính", "Bộ Kế hoạch và Đầu tư", "Ủy ban Dân tộc"] (a member named in full stays whole)."""
    kind_key = " ".join(match_form(kind, accentless=True).split())
    out: list[str] = []
    if kind_key in _UNIT_KINDS:
        for raw in re.split(r"\s*[,;]\s*|\s+(?:và|va)\s+", names.strip(" .;")):
            raw = raw.strip()
            if not raw:
                continue
            if _UNIT_START.match(match_form(raw, accentless=True)):
                out.append(capitalize_first(raw))
            else:
                out.append(capitalize_first(f"{pre} {kind.lower()} {raw}".strip()))
        return out
    for chunk in re.split(r"\s*[,;]\s*", names.strip(" .;")):
        for raw in _split_on_and(re.sub(r"^(?:và|va)\s+", "", chunk.strip())):
            raw = raw.strip()
            if not raw:
                continue
            if kind_key in _PREFIXED_KINDS and not starts_new_agency(raw):
                raw = f"{capitalize_first(kind.lower())} {raw}"
            out.append(capitalize_first(raw))
    return out


def _member_list(text: str) -> list[str] | None:
    """The names of a list holding "các <kind>: A, B" (what comes before it split as usual)."""
    match = _MEMBER_LIST.search(match_form(text, accentless=True))
    if match is None:
        return None
    head = text[: match.start()]
    cut = max(head.rfind(","), head.rfind(";"))
    before, pre = (head[:cut], head[cut + 1 :]) if cut >= 0 else ("", head)
    out = split_agency_list(before) if before.strip(" ,;") else []
    kind = text[match.start("kind") : match.end("kind")]
    return out + _split_members(pre.strip(), kind, text[match.start("names") :])


def _split_on_and(name: str) -> list[str]:
    """Split "A và B" only when B opens a new agency ("Sở Kế hoạch và Đầu tư" stays whole)."""
    parts = name.split(" và ")
    out = [parts[0]]
    for part in parts[1:]:
        left = out[-1]
        left_folded = match_form(left, accentless=True)
        council_office = left_folded.startswith(("van phong", "vp")) and re.search(
            r"(?:hdnd|hoi dong nhan dan)$", left_folded
        )
        if starts_new_agency(part) and not council_office:
            out.append(part)
        else:
            out[-1] = f"{left} và {part}"
    return out


def split_agency_list(text: str) -> list[str]:
    """Split an addressee list into agency names, expanding "Các huyện: A, B" to "Huyện A"...

    A comma only separates names when the next chunk opens like a new agency, so "Sở Lao
    động, Thương binh và Xã hội" and "Các huyện, thành phố, thị xã" stay whole.
    """
    text = fold_spaces(clean(text or "")).strip(" .;:,-–")
    if not text:
        return []
    members = _member_list(text)
    if members is not None:
        return members
    names: list[str] = []
    for raw_chunk in re.split(r"\s*[,;]\s*", text):
        chunk = re.sub(r"^(?:và|cùng)\s+", "", raw_chunk.strip())
        if not chunk:
            continue
        bare_council = (
            names
            and match_form(names[-1], accentless=True).startswith(("van phong", "vp"))
            and _BARE_COUNCIL.match(match_form(chunk, accentless=True))
        )
        opener = raw_chunk.strip() != chunk or starts_new_agency(chunk)
        if names and (bare_council or not opener):
            names[-1] = f"{names[-1]}, {chunk}"
        else:
            names.append(chunk)
    out: list[str] = []
    for name in names:
        out.extend(p.strip() for p in _split_on_and(name) if p.strip())
    return [capitalize_first(n) for n in out]
