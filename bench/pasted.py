"""The cost of a pasted passage as the query: a title and an abstract of about 400 words.

    python bench/pasted.py --archive DIR [--index DIR] [--queries 30] [--words 400]

Each query is a title with a colon, a quoted pair and a hyphenated word (so that it goes
through the query parser as a real paste does), then the first words of documents of the
archive itself, joined to the length asked (so that every word has postings to read). Each is
searched once to warm the caches, then timed as `search` runs it (the first page of 10).
Prints p50, p95 and the maximum, in milliseconds. The code measured is whichever
`isecg_archive` Python imports: `PYTHONPATH=OTHER/src` measures another version.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.search import SearchRequest


def queries(archive: Path, count: int, words: int) -> list[str]:
    texts = sorted(p for p in archive.rglob("*.txt") if not p.name.startswith("."))
    step = max(1, len(texts) // (count * 4))
    pool = [p.read_text(encoding="utf-8").split() for p in texts[::step]]
    made = []
    for n in range(count):
        body: list[str] = []
        for text in pool[n * 4 :]:
            body += text[:150]
            if len(body) >= words:
                break
        title = f'{" ".join(body[:3])}: the so-called "{body[3]} {body[4]}" of {body[5]}-{body[6]}'
        made.append(f"{title}. Abstract: {' '.join(body[7:words])}")
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--index", type=Path)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--words", type=int, default=400)
    args = parser.parse_args()
    collection = Collection(args.archive, args.index)
    collection.ensure_index()
    timings, totals = [], []
    for query in queries(args.archive, args.queries, args.words):
        collection.search(SearchRequest(query))
        started = time.perf_counter()
        result = collection.search(SearchRequest(query))
        timings.append((time.perf_counter() - started) * 1000)
        totals.append(result.total)
    timings.sort()
    documents = sum(1 for _ in collection.archive.record_files())
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(
        f"{len(timings)} queries of {args.words} words on {documents} documents:"
        f" p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, max {timings[-1]:.0f} ms;"
        f" matches per query: median {statistics.median(totals):.0f}"
    )


if __name__ == "__main__":
    main()
