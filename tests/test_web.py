"""The viewer through Flask's test client, with every page parsed and checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from isecg_archive.collection import Collection
from isecg_archive.pipeline.ingest import ingest
from isecg_archive.search import SearchRequest
from isecg_archive.web import create_app

from conftest import FILES

REPORT = "506b5215c6d3"  # regolith-report.pdf, 4 pages; "conveyor" is on page 3
HOSTILE = '<script>alert("t")</script> Dust "><img src=x onerror=alert(1)>'


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_browse_lists_everything_newest_first_with_facets(client):
    page = soup(client.get("/"))
    assert page.select_one("p.count").get_text(" ", strip=True) == "5 documents in the archive"
    dates = [hit.select_one(".date").get_text() for hit in page.select("li.hit")]
    assert dates == ["2022-11-03", "2021-03-03", "2019-10", "2018-09", "2015-05-12"]
    agency = {
        a.select_one(".label").get_text(strip=True): int(a.select_one(".count").get_text())
        for a in page.select("#facet-agency li a")
    }
    assert agency == {"NASA": 2, "CSA": 1, "DLR": 2, "ESA": 2, "JAXA": 1}
    years = [li.get_text(" ", strip=True) for li in page.select(".histogram li")]
    assert years == ["2015 1", "2018 1", "2019 1", "2021 1", "2022 1"]


def test_search_shows_highlighted_snippets_with_page_links(client):
    page = soup(client.get("/?q=conveyor"))
    (hit,) = page.select("li.hit")
    assert hit.select_one("h3 a")["href"] == f"/documents/{REPORT}?q=conveyor"
    snippet = hit.select_one("p.snippet")
    assert snippet.select_one("a.page")["href"] == f"/documents/{REPORT}/file#page=3"
    assert [m.get_text() for m in snippet.select("mark")] == ["Conveyor", "conveyor"]
    assert hit.select_one(".agencies").get_text() == "DLR, ESA"


def test_a_facet_link_filters_and_a_chip_removes_the_filter(client):
    page = soup(client.get("/?q=lunar"))
    assert page.select_one("p.count").get_text(" ", strip=True) == "2 documents match lunar"
    nasa = next(a for a in page.select("#facet-agency a") if "NASA" in a.get_text())
    assert nasa["href"] == "/?q=lunar&agency=NASA"
    filtered = soup(client.get(nasa["href"]))
    assert filtered.select_one("p.count").get_text(" ", strip=True) == "1 document matches lunar"
    selected = filtered.select_one("#facet-agency li.selected a")
    assert selected["href"] == "/?q=lunar" and selected["aria-current"] == "true"
    (chip, clear) = filtered.select(".chips a")
    assert chip.get_text(" ", strip=True).startswith("Agency: NASA")
    assert chip["href"] == "/?q=lunar"


def test_year_range_type_and_sort(client):
    page = soup(client.get("/?since=2019&until=2021&sort=oldest"))
    assert [h.select_one(".date").get_text() for h in page.select("li.hit")] == [
        "2019-10",
        "2021-03-03",
    ]
    assert [c.get_text(" ", strip=True) for c in page.select(".chips a")][:2] == [
        "From 2019 × (remove)", "To 2021 × (remove)",
    ]  # fmt: skip
    assert page.select_one(".sort strong").get_text() == "oldest"
    typed = soup(client.get("/?type=news&type=presentation"))
    assert len(typed.select("li.hit")) == 2


def test_pagination_and_a_page_past_the_end(client, filled: Collection, tmp_path: Path):
    for n in range(12):
        note = tmp_path / f"note-{n}.txt"
        note.write_text(f"Lunar field note number {n} about regolith.", encoding="utf-8")
    ingest(filled, [tmp_path / f"note-{n}.txt" for n in range(12)])
    first = soup(client.get("/?q=regolith"))
    assert first.select_one("p.count").get_text(" ", strip=True).endswith("page 1 of 2")
    nav = first.select_one("nav.pagination")
    assert nav.select_one("a[rel=next]")["href"] == "/?q=regolith&page=2"
    second = soup(client.get("/?q=regolith&page=2"))
    assert second.select_one("ol.results")["start"] == "11"
    assert second.select_one("a[rel=prev]")["href"] == "/?q=regolith&page=1"
    past = soup(client.get("/?q=regolith&page=9"))
    assert past.select_one("p.empty a")["href"] == "/?q=regolith&page=2"


def test_empty_state_and_did_you_mean(client):
    page = soup(client.get("/?q=conveyr"))
    assert page.select_one(".suggestion a").get_text() == "conveyor"
    assert page.select_one(".suggestion a")["href"] == "/?q=conveyor"
    assert "No documents match" in page.select_one(".empty h2").get_text()
    filtered = soup(client.get("/?q=conveyor&agency=CSA"))
    assert filtered.select_one(".empty a")["href"] == "/?q=conveyor"


def test_document_page_shows_metadata_text_and_hits(client):
    page = soup(client.get(f"/documents/{REPORT}?q=conveyor"))
    assert page.select_one("h1").get_text() == "Regolith Handling Report"
    terms = dict(zip(
        [dt.get_text() for dt in page.select("dl.metadata dt")],
        [dd.get_text(" ", strip=True) for dd in page.select("dl.metadata dd")],
        strict=True,
    ))  # fmt: skip
    assert terms["Date"] == "2015-05-12" and terms["Agencies"] == "DLR , ESA"
    assert terms["Id"] == REPORT
    assert [s["id"] for s in page.select("section.page")] == [
        "page-1",
        "page-2",
        "page-3",
        "page-4",
    ]
    assert [m.get_text() for m in page.select("#page-3 mark")] == ["Conveyor", "conveyor"]
    assert [a["href"] for a in page.select(".hits-summary a")] == ["#page-1", "#page-3"]
    assert page.select_one(".actions a")["href"] == f"/documents/{REPORT}/file"


def test_originals_are_served_by_id_unchanged(client):
    with client.get(f"/documents/{REPORT}/file") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.data == (FILES / "regolith-report.pdf").read_bytes()
    html = client.get("/api/search?q=rover").get_json()["hits"][0]["id"]
    with client.get(f"/documents/{html}/file") as page:
        assert page.headers["Content-Security-Policy"].startswith("sandbox")
    with client.get(f"/documents/{REPORT}/file?download=1") as download:
        assert download.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    "path",
    [
        "/documents/../../etc/passwd/file",
        "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd/file",
        "/documents/..%2F..%2Fpyproject.toml/file",
        "/documents/%252e%252e/file",
        "/documents/inbox%2Fregolith-report.pdf/file",
        "/static/..%2f..%2fcollection.py",
        "/documents/zzzzzz/file",
        "/documents/506b52/../file",
    ],
)
def test_no_path_reaches_the_file_system(client, path: str):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Traceback" not in response.data


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ('"unbalanced', 200, None),
        ("agency:", 400, "agency: has no value; write one right after the colon"),
        ("foo:bar", 200, None),  # no such field: two words
        ("title:(", 200, None),
        ("\x00\x07\x1b[31m", 200, None),
        ("x " * 10_001, 400, "the query is 20001 characters long; shorten it to at most 20,000"),
    ],
)
def test_malformed_queries_get_a_message_never_a_500(client, query, status, message):
    response = client.get("/", query_string={"q": query})
    assert response.status_code == status
    if message:
        assert message in soup(response).select_one(".error").get_text()


def test_bad_filter_values_explain_themselves(client):
    response = client.get("/?agency=ACME&page=x")
    assert response.status_code == 400
    assert "the page must be a number" in soup(response).select_one(".error").get_text()
    response = client.get("/?since=last+year")
    assert (
        "write it as YYYY, YYYY-MM or YYYY-MM-DD" in soup(response).select_one(".error").get_text()
    )
    assert client.get("/api/search?agency=ACME").get_json()["error"].startswith("unknown agency")


def test_document_text_is_escaped_everywhere(filled: Collection, tmp_path: Path):
    # Plain text keeps markup as text (Markdown would render it away).
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(f"{HOSTILE}\n\nRegolith notes. {HOSTILE} regolith again.\n", "utf-8")
    ingest(filled, [hostile])
    client = create_app({"ARCHIVE_DIR": filled.archive.root}).test_client()
    doc_id = client.get("/api/search?q=regolith+notes").get_json()["hits"][0]["id"]
    for url in ("/?q=regolith+notes", f"/documents/{doc_id}?q=dust", "/?q=dust"):
        page = soup(client.get(url))
        # No script but the page's JSON-LD, a data block no browser runs.
        scripts = page.find_all("script")
        assert [s for s in scripts if s.get("type") != "application/ld+json"] == [], url
        assert page.find("img") is None, url
        assert HOSTILE in page.get_text(), url


def test_api_returns_the_same_objects_as_the_cli(client, filled: Collection):
    response = client.get("/api/search?q=conveyor&agency=ESA")
    expected = filled.search(SearchRequest("conveyor", agencies=("ESA",))).to_dict()
    assert response.get_json() == expected
    assert list(response.get_json()) == list(expected), "the same key order as the CLI"
    document = client.get(f"/api/documents/{REPORT}").get_json()
    assert document["document"]["title"] == "Regolith Handling Report"
    assert [p["page"] for p in document["pages"]] == [1, 2, 3, 4]
    assert client.get("/api/documents/ffffffffffff").get_json() == {
        "error": "There is no such page or document here. Search the archive to find it."
    }


def test_errors_have_their_own_page_and_no_traceback(filled: Collection, monkeypatch):
    app = create_app({"ARCHIVE_DIR": filled.archive.root})
    monkeypatch.setattr(Collection, "search", lambda *a: 1 / 0)
    response = app.test_client().get("/?q=moon")
    assert response.status_code == 500
    page = soup(response)
    assert page.select_one("h1").get_text() == "Something went wrong"
    assert "ZeroDivisionError" not in response.get_data(as_text=True)
    missing = app.test_client().get("/nowhere")
    assert missing.status_code == 404 and soup(missing).select_one("h1").get_text() == "Not Found"


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    html = client.get("/api/search?q=rover").get_json()["hits"][0]["id"]
    for path in ("/", "/nowhere", f"/documents/{REPORT}/file", f"/documents/{html}/file"):
        with client.get(path) as response:
            assert response.headers["X-Frame-Options"] == "DENY", path
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
    refused = client.post("/?q=moon")
    assert refused.status_code == 405
    assert refused.headers["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:8000", 200),
        ("localhost", 200),
        ("LOCALHOST.:8000", 200),
        ("[::1]:8000", 200),
        ("archive.lab.example", 200),  # given with --allow-host
        ("evil.example", 400),  # a page of another site, its name pointed at 127.0.0.1
        ("localhost.evil.example", 400),
        ("127.0.0.1.nip.io:8000", 400),
        ("", 400),
    ],
)
def test_the_viewer_answers_only_to_its_own_host_names(filled: Collection, host, status):
    app = create_app({"ARCHIVE_DIR": filled.archive.root, "ALLOWED_HOSTS": ["archive.lab.example"]})
    client = app.test_client()
    response = client.get("/api/search?q=regolith", headers={"Host": host})
    assert response.status_code == status
    if status == 400:
        assert response.get_json() == {
            "error": f"This viewer does not answer to the host name {host!r}. Open it at"
            " http://127.0.0.1, or start it with --allow-host and this name."
        }
        page = client.get("/", headers={"Host": host})
        assert soup(page).select_one("h1").get_text() == "Unknown host name"


def test_any_file_name_downloads_under_its_own_name(filled: Collection, tmp_path: Path):
    inbox = tmp_path / "odd"
    inbox.mkdir()
    (inbox / "Bericht\nÜber den Mond.txt").write_text("Mondbericht\n\nRegolith im Krater.\n")
    ingest(filled, [inbox])
    client = create_app({"ARCHIVE_DIR": filled.archive.root}).test_client()
    found = client.get("/api/search?q=Mondbericht").get_json()["hits"][0]["id"]
    with client.get(f"/documents/{found}/file?download=1") as response:
        assert response.status_code == 200
        assert response.data == b"Mondbericht\n\nRegolith im Krater.\n"
        assert response.headers["Content-Disposition"] == (
            'attachment; filename="Bericht Uber den Mond.txt";'
            " filename*=UTF-8''Bericht%20%C3%9Cber%20den%20Mond.txt"
        )


def test_a_damaged_record_gives_a_page_without_its_path(filled: Collection):
    client = create_app({"ARCHIVE_DIR": filled.archive.root}).test_client()
    found = client.get("/api/search?q=regolith").get_json()["hits"][0]
    for record in filled.archive.root.rglob("*.meta.json"):
        if found["id"] in record.read_text():
            record.write_text("{ damaged")
    response = client.get(f"/documents/{found['id']}")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert soup(response).select_one("h1").get_text() == "The archive could not be read"
    assert str(filled.archive.root) not in text and ".meta.json" not in text
    assert "`isecg-archive check` on this machine says what to fix." in text


def test_syntax_page_is_linked_from_the_search_form(client):
    page = soup(client.get("/"))
    assert page.select_one("form.search a.help")["href"] == "/syntax"
    syntax = soup(client.get("/syntax"))
    assert syntax.select_one("h1").get_text() == "How to search"
    assert len(syntax.select("tbody tr")) == 8


def test_kept_searchers_see_new_documents_and_a_rebuilt_index(filled: Collection, tmp_path):
    app = create_app({"ARCHIVE_DIR": filled.archive.root, "KEEP_SEARCHERS": True})
    collection = app.extensions["isecg_collection"]
    client = app.test_client()
    try:
        assert client.get("/api/search?q=lettuce").get_json()["total"] == 0
        note = tmp_path / "greenhouse.txt"
        note.write_text("The crew grew lettuce in the lunar greenhouse.", encoding="utf-8")
        ingest(filled, [note])
        assert client.get("/api/search?q=lettuce").get_json()["total"] == 1
        filled.reindex()
        assert client.get("/api/search?q=lettuce").get_json()["total"] == 1
        assert client.get("/api/search").get_json()["total"] == 6
    finally:
        collection.close()


def test_a_page_no_reader_could_read_says_so_on_the_document_page(filled: Collection):
    from dataclasses import replace

    document = filled.archive.read("inbox/regolith-report.pdf")
    filled.rewrite([replace(document, unread_pages=(3,))])
    client = create_app({"ARCHIVE_DIR": filled.archive.root}).test_client()
    page = soup(client.get(f"/documents/{REPORT}"))
    notes = {section["id"]: section.find("p", class_="unread") for section in page.select(".page")}
    assert notes["page-3"].get_text() == "This page could not be read: the file is damaged here."
    assert [key for key, note in notes.items() if note] == ["page-3"]


def test_over_long_addresses_and_too_many_parameters_are_refused(client):
    long = client.get("/?q=" + "lunar+" * 14_000)  # 84,002 characters
    assert long.status_code == 414
    assert soup(long).select_one("h1").get_text() == "Address too long"
    assert client.get("/api/search?q=" + "a" * 80_001).get_json() == {
        "error": "This address is 80,003 characters long; the viewer takes at most 80,000."
        " Shorten the search."
    }
    assert client.get("/?" + "&".join(f"p{n}=x" for n in range(20_000))).status_code == 414
    many = client.get("/?q=regolith&" + "&".join(f"p{n}=x" for n in range(150)))
    assert many.status_code == 400
    assert soup(many).select_one("h1").get_text() == "Too many parameters"
    filters = "&".join("agency=NASA" for _ in range(30))
    assert client.get(f"/?q=regolith&{filters}").status_code == 200


def test_page_text_is_shown_as_paragraphs_with_lists_headings_and_slides_kept():
    from isecg_archive.web.paragraphs import paragraph_spans

    def shown(text: str) -> list[str]:
        return [text[a:b].replace("\n", " ") for a, b in paragraph_spans(text)]

    report = (
        "Findings\n"
        "Participants agreed that water ice is present in some permanently shadowed regions\n"
        "but that its concentration and depth remain uncertain. Cold traps appear patchy and\n"
        "lateral variation over tens of metres cannot be seen from orbit.\n"
        "• Prospecting rovers with drills and neutron spectrometers\n"
        "• A common data format for maps\n"
        "\n"
        "The workshop recommended a coordinated campaign of landers and rovers, each measur-\n"
        "ing hydrogen, temperature and regolith properties over a whole lunar day or more."
    )
    assert shown(report) == [
        "Findings",
        "Participants agreed that water ice is present in some permanently shadowed regions"
        " but that its concentration and depth remain uncertain. Cold traps appear patchy and"
        " lateral variation over tens of metres cannot be seen from orbit.",
        "• Prospecting rovers with drills and neutron spectrometers",
        "• A common data format for maps",
        "The workshop recommended a coordinated campaign of landers and rovers, each measur-"
        " ing hydrogen, temperature and regolith properties over a whole lunar day or more.",
    ]
    slide = (
        "Electrostatic cleaning\nDust clings to seals and optics\nElectrodes lift charged grains"
    )
    assert shown(slide) == slide.split("\n")
    assert shown("") == [] and shown("\n\n") == []


def test_commands_on_pages_keep_each_option_with_its_value():
    from isecg_archive.web.pages import command_line

    assert str(command_line("isecg-archive edit 365b83 --title 'A <b> & C' --add-topic mars")) == (
        '<span class="arg">isecg-archive</span> <span class="arg">edit</span>'
        ' <span class="arg">365b83</span> <span class="arg">--title &#39;A &lt;b&gt; &amp;'
        ' C&#39;</span> <span class="arg">--add-topic mars</span>'
    )


def test_the_widening_facets_say_so_once_a_value_is_chosen(client):
    page = soup(client.get("/"))
    assert page.select(".widen") == []
    page = soup(client.get("/?type=presentation&since=2019&until=2019"))
    assert [p.get_text() for p in page.select(".widen")] == [
        "Other types keep their counts: choosing one more adds its documents.",
        "Other years keep their counts: choosing one searches that year instead.",
    ]
