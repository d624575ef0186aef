"""Every match of a query with its score, computed a block of postings at a time.

A query's words (`query.Word`) are scored as BM25F (`scoring`), one term however many fields
and spellings it is looked for in. Typed words need not all match (`graded_matches`): a
document that has some of them is a match too, with the sum of its words' scores, and the
documents that have them all are told apart.

Whoosh finds and scores matches one document at a time, through a tree of matchers: several
Python calls per document and query term. A result page needs every match (for the counts)
and every score (for the order), so this module reads each term's postings a block at a time,
scores them in one loop, and combines the parts of the query as dictionaries of document
number -> score: an AND keeps the documents every part has and adds their scores, an OR keeps
those of any part and adds the scores of the parts that have it (as Whoosh does, in another
order: scores are equal to rounding). Parts it does not know (wildcards, ranges, a NOT on its
own...) are matched by Whoosh's own matcher, for that part of the query only.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Set
from dataclasses import dataclass
from functools import reduce
from itertools import accumulate
from operator import and_, mul
from typing import Any

from whoosh import query as q
from whoosh.matching import Matcher
from whoosh.reading import IndexReader
from whoosh.searching import SearchContext, Searcher

from isecg_archive.engine import scoring
from isecg_archive.engine.codec import has_positions
from isecg_archive.engine.postings import NOT_READ, postings, term_info
from isecg_archive.engine.query import Either, SpelledOut, Word
from isecg_archive.engine.readers import field_lengths
from isecg_archive.engine.scoring import BulkScorer

Scores = dict[int, float]  # document number -> score
MAX_WORDS = 64  # a longer query (a pasted abstract) keeps its most telling words


def matches(searcher: Searcher, query: q.Query) -> Scores:
    """Every live document the query matches, by its number in the whole index, with its score."""
    found: Scores = {}
    context = searcher.context()
    for segment, offset in searcher.leaf_searchers():
        found.update(_evaluate(query, segment, context, offset))
    return found


def _every(segment: IndexReader, boost: float, offset: int) -> Scores:
    """Every live document of a segment, numbered from `offset`: its range of numbers less its
    deleted ones, not a generator's step a document as Whoosh's all_doc_ids() goes."""
    found = dict.fromkeys(range(offset, offset + segment.doc_count_all()), boost)
    if segment.has_deletions():  # a SegmentReader, then
        for docnum in segment.deleted_docs_set:
            del found[docnum + offset]
    return found


def graded_matches(searcher: Searcher, query: q.Query) -> tuple[Scores, Set[int]]:
    """Every live document with the query's required parts and any of its typed words, with its
    score, and the set of those that have all the words (question words like "what" aside):
    the scores' own keys when every match has them all, not a copy.

    The query's words are the `Word`s (and acronyms) of its top level, where a person typed
    words without operators; its other parts (phrases, field:value, NOT...) must match.
    """
    parts = query.subqueries if type(query) is q.And else [query]
    words = [part for part in parts if type(part) in (Word, Either, SpelledOut)]
    required = [part for part in parts if type(part) not in (Word, Either, SpelledOut)]
    if not words or (len(words) == 1 and not required):
        every = matches(searcher, query)
        return every, every.keys()
    words = _most_telling(searcher, words)
    needed = _needed(searcher, words)
    context = searcher.context()
    found: Scores = {}
    complete: set[int] = set()
    for segment, offset in searcher.leaf_searchers():
        graded = [_graded(word, segment, context, offset) for word in words]
        scores = _union([scores for scores, _ in graded])
        if required:
            must = _all_of(required, segment, context, offset)
            scores = {n: score + must[n] for n, score in scores.items() if n in must}
        have_all = set(scores)
        for word, (_, matched) in zip(words, graded, strict=True):
            if word in needed:
                have_all &= matched
        found.update(scores)
        complete.update(have_all)
    return found, complete


def _most_telling(searcher: Searcher, words: list[q.Query]) -> list[q.Query]:
    """At most MAX_WORDS of the words: those that count most (often in the query, rare)."""
    if len(words) <= MAX_WORDS:
        return words
    documents = searcher.doc_count()

    def weight(word: q.Query) -> float:
        if type(word) is not Word:
            return math.inf
        frequency = _frequency(searcher, word)
        return word.count * scoring.idf(documents, frequency) if frequency else 0.0

    kept = set(sorted(words, key=weight, reverse=True)[:MAX_WORDS])
    return [word for word in words if word in kept]


COMMON = 0.5  # a word in more than this share of the documents need not be in a match
# Nor need a word whose idf is under this share of the rarest typed word's: in "take Tshombe
# Katanga province", "take" tells little beside the names.
RARER = 0.3


def _needed(searcher: Searcher, words: list[q.Query]) -> list[q.Query]:
    """The words a document must have to have "all the words" (`_telling`, and not much more
    common than the rarest typed word); all of them when none would be left."""
    telling = [word for word in words if _telling(searcher, word)] or words
    documents = searcher.doc_count()
    rarity = {}
    for word in telling:
        if type(word) is Word and (frequency := _frequency(searcher, word)):
            rarity[word] = scoring.idf(documents, frequency)
    if not rarity:
        return telling
    least = RARER * max(rarity.values())
    return [word for word in telling if rarity.get(word, least) >= least]


def _telling(searcher: Searcher, word: q.Query) -> bool:
    """Whether a match must have this word to have "all the words": not a question word, not
    a word most documents have."""
    if type(word) is not Word:
        return True
    if word.filler:
        return False
    documents = searcher.doc_count()
    return _frequency(searcher, word) <= COMMON * documents


def _frequency(searcher: Searcher, word: Word) -> int:
    """How many documents have the word, in the field that has it most."""
    return _word_statistics(word, searcher).frequency


def _graded(
    word: q.Query, searcher: Searcher, context: SearchContext, offset: int
) -> tuple[Scores, set[int]]:
    """A word's scores, and the documents where it counts as found.

    Words that spell out an acronym score as many of them as a document has, or as the acronym
    if that is more; a document has them all if it has every word, or the acronym.
    """
    if type(word) is not SpelledOut:
        scores = _evaluate(word, searcher, context, offset)
        return scores, set(scores)
    spelled, acronym = word.subqueries
    parts = [_evaluate(part, searcher, context, offset) for part in spelled.subqueries]
    short = _evaluate(acronym, searcher, context, offset)
    scores = _union(parts)
    for docnum, score in short.items():
        scores[docnum] = max(score, scores.get(docnum, 0.0))
    return scores, set(_intersection(parts)) | set(short)


def _evaluate(query: q.Query, searcher: Searcher, context: SearchContext, offset: int) -> Scores:
    """The query's matches in one segment, numbered from `offset` (the segment's first number
    in the whole index): a word's scores are numbered so as they are made, where renumbering
    them after took as long as scoring a quarter of them again."""
    kind = type(query)
    if kind is Word:
        return _word(query, searcher, context, offset)
    if kind is Either or kind is SpelledOut:  # scored as their best part
        return _best([_evaluate(part, searcher, context, offset) for part in query.subqueries])
    if kind is q.Term:
        return _numbered(_term(query, searcher, context), offset)
    if kind is q.Phrase and query.slop == 1 and query.fieldname in searcher.schema:
        return _numbered(_phrase(query, searcher, context), offset)
    if kind is q.Every and query.fieldname is None:
        return _every(searcher.reader(), float(query.boost), offset)
    if kind is q.And or (kind is q.Or and not query.scale):
        parts = query.subqueries
        if not parts:
            return {}
        if len(parts) == 1:  # Whoosh leaves out the compound, and its boost, then
            return _evaluate(parts[0], searcher, context, offset)
        if kind is q.And:
            return _boosted(_all_of(parts, searcher, context, offset), query.boost)
        union = _union([_evaluate(part, searcher, context, offset) for part in parts])
        return _boosted(union, query.boost)
    if kind is q.AndNot:  # what `a NOT b` parses to: a's scores, without b's documents
        excluded = _evaluate(query.b, searcher, context, offset)
        scores = _evaluate(query.a, searcher, context, offset)
        return {docnum: score for docnum, score in scores.items() if docnum not in excluded}
    return _numbered(_through_whoosh(query, searcher, context), offset)


def _numbered(scores: Scores, offset: int) -> Scores:
    """A segment's scores numbered from `offset`."""
    if not offset:
        return scores
    return dict(zip(map(offset.__add__, scores), scores.values(), strict=True))


