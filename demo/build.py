"""Build the demo collection in archive/ from demo/documents.py.

    python demo/build.py            # rebuilds archive/ (and index/) from scratch

The sources are written to a temporary folder and ingested through the normal pipeline, with
the metadata a librarian would give on the command line where documents.py says so.
"""

from __future__ import annotations

import argparse
import html
import shutil
import sys
import tempfile
from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.enrich import Overrides
from isecg_archive.pipeline.ingest import ingest
from isecg_archive.storage.records import PartialDate

from documents import DOCUMENTS
from pdfwriter import write_report, write_slides

ROOT = Path(__file__).resolve().parent.parent


def write_source(folder: Path, spec: dict) -> Path:
    path = folder / spec["file"]
    kind, pages, title = spec["kind"], spec["pages"], spec["title"]
    if kind == "report":
        write_report(path, pages, title, spec["author"], spec["created"])
    elif kind == "slides":
        write_slides(path, pages, title, spec["author"], spec["created"])
    elif kind == "html":
        paragraphs = "\n".join(f"    <p>{html.escape(p)}</p>" for p in pages[0].split("\n\n")[1:])
        path.write_text(
            '<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n'
            f"  <title>{html.escape(title)}</title>\n"
            f'  <meta name="date" content="{spec["meta_date"]}">\n'
            "  <style>body { font-family: sans-serif; }</style>\n</head>\n<body>\n"
            "  <nav>ISECG · Home · News · Publications</nav>\n"
            f"  <article>\n    <h1>{html.escape(title)}</h1>\n{paragraphs}\n  </article>\n"
            "  <script>console.log('menu');</script>\n</body>\n</html>\n",
            encoding="utf-8",
        )
    else:
        path.write_text("\f".join(pages) + "\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ROOT / "archive")
    args = parser.parse_args()
    collection = Collection(args.archive)
    for folder in (args.archive, collection.index.path.parent):
        if folder.exists():
            shutil.rmtree(folder)
    with tempfile.TemporaryDirectory() as tmp:
        failed = 0
        for spec in DOCUMENTS:
            source = write_source(Path(tmp), spec)
            given = dict(spec.get("ingest", {}))
            for name in ("date", "event_date"):
                if name in given:
                    given[name] = PartialDate.parse(given[name])
            report = ingest(collection, [source], Overrides(**given))
            for outcome in report.outcomes:
                print(f"{outcome.status:<9} {outcome.file or outcome.path} {outcome.message or ''}")
                failed += outcome.status == "failed"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
