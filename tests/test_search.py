import dataclasses
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as q

from isecg_archive.collection import Collection
from isecg_archive.errors import QueryError
from isecg_archive.events import event_slug
from isecg_archive.pipeline.ingest import ingest
from isecg_archive.search import Relaxed, SearchRequest
from isecg_archive.storage.records import Document, PartialDate

from conftest import DEMO


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    """The committed demo collection, indexed into a temp folder (the archive is only read)."""
    collection = Collection(DEMO, tmp_path_factory.mktemp("demo-index"))
    collection.reindex()
    return collection


def titles(collection: Collection, request: SearchRequest) -> list[str]:
    return [hit.document.title for hit in collection.search(request).hits]


def test_a_phrase_on_page_3_reports_page_3(filled: Collection):
    result = filled.search(SearchRequest('"basaltic glass beads"'))
    assert result.total == 1
    (hit,) = result.hits
    assert hit.document.title == "Regolith Handling Report"
    snippet = hit.snippets[0]
    assert snippet.page == 3
    assert [snippet.text[a:b] for a, b in snippet.matches] == ["basaltic", "glass", "beads"]


def test_stemming_finds_other_forms(demo: Collection):
    assert (
        demo.search(SearchRequest("volatile")).total
        == demo.search(SearchRequest("volatiles")).total
        == 7
    )


