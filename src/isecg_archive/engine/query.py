"""From what a person types to a Whoosh query, with errors that say how to fix the query."""

from __future__ import annotations

from whoosh import query as q
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser

from isecg_archive.errors import QueryError

MAX_QUERY_LENGTH = 1000
TEXT_FIELDS = ("title", "content", "event", "author")
FIELD_ALIASES = {
    "agency": ["agencies"],
    "topic": ["topics"],
    "content": ["text", "body"],
    "author": ["authors"],
}


def parse_query(text: str, schema: Schema) -> q.Query:
    """Parse Whoosh query syntax; the empty query matches every document."""
    text = "".join(ch if ch >= " " else " " for ch in text).strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"the query is {len(text)} characters long; shorten it to at most"
            f" {MAX_QUERY_LENGTH} characters"
        )
    if not text:
        return q.Every()
    parser = MultifieldParser(list(TEXT_FIELDS), schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    try:
        parsed = parser.parse(text)
    except Exception as exc:  # Whoosh's parser raises assorted errors on odd input
        raise QueryError(
            f"cannot understand the query {text!r} ({exc}); check its quotes, parentheses"
            " and field:value pairs"
        ) from None
    if parsed is q.NullQuery:
        raise QueryError(
            f'the query {text!r} has no words to search for; type some words, a "phrase",'
            " or field:value"
        )
    return parsed


def phrases(parsed: q.Query) -> list[tuple[str, ...]]:
    """The word sequences of the query's phrases, as indexed (lower case, stemmed)."""
    found = []
    for leaf in parsed.leaves() if not parsed.is_leaf() else [parsed]:
        if isinstance(leaf, q.Phrase) and leaf.fieldname == "content":
            found.append(tuple(leaf.words))
    return found
