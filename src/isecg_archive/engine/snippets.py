"""Snippets: the passages of the matching pages where the query's words are, page numbers kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from isecg_archive.engine.analysis import terms_starting

WIDTH = 220  # characters of context in one snippet
MAX_SNIPPETS = 3


@dataclass(frozen=True)
class Snippet:
    page: int  # 1-based page (or slide) number
    text: str
    matches: tuple[tuple[int, int], ...]  # [start, end) offsets of the hits inside text

    def to_dict(self) -> dict[str, object]:
        return {"page": self.page, "text": self.text, "matches": [list(m) for m in self.matches]}


def split_at(text: str, matches: Iterable[Sequence[int]]) -> Iterator[tuple[str, bool]]:
    """The text in pieces, each with whether it is a match: for showing hits in any medium."""
    last = 0
    for start, end in matches:
        yield text[last:start], False
        yield text[start:end], True
        last = end
    yield text[last:], False


def spans(text: str, terms: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, indexed word) of every word of the text that is one of the terms."""
    found = []
    for match, term in terms_starting(text, _starts(terms)):
        if term in terms:
            found.append((match.start(), match.end(), term))
    return found


# Stemming (Porter2) rewrites at most the last two letters of what it keeps of a word ("dying"
# becomes "die", "ugly" "ugli"), so a word can only stem to a term that starts as the term
# does but for its last two letters: the words that do not are not worth stemming. The start
# is two letters at least; four words ending in "ying" ("dying", "lying") are the exceptions.
CHANGED_AT_END = 2


def _starts(terms: frozenset[str]) -> frozenset[str]:
    """The beginnings a word must have to stem to one of the terms; none the start of another,
    so that no word is found twice."""
    starts = sorted({term[: max(2, len(term) - CHANGED_AT_END)] for term in terms})
    kept: list[str] = []
    for start in starts:  # in order, a start comes just before the starts it begins
        if not kept or not start.startswith(kept[-1]):
            kept.append(start)
    return frozenset(kept)


def _phrase_hits(spans: list[tuple[int, int, str]], phrases: Sequence[tuple[str, ...]]) -> int:
    words = [term for _, _, term in spans]
    return sum(
        1
        for phrase in phrases
        for i in range(len(words) - len(phrase) + 1)
        if tuple(words[i : i + len(phrase)]) == phrase
    )


def make_snippets(
    pages: Sequence[str],
    terms: frozenset[str],
    phrases: Sequence[tuple[str, ...]] = (),
    limit: int = MAX_SNIPPETS,
    leave_out: Callable[[str], bool] | None = None,
) -> tuple[Snippet, ...]:
    """Up to `limit` snippets from the best pages: phrases first, then most distinct words.

    leave_out: lines no snippet shows (a site's boilerplate); only lines near a hit are asked.
    """
    if not terms:
        return ()
    ranked = []
    for number, text in enumerate(pages, start=1):
        found = spans(text, terms)
        if found and leave_out is not None:
            kept = _without(text, found, leave_out)
            if kept != text:
                text, found = kept, spans(kept, terms)
        if found:
            distinct = len({term for _, _, term in found})
            score = (_phrase_hits(found, phrases), distinct, len(found))
            ranked.append((score, -number, number, text, found))
    ranked.sort(reverse=True)
    return tuple(_window(number, text, spans) for _, _, number, text, spans in ranked[:limit])


def _without(text: str, found: list[tuple[int, int, str]], leave_out: Callable[[str], bool]) -> str:
    """The text without the lines to leave out, of those within a snippet's width of a hit."""
    kept, start, dropped = [], 0, False
    for line in text.split("\n"):
        end = start + len(line)
        near = any(hit - WIDTH < end and start < stop + WIDTH for hit, stop, _ in found)
        if near and line.strip() and leave_out(line):
            dropped = True
        else:
            kept.append(line)
        start = end + 1
    return "\n".join(kept).strip() if dropped else text


def window_start(spans: list[tuple[int, int, str]]) -> int:
    """Where the window of WIDTH characters that holds the most distinct hit words, then the
    most hits, starts: at a hit (the first such), its hits those that end within it.

    The spans are in the text's order and do not overlap, so the window's hits are the spans
    from its first up to the first that ends past it: as the window moves from one hit to the
    next, hits join at its end and leave at its start (counting the hits inside again for
    each start took 5 ms a page on a word a page has dozens of times).
    """
    best, best_score = spans[0][0], (0, 0)
    inside: dict[str, int] = {}  # the hits in the window, by term
    end = 0  # the first span past the window
    for first, (start, _, term) in enumerate(spans):
        end = max(end, first)
        while end < len(spans) and spans[end][1] <= start + WIDTH:
            inside[spans[end][2]] = inside.get(spans[end][2], 0) + 1
            end += 1
        score = (len(inside), end - first)
        if score > best_score:
            best, best_score = start, score
        if end > first:  # the hit was in the window: it leaves it
            inside[term] -= 1
            if not inside[term]:
                del inside[term]
    return best


def _window(number: int, text: str, spans: list[tuple[int, int, str]]) -> Snippet:
    best_start = window_start(spans)
    begin = max(0, best_start - WIDTH // 4)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < best_start else begin
    end = min(len(text), begin + WIDTH)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > best_start else end
    prefix = "…" if begin else ""
    suffix = "…" if end < len(text) and text[end - 1] not in ".!?" else ""
    shift = len(prefix) - begin
    matches = tuple(
        (start + shift, stop + shift) for start, stop, _ in spans if start >= begin and stop <= end
    )
    body = text[begin:end].replace("\n", " ")
    return Snippet(number, prefix + body + suffix, matches)
