"""Ranking on classic test collections: MAP, nDCG@10 and P@10, as the archive searches.

Run on demand: `python bench/relevance.py [--collections med,adi] [--as-written]`. For each
collection of ../shared/benchmarks/relevance/ (its README says how the baselines were run and
scored), every document is written as a text file (its title, if any, then its text) and
ingested into a temporary archive, and every query is searched with the function the CLI's
`search` calls, down to 1,000 results. By default a query is the OR of its terms, the runs of
`[a-z0-9]` in its lower-cased text, as the README's baselines were; `--as-written` gives the
query's text as it is written instead.
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
from isecg_archive.ingest import ingest
from isecg_archive.search import MAX_PER_PAGE, SearchRequest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COLLECTIONS = ROOT.parent / "shared" / "benchmarks" / "relevance"
DEPTH = 1000


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


def run(folder: Path, as_written: bool) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources"
        sources.mkdir()
        with (folder / "docs.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                doc = json.loads(line)
                text = f"{doc['title']}\n\n{doc['text']}" if doc["title"] else doc["text"]
                (sources / f"{doc['id']}.txt").write_text(text + "\n", encoding="utf-8")
        collection = Collection(Path(tmp) / "archive")
        started = time.monotonic()
        ingest(collection, [sources])
        seconds = time.monotonic() - started
        relevant: dict[str, set[str]] = defaultdict(set)
        for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines():
            qid, doc, _ = line.split("\t")
            relevant[qid].add(doc)
        per_query = []
        for line in (folder / "queries.tsv").read_text(encoding="utf-8").splitlines():
            qid, text = line.split("\t", 1)
            terms = re.findall(r"[a-z0-9]+", text.lower())
            query = text if as_written else " OR ".join(terms)
            per_query.append(scores(ranked(collection, query), relevant[qid]))
    averages = [statistics.fmean(values) for values in zip(*per_query, strict=True)]
    return averages[0], averages[1], averages[2], seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_COLLECTIONS)
    parser.add_argument("--collections", default="med,npl,adi,time,lisa")
    parser.add_argument("--as-written", action="store_true", help="queries as written")
    args = parser.parse_args()
    if not args.folder.is_dir():
        sys.exit(f"no collections in {args.folder}: give --folder DIR")
    print("| collection | MAP | nDCG@10 | P@10 | ingest s |")
    print("| --- | --- | --- | --- | --- |")
    for name in args.collections.split(","):
        found = run(args.folder / name, args.as_written)
        print(f"| {name} | {found[0]:.4f} | {found[1]:.4f} | {found[2]:.4f} | {found[3]:.0f} |")


if __name__ == "__main__":
    main()
