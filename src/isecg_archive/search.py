"""Search: a request in, one page of hits with snippets and facet counts out."""

from __future__ import annotations

import math
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from whoosh import query as q
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.spelling import Corrector

from isecg_archive.boilerplate import CAPTURE_FORMATS, Boilerplate
from isecg_archive.engine.analysis import stem
from isecg_archive.engine.facets import Facet, count_facets
from isecg_archive.engine.query import parse_query, phrases
from isecg_archive.engine.ranking import Scores, matches
from isecg_archive.engine.readers import bitset, column_values, shared_families, value_bits
from isecg_archive.engine.snippets import Snippet, make_snippets, spans
from isecg_archive.enrich import Vocabulary
from isecg_archive.errors import QueryError
from isecg_archive.records import DOCUMENT_TYPES, Document, PartialDate

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
SUGGEST_BELOW = 3  # "did you mean" is offered when a query finds fewer documents than this


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    agencies: tuple[str, ...] = ()  # every one must match
    topics: tuple[str, ...] = ()  # every one must match
    types: tuple[str, ...] = ()  # any one may match
    since: PartialDate | None = None
    until: PartialDate | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise QueryError(f"unknown sort {self.sort!r}; use one of {', '.join(SORTS)}")
        if self.page < 1:
            raise QueryError("pages are numbered from 1")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"ask for between 1 and {MAX_PER_PAGE} results per page")
        for kind in self.types:
            if kind not in DOCUMENT_TYPES:
                raise QueryError(f"unknown type {kind!r}; use one of {', '.join(DOCUMENT_TYPES)}")
        if self.since and self.until and self.since.key > self.until.last_key:
            raise QueryError(f"--since {self.since} is after --until {self.until}")

    @property
    def effective_sort(self) -> str:
        """Browsing (no query) lists the newest first: relevance means nothing there."""
        return "newest" if self.sort == "relevance" and not self.query.strip() else self.sort

    def filters(self) -> dict[str, Any]:
        return {
            "agency": list(self.agencies),
            "topic": list(self.topics),
            "type": list(self.types),
            "since": str(self.since) if self.since else None,
            "until": str(self.until) if self.until else None,
        }


@dataclass(frozen=True)
class Hit:
    rank: int
    document: Document
    score: float | None  # None when sorted by date
    snippets: tuple[Snippet, ...]
    versions: tuple[Document, ...] = ()  # the same text in other files, shown with this one

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "rank": self.rank,
            "id": doc.id,
            "title": doc.title,
            "date": str(doc.date) if doc.date else None,
            "agencies": list(doc.agencies),
            "topics": list(doc.topics),
            "type": doc.type,
            "format": doc.format,
            "file": doc.file,
            "pages": doc.pages,
            "score": round(self.score, 4) if self.score is not None else None,
            "snippets": [s.to_dict() for s in self.snippets],
            "versions": [
                {"id": v.id, "format": v.format, "file": v.file, "title": v.title}
                for v in self.versions
            ],
        }


