"""Citations and references, read back by the parsers reference managers use."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from bs4 import BeautifulSoup

from isecg_archive.citing import Links, bibtex_entry, csl_item, formatted_citation, ris_entry
from isecg_archive.citing.meta import citation_meta
from isecg_archive.outputs.exporting import export
from isecg_archive.storage.archive import Archive
from isecg_archive.storage.records import DOCUMENT_TYPES, Document, PartialDate

from conftest import DEMO

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
        "entry": "report",
        "key": "isecg2020lunar-d0d8f6",
        "title": "Lunar Polar Volatiles: ISRU & 50% of {ice} at R_D ~ Réunion",
        "author": ["ISECG", "Smith, Jane"],
        "year": "2020",
        "month": "dec",
        "institution": ["ESA", "JAXA", "COSPAR"],
        "type": "Workshop summary",
        # A report has no event fields in the biblatex data model: the event is its note.
        "note": "Lunar Polar Volatiles Virtual Workshop, Online, 2020-10-27",
        "keywords": "lunar-polar-volatiles",
        "url": "http://archive.example:8000/documents/d0d8f68dba87605224f1",
    }
    slides = _bibtex(bibtex_entry(SLIDES, LINKS))
    # A body's own talk: the body is its author.
    assert (slides["entry"], slides["author"], slides["type"]) == (
        "unpublished",
        ["CSA"],
        "Presentation",
    )
    assert slides["year"] == "2014" and "month" not in slides


def test_the_bibtex_title_keeps_its_capitals_and_the_month_is_a_macro():
    raw = bibtex_entry(SUMMARY, LINKS)
    parsed = bibtexparser.parse_string(raw).entries[0]
    # Each word with a capital is braced, so that a style which changes a title's case
    # (plain.bst, biblatex's sentence case) keeps "Polar", "ISRU" and "Réunion" as written.
    assert parsed.fields_dict["title"].value == (
        "Lunar {Polar} {Volatiles:} {ISRU} \\& 50\\% of \\{ice\\} at {R\\_D} \\textasciitilde{}"
        " {Réunion}"
    )
    assert "  month = dec,\n" in raw  # the macro, which styles print in their language


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


# Metadata as untrusted files and hurried librarians give it: names in every form, LaTeX's
# special characters, acronyms and proper names in titles, a body among the authors.
HOSTILE = [
    replace(
        SUMMARY,
        id=f"{n:012x}",
        title=title,
        authors=authors,
        type=kind,
        date=date,
    )
    for n, (title, authors, kind, date) in enumerate(
        [
            ("R&D for 100% of #1 missions_to {Mars} at $5", ("Müller, Jürgen", "Jane Smith"),
             "report", PartialDate(2021, 3, 9)),
            ("NASA's Artemis: Gateway ~ ^ \\ plan", ("Martin Luther King, Jr.",),
             "presentation", PartialDate(2019)),
            ("Ludwig's notes", ("Ludwig van Beethoven", "ISECG Science Working Group"),
             "white-paper", None),
            ("Lunar news", (), "news", PartialDate(2025, 1)),
            ("Other matters", (), "other", None),
        ]
    )
]  # fmt: skip


@pytest.mark.skipif(not shutil.which("biber"), reason="biber is not installed (Debian: biber)")
@pytest.mark.parametrize("source", ["demo", "hostile"])
def test_biber_validates_the_bibtex_against_the_biblatex_data_model(source, tmp_path):
    documents = list(Archive(DEMO).records()) if source == "demo" else HOSTILE
    bib = tmp_path / "export.bib"
    bib.write_text("".join(export(documents, "bibtex", LINKS)), encoding="utf-8")
    checked = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", bib.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    said = checked.stdout + checked.stderr
    assert [line for line in said.splitlines() if "WARN" in line or "ERROR" in line] == []
    written = (tmp_path / "export_bibertool.bib").read_text("utf-8")
    assert written.count("\n@") + written.startswith("@") == len(documents)  # biber read all


def test_every_format_names_the_same_creators():
    """Persons parsed (Given Family, Family, Given, Family, Given, Jr.), bodies whole: the same
    in CSL-JSON, BibTeX, RIS and the page's tags."""
    report, talk, paper = HOSTILE[:3]
    assert [csl_item(d, LINKS)["author"] for d in (report, talk, paper)] == [
        [{"family": "Müller", "given": "Jürgen"}, {"family": "Smith", "given": "Jane"}],
        [{"family": "King", "given": "Martin Luther", "suffix": "Jr."}],
        [{"family": "van Beethoven", "given": "Ludwig"},
         {"literal": "ISECG Science Working Group"}],
    ]  # fmt: skip
    assert [_bibtex(bibtex_entry(d, LINKS))["author"] for d in (report, talk, paper)] == [
        ["Müller, Jürgen", "Smith, Jane"],
        ["King, Jr., Martin Luther"],
        ["van Beethoven, Ludwig", "ISECG Science Working Group"],
    ]
    assert [rispy.loads(ris_entry(d, LINKS))[0]["authors"] for d in (report, talk, paper)] == [
        ["Müller, Jürgen", "Smith, Jane"],
        ["King, Martin Luther, Jr."],
        ["van Beethoven, Ludwig", "ISECG Science Working Group"],
    ]
    tags = [[v for k, v in citation_meta(d, LINKS) if k == "citation_author"] for d in HOSTILE]
    assert tags == [
        ["Müller, Jürgen", "Smith, Jane"],
        ["King, Martin Luther, Jr."],
        ["van Beethoven, Ludwig", "ISECG Science Working Group,"],
        ["ESA", "JAXA", "COSPAR"],  # a body's own news: Scholar needs an author
        ["ESA", "JAXA", "COSPAR"],
    ]


