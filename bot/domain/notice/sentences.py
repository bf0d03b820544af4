"""Sentences and their tokens: where a paragraph splits, and where an agency list stops.

`Sentence.of` tokenises in the mode the sentence's own spelling calls for (accent-free when
it has no diacritics at all), keeping each token's offsets in the original text so a span of
tokens can be cut back out with its capitals and diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.agency_names import starts_new_agency
from bot.domain.notice.vocabulary import ABBREV_BEFORE_DOT, VOCABS, Vocab
from bot.domain.text import fold, lower_aligned, match_form

_WORD = re.compile(r"\w+|[^\w\s]")


_HAS_DIACRITICS = re.compile(r"[à-ỹÀ-Ỹđ]")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # lower case, diacritics kept unless the sentence has none at all
    start: int
    end: int
    lower: bool  # the original is lower case (a verb inside a sentence, not a Name)


_MEMBER_KIND = re.compile(
    r"\bcac (?:huyen|thi xa|thanh pho|quan|xa|phuong|dac khu|thi tran|tinh|so|bo|ban|nganh"
    r"|don vi|co quan)\s*$"
)
_UNIT_MEMBERS = re.compile(
    r"\bcac (?:huyen|thi xa|thanh pho|quan|xa|phuong|dac khu|thi tran|tinh)\s*$"
)
# The issuer's introduction a directive follows on the same line ("… như sau: Giao …").
_INTRO_END = re.compile(
    r"(?:nhu sau|y kien(?: chi dao)?|ket luan|chi dao|yeu cau|chi thi|de nghi|giao)\s*$"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence tokenised in the matching mode its own spelling calls for."""

    text: str
    tokens: list[Token]
    vocab: Vocab

    @classmethod
    def of(cls, text: str) -> Sentence:
        accentless = not _HAS_DIACRITICS.search(text)
        form = match_form(text, accentless=accentless)
        tokens = [
            Token(m.group(), m.start(), m.end(), text[m.start() : m.start() + 1].islower())
            for m in _WORD.finditer(form)
        ]
        return cls(text, tokens, VOCABS[accentless])

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
                if self._part_of_name(i, phrase):
                    return 0
                return len(phrase)
        return 0

    def _part_of_name(self, i: int, phrase: tuple[str, ...]) -> bool:
        """Whether the words before token ``i`` make its verb part of a name: "Ban *chỉ
        đạo*", "các *tổ chức*", "dự án đầu tư *xây dựng*" (that phrase in lower case)."""
        prev = self.tokens[i - 1].text if i else ""
        if prev in self.vocab.except_after.get(phrase, frozenset()):
            return True
        after = i + len(phrase)
        if after < len(self.tokens) and self.tokens[after].text in self.vocab.except_before.get(
            phrase, frozenset()
        ):
            return True
        for before in self.vocab.except_after_phrases.get(phrase, ()):
            run = self.tokens[max(0, i - len(before)) : i]
            if len(run) == len(before) and all(
                t.text == w and t.lower for t, w in zip(run, before, strict=True)
            ):
                return True
        return False

    def find_stop(self, start: int, *, extra: frozenset[str] = frozenset()) -> int:
        """First token ending an agency list: a verb, ':', '(', '.', ';' or a word of ``extra``.

        A colon right after "các huyện" (or "các Bộ", "các đặc khu") opens a member list and
        does not stop it.
        """
        tokens = self.tokens
        for i in range(start, len(tokens)):
            tok = tokens[i]
            if (
                tok.text == ":"
                and i >= 2
                and _MEMBER_KIND.search(fold(self.text[tokens[max(0, i - 3)].start : tok.start]))
            ):
                continue
            if tok.text in (":", "(", ".", ";", "?", "!") or self.stopper_at(i):
                return i
            if tok.lower and tok.text in extra:
                return i
        return len(tokens)

    def unit_members_end(self, start: int) -> int | None:
        """Where a list of places ends ("các huyện: Gò Công Đông, Chợ Gạo tích trữ …"): at the
        first word in lower case after the colon, the places being proper names. None when no
        such list opens within the next tokens."""
        tokens = self.tokens
        colon = next(
            (
                i
                for i in range(start, min(len(tokens), start + 12))
                if tokens[i].text == ":"
                and _UNIT_MEMBERS.search(
                    fold(self.text[tokens[max(0, i - 3)].start : tokens[i].start])
                )
            ),
            None,
        )
        if colon is None:
            return None
        for j in range(colon + 1, min(len(tokens), colon + 80)):
            tok = tokens[j]
            attached = tok.start == tokens[j - 1].end and tokens[j - 1].text != ","
            if tok.lower and tok.text not in ("và", "va") and not attached:
                return j
        return None

    def span(self, first: int, stop: int) -> str:
        return self.text[self.tokens[first].start : self.tokens[stop - 1].end]


def split_sentences(text: str) -> list[str]:
    """Sentences on ". X" (not after "TP." and friends), "; Sở ..." (a new subject) and after
    the issuer's introduction on the same line ("… có ý kiến chỉ đạo như sau: Giao …")."""
    out: list[str] = []
    last = 0
    for match in re.finditer(r"([.!?…;:])\s+(?=\S)", text):
        nxt = text[match.end() : match.end() + 80]
        if not nxt[:1].isupper() and not nxt.startswith(("“", '"', "(")):
            continue
        if match.group(1) == ";" and not starts_new_agency(nxt):
            continue
        if match.group(1) == ":" and not _INTRO_END.search(
            fold(text[max(last, match.start() - 40) : match.start()])
        ):
            continue
        before = text[max(last, match.start() - 12) : match.start()].split()
        if match.group(1) == "." and before and lower_aligned(before[-1]) in ABBREV_BEFORE_DOT:
            continue
        out.append(text[last : match.end()].strip())
        last = match.end()
    tail = text[last:].strip()
    if tail:
        out.append(tail)
    return out
