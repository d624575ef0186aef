"""Whoosh's BM25F, giving the same scores with the field lengths read once per segment."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from whoosh import scoring
from whoosh.matching import Matcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from isecg_archive.engine.readers import field_lengths


class BM25F(scoring.BM25F):
    def scorer(
        self, searcher: Searcher, fieldname: str, text: bytes, qf: float = 1
    ) -> scoring.BaseScorer:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        lengths = field_lengths(searcher.reader(), fieldname)
        if isinstance(scorer, scoring.BM25FScorer) and lengths is not None:
            return BulkScorer(scorer, lengths)
        return scorer


class BulkScorer(scoring.BaseScorer):
    """BM25FScorer with its per-document arithmetic on field length looked up in a table.

    bm25() is idf * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / avgfl)); the second
    term of the divisor depends on the length byte alone, so it is computed for each of the 256
    bytes once, by the same operations, and the scores are equal to the last bit.
    """

    def __init__(self, stock: scoring.BM25FScorer, lengths: bytes) -> None:
        self.stock = stock
        self.lengths = lengths
        self.divisor = _divisors(stock.K1, stock.B, stock.avgfl)
        self.idf = stock.idf
        self.k1_plus_1 = stock.K1 + 1

    def supports_block_quality(self) -> bool:
        return bool(self.stock.supports_block_quality())

    def max_quality(self) -> float:
        return float(self.stock.max_quality())

    def block_quality(self, matcher: Matcher) -> float:
        return float(self.stock.block_quality(matcher))

    def score(self, matcher: Matcher) -> float:
        weight = matcher.weight()
        divisor = self.divisor[self.lengths[matcher.id()]]
        return self.idf * ((weight * self.k1_plus_1) / (weight + divisor))

    def score_block(self, docnums: Iterable[int], weights: Iterable[float]) -> dict[int, float]:
        """score() of each posting of a block, without a matcher: document number -> score."""
        idf, k1_plus_1, divisor, lengths = self.idf, self.k1_plus_1, self.divisor, self.lengths
        return {
            docnum: idf * ((weight * k1_plus_1) / (weight + divisor[lengths[docnum]]))
            for docnum, weight in zip(docnums, weights, strict=True)
        }


@lru_cache(maxsize=64)
def _divisors(k1: float, b: float, avgfl: float) -> tuple[float, ...]:
    """The length-dependent part of the divisor for each length byte (one table per field)."""
    return tuple(k1 * ((1 - b) + b * byte_to_length(n) / avgfl) for n in range(256))
