"""Ranking on classic test collections: MAP, nDCG@10 and P@10, as the archive searches.

    python bench/relevance.py [--collections med,adi] [--or-terms] [--workdir DIR]
                              [--known-items N]

For each collection of ../shared/benchmarks/relevance/ (its README says how the baselines were
run and scored), every document is written as a text file (its title, if any, then its text)
and ingested into an archive (temporary, or kept in --workdir and searched again next time),
and every query's text is given as written to the function the CLI's `search` calls, down to
1,000 results. `--or-terms` gives the OR of its terms instead (the runs of `[a-z0-9]` in its
lower-cased text), as the README's baselines were run. The table ends with the best baseline
of SQLite FTS5, tantivy and Whoosh on each collection, from that README, and counts the queries
that found nothing.

`--known-items N` then pastes, for N documents of each collection (every k-th, the same each
run), the document's own title as written (collections with titles) and, separately, its first
150 words, as the query: the share of those documents found first, the share in the top 10,
and how many queries found nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.errors import QueryError
from isecg_archive.pipeline.ingest import ingest
from isecg_archive.search import MAX_PER_PAGE, SearchRequest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COLLECTIONS = ROOT.parent / "shared" / "benchmarks" / "relevance"
DEPTH = 1000
# The best MAP and the best nDCG@10 of the README's three baselines on each collection.
BEST_BASELINE = {
    "med": (0.5281, 0.7045),
    "npl": (0.2849, 0.4385),
    "adi": (0.4085, 0.4752),
    "time": (0.6964, 0.7544),
    "lisa": (0.3600, 0.4597),
}


KNOWN_ITEM_WORDS = 150


def ranked(collection: Collection, query: str) -> list[str]:
    """The ids of the documents a search returns, best first, down to DEPTH."""
    found: list[str] = []
    for page in range(1, DEPTH // MAX_PER_PAGE + 1):
        try:
            result = collection.search(SearchRequest(query, page=page, per_page=MAX_PER_PAGE))
        except QueryError:  # only stop words
            return found
        found += [Path(hit.document.original_name).stem for hit in result.hits]
        if page >= result.pages:
            break
    return found


def scores(found: list[str], relevant: set[str]) -> tuple[float, float, float]:
    """Average precision (depth 1,000), nDCG@10 and P@10 of one query."""
    hits, precision_sum = 0, 0.0
    for rank, doc in enumerate(found[:DEPTH], start=1):
        if doc in relevant:
            hits += 1
            precision_sum += hits / rank
    gain = sum(1 / math.log2(rank + 1) for rank, doc in enumerate(found[:10], 1) if doc in relevant)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(10, len(relevant)) + 1))
    top = sum(doc in relevant for doc in found[:10]) / 10
    return precision_sum / len(relevant), gain / ideal, top


def archived(folder: Path, workdir: Path) -> tuple[Collection, float]:
    """The collection's documents in an archive in `workdir`, ingested unless already there."""
    collection = Collection(workdir / "archive")
    if (workdir / "archive").is_dir():
        return collection, 0.0
    sources = workdir / "sources"
    sources.mkdir(parents=True)
    with (folder / "docs.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = f"{doc['title']}\n\n{doc['text']}" if doc["title"] else doc["text"]
            (sources / f"{doc['id']}.txt").write_text(text + "\n", encoding="utf-8")
    started = time.monotonic()
    ingest(collection, [sources])
    return collection, time.monotonic() - started


def known_items(collection: Collection, folder: Path, sample: int) -> dict[str, tuple[int, ...]]:
    """For each way of pasting a document (its title, its first words): documents tried,
    found first, found in the top 10, queries that found nothing."""
    with (folder / "docs.jsonl").open(encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle]
    chosen = docs[:: max(1, len(docs) // sample)][:sample]
    ways = {
        "title": lambda doc: doc["title"],
        "text": lambda doc: " ".join(doc["text"].split()[:KNOWN_ITEM_WORDS]),
    }
    counts = {}
    for way, query_of in ways.items():
        tried = first = top = nothing = 0
        for doc in chosen:
            query = query_of(doc)
            if not query.strip():
                continue
            tried += 1
            try:
                result = collection.search(SearchRequest(query, per_page=10))
            except QueryError:
                nothing += 1
                continue
            ids = [Path(hit.document.original_name).stem for hit in result.hits]
            nothing += result.total == 0
            first += ids[:1] == [doc["id"]]
            top += doc["id"] in ids
        if tried:
            counts[way] = (tried, first, top, nothing)
    return counts


def run(
    folder: Path, or_terms: bool, workdir: Path | None, sample: int = 0
) -> tuple[tuple[float, float, float, float, int], dict[str, tuple[int, ...]]]:
    with tempfile.TemporaryDirectory() as tmp:
        collection, seconds = archived(folder, workdir / folder.name if workdir else Path(tmp))
        relevant: dict[str, set[str]] = defaultdict(set)
        for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines():
            qid, doc, _ = line.split("\t")
            relevant[qid].add(doc)
        per_query = []
        nothing = 0
        for line in (folder / "queries.tsv").read_text(encoding="utf-8").splitlines():
            qid, text = line.split("\t", 1)
            terms = re.findall(r"[a-z0-9]+", text.lower())
            query = " OR ".join(terms) if or_terms else text
            found = ranked(collection, query)
            nothing += not found
            per_query.append(scores(found, relevant[qid]))
        known = known_items(collection, folder, sample) if sample else {}
    averages = [statistics.fmean(values) for values in zip(*per_query, strict=True)]
    return (averages[0], averages[1], averages[2], seconds, nothing), known


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_COLLECTIONS)
    parser.add_argument("--collections", default="med,npl,adi,time,lisa")
    parser.add_argument("--or-terms", action="store_true", help="queries as OR of their terms")
    parser.add_argument(
        "--workdir", type=Path, help="keep the archives here, and search them again next time"
    )
    parser.add_argument(
        "--known-items", type=int, default=0, metavar="N",
        help="also paste the titles and first words of N documents of each collection",
    )  # fmt: skip
    args = parser.parse_args()
    if not args.folder.is_dir():
        sys.exit(f"no collections in {args.folder}: give --folder DIR")
    print(
        "| collection | MAP | nDCG@10 | P@10 | found nothing | ingest s"
        " | best baseline MAP / nDCG@10 |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    known_rows = []
    for name in args.collections.split(","):
        found, known = run(args.folder / name, args.or_terms, args.workdir, args.known_items)
        known_rows += [(name, way, counts) for way, counts in known.items()]
        best = BEST_BASELINE.get(name)
        versus = "" if best is None else f"{best[0]:.4f} / {best[1]:.4f}"
        if best:
            versus += (
                " (at or above)" if found[0] >= best[0] and found[1] >= best[1] else " (below)"
            )
        print(
            f"| {name} | {found[0]:.4f} | {found[1]:.4f} | {found[2]:.4f} | {found[4]}"
            f" | {found[3]:.0f} | {versus} |"
        )
    if known_rows:
        print("\n| collection | pasted | documents | found first | in the top 10 | found nothing |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, way, (tried, first, top, nothing) in known_rows:
            pasted = "title" if way == "title" else f"first {KNOWN_ITEM_WORDS} words"
            print(
                f"| {name} | {pasted} | {tried} | {first / tried:.1%} | {top / tried:.1%}"
                f" | {nothing} |"
            )


if __name__ == "__main__":
    main()