@dataclass(frozen=True)
class ResultPage:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: tuple[Facet, ...] = field(default=())
    suggestion: str | None = None  # a respelled query that finds more

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.request.per_page))

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape documented in the README."""
        return {
            "query": self.request.query,
            "filters": self.request.filters(),
            "sort": self.request.effective_sort,
            "total": self.total,
            "page": self.request.page,
            "pages": self.pages,
            "per_page": self.request.per_page,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {facet.name: facet.to_dict() for facet in self.facets},
            "suggestion": self.suggestion,
        }


def _allowed(reader: IndexReader, request: SearchRequest) -> bytes | None:
    """The documents the request's filters let through, as a bitset's bytes; None: no filter.

    From the facet values' bitsets and the dates column, read once per reader.
    """
    size = reader.doc_count_all()
    parts = [value_bits(reader, "agency").get(agency.lower(), 0) for agency in request.agencies]
    parts += [value_bits(reader, "topic").get(topic, 0) for topic in request.topics]
    if request.types:
        types = value_bits(reader, "type")
        parts.append(reduce(operator.or_, (types.get(kind, 0) for kind in request.types)))
    if request.since or request.until:
        start = request.since.key if request.since else 1
        end = request.until.last_key if request.until else math.inf
        keys = column_values(reader, "date_key")
        parts.append(bitset((n for n, key in enumerate(keys) if start <= key <= end), size))
    if not parts:
        return None
    return reduce(operator.and_, parts).to_bytes((size + 7) // 8, "little")


def _only(found: Scores, allowed: bytes | None) -> Scores:
    if allowed is None:
        return found
    return {n: score for n, score in found.items() if allowed[n >> 3] >> (n & 7) & 1}


def _snippet_terms(parsed: q.Query, searcher: Searcher) -> frozenset[str]:
    """The indexed words the query matches in the text, wildcards expanded.

    (Whoosh's own Query.existing_terms reuses a loop variable and skips fields after the first.)
    """
    reader = searcher.reader()
    leaves = [parsed] if parsed.is_leaf() else parsed.leaves()
    found = set()
    for leaf in leaves:
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            if fieldname == "content":
                word = text.decode("utf-8") if isinstance(text, bytes) else text
                if (fieldname, word) in reader:
                    found.add(word)
    return frozenset(found)


class _Corrector(Corrector):
    """Words as written from the spelling field, those in most documents first."""

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[int, str]]:
        for word in self.reader.terms_within("spelling", text, maxdist, prefix=prefix):
            yield self.reader.doc_frequency("content", stem(word)), word


def _suggest(
    searcher: Searcher,
    parsed: q.Query,
    request: SearchRequest,
    allowed: bytes | None,
    found: int,
) -> str | None:
    """The query with its unknown words respelled from the text, if that finds more."""
    reader = searcher.reader()
    unknown = [
        (fieldname, text)
        for fieldname, text in parsed.iter_all_terms()
        if fieldname == "content" and (fieldname, text) not in reader
    ]
    if not unknown:
        return None
    try:
        correction = searcher.correct_query(
            parsed,
            request.query,
            terms=unknown,
            correctors={"content": _Corrector(reader)},
        )
        if correction.string == request.query:
            return None
        # The corrector returns words as written; parse again to search them as indexed.
        reparsed = parse_query(correction.string, searcher.schema)
    except Exception:  # Whoosh's corrector fails on some query shapes (ranges); then no hint
        return None
    more = len(_one_per_family(searcher, set(_only(matches(searcher, reparsed), allowed))))
    return correction.string if more > found else None


def _one_per_family(searcher: Searcher, matches: set[int]) -> set[int]:
    """The matches with each family of versions counted once (by its first document)."""
    later = set()
    for members in shared_families(searcher.reader()):
        found = [docnum for docnum in members if docnum in matches]
        later.update(found[1:])
    return matches - later if later else matches


def _ranked(searcher: Searcher, found: Scores, sort: str) -> list[int]:
    """The matches in the page's order; equal keys in Whoosh's order (by document number)."""
    # Two sorts with keys Python need not call back for: by number, then (stable) by the key.
    if sort == "relevance":
        ranked = sorted(found)
        ranked.sort(key=found.__getitem__, reverse=True)
        return ranked
    newest = sort == "newest"
    keys = column_values(searcher.reader(), "date_key" if newest else "oldest_key")
    ranked = sorted(found, reverse=newest)
    ranked.sort(key=keys.__getitem__, reverse=newest)
    return ranked


def _best_of_each_family(searcher: Searcher, ranked: list[int], wanted: int) -> list[int]:
    """The first `wanted` ranked matches, a family's later members left out."""
    families = column_values(searcher.reader(), "family")
    seen = set()
    best = []
    for docnum in ranked:
        if families[docnum] not in seen:
            seen.add(families[docnum])
            best.append(docnum)
            if len(best) == wanted:
                break
    return best


def search(searcher: Searcher, request: SearchRequest, vocabulary: Vocabulary) -> ResultPage:
    parsed = parse_query(request.query, searcher.schema)
    reader = searcher.reader()
    allowed = _allowed(reader, request)
    sort = request.effective_sort
    # Every match is needed, for the counts and for the order: ranking.matches() finds and
    # scores them all a block of postings at a time, much faster than Whoosh's search would.
    found = _only(matches(searcher, parsed), allowed)
    unique = _one_per_family(searcher, set(found))
    selected = {"agency": request.agencies, "topic": request.topics, "type": request.types}
    facets = count_facets(reader, bitset(unique, reader.doc_count_all()), selected, vocabulary)
    suggestion = None
    if len(unique) < SUGGEST_BELOW and request.query.strip():
        suggestion = _suggest(searcher, parsed, request, allowed, len(unique))
    first = (request.page - 1) * request.per_page
    if first >= len(unique):
        return ResultPage(request, len(unique), (), facets, suggestion)
    ranked = _ranked(searcher, found, sort)
    if len(unique) < len(found):
        ranked = _best_of_each_family(searcher, ranked, first + request.per_page)
    terms = _snippet_terms(parsed, searcher)
    wanted = phrases(parsed)
    shared = Boilerplate(reader)
    hits = []
    for rank, docnum in enumerate(ranked[first : first + request.per_page], start=first + 1):
        stored = searcher.stored_fields(docnum)
        document = Document.from_dict(stored["record"])
        # A site's boilerplate lines are no snippet.
        leave_out = shared.line if document.format in CAPTURE_FORMATS else None
        snippets = make_snippets(stored.get("pages", ()), terms, wanted, leave_out=leave_out)
        score = found[docnum] if sort == "relevance" else None
        versions = tuple(
            Document.from_dict(fields["record"])
            for fields in (searcher.document(id=v) for v in document.versions)
            if fields
        )
        hits.append(Hit(rank, document, score, snippets, versions))
    return ResultPage(request, len(unique), tuple(hits), facets, suggestion)


def page_matches(
    searcher: Searcher, query: str, pages: tuple[str, ...]
) -> tuple[tuple[tuple[int, int], ...], ...]:
    """For each page, the [start, end) offsets of the words the query matches."""
    parsed = parse_query(query, searcher.schema)
    terms = _snippet_terms(parsed, searcher)
    return tuple(tuple((start, end) for start, end, _ in spans(text, terms)) for text in pages)


def more_like(searcher: Searcher, document_id: str, limit: int = 5) -> tuple[Document, ...]:
    """Documents whose text resembles this one's most (by its most distinctive words)."""
    docnum = searcher.document_number(id=document_id)
    if docnum is None:
        return ()
    text = "\n".join(searcher.stored_fields(docnum).get("pages", ()))
    results = searcher.more_like(docnum, "content", text=text, top=limit)
    return tuple(Document.from_dict(hit["record"]) for hit in results)
