"""A term's postings in one segment, a block at a time.

Whoosh's block reader (whoosh.codec.whoosh3.W3LeafMatcher) decodes a block of postings into
arrays but hands them out one Python call at a time; reading the arrays themselves is several
times faster when every posting is wanted (scoring all matches, building facet bitsets). This
module is the one place that reaches into the block reader.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import W3TermsReader
from whoosh.matching import NullMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, TermNotFound

from isecg_archive.engine.codec import LeafMatcher, position_deltas


@dataclass(frozen=True)
class Block:
    docnums: Sequence[int]
    weights: Sequence[float]  # empty unless asked for
    positions: Sequence[list[int]]  # each posting's position differences; empty unless asked


class Postings:
    def __init__(self, matcher: Any, deleted: frozenset[int] | set[int]) -> None:
        self._matcher = matcher
        self.deleted = deleted  # the segment's deleted documents, which the blocks still hold

    @property
    def empty(self) -> bool:
        """No postings (left): the segment lacks the term."""
        return not self._matcher.is_active()

    def blocks(self, weights: bool = True, positions: bool = False) -> Iterator[Block]:
        """Each block's document numbers, and its weights and positions if asked for (the
        field's format is Positions)."""
        matcher = self._matcher
        while matcher.is_active():
            _read_ids(matcher)
            if weights:
                matcher._read_weights()
            yield Block(
                matcher._ids,
                matcher._weights if weights else (),
                _read_positions(matcher) if positions else (),
            )
            matcher._next_block()


def _read_positions(matcher: Any) -> list[list[int]]:
    """The block's position differences: through engine.codec's reader, or from the values
    of Whoosh's (a segment of its stock writer)."""
    if isinstance(matcher, LeafMatcher):
        return matcher.read_positions()
    matcher._read_values()
    return position_deltas(matcher._values)


def _read_ids(matcher: Any) -> None:
    """The block's document numbers, as W3LeafMatcher._read_ids() reads them, but summing the
    stored differences in C (itertools.accumulate) rather than in a Python generator."""
    if matcher._data is None:
        matcher._read_data()
    ids = matcher._data[0]
    matcher._ids = ids if matcher._byteids else list(accumulate(ids))


NOT_READ = object()  # a term's entry not looked up (yet), or not readable here


def term_info(segment: IndexReader, fieldname: str, text: bytes) -> Any:
    """The term's entry in this segment's term table (its statistics and where its postings
    are), None if the segment lacks it, or NOT_READ if the segment cannot say (another codec).

    A search looks each term up once per segment and gives the entry to postings(): a look-up
    in the term table was most of what each segment added to a search's time.
    """
    terms = getattr(segment, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        return NOT_READ
    try:
        return terms.term_info(fieldname, text)
    except TermNotFound:
        return None


def postings(
    segment: IndexReader, fieldname: str, text: bytes, info: Any = NOT_READ
) -> Postings | None:
    """The term's postings in this segment's reader (none, if the segment lacks the term: one
    look-up, where asking first took two); None if they cannot be read by blocks.

    info: the term's entry, if term_info() looked it up already.
    """
    if info is None:
        return Postings(NullMatcher, frozenset())
    matcher: Any
    if info is NOT_READ:
        try:
            matcher = segment.postings(fieldname, text)
        except TermNotFound:
            return Postings(NullMatcher, frozenset())
        deleted: frozenset[int] | set[int] = frozenset()
        if isinstance(matcher, FilterMatcher):  # how Whoosh leaves out deleted documents
            matcher, deleted = matcher.child, segment.deleted_docs_set
    else:
        leaf: Any = segment  # a SegmentReader, as term_info() found
        format_ = leaf.schema[fieldname].format
        matcher = leaf._terms._codec.postings_reader(leaf._terms._postfile, info, format_)
        deleted = leaf.deleted_docs_set
    if not hasattr(matcher, "_read_weights"):
        return None
    return Postings(matcher, deleted)
