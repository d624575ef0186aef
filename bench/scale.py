"""The archive at scale: a synthetic collection of N documents, ingested, searched and served.

    python bench/scale.py --documents 1000        (or 10000; `make bench-scale`)

Generates (once, cached in bench/.cache/) N documents of about 3,000 words: a fifth are
multi-page PDFs, the rest text and Markdown, with agencies, topics, types and dates spread like
a real collection. Then measures, and prints as a table and as JSON:
- first ingest and reindex throughput (pages/s, documents/s), peak memory of the ingest, its
  longest pause on a commit and where its CPU went (bench/pauses.py), the index's segments
  after each and the result page on both (`page_ingested_vs_reindexed`: a copy of the ingested
  index and the reindexed one searched in one process, alternating), and the throughput
  of ingesting text PDFs alone (a sample of the collection's);
- the time to add one document to the full archive;
- the full result page (top 10, facet counts over all matches, snippets with pages) in
  process over a fixed query mix, after a pass not timed (as tantivy's): p50, p95, max; and
  the same work done the naive way (Whoosh groupedby facets, highlighting over the whole
  stored text), as a ratio;
- the viewer's search page over HTTP, and its peak memory;
- `isecg-archive search --json` as a whole process;
- the index size on disk;
- the peers, on the same extracted texts in the same run: a plain single-process Whoosh
  writer with the same analyzer (its pages/s, and the ingest's share of it), and tantivy (its
  indexing pages/s, its index size, and the same full result page: total, facet counts over
  all matches by aggregation on fast fields, top 10, and a snippet of three snippets' length a
  hit), each printed with our figure's ratio to it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
sys.path.insert(0, str(ROOT / "demo"))

AGENCIES = [("NASA", 30), ("European Space Agency", 25), ("JAXA", 15), ("Canadian Space Agency", 8),
            ("DLR", 5), ("CNES", 5), ("ISRO", 4), ("ASI", 3), ("KARI", 2), ("UK Space Agency", 2),
            ("CNSA", 1)]  # fmt: skip
TOPIC_WORDS = {
    "lunar-polar-volatiles": "polar volatiles permanently shadowed regions water ice cold traps",
    "global-exploration-roadmap": "Global Exploration Roadmap mission scenario common goals",
    "lunar-surface": "lunar surface landing sites lunar rovers regolith lunar night",
    "cislunar-gateway": "Gateway cislunar near-rectilinear halo orbit logistics",
    "mars": "Mars Martian Phobos sample return red planet",
    "near-earth-asteroids": "near-Earth asteroids planetary defence deflection",
    "science": "science objectives scientific opportunities geology heliophysics",
    "technology": "technology development critical technologies propulsion autonomy",
    "isru": "in-situ resource utilisation ISRU oxygen extraction propellant production",
    "crew-health": "crew health radiation exposure countermeasures bone loss",
}
TYPES = ["report", "presentation", "workshop summary", "white paper", "roadmap", "news"]
QUERIES = [
    ("rare term", {"q": "zarvotel"}),
    ("common term", {"q": "lunar"}),
    ("very common term", {"q": "exploration"}),
    ("two-term AND", {"q": "gateway logistics"}),
    ("three-term AND", {"q": "mars sample return"}),
    ("phrase", {"q": '"water ice"'}),
    ("filtered", {"q": "lunar", "agency": "NASA", "topic": "lunar-surface"}),
    ("date range", {"q": "radiation", "since": "2015", "until": "2020"}),
    ("empty query", {}),
]
PDF_SAMPLE = 300  # text PDFs ingested on their own
# Passes over the query mix on the ingested and on the reindexed index: at 5 the ratio of the
# two moved by a fifth between runs, too much to read a 5% difference.
SEGMENT_ROUNDS = 20


def words(rng: random.Random) -> list[str]:
    syllables = ["ka", "lo", "mi", "ra", "ven", "to", "sul", "dra", "pe", "no", "tri", "zar", "vo"]
    return sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6000)})


def generate(count: int) -> Path:
    """The cached synthetic collection of `count` documents (built on first use)."""
    from pdfwriter import write_report

    folder = CACHE / f"sources-{count}"
    if (folder / ".done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(count)
    vocabulary = words(rng)
    vocabulary.remove("zarvotel") if "zarvotel" in vocabulary else None
    names, weights = zip(*AGENCIES, strict=True)
    for n in range(count):
        agencies = sorted(set(rng.choices(names, weights=weights, k=rng.randint(1, 3))))
        topics = rng.sample(sorted(TOPIC_WORDS), k=rng.randint(1, 3))
        year = rng.randint(2010, 2026)
        kind = rng.choice(TYPES)
        title = f"{' '.join(t.replace('-', ' ').title() for t in topics)} {kind.title()} {n}"
        pages = []
        for p in range(6):
            text = rng.choices(vocabulary, k=500)
            for topic in topics:  # each topic's signals, a few times a page
                phrase = TOPIC_WORDS[topic].split()
                for _ in range(3):
                    at = rng.randrange(len(text))
                    text[at:at] = rng.sample(phrase, k=min(3, len(phrase)))
            text[rng.randrange(len(text))] = "exploration"
            if n % 97 == 0 and p == 2:
                text.append("zarvotel")
            pages.append(" ".join(text))
        opening = f"{title}\n{year}\nPrepared by {', '.join(agencies)}. " + " and ".join(agencies)
        pages[0] = opening + ".\n" + pages[0]
        if n % 5 == 0:
            write_report(folder / f"doc-{n:05d}.pdf", pages, title, "ISECG", f"{year}-06-01")
        elif n % 5 in (1, 2):
            (folder / f"doc-{n:05d}.txt").write_text("\f".join(pages), encoding="utf-8")
        else:
            (folder / f"doc-{n:05d}.md").write_text(f"# {title}\n\n" + "\f".join(pages), "utf-8")
    (folder / ".done").write_text("")
    return folder


def cli(*args: str, archive: Path) -> list[str]:
    return [sys.executable, "-m", "isecg_archive", "--archive", str(archive), *args]


def timed_run(
    command: list[str], env: dict[str, str] | None = None, output: list[str] | None = None
) -> tuple[float, float]:
    """Seconds, and the peak resident memory (MiB) of the process and its workers (and what it
    printed, appended to `output`)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, env=env, text=True)
    if output is not None:
        output.append(done.stdout)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def percentiles(values: list[float], digits: int | None = 1) -> dict[str, float]:
    values = sorted(values)
    found = {
        "p50": statistics.median(values),
        "p95": values[max(0, int(len(values) * 0.95) - 1)],
        "max": values[-1],
    }
    return found if digits is None else {key: round(v, digits) for key, v in found.items()}


