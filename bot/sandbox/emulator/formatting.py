"""Formatted text as Telegram reads it: HTML into plain text and entities (UTF-16 offsets).

dondoc sends HTML only (`Defaults(parse_mode=HTML)`, the text catalogue escapes every value),
so HTML is the one markup parsed here, strictly, in the spirit of tdlib's parse_html: what
Telegram refuses, the emulator refuses with Telegram's words. `parse_mode` "MarkdownV2" or
"Markdown" is answered "400 Bad Request: can't parse entities: ..." (what Telegram answers
for text it cannot parse), so a message that slipped into Markdown fails its test loudly
instead of passing with its asterisks counted as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.sandbox.emulator.wire import ApiError, JSONDict, bad_request


class EntityParseError(ValueError):
    """Raised by the text parsers with Telegram's wording (without the "can't parse" prefix)."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class ParsedText:
    """Text as a phone shows it, plus the MessageEntity dicts Telegram would return."""

    text: str
    entities: list[JSONDict] = field(default_factory=list)


_HTML_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_TAG_NAME_RE = re.compile(r"[A-Za-z0-9-]*")
_ATTR_NAME_RE = re.compile(r"[A-Za-z0-9_-]+")


@dataclass
class _OpenTag:
    name: str
    start: int
    attrs: dict[str, str]
    entity: JSONDict | None


class _HtmlParser:
    """A strict parser in the spirit of tdlib's parse_html: what Telegram rejects, we reject."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.length16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[JSONDict] = []

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode())

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.length16 += utf16_len(chunk)

    def parse(self) -> ParsedText:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "&":
                self._entity()
            elif char == "<":
                self._tag()
            else:
                end = len(src)
                for stop in ("<", "&"):
                    found = src.find(stop, self.pos)
                    if found != -1:
                        end = min(end, found)
                self.emit(src[self.pos : end])
                self.pos = end
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def _entity(self) -> None:
        match = _HTML_ENTITY_RE.match(self.src, self.pos)
        if match is None:
            self.emit("&")
            self.pos += 1
            return
        self.emit(html.unescape(match.group(0)))
        self.pos = match.end()

    def _tag(self) -> None:
        offset = self.byte_offset(self.pos)
        if self.src.startswith("</", self.pos):
            self._end_tag(offset)
        else:
            self._start_tag(offset)

    def _end_tag(self, offset: int) -> None:
        match = _TAG_NAME_RE.match(self.src, self.pos + 2)
        assert match is not None
        name = match.group(0).lower()
        end = self.src.find(">", match.end())
        if end == -1 or self.src[match.end() : end].strip():
            raise EntityParseError(f"Can't find end of end tag at byte offset {offset}")
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
        top = self.stack.pop()
        if top.name != name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        self.pos = end + 1
        if top.entity is not None:
            length = self.length16 - top.start
            if length > 0:
                self.entities.append({**top.entity, "offset": top.start, "length": length})

    def _start_tag(self, offset: int) -> None:
        match = _TAG_NAME_RE.match(self.src, self.pos + 1)
        assert match is not None
        name = match.group(0).lower()
        if name not in _HTML_TAG_ENTITY:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
        self.pos = match.end()
        attrs = self._attributes(name, offset)
        entity = self._entity_for(name, attrs, offset)
        self.stack.append(_OpenTag(name, self.length16, attrs, entity))

    def _attributes(self, tag: str, offset: int) -> dict[str, str]:
        src = self.src
        attrs: dict[str, str] = {}
        while True:
            while self.pos < len(src) and src[self.pos].isspace():
                self.pos += 1
            if self.pos >= len(src):
                raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
            if src[self.pos] == ">":
                self.pos += 1
                return attrs
            match = _ATTR_NAME_RE.match(src, self.pos)
            if match is None:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {offset}'
                )
            key = match.group(0).lower()
            self.pos = match.end()
            attrs[key] = self._attribute_value(tag, offset)

    def _attribute_value(self, tag: str, offset: int) -> str:
        src = self.src
        if self.pos >= len(src) or src[self.pos] != "=":
            return ""
        self.pos += 1
        if self.pos < len(src) and src[self.pos] in "\"'":
            quote = src[self.pos]
            end = src.find(quote, self.pos + 1)
            if end == -1:
                raise EntityParseError(
                    f'Unclosed end of attribute value in the tag "{tag}" at byte offset {offset}'
                )
            raw = src[self.pos + 1 : end]
            self.pos = end + 1
        else:
            start = self.pos
            while self.pos < len(src) and not src[self.pos].isspace() and src[self.pos] != ">":
                self.pos += 1
            raw = src[start : self.pos]
        return _HTML_ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), raw)

    def _entity_for(self, name: str, attrs: dict[str, str], offset: int) -> JSONDict | None:
        kind = _HTML_TAG_ENTITY[name]
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {offset}'
            )
        if name == "a":
            href = attrs.get("href", "")
            user = re.fullmatch(r"tg://user\?id=(\d+)", href)
            if user:
                return {"type": "text_mention", "user": {"id": int(user.group(1))}}
            return {"type": "text_link", "url": href} if href else None
        if name == "blockquote" and "expandable" in attrs:
            return {"type": "expandable_blockquote"}
        if name == "tg-emoji":
            return {"type": "custom_emoji", "custom_emoji_id": attrs.get("emoji-id", "")}
        if name == "code" and self.stack and self.stack[-1].name == "pre":
            language = attrs.get("class", "")
            parent = self.stack[-1].entity
            if language.startswith("language-") and parent is not None:
                parent["language"] = language.removeprefix("language-")
            return None
        return {"type": kind}


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML; raises EntityParseError with Telegram's message on invalid markup."""
    return _HtmlParser(source).parse()


# Telegram's other markups: refused (see the module docstring), with Telegram's envelope.
MARKDOWN_MODES = frozenset({"markdownv2", "markdown"})


def parse_formatted(text: str, parse_mode: str | None) -> ParsedText:
    """Dispatch on parse_mode the way the Bot API does (case-insensitively); HTML only."""
    mode = (parse_mode or "").lower()
    if not mode:
        return ParsedText(text)
    if mode in MARKDOWN_MODES:
        raise bad_request(
            f"can't parse entities: the emulator reads HTML only, not parse_mode {parse_mode}"
        )
    if mode != "html":
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    try:
        return parse_html(text)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None


def trim_parsed(parsed: ParsedText) -> ParsedText:
    """Telegram strips leading/trailing whitespace and shifts the entities with it."""
    text = parsed.text
    left = len(text) - len(text.lstrip())
    stripped = text.strip()
    shift, total = utf16_len(text[:left]), utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, entities)


def plain_text(markup: str, parse_mode: str | None = "HTML") -> str:
    """Render formatted text as a phone shows it; lenient, for assertions on any input."""
    try:
        return trim_parsed(parse_formatted(markup, parse_mode)).text
    except ApiError:
        return html.unescape(re.sub(r"<[^>]*>", "", markup)).strip()


def iter_entities(text: str, entities: Iterable[JSONDict]) -> list[tuple[str, str]]:
    """(type, covered text) pairs, decoding UTF-16 offsets: handy in assertions."""
    encoded = text.encode("utf-16-le")
    return [
        (e["type"], encoded[e["offset"] * 2 : (e["offset"] + e["length"]) * 2].decode("utf-16-le"))
        for e in entities
    ]
