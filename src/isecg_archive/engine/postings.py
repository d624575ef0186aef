"""A term's postings in one segment, a block at a time.

Whoosh's block reader (whoosh.codec.whoosh3.W3LeafMatcher) decodes a block of postings into
arrays but hands them out one Python call at a time; reading the arrays themselves is several
times faster when every posting is wanted (scoring all matches, building facet bitsets). The
blocks this index writes (engine.codec) are read from their bytes: the term's postings in one
slice of the segment's file, each block's header, head and values found in it, where Whoosh's
reader seeks and reads the file for each. Setting up Whoosh's reader for a term and walking
its blocks was most of what each segment added to a search beyond its term look-ups.
Segments of another codec are read through Whoosh's reader. This module is the one place that
reaches into it.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import W3TermsReader
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, TermNotFound

from isecg_archive.engine import codec
from isecg_archive.engine.codec import LeafMatcher, position_deltas


@dataclass(frozen=True)
class Block:
    docnums: Sequence[int]
    weights: Sequence[float]  # empty unless asked for
    positions: Sequence[list[int]]  # each posting's position differences; empty unless asked


class Postings:
    """A term's postings in one segment (none: the segment lacks the term)."""

    empty = True

    def __init__(self, deleted: frozenset[int] | set[int] = frozenset()) -> None:
        self.deleted = deleted  # the segment's deleted documents, which the blocks still hold

    def blocks(self, weights: bool = True, positions: bool = False) -> Iterator[Block]:
        """Each block's document numbers, and its weights and positions if asked for (the
        field's format is Positions)."""
        return iter(())


class _Stored(Postings):
    """Postings as engine.codec writes them, read from their bytes."""

    empty = False

    def __init__(self, raw: bytes, deleted: frozenset[int] | set[int]) -> None:
        super().__init__(deleted)
        self._raw = raw  # the term's postings, from the header's magic on

    def blocks(self, weights: bool = True, positions: bool = False) -> Iterator[Block]:
        raw = self._raw
        for header, head, values, end in codec.stored_blocks(raw):
            count, compression = header[0], header[3]
            data = pickle.loads(codec.decompress(head, compression))
            found: Any = ()
            if positions and len(data) == 3:  # the values in the head
                found = position_deltas(data[2])
            elif positions:
                tail = codec.decompress(raw[values:end], compression)
                found = position_deltas(pickle.loads(tail))
            yield Block(
                list(accumulate(data[0])),
                codec.weights_of(data[1], count) if weights else (),
                found,
            )


class _Inlined(Postings):
    """A term of one posting, which Whoosh keeps in the term's entry."""

    empty = False

    def __init__(self, postings: tuple[Any, Any, Any], deleted: frozenset[int] | set[int]):
        super().__init__(deleted)
        self._postings = postings

    def blocks(self, weights: bool = True, positions: bool = False) -> Iterator[Block]:
        ids, found, values = self._postings
        yield Block(ids, found if weights else (), position_deltas(values) if positions else ())


class _Matched(Postings):
    """Postings read through Whoosh's block reader (a segment of another codec)."""

    def __init__(self, matcher: Any, deleted: frozenset[int] | set[int]) -> None:
        super().__init__(deleted)
        self._matcher = matcher

    @property
    def empty(self) -> bool:  # type: ignore[override]
        return not self._matcher.is_active()

    def blocks(self, weights: bool = True, positions: bool = False) -> Iterator[Block]:
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
    if info is NOT_READ:
        info = term_info(segment, fieldname, text)
    if info is None:
        return Postings()
    if info is NOT_READ:
        return _through_whoosh(segment, fieldname, text)
    leaf: Any = segment  # a SegmentReader, as term_info() found
    if info.is_inlined():
        return _Inlined(info.inlined_postings(), leaf.deleted_docs_set)
    terms = leaf._terms
    if not codec.is_ours(terms._codec):
        format_ = leaf.schema[fieldname].format
        matcher = terms._codec.postings_reader(terms._postfile, info, format_)
        if not hasattr(matcher, "_read_weights"):
            return None
        return _Matched(matcher, leaf.deleted_docs_set)
    return _Stored(terms._postfile.get(*codec.extent(info)), leaf.deleted_docs_set)


def _through_whoosh(segment: IndexReader, fieldname: str, text: bytes) -> Postings | None:
    """The term's postings through Whoosh's own reader, from a reader of another kind."""
    try:
        matcher = segment.postings(fieldname, text)
    except TermNotFound:
        return Postings()
    deleted: frozenset[int] | set[int] = frozenset()
    if isinstance(matcher, FilterMatcher):  # how Whoosh leaves out deleted documents
        matcher, deleted = matcher.child, segment.deleted_docs_set
    if not hasattr(matcher, "_read_weights"):
        return None
    return _Matched(matcher, deleted)
