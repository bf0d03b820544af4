"""A chat as a phone shows it: the emulator's messages (text, entities, inline keyboard)
turned into one HTML page styled like Telegram's Android app, 360 px wide."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

WIDTH = 360

CSS = """
* { box-sizing: border-box; }
html { background: #93b78c; }
body { margin: 0; width: 360px; min-height: 100vh; font-family: 'Roboto', 'Noto Sans', 'DejaVu Sans', sans-serif;
  font-size: 15px; line-height: 1.35; background: #99ba92;
  background-image: linear-gradient(160deg, #a7c59a 0%, #8fb38a 100%); }
.bar { background: #517da2; color: #fff; padding: 10px 14px; display: flex; gap: 12px;
  align-items: center; }
.avatar { width: 36px; height: 36px; border-radius: 50%; background: #7fb2e0; color: #fff;
  display: flex; align-items: center; justify-content: center; font-weight: bold; }
.title { font-weight: 600; font-size: 16px; } .sub { font-size: 13px; opacity: .8; }
.chat { padding: 8px 8px 12px; }
.msg { margin: 6px 0; max-width: 316px; }
.bubble { background: #fff; border-radius: 12px 12px 12px 4px; padding: 6px 9px 16px;
  position: relative; white-space: pre-wrap; word-wrap: break-word;
  box-shadow: 0 1px 1px rgba(0,0,0,.15); }
.user { margin-left: auto; } .user .bubble { background: #effdde;
  border-radius: 12px 12px 4px 12px; }
.name { color: #3a8dc5; font-weight: 600; font-size: 13px; }
.time { position: absolute; right: 8px; bottom: 3px; font-size: 11px; color: #8aa0b0; }
.quote { border-left: 2px solid #3a8dc5; padding-left: 6px; margin-bottom: 4px;
  font-size: 13px; color: #555; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.keyboard { display: flex; flex-direction: column; gap: 3px; margin-top: 3px; }
.row { display: flex; gap: 3px; }
.key { flex: 1; background: rgba(60, 95, 70, .55); color: #fff; border-radius: 8px;
  padding: 8px 4px; text-align: center; font-size: 13.5px; font-weight: 500;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 13px; color: #a03060; }
a { color: #2a7bbf; text-decoration: none; }
.file { display: flex; gap: 8px; align-items: center; }
.file .icon { width: 40px; height: 40px; border-radius: 50%; background: #5ea9dd; color: #fff;
  display: flex; align-items: center; justify-content: center; }
"""

_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "code": ("<code>", "</code>"),
    "pre": ("<code>", "</code>"),
    "bot_command": ('<a href="#">', "</a>"),
    "url": ('<a href="#">', "</a>"),
    "mention": ('<a href="#">', "</a>"),
}


def rich_text(text: str, entities: Sequence[dict[str, Any]]) -> str:
    """Plain text and its entities (UTF-16 offsets, as Telegram gives them) as HTML."""
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for entity in entities:
        kind = entity.get("type", "")
        tag = ('<a href="#">', "</a>") if kind == "text_link" else _TAGS.get(kind)
        if tag is None:
            continue
        start, end = entity["offset"], entity["offset"] + entity["length"]
        opens.setdefault(start, []).append(tag[0])
        closes.setdefault(end, []).insert(0, tag[1])
    out: list[str] = []
    offset = 0
    for char in text:
        out += closes.get(offset, []) + opens.get(offset, [])
        out.append(html.escape(char, quote=False))
        offset += len(char.encode("utf-16-le")) // 2
    out += closes.get(offset, [])
    return "".join(out)


def message_html(message: dict[str, Any], *, bot_id: int, chat_title: str) -> str:
    """One message: its bubble (quote, name, text or file, time) and its inline keyboard."""
    from_bot = message.get("from", {}).get("id") == bot_id
    name = html.escape(message.get("from", {}).get("first_name", ""))
    text = message.get("text") or message.get("caption") or ""
    entities = message.get("entities") or message.get("caption_entities") or []
    body = rich_text(text, entities)
    if "document" in message:
        filename = html.escape(message["document"].get("file_name", "tệp"))
        body = f'<div class="file"><div class="icon">📄</div><div>{filename}</div></div>{body}'
    if "photo" in message:
        body = f'<div class="file"><div class="icon">🖼</div><div>Ảnh</div></div>{body}'
    quote = ""
    replied = message.get("reply_to_message")
    if replied:
        quoted = (replied.get("text") or replied.get("caption") or "").split("\n")[0]
        quote = f'<div class="quote">{html.escape(quoted)}</div>'
    moment = message.get("date", 0)
    stamp = f"{(moment // 3600 + 7) % 24:02d}:{moment // 60 % 60:02d}"
    who = "" if from_bot or not name else f'<div class="name">{name}</div>'
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    keyboard = ""
    if rows:
        keyboard = (
            '<div class="keyboard">'
            + "".join(
                '<div class="row">'
                + "".join(f'<div class="key">{html.escape(b.get("text", ""))}</div>' for b in row)
                + "</div>"
                for row in rows
            )
            + "</div>"
        )
    css = "msg" if from_bot else "msg user"
    return (
        f'<div class="{css}"><div class="bubble">{quote}{who}{body}'
        f'<span class="time">{stamp}</span></div>{keyboard}</div>'
    )


def page(title: str, subtitle: str, messages: Sequence[str]) -> str:
    initial = html.escape(title[:1])
    return (
        "<!doctype html><html lang=vi><head><meta charset=utf-8>"
        f"<meta name=viewport content='width={WIDTH}'><style>{CSS}</style></head><body>"
        f'<div class="bar"><div class="avatar">{initial}</div><div><div class="title">'
        f'{html.escape(title)}</div><div class="sub">{html.escape(subtitle)}</div></div></div>'
        f'<div class="chat">{"".join(messages)}</div></body></html>'
    )
