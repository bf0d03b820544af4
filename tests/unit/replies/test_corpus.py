"""The reader held to the hand-labelled corpus of issue 14 (tests/corpus/replies)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bench.replies import CORPUS, INTENTS, KEYS, TARGET, Entry, load_corpus, new_reader, score

ENTRIES = load_corpus()


def test_the_corpus_is_large_and_well_formed() -> None:
    """At least 400 replies; every label follows the README's rules of shape."""
    assert len(ENTRIES) >= 400
    for entry in ENTRIES:
        context = entry.context
        date.fromisoformat(context["today"])
        assert entry.text and entry.items, entry.source
        lines = context.get("digest_lines") or 0
        for item in entry.items:
            assert set(KEYS) <= set(item) <= {*KEYS, "document", "agency"}, entry.source
            assert item["intent"] in INTENTS, entry.source
            if item["intent"] == "done":
                assert item["percent"] == 100, entry.source
            if item["intent"] in ("acknowledge", "note", "reassign", "unclear"):
                assert item["percent"] is None, entry.source
            if item["intent"] != "extension":
                assert item["until"] is None, entry.source
            assert ("agency" in item) == (item["intent"] == "reassign"), entry.source
            assert item["line"] is None or 1 <= item["line"] <= lines, entry.source


def test_every_intent_is_in_the_corpus() -> None:
    labelled = {item["intent"] for entry in ENTRIES for item in entry.items}
    assert labelled == set(INTENTS)


def test_never_a_false_done() -> None:
    """Never words the official did not say: no 'done' where the label is not done."""
    result = score(ENTRIES, new_reader)
    false_done = [m for m in result.misses if "'intent': 'done'" in m.split("got")[-1]]
    assert result.false_done == 0, "\n".join(false_done)


def test_accuracy_meets_the_target() -> None:
    """Line, task, intent, percent, until and obstacle all right, for ≥ 97% of items."""
    result = score(ENTRIES, new_reader)
    assert result.accuracy >= TARGET, "\n".join(result.misses)


def test_documents_and_proposed_agencies() -> None:
    result = score(ENTRIES, new_reader)
    assert result.documents_right / result.documents >= TARGET
    assert result.agencies_right / result.agencies >= TARGET


@pytest.mark.parametrize(
    "name", sorted(path.name for path in CORPUS.glob("*.jsonl")), ids=lambda name: name
)
def test_each_file_is_json_lines(name: str) -> None:
    for raw in (CORPUS / name).read_text(encoding="utf-8").splitlines():
        assert isinstance(json.loads(raw), dict)


def test_the_reader_is_read_only_on_the_entry() -> None:
    """Reading twice gives the same items (no state kept between replies)."""
    entry: Entry = ENTRIES[0]
    assert new_reader(entry) == new_reader(entry)
