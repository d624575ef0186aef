"""The catalogue as a spreadsheet, on a large archive: export and import, time and peak memory.

    python bench/catalogue.py [--documents 10000] [--workdir DIR]

Uses the archive of bench/load.py (built once and cached; give a copy as --workdir, since the
import changes every record). Each step runs in a process of its own, measured by the kernel:
- `catalogue export`;
- `catalogue import --dry-run` of the sheet with one field changed in every row;
- `catalogue import` of that sheet (every record rewritten and indexed again, in one
  transaction);
- `catalogue import` of the same sheet again (nothing to change).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from pathlib import Path

from export import run_measured
from load import ensure_archive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, help="an archive to change (a copy)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="isecg-catalogue-"))
    archive = workdir / "archive"
    command = [sys.executable, "-m", "isecg_archive", "--archive", str(archive)]
    try:
        measure(command, archive, workdir, args.documents)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def measure(command: list[str], archive: Path, workdir: Path, documents: int) -> None:
    ensure_archive(command, archive, documents)
    sheet, edited = workdir / "catalogue.csv", workdir / "edited.csv"
    print("| step | seconds | peak MiB |\n| --- | ---: | ---: |")
    seconds, peak = run_measured([*command, "catalogue", "export", str(sheet)])
    print(f"| export ({sheet.stat().st_size / 1e6:.1f} MB) | {seconds:.1f} | {peak:.0f} |")
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames or [], list(reader)
    for row in rows:  # what a librarian does to a whole batch: name its workshop
        row["event"] = "Lunar Polar Volatiles Workshop"
    with edited.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    for label, extra in (
        (f"import --dry-run ({len(rows):,} rows, each changed)", ["--dry-run"]),
        (f"import ({len(rows):,} records rewritten)", []),
        ("import of the same sheet again (no change)", []),
    ):
        seconds, peak = run_measured([*command, "catalogue", "import", str(edited), *extra])
        print(f"| {label} | {seconds:.1f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
