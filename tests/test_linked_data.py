"""What machines read from a document page: schema.org JSON-LD in the page, and FAIR
Signposting in its Link headers, read by the Signposting project's own client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import signposting
from bs4 import BeautifulSoup

from isecg_archive.collection import Collection
from isecg_archive.web import create_app

from conftest import DEMO, served

SUMMARY = "d0d8f68dba87"  # the Lunar Polar Volatiles Virtual Workshop 2020 summary


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = create_app({"ARCHIVE_DIR": DEMO, "INDEX_DIR": tmp_path_factory.mktemp("ix")})
    with served(app, threads=2) as address:
        app.config["STARTED_AT"] = address  # as serve does, before any request
        yield address


def test_signposting_leads_from_the_page_to_what_to_cite_its_metadata_and_its_file(base: str):
    page = f"{base}/documents/{SUMMARY}"
    found = signposting.find_signposting_http(page)
    assert str(found.citeAs.target) == page
    assert {(str(s.target), str(s.type)) for s in found.describedBy} == {
        (f"{page}/cite.json", "application/vnd.citationstyles.csl+json"),
        (f"{page}/cite.bib", "application/x-bibtex"),
        (f"{page}/cite.ris", "application/x-research-info-systems"),
    }
    assert {(str(s.target), str(s.type)) for s in found.items} == {
        (f"{page}/file", "application/pdf")
    }
    assert {str(s.target) for s in found.types} == {
        "https://schema.org/Report",
        "https://schema.org/AboutPage",
    }
    # And back from the file to the page it belongs to.
    from_file = signposting.find_signposting_http(f"{page}/file")
    assert str(from_file.collection.target) == page
    assert str(from_file.citeAs.target) == page


def _json_ld(client, document_id: str) -> dict:
    page = BeautifulSoup(client.get(f"/documents/{document_id}").data, "html.parser")
    (script,) = page.find_all("script", type="application/ld+json")
    return json.loads(script.string)


def test_the_page_describes_the_document_in_schema_org_json_ld(tmp_path: Path):
    client = create_app({"ARCHIVE_DIR": DEMO, "INDEX_DIR": tmp_path}).test_client()
    item = _json_ld(client, SUMMARY)
    assert item["@context"] == "https://schema.org"
    assert (item["@type"], item["name"]) == (
        "Report", "Lunar Polar Volatiles Virtual Workshop 2020: Summary",
    )  # fmt: skip
    assert item["author"] == [{"@type": "Organization", "name": "ISECG"}]
    assert item["datePublished"] == "2020-12-01"
    assert item["about"] == {
        "@type": "Event",
        "name": "Lunar Polar Volatiles Virtual Workshop",
        "startDate": "2020-10-27",
    }
    assert item["encoding"] == {
        "@type": "MediaObject",
        "contentUrl": f"http://127.0.0.1:8000/documents/{SUMMARY}/file",
        "encodingFormat": "application/pdf",
    }


def test_json_ld_cannot_end_its_script_whatever_the_title(filled: Collection, run):
    report = next(d for d in filled.indexed() if d.original_name == "regolith-report.pdf")
    hostile = '</script><script>alert("x")</script> & <!-- R&D'
    assert run("edit", report.id, "--title", hostile, "--author", "Jane Smith").exit_code == 0
    client = create_app({"ARCHIVE_DIR": filled.archive.root, "TESTING": True}).test_client()
    body = client.get(f"/documents/{report.id}").get_data(as_text=True)
    assert "<script>alert" not in body
    item = _json_ld(client, report.id)
    assert item["name"] == hostile
    assert item["author"] == [
        {"@type": "Person", "name": "Jane Smith", "familyName": "Smith", "givenName": "Jane"}
    ]