def in_process(
    archive: Path, rounds: int, naive_rounds: int
) -> tuple[dict[str, float], dict[str, float] | None]:
    """Our full result page against the naive one, on one searcher, over the query mix."""
    from werkzeug.datastructures import MultiDict
    from whoosh import sorting
    from whoosh.highlight import ContextFragmenter, Highlighter, NullFormatter
    from whoosh.scoring import BM25F
    from whoosh.searching import Searcher

    from isecg_archive.collection import Collection
    from isecg_archive.engine.query import parse_query
    from isecg_archive.search import search
    from isecg_archive.web.pages import request_from

    collection = Collection(archive)
    ours, naive = [], []
    facets = {
        name: sorting.FieldFacet(name, allow_overlap=True)
        for name in ("agency", "topic", "type", "year")
    }
    highlighter = Highlighter(fragmenter=ContextFragmenter(), formatter=NullFormatter())
    with collection.index.searcher() as searcher:
        # The naive reference scores as Whoosh does out of the box.
        plain = Searcher(searcher.reader(), weighting=BM25F(), closereader=False)
        for _, args in QUERIES:  # a pass not timed, as tantivy's (the first reads from disk)
            search(searcher, request_from(MultiDict(args), collection), collection.vocabulary)
        for round in range(rounds):
            for _, args in QUERIES:
                request = request_from(MultiDict(args), collection)
                started = time.perf_counter()
                search(searcher, request, collection.vocabulary)
                ours.append((time.perf_counter() - started) * 1000)
                if round >= naive_rounds:
                    continue
                started = time.perf_counter()
                query = parse_query(request.query, plain.schema)
                results = plain.search(query, limit=10, groupedby=facets, terms=True)
                for name in facets:
                    results.groups(name)
                for hit in results:
                    text = "\n".join(hit["pages"])
                    highlighter.highlight_hit(hit, "content", text=text)
                naive.append((time.perf_counter() - started) * 1000)
    return percentiles(ours), percentiles(naive) if naive else None


