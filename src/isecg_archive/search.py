"""Search: a request in, one page of hits with snippets and facet counts out."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass, field, replace
from functools import reduce
from typing import Any

from whoosh import query as q
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.spelling import Corrector

from isecg_archive.engine.analysis import positions, stem
from isecg_archive.engine.facets import Facet, count_facets
from isecg_archive.engine.patterns import expand_patterns
from isecg_archive.engine.query import (
    QUESTION_WORDS,
    Word,
    parse_query,
    phrases,
    query_words,
    relaxed_reason,
)
from isecg_archive.engine.ranking import Scores, graded_matches, matches
from isecg_archive.engine.readers import bitset, column_values, shared_families, value_bits
from isecg_archive.engine.scoring import idf
from isecg_archive.engine.snippets import Snippet, make_snippets, spans
from isecg_archive.engine.spelling import close_words
from isecg_archive.enrich import Vocabulary
from isecg_archive.enrich.boilerplate import CAPTURE_FORMATS, Boilerplate
from isecg_archive.enrich.glossary import Glossary
from isecg_archive.errors import QueryError, QuerySyntaxError
from isecg_archive.events import event_slug, split_term
from isecg_archive.storage.records import DOCUMENT_TYPES, Document, PartialDate

# "updated": the records changed last first (added, edited or re-read): what feeds follow.
SORTS = ("relevance", "newest", "oldest", "updated")
MAX_PER_PAGE = 100
SUGGEST_BELOW = 3  # "did you mean" is offered when fewer documents than this match all words
SUGGEST_UP_TO = 3  # unknown words respelled at most (each compared with its near words)
SOME_BELOW = 20  # documents that match some of the words follow when fewer than this match all


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    agencies: tuple[str, ...] = ()  # every one must match
    topics: tuple[str, ...] = ()  # every one must match
    types: tuple[str, ...] = ()  # any one may match
    events: tuple[str, ...] = ()  # slugs (events.py); every one must match
    organisations: tuple[str, ...] = ()  # related bodies, as written; every one must match
    authors: tuple[str, ...] = ()  # every one must match
    since: PartialDate | None = None
    until: PartialDate | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    hide_internal: bool = False  # leave out documents for the agencies only (the viewer's)

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
            raise QueryError(
                f"the start date (since {self.since}) is after the end date (until"
                f" {self.until}); swap them"
            )

    @property
    def effective_sort(self) -> str:
        """Browsing (no query) lists the newest first: relevance means nothing there."""
        return "newest" if self.sort == "relevance" and not self.query.strip() else self.sort

    def filters(self) -> dict[str, Any]:
        return {
            "agency": list(self.agencies),
            "topic": list(self.topics),
            "type": list(self.types),
            "event": list(self.events),
            "organisation": list(self.organisations),
            "author": list(self.authors),
            "since": str(self.since) if self.since else None,
            "until": str(self.until) if self.until else None,
        }

    def as_args(self) -> list[tuple[str, str]]:
        """The search as the viewer's query string names it (`q`, `agency`, ...), in a fixed
        order: the same search always has the same address. Sort and page left out."""
        pairs = [("q", self.query.strip())] if self.query.strip() else []
        for name, values in self.filters().items():
            if isinstance(values, list):
                pairs += [(name, value) for value in values]
            elif values:
                pairs.append((name, values))
        return pairs


@dataclass(frozen=True)
class Hit:
    rank: int
    document: Document
    score: float | None  # None when sorted by date
    snippets: tuple[Snippet, ...]
    versions: tuple[Document, ...] = ()  # the same text in other files, shown with this one
    matched: str = "all"  # "all" of the query's words, or "some"

    def _snippet(self, snippet: Snippet) -> dict[str, object]:
        """A snippet, and for a recording the second its page of captions starts at."""
        at = self.document.moment(snippet.page)
        return {**snippet.to_dict(), **({"seconds": at} if at is not None else {})}

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "rank": self.rank,
            "id": doc.id,
            "title": doc.title,
            "date": str(doc.date) if doc.date else None,
            "agencies": list(doc.agencies),
            "topics": list(doc.topics),
            "organisations": list(doc.organisations),
            "authors": list(doc.authors),
            "event": doc.event,
            "event_slug": event_slug(doc),
            "type": doc.type,
            "format": doc.format,
            "file": doc.file,
            "pages": doc.pages,
            "internal": doc.internal,
            "score": round(self.score, 4) if self.score is not None else None,
            "matched": self.matched,
            "snippets": [self._snippet(s) for s in self.snippets],
            "versions": [
                {"id": v.id, "format": v.format, "file": v.file, "title": v.title}
                for v in self.versions
            ],
        }


@dataclass(frozen=True)
class Relaxed:
    """A query whose syntax found nothing (or could not be read), searched for as its words."""

    query: str  # the words searched for instead
    reason: str  # why, for people: "No document has the phrase “ice mining rig”"

    def to_dict(self) -> dict[str, str]:
        return {"query": self.query, "reason": self.reason}


@dataclass(frozen=True)
class ResultPage:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: tuple[Facet, ...] = field(default=())
    suggestion: str | None = None  # a respelled query that finds more
    matched_all: int | None = None  # how many of the `total` match all words (None: total)
    relaxed: Relaxed | None = None  # the query's words searched for, its syntax having failed

    @property
    def complete(self) -> int:
        """How many documents match all the query's words; the others match some."""
        return self.total if self.matched_all is None else self.matched_all

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
            "matched_all": self.complete,
            "page": self.request.page,
            "pages": self.pages,
            "per_page": self.request.per_page,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {facet.name: facet.to_dict() for facet in self.facets},
            "suggestion": self.suggestion,
            "relaxed": self.relaxed.to_dict() if self.relaxed else None,
        }


