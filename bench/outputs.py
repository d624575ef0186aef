"""What other software reads from each output, on the demo and on an archive of hostile metadata.

For each format: the entries written, and what a reader nobody here wrote finds wrong in them:
biber's warnings on the BibTeX, rispy's entries with no author, CSL-JSON items with no author,
CSV cells a spreadsheet would run as a formula, pages Google Scholar would not index (no
citation_author, a date it does not take) and the item types Zotero's rules give them,
OAI-PMH responses against the official schemas, the Atom feed through feedparser.

    python bench/outputs.py                 # the code in src/
    PYTHONPATH=/old/checkout/src python bench/outputs.py   # another version, for before/after

The code under test is whichever `isecg_archive` Python imports; the archives are built with it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import feedparser
import rispy
import xmlschema
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "tests" / "schemas"
HOSTILE = [  # title, authors, type, date
    ("=HYPERLINK(\"http://example.org\",\"Lunar ice\")", ["Müller, Jürgen", "Jane Smith"],
     "report", "2021-03-09"),
    ("R&D for 100% of #1 missions_to {Mars} at $5", ["Martin Luther King, Jr."],
     "presentation", "2019"),
    ("NASA's Artemis: Gateway ~ ^ \\ plan", ["Ludwig van Beethoven",
     "ISECG Science Working Group"], "white-paper", "2020-12"),
    ("@SUM(1+1) Lunar news", [], "news", "2025-01"),
    ("-2 Other matters", [], "other", "2018"),
    ("+Roadmap of the Global Exploration", [], "roadmap", "2024-05-02"),
]  # fmt: skip
ZOTERO_HIGHWIRE_TYPES = {
    "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper",
    "citation_journal_title": "journalArticle",
}
ZOTERO_TYPES = {"presentation", "report", "webpage", "document", "conferencePaper", "thesis"}


def run(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "isecg_archive", "--archive", str(archive), *args],
        capture_output=True, text=True, timeout=600, env=os.environ,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"{' '.join(args)}: {done.stderr.strip()}")
    return done


def hostile_archive(where: Path) -> Path:
    archive = where / "archive"
    inbox = where / "inbox"
    inbox.mkdir()
    for n, _ in enumerate(HOSTILE):
        (inbox / f"doc-{n}.txt").write_text(f"Document {n} about lunar regolith number {n}.\n")
    run(archive, "ingest", str(inbox), "--agency", "ESA", "--agency", "JAXA")
    listed = json.loads(run(archive, "search", "--limit", "50", "--json").stdout)
    ids = {Path(hit["file"]).name: hit["id"] for hit in listed["hits"]}
    for n, (title, authors, kind, date) in enumerate(HOSTILE):
        args = ["edit", ids[f"doc-{n}.txt"], "--title", title, "--type", kind, "--date", date]
        args += [a for author in authors for a in ("--author", author)]
        if not authors:
            args += ["--organisation", "COSPAR"]
        run(archive, *args)
    return archive


def measure(archive: Path, label: str) -> None:
    print(f"\n## {label}")
    bib = run(archive, "export", "--format", "bibtex").stdout
    entries = len(re.findall(r"^@", bib, re.MULTILINE))
    warnings = "biber not installed"
    if shutil.which("biber"):
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "x.bib").write_text(bib, encoding="utf-8")
            said = subprocess.run(
                ["biber", "--tool", "--validate-datamodel", "x.bib"],
                cwd=tmp, capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            out = said.stdout + said.stderr
            warnings = str(sum("WARN" in line or "ERROR" in line for line in out.splitlines()))
    print(f"bibtex     entries {entries:4}  biber warnings/errors {warnings}")

    ris = rispy.loads(run(archive, "export", "--format", "ris").stdout)
    no_author = sum(not (e.get("authors") or e.get("first_authors")) for e in ris)
    print(f"ris        entries {len(ris):4}  with no author {no_author}")

    items = json.loads(run(archive, "export", "--format", "csl-json").stdout)
    no_author = sum(not item.get("author") for item in items)
    print(f"csl-json   entries {len(items):4}  with no author {no_author}")

    table = run(archive, "export", "--format", "csv").stdout.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(table)))[1:]
    formulas = sum(cell[:1] in ("=", "+", "-", "@") for row in rows for cell in row)
    print(f"csv        rows    {len(rows):4}  cells a spreadsheet runs as a formula {formulas}")

    from isecg_archive.web import create_app

    app = create_app({"ARCHIVE_DIR": archive, "TESTING": True})
    client = app.test_client()
    no_author = bad_date = 0
    zotero: Counter[str] = Counter()
    ids = [item["id"].rsplit("/", 1)[-1] for item in items]
    for doc_id in ids:
        page = BeautifulSoup(client.get(f"/documents/{doc_id}").data, "html.parser")
        meta = [(m.get("name"), m.get("content")) for m in page.find_all("meta") if m.get("name")]
        no_author += not any(k == "citation_author" for k, _ in meta)
        dates = [v for k, v in meta if k == "citation_publication_date"]
        bad_date += any(not re.fullmatch(r"\d{4}(/\d{2}/\d{2})?", d) for d in dates)
        typed = [ZOTERO_HIGHWIRE_TYPES[k] for k, _ in meta if k in ZOTERO_HIGHWIRE_TYPES]
        dc = [v for k, v in meta if k == "DC.type"]
        zotero[typed[-1] if typed else dc[0] if dc and dc[0] in ZOTERO_TYPES else "journal?"] += 1
    print(
        f"page tags  pages   {len(ids):4}  Scholar: no citation_author {no_author},"
        f" date not YYYY/MM/DD or YYYY {bad_date}; Zotero types {dict(sorted(zotero.items()))}"
    )

    names = ("OAI-PMH.xsd", "oai_dc.xsd", "oai-identifier.xsd")
    schema = xmlschema.XMLSchema([str(SCHEMAS / name) for name in names])
    errors = responses = records = 0
    requests = ["verb=Identify", "verb=ListSets", "verb=ListMetadataFormats"]
    token = "verb=ListRecords&metadataPrefix=oai_dc"
    while token:
        requests.append(token)
        body = client.get(f"/oai?{token}").data
        records += body.count(b"<record>") + body.count(b"<record ")
        found = re.search(rb"<resumptionToken[^>]*>([^<]+)<", body)
        token = f"verb=ListRecords&resumptionToken={found.group(1).decode()}" if found else ""
    for query in requests:
        responses += 1
        errors += sum(1 for _ in schema.iter_errors(client.get(f"/oai?{query}").data.decode()))
    print(f"oai-pmh    records {records:4}  responses {responses}, schema errors {errors}")

    feed = feedparser.parse(client.get("/feed.atom").data)
    authorless = sum(not entry.get("authors") for entry in feed.entries)
    print(
        f"atom       entries {len(feed.entries):4}  feedparser bozo {int(bool(feed.bozo))},"
        f" entries with no author of their own {authorless}"
    )


def main() -> None:
    import isecg_archive

    print(f"code: {Path(isecg_archive.__file__).parent}")
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp, "demo")
        shutil.copytree(ROOT / "archive", demo / "archive")
        run(demo / "archive", "reindex")
        measure(demo / "archive", f"demo ({len(list((demo / 'archive').rglob('*.json')))} files)")
        measure(hostile_archive(Path(tmp)), f"hostile metadata ({len(HOSTILE)} documents)")


if __name__ == "__main__":
    main()
