"""How text becomes index terms: Whoosh's StemmingAnalyzer, done in one pass of plain Python.

The content field's analyzer is Whoosh's RegexTokenizer, LowercaseFilter, StopFilter and
StemFilter. Its token pipeline costs several microseconds a word, which made analysis a third of
indexing time; `positions()` gives the same terms at the same positions for a fraction of that.
The analyzer itself still parses queries. A test checks that both give the same postings.

Words are stemmed by the Snowball project's English stemmer (Porter2), the one tantivy, Xapian
and Elasticsearch's "english" analyzers use, through the project's own Python binding
(PyStemmer, its C code). Whoosh's Porter stemmer leaves a doubled consonant ("planned" is
"plann", "transmitting" "transmitt"), and its Porter2 lags Snowball's ("added" becomes "ad").
"""

from __future__ import annotations

import operator
import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import Stemmer
from whoosh.analysis import (
    STOP_WORDS,
    Analyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)

# A word: Whoosh's default (letters and digits, dots inside: U.S.), and words people write with
# punctuation inside: R&D and AT&T (an ampersand between letters), C++ (two pluses at the end),
# and a one-character piece joined by a hyphen (3-D, e-mail, X-ray), which is indexed with the
# hyphen left out ("3d", "email") and as its pieces, as before ("mail", "ray"): a reader who
# writes "X ray" or "T cells" finds the hyphenated form still. Other hyphens part words as
# before ("in-situ": in, situ).
TOKEN = r"(?:(?<![\w-])\w-(?=\w))?\w+(?:[.&]?\w+|-\w\b)*(?:\+\+(?![\w+]))?"
_WORD = re.compile(TOKEN)
_MIN_SIZE = 2  # StopFilter's default: shorter words are dropped
_ENGLISH = Stemmer.Stemmer("english")
_STEMMING = threading.Lock()  # a Stemmer object is not safe to share between threads


def forms(token: str) -> list[str]:
    """What a token is indexed as, in order: itself, or a hyphen-joined word ("X-ray") joined
    ("Xray"), then its pieces ("X", "ray"; those too short are dropped later)."""
    if "-" not in token:
        return [token]
    return [token.replace("-", ""), *token.split("-")]


class JoinedWords(Filter):
    """A hyphen-joined word (3-D, X-ray) as its forms(), one token after another."""

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            if "-" not in token.text:
                yield token
                continue
            for form in forms(token.text):
                token.text = form
                yield token


def analyzer() -> Analyzer:
    """Whoosh's StemmingAnalyzer with this archive's words (TOKEN) and stemmer: what parses a
    query; `positions()` gives the same terms for a text, faster."""
    chain: Analyzer = (
        RegexTokenizer(TOKEN)
        | JoinedWords()
        | LowercaseFilter()
        | StopFilter()
        | StemFilter(stemfn=stem)
    )
    return chain


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of a word in lower case: "volatiles" and "volatile" are both "volatil"."""
    with _STEMMING:
        result: str = _ENGLISH.stemWord(word)
    return result


@lru_cache(maxsize=256)
def _starting(start: str) -> re.Pattern[str]:
    # The pattern opens with the start itself, which the regex engine looks for quickly, then
    # looks back over it to check that a word begins there as the tokenizer begins one: at a
    # word character that follows neither a word character nor a word character and a dot.
    begins = rf"(?<=(?<!\w)(?<!\w\.).{{{len(start)}}})"
    return re.compile(rf"{re.escape(start)}{begins}\w*(?:\.?\w+)*")


def terms_starting(text: str, starts: frozenset[str]) -> Iterator[tuple[re.Match[str], str]]:
    """The terms of the text's words whose lower-case form starts with one of `starts`: each
    word's match and each term it is indexed as (stop words and one-letter words are left
    out, as the analyzer leaves them out), looked up in the cache the indexing fills.

    The regex engine looks for each start in the lower-cased text and skips the other words,
    which makes finding a few terms in a page several times cheaper than looking at every word.
    """
    lowered = text.lower()
    plain = all(start.isalnum() for start in starts)  # "r&" (R&D) would find "R& " as a word
    if plain and len(lowered) == len(text) and not _has_joined(text):
        matches = [m for start in starts for m in _starting(start).finditer(lowered)]
        if len(starts) > 1:
            matches.sort(key=_START)
    else:  # a start with punctuation, lower case moves the offsets (İ becomes two characters),
        # or a word is joined with punctuation (3-D is "3d"): every word, then
        prefixes = tuple(starts)
        matches = [
            m
            for m in _WORD.finditer(text)
            if any(form.lower().startswith(prefixes) for form in forms(m.group()))
        ]
    for match in matches:
        for _, term in _analysed(text[match.start() : match.end()]):
            yield match, term


_START = operator.methodcaller("start")
# Where TOKEN makes a word with punctuation inside: a one-character piece joined by a hyphen
# (X-ray, 3-D), an ampersand between letters, two pluses. Other hyphens part words as a plain
# word pattern does ("near-Earth"), and are no reason to look at every word. Each pattern opens
# with its punctuation mark, which the regex engine looks for as quickly as str.find() does,
# and looks back from it: one pattern opening with any of the three marks was 2.5 times as slow.
_JOINED = (
    re.compile(r"-(?:(?<=(?<![\w-])\w-)\w|(?<=\w-)\w\b)"),
    re.compile(r"&(?<=\w&)\w"),
    re.compile(r"\+\+"),
)


def _has_joined(text: str) -> bool:
    return any(pattern.search(text) for pattern in _JOINED)


def is_indexed(word: str) -> bool:
    """Whether the analyzer keeps a word (in lower case): not a stop word, not one letter."""
    return len(word) >= _MIN_SIZE and word not in STOP_WORDS


@lru_cache(maxsize=200_000)
def _analysed(token: str) -> tuple[tuple[str, str], ...]:
    """What a token is indexed as: each kept form in lower case, with its stem (none for a stop
    word). Cached: a text's words are mostly words seen before, one look-up each."""
    kept = (form.lower() for form in forms(token))
    return tuple((word, stem(word)) for word in kept if is_indexed(word))


def analyse(text: str) -> tuple[dict[str, list[int]], set[str]]:
    """Each stemmed term of the text with its positions, numbered as the analyzer numbers them;
    and the text's distinct indexed words as written (in lower case, not stemmed).

    The StopFilter renumbers: the first word kept keeps its place among all words, and each
    later word kept takes the next number, so a dropped stop word leaves no gap.
    """
    found: dict[str, list[int]] = {}
    words: set[str] = set()
    position = -1
    for place, token in enumerate(_WORD.findall(text)):
        for word, term in _analysed(token):
            position = place if position < 0 else position + 1
            found.setdefault(term, []).append(position)
            words.add(word)
    return found, words


def positions(text: str) -> dict[str, list[int]]:
    """Each stemmed term of the text with its positions (analyse())."""
    return analyse(text)[0]


def vocabulary(text: str) -> set[str]:
    """The distinct indexed words of the text as written (in lower case, not stemmed)."""
    return {word for token in set(_WORD.findall(text)) for word, _ in _analysed(token)}