def test_stemming_undoubles_consonants_and_keeps_short_words_whole(
    collection: Collection, tmp_path: Path
):
    """Snowball's English stemmer: "planned" is "plan" (Whoosh's Porter left "plann") and
    "added" is "add" (Whoosh's Porter2 made it "ad", the stem of "ads")."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "plan.txt").write_text("Plan for a transmitter\n\nWe plan to transmit an ad.\n")
    (inbox / "add.txt").write_text("Additions\n\nWe add one more.\n")
    ingest(collection, [inbox])

    def titles(query: str) -> list[str]:
        return sorted(hit.document.title for hit in collection.search(SearchRequest(query)).hits)

    assert titles("planned") == ["Plan for a transmitter"]
    assert titles("transmitting") == ["Plan for a transmitter"]
    assert titles("added") == ["Additions"]
    assert titles("ads") == ["Plan for a transmitter"]


def test_a_pattern_stands_for_a_bounded_number_of_words_as_written(
    collection: Collection, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    words = " ".join(f"qa{n:04d}" for n in range(1200))
    (inbox / "many.txt").write_text(f"Many words\n\n{words} Mars missions\n")
    ingest(collection, [inbox])

    assert collection.search(SearchRequest("m?rs")).total == 1  # "mars" is indexed as "mar"
    assert collection.search(SearchRequest("missio*")).total == 1
    assert collection.search(SearchRequest("qa00?5")).total == 1  # ten words
    with pytest.raises(QueryError) as raised:
        collection.search(SearchRequest("qa*"))
    assert str(raised.value) == (
        "the pattern 'qa*' matches more than 1,000 words; put more letters in it"
        " (as in volatil* or m?rs)"
    )
    assert collection.search(SearchRequest("*")).total == 1


def test_query_syntax(demo: Collection):
    def total(query: str) -> int:
        return demo.search(SearchRequest(query)).total

    assert total("gateway") == 6
    assert total("gateway AND mars") == 2
    assert total("gateway NOT mars") == 4
    assert total("gateway OR asteroid") == 9
    assert total('"water ice"') == 5
    assert total("cryogen*") == 1
    assert total("title:roadmap") == 5
    assert total("agency:kasa") == 2
    assert total("topic:mars type:presentation") == 2


def test_filters_combine(demo: Collection):
    request = SearchRequest(
        "", agencies=("JAXA",), topics=("lunar-polar-volatiles",),
        since=PartialDate(2016), until=PartialDate(2024),
    )  # fmt: skip
    assert titles(demo, request) == [
        "Lunar South Pole Science and Resources Workshop: Summary",
        "Lunar Polar Volatiles Virtual Workshop 2020: Summary",
        "Lunar Polar Volatiles Workshop 2016: Summary",
    ]
    assert demo.search(SearchRequest(types=("news", "white-paper"))).total == 7


def test_sort_by_date(demo: Collection):
    newest = [h.document.date for h in demo.search(SearchRequest("mars", sort="newest")).hits]
    oldest = [h.document.date for h in demo.search(SearchRequest("mars", sort="oldest")).hits]
    assert newest[:3] == [PartialDate(2026, 3), PartialDate(2025, 1, 22), PartialDate(2024, 9)]
    assert oldest[:3] == [PartialDate(2011, 9), PartialDate(2013, 8), PartialDate(2015, 3)]
    assert demo.search(SearchRequest("mars", sort="newest")).hits[0].score is None


def test_browsing_lists_everything_newest_first(demo: Collection):
    result = demo.search(SearchRequest(per_page=3))
    assert result.total == 27 and result.pages == 9
    assert [h.document.title for h in result.hits] == [
        "Preparing for Human Missions to Mars: a White Paper",
        "Korean Lunar Exploration Plan: Overview for ISECG",
        "ISECG begins work on the next Global Exploration Roadmap",
    ]


def test_pages_and_a_page_past_the_end(demo: Collection):
    first = demo.search(SearchRequest("lunar", per_page=5))
    second = demo.search(SearchRequest("lunar", per_page=5, page=2))
    assert first.total == second.total == 18 and first.pages == 4
    assert [h.rank for h in second.hits] == [6, 7, 8, 9, 10]
    assert {h.document.id for h in first.hits}.isdisjoint(h.document.id for h in second.hits)
    past = demo.search(SearchRequest("lunar", per_page=5, page=9))
    assert past.total == 18 and past.hits == ()


def records_of(collection: Collection) -> list[Document]:
    return list(collection.archive.records())


def brute_force_facets(records: list[Document]) -> dict[str, Counter[str]]:
    return {
        "agency": Counter(a for r in records for a in r.agencies),
        "topic": Counter(t for r in records for t in r.topics),
        "type": Counter(r.type for r in records),
        "year": Counter(str(r.date.year) for r in records if r.date),
        "event": Counter(event_slug(r) for r in records if r.event),
        "organisation": Counter(o for r in records for o in r.organisations),
        "author": Counter(a for r in records for a in r.authors),
    }


@pytest.mark.parametrize(
    ("request_", "keep"),
    [
        (SearchRequest(), lambda r: True),
        (SearchRequest(agencies=("NASA",)), lambda r: "NASA" in r.agencies),
        (
            SearchRequest(topics=("mars",), types=("presentation", "report")),
            lambda r: "mars" in r.topics and r.type in ("presentation", "report"),
        ),
        (
            SearchRequest(since=PartialDate(2018), until=PartialDate(2021, 6)),
            lambda r: r.date is not None and 20180000 <= r.date.key <= 20210631,
        ),
    ],
)
def test_facet_counts_equal_a_count_over_the_records(demo: Collection, request_, keep):
    """Types and years widen: each is counted among the matches without its own filter."""
    records = [r for r in demo.archive.records() if keep(r)]
    result = demo.search(request_)
    assert result.total == len(records)
    counted = {
        f.name: Counter({v.value: v.count for v in f.values if v.count}) for f in result.facets
    }
    expected = brute_force_facets(records)
    wider = {
        "type": dataclasses.replace(request_, types=()),
        "year": dataclasses.replace(request_, since=None, until=None),
    }
    for facet, request in wider.items():
        found = demo.search(dataclasses.replace(request, per_page=100))
        others = {hit.document.id for hit in found.hits}
        expected[facet] = brute_force_facets([r for r in records_of(demo) if r.id in others])[facet]
    assert counted == expected


def test_facets_count_all_matches_not_just_the_page(demo: Collection):
    result = demo.search(SearchRequest("lunar", per_page=1))
    assert len(result.hits) == 1
    agency = {v.value: v.count for v in result.facets[0].values}
    assert agency["NASA"] == 11


def test_json_shape_is_stable(filled: Collection):
    data = filled.search(SearchRequest("conveyor", agencies=("ESA",))).to_dict()
    assert list(data) == [
        "query", "filters", "sort", "total", "matched_all", "page", "pages", "per_page", "hits",
        "facets", "suggestion", "relaxed",
    ]  # fmt: skip
    assert data["filters"] == {
        "agency": ["ESA"], "topic": [], "type": [], "event": [], "organisation": [],
        "author": [], "since": None, "until": None,
    }  # fmt: skip
    (hit,) = data["hits"]
    assert list(hit) == [
        "rank", "id", "title", "date", "agencies", "topics", "organisations", "authors", "event",
        "event_slug", "type", "format", "file", "pages", "internal", "score", "matched", "snippets",
        "versions",
    ]  # fmt: skip
    assert hit["snippets"][0]["page"] == 3
    assert data["facets"]["agency"] == [
        {"value": "DLR", "label": "DLR", "count": 1, "selected": False},
        {"value": "ESA", "label": "ESA", "count": 1, "selected": True},
    ]
    assert data["facets"]["year"] == [
        {"value": "2015", "label": "2015", "count": 1, "selected": False}
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "x " * 10_001,
            "the query is 20001 characters long; shorten it to at most 20,000 characters",
        ),
    ],
)
def test_bad_queries_get_a_clear_message(filled: Collection, query: str, message: str):
    with pytest.raises(QueryError) as caught:
        filled.search(SearchRequest(query))
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "query", ['"unbalanced', "agency:", "(((", "AND OR NOT", "\x00\x07bell", "*"]
)
def test_odd_queries_do_not_crash(filled: Collection, query: str):
    try:
        filled.search(SearchRequest(query))
    except QueryError as error:
        assert "\n" not in str(error)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=60))
def test_no_query_string_crashes_search(filled: Collection, query: str):
    try:
        result = filled.search(SearchRequest(query))
    except QueryError:
        return
    assert 0 <= result.total <= 5


@settings(max_examples=30, deadline=None)
@given(word=st.from_regex(r"[a-z]{4,12}", fullmatch=True))
def test_any_ingested_word_is_findable(word: str):
    from isecg_archive.pipeline.ingest import ingest

    # A fresh folder per example: Hypothesis reseeds `random`, which Whoosh uses to name
    # segments, so examples sharing one index would collide on segment names.
    with tempfile.TemporaryDirectory() as tmp:
        collection = Collection(Path(tmp) / "archive")
        source = Path(tmp) / f"note-{word}.txt"
        source.write_text(f"Field notes about {word} near the lunar south pole.", encoding="utf-8")
        ingest(collection, [source])
        assert collection.search(SearchRequest(word)).total == 1


def spans_by_analyzer(text: str, terms: frozenset[str], analyzer) -> list[tuple[int, int, str]]:
    """What snippets.spans() must find, through Whoosh's analyzer."""
    return [
        (token.startchar, token.endchar, token.text)
        for token in analyzer(text, chars=True, positions=False, mode="index")
        if token.text in terms
    ]