def _all_of(
    parts: list[q.Query], searcher: Searcher, context: SearchContext, offset: int
) -> Scores:
    """An AND: a NOT among its parts takes its documents out and, as in Whoosh, adds 1 to the
    score of the others."""
    negated = [part for part in parts if type(part) is q.Not]
    kept = [part for part in parts if type(part) is not q.Not]
    if not kept:
        negated, kept = [], parts
    scores = _intersection([_evaluate(part, searcher, context, offset) for part in kept])
    for part in negated:
        excluded = _evaluate(part.query, searcher, context, offset)
        scores = {docnum: score + 1.0 for docnum, score in scores.items() if docnum not in excluded}
    return scores


def _boosted(scores: Scores, boost: float) -> Scores:
    """The scores times the query's boost (as Whoosh's wrapping matcher does)."""
    if boost == 1:
        return scores
    return {docnum: score * boost for docnum, score in scores.items()}


def _intersection(parts: list[Scores]) -> Scores:
    parts = sorted(parts, key=len)
    smallest, others = parts[0], parts[1:]
    common: Any = smallest.keys()
    for other in others:
        common = common & other.keys()  # a set operation in C, not a test a document
    if len(others) == 1:
        (other,) = others
        return {docnum: smallest[docnum] + other[docnum] for docnum in common}
    return {docnum: smallest[docnum] + sum(other[docnum] for other in others) for docnum in common}


