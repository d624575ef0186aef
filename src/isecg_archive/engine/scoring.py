"""The ranking function: BM25F, with the field lengths read once per segment.

A word's score in a document is

    q * idf * tf * (K1 + 1) / (tf + K1)
    tf = sum over the text fields f of  WEIGHTS[f] * tf_f / (1 - B + B * length_f / average_f)
    idf = max(IDF_FLOOR, ln((N - df + 0.5) / (df + 0.5)))
    q = (K3 + 1) * count / (K3 + count)

where `count` is how often the query has the word (a long question repeats what matters), tf_f
how often field f of the document has it (in any of its spellings), N the number of documents
and df how many have the word. A
document's score is the sum of its words' scores. This is BM25F (Robertson and Zaragoza,
"The Probabilistic Relevance Framework", 2009): each field's frequency is normalised by its
length and weighted, then the sum is saturated once, so a title that repeats the text adds a
little, not a second full score. `engine.ranking` computes it a block of postings at a time;
the same function scores what Whoosh matches itself (wildcards, ranges), one field at a time.
K1, B and the field weights were chosen on the public test collections as a whole
(bench/relevance.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

from whoosh import scoring
from whoosh.matching import Matcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from isecg_archive.engine.readers import field_lengths

K1 = 1.4
B = 0.7
K3 = 1.0
# A title that is the text's first line (as in short abstracts) counts its words a second time
# at full weight: three quarters keeps what titles add elsewhere.
WEIGHTS = {"title": 0.75, "content": 1.0, "event": 1.0, "author": 1.0}
IDF_FLOOR = 0.01  # a word in most documents still orders them, by how often they have it


def repeats(count: int) -> float:
    """What a word typed `count` times in the query counts for (BM25's k3 saturation)."""
    return (K3 + 1) * count / (K3 + count)


def idf(documents: int, frequency: int) -> float:
    """How rare a word is: Robertson and Sparck Jones' inverse document frequency, which is
    zero for a word in half the documents (it tells nothing); floored at IDF_FLOOR."""
    frequency = min(frequency, documents)  # deleted documents still count in frequencies
    return max(IDF_FLOOR, math.log((documents - frequency + 0.5) / (frequency + 0.5)))


def weight_per_posting(searcher: Searcher, fieldname: str) -> float:
    """What one posting's stored weight counts for: the field's weight over the boost the index
    stored it with (the schema's field_boost)."""
    stored = searcher.schema[fieldname].format.field_boost or 1.0
    return WEIGHTS.get(fieldname, 1.0) / stored


@lru_cache(maxsize=256)
def frequency_table(scale: float, b: float, average: float) -> tuple[float, ...]:
    """For each field length byte, what a stored weight of 1 counts for in tf."""
    return tuple(scale / ((1 - b) + b * byte_to_length(n) / average) for n in range(256))


class BM25F(scoring.BM25F):
    """Whoosh's weighting model with the archive's idf and field weights, one field at a time."""

    def __init__(self) -> None:
        super().__init__(B=B, K1=K1)

    def idf(self, searcher: Searcher, fieldname: str, text: bytes) -> float:
        parent = searcher.get_parent()
        return idf(parent.doc_count(), parent.doc_frequency(fieldname, text))

    def scorer(
        self, searcher: Searcher, fieldname: str, text: bytes, qf: float = 1
    ) -> scoring.BaseScorer:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        lengths = field_lengths(searcher.reader(), fieldname)
        if isinstance(scorer, scoring.BM25FScorer) and lengths is not None:
            return BulkScorer(scorer, lengths, weight_per_posting(searcher, fieldname))
        return scorer


class BulkScorer(scoring.BaseScorer):
    """One field's BM25 with its per-document arithmetic on field length looked up in a table:
    idf * tf * (K1 + 1) / (tf + K1), tf as in the module's docstring for this field alone."""

    def __init__(self, stock: scoring.BM25FScorer, lengths: bytes, scale: float) -> None:
        self.stock = stock
        self.lengths = lengths
        self.table = frequency_table(scale, stock.B, stock.avgfl)
        self.idf = stock.idf
        self.k1 = stock.K1

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self.idf * (self.k1 + 1)

    def score(self, matcher: Matcher) -> float:
        tf = matcher.weight() * self.table[self.lengths[matcher.id()]]
        return self.idf * tf * (self.k1 + 1) / (tf + self.k1)

    def score_block(self, docnums: Iterable[int], weights: Iterable[float]) -> dict[int, float]:
        """score() of each posting of a block, without a matcher: document number -> score."""
        idf, k1, table, lengths = self.idf, self.k1, self.table, self.lengths
        scores = {}
        for docnum, weight in zip(docnums, weights, strict=True):
            tf = weight * table[lengths[docnum]]
            scores[docnum] = idf * tf * (k1 + 1) / (tf + k1)
        return scores
