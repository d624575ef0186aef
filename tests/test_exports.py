"""Exports of the whole catalogue or of a search, Atom feeds, and events, read back by the
parsers other tools use."""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import bibtexparser
import feedparser
import pytest
import rispy
from bs4 import BeautifulSoup
from click.testing import CliRunner

from isecg_archive.cli import cli
from isecg_archive.collection import Collection
from isecg_archive.enrich import Overrides
from isecg_archive.outputs.exporting import CSV_COLUMNS
from isecg_archive.pipeline.ingest import ingest
from isecg_archive.storage.archive import Archive
from isecg_archive.storage.records import PartialDate, seconds
from isecg_archive.web import create_app

from conftest import DEMO, FILES

DEMO_IDS = sorted(d.id for d in Archive(DEMO).records())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo archive, indexed."""
    folder = tmp_path_factory.mktemp("demo") / "archive"
    shutil.copytree(DEMO, folder)
    Collection(folder).reindex()
    return folder


def _export(archive: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--archive", str(archive), "export", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _ids(text: str, format: str) -> list[str]:
    if format == "csv":
        assert text.startswith("\ufeffid,"), "a byte order mark, as Excel needs"
        return [row["id"] for row in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))]
    if format == "jsonl":
        return [json.loads(line)["id"] for line in text.splitlines()]
    if format == "bibtex":
        library = bibtexparser.parse_string(text)
        assert not library.failed_blocks
        return [entry.fields_dict["url"].value.rsplit("/", 1)[1] for entry in library.entries]
    if format == "ris":
        return [record["id"] for record in rispy.loads(text)]
    return [item["id"] for item in json.loads(text)]


@pytest.mark.parametrize("format", ["csv", "jsonl", "bibtex", "ris", "csl-json"])
def test_the_demo_archive_exports_whole_in_every_format(demo: Path, format: str):
    assert sorted(_ids(_export(demo, "--format", format), format)) == DEMO_IDS


def test_the_csv_has_every_metadata_field_one_row_per_document(demo: Path):
    rows = list(csv.DictReader(io.StringIO(_export(demo).removeprefix("\ufeff"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert CSV_COLUMNS[:4] == ("id", "title", "file", "original_name")
    assert CSV_COLUMNS[-1] == "url"
    summary = next(r for r in rows if r["id"] == "d0d8f68dba87")
    assert summary["agencies"] == "ESA; JAXA; NASA; CSA"
    assert summary["event"] == "Lunar Polar Volatiles Virtual Workshop"
    assert summary["event_date"] == "2020-10-27" and summary["date"] == "2020-12-01"
    assert summary["manual"] == "event"
    assert summary["url"] == "http://127.0.0.1:8000/documents/d0d8f68dba87"


def test_a_search_exports_every_match_in_the_search_order(demo: Path):
    runner = CliRunner()
    searched = runner.invoke(
        cli, ["--archive", str(demo), "search", "polar volatiles", "--agency", "JAXA",
              "--limit", "100", "--json"],
    )  # fmt: skip
    expected = [hit["id"] for hit in json.loads(searched.stdout)["hits"]]
    exported = _export(demo, "polar volatiles", "--agency", "JAXA", "--format", "jsonl")
    assert _ids(exported, "jsonl") == expected and len(expected) >= 4


def test_an_export_to_a_file_is_written_whole(demo: Path, tmp_path: Path):
    target = tmp_path / "catalogue.ris"
    result = CliRunner().invoke(
        cli, ["--archive", str(demo), "export", "--format", "ris", "-o", str(target)]
    )
    assert result.exit_code == 0
    assert result.stderr == f"Exported 27 documents to {target}\n"
    assert sorted(_ids(target.read_text("utf-8"), "ris")) == DEMO_IDS
    assert list(tmp_path.iterdir()) == [target]  # no partial file left beside it


def test_the_viewer_exports_the_current_search(demo: Path):
    client = create_app({"ARCHIVE_DIR": demo}).test_client()
    page = BeautifulSoup(client.get("/?q=gateway&type=roadmap").data, "html.parser")
    links = {a.get_text(): a["href"] for a in page.select("p.take a[download]")}
    assert links["BibTeX"] == "/export?q=gateway&type=roadmap&format=bibtex"
    response = client.get(links["BibTeX"])
    assert response.headers["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="isecg-archive-export.bib"'
    )
    searched = client.get("/api/search?q=gateway&type=roadmap").get_json()
    expected = [hit["id"] for hit in searched["hits"]]
    assert (
        _ids(response.get_data(as_text=True), "bibtex")
        == expected
        == [
            "d4ab60d4fd52",
            "ee192fc52db6",
        ]
    )
    assert client.get("/export?format=pdf").status_code == 400


def test_the_atom_feed_holds_exactly_the_newest_matches(tmp_path: Path):
    archive = tmp_path / "archive"
    shutil.copytree(DEMO, archive)
    # Each record changed at a time of its own: the one that sorts last by name, last. Its
    # file's time, now for all, counts for nothing.
    records = sorted(archive.glob("*.meta.json"))
    for number, record in enumerate(records):
        data = json.loads(record.read_text("utf-8"))
        moment = datetime.fromtimestamp(1_700_000_000 + number * 3600, UTC)
        data["changed"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        record.write_text(json.dumps(data), encoding="utf-8")
    collection = Collection(archive)
    collection.reindex()
    jaxa = [d for d in collection.archive.records() if "JAXA" in d.agencies]
    newest = sorted(jaxa, key=lambda d: d.changed, reverse=True)
    client = create_app({"ARCHIVE_DIR": archive}).test_client()
    page = BeautifulSoup(client.get("/?agency=JAXA").data, "html.parser")
    href = page.find("link", rel="alternate", type="application/atom+xml")["href"]
    assert href == "/feed.atom?agency=JAXA"
    parsed = feedparser.parse(client.get(href).data)
    assert not parsed.bozo
    assert parsed.feed.title == "ISECG Archive: JAXA"
    assert [e.link for e in parsed.entries] == [
        f"http://127.0.0.1:8000/documents/{d.id}" for d in newest[:20]
    ]
    first = parsed.entries[0]
    assert first.title == newest[0].title
    assert first.updated_parsed == time.gmtime(seconds(newest[0].changed))
    assert {"JAXA"} <= {tag.term for tag in first.tags}


def test_events_are_facets_pages_and_a_command(tmp_path: Path):
    archive = tmp_path / "archive"
    collection = Collection(archive)
    workshop = Overrides(
        event="Lunar Polar Volatiles Workshop",
        event_date=PartialDate(2016, 2, 10),
        event_place="Laurel, Maryland",
    )
    given = [FILES / "regolith-report.pdf", FILES / "gateway-logistics-slides.pdf"]
    ingest(collection, given, workshop)
    ingest(collection, [FILES / "notes.txt"])
    inside = sorted(d.id for d in collection.archive.records() if d.event)
    assert len(inside) == 2

    run = CliRunner().invoke(cli, ["--archive", str(archive), "events", "--json"])
    assert json.loads(run.stdout) == {
        "events": [
            {
                "slug": "lunar-polar-volatiles-workshop-2016",
                "name": "Lunar Polar Volatiles Workshop",
                "documents": 2,
                "first_date": "2016-02-10",
                "last_date": "2016-02-10",
                "place": "Laurel, Maryland",
                "organisers": [],  # what a record of its own would add (`event edit`)
                "moderator": None,
                "description": "",
                "links": [],
                "internal": False,
                "status": "completed",
            }
        ]
    }
    client = create_app({"ARCHIVE_DIR": archive}).test_client()
    page = BeautifulSoup(
        client.get("/events/lunar-polar-volatiles-workshop-2016").data, "html.parser"
    )
    assert page.h1.get_text() == "Lunar Polar Volatiles Workshop 2016"
    facts = dict(zip(page.select("dt"), page.select("dd"), strict=True))
    assert {dt.get_text(): dd.get_text() for dt, dd in facts.items()}["Place"] == (
        "Laurel, Maryland"
    )
    listed = sorted(a["href"].rsplit("/", 1)[1] for a in page.select("section.event-group a"))
    assert listed == inside
    headings = [h2.get_text() for h2 in page.select("section.event-group h2")]
    assert headings == ["Presentations", "Reports"]
    assert client.get("/events/no-such-workshop").status_code == 404
    browse = client.get("/api/search").get_json()
    assert browse["facets"]["event"] == [
        {"value": "lunar-polar-volatiles-workshop-2016",
         "label": "Lunar Polar Volatiles Workshop 2016", "count": 2, "selected": False}
    ]  # fmt: skip
    found = client.get("/api/search?event=lunar-polar-volatiles-workshop-2016").get_json()
    assert sorted(hit["id"] for hit in found["hits"]) == inside


def test_related_bodies_and_authors_are_facets_and_filters(filled, run, client, tmp_path):
    note = tmp_path / "cospar-panel.txt"
    note.write_text(
        "Planetary protection for lunar polar missions\n\nThe Committee on Space Research"
        " (COSPAR) panel met NASA and ESA to review lunar polar volatiles missions.\n",
        encoding="utf-8",
    )
    ingest(filled, [note])
    panel = next(d for d in filled.archive.records() if d.original_name == "cospar-panel.txt")
    assert panel.organisations == ("COSPAR",)
    run("edit", panel.id, "--author", "Smith, Jane", "--author", "ISECG")
    result = client.get("/api/search").get_json()
    assert result["facets"]["organisation"] == [
        {"value": "COSPAR", "label": "COSPAR", "count": 1, "selected": False}
    ]
    assert {"value": "Smith, Jane", "label": "Smith, Jane", "count": 1, "selected": False} in (
        result["facets"]["author"]
    )
    only = client.get("/api/search?organisation=cospar&author=Smith,+Jane").get_json()
    assert [hit["id"] for hit in only["hits"]] == [panel.id]
    assert only["hits"][0]["authors"] == ["Smith, Jane", "ISECG"]
    chosen = {f["value"]: f["selected"] for f in only["facets"]["author"]}
    assert chosen["Smith, Jane"] is True
    unknown = client.get("/api/search?author=Nobody")
    assert unknown.status_code == 400
    assert unknown.get_json()["error"] == (
        "unknown author 'Nobody': no document has it; `isecg-archive facets` lists them, as the"
        " records write them"
    )
    for field, value, what in (("event", "no-such-workshop-1999", "event"),
                               ("organisation", "XYZ", "related body")):  # fmt: skip
        said = client.get(f"/api/search?{field}={value}").get_json()["error"]
        assert said.startswith(f"unknown {what} '{value}': no document has it; "), said
        exported = client.get(f"/export?format=csv&{field}={value}")
        assert exported.status_code == 400
    searched = run("search", "--organisation", "COSPAR", "--json")
    assert [h["id"] for h in json.loads(searched.stdout)["hits"]] == [panel.id]
    page = BeautifulSoup(client.get(f"/documents/{panel.id}").data, "html.parser")
    assert page.find("a", string="Smith, Jane")["href"] == "/?author=Smith,+Jane"
    assert page.find("a", string="COSPAR")["href"] == "/?organisation=COSPAR"
