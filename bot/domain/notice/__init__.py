"""The conclusion-notice parser (moved into a package; split into modules in the next commit)."""

from bot.domain.notice.walk import (
    DocumentMeta,
    ParsedNotice,
    ParsedTask,
    detect_legacy_encoding,
    find_task_table_header,
    parse_notice,
    parse_task_table,
)

__all__ = [
    "DocumentMeta",
    "ParsedNotice",
    "ParsedTask",
    "detect_legacy_encoding",
    "find_task_table_header",
    "parse_notice",
    "parse_task_table",
]
