"""A conclusion notice's text -> document metadata, the tasks it assigns and their agencies.

Notices ("Thông báo kết luận") follow a genre rather than a template. What we rely on:
- a header block (issuing body, "Số: 22-TB/BCĐ", "Hà Tĩnh, ngày 27 tháng 12 năm 2019"), the
  kind ("THÔNG BÁO", "CHỈ THỊ", "KẾ HOẠCH", "QUYẾT ĐỊNH"; a Công văn's "V/v …") and a title;
  sometimes none of it (a text pasted from a news page);
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
``unclassified`` for the office to handle by hand, and every line no task was made from is
listed in ``unused`` with its line number and the reason (header, "Kính gửi", background,
sign-off...), so the preview can show all of the notice.

What the caller may pass (all optional, nothing is read from a file or a clock here): the
agency directory (bot.domain.agency_directory: names bounded and classified by it, groups given
their known members), the office's working-day calendar (relative deadlines) and the tables
found beside the text (a .docx's).

Pure: standard library only (and the other pure modules of bot.domain). The modules, in the
order the text goes through them (each imports only the ones above it):

- ``model``       the result types: `DocumentMeta`, `ParsedTask`, `ParsedNotice`.
- ``encoding``    legacy-font text (TCVN3, VNI) that must be converted before it can be read.
- ``lines``       the text as lines, each with its source line numbers: markup removed, wraps
                  re-joined, "1. … 2. …" split, tables pasted with pipes or tabs found; the
                  line-start markers (Roman, number, "Điều 1.", letter, bullet).
- ``casing``      capitals from the header turned into the officials' spelling of names.
- ``header``      number, date and place, issuing body, title.
- ``signature``   signer and title; the "Nơi nhận" and signing-formula lines that end the body.
- ``layout``      where the body begins and ends ("Kính gửi" skipped, the whole text when the
                  body comes out empty, an appendix after the signature read as a second body),
                  the `DocumentMeta`, and why each line outside the bodies is not read.
- ``vocabulary``  the verb and phrase lists (directive verbs, list-ending verbs, fillers).
- ``sentences``   sentence splitting (also after the issuer's "… như sau:") and tokens: where
                  an agency list stops.
- ``agencies``    where a name ends (the directory, then words never in a name) and whether it
                  names a group.
- ``leads``       the doers a sentence names: lead agencies and coordinating ones (heads'
                  titles dropped, "các Bộ: A, B" expanded).
- ``headings``    which headings address agencies (and become a frame's lead), which name a topic.
- ``non_tasks``   body text that assigns nothing: evaluation, attendance, the issuer's voice,
                  background (cited documents, legal bases), sign-offs, formal articles.
- ``walk``        the frames and the pass over the body into task drafts; the closing part "C";
                  the reason for every line it does not use.
- ``tables``      `read_task_table`: task tables (.docx, pasted as text, rebuilt from a PDF),
                  columns found by their header words.
- ``parse``       `parse_notice`: the steps above in turn, table and text tasks merged, task
                  codes, deadlines, groups, addressees, the lines not used.

Where new reading goes: a new kind of heading in ``headings``; a new kind of non-task in
``non_tasks`` (with its reason in ``model.UnusedReason``); a new verb or list opener in
``vocabulary``; who-does-what in a sentence in ``leads``; where a name ends in ``agencies``.
Deadline phrases are read by bot/domain/deadlines.py (rules: relative_deadlines.py), agency
names by bot/domain/agency_names.py (heads' titles: agency_titles.py).
"""

from bot.domain.notice.encoding import detect_legacy_encoding
from bot.domain.notice.model import (
    Addressee,
    DocumentMeta,
    ParsedNotice,
    ParsedTask,
    UnusedLine,
    UnusedReason,
)
from bot.domain.notice.parse import MAX_INPUT_CHARS, parse_notice
from bot.domain.notice.tables import find_task_table_header, parse_task_table, read_task_table

__all__ = [
    "MAX_INPUT_CHARS",
    "Addressee",
    "DocumentMeta",
    "ParsedNotice",
    "ParsedTask",
    "UnusedLine",
    "UnusedReason",
    "detect_legacy_encoding",
    "find_task_table_header",
    "parse_notice",
    "parse_task_table",
    "read_task_table",
]
