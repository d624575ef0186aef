"""What each page shows: small context records built from the core's results.

Templates read only these records; no search logic lives in the web package.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass

from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from isecg_archive.citing import Links, citation_meta, formatted_citation
from isecg_archive.citing.linked import json_ld_script
from isecg_archive.collection import Collection
from isecg_archive.engine.facets import Facet
from isecg_archive.engine.snippets import split_at
from isecg_archive.errors import ArchiveError, DocumentNotFound, MetadataError, QueryError
from isecg_archive.events import event_slug
from isecg_archive.outputs.feeds import FEED_PATH
from isecg_archive.search import SORTS, ResultPage, SearchRequest
from isecg_archive.storage.history import Entry
from isecg_archive.storage.records import Document, PartialDate
from isecg_archive.web.paragraphs import paragraph_spans
from isecg_archive.web.urls import (
    back_to_search,
    replaced,
    replaced_args,
    search_state,
    with_value,
    without_value,
)

FACET_TITLES = {
    "agency": "Agency",
    "topic": "Topic",
    "type": "Type",
    "year": "Year",
    "event": "Event",
    "organisation": "Related body",
    "author": "Author",
}
SORT_LABELS = {"updated": "recently changed"}
FILTERS = ("agency", "topic", "type", "event", "organisation", "author")  # the facets' filters
FACETS_SHOWN = 8  # values shown before "more"
PAGE_WINDOW = 2  # page numbers shown either side of the current one


def highlight(text: str, matches: tuple[tuple[int, int], ...] | list[list[int]]) -> Markup:
    """The text, escaped, with each match wrapped in <mark>: safe because every part is escaped."""
    return Markup("").join(
        Markup("<mark>%s</mark>") % piece if hit else escape(piece)
        for piece, hit in split_at(text, matches)
    )


_WORD = re.compile(r"""'[^']*'|"[^"]*"|\S+""")


def command_line(command: str) -> Markup:
    """A command line, escaped, each option with its value kept together: a narrow screen
    wraps it between options, and inside one only when it is wider than the screen."""
    groups: list[str] = []
    for word in _WORD.findall(command):
        last = groups[-1] if groups else ""
        if last.startswith("-") and " " not in last and not word.startswith("-"):
            groups[-1] += " " + word  # an option's value
        else:
            groups.append(word)
    return Markup(" ").join(Markup('<span class="arg">%s</span>') % group for group in groups)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    selected: bool
    url: str  # adds the value, or removes it when selected


@dataclass(frozen=True)
class FacetBox:
    name: str
    title: str
    links: tuple[FacetLink, ...]

    @property
    def first(self) -> tuple[FacetLink, ...]:
        return self.links[:FACETS_SHOWN]

    @property
    def rest(self) -> tuple[FacetLink, ...]:
        return self.links[FACETS_SHOWN:]


@dataclass(frozen=True)
class YearBar:
    year: str
    count: int
    percent: int
    url: str  # this year alone, or (when it is the year chosen) no year
    selected: bool = False


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    previous: str | None
    next: str | None
    numbers: tuple[Link | None, ...]  # None stands for a gap


@dataclass(frozen=True)
class SearchPage:
    query: str
    result: ResultPage | None
    error: str | None
    facets: tuple[FacetBox, ...]
    years: tuple[YearBar, ...]
    chips: tuple[Link, ...]  # the filters in force, each linking to the search without it
    clear_all: str | None
    sorts: tuple[Link, ...]
    pagination: Pagination | None
    suggestion: Link | None
    hidden: tuple[tuple[str, str], ...]  # filters the query form carries along
    since: str
    until: str
    last_page_url: str | None
    topic_labels: dict[str, str]
    state: str  # the search as a query string, carried by links to documents
    feed: str  # the Atom feed of this search's newest matches
    exports: tuple[Link, ...]  # every match of this search, in each export format

    @property
    def browsing(self) -> bool:
        return not self.query.strip()


def request_from(args: MultiDict[str, str], collection: Collection) -> SearchRequest:
    """Read a search from the query string; bad values raise an ArchiveError with advice."""
    vocabulary = collection.vocabulary
    try:
        page = int(args.get("page", "1"))
    except ValueError:
        raise QueryError("the page must be a number") from None

    def date(name: str, box: str) -> PartialDate | None:
        value = args.get(name, "").strip()
        try:
            return PartialDate.parse(value) if value else None
        except ArchiveError as exc:
            raise QueryError(f"the {box} box: {exc}") from None

    since, until = date("since", "From"), date("until", "To")
    if since and until and since.key > until.last_key:
        raise QueryError(
            f"the From date ({since}) is after the To date ({until}); change one of them"
        )
    return SearchRequest(
        query=args.get("q", ""),
        agencies=tuple(vocabulary.agency(a) for a in args.getlist("agency")),
        topics=tuple(vocabulary.topic(t) for t in args.getlist("topic")),
        types=tuple(args.getlist("type")),
        events=tuple(args.getlist("event")),
        organisations=tuple(args.getlist("organisation")),
        authors=tuple(args.getlist("author")),
        since=since,
        until=until,
        sort=args.get("sort", "relevance"),
        page=page,
    )