def _allowed(reader: IndexReader, request: SearchRequest, leave_out: str = "") -> bytes | None:
    """The documents the request's filters let through, as a bitset's bytes; None: no filter.

    `leave_out` names a filter to pass over ("type", "year"): a facet that widens counts its
    values among the documents the other filters let through. From the facet values' bitsets
    and the dates column, read once per reader.
    """
    size = reader.doc_count_all()
    parts = [value_bits(reader, "agency").get(agency.lower(), 0) for agency in request.agencies]
    parts += [value_bits(reader, "topic").get(topic, 0) for topic in request.topics]
    parts += [
        _named(reader, "event_key", slug, lambda t: split_term(t)[0]) for slug in request.events
    ]
    parts += [_named(reader, "organisation", name) for name in request.organisations]
    parts += [_named(reader, "author_name", name) for name in request.authors]
    if request.types and leave_out != "type":
        types = value_bits(reader, "type")
        parts.append(reduce(operator.or_, (types.get(kind, 0) for kind in request.types)))
    if (request.since or request.until) and leave_out != "year":
        start = request.since.key if request.since else 1
        end = request.until.last_key if request.until else math.inf
        keys = column_values(reader, "date_key")
        parts.append(bitset((n for n, key in enumerate(keys) if start <= key <= end), size))
    if request.hide_internal:
        parts.append(((1 << size) - 1) & ~internal_bits(reader))
    if not parts:
        return None
    return reduce(operator.and_, parts).to_bytes((size + 7) // 8, "little")


def internal_bits(reader: IndexReader) -> int:
    """The bitset of the documents for the agencies only (their `internal` term is "yes")."""
    return value_bits(reader, "internal").get("yes", 0)


_UNKNOWN = {  # what a filter's value names, and where the known values are listed
    "event_key": ("event", "`isecg-archive events` lists the events by their slugs"),
    "organisation": ("related body", "`isecg-archive facets` lists them"),
    "author_name": ("author", "`isecg-archive facets` lists them, as the records write them"),
}


def _named(reader: IndexReader, field: str, wanted: str, key: Callable[[str], str] = str) -> int:
    """The documents with this value of a field, in any case (bodies, authors, event slugs).
    A value no document has is an error that says where the known ones are listed."""
    typed, wanted = wanted, wanted.strip().lower()
    found = [
        bits for term, bits in value_bits(reader, field).items() if key(term).lower() == wanted
    ]
    if not found:
        what, listed = _UNKNOWN[field]
        raise QueryError(f"unknown {what} {typed!r}: no document has it; {listed}")
    return reduce(operator.or_, found, 0)


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
        for word in close_words(self.reader, text, maxdist):
            yield self.reader.doc_frequency("content", stem(word)), word


def _typed_terms(parsed: q.Query) -> Iterator[tuple[str, str]]:
    """The query's terms as typed: a word's other spellings are not words to respell."""
    if isinstance(parsed, Word):
        yield from parsed.typed_terms()
    elif parsed.is_leaf():
        yield from parsed.iter_all_terms()
    else:
        for part in parsed.children():
            yield from _typed_terms(part)


def _suggest(
    searcher: Searcher,
    parsed: q.Query,
    request: SearchRequest,
    allowed: bytes | None,
    found: int,
    glossary: Glossary,
) -> str | None:
    """The query with its unknown words respelled from the text, if that finds more."""
    reader = searcher.reader()
    unknown = [
        (fieldname, text)
        for fieldname, text in _typed_terms(parsed)
        if fieldname == "content" and (fieldname, text) not in reader
    ]
    if not unknown or len({text for _, text in unknown}) > SUGGEST_UP_TO:
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
        reparsed = _parse(searcher, correction.string, glossary)
    except Exception:  # Whoosh's corrector fails on some query shapes (ranges); then no hint
        return None
    scores, complete = graded_matches(searcher, reparsed)
    more = len(_one_per_family(searcher, set(_only(scores, allowed)) & complete))
    return correction.string if more > found else None


def _parse(searcher: Searcher, text: str, glossary: Glossary | None) -> q.Query:
    """The query a person typed, its wildcards expanded to the archive's words (bounded)."""
    return expand_patterns(parse_query(text, searcher.schema, glossary), searcher.reader())


def _one_per_family(searcher: Searcher, matches: Set[int]) -> Set[int]:
    """The matches with each family of versions counted once (by its first document)."""
    later = set()
    for members in shared_families(searcher.reader()):
        found = [docnum for docnum in members if docnum in matches]
        later.update(found[1:])
    return matches - later if later else matches


def _ranked(searcher: Searcher, found: Scores, sort: str, complete: Set[int]) -> list[int]:
    """The matches in the page's order, those with all the words first; equal keys by number."""
    # Sorts with keys Python need not call back for: by number, then (stable) by the key.
    if sort == "relevance":
        ranked = sorted(found)
        ranked.sort(key=found.__getitem__, reverse=True)
    else:
        newest = sort != "oldest"
        column = {"newest": "date_key", "oldest": "oldest_key", "updated": "changed"}[sort]
        keys = column_values(searcher.reader(), column)
        ranked = sorted(found, reverse=newest)
        ranked.sort(key=keys.__getitem__, reverse=newest)
    if len(complete) < len(found):
        ranked.sort(key=complete.__contains__, reverse=True)
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


def _facets(
    searcher: Searcher,
    request: SearchRequest,
    vocabulary: Vocabulary,
    scores: Scores,
    unique: Set[int],
) -> tuple[Facet, ...]:
    """The facets of the matches. Types and years widen a search: each counts among the matches
    without its own filter, so that the other types and years stay there to choose."""
    reader = searcher.reader()
    size = reader.doc_count_all()
    widening = {}
    for facet, filtered in (("type", request.types), ("year", request.since or request.until)):
        if filtered:
            others = _only(scores, _allowed(reader, request, leave_out=facet))
            widening[facet] = bitset(_one_per_family(searcher, set(others)), size)
    selected = {
        "agency": request.agencies,
        "topic": request.topics,
        "type": request.types,
        "event": request.events,
        "organisation": request.organisations,
        "author": request.authors,
    }
    return count_facets(reader, bitset(unique, size), selected, vocabulary, widening)


@dataclass(frozen=True)
class _Matches:
    parsed: q.Query
    allowed: bytes | None  # what the filters let through (None: everything)
    scores: Scores  # every match of the query, the filters aside
    found: Scores  # the matches the filters let through
    complete: Set[int]  # the matches with all the query's words
    complete_unique: Set[int]  # those the filters let through, one per family of versions


def _matches(searcher: Searcher, request: SearchRequest, glossary: Glossary) -> _Matches:
    parsed = _parse(searcher, request.query, glossary)
    allowed = _allowed(searcher.reader(), request)
    # Every match is needed, for the counts and for the order: ranking finds and scores them
    # all a block of postings at a time, much faster than Whoosh's search would.
    scores, complete = graded_matches(searcher, parsed)
    kept = complete if allowed is None else set(_only(dict.fromkeys(complete, 0.0), allowed))
    complete_unique = _one_per_family(searcher, kept)
    if len(complete_unique) >= SOME_BELOW and len(complete) < len(scores):
        # Enough match all the words: only those, then.
        scores = {docnum: score for docnum, score in scores.items() if docnum in complete}
    found = _only(scores, allowed)
    # The complete matches are among the scores: only a filter leaves some out.
    complete = complete if allowed is None else complete & found.keys()
    return _Matches(parsed, allowed, scores, found, complete, complete_unique)


def _matches_or_words(
    searcher: Searcher, request: SearchRequest, glossary: Glossary
) -> tuple[_Matches, Relaxed | None]:
    """The query's matches; when its syntax finds nothing (a phrase, operators, a field) or
    cannot be read, those of its words instead, and why, as web search engines do."""
    try:
        matches = _matches(searcher, request, glossary)
    except QuerySyntaxError as exc:
        reason = f"The query cannot be read as written ({exc})"
        words = query_words(request.query)
        if not words:
            raise
    else:
        if matches.found or not request.query.strip():
            return matches, None
        why = relaxed_reason(
            request.query,
            found=lambda quoted: bool(
                graded_matches(searcher, _parse(searcher, f'"{quoted}"', glossary))[0]
            ),
        )
        words = query_words(request.query)
        if why is None or not words or words == request.query.strip():
            return matches, None
        reason = why
    loose = _matches(searcher, replace(request, query=words), glossary)
    return loose, Relaxed(words, reason)


def matching_values(
    searcher: Searcher, request: SearchRequest, glossary: Glossary | None, column: str
) -> list[str]:
    """Every match of a search in its order, versions included, by a column's value: archive
    paths ("file") for exports, which read each record from the archive as they write it, or
    ids ("id")."""
    matches = _matches(searcher, request, glossary or Glossary())
    ranked = _ranked(searcher, matches.found, request.effective_sort, matches.complete)
    values = column_values(searcher.reader(), column)
    return [values[docnum] for docnum in ranked]


def search(
    searcher: Searcher,
    request: SearchRequest,
    vocabulary: Vocabulary,
    glossary: Glossary | None = None,
) -> ResultPage:
    glossary = glossary or Glossary()
    reader = searcher.reader()
    sort = request.effective_sort
    matches, relaxed = _matches_or_words(searcher, request, glossary)
    parsed, allowed, scores, found = matches.parsed, matches.allowed, matches.scores, matches.found
    complete, complete_unique = matches.complete, matches.complete_unique
    unique = _one_per_family(searcher, found.keys())
    facets = _facets(searcher, request, vocabulary, scores, unique)
    suggestion = None
    if len(complete_unique) < SUGGEST_BELOW and request.query.strip():
        suggestion = _suggest(searcher, parsed, request, allowed, len(complete_unique), glossary)
    matched_all = len(complete_unique) if len(complete_unique) < len(unique) else None
    first = (request.page - 1) * request.per_page
    if first >= len(unique):
        return ResultPage(request, len(unique), (), facets, suggestion, matched_all, relaxed)
    ranked = _ranked(searcher, found, sort, complete)
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
            if fields and not (request.hide_internal and fields["record"].get("internal"))
        )
        matched = "all" if docnum in complete else "some"
        hits.append(Hit(rank, document, score, snippets, versions, matched))
    return ResultPage(request, len(unique), tuple(hits), facets, suggestion, matched_all, relaxed)


