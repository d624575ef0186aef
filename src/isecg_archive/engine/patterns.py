"""Wildcards and prefixes: the words they stand for, and never too many of them.

A pattern (`m?rs`, `volatil*`, `*lunar`) means words as a person writes them. Whoosh matches it
against the index's terms, which are stems ("mars" is indexed as "mar", so `m?rs` found nothing),
and expands it over every term of every text field, however many: `*a*` took half a minute and
`?*` most of a gigabyte on an archive of 300 documents. Here a pattern on a text field is
matched against the archive's words as written (the `spelling` field's lexicon, and the field's
own terms), and becomes the Or of those words' terms. A pattern that matches more than
MAX_WORDS words is an error that asks for a narrower one; a lone `*` is every document.

Every query is bounded, so that no request can hold the viewer: at most MAX_PATTERNS patterns
(a pattern costs a walk through a field's words, the dearest part of a search), at most
MAX_TERMS words for all of them together, and no range of words on a text field. A pattern
with fewer than two letters before its first wildcard (`*lunar`, `m?rs`) is matched against
the field's words joined in one text, kept for the reader's life: one regular expression over
the lexicon instead of a Python loop over each word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh import query as q
from whoosh.reading import IndexReader

from isecg_archive.engine.analysis import stem
from isecg_archive.engine.query import TEXT_FIELDS
from isecg_archive.engine.readers import kept_apart
from isecg_archive.errors import QueryError

MAX_WORDS = 1000  # words one pattern may stand for
MAX_PATTERNS = 4  # wildcards and prefixes in one query
MAX_TERMS = 2000  # words all of a query's patterns may stand for together
_SEEK_FROM = 2  # letters before the first wildcard from which the lexicon is sought, not walked
_UNSTEMMED = "author"  # the text field indexed as written


def expand_patterns(query: q.Query, reader: IndexReader) -> q.Query:
    """The query with each wildcard and prefix on a text field replaced by the terms it matches,
    within the budget (MAX_PATTERNS, MAX_TERMS)."""
    check_budget(query)
    expanded = _expand(query, reader)
    if _terms(expanded) - _terms(query) > MAX_TERMS:
        raise QueryError(
            f"the query's patterns stand for more than {MAX_TERMS:,} words together; put more"
            " letters in them, or use fewer"
        )
    return expanded


def _leaves(query: q.Query) -> Iterator[q.Query]:
    return iter([query]) if query.is_leaf() else iter(query.leaves())


def _terms(query: q.Query) -> int:
    return sum(type(leaf) is q.Term for leaf in _leaves(query))


def walks_lexicon(query: q.Query) -> bool:
    """Whether one of the query's patterns is matched by walking every word of a field (it has
    fewer than two letters before its first wildcard): the costliest queries there are."""
    return any(
        _is_pattern(leaf) and len(re.split(r"[*?]", _pattern(leaf), maxsplit=1)[0]) < _SEEK_FROM
        for leaf in _leaves(query)
    )


def check_budget(query: q.Query) -> None:
    """Refuse a query with more than MAX_PATTERNS patterns, or a range of words on a text
    field, before anything is looked up."""
    typed: set[object] = set()
    for leaf in _leaves(query):
        if type(leaf) is q.TermRange and leaf.fieldname in TEXT_FIELDS:
            raise QueryError(
                f"a range of words ({leaf.fieldname}:[{leaf.start} TO {leaf.end}]) is not"
                " searched; use a pattern such as volatil* instead"
            )
        if _is_pattern(leaf):  # one typed pattern is looked for in each text field
            where = (getattr(leaf, "startchar", None), getattr(leaf, "endchar", None))
            typed.add(where if where[0] is not None else _pattern(leaf).lower())
    if len(typed) > MAX_PATTERNS:
        raise QueryError(
            f"the query has {len(typed)} wildcard patterns; use at most {MAX_PATTERNS} (each"
            " walks through the archive's words)"
        )


def _expand(query: q.Query, reader: IndexReader) -> q.Query:
    if _is_pattern(query):
        return _expansion(query, _pattern(query), reader)
    if type(query) is q.Every and query.fieldname in TEXT_FIELDS:
        return q.Every()
    if query.is_leaf():
        return query
    # Whoosh gives an unfielded pattern once per text field, stemmed in all but the author field:
    # that one is the pattern as typed.
    typed = {
        type(part): _pattern(part)
        for part in query.children()
        if _is_pattern(part) and part.fieldname == _UNSTEMMED
    }

    def expanded(part: q.Query) -> q.Query:
        if _is_pattern(part):
            return _expansion(part, typed.get(type(part), _pattern(part)), reader)
        return _expand(part, reader)

    rewritten = query.apply(expanded)
    parts = list(rewritten.children())
    if type(rewritten) is q.Or and parts and all(type(p) is q.Every for p in parts):
        return q.Every()
    return rewritten


def _is_pattern(query: q.Query) -> bool:
    return type(query) in (q.Wildcard, q.Prefix) and query.fieldname in TEXT_FIELDS


def _pattern(query: q.Query) -> str:
    text: str = query.text
    return f"{text}*" if type(query) is q.Prefix else text


def _expansion(part: q.Query, typed: str, reader: IndexReader) -> q.Query:
    """The Or of the field's terms for the words the pattern matches."""
    fieldname = part.fieldname
    if fieldname == _UNSTEMMED:
        terms = set(_matching(reader, fieldname, typed))
    else:
        terms = {stem(word) for word in _matching(reader, "spelling", typed)}
        # Titles and event names may have words the text has not.
        terms.update(_matching(reader, fieldname, _pattern(part)))
    if not terms:
        return q.NullQuery
    return q.Or([q.Term(fieldname, term) for term in sorted(terms)], boost=part.boost)