def test_the_fast_word_matcher_finds_what_the_analyzer_finds(demo: Collection):
    """snippets.spans() stands in for Whoosh's analyzer: same words, same places."""
    from isecg_archive.engine.snippets import spans

    with demo.index.searcher() as searcher:
        analyzer = searcher.schema["content"].analyzer
        vocabulary = frozenset(t.decode() for t in searcher.reader().lexicon("content"))
    terms = frozenset(vocabulary) | {"kei", "toi"}  # every indexed word, and stems like key's
    pages = [page for doc in demo.archive.records() for page in demo.extraction(doc).pages]
    assert len(pages) == 70
    for page in pages:
        assert spans(page, terms) == spans_by_analyzer(page, terms, analyzer)
        # One or two terms (as most queries have) are found by searching for their openings.
        found = sorted({token.text for token in analyzer(page)})
        for few in (found[:1], found[-2:], found[len(found) // 2 :][:2]):
            assert spans(page, frozenset(few)) == spans_by_analyzer(page, frozenset(few), analyzer)
    for text in TRICKY_TEXTS:
        every = frozenset(token.text for token in analyzer(text))
        assert spans(text, every) == spans_by_analyzer(text, every, analyzer), text
        for term in every:  # one term at a time: the page scan skips all other words
            one = frozenset({term})
            assert spans(text, one) == spans_by_analyzer(text, one, analyzer), (text, term)


def window_by_definition(spans: list[tuple[int, int, str]]) -> int:
    """Where a snippet's window starts, by its definition: at the first hit whose window (the
    hits that end within WIDTH characters of it) holds the most distinct words, then hits."""
    from isecg_archive.engine.snippets import WIDTH

    def score(start: int) -> tuple[int, int]:
        inside = [span for span in spans if start <= span[0] and span[1] <= start + WIDTH]
        return len({term for _, _, term in inside}), len(inside)

    best = max(score(start) for start, _, _ in spans)
    return next(start for start, _, _ in spans if score(start) == best)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 80), st.integers(1, 260), st.sampled_from("abc"), st.booleans()),
        min_size=1,
        max_size=30,
    )
)
def test_a_snippet_window_starts_where_it_holds_the_most_words_then_hits(words):
    """snippets.window_start() slides over the hits; it picks the window the definition picks,
    with words far apart, long words, and two forms of one word at one place (X-ray)."""
    from isecg_archive.engine.snippets import window_start

    spans, place = [], 0
    for gap, length, term, twice in words:
        place += gap
        spans.append((place, place + length, term))
        if twice:
            spans.append((place, place + length, term.upper()))
        place += length
    assert window_start(spans) == window_by_definition(spans)


