"""Web pages: how much of what the archive keeps is the article, and whether the title is right.

Run on demand: `python bench/main_content.py` (or `make bench-extraction`). It reads the public
main-content benchmark in ../shared/benchmarks/main-content/ (real news and blog pages, each
with the hand-marked text of its article), extracts each page as an ingest would, and scores
the text as the benchmark's README says: lower-cased `\\w+` tokens, every CJK character a token
of its own, compared as bags of words; precision and recall per page, averaged over the pages.
The title recorded for each page (the same detection an ingest runs) is compared, after
whitespace normalisation, with the headline the page shows its reader, written out by hand in
bench/data/main-content-titles.tsv.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from isecg_archive.enrich import describe, load_vocabulary
from isecg_archive.extract import extract

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent / "shared" / "benchmarks" / "main-content"
TITLES = Path(__file__).resolve().parent / "data" / "main-content-titles.tsv"

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def precision_recall(extracted: str, truth: str) -> tuple[float, float]:
    mine, theirs = tokens(extracted), tokens(truth)
    if not mine:
        return 0.0, 0.0
    overlap = sum((mine & theirs).values())
    return overlap / sum(mine.values()), overlap / sum(theirs.values())


def read_titles() -> dict[str, str]:
    """The hand-written headline of each page, by the first ten characters of its id."""
    with TITLES.open(encoding="utf-8") as handle:
        return {row["id"]: row["title"] for row in csv.DictReader(handle, delimiter="\t")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="the benchmark folder")
    parser.add_argument("--worst", type=int, default=5, help="worst pages to list")
    args = parser.parse_args()
    if not args.pages.is_dir():
        sys.exit(f"no benchmark pages in {args.pages}: give --pages DIR")
    titles = read_titles()
    vocabulary = load_vocabulary(Path(tempfile.gettempdir()))
    scores: list[tuple[float, float, str]] = []
    wrong_titles: list[tuple[str, str, str]] = []
    seconds: list[float] = []
    for page in sorted(args.pages.glob("*.html")):
        truth = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["articleBody"]
        started = time.perf_counter()
        extraction = extract(page)
        title = describe(extraction, page.name, {}, vocabulary).title
        seconds.append(time.perf_counter() - started)
        precision, recall = precision_recall("\n".join(extraction.pages), truth)
        scores.append((precision, recall, page.stem[:10]))
        expected = titles.get(page.stem[:10])
        if expected is not None and " ".join(title.split()) != " ".join(expected.split()):
            wrong_titles.append((page.stem[:10], title, expected))
    precision = statistics.fmean(p for p, _, _ in scores)
    recall = statistics.fmean(r for _, r, _ in scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    right = len(titles) - len(wrong_titles)
    print(f"main content, {len(scores)} pages ({args.pages}):")
    print(f"  word precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"  titles exactly right: {right} of {len(titles)} ({right / len(titles):.0%})")
    print(
        f"  extraction and detection per page: median {statistics.median(seconds) * 1000:.0f} ms,"
        f" max {max(seconds) * 1000:.0f} ms"
    )
    print(f"  lowest precision: {_listed(sorted(scores)[: args.worst], 0)}")
    print(f"  lowest recall: {_listed(sorted(scores, key=lambda s: s[1])[: args.worst], 1)}")
    for page_id, title, expected in wrong_titles:
        print(f"  title of {page_id}: {title!r}, expected {expected!r}")


def _listed(scores: list[tuple[float, float, str]], which: int) -> str:
    return ", ".join(f"{s[2]} {s[which]:.2f}" for s in scores)


if __name__ == "__main__":
    main()
