"""Citations and references, read back by the parsers reference managers use."""

from __future__ import annotations

import bibtexparser
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from bs4 import BeautifulSoup

from isecg_archive.citing import Links, bibtex_entry, csl_item, formatted_citation, ris_entry
from isecg_archive.storage.records import Document, PartialDate

LINKS = Links("http://archive.example:8000/")
SUMMARY = Document(
    id="d0d8f68dba87605224f1",
    title="Lunar Polar Volatiles: ISRU & 50% of {ice} at R_D ~ Réunion",
    file="lpv-2020-summary.pdf",
    original_name="lpv-2020-summary.pdf",
    format="pdf",
    sha256="d0d8f68dba87605224f1" + "0" * 44,
    size=3230,
    pages=3,
    type="workshop-summary",
    date=PartialDate(2020, 12),
    agencies=("ESA", "JAXA"),
    organisations=("COSPAR",),
    topics=("lunar-polar-volatiles",),
    authors=("ISECG", "Smith, Jane"),
    event="Lunar Polar Volatiles Virtual Workshop",
    event_date=PartialDate(2020, 10, 27),
    event_place="Online",
)
SLIDES = Document(
    id="a1c8b5010ecc",
    title="Prospecting Lunar Polar Volatiles with Small Rovers",
    file="rovers.pdf",
    original_name="rovers.pdf",
    format="pdf",
    sha256="a1c8b5010ecc" + "0" * 52,
    size=4333,
    pages=5,
    type="presentation",
    date=PartialDate(2014),
    agencies=("CSA",),
)


def _bibtex(text: str) -> dict:
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors()]
    )
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    for name in ("institution", "publisher"):  # name lists, as BibTeX writes them
        if name in fields:
            fields[name] = fields[name].split(" and ")
    return {"entry": entry.entry_type, "key": entry.key} | fields


def test_bibtex_reads_back_with_its_types_date_precision_bodies_and_event():
    assert _bibtex(bibtex_entry(SUMMARY, LINKS)) == {
        "entry": "techreport",
        "key": "isecg2020lunar-d0d8f6",
        "title": "Lunar Polar Volatiles: ISRU & 50% of {ice} at R_D ~ Réunion",
        "author": ["ISECG", "Smith, Jane"],
        "year": "2020",
        "month": "dec",
        "date": "2020-12",
        "institution": ["ESA", "JAXA", "COSPAR"],
        "type": "Workshop summary",
        "eventtitle": "Lunar Polar Volatiles Virtual Workshop",
        "eventdate": "2020-10-27",
        "venue": "Online",
        "keywords": "lunar-polar-volatiles",
        "url": "http://archive.example:8000/documents/d0d8f68dba87605224f1",
    }
    slides = _bibtex(bibtex_entry(SLIDES, LINKS))
    assert slides["entry"] == "misc" and slides["howpublished"] == "Presentation"
    assert slides["publisher"] == ["CSA"] and slides["date"] == "2014" and "month" not in slides


def test_the_bibtex_key_is_kept_as_written_by_the_parser_without_decoding():
    raw = bibtexparser.parse_string(bibtex_entry(SUMMARY, LINKS)).entries[0]
    # Acronyms are braced, so that a style which lower-cases titles keeps them.
    assert raw.fields_dict["title"].value.startswith("Lunar Polar Volatiles: {ISRU} \\&")


def test_ris_reads_back_with_its_types_date_precision_bodies_and_event():
    (record,) = rispy.loads(ris_entry(SUMMARY, LINKS))
    assert record == {
        "type_of_reference": "RPRT",
        "id": "d0d8f68dba87605224f1",
        "title": "Lunar Polar Volatiles: ISRU & 50% of {ice} at R_D ~ Réunion",
        "authors": ["ISECG", "Smith, Jane"],
        "year": "2020",
        "date": "2020/12//",
        "publisher": "ESA; JAXA; COSPAR",
        "type_of_work": "Workshop summary",
        "secondary_title": "Lunar Polar Volatiles Virtual Workshop",
        "notes": ["Event date: 2020-10-27"],
        "place_published": "Online",
        "keywords": ["lunar-polar-volatiles"],
        "urls": ["http://archive.example:8000/documents/d0d8f68dba87605224f1"],
    }
    (slides,) = rispy.loads(ris_entry(SLIDES, LINKS))
    assert slides["type_of_reference"] == "SLIDE" and slides["date"] == "2014///"


