"""Did you mean: the archive's words close to a word typed, found within a bounded cost.

The words as written (the `spelling` field's lexicon) are grouped by first letter and length,
once per generation of the index and kept in a file beside it (`readers.kept_apart`). A word
typed is compared only with the words of its first letter within `maxdist` of its length
(most misspellings keep the first letter), by an edit distance that gives up as soon as it
exceeds the bound. Grouping reads the whole lexicon (2 s at 215,000 words): a server does it
in the background as soon as it opens a new generation. Whoosh's own way, a Levenshtein
automaton run over each segment's term file, read the file thousands of times a word: 2 to 4 s
a query at 10,000 documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress

from whoosh.reading import IndexReader

from isecg_archive.engine.readers import kept_apart

Groups = dict[tuple[str, int], tuple[str, ...]]  # (first letter, length) -> words


def prepare(reader: IndexReader) -> None:
    """Group the words now (a server does it in the background when it opens an index). Only
    to save time: if the index is replaced meanwhile, the next misspelling groups them."""
    with suppress(Exception):
        kept_apart(reader, "spelling", lambda: _groups(reader))


def close_words(reader: IndexReader, word: str, maxdist: int) -> Iterator[str]:
    """The archive's words at most `maxdist` edits from the word, with its first letter."""
    groups: Groups = kept_apart(reader, "spelling", lambda: _groups(reader))
    for length in range(max(1, len(word) - maxdist), len(word) + maxdist + 1):
        for other in groups.get((word[:1], length), ()):
            if other != word and distance(word, other, maxdist) <= maxdist:
                yield other


def _groups(reader: IndexReader) -> Groups:
    groups: dict[tuple[str, int], list[str]] = {}
    for term in reader.lexicon("spelling"):
        word = term.decode("utf-8")
        groups.setdefault((word[:1], len(word)), []).append(word)
    return {key: tuple(words) for key, words in groups.items()}


def distance(a: str, b: str, bound: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from a to b; bound + 1 as soon as
    it is sure to be over the bound."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        # Over the bound for good: this row is, and a swap from the row before it cannot undo.
        if min(current) > bound and min(previous) >= bound:
            return bound + 1
        before, previous = previous, current
    return previous[-1]
