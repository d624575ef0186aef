"""Every match of a query with its score, computed a block of postings at a time.

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

import pickle
from itertools import accumulate

from whoosh import query as q
from whoosh.matching import Matcher
from whoosh.searching import SearchContext, Searcher

from isecg_archive.engine.postings import postings
from isecg_archive.engine.scoring import BulkScorer

Scores = dict[int, float]  # document number -> score


def matches(searcher: Searcher, query: q.Query) -> Scores:
    """Every live document the query matches, by its number in the whole index, with its score."""
    context = searcher.context()
    found: Scores = {}
    for segment, offset in searcher.leaf_searchers():
        part = _evaluate(query, segment, context)
        found.update(zip(map(offset.__add__, part), part.values(), strict=True) if offset else part)
    return found


def _evaluate(query: q.Query, searcher: Searcher, context: SearchContext) -> Scores:
    kind = type(query)
    if kind is q.Term:
        return _term(query, searcher, context)
    if kind is q.Phrase and query.slop == 1 and query.fieldname in searcher.schema:
        return _phrase(query, searcher, context)
    if kind is q.Every and query.fieldname is None:
        boost = float(query.boost)
        return dict.fromkeys(searcher.reader().all_doc_ids(), boost)
    if kind is q.And or (kind is q.Or and not query.scale):
        parts = query.subqueries
        if not parts:
            return {}
        if len(parts) == 1:  # Whoosh leaves out the compound, and its boost, then
            return _evaluate(parts[0], searcher, context)
        if kind is q.And:
            return _boosted(_all_of(parts, searcher, context), query.boost)
        return _boosted(_union([_evaluate(part, searcher, context) for part in parts]), query.boost)
    if kind is q.AndNot:  # what `a NOT b` parses to: a's scores, without b's documents
        excluded = _evaluate(query.b, searcher, context)
        scores = _evaluate(query.a, searcher, context)
        return {docnum: score for docnum, score in scores.items() if docnum not in excluded}
    return _through_whoosh(query, searcher, context)


def _all_of(parts: list[q.Query], searcher: Searcher, context: SearchContext) -> Scores:
    """An AND: a NOT among its parts takes its documents out and, as in Whoosh, adds 1 to the
    score of the others."""
    negated = [part for part in parts if type(part) is q.Not]
    kept = [part for part in parts if type(part) is not q.Not]
    if not kept:
        negated, kept = [], parts
    scores = _intersection([_evaluate(part, searcher, context) for part in kept])
    for part in negated:
        excluded = _evaluate(part.query, searcher, context)
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
    return {
        docnum: score + sum(other[docnum] for other in others)
        for docnum, score in smallest.items()
        if all(docnum in other for other in others)
    }


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
    found = _scored_postings(searcher, context, query.fieldname, text)
    if found is None:
        return _through_whoosh(query, searcher, context)
    return _boosted(found[0], query.boost)


def _scored_postings(
    searcher: Searcher, context: SearchContext, fieldname: str, text: bytes, values: bool = False
) -> tuple[Scores, dict[int, bytes]] | None:
    """A term's live documents with their scores (and, if asked, each posting's encoded value).

    None when the term cannot be read a block at a time (another scorer, another codec).
    """
    scorer = context.weighting.scorer(searcher, fieldname, text)
    found = postings(searcher.reader(), fieldname, text)
    if not isinstance(scorer, BulkScorer) or found is None:
        return None
    scores: Scores = {}
    encoded: dict[int, bytes] = {}
    for block in found.blocks(values=values):
        scores.update(scorer.score_block(block.docnums, block.weights))
        encoded.update(zip(block.docnums, block.values, strict=False))
    if found.deleted:
        scores = {n: score for n, score in scores.items() if n not in found.deleted}
    return scores, encoded


def _phrase(query: q.Phrase, searcher: Searcher, context: SearchContext) -> Scores:
    """What Phrase.matcher() would find: the words at consecutive positions, scored as an AND."""
    field = searcher.schema[query.fieldname]
    if not field.format or not field.format.supports("positions") or not query.words:
        return _through_whoosh(query, searcher, context)  # which says why it cannot
    try:
        words = [field.to_bytes(word) for word in query.words]
    except ValueError:
        return {}
    reader = searcher.reader()
    if any((query.fieldname, word) not in reader for word in words):
        return {}
    terms = [_scored_postings(searcher, context, query.fieldname, w, True) for w in words]
    if any(found is None for found in terms):
        return _through_whoosh(query, searcher, context)
    candidates = _intersection([found[0] for found in terms if found])
    encoded = [found[1] for found in terms if found]
    scores = {
        docnum: score
        for docnum, score in candidates.items()
        if _consecutive([_decode_positions(values[docnum]) for values in encoded])
    }
    return _boosted(scores, query.boost)


def _decode_positions(value: bytes) -> list[int]:
    """whoosh.formats.Positions.decode_positions(), which the profile showed, in fewer steps."""
    deltas = pickle.loads(value[4:] if value.endswith(b".") else value[4:] + b".")
    return list(accumulate(deltas))


def _consecutive(positions: list[list[int]]) -> bool:
    """True when the first word is at some position p, the second at p + 1, and so on."""
    starts = set(positions[0])
    for offset, later in enumerate(positions[1:], start=1):
        starts.intersection_update(p - offset for p in later)
        if not starts:
            return False
    return True


def _through_whoosh(query: q.Query, searcher: Searcher, context: SearchContext) -> Scores:
    matcher: Matcher = query.matcher(searcher, context)
    scores: Scores = {}
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores
