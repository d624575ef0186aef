"""The bundled demo collection is what the README promises, and consistent."""

from collections import Counter
from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.extract import extract
from isecg_archive.maintenance.check import check
from isecg_archive.storage.archive import Archive

from conftest import DEMO

ARCHIVE = DEMO


def test_the_demo_collection_spans_formats_agencies_topics_types_and_years():
    records = list(Archive(ARCHIVE).records())
    assert len(records) == 27
    assert Counter(r.format for r in records) == {"pdf": 15, "html": 5, "markdown": 4, "text": 3}
    assert len({a for r in records for a in r.agencies}) == 14
    assert len({t for r in records for t in r.topics}) == 13
    assert Counter(r.type for r in records) == {
        "presentation": 6,
        "report": 6,
        "workshop-summary": 5,
        "news": 4,
        "roadmap": 3,
        "white-paper": 3,
    }
    years = {r.date.year for r in records if r.date}
    assert len(years) == 17 and min(years) == 2010 and max(years) == 2026


def test_the_demo_collection_has_multi_page_reports_and_landscape_decks():
    pdfs = [extract(path) for path in sorted(ARCHIVE.glob("*.pdf"))]
    assert sum(1 for pdf in pdfs if len(pdf.pages) >= 3 and not pdf.landscape_pages) == 9
    assert sum(1 for pdf in pdfs if pdf.landscape_pages == len(pdf.pages)) == 6


def test_the_demo_collection_is_small_and_consistent(tmp_path: Path):
    size = sum(path.stat().st_size for path in ARCHIVE.rglob("*") if path.is_file())
    assert size < 5 * 1024 * 1024
    collection = Collection(ARCHIVE, tmp_path / "index")
    report = collection.reindex()
    assert (report.documents, report.pages, report.failures) == (27, 70, ())
    assert list(check(collection)) == []