def page_matches(
    searcher: Searcher, query: str, pages: tuple[str, ...], glossary: Glossary | None = None
) -> tuple[tuple[tuple[int, int], ...], ...]:
    """For each page, the [start, end) offsets of the words the query matches."""
    parsed = _parse(searcher, query, glossary)
    terms = _snippet_terms(parsed, searcher)
    return tuple(tuple((start, end) for start, end, _ in spans(text, terms)) for text in pages)


MORE_LIKE_TERMS = 30  # the words of a document that say what it is about
FILLER_STEMS = frozenset(stem(word) for word in QUESTION_WORDS)


def more_like(
    searcher: Searcher,
    document_id: str,
    vocabulary: Vocabulary,
    limit: int = 5,
    hide_internal: bool = False,
) -> tuple[Document, ...]:
    """Documents on the same subject first: searched for with this one's most telling words.

    Two searches, each scaled to its best match: the telling words of the document's name
    (title and event), which count double, and those of its text (`_telling_words`). The
    agencies, months and numbers a document names are not its subject. hide_internal: leave
    out the documents for the agencies only before choosing (`limit` others are listed).
    """
    docnum = searcher.document_number(id=document_id)
    if docnum is None:
        return ()
    stored = searcher.stored_fields(docnum)
    record = Document.from_dict(stored["record"])
    text = "\n".join(stored.get("pages", ()))
    named = f"{record.title}\n{record.event or ''}"
    families = column_values(searcher.reader(), "family")
    found: Scores = {}
    ignore = _not_subjects(vocabulary)
    for weight, part in (
        (2.0, _telling_words(searcher, named, ignore, every=True)),
        (1.0, _telling_words(searcher, text, ignore)),
    ):
        scores = matches(searcher, q.Or(part)) if part else {}
        scores = {n: score for n, score in scores.items() if families[n] != families[docnum]}
        best = max(scores.values(), default=0.0) or 1.0
        for n, score in scores.items():
            found[n] = found.get(n, 0.0) + weight * score / best
    if hide_internal:
        internal = internal_bits(searcher.reader())
        found = {n: score for n, score in found.items() if not internal >> n & 1}
    ranked = _best_of_each_family(
        searcher, _ranked(searcher, found, "relevance", set(found)), limit
    )
    return tuple(Document.from_dict(searcher.stored_fields(n)["record"]) for n in ranked)