# Zotero's Embedded Metadata translator, as written in zotero/translators ("Embedded
# Metadata.js": init(), processHighwireCreators()) with ZU.cleanAuthor (zotero/utilities) and
# the RDF translator's detectType() ("RDF.js"), for the tags this archive writes.
ZOTERO_HIGHWIRE_TYPES = {
    "citation_journal_title": "journalArticle",
    "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper",
    "citation_conference": "conferencePaper",
    "citation_book_title": "bookSection",
    "citation_inbook_title": "bookSection",
    "citation_dissertation_institution": "thesis",
}
ZOTERO_ITEM_TYPES = {
    "artwork", "audioRecording", "bill", "blogPost", "book", "bookSection", "case",
    "computerProgram", "conferencePaper", "dataset", "dictionaryEntry", "document", "email",
    "encyclopediaArticle", "film", "forumPost", "hearing", "instantMessage", "interview",
    "journalArticle", "letter", "magazineArticle", "manuscript", "map", "newspaperArticle",
    "patent", "podcast", "preprint", "presentation", "radioBroadcast", "report", "standard",
    "statute", "thesis", "tvBroadcast", "videoRecording", "webpage",
}  # fmt: skip


def zotero_item_type(meta: list[tuple[str, str]]) -> str:
    typed = [ZOTERO_HIGHWIRE_TYPES[k] for k, _ in meta if k in ZOTERO_HIGHWIRE_TYPES]
    if typed:
        return typed[-1]  # hwType: the last such tag; "generally most accurate"
    dc_types = [v for k, v in meta if k == "DC.type"]
    if dc_types and dc_types[0] in ZOTERO_ITEM_TYPES:
        return dc_types[0]  # t.dc, from the first dc:type, outranks every guess
    return "journalArticle"  # citation_title's guess (defaultUnknownType)


def zotero_creators(meta: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(lastName, firstName) of each citation_author."""
    values = [v for k, v in meta if k == "citation_author"]
    if len(values) == 1:
        parts = re.split(r"\s*,\s*", values[0])
        if len(parts) > 1 and " " in parts[0] and " " in parts[1]:
            values = parts  # one author node split at its commas
    found = []
    for value in values:
        name = re.sub(r"[\s\u00a0.,/\[\]:]+$", "", re.sub(r"^[\s\u00a0.,/\[\]:]+", "", value))
        if "," in value:
            parts = re.split(r", ?", name)
            found.append((parts[0], parts[1]) if len(parts) > 1 else (name, ""))
        else:
            first, _, last = name.rpartition(" ")
            found.append((last, first))
    return found


def test_zotero_reads_each_creator_as_written_and_a_body_whole():
    assert [zotero_creators(citation_meta(d, LINKS)) for d in HOSTILE] == [
        [("Müller", "Jürgen"), ("Smith", "Jane")],
        [("King", "Martin Luther")],
        [("van Beethoven", "Ludwig"), ("ISECG Science Working Group", "")],
        [("ESA", ""), ("JAXA", ""), ("COSPAR", "")],
        [("ESA", ""), ("JAXA", ""), ("COSPAR", "")],
    ]
    alone = replace(HOSTILE[2], authors=("van Beethoven, Ludwig Maria",))
    assert zotero_creators(citation_meta(alone, LINKS)) == [("Beethoven", "Ludwig Maria van")]
    body = replace(HOSTILE[2], authors=("European Space Agency",))
    assert zotero_creators(citation_meta(body, LINKS)) == [("European Space Agency", "")]


def test_the_page_tags_follow_scholar_and_give_zotero_one_item_type():
    """Scholar takes citation_publication_date as YYYY/MM/DD or YYYY; Zotero's Embedded
    Metadata translator types an item by the last of citation_technical_report_institution
    (report) and citation_conference_title (conference paper) on the page: at most one."""
    typing = ("citation_technical_report_institution", "citation_conference_title")
    for document in (SUMMARY, *HOSTILE):
        meta = citation_meta(document, LINKS)
        assert len([k for k, _ in meta if k in typing]) <= 1, document.title
        for _, date in (m for m in meta if m[0] == "citation_publication_date"):
            assert re.fullmatch(r"\d{4}(/\d{2}/\d{2})?", date), date
    summary = dict(citation_meta(SUMMARY, LINKS))
    assert summary["citation_publication_date"] == "2020"  # December 2020: no day
    assert summary["citation_technical_report_institution"] == "ESA; JAXA; COSPAR"
    assert "citation_conference_title" not in summary  # a report, though of a workshop
    assert dict(citation_meta(HOSTILE[0], LINKS))["citation_publication_date"] == "2021/03/09"
    # Each type of document becomes one Zotero item type, with or without bodies and events.
    bare = replace(SUMMARY, agencies=(), organisations=(), event="", event_date=None)
    typed = {
        kind: (
            zotero_item_type(citation_meta(replace(SUMMARY, type=kind), LINKS)),
            zotero_item_type(citation_meta(replace(bare, type=kind), LINKS)),
        )
        for kind in DOCUMENT_TYPES
    }
    assert typed == {
        "presentation": ("conferencePaper", "presentation"),
        "workshop-summary": ("report", "report"),
        "white-paper": ("report", "report"),
        "roadmap": ("report", "report"),
        "report": ("report", "report"),
        "news": ("webpage", "webpage"),
        "other": ("document", "document"),
    }