def _best(parts: list[Scores]) -> Scores:
    """An Or scored as its best part."""
    scores: Scores = {}
    for part in parts:
        for docnum, score in part.items():
            if score > scores.get(docnum, -math.inf):
                scores[docnum] = score
    return scores


def _union(parts: list[Scores]) -> Scores:
    parts = sorted(parts, key=len, reverse=True)
    scores = dict(parts[0])
    for part in parts[1:]:
        for docnum, score in part.items():
            scores[docnum] = scores.get(docnum, 0.0) + score
    return scores


def _term(query: q.Term, searcher: Searcher, context: SearchContext) -> Scores:
    """What Term.matcher() would find, read and scored a block at a time where it can be."""
    if query.fieldname not in searcher.schema or query.minquality:
        return _through_whoosh(query, searcher, context)
    try:
        text = searcher.schema[query.fieldname].to_bytes(query.text)
    except ValueError:
        return {}
    reader = searcher.reader()
    if (query.fieldname, text) not in reader:
        return {}
    found = _read_term(searcher, context, query.fieldname, text)
    if found is None:
        return _through_whoosh(query, searcher, context)
    scorer, weights, _ = found
    return _boosted(scorer.score_block(weights, weights.values()), query.boost)


def _word(word: Word, searcher: Searcher, context: SearchContext, offset: int) -> Scores:
    """A word's BM25F score in each document that has it, in any field, in any spelling,
    numbered from `offset`."""
    reader = searcher.reader()
    statistics = _word_statistics(word, searcher)
    if not statistics.frequency:
        return {}
    entries = statistics.entries.get(reader) or [NOT_READ] * len(statistics.terms)
    tf: dict[int, float] = {}
    # The term in most documents first (the text's, most often): its values are put in whole.
    for (fieldname, text), entry in sorted(
        zip(statistics.terms, entries, strict=True), key=_documents_first
    ):
        found = postings(reader, fieldname, text, entry)
        if found is not None and found.empty:
            continue
        lengths = field_lengths(reader, fieldname)
        if found is None or lengths is None:
            return _numbered(_through_whoosh(q.Or(word.subqueries), searcher, context), offset)
        scale = scoring.weight_per_posting(searcher, fieldname)
        table = scoring.frequency_table(scale, scoring.B, statistics.averages[fieldname])
        first = not tf
        for block in found.blocks():
            # Each posting's weight times what its document's field length makes of it.
            scales = map(table.__getitem__, map(lengths.__getitem__, block.docnums))
            values = map(mul, block.weights, scales)
            if first:  # a term's documents are distinct: no sum to make
                tf.update(zip(block.docnums, values, strict=True))
            else:
                for docnum, value in zip(block.docnums, values, strict=True):
                    tf[docnum] = tf.get(docnum, 0.0) + value
        for docnum in found.deleted:
            tf.pop(docnum, None)
    k1 = scoring.K1
    factor = word.boost * scoring.repeats(word.count) * statistics.idf * (k1 + 1)
    return {docnum + offset: factor * value / (value + k1) for docnum, value in tf.items()}


def _documents_first(term: tuple[tuple[str, bytes], Any]) -> int:
    """A sort key that puts a word's terms in most documents first (their entry says)."""
    entry = term[1]
    return 0 if entry is None or entry is NOT_READ else -entry.doc_frequency()


@dataclass(frozen=True)
class _Statistics:
    """What a word's scores need from the whole index, worked out once per word and searcher."""

    terms: list[tuple[str, bytes]]  # the word's terms as indexed: field, bytes
    frequency: int  # how many documents have it, in the field that has it most
    idf: float
    averages: dict[str, float]  # each field's average length
    # Each segment's entries of the terms (postings.term_info()), looked up once for both
    # the frequency and the postings.
    entries: dict[IndexReader, list[Any]]


