"""An event that ran over several days (`--event-date START/END`, an EDTF interval), the same
in the record, the sheet, every reference format, the JSON-LD and the events page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import rispy
from bs4 import BeautifulSoup

from isecg_archive.citing import Links, bibtex_entry, csl_item, formatted_citation, ris_entry
from isecg_archive.citing.linked import json_ld
from isecg_archive.web import create_app

from conftest import ingest_talk

LINKS = Links("http://archive.example")


@pytest.fixture
def talk(run, tmp_path: Path) -> str:
    return ingest_talk(run, tmp_path / "talk", "2016-02-10/2016-02-12")


def test_an_event_range_is_kept_and_refused_when_it_cannot_be(run, talk, archive_dir):
    record = json.loads(run("show", talk, "--json").stdout)["document"]
    assert record["event_date"] == "2016-02-10/2016-02-12"
    backwards = run("edit", talk, "--event-date", "2016-02-12/2016-02-10")
    assert backwards.exit_code == 2
    assert backwards.stderr.startswith(
        "Error: Invalid value for '--event-date': 2016-02-12/2016-02-10 ends before it starts;"
        " give START/END in order (see `"
    )
    publication = run("edit", talk, "--date", "2016/2017")
    assert publication.exit_code == 2
    assert "only an event's date may be a range (START/END)" in publication.stderr
    # The sheet carries it in its one column, and an import gives it back unchanged.
    sheet = archive_dir.parent / "sheet.csv"
    run("catalogue", "export", str(sheet))
    assert ",2016-02-10/2016-02-12," in sheet.read_text("utf-8-sig")
    assert run("catalogue", "import", str(sheet)).output == "1 rows read; 0 documents changed\n"


def test_every_output_gives_the_range(run, talk, archive_dir):
    from isecg_archive.collection import Collection

    document = Collection(archive_dir).find(talk)
    assert csl_item(document, LINKS)["event-date"] == {"date-parts": [[2016, 2, 10], [2016, 2, 12]]}
    assert "  eventdate = {2016-02-10/2016-02-12},\n" in bibtex_entry(document, LINKS)
    (ris,) = rispy.loads(ris_entry(document, LINKS))
    assert "Event date: 2016-02-10/2016-02-12" in ris["notes"]
    assert json_ld(document, LINKS)["about"] == {
        "@type": "Event",
        "name": "Lunar Polar Volatiles Workshop",
        "startDate": "2016-02-10",
        "endDate": "2016-02-12",
    }
    assert "Lunar Polar Volatiles Workshop" in formatted_citation(document, LINKS)
    client = create_app({"ARCHIVE_DIR": archive_dir, "TESTING": True}).test_client()
    events = BeautifulSoup(client.get("/events").data, "html.parser").get_text(" ", strip=True)
    assert "2016-02-10 to 2016-02-12" in events
    page = BeautifulSoup(client.get(f"/documents/{talk}").data, "html.parser")
    assert "(2016-02-10 to 2016-02-12)" in page.get_text(" ", strip=True)


@pytest.mark.skipif(not shutil.which("biber"), reason="biber is not installed (Debian: biber)")
def test_biber_reads_the_range_as_the_event_s_dates(run, talk, archive_dir, tmp_path):
    bib = tmp_path / "talk.bib"
    bib.write_text(run("cite", talk, "--format", "bibtex").stdout, encoding="utf-8")
    checked = subprocess.run(["biber", "--tool", "--validate-datamodel", bib.name],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)  # fmt: skip
    said = checked.stdout + checked.stderr
    assert checked.returncode == 0 and "WARN" not in said, said
    written = (tmp_path / "talk_bibertool.bib").read_text("utf-8")
    assert "EVENTDATE = {2016-02-10/2016-02-12}" in written