TRICKY_TEXTS = [
    "The the A a I of: lunar LUNAR Lunar lunar.",  # stop words first, case, one letter
    "U.S.A. e.g. 3.5 km v2.0 ISECG's x...y a.b.c",  # dotted words, numbers, apostrophes
    "x..lunar a.lunar .lunar _lunar lunar_x LUNAR.surface 1lunar",  # where words begin
    "Ålesund café naïve Москва 月面 Ÿ",  # letters beyond ASCII
    "İzmir İZMIR lunar ΟΔΟΣ Lunar",  # lower case makes İ two characters: offsets shift
    "",
    "   \n\n\f  ",
    "of the and",  # nothing but stop words
    "exploration explorations explored exploring explore",  # one stem, many words
    # stems that rewrite a word's end, and terms that begin others (explor, exploratori)
    "capabilities happily studies hoping relational ugly skies agreed cried exploratory",
    "R&D AT&T &x x& C++ g++x c+ 3-D -3-D e-mail e--mail x-ray- a-b-c in-situ B-52",  # joined
]


def test_the_content_field_indexes_exactly_as_whoosh_does(demo: Collection):
    """ContentField's fast index() gives the postings of Whoosh's own pipeline with the same
    analyzer (tokenizer, joined words, lower case, stop words, stemmer): terms, counts, weights,
    positions."""
    from whoosh.fields import TEXT

    from isecg_archive.engine.analysis import analyzer
    from isecg_archive.index import ContentField

    fast, reference = ContentField(), TEXT(analyzer=analyzer())
    documents = ["\n\n".join(demo.extraction(doc).pages) for doc in demo.archive.records()]
    assert len(documents) == 27
    for text in documents + TRICKY_TEXTS:
        assert list(fast.index(text)) == list(reference.index(text))
    terms = [term for term, *_ in fast.index("The lunar, the LUNAR surface")]
    assert terms == [b"lunar", b"surfac"]
    joined = [term for term, *_ in fast.index("R&D for C++ in 3-D by e-mail, in-situ, U.S.")]
    assert sorted(joined) == [b"3d", b"c++", b"email", b"mail", b"r&d", b"situ", b"u."]