def _word_statistics(word: Word, searcher: Searcher) -> _Statistics:
    top = searcher.get_parent()
    known: _Statistics | None = getattr(word, "_statistics", None)
    if known is not None and getattr(word, "_statistics_of", None) is top:
        return known
    terms = []
    for term in word.subqueries:
        try:
            terms.append((term.fieldname, searcher.schema[term.fieldname].to_bytes(term.text)))
        except ValueError:
            continue
    entries: dict[IndexReader, list[Any]] = {}
    frequencies = [0] * len(terms)
    for segment, _ in top.reader().leaf_readers():
        found = entries[segment] = [term_info(segment, field, text) for field, text in terms]
        for place, entry in enumerate(found):
            if entry is NOT_READ:
                field, text = terms[place]
                frequencies[place] += segment.doc_frequency(field, text)
            elif entry is not None:
                frequencies[place] += entry.doc_frequency()
    averages = {field: top.avg_field_length(field) or 1.0 for field, _ in terms}
    frequency = max(frequencies, default=0)
    idf = scoring.idf(top.doc_count(), frequency)
    known = _Statistics(terms, frequency, idf, averages, entries)
    word._statistics, word._statistics_of = known, top
    return known


def _read_term(
    searcher: Searcher, context: SearchContext, fieldname: str, text: bytes, positions: bool = False
) -> tuple[BulkScorer, dict[int, float], dict[int, list[int]]] | None:
    """A term's scorer, its live documents with their weights, and (if asked) each one's
    position differences.

    None when the term cannot be read a block at a time (another scorer, another codec).
    """
    scorer = context.weighting.scorer(searcher, fieldname, text)
    found = postings(searcher.reader(), fieldname, text)
    if not isinstance(scorer, BulkScorer) or found is None:
        return None
    weights: dict[int, float] = {}
    deltas: dict[int, list[int]] = {}
    for block in found.blocks(positions=positions):
        weights.update(zip(block.docnums, block.weights, strict=True))
        deltas.update(zip(block.docnums, block.positions, strict=False))
    for docnum in found.deleted:
        weights.pop(docnum, None)
    return scorer, weights, deltas


def _phrase(query: q.Phrase, searcher: Searcher, context: SearchContext) -> Scores:
    """What Phrase.matcher() would find: the words at consecutive positions, scored as an AND."""
    field = searcher.schema[query.fieldname]
    if not has_positions(field.format) or not query.words:  # Whoosh's own, then
        return _through_whoosh(query, searcher, context)  # which says why, if it cannot
    try:
        words = [field.to_bytes(word) for word in query.words]
    except ValueError:
        return {}
    reader = searcher.reader()
    if any((query.fieldname, word) not in reader for word in words):
        return {}
    read = [_read_term(searcher, context, query.fieldname, w, positions=True) for w in words]
    terms = [found for found in read if found is not None]
    if len(terms) < len(read):
        return _through_whoosh(query, searcher, context)
    docnums = list(reduce(and_, [weights.keys() for _, weights, _ in terms]))
    # Each word's positions, shifted back by its place in the phrase: a document matches where
    # every word has one position in common.
    shifted = [_positions(deltas, docnums, -place) for place, (_, _, deltas) in enumerate(terms)]
    if len(shifted) == 2:  # the usual phrase: a look-up that stops at the first position found
        together = (
            docnum
            for docnum, first, second in zip(docnums, *shifted, strict=True)
            if not set(first).isdisjoint(second)
        )
    else:
        together = (
            docnum
            for docnum, first, *others in zip(docnums, *shifted, strict=True)
            if set(first).intersection(*others)
        )
    # Only the phrase's documents are scored, as an AND of its words: the rarest word's score
    # first in each sum (as `_intersection` orders the parts it adds).
    found = list(together)
    terms.sort(key=lambda term: len(term[1]))
    scores = [
        scorer.score_block(found, map(weights.__getitem__, found)) for scorer, weights, _ in terms
    ]
    return _boosted(_intersection(scores), query.boost)


def _positions(deltas: dict[int, list[int]], docnums: list[int], shift: int) -> Iterator[Any]:
    """Each document's positions of a term plus `shift` (<= 0; below 0, with `shift` itself
    among them, which no position of the phrase's first word is), summed from their
    differences in C."""
    lists = map(deltas.__getitem__, docnums)
    if not shift:
        return map(accumulate, lists)
    return (accumulate(differences, initial=shift) for differences in lists)


def _through_whoosh(query: q.Query, searcher: Searcher, context: SearchContext) -> Scores:
    matcher: Matcher = query.matcher(searcher, context)
    scores: Scores = {}
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores
