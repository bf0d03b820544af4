"""What the phone does to a reply never changes its reading: invisible characters, NFD or
NFC, upper or lower case, quotes and punctuation around it (Hypothesis, over the corpus)."""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.replies import Entry, load_corpus
from bot.domain.replies import ReplyContext, read_reply

ENTRIES = load_corpus()
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
LEADING = [" ", "\n", '"', "“", "(", "[", "*", "«", "'"]
TRAILING = [" ", "\n", '"', "”", ")", "]", ".", "!", "…", "»", ",", "'", "!!"]


def reading(text: str, context: ReplyContext, *, agency_case: bool = True) -> list[Any]:
    return [
        (
            item.line,
            item.task,
            item.intent,
            item.percent,
            item.until,
            item.obstacle,
            item.cites_document,
            item.agency if agency_case or item.agency is None else item.agency.casefold(),
        )
        for item in read_reply(text, context)
    ]


@st.composite
def with_invisible(draw: st.DrawFn) -> tuple[Entry, str]:
    entry = draw(st.sampled_from(ENTRIES))
    text = entry.text
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(INVISIBLE)) + text[at:]
    return entry, text


@settings(max_examples=400, deadline=None)
@given(with_invisible())
def test_invisible_characters_change_nothing(case: tuple[Entry, str]) -> None:
    entry, text = case
    context = entry.reply_context()
    assert reading(text, context) == reading(entry.text, context)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ENTRIES), st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_unicode_normal_forms_change_nothing(entry: Entry, form: str) -> None:
    context = entry.reply_context()
    text = unicodedata.normalize(form, entry.text)  # type: ignore[arg-type]
    assert reading(text, context) == reading(entry.text, context)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ENTRIES), st.sampled_from([str.upper, str.lower, str.title, str.swapcase]))
def test_case_changes_nothing(entry: Entry, change: Any) -> None:
    """The agency proposed is compared without case: it is quoted as written."""
    context = entry.reply_context()
    assert reading(change(entry.text), context, agency_case=False) == reading(
        entry.text, context, agency_case=False
    )


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(ENTRIES),
    st.lists(st.sampled_from(LEADING), max_size=3),
    st.lists(st.sampled_from(TRAILING), max_size=3),
)
def test_surrounding_punctuation_changes_nothing(
    entry: Entry, before: list[str], after: list[str]
) -> None:
    context = entry.reply_context()
    text = "".join(before) + entry.text + "".join(after)
    assert reading(text, context) == reading(entry.text, context)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(0, 12), st.dates())
def test_any_text_reads_without_raising(text: str, lines: int, today: Any) -> None:
    items = read_reply(text, ReplyContext(today=today, digest_lines=lines))
    assert all(item.line is None or 1 <= item.line <= lines for item in items)
    assert all(item.intent != "done" or item.percent == 100 for item in items)


PHONE = {
    "NFD": lambda text: unicodedata.normalize("NFD", text),
    "upper": str.upper,
    "lower": str.lower,
    "zero-width everywhere": lambda text: "\u200b".join(text),
    "bidi around": lambda text: f"\u202b{text}\u202c",
    "quoted": lambda text: f"«{text}»!!",
    "in brackets": lambda text: f"({text})",
}


def test_every_reply_survives_every_phone_change() -> None:
    """Exhaustive over the corpus, beside the random search above."""
    changed = []
    for entry in ENTRIES:
        context = entry.reply_context()
        expected = reading(entry.text, context, agency_case=False)
        for name, change in PHONE.items():
            if reading(change(entry.text), context, agency_case=False) != expected:
                changed.append(f"{entry.source} ({name}): {entry.text!r}")
    assert changed == []