def spelling_and_text(collection: Collection) -> tuple[set[str], set[str]]:
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter

    from isecg_archive.engine.analysis import TOKEN, JoinedWords

    # The content analyzer without its stemmer.
    unstemmed = RegexTokenizer(TOKEN) | JoinedWords() | LowercaseFilter() | StopFilter()

    with collection.index.searcher() as searcher:
        spelling = {term.decode() for term in searcher.reader().lexicon("spelling")}
    documents = collection.archive.records()
    pages = [page for doc in documents for page in collection.extraction(doc).pages]
    return spelling, {token.text for page in pages for token in unstemmed(page)}


def test_did_you_mean_knows_every_word_after_a_batch(filled: Collection, demo: Collection):
    """The spelling field gets each word once per batch, yet holds every word of the text."""
    for collection, word in ((filled, "basaltic"), (demo, "volatiles")):  # ingest, reindex
        spelling, text = spelling_and_text(collection)
        assert spelling == text
        assert word in spelling and "the" not in spelling


def test_did_you_mean_mends_a_letter_swapped_dropped_or_doubled(demo: Collection):
    def suggested(query: str) -> str | None:
        return demo.search(SearchRequest(query)).suggestion

    assert suggested("gatewya") == "gateway"  # two letters swapped
    assert suggested("lunr") == "lunar"  # one dropped
    assert suggested("cislunra habitat") == "cislunar habitat"
    assert suggested("regollith") == "regolith"  # one doubled
    assert suggested("xqzzy") is None  # nothing near it
    # The words, grouped, are kept beside the index for the next process.
    assert len(list(demo.index.path.glob("spelling-read-once-*.pickle"))) == 1


