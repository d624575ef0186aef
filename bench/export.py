"""Exports and an OAI-PMH harvest of a large archive: time and peak memory.

    python bench/export.py [--documents 10000] [--workdir DIR]

Uses the archive of bench/load.py (N short text documents, built once and cached), then prints:
- `isecg-archive export` of the whole catalogue in each format, each in a process of its own:
  seconds, the process's peak resident memory, the output's size and its number of documents,
  beside a process that searches for one page of results;
- a complete OAI-PMH harvest (ListRecords, oai_dc, every resumption token) of `serve`, by
  oaipmh-scythe: seconds, responses, records, and the server's peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from load import ensure_archive, peak_mib, serving

FORMATS = ("csv", "jsonl", "bibtex", "ris", "csl-json")
COUNTERS = {  # how each format's documents are counted in its output
    "csv": lambda text: text.count("\nhttp") or max(text.count("\n") - 1, 0),
    "jsonl": lambda text: text.count("\n"),
    "bibtex": lambda text: sum(line.startswith("@") for line in text.splitlines()),
    "ris": lambda text: text.count("ER  - "),
    "csl-json": lambda text: text.count('\n    "id": '),
}


def run_measured(command: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MiB of a command, from the kernel's account of that process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status:
        sys.exit(f"{' '.join(command)} failed")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, help="keep the archive here between runs")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="isecg-export-"))
    archive = workdir / "archive"
    command = [sys.executable, "-m", "isecg_archive", "--archive", str(archive)]
    try:
        ensure_archive(command, archive, args.documents)
        # Any search brings the index up to this version's schema (a rebuild, if it is older).
        subprocess.run([*command, "search", "lunar"], check=True, stdout=subprocess.DEVNULL)
        print("| export | seconds | peak MiB | MB written | documents |")
        print("| --- | ---: | ---: | ---: | ---: |")
        # For comparison: a process that only searches (one page of ten results).
        seconds, peak = run_measured([*command, "search", "lunar"])
        print(f"| (search lunar, one page) | {seconds:.1f} | {peak:.0f} | | 10 |")
        for name in FORMATS:
            output = workdir / f"export.{name}"
            seconds, peak = run_measured([*command, "export", "--format", name, "-o", str(output)])
            count = COUNTERS[name](output.read_text("utf-8"))
            size = output.stat().st_size / 1e6
            print(f"| {name} | {seconds:.1f} | {peak:.0f} | {size:.1f} | {count:,} |")
            output.unlink()
        with serving(command, "/oai?verb=Identify", 120) as (base, server):
            harvest(base, server.pid)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def harvest(base: str, pid: int) -> None:
    """Every record over OAI-PMH, by oaipmh-scythe following each resumption token."""
    from oaipmh_scythe import Scythe

    before = peak_mib(pid)
    started = time.perf_counter()
    records = deleted = 0
    with Scythe(base + "/oai", timeout=120) as harvester:
        for record in harvester.list_records(metadata_prefix="oai_dc"):
            records += 1
            deleted += record.deleted
    seconds = time.perf_counter() - started
    print(
        f"\nOAI-PMH harvest (ListRecords, oai_dc): {records:,} records ({deleted} deleted)"
        f" in {-(-records // 100)} responses, {seconds:.1f} s ({records / seconds:,.0f}"
        f" records/s); server peak {before:.0f} MiB before, {peak_mib(pid):.0f} MiB after"
    )


if __name__ == "__main__":
    main()
