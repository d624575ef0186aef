"""Finding the vocabulary's phrases in a text in one pass over its words.

A regular expression per agency or topic would read each text dozens of times; instead every
phrase of the vocabulary goes into one table keyed by its first word, and a text's words are
looked up once. The matching rules: whole words only (words joined by a hyphen are one word,
so "ESA-led" is not "ESA"); a phrase written in capitals (an acronym) matches only in
capitals; a phrase that starts with a capital needs that capital ("a gateway" is not the
Gateway); anything else matches in any case. Phrases in scripts written without spaces between
words (Chinese, Japanese, Korean) are found anywhere in the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from typing import Any

# Words (a hyphen between letters joins them into one: "ESA-led" is not "ESA"), and single
# punctuation marks.
_TOKEN = re.compile(r"\w+(?:-\w+)*|[^\w\s]")
SEPARATORS = frozenset({",", ";", "/", "&", "·", "and"})  # between names in a list


def _spaced(char: str) -> bool:
    return not ("\u2e80" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af")


def _is_acronym(phrase: str) -> bool:
    letters = [ch for ch in phrase if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters) and len(phrase) <= 8


@dataclass(frozen=True)
class Match:
    group: Hashable
    start: int  # index of its first word
    end: int  # index after its last word


@dataclass(frozen=True)
class Scan:
    """The phrases found in one text: matches in order, counts by group, and its words."""

    matches: tuple[Match, ...]
    counts: Counter[Hashable]
    words: tuple[str, ...]  # case-folded


class PhraseIndex:
    def __init__(self, groups: Iterable[tuple[Hashable, Iterable[str]]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, Hashable]]] = {}
        self._unspaced: list[tuple[str, Hashable]] = []
        for group, phrases in groups:
            for phrase in set(phrases):
                if not phrase.strip():
                    continue
                if not (_spaced(phrase[0]) and _spaced(phrase[-1])):
                    self._unspaced.append((phrase, group))
                    continue
                words = tuple(w.casefold() for w in _TOKEN.findall(phrase))
                self._by_first.setdefault(words[0], []).append((words, phrase, group))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda candidate: -len(candidate[0]))  # longest first

    @classmethod
    def of(cls, entries: Iterable[Any], roles: tuple[str, ...]) -> PhraseIndex:
        """An index of each entry's phrase lists, grouped as (entry key, role)."""
        return cls(((entry.key, role), getattr(entry, role)) for entry in entries for role in roles)

    def scan(self, text: str) -> Scan:
        return _scan(self, text)

    def _scan(self, text: str) -> Scan:
        raw, folded = _words(text)
        matches = []
        busy: dict[Hashable, int] = {}  # a group's matches do not overlap, as in a regex
        by_first = self._by_first
        # The places of the words a phrase starts with, found in C: most words start none.
        for i in compress(count(), map(by_first.__contains__, folded)):
            for words, phrase, group in by_first[folded[i]]:
                if i < busy.get(group, 0):
                    continue
                end = i + len(words)
                if folded[i:end] != words:
                    continue
                if _is_acronym(phrase):
                    if raw[i:end] != tuple(_TOKEN.findall(phrase)):
                        continue
                elif phrase[0].isupper() and raw[i][0] != phrase[0]:
                    continue
                matches.append(Match(group, i, end))
                busy[group] = end
        counts: Counter[Hashable] = Counter(m.group for m in matches)
        for phrase, group in self._unspaced:
            counts[group] += text.count(phrase)
        return Scan(tuple(matches), counts, folded)


@lru_cache(maxsize=512)
def _scan(index: PhraseIndex, text: str) -> Scan:
    return index._scan(text)


@lru_cache(maxsize=16)
def _words(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A text's words as written and case-folded. Splitting them was half the cost of a scan,
    and each part of a document (its title, first page, headings, body) is scanned by several
    indexes (agencies, related bodies, topics) one after another: it is split once."""
    raw = tuple(_TOKEN.findall(text))
    return raw, tuple(map(str.casefold, raw))


def listed_beside(scan: Scan, group: Hashable, others: frozenset[Hashable]) -> bool:
    """Whether a match of `group` stands in a list next to a match of one of `others`."""
    ends = {m.end for m in scan.matches if m.group in others}
    starts = {m.start for m in scan.matches if m.group in others}
    for match in scan.matches:
        if match.group != group:
            continue
        before, after = match.start - 1, match.end
        if before >= 0 and scan.words[before] in SEPARATORS and before in ends:
            return True
        if after < len(scan.words) and scan.words[after] in SEPARATORS and after + 1 in starts:
            return True
    return False