def test_what_is_read_once_is_kept_for_the_next_process(
    filled: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A new searcher of the same index generation starts from the file the first one wrote;
    the next generation gets a file of its own, and a damaged file is read past."""
    from isecg_archive.engine import readers

    request = SearchRequest("lunar")
    first = filled.search(request).to_dict()
    (kept,) = filled.index.path.glob("read-once-*.pickle")

    def unread(*args: object) -> None:
        raise AssertionError("read from the index again")

    with monkeypatch.context() as patched:  # as another process would: nothing in memory
        patched.setattr(readers, "read_value_bits", unread)
        patched.setattr(readers, "read_shared_families", unread)
        assert filled.search(request).to_dict() == first

    note = tmp_path / "lunar-note.txt"
    note.write_text("A lunar note from JAXA on regolith.", encoding="utf-8")
    ingest(filled, [note])
    after = filled.search(request)
    (newer,) = filled.index.path.glob("read-once-*.pickle")
    assert newer != kept and after.total == first["total"] + 1
    agencies = {value.value: value.count for value in after.facets[0].values}
    assert agencies["JAXA"] == 1 + next(
        (v["count"] for v in first["facets"]["agency"] if v["value"] == "JAXA"), 0
    )

    newer.write_bytes(b"not a pickle")
    assert filled.search(request).to_dict() == after.to_dict()


def test_cached_facet_values_equal_a_fresh_read(demo: Collection):
    from isecg_archive.engine.readers import read_value_bits, value_bits

    with demo.index.searcher() as searcher:
        reader = searcher.reader()
        for field in ("agency", "topic", "type", "year"):
            assert value_bits(reader, field) == read_value_bits(reader, field)
            assert value_bits(reader, field) is value_bits(reader, field)


def test_words_whose_stem_ends_otherwise_get_snippets(filled: Collection, tmp_path: Path):
    """'key' is indexed as 'kei', 'toy' as 'toi': their snippets still mark the word itself."""
    from isecg_archive.pipeline.ingest import ingest

    note = tmp_path / "key.txt"
    note.write_text("Dry regolith is a key issue for the key workshop.", encoding="utf-8")
    ingest(filled, [note])
    (hit,) = filled.search(SearchRequest("key")).hits
    (snippet,) = hit.snippets
    assert [snippet.text[a:b] for a, b in snippet.matches] == ["key", "key"]


def test_opening_the_index_reads_its_segments_from_disk_not_into_memory(demo: Collection):
    """A memory-mapped segment would be copied whole into memory at every open (see index.py)."""
    import tracemalloc

    segments = sum(f.stat().st_size for f in demo.index.path.glob("*.seg"))
    assert segments > 400_000  # big enough that a copy would show
    tracemalloc.start()
    try:
        searcher = demo.index.open_searcher()
        opened, _ = tracemalloc.get_traced_memory()
        searcher.close()
    finally:
        tracemalloc.stop()
    assert opened < segments / 4


QUERY_SHAPES = [
    "lunar", "gateway logistics", "gateway OR asteroid", "gateway NOT mars",
    "gateway AND NOT (mars OR moon)", '"water ice"', '"permanently shadowed regions"',
    '"water ice"~3', '"the water"', '"ice ice"', "cryogen*", "lun?r", "title:roadmap",
    "agency:kasa", "topic:mars type:presentation", "lunar^3 gateway", "(lunar OR mars)^0.5 dust",
    "year:[2015 TO 2020] lunar", "no-such-word", "gateway no-such-word", "",
    "text:volatiles OR author:smith", "zzz OR lunar",
]  # fmt: skip


def whoosh_parsed(text: str, schema):
    """The query as Whoosh's own parser reads it: terms per field, no `Word`s."""
    from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser

    from isecg_archive.engine.query import FIELD_ALIASES, TEXT_FIELDS

    parser = MultifieldParser(list(TEXT_FIELDS), schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser.parse(text) if text else q.Every()


def test_block_reads_find_and_score_every_match_as_whoosh_does(tmp_path: Path):
    """ranking.matches() against Whoosh's own search with the archive's weighting model, over
    every shape of query the syntax allows, and the facet values' bitsets against Whoosh's
    postings, on an index of several segments with deleted documents."""
    from whoosh.searching import Searcher

    from isecg_archive.engine import ranking
    from isecg_archive.engine.readers import bitset, value_bits
    from isecg_archive.engine.scoring import BM25F
    from isecg_archive.pipeline.ingest import ingest

    collection = Collection(tmp_path / "archive")
    sources = sorted(p for p in (DEMO).iterdir() if not p.name.endswith(".json"))
    for batch in (sources[:9], sources[9:18], sources[18:]):
        ingest(collection, batch)
    for name in ("lunar-polar-volatiles-workshop-2016-summary.pdf", sources[3].name):
        collection.remove(collection.archive.read(name).id)
    with collection.index.searcher() as ours:
        assert len(ours.reader().leaf_readers()) == 3 and ours.reader().has_deletions()
        stock = Searcher(ours.reader(), weighting=BM25F(), closereader=False)
        for text in QUERY_SHAPES:
            parsed = whoosh_parsed(text, ours.schema)
            expected = {hit.docnum: hit.score for hit in stock.search(parsed, limit=None)}
            found = ranking.matches(ours, parsed)
            assert found == pytest.approx(expected, rel=1e-12), text
            if text in ("lunar", '"water ice"', "gateway NOT mars", "lun?r", ""):
                assert found, f"{text!r} finds something in the demo collection"
        reader, size = ours.reader(), ours.reader().doc_count_all()
        for field in ("agency", "topic", "type", "year"):
            assert value_bits(reader, field) == {
                term.decode(): bitset(reader.postings(field, term).all_ids(), size)
                for term in reader.lexicon(field)
            }


def test_questions_are_read_as_typed(demo: Collection):
    """A question mark is punctuation; question words need not be in a match."""
    for text in ("what did the lunar polar volatiles workshops find?", "lunar polar volatiles"):
        result = demo.search(SearchRequest(text))
        assert result.hits[0].document.file.startswith("lunar-polar-volatiles"), text
        assert result.hits[0].matched == "all"
    assert demo.search(SearchRequest("m?rs")).total > 0  # inside a word: a wildcard


def test_a_ten_word_question_no_document_has_all_of_still_finds_the_right_one(demo: Collection):
    text = "which agencies assessed technologies for extracting oxygen from martian regolith soil"
    result = demo.search(SearchRequest(text))
    assert result.complete == 0 and result.total > 1
    assert result.hits[0].document.file == "isru-technology-assessment-2015.txt"
    assert {hit.matched for hit in result.hits} == {"some"}


def test_spellings_and_acronyms_find_each_other(demo: Collection):
    isru = "isru-technology-assessment-2015.txt"
    for text in ("utilization", "utilisation", "ISRU", "in situ resource utilization"):
        found = [hit.document.file for hit in demo.search(SearchRequest(text)).hits]
        assert isru in found, text
    # The snippets mark what was found: the expansion, for the acronym.
    hit = next(h for h in demo.search(SearchRequest("ISRU")).hits if h.document.file == isru)
    marked = {hit.snippets[0].text[a:b].lower() for a, b in hit.snippets[0].matches}
    assert {"isru", "resource", "utilisation"} <= marked
    # A word in quotes is searched as written; as the demo never writes it so, its other
    # spellings are searched for instead, and the result says so.
    quoted = demo.search(SearchRequest('"utilization"'))
    assert (quoted.total, quoted.relaxed) == (
        1,
        Relaxed("utilization", "No document has “utilization” as written"),
    )


def test_more_like_this_lists_the_same_workshop_series_first(demo: Collection):
    series = {
        "lunar-polar-volatiles-workshop-2014-announcement.html",
        "lunar-polar-volatiles-workshop-2016-summary.pdf",
        "lunar-polar-volatiles-virtual-workshop-2020-summary.pdf",
    }
    for name in series:
        document = demo.archive.read(name)
        first = [d.file for d in demo.more_like_this(document)][:2]
        assert set(first) == series - {name}, name


def test_a_word_far_more_common_than_the_rarest_is_not_needed_for_all_the_words(
    demo: Collection,
):
    """ "Tokyo" is in one document of 27, "partners" in nine: a document with Tokyo has all the
    words that tell; "roadmap" (in five) is rare enough to be needed."""
    summary = "Lunar Surface Operations Workshop: Summary"
    text = (DEMO / "lunar-surface-operations-workshop-2019-summary.txt").read_text()
    assert "Tokyo" in text and "partner" not in text.lower() and "roadmap" not in text.lower()
    common = demo.search(SearchRequest("Tokyo partners"))
    assert (common.complete, common.hits[0].document.title, common.hits[0].matched) == (
        1,
        summary,
        "all",
    )
    rarer = demo.search(SearchRequest("Tokyo roadmap"))
    assert (rarer.complete, rarer.hits[0].document.title, rarer.hits[0].matched) == (
        0,
        summary,
        "some",
    )


def test_a_field_takes_a_phrase_as_its_value(demo: Collection):
    """title:"polar volatiles" is Whoosh's syntax for a phrase in a field, not a field with no
    value; a field with nothing after it still is one."""
    found = titles(demo, SearchRequest('title:"polar volatiles"', per_page=100))
    assert sorted(found) == [
        "ISECG announces the Lunar Polar Volatiles Workshop",
        "Lunar Polar Volatiles Virtual Workshop 2020: Summary",
        "Lunar Polar Volatiles Workshop 2016: Summary",
        "Prospecting Lunar Polar Volatiles with Small Rovers",
    ]
    assert demo.search(SearchRequest('event:"polar volatiles"')).total == 2
    # A field with nothing after it cannot be read: the words are searched for, and it says so.
    relaxed = demo.search(SearchRequest('polar title: "volatiles"')).relaxed
    assert relaxed is not None and relaxed.query == "polar volatiles"
    assert relaxed.reason.startswith("The query cannot be read as written (title: has no value")
