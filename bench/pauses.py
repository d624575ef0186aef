"""An ingest as `isecg-archive ingest` runs it, with the pauses between its documents timed.

    python bench/pauses.py ARCHIVE SOURCE...

The documents of an ingest come out one after another, but for the commits: the longest pause
between two of them is the longest the ingest stood still on a commit and the merges it made.
Prints JSON: documents, seconds, the time to the first document (finding and hashing the
files), the longest pause after it and the pauses over 5 and 10 seconds, and the time after the
last document (linking versions, settling the captures' shared lines). Run by bench/scale.py
in place of the CLI (the same function, with the same defaults), to read these beside its
ingest figures.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.pipeline.ingest import ingest


def main() -> None:
    archive, *sources = sys.argv[1:]
    collection = Collection(Path(archive))
    started = time.perf_counter()
    times: list[float] = []
    report = ingest(
        collection,
        [Path(source) for source in sources],
        on_outcome=lambda _: times.append(time.perf_counter()),
    )
    ended = time.perf_counter()
    pauses = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    figures = {
        "documents": len(report.outcomes),
        "seconds": round(ended - started, 1),
        "first_document_s": round(times[0] - started, 1) if times else None,
        "longest_pause_s": round(max(pauses, default=0.0), 1),
        "pauses_over_5_s": sum(pause > 5 for pause in pauses),
        "pauses_over_10_s": sum(pause > 10 for pause in pauses),
        "after_last_document_s": round(ended - times[-1], 1) if times else None,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