def side_by_side(archive: Path, ingested: Path, rounds: int) -> dict[str, float]:
    """The page on the index an ingest left (`ingested`, a copy of it) over the page on the
    archive's index (the same documents reindexed), p50 and p95: both searched in one process,
    each pass alternating which goes first. Searched one after the other, minutes apart, the
    ratio moved by a tenth between runs with the machine's speed."""
    from werkzeug.datastructures import MultiDict

    from isecg_archive.collection import Collection
    from isecg_archive.index import SearchIndex
    from isecg_archive.search import search
    from isecg_archive.web.pages import request_from

    collection = Collection(archive)
    times: dict[str, list[float]] = {"ingested": [], "reindexed": []}
    with SearchIndex(ingested).searcher() as first, collection.index.searcher() as second:
        searchers = {"ingested": first, "reindexed": second}
        requests = [request_from(MultiDict(args), collection) for _, args in QUERIES]
        for searcher in searchers.values():  # a pass not timed (the first reads from disk)
            for request in requests:
                search(searcher, request, collection.vocabulary)
        for number in range(rounds):
            for name in list(searchers)[:: 1 if number % 2 else -1]:
                for request in requests:
                    started = time.perf_counter()
                    search(searchers[name], request, collection.vocabulary)
                    times[name].append(time.perf_counter() - started)
    before, after = (percentiles(times[name], digits=None) for name in searchers)
    return {key: round(before[key] / after[key], 3) for key in ("p50", "p95")}


def segments(archive: Path) -> int:
    from isecg_archive.collection import Collection

    with Collection(archive).index.searcher() as searcher:
        return len(searcher.reader().leaf_readers())


def _mib(folder: Path) -> float:
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20, 1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _peak_kib(pid: int) -> int:
    """The peak resident memory of a process and of its children, in KiB."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    total = sum(_peak_kib(int(c)) for c in children.read_text().split()) if children.exists() else 0
    status = Path(f"/proc/{pid}/status").read_text()
    return total + int(
        next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]
    )


def over_http(archive: Path, rounds: int) -> tuple[dict[str, float], float]:
    port = free_port()
    server = subprocess.Popen(cli("serve", "--port", str(port), archive=archive),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base, timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        times = []
        for _ in range(rounds):
            for _, args in QUERIES:
                url = base + "?" + urllib.parse.urlencode(args)
                started = time.perf_counter()
                urllib.request.urlopen(url, timeout=30).read()
                times.append((time.perf_counter() - started) * 1000)
        peak = _peak_kib(server.pid)  # the server's processes: gunicorn's master and workers
    finally:
        server.terminate()
        server.wait(timeout=10)
    return percentiles(times), peak / 1024


def plain_writer(archive: Path, ingest_pages_per_s: float) -> dict[str, object]:
    """The peer: the same texts (as the archive extracted them) indexed by a plain Whoosh
    writer, one process, one commit, title and content with the same analyzer; its pages/s,
    and the archive's ingest as a share of it."""
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import FileStorage

    from isecg_archive.engine import analysis

    texts = [(doc.id, doc.title, pages) for doc, pages in _texts(archive)]
    make = getattr(analysis, "analyzer", None)
    if make is None:  # an older version: Whoosh's stemming analyzer with the same stemmer
        from whoosh.analysis import StemmingAnalyzer

        def make() -> object:
            return StemmingAnalyzer(stemfn=analysis.stem)

    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=make()), content=TEXT(analyzer=make()))
    folder = archive.with_name("plain-whoosh")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    started = time.perf_counter()
    writer = FileStorage(str(folder)).create_index(schema).writer(limitmb=256)
    for doc_id, title, pages in texts:
        writer.add_document(id=doc_id, title=title, content="\n\n".join(pages))
    writer.commit()
    seconds = time.perf_counter() - started
    pages = sum(len(p) for _, _, p in texts)
    plain = pages / seconds
    return {
        "plain_writer_pages_per_s": round(plain, 1),
        "ingest_vs_plain_writer": round(ingest_pages_per_s / plain, 2),
    }


def _texts(archive: Path) -> list[tuple[object, tuple[str, ...]]]:
    """Each document's record and its extracted pages, as the archive keeps them."""
    from isecg_archive.collection import Collection

    collection = Collection(archive)
    return [(doc, collection.extraction(doc).pages) for doc in collection.archive.records()]


