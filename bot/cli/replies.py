"""`dondoc parse-reply`: how the bot reads a sentence (issue 14, item 5).

For the office, to check how an official's words are read before blaming the bot; and for
evaluation, as JSON Lines a script can compare with its own labels:

    dondoc parse-reply "xin gia hạn đến hết tháng 4" --today 2020-01-06 --json
    {"text": "xin gia hạn đến hết tháng 4", "items": [{"line": null, "task": null,
     "intent": "extension", "percent": null, "until": "2020-04-30", "obstacle": false}]}

`--file` holds JSON Lines, each line one JSON string (so a text may hold newlines: a digest
reply); `-` reads them from standard input. Nothing is stored and no database is opened.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from bot.config import Settings
from bot.domain.replies import Intent, ReplyContext, ReplyItem, read_reply

EXIT_OK = 0
EXIT_USAGE = 2

# The readable line (without --json): what the bot would do, in the office's words.
INTENT_VI = {
    Intent.DONE: "hoàn thành",
    Intent.PROGRESS: "đang thực hiện",
    Intent.BLOCKED: "vướng mắc (báo Văn phòng)",
    Intent.EXTENSION: "xin gia hạn (Văn phòng duyệt)",
    Intent.ACKNOWLEDGE: "tiếp nhận, không đổi tình trạng",
    Intent.REASSIGN: "đề nghị giao đơn vị khác (Văn phòng quyết định)",
    Intent.NOTE: "thông tin, không đổi tình trạng",
    Intent.UNCLEAR: "chưa rõ (bot hỏi lại)",
}


def cmd_parse_reply(args: argparse.Namespace, settings: Settings) -> int:
    try:
        today = _iso(args.today) or datetime.now(settings.timezone).date()
        deadline = _iso(args.deadline)
        texts = list(args.text) + list(_file_texts(args.file))
    except (ValueError, OSError) as error:
        print(f"Lỗi / error — {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.digest_lines < 0:
        print("Lỗi / error — --digest-lines ≥ 0", file=sys.stderr)
        return EXIT_USAGE
    if not texts:
        print("Chưa có câu nào / no text: TEXT … hoặc/or --file F", file=sys.stderr)
        return EXIT_USAGE
    context = ReplyContext(today=today, deadline=deadline, digest_lines=args.digest_lines)
    for text in texts:
        items = read_reply(text, context)
        if args.json:
            record = {"text": text, "items": [item.as_json() for item in items]}
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(readable(text, items))
    return EXIT_OK


def readable(text: str, items: list[ReplyItem]) -> str:
    """One line per input: «text» → what each item says."""
    one_line = " / ".join(part.strip() for part in text.splitlines() if part.strip())
    if not items:
        return f"«{one_line}» → (trống, không ghi nhận gì)"
    return f"«{one_line}» → " + "; ".join(_item(item) for item in items)


def _item(item: ReplyItem) -> str:
    parts = []
    if item.line is not None:
        parts.append(f"dòng {item.line}")
    if item.task is not None:
        parts.append(f"#{item.task}")
    head = " ".join(parts)
    words = INTENT_VI[item.intent]
    if item.percent is not None and item.intent is not Intent.DONE:
        words += f", {item.percent}%"
    if item.until is not None:
        words += f", đến {item.until:%d/%m/%Y}"
    elif item.intent is Intent.EXTENSION:
        words += ", chưa rõ ngày (bot hỏi)"
    if item.obstacle and item.intent is not Intent.BLOCKED:
        words += ", có vướng mắc"
    return f"{head}: {words}" if head else words


def _iso(text: str | None) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"ngày không hợp lệ / invalid date: {text!r} (YYYY-MM-DD)") from None


def _file_texts(name: str | None) -> Iterator[str]:
    if name is None:
        return
    stream = sys.stdin if name == "-" else Path(name).open(encoding="utf-8")  # noqa: SIM115
    with stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                raise ValueError(f"{name}:{number}: không phải JSON / not JSON") from None
            if not isinstance(value, str):
                raise ValueError(f"{name}:{number}: cần một chuỗi JSON / a JSON string expected")
            yield value