def _facet_boxes(facets: tuple[Facet, ...], args: MultiDict[str, str]) -> tuple[FacetBox, ...]:
    boxes = []
    for facet in facets:
        if facet.name == "year":
            continue
        links = tuple(
            FacetLink(
                value.label,
                value.count,
                value.selected,
                without_value(args, facet.name, value.value)
                if value.selected
                else with_value(args, facet.name, value.value),
            )
            for value in facet.values
        )
        boxes.append(FacetBox(facet.name, FACET_TITLES[facet.name], links))
    return tuple(boxes)


def _years(facets: tuple[Facet, ...], args: MultiDict[str, str]) -> tuple[YearBar, ...]:
    """The years of the matches (counted without the date filter, so that every year of the
    search stays there to choose), the chosen one marked: choosing it again removes it."""
    years = next((f.values for f in facets if f.name == "year"), ())
    most = max((v.count for v in years), default=1) or 1
    chosen = args.get("since", "") if args.get("since", "") == args.get("until", "") else ""
    return tuple(
        YearBar(
            value.value,
            value.count,
            5 * round(20 * value.count / most),  # in steps of 5%, the widths style.css has
            replaced(args, since=None, until=None, page=None)
            if value.value == chosen
            else replaced(args, since=value.value, until=value.value, page=None),
            value.value == chosen,
        )
        for value in sorted(years, key=lambda v: v.value)
    )


def _chips(
    request: SearchRequest,
    args: MultiDict[str, str],
    topic_labels: dict[str, str],
    facets: tuple[Facet, ...],
) -> tuple[Link, ...]:
    chips = [Link(f"Agency: {a}", without_value(args, "agency", a)) for a in args.getlist("agency")]
    chips += [
        Link(f"Topic: {topic_labels.get(t, t)}", without_value(args, "topic", t))
        for t in args.getlist("topic")
    ]
    chips += [
        Link(f"Type: {t.replace('-', ' ')}", without_value(args, "type", t))
        for t in args.getlist("type")
    ]
    labels = {(f.name, v.value.lower()): v.label for f in facets for v in f.values}
    for name in ("event", "organisation", "author"):
        chips += [
            Link(
                f"{FACET_TITLES[name]}: {labels.get((name, value.lower()), value)}",
                without_value(args, name, value),
            )
            for value in args.getlist(name)
        ]
    if request.since:
        chips.append(Link(f"From {request.since}", replaced(args, since=None, page=None)))
    if request.until:
        chips.append(Link(f"To {request.until}", replaced(args, until=None, page=None)))
    return tuple(chips)


def _pagination(result: ResultPage, args: MultiDict[str, str]) -> Pagination | None:
    page, pages = result.request.page, result.pages
    if pages <= 1 and page == 1:
        return None
    numbers: list[Link | None] = []
    for number in range(1, pages + 1):
        if number in (1, pages) or abs(number - page) <= PAGE_WINDOW:
            numbers.append(Link(str(number), replaced(args, page=number), number == page))
        elif numbers and numbers[-1] is not None:
            numbers.append(None)
    return Pagination(
        page,
        pages,
        replaced(args, page=page - 1) if 1 < page <= pages + 1 else None,
        replaced(args, page=page + 1) if page < pages else None,
        tuple(numbers),
    )


def search_page(collection: Collection, args: MultiDict[str, str]) -> SearchPage:
    topic_labels = {t.key: t.label for t in collection.vocabulary.topics}
    query = args.get("q", "")
    result = error = None
    try:
        request = request_from(args, collection)
        result = collection.search(request)
    except (QueryError, MetadataError) as exc:  # the reader's to fix; the rest, the handlers'
        error = str(exc)
        request = SearchRequest()
    facets = result.facets if result else ()
    # What the reader takes away (feed, exports) is what the page shows: a relaxed query's words.
    taken = replaced_args(args, q=result.relaxed.query) if result and result.relaxed else args
    sort = request.effective_sort
    hidden = tuple(
        (key, value) for key, value in args.items(multi=True) if key in (*FILTERS, "sort") and value
    )
    last_page = None
    if result and result.total and not result.hits:
        last_page = replaced(args, page=result.pages)
    return SearchPage(
        query=query,
        result=result,
        error=error,
        facets=_facet_boxes(facets, args),
        years=_years(facets, args),
        chips=_chips(request, args, topic_labels, facets) if result else (),
        clear_all=replaced(args, since=None, until=None, page=None, **dict.fromkeys(FILTERS)),
        sorts=tuple(
            Link(SORT_LABELS.get(name, name), replaced(args, sort=name, page=None), name == sort)
            for name in SORTS
            if name != "relevance" or query.strip()
        ),
        pagination=_pagination(result, args) if result else None,
        suggestion=Link(result.suggestion, replaced(args, q=result.suggestion, page=None))
        if result and result.suggestion
        else None,
        hidden=hidden,
        since=args.get("since", ""),
        until=args.get("until", ""),
        last_page_url=last_page,
        topic_labels=topic_labels,
        state=search_state(args),
        feed=FEED_PATH + search_state(taken, leave_out=("sort", "page")),
        exports=tuple(
            Link(label, EXPORT_PATH + search_state(replaced_args(taken, format=name), ("page",)))
            for name, label in EXPORT_LABELS.items()
        ),
    )


