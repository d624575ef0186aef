"""Ingest and search speed on the demo collection. Run on demand: `make bench`.

Prints pages per second of a first ingest (originals of archive/ into a temp archive), of a
reindex from the text cache and of a reindex that parses again, and the median time of
`isecg-archive search --json`, both as a whole process and inside one process.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.pipeline.ingest import ingest
from isecg_archive.search import SearchRequest
from isecg_archive.storage.archive import RECORD_SUFFIX

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ['"polar volatiles"', "gateway", "mars AND crew", "lunar", "volatil*", ""]
RUNS = 10
SYNTHETIC = 300  # PDFs of 5 pages for the throughput figure


def synthetic(folder: Path, count: int) -> list[Path]:
    """`count` distinct 5-page report PDFs, drawn like the demo collection's."""
    sys.path.insert(0, str(ROOT / "demo"))
    from pdfwriter import write_report

    paths = []
    rng = random.Random(6)
    syllables = ["lu", "nar", "po", "la", "vo", "ti", "gate", "way", "mars", "re", "go", "lith"]
    words = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(3000)})
    for n in range(count):
        pages = [
            f"Synthetic report {n}, page {p}\n\n" + " ".join(rng.choices(words, k=180))
            for p in range(1, 6)
        ]
        path = folder / f"synthetic-{n:04d}.pdf"
        write_report(path, pages, f"Synthetic report {n}", "ISECG", "2020-01-01")
        paths.append(path)
    return paths


def ingest_rate(sources: list[Path]) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = ingest(Collection(Path(tmp) / "archive"), sources)
        return report.pages, report.seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pages, seconds = ingest_rate(synthetic(Path(tmp), SYNTHETIC))
    print(
        f"synthetic ingest: {SYNTHETIC} PDFs, {pages} pages in {seconds:.1f} s,"
        f" {pages / seconds:.0f} pages/s"
    )
    sources = sorted(
        p
        for p in (ROOT / "archive").iterdir()
        if not p.name.endswith(RECORD_SUFFIX) and not p.name.startswith(".")
    )
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        collection = Collection(Path(tmp) / "archive")
        report = ingest(collection, sources)
        figures["documents"] = report.count("added")
        figures["pages"] = report.pages
        figures["ingest_seconds"] = report.seconds
        figures["ingest_pages_per_second"] = report.pages / report.seconds
        for label, use_cache in (("reindex_cached", True), ("reindex_parsed", False)):
            started = time.perf_counter()
            collection.reindex(use_cache=use_cache)
            seconds = time.perf_counter() - started
            figures[f"{label}_pages_per_second"] = report.pages / seconds

        in_process = []
        for _ in range(RUNS):
            for query in QUERIES:
                started = time.perf_counter()
                collection.search(SearchRequest(query))
                in_process.append(time.perf_counter() - started)
        figures["search_in_process_median_ms"] = statistics.median(in_process) * 1000

        whole = []
        command = [sys.executable, "-m", "isecg_archive", "--archive", str(collection.archive.root)]
        for _ in range(RUNS):
            started = time.perf_counter()
            subprocess.run(
                [*command, "search", '"polar volatiles"', "--json"], check=True, capture_output=True
            )
            whole.append(time.perf_counter() - started)
        figures["search_json_process_median_ms"] = statistics.median(whole) * 1000

    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value:10.1f}")
    print(json.dumps({k: round(v, 2) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