def tantivy_peer(archive: Path, rounds: int, ours: dict[str, float]) -> dict[str, object]:
    """tantivy on the same documents: indexing, size, and the full page over the query mix."""
    import tantivy

    from isecg_archive.collection import Collection

    texts = _texts(archive)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("content", stored=True, tokenizer_name="en_stem")
    for name in ("agency", "topic", "type"):
        builder.add_text_field(name, fast=True, tokenizer_name="raw")
    builder.add_unsigned_field("year", indexed=True, fast=True)
    builder.add_unsigned_field("date", fast=True)
    schema = builder.build()
    folder = archive.with_name("tantivy")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    started = time.perf_counter()
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer(heap_size=256 * 2**20)
    for doc, pages in texts:
        document = tantivy.Document()
        document.add_text("id", doc.id)
        document.add_text("title", doc.title)
        for page in pages:
            document.add_text("content", page)
        for name, values in (("agency", doc.agencies), ("topic", doc.topics), ("type", [doc.type])):
            for value in values:
                document.add_text(name, value)
        document.add_unsigned("date", doc.date.key if doc.date else 0)
        if doc.date:
            document.add_unsigned("year", doc.date.year)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - started
    pages = sum(len(p) for _, p in texts)
    index.reload()
    searcher = index.searcher()
    vocabulary = Collection(archive).vocabulary
    facets = {name: {"terms": {"field": name, "size": 50}} for name in ("agency", "topic", "type")}
    facets["year"] = {"terms": {"field": "year", "size": 50}}
    times = []
    for number in range(rounds + 1):  # the first pass not timed, as ours
        for _, args in QUERIES:
            started = time.perf_counter()
            query = _tantivy_query(index, schema, args, vocabulary)
            result = searcher.search(query, 10, count=True,
                                     order_by_field=None if args.get("q") else "date")  # fmt: skip
            searcher.aggregate(query, facets)
            snippets = tantivy.SnippetGenerator.create(searcher, query, schema, "content")
            snippets.set_max_num_chars(3 * 150)
            for _, address in result.hits:
                hit = searcher.doc(address)
                snippets.snippet_from_doc(hit).fragment()
            if number:
                times.append((time.perf_counter() - started) * 1000)
    page = percentiles(times)
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20
    return {
        "tantivy_pages_per_s": round(pages / seconds, 1),
        "tantivy_index_mib": round(size, 1),
        "tantivy_page_ms": page,
        "page_vs_tantivy": {k: round(ours[k] / page[k], 2) for k in ("p50", "p95")},
    }


def _tantivy_query(index: object, schema: object, args: dict[str, str], vocabulary: object):
    """The query mix's search, with its filters, as tantivy queries: words all required."""
    import tantivy

    parts = []
    text = args.get("q", "")
    if text:
        required = text if text.startswith('"') else " ".join(f"+{w}" for w in text.split())
        parts.append(index.parse_query(required, ["title", "content"]))
    if "agency" in args:
        parts.append(tantivy.Query.term_query(schema, "agency", vocabulary.agency(args["agency"])))
    if "topic" in args:
        parts.append(tantivy.Query.term_query(schema, "topic", vocabulary.topic(args["topic"])))
    if "since" in args:
        parts.append(tantivy.Query.range_query(schema, "year", tantivy.FieldType.Unsigned,
                                               int(args["since"]), int(args["until"])))  # fmt: skip
    if not parts:
        return tantivy.Query.all_query()
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, part) for part in parts])