EXPORT_PATH = "/export"
EXPORT_LABELS = {
    "csv": "CSV",
    "jsonl": "JSON Lines",
    "bibtex": "BibTeX",
    "ris": "RIS",
    "csl-json": "CSL-JSON",
}


@dataclass(frozen=True)
class PageText:
    number: int
    paragraphs: tuple[Markup, ...]  # escaped, with the query's hits marked
    hits: int


def _paragraphs(text: str, found: tuple[tuple[int, int], ...]) -> tuple[Markup, ...]:
    """The page's paragraphs (web/paragraphs.py), each with the hits that fall in it marked."""
    shown = []
    for start, end in paragraph_spans(text):
        inside = tuple(
            (max(a, start) - start, min(b, end) - start) for a, b in found if a < end and b > start
        )
        # A join is a space, or nothing after a hyphen ("well-known"): one character for one,
        # so that the hits' offsets still hold.
        joined = text[start:end].replace("-\n", "-\u200b").replace("\n", " ")
        shown.append(highlight(joined, inside))
    return tuple(shown)


@dataclass(frozen=True)
class DocumentPage:
    document: Document
    pages: tuple[PageText, ...]
    query: str
    more: tuple[Document, ...]
    versions: tuple[Document, ...]
    topic_labels: dict[str, str]
    state: str  # the search the reader came from, as a query string ("" if none)
    back: str  # that search's page
    url: str  # the document's stable address
    citation: Markup  # in APA style, escaped
    meta: tuple[tuple[str, str], ...]  # embedded citation metadata (citing/meta.py)
    json_ld: Markup  # schema.org JSON-LD (citing/linked.py), safe inside a <script>
    event: str | None  # the slug of its event's page
    history: tuple[HistoryLine, ...]  # its changes, newest first
    correct: str  # the command that corrects its record
    start: int = 0  # a recording's: the second its player starts at (?t=)

    @property
    def from_search(self) -> bool:
        return bool(self.state)

    @property
    def pages_with_hits(self) -> tuple[int, ...]:
        return tuple(page.number for page in self.pages if page.hits)


def document_page(
    collection: Collection, document: Document, args: MultiDict[str, str], links: Links
) -> DocumentPage:
    query = args.get("q", "")
    start = args.get("t", "")
    pages = collection.extraction(document).pages
    matches: tuple[tuple[tuple[int, int], ...], ...] = tuple(() for _ in pages)
    if query.strip():
        try:
            matches = collection.page_matches(query, pages)
        except (QueryError, MetadataError):
            pass  # a query that cannot be read highlights nothing; the page still shows
    return DocumentPage(
        document=document,
        pages=tuple(
            PageText(number, _paragraphs(text, found), len(found))
            for number, (text, found) in enumerate(zip(pages, matches, strict=True), start=1)
        ),
        query=query,
        more=tuple(d for d in collection.more_like_this(document) if d.id not in document.versions),
        versions=tuple(_visible(collection, document.versions)),
        topic_labels={t.key: t.label for t in collection.vocabulary.topics},
        state=search_state(args),
        back=back_to_search(args),
        url=links.document(document.id),
        citation=Markup(formatted_citation(document, links, as_html=True)),
        meta=tuple(citation_meta(document, links)),
        json_ld=Markup(json_ld_script(document, links)),  # nothing in it can end the script
        event=event_slug(document),
        history=tuple(
            HistoryLine(
                entry.when[:16].replace("T", " "), entry.action, _changed(entry), entry.command
            )
            for entry in reversed(list(collection.history(document)))
        ),
        correct=shlex.join(["isecg-archive", "edit", document.id, "--title", document.title]),
        start=int(start) if start.isdigit() and len(start) < 9 else 0,
    )


def _visible(collection: Collection, document_ids: tuple[str, ...]) -> Iterator[Document]:
    """The documents of these ids the viewer shows (one for the agencies only may be hidden)."""
    for document_id in document_ids:
        with suppress(DocumentNotFound):
            yield collection.find(document_id)


@dataclass(frozen=True)
class HistoryLine:
    when: str
    action: str
    changes: tuple[str, ...]  # "date: 2015 → 2016-04"
    command: str


def _changed(entry: Entry) -> tuple[str, ...]:
    if entry.action in ("ingest", "remove", "restore"):
        return ()

    def shown(value: object) -> str:
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "none"
        return "none" if value in (None, "") else str(value)

    before, after = entry.before, entry.after
    return tuple(
        f"{name.replace('_', ' ')}: {shown(before.get(name))} → {shown(after.get(name))}"
        for name in entry.fields
        if before.get(name) != after.get(name)
    )