def test_csl_json_and_the_apa_citation_come_from_the_csl_processor():
    item = csl_item(SUMMARY, LINKS)
    assert item["type"] == "report" and item["genre"] == "Workshop summary"
    assert item["author"] == [{"literal": "ISECG"}, {"family": "Smith", "given": "Jane"}]
    assert item["issued"] == {"date-parts": [[2020, 12]]}
    assert item["event-date"] == {"date-parts": [[2020, 10, 27]]}
    # No author: the agency is the author, as for a body's own report.
    assert csl_item(SLIDES, LINKS)["author"] == [{"literal": "CSA"}]
    assert formatted_citation(SLIDES, LINKS) == (
        "CSA. (2014). Prospecting Lunar Polar Volatiles with Small Rovers [Presentation]."
        " http://archive.example:8000/documents/a1c8b5010ecc"
    )
    assert formatted_citation(SUMMARY, LINKS, "harvard").startswith("ISECG and Smith, J. (2020)")


def test_the_html_citation_escapes_the_record(tmp_path):
    hostile = SLIDES.__class__(**{**SLIDES.__dict__, "title": "<script>alert(1)</script> & more"})
    html = formatted_citation(hostile, LINKS, as_html=True)
    assert "<script>" not in html
    assert "<i>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</i>" in html


def test_cite_and_show_on_the_command_line(filled, run):
    report = next(d for d in filled.indexed() if d.format == "pdf" and d.type == "report")
    text = run("cite", report.id, "--base-url", "https://archive.example/")
    assert text.exit_code == 0
    assert text.output.strip().endswith(f"https://archive.example/documents/{report.id}")
    assert report.title in text.output
    bib = run("cite", report.id, "--format", "bibtex")
    assert _bibtex(bib.output)["url"] == f"http://127.0.0.1:8000/documents/{report.id}"
    shown = run("show", report.id).output
    assert f"url:            http://127.0.0.1:8000/documents/{report.id}" in shown
    assert "citation:" in shown
    bad = run("cite", "ffffffffffff")
    assert bad.exit_code == 1 and "is not in the archive" in bad.output


def test_document_pages_embed_citation_metadata_for_reference_managers(filled, client):
    report = next(d for d in filled.indexed() if d.format == "pdf" and d.type == "report")
    soup = BeautifulSoup(client.get(f"/documents/{report.id}").data, "html.parser")
    meta = {}
    for tag in soup.find_all("meta", attrs={"name": True}):
        meta.setdefault(tag["name"], []).append(tag["content"])
    assert meta["citation_title"] == [report.title]
    assert meta["citation_author"] == list(report.authors)
    assert meta["citation_publication_date"] == [str(report.date).replace("-", "/")]
    assert meta["citation_pdf_url"] == [f"http://127.0.0.1:8000/documents/{report.id}/file"]
    assert meta["DC.title"] == [report.title]
    assert meta["DC.identifier"] == [f"http://127.0.0.1:8000/documents/{report.id}"]
    assert meta["DC.format"] == ["application/pdf"]
    assert (
        soup.find("link", rel="canonical")["href"] == f"http://127.0.0.1:8000/documents/{report.id}"
    )
    cite = soup.find("section", class_="cite")
    assert cite.find("p", class_="citation").get_text().startswith(report.authors[0])
    downloads = [a["href"] for a in cite.find_all("a", download=True)]
    assert downloads == [f"/documents/{report.id}/cite.{ext}" for ext in ("bib", "ris", "json")]
    bib = client.get(downloads[0])
    assert bib.headers["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert _bibtex(bib.get_data(as_text=True))["title"] == report.title
    assert client.get(f"/documents/{report.id}/cite.exe").status_code == 404


def test_workshop_material_names_its_conference(filled, client, run):
    document = next(iter(filled.indexed()))
    run("edit", document.id, "--event", "Lunar Polar Volatiles Workshop", "--type", "presentation")
    soup = BeautifulSoup(client.get(f"/documents/{document.id}").data, "html.parser")
    names = {tag["name"]: tag["content"] for tag in soup.find_all("meta", attrs={"name": True})}
    assert names["citation_conference_title"] == "Lunar Polar Volatiles Workshop"