def _matching(reader: IndexReader, fieldname: str, pattern: str) -> Iterator[str]:
    """The field's terms that match the pattern, at most MAX_WORDS of them."""
    if fieldname not in reader.schema:
        return
    prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
    if len(prefix) >= _SEEK_FROM:
        regex = re.compile(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."))
        words: Iterator[str] = (
            word
            for term in reader.expand_prefix(fieldname, prefix)
            if regex.fullmatch(word := term.decode("utf-8") if isinstance(term, bytes) else term)
        )
    else:
        words = _scan(_lexicon(reader, fieldname), pattern)
    for count, word in enumerate(words, start=1):
        if count > MAX_WORDS:
            raise QueryError(
                f"the pattern {pattern!r} matches more than {MAX_WORDS:,} words; put more"
                " letters in it (as in volatil* or m?rs)"
            )
        yield word


def _scan(lexicon: str, pattern: str) -> Iterator[str]:
    """The lines of the lexicon the pattern matches: found by the pattern's longest run of
    letters (a search in C over the whole text), each line then matched whole."""
    line = re.compile(re.escape(pattern).replace(r"\*", "[^\n]*").replace(r"\?", "[^\n]"))
    literal = max(re.split(r"[*?]", pattern), key=len)
    if len(literal) < 2:  # nothing to look for: every line is a candidate
        for match in re.finditer(f"^{line.pattern}$", lexicon, re.MULTILINE):
            yield match.group()
        return
    at = lexicon.find(literal)
    while at >= 0:
        start = lexicon.rfind("\n", 0, at) + 1
        end = lexicon.find("\n", at)
        end = len(lexicon) if end < 0 else end
        if line.fullmatch(lexicon, start, end):
            yield lexicon[start:end]
        at = lexicon.find(literal, end)


def _lexicon(reader: IndexReader, fieldname: str) -> str:
    """The field's words, one a line: read once for each generation of the index, and kept in
    a file beside it for the next process."""

    def read() -> str:
        return "\n".join(
            term.decode("utf-8") if isinstance(term, bytes) else term
            for term in reader.lexicon(fieldname)
        )

    lexicon: str = kept_apart(reader, f"lexicon-{fieldname}", read)
    return lexicon
