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

Pure: standard library only (and the other pure modules of bot.domain). The modules, in the
order the text goes through them (each imports only the ones above it):

- ``model``       the result types: `DocumentMeta`, `ParsedTask`, `ParsedNotice`.
- ``encoding``    legacy-font text (TCVN3, VNI) that must be converted before it can be read.
- ``lines``       the text as lines: markup removed, wraps re-joined, "1. … 2. …" split; the
                  line-start markers (Roman, number, letter, bullet) everyone else reads.
- ``casing``      capitals from the header turned into the officials' spelling of names.
- ``header``      number, date and place, issuing body, title.
- ``signature``   signer and title; the "Nơi nhận" and signing-formula lines that end the body.
- ``layout``      where the body begins and ends, and the `DocumentMeta` (notices without a
                  header, or with an unusual one, are handled here).
- ``vocabulary``  the verb and phrase lists (directive verbs, list-ending verbs, fillers).
- ``sentences``   sentence splitting and tokens: where an agency list stops.
- ``leads``       the doers a sentence names: lead agencies and coordinating ones.
- ``headings``    which headings address agencies (and become a frame's lead), which name a topic.
- ``non_tasks``   body text that assigns nothing: evaluation, attendance, the issuer's voice,
                  the closing formula.
- ``walk``        the frames and the pass over the body into task drafts; the closing part "C".
- ``parse``       `parse_notice`: the steps above in turn, task codes, deadlines per task.
- ``tables``      `parse_task_table`: the .docx task table, columns found by their header words.

Where new reading goes: a new kind of heading in ``headings``; a new kind of non-task in
``non_tasks``; a new verb or list opener in ``vocabulary``; who-does-what in a sentence in
``leads``; a table pasted as text would be read in ``tables`` and merged in ``parse``; a
directory of known agencies would be passed from ``parse_notice`` down to ``leads``/``headings``.
Deadline phrases are read by bot/domain/deadlines.py, agency names by bot/domain/agency_names.py.
"""

from bot.domain.notice.encoding import detect_legacy_encoding
from bot.domain.notice.model import DocumentMeta, ParsedNotice, ParsedTask
from bot.domain.notice.parse import MAX_INPUT_CHARS, parse_notice
from bot.domain.notice.tables import find_task_table_header, parse_task_table

__all__ = [
    "MAX_INPUT_CHARS",
    "DocumentMeta",
    "ParsedNotice",
    "ParsedTask",
    "detect_legacy_encoding",
    "find_task_table_header",
    "parse_notice",
    "parse_task_table",
]
