"""Wildcards and prefixes: the words they stand for, and never too many of them.

A pattern (`m?rs`, `volatil*`, `*lunar`) means words as a person writes them. Whoosh matches it
against the index's terms, which are stems ("mars" is indexed as "mar", so `m?rs` found nothing),
and expands it over every term of every text field, however many: `*a*` took half a minute and
`?*` most of a gigabyte on an archive of 300 documents. Here a pattern on a text field is
matched against the archive's words as written (the `spelling` field's lexicon, and the field's
own terms), and becomes the Or of those words' terms. A pattern that matches more than
MAX_WORDS words is an error that asks for a narrower one; a lone `*` is every document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh import query as q
from whoosh.reading import IndexReader

from isecg_archive.engine.analysis import stem
from isecg_archive.engine.query import TEXT_FIELDS
from isecg_archive.errors import QueryError

MAX_WORDS = 1000  # words one pattern may stand for
_UNSTEMMED = "author"  # the text field indexed as written


def expand_patterns(query: q.Query, reader: IndexReader) -> q.Query:
    """The query with each wildcard and prefix on a text field replaced by the terms it matches."""
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
        return expand_patterns(part, reader)

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
    regex = re.compile(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."))
    found = 0
    for term in reader.expand_prefix(fieldname, prefix):
        word = term.decode("utf-8") if isinstance(term, bytes) else term
        if regex.fullmatch(word):
            found += 1
            if found > MAX_WORDS:
                raise QueryError(
                    f"the pattern {pattern!r} matches more than {MAX_WORDS:,} words; put more"
                    " letters in it (as in volatil* or m?rs)"
                )
            yield word