MONTHS = "january february march april may june july august september october november december"


def _not_subjects(vocabulary: Vocabulary) -> frozenset[str]:
    """Indexed terms that say who or when, not what: agencies' short names, months, fillers."""
    names = [body.key for body in (*vocabulary.agencies, *vocabulary.related)]
    return frozenset(stem(word.lower()) for word in (*names, *MONTHS.split())) | FILLER_STEMS


def _telling_words(
    searcher: Searcher, text: str, ignore: frozenset[str], every: bool = False
) -> list[Word]:
    """The words of a text that say most of what it is about (frequent in it, rare in the
    archive: tf-idf), weighted so, to be looked for in titles, events and text. A long text's
    words in most documents tell nothing; a name's (`every`) all count."""
    documents = searcher.doc_count()
    weights = {}
    for term, found in positions(text).items():
        if term.isdigit() or term in ignore:
            continue
        frequency = searcher.doc_frequency("content", term)
        if 1 < frequency and (every or frequency < documents / 2):
            weights[term] = (1 + math.log(len(found))) * idf(documents, frequency)
    telling = sorted(weights, key=weights.__getitem__, reverse=True)[:MORE_LIKE_TERMS]
    words = []
    for term in telling:
        word = Word([q.Term(field, term) for field in ("title", "content", "event")], term)
        word.boost = weights[term] / weights[telling[0]]
        words.append(word)
    return words


def changed_documents(
    searcher: Searcher, request: SearchRequest, any_of: str | None = None
) -> list[tuple[int, str, str]]:
    """(changed, id, file) of each document the request's filters let through, the oldest
    change first; `any_of` names a facet field ("agency") a document must have some value of."""
    reader = searcher.reader()
    allowed = _allowed(reader, request)
    if any_of:
        some = reduce(operator.or_, value_bits(reader, any_of).values(), 0)
        limit = some.to_bytes((reader.doc_count_all() + 7) // 8, "little")
        allowed = (
            limit if allowed is None else bytes(a & b for a, b in zip(allowed, limit, strict=True))
        )
    changed = column_values(reader, "changed")
    ids = column_values(reader, "id")
    files = column_values(reader, "file")
    found = [
        (changed[n], ids[n], files[n])
        for n in reader.all_doc_ids()
        if allowed is None or allowed[n >> 3] >> (n & 7) & 1
    ]
    found.sort()
    return found
