"""A document has one address, whatever Host a request names: `serve --base-url`, else the
address the viewer was started on; a proxy's X-Forwarded-* only from a proxy named."""

from __future__ import annotations

import subprocess
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from isecg_archive.storage.records import Document
from isecg_archive.web import create_app

from conftest import command


def addresses(client, document: Document, **request) -> dict[str, str]:
    """Every absolute address a reader's software takes from the viewer, by where it is."""
    page = BeautifulSoup(client.get(f"/documents/{document.id}", **request).data, "html.parser")
    feed = feedparser.parse(client.get("/feed.atom?q=regolith", **request).data)
    oai = etree.fromstring(
        client.get(
            f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:isecg-archive.localhost:{document.id}",
            **request,
        ).data
    )
    ns = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
    bib = client.get(f"/documents/{document.id}/cite.bib", **request).get_data(as_text=True)
    return {
        "canonical": page.find("link", rel="canonical")["href"],
        "citation_pdf_url": page.find("meta", attrs={"name": "citation_pdf_url"})["content"],
        "feed entry": feed.entries[0].link,
        "oai baseURL": oai.findtext("o:request", namespaces=ns),
        "oai identifier": [
            i for i in oai.xpath("//dc:identifier/text()", namespaces=ns) if "://" in i
        ][0],
        "bibtex url": bib.split("url = {", 1)[1].split("}", 1)[0],
    }


def expected(base: str, document: Document) -> dict[str, str]:
    return {
        "canonical": f"{base}/documents/{document.id}",
        "citation_pdf_url": f"{base}/documents/{document.id}/file",
        "feed entry": f"{base}/documents/{document.id}",
        "oai baseURL": f"{base}/oai",
        "oai identifier": f"{base}/documents/{document.id}",
        "bibtex url": f"{base}/documents/{document.id}",
    }


@pytest.fixture
def report(filled) -> Document:
    return next(d for d in filled.indexed() if d.original_name == "regolith-report.pdf")


def test_addresses_do_not_follow_the_host_a_request_names(filled, report: Document):
    app = create_app({"ARCHIVE_DIR": filled.archive.root, "STARTED_AT": "http://127.0.0.1:8733"})
    client = app.test_client()
    for host in ("127.0.0.1:8733", "localhost:8733", "[::1]:8733", "localhost"):
        assert addresses(client, report, headers={"Host": host}) == expected(
            "http://127.0.0.1:8733", report
        ), host


def test_base_url_fixes_every_address_and_proxies_are_believed_only_when_named(
    filled, report: Document
):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "archive.example.org"}
    proxy = {"REMOTE_ADDR": "10.0.0.7"}
    named = create_app({"ARCHIVE_DIR": filled.archive.root, "PROXIES": ["10.0.0.7"]})
    client = named.test_client()
    assert addresses(client, report, headers=forwarded, environ_base=proxy) == expected(
        "https://archive.example.org", report
    )
    # The same headers from anyone else change nothing.
    other = {"REMOTE_ADDR": "10.0.0.8"}
    assert addresses(client, report, headers=forwarded, environ_base=other) == expected(
        "http://127.0.0.1:8000", report
    )
    # A base URL given wins over every header.
    fixed = create_app(
        {
            "ARCHIVE_DIR": filled.archive.root,
            "PROXIES": ["10.0.0.7"],
            "BASE_URL": "https://isecg.example.net/archive",
        }
    ).test_client()
    assert addresses(fixed, report, headers=forwarded, environ_base=proxy) == expected(
        "https://isecg.example.net/archive", report
    )


def test_serve_takes_a_base_url_and_refuses_one_that_is_not_an_address(
    filled, report: Document, tmp_path: Path
):
    refused = subprocess.run(
        command(filled.archive.root, "serve", "--base-url", "ftp://example.org"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        "Error: Invalid value for --base-url: 'ftp://example.org' is not an http:// or https://"
        " address such as https://archive.example.org"
    )
    assert refused.stderr.count("\n") == 1
    cited = subprocess.run(
        command(filled.archive.root, "cite", report.id, "--format", "bibtex", "--base-url",
                "https://isecg.example.net/"),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert f"url = {{https://isecg.example.net/documents/{report.id}}}" in cited.stdout


def test_the_feed_from_the_command_line_is_the_viewers_feed(filled, report: Document):
    base = "https://isecg.example.net/archive"
    made = subprocess.run(
        command(filled.archive.root, "feed", "regolith", "--base-url", base),
        capture_output=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    client = create_app({"ARCHIVE_DIR": filled.archive.root, "BASE_URL": base}).test_client()
    served = client.get("/feed.atom?q=regolith", headers={"Host": "localhost:9999"}).data
    assert made.stdout == served
    feed = feedparser.parse(made.stdout)
    assert not feed.bozo
    assert feed.feed.id == f"{base}/feed.atom?q=regolith"
    assert feed.feed.links[1].href == f"{base}/?q=regolith&sort=updated"
    assert [entry.link for entry in feed.entries] == [f"{base}/documents/{report.id}"]
