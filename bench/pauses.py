"""An ingest as `isecg-archive ingest` runs it, with the pauses between its documents timed.

    python bench/pauses.py ARCHIVE SOURCE...

The documents of an ingest come out one after another, but for the commits: the longest pause
between two of them is the longest the ingest stood still on a commit and the merges it made.
Prints JSON: documents, seconds, the time to the first document (finding and hashing the
files), the longest pause after it and the pauses over 5 and 10 seconds, and the time after the
last document (linking versions, settling the captures' shared lines); and where the CPU went
(on Linux): the main process's (which writes the index), the rest of the machine's busy time
(on a quiet machine, the extraction workers and the background merges) and its idle time, in
CPU seconds. Run by bench/scale.py in place of the CLI (the same function, with the same
defaults), to read these beside its ingest figures.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.pipeline.ingest import ingest


def machine_cpu() -> tuple[float, float] | None:
    """The machine's busy and idle CPU seconds so far (Linux's /proc/stat), or None."""
    try:
        line = Path("/proc/stat").read_text().split("\n", 1)[0]
    except OSError:
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = map(int, line.split()[1:9])
    ticks = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq + steal) / ticks, (idle + iowait) / ticks


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    archive, *sources = sys.argv[1:]
    collection = Collection(Path(archive))
    machine_before, own_before = machine_cpu(), own_cpu()
    started = time.perf_counter()
    times: list[float] = []
    report = ingest(
        collection,
        [Path(source) for source in sources],
        on_outcome=lambda _: times.append(time.perf_counter()),
    )
    ended = time.perf_counter()
    machine_after, own = machine_cpu(), own_cpu() - own_before
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
    if machine_before and machine_after:
        busy = machine_after[0] - machine_before[0]
        idle = machine_after[1] - machine_before[1]
        figures["cpu_s"] = {
            "main": round(own, 1),
            "rest": round(max(busy - own, 0.0), 1),
            "idle": round(idle, 1),
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