def build(sources: Path, archive: Path, documents: int) -> dict[str, object]:
    """Ingest the sources, reindex, add one document: the figures of the three."""
    figures: dict[str, object] = {}
    # The CLI's ingest, run through bench/pauses.py to time its pauses on commits too.
    printed: list[str] = []
    pauses = [sys.executable, str(ROOT / "bench" / "pauses.py"), str(archive), str(sources)]
    seconds, memory = timed_run(pauses, output=printed)
    ingest_seconds = seconds
    pages = sum(json.loads(p.read_text())["pages"] for p in archive.rglob("*.meta.json"))
    figures.update(pages=pages, ingest_pages_per_s=round(pages / seconds, 1),
                   ingest_documents_per_s=round(documents / seconds, 1),
                   ingest_peak_mib=round(memory))  # fmt: skip
    timed = json.loads(printed[0])
    figures["ingest_pauses_s"] = {
        key: timed[key]
        for key in (
            "first_document_s",
            "longest_pause_s",
            "pauses_over_5_s",
            "after_last_document_s",
        )
    }
    if "cpu_s" in timed:  # the main process's, the rest of the machine's (workers), idle
        figures["ingest_cpu_s"] = timed["cpu_s"]
    # The page on the index as the ingest's commits left it (a copy of it), and on the same
    # index rebuilt.
    figures["segments_after_ingest"] = segments(archive)
    ingested = archive.with_name("ingested-index")
    shutil.rmtree(ingested, ignore_errors=True)
    shutil.copytree((archive.with_name("index") / "whoosh").resolve(), ingested)
    seconds, _ = timed_run(cli("reindex", archive=archive))
    figures["reindex_pages_per_s"] = round(pages / seconds, 1)
    figures["segments_after_reindex"] = segments(archive)
    figures["page_ingested_vs_reindexed"] = side_by_side(archive, ingested, SEGMENT_ROUNDS)
    shutil.rmtree(ingested)
    # Text PDFs alone, the issue's own measure of ingest: a sample of them into an empty archive.
    pdfs = archive.with_name("pdfs")
    pdfs.mkdir(exist_ok=True)
    for source in sorted(sources.glob("*.pdf"))[:PDF_SAMPLE]:
        shutil.copy(source, pdfs / source.name)
    alone = archive.with_name("pdf-archive")
    seconds, _ = timed_run(cli("ingest", str(pdfs), archive=alone))
    pdf_pages = sum(json.loads(p.read_text())["pages"] for p in alone.rglob("*.meta.json"))
    figures["pdf_ingest_pages_per_s"] = round(pdf_pages / seconds, 1)
    figures.update(plain_writer(archive, pages / ingest_seconds))
    extra = archive.with_name("one-more.txt")
    extra.write_text("A note on lunar dust by ESA. " * 400, encoding="utf-8")
    seconds, _ = timed_run(cli("ingest", str(extra), archive=archive))
    figures["add_one_document_s"] = round(seconds, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=10, help="passes over the query mix")
    parser.add_argument(
        "--naive-rounds", type=int, help="passes of the naive reference (default: --rounds)"
    )
    parser.add_argument("--workdir", type=Path, help="build here and keep it (default: a temp dir)")
    parser.add_argument(
        "--reuse", action="store_true", help="skip the ingests: search what --workdir holds"
    )
    args = parser.parse_args()
    sources = generate(args.documents)
    figures: dict[str, object] = {"documents": args.documents}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        archive = workdir / "archive"
        if not args.reuse:
            shutil.rmtree(archive, ignore_errors=True)
            shutil.rmtree(workdir / "index", ignore_errors=True)
            figures.update(build(sources, archive, args.documents))
        naive_rounds = args.rounds if args.naive_rounds is None else args.naive_rounds
        ours, naive = in_process(archive, args.rounds, naive_rounds)
        figures["page_ms"] = ours
        if naive:  # --naive-rounds 0: not run
            figures.update(naive_page_ms=naive, p95_speedup=round(naive["p95"] / ours["p95"], 1))
        figures.update(tantivy_peer(archive, args.rounds, ours))
        figures["http_ms"], server_peak = over_http(archive, args.rounds)
        figures["server_peak_mib"] = round(server_peak)
        # As on a user's machine, Python keeps the bytecode it compiles (a first, untimed run
        # writes it), even where the environment says not to (PYTHONDONTWRITEBYTECODE).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        command = cli("search", "lunar", "--agency", "NASA", "--json", archive=archive)
        timed_run(command, env)
        runs = []
        for _ in range(10):
            seconds, _ = timed_run(command, env)
            runs.append(seconds * 1000)
        figures["cli_search_json_ms"] = percentiles(runs)
        index = archive.with_name("index")
        figures["index_mib"] = _mib(index)  # with the text cache, and the generation before
        figures["live_index_mib"] = _mib((index / "whoosh").resolve())  # what searches read
        figures["index_vs_tantivy"] = round(
            figures["live_index_mib"] / figures["tantivy_index_mib"], 2
        )
    for name, value in figures.items():
        print(f"{name:<24} {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
