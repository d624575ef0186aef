"""Every format a workshop produces, and files that hang, crash or explode, at volume."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import query as q
from whoosh.searching import Searcher

from isecg_archive.collection import Collection
from isecg_archive.errors import ExtractionError
from isecg_archive.events import slug
from isecg_archive.extract import ExtractOptions, extract
from isecg_archive.maintenance.check import check, needing_attention
from isecg_archive.pipeline.ingest import IngestOptions, ingest
from isecg_archive.pipeline.workers import ReadAhead, Task, extract_in_workers
from isecg_archive.search import SearchRequest
from isecg_archive.storage.archive import file_hash
from isecg_archive.storage.records import PartialDate

from conftest import FILES, ROOT, command, needs_impress, needs_tesseract, needs_writer

sys.path.insert(0, str(ROOT / "demo"))
from pdfwriter import write_report  # noqa: E402

SLIDES = (
    "Lunar Dust Mitigation\nESA · 14 June 2022",
    "Electrostatic cleaning\nDust clings to seals and optics\nElectrodes lift charged grains"
    "\nNotes:\nMention the ESTEC vacuum chamber results.",
)
REPORT_PAGES = (
    "Cryogenic Propellant Storage\nNASA and JAXA compared boil-off losses of liquid oxygen in"
    " orbit.\nTank Boil-off per day\nPassive 0.3%",
    "Recommendations\nActive cooling should be demonstrated on the Gateway.\nISECG Technology"
    " Working Group\nDraft for review",
)


def test_pptx_slides_with_tables_groups_and_notes():
    deck = extract(FILES / "dust-mitigation.pptx")
    assert deck.pages == (
        *SLIDES,
        "Test results\nSurface Dust removed\nGlass 92%\nSolar cell 87%\nGrouped caption: tested"
        " at ESTEC",
    )
    assert (deck.format, deck.title, deck.authors) == ("pptx", "Lunar Dust Mitigation", ("ESA",))
    assert deck.date == PartialDate(2022, 6, 14) and deck.landscape_pages == 3


def test_docx_headings_tables_headers_footers_and_page_breaks():
    report = extract(FILES / "cryogenic-storage.docx")
    assert report.pages == REPORT_PAGES
    assert (report.title, report.authors) == ("Cryogenic Propellant Storage", ("NASA", "JAXA"))
    assert report.date == PartialDate(2023, 9, 1)


def test_opendocument_text_and_presentation():
    text = extract(FILES / "cryogenic-storage.odt")
    assert text.format == "odt"
    assert text.pages == (
        "Cryogenic Propellant Storage\nNASA and JAXA compared boil-off losses of liquid oxygen"
        " in orbit.\nTank\nBoil-off per day\nPassive\n0.3%\n\nRecommendations\nActive cooling"
        " should be demonstrated on the Gateway.\nISECG Technology Working Group\nDraft for"
        " review",
    ), "the header and the footer follow the text once, as in Word files"
    slides = extract(FILES / "dust-mitigation.odp")
    assert slides.format == "odp" and slides.pages[:2] == SLIDES
    assert slides.authors == ("ESA",) and slides.landscape_pages == 3


@needs_writer
@needs_impress
def test_legacy_doc_and_ppt_through_libreoffice():
    doc = extract(FILES / "cryogenic-storage.doc")
    assert doc.format == "doc" and doc.title == "Cryogenic Propellant Storage"
    assert doc.pages[1] == "Recommendations\nActive cooling should be demonstrated on the Gateway."
    assert "Draft for review" not in doc.pages[0], "the footer on both pages is a running line"
    ppt = extract(FILES / "dust-mitigation.ppt")
    assert ppt.format == "ppt" and ppt.pages[0] == SLIDES[0]
    assert ppt.date is None, "the conversion's date is not the document's"


def test_each_part_of_libreoffice_is_found_by_what_it_can_read(tmp_path: Path):
    """With Calc alone installed, `soffice` exists but reads no .doc or .ppt: the archive says
    which package brings what is missing, and the tests skip by the same check."""
    program = tmp_path / "libreoffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice").write_text("#!/bin/sh\nexit 0\n")
    (program / "soffice").chmod(0o755)
    (program / "libsclo.so").touch()  # Calc's library, the only part "installed"
    path = f"{program}{os.pathsep}{os.environ['PATH']}"
    found = subprocess.run(
        [sys.executable, "-c", "from isecg_archive.extract import programs as p;"
         " print([bool(p.libreoffice(x)) for x in p.PARTS])"],
        env={**os.environ, "PATH": path}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert found.stdout == "[False, False, True]\n"  # Writer, Impress, Calc
    ingested = subprocess.run(
        command(tmp_path / "archive", "ingest", str(FILES / "cryogenic-storage.doc"),
                str(FILES / "dust-mitigation.ppt")),
        env={**os.environ, "PATH": path}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert ingested.returncode == 1
    assert ingested.stderr.splitlines() == [
        f"FAILED {FILES / 'cryogenic-storage.doc'}: .doc files are read by LibreOffice Writer,"
        " which is not installed: install it (Debian: libreoffice-writer-nogui), or save the"
        " file as PDF or DOCX, and ingest it again",
        f"FAILED {FILES / 'dust-mitigation.ppt'}: .ppt files are read by LibreOffice Impress,"
        " which is not installed: install it (Debian: libreoffice-impress-nogui), or save the"
        " file as PDF or PPTX, and ingest it again",
    ]


def test_a_missing_python_library_is_named_not_blamed_on_the_file(tmp_path: Path):
    """As when an old pip skipped lxml's html-clean extra: lxml_html_clean cannot be imported."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "lxml_html_clean.py").write_text("raise ImportError('no lxml_html_clean')")
    ingested = subprocess.run(
        command(tmp_path / "archive", "ingest", str(FILES / "news.html")),
        env={**os.environ, "PYTHONPATH": str(shadow)}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert ingested.returncode == 1
    assert ingested.stderr == (
        f"FAILED {FILES / 'news.html'}: a library needed to read HTML files is missing (lxml.html"
        ".clean module is now a separate project lxml_html_clean. Install lxml[html-clean] or"
        " lxml_html_clean directly.); reinstall isecg-archive (`make install`, or pip install"
        " with a recent pip), then ingest the file again\n"
    )


@needs_tesseract
def test_scanned_pdf_is_read_by_ocr_and_marked():
    scan = extract(FILES / "scanned-memo.pdf")
    assert scan.ocr_pages == (1,) and scan.needs == ()
    words = scan.pages[0].split()
    assert words == [
        "Scanned", "Archive", "Memo", "Regolith", "sintering", "trials", "succeeded", "at",
        "ESTEC", "in", "1998.",
    ]  # fmt: skip


def test_a_zip_bomb_is_refused_before_it_inflates():
    with pytest.raises(ExtractionError) as caught:
        extract(FILES / "zip-bomb.docx")
    assert str(caught.value) == (
        "the file would inflate to 210 MB from 0.2 MB: it looks like a zip bomb and was not opened"
    )


def test_a_hanging_reader_is_stopped_and_the_batch_goes_on(tmp_path: Path):
    import slow_readers

    for name in ("slow-deck.txt", "fine.txt"):
        (tmp_path / name).write_text("Gateway notes", encoding="utf-8")
    tasks = [Task(tmp_path / "slow-deck.txt"), Task(tmp_path / "fine.txt")]
    hung, fine = extract_in_workers(tasks, jobs=2, timeout=1, function=slow_readers.hang_on_slow)
    assert isinstance(hung, ExtractionError)
    assert str(hung) == (
        "reading it took over 1 s, so it was stopped: the file may be damaged or very large;"
        " raise --timeout, or convert it to PDF"
    )
    assert fine.pages == ("Gateway notes",)


def test_a_crashing_reader_is_replaced(tmp_path: Path):
    import slow_readers

    names = ["crash-1.txt", "a.txt", "crash-2.txt", "b.txt"]
    for name in names:
        (tmp_path / name).write_text(f"text of {name}", encoding="utf-8")
    results = list(
        extract_in_workers(
            [Task(tmp_path / n) for n in names], jobs=1, function=slow_readers.crash_on_crash
        )
    )
    assert [type(r).__name__ for r in results] == [
        "ExtractionError", "Extraction", "ExtractionError", "Extraction",
    ]  # fmt: skip
    assert str(results[0]).startswith("the reader crashed on it (exit status -6)")
    assert results[3].pages == ("text of b.txt",)


def test_workers_read_file_after_file_and_are_replaced_after_a_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import slow_readers
    from isecg_archive.pipeline import workers

    monkeypatch.setattr(workers, "FILES_PER_WORKER", 2)
    names = [f"note-{n}.txt" for n in range(5)]
    for name in names:
        (tmp_path / name).write_text(f"text of {name}", encoding="utf-8")
    tasks = [Task(tmp_path / name) for name in names]
    results = list(extract_in_workers(tasks, jobs=1, function=slow_readers.tell_pid))
    assert [r.pages for r in results] == [(f"text of {name}",) for name in names]
    pids = [r.title for r in results]
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]


def test_workers_read_ahead_of_a_busy_consumer_and_stop_when_it_closes(tmp_path: Path):
    import slow_readers

    names = [f"note-{n}.txt" for n in range(8)]
    for name in names:
        (tmp_path / name).write_text(f"text of {name}", encoding="utf-8")
    tasks = [Task(tmp_path / name) for name in names]

    def start(stop):
        return extract_in_workers(tasks, jobs=1, function=slow_readers.mark_read, stop=stop)

    ahead = ReadAhead(start, limit=3, weight=lambda extraction: 1)
    try:
        first = next(ahead)
        assert first.pages == ("text of note-0.txt",)
        # Nobody asks for more (an ingest is committing), and the files after it are read.
        deadline = time.monotonic() + 60
        while not (tmp_path / "note-3.read").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "note-3.read").exists()
        assert next(ahead).pages == ("text of note-1.txt",)
    finally:
        ahead.close()
    assert not (tmp_path / "note-7.read").exists()  # stopped, 3 ahead at most
    assert not Path(f"/proc/{first.title}").exists()  # its worker with it


def test_a_reader_over_its_memory_budget_fails_alone(tmp_path: Path):
    import slow_readers

    (tmp_path / "big.txt").write_text("x", encoding="utf-8")
    (result,) = extract_in_workers([Task(tmp_path / "big.txt")], function=slow_readers.hog_memory)
    assert str(result).startswith("reading it needed over 4 GiB of memory")


def test_slides_link_hits_to_their_slide(collection: Collection):
    ingest(collection, [FILES / "dust-mitigation.pptx"])
    (hit,) = collection.search(SearchRequest('"vacuum chamber"')).hits
    assert hit.document.format == "pptx" and hit.snippets[0].page == 2


def test_encrypted_pdf_is_archived_then_opened_with_its_password(collection: Collection):
    (outcome,) = ingest(collection, [FILES / "encrypted.pdf"]).outcomes
    assert outcome.status == "added"
    assert outcome.message == "not searchable: it has a password; ingest it again with --password"
    assert (FILES / "encrypted.pdf").read_bytes() == collection.archive.original(
        "encrypted.pdf"
    ).read_bytes()
    assert collection.search(SearchRequest("encrypted")).total == 1, "found by its file name"
    assert [p.message for p in needing_attention(collection)] == [
        "needs a password to be searchable: ingest it again with --password"
    ]
    options = IngestOptions(extract=ExtractOptions(password="secret"))
    (again,) = ingest(collection, [FILES / "encrypted.pdf"], options=options).outcomes
    assert again.status == "updated" and again.pages == 4
    assert collection.search(SearchRequest("conveyor")).total == 1
    assert list(needing_attention(collection)) == [] and list(check(collection)) == []


@needs_tesseract
def test_a_scan_without_ocr_is_kept_and_listed_then_read(collection: Collection):
    no_ocr = IngestOptions(extract=ExtractOptions(ocr=False))
    (outcome,) = ingest(collection, [FILES / "scanned-memo.pdf"], options=no_ocr).outcomes
    assert outcome.status == "added"
    assert [p.message for p in needing_attention(collection)] == [
        "scanned, with no text: install tesseract-ocr and ingest it again to OCR it"
    ]
    assert collection.search(SearchRequest("sintering")).total == 0
    (again,) = ingest(collection, [FILES / "scanned-memo.pdf"]).outcomes
    assert again.status == "updated"
    (hit,) = collection.search(SearchRequest("sintering")).hits
    assert hit.document.ocr_pages == (1,) and hit.document.needs == ()


def _mixed_batch(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """200 files: 180 good ones in every format, each with its own word; 20 broken ones, of
    which the two cut-off PDFs are kept without text, as PDFs no reader can open are."""
    good: dict[str, str] = {}
    rng = random.Random(200)
    formats = ["pdf", "txt", "md", "html", "docx", "pptx", "odt", "odp"]
    for n in range(180):
        word = f"zq{n:03d}marker"
        kind = formats[n % len(formats)]
        path = folder / f"doc-{n:03d}.{kind}"
        text = f"Exploration note {n} about lunar surface operations and {word}."
        if kind == "pdf":
            write_report(
                path, [f"Note {n}\n\n{text}", "Second page."], f"Note {n}", "ISECG", "2020-01-01"
            )
        elif kind == "html":
            path.write_text(
                f"<html><title>Note {n}</title><body><p>{text}</p></body></html>", "utf-8"
            )
        elif kind in ("txt", "md"):
            path.write_text(f"# Note {n}\n\n{text}\n", encoding="utf-8")
        elif kind == "docx":
            from docx import Document

            document = Document()
            document.add_paragraph(text)
            document.save(path)
        elif kind == "pptx":
            from pptx import Presentation

            deck = Presentation()
            slide = deck.slides.add_slide(deck.slide_layouts[1])
            slide.shapes.title.text = f"Note {n}"
            slide.placeholders[1].text = text
            deck.save(path)
        else:  # OpenDocument: the sample, with one word changed inside content.xml
            import zipfile

            sample = FILES / ("cryogenic-storage.odt" if kind == "odt" else "dust-mitigation.odp")
            with zipfile.ZipFile(sample) as source, zipfile.ZipFile(path, "w") as target:
                for info in source.infolist():
                    data = source.read(info)
                    if info.filename == "content.xml":
                        data = data.replace(
                            b"Gateway" if kind == "odt" else b"seals", word.encode()
                        )
                    target.writestr(info, data)
        good[path.name] = word
    broken: dict[str, str] = {}
    whole = (FILES / "regolith-report.pdf").read_bytes()
    makers = [
        ("truncated-{}.pdf", lambda: whole[: len(whole) // 3], "neither PDF reader could open"),
        ("noise-{}.pdf", lambda: rng.randbytes(3000), "no PDF header"),
        ("empty-{}.txt", lambda: b"", "empty (0 bytes)"),
        ("bomb-{}.docx", lambda: (FILES / "zip-bomb.docx").read_bytes(), "zip bomb"),
        ("garbage-{}.pptx", lambda: rng.randbytes(2000), "zip structure is broken"),
        ("binary-{}.txt", lambda: b"\x00\x01" * 500, "binary data"),
        ("sheet-{}.xlsx", lambda: b"PK\x03\x04", "unsupported format .xlsx"),
        ("table-{}.csv", lambda: b"a,b\n1,2\n", "unsupported format .csv"),
        ("notzip-{}.odt", lambda: b"plain words", "zip structure is broken"),
        ("cut-{}.docx", lambda: (FILES / "cryogenic-storage.docx").read_bytes()[:5000], "zip"),
    ]
    for n in range(20):
        pattern, make, reason = makers[n % len(makers)]
        path = folder / pattern.format(n)
        path.write_bytes(make())
        broken[path.name] = reason
    return good, broken


def test_a_batch_of_200_mixed_files_a_tenth_broken(collection: Collection, tmp_path: Path):
    folder = tmp_path / "workshop"
    folder.mkdir()
    good, broken = _mixed_batch(folder)
    report = ingest(collection, [folder], options=IngestOptions(jobs=2))
    outcomes = {Path(o.path).name: o for o in report.outcomes}
    assert len(outcomes) == 200
    assert report.count("added") == 181 and report.count("failed") == 18
    assert outcomes["truncated-10.pdf"].status == "unchanged", "the same bytes as truncated-0"
    for name, reason in broken.items():
        if name == "truncated-10.pdf":
            continue
        kept = name.startswith("truncated-")
        assert outcomes[name].status == ("added" if kept else "failed"), name
        assert reason in outcomes[name].message, (name, outcomes[name].message)
    with collection.index.searcher() as searcher:
        from isecg_archive.engine.query import parse_query

        for name, word in good.items():
            found = [f["file"] for f in searcher.search(parse_query(word, searcher.schema))]
            assert found == [f"workshop/{name}"], name
    for name in good:
        assert file_hash(folder / name) == file_hash(
            collection.archive.original(f"workshop/{name}")
        )
    assert list(check(collection)) == []
    assert [p.subject for p in needing_attention(collection)] == ["workshop/truncated-0.pdf"]


def test_the_same_text_in_another_format_is_one_result_with_its_versions(
    collection: Collection, tmp_path: Path
):
    from isecg_archive.web import create_app

    deck, export = FILES / "dust-mitigation.pptx", FILES / "dust-mitigation.pdf"
    ingest(collection, [deck, export, FILES / "regolith-report.pdf"])
    pptx = collection.archive.read("dust-mitigation.pptx")
    pdf = collection.archive.read("dust-mitigation.pdf")
    assert pptx.versions == (pdf.id,) and pdf.versions == (pptx.id,), "linked both ways"
    result = collection.search(SearchRequest("dust"))
    assert result.total == 2, "the deck and its export count once; the regolith report once"
    (together,) = [h for h in result.hits if h.versions]
    assert {together.document.format, together.versions[0].format} == {"pptx", "pdf"}
    assert result.to_dict()["hits"][0]["versions"] or result.to_dict()["hits"][1]["versions"]
    agency = {v.value: v.count for v in result.facets[0].values}
    assert agency["ESA"] == 2

    client = create_app({"ARCHIVE_DIR": collection.archive.root}).test_client()
    html = client.get("/?q=electrostatic+cleaning").get_data(as_text=True)
    assert "Also as:" in html

    collection.remove(pdf.id)
    assert collection.archive.read("dust-mitigation.pptx").versions == ()
    assert list(check(collection)) == []


@needs_tesseract
def test_only_the_scanned_page_of_a_mixed_pdf_is_read_by_ocr(tmp_path: Path):
    from pypdf import PdfWriter

    mixed = PdfWriter()
    mixed.append(FILES / "regolith-report.pdf")
    mixed.append(FILES / "scanned-memo.pdf")
    with (tmp_path / "mixed.pdf").open("wb") as handle:
        mixed.write(handle)
    result = extract(tmp_path / "mixed.pdf")
    assert result.ocr_pages == (5,)
    assert "sintering" in result.pages[4] and result.pages[2].startswith("Conveyor trials")


def whoosh_filter(request: SearchRequest, leave_out: str = "") -> q.Query | None:
    """The request's filters as a Whoosh query (without the type or year filter, if asked)."""
    parts: list[q.Query] = [q.Term("agency", a.lower()) for a in request.agencies]
    parts += [q.Term("topic", t) for t in request.topics]
    if request.types and leave_out != "type":
        parts.append(q.Or([q.Term("type", t) for t in request.types]))
    if (request.since or request.until) and leave_out != "year":
        start = request.since.key if request.since else 1
        end = request.until.last_key if request.until else None
        parts.append(q.NumericRange("date_key", start, end))
    return q.And(parts) if parts else None


def straightforward(collection: Collection, request: SearchRequest) -> dict[str, object]:
    """A result page the plain way: Whoosh finds, filters and sorts every match, each family is
    shown at its best-ranked member, and facets are counted from the stored records (types and
    years among the matches without their own filter). Scores are the ranking's."""
    from isecg_archive.engine.query import parse_query
    from isecg_archive.engine.ranking import graded_matches
    from isecg_archive.engine.scoring import BM25F

    with collection.index.searcher() as ours:
        searcher = Searcher(ours.reader(), weighting=BM25F(), closereader=False)
        parsed = parse_query(request.query, searcher.schema)
        scores, _ = graded_matches(ours, parsed)
        restrict = whoosh_filter(request)
        options: dict = {"limit": None, "filter": restrict}
        if request.effective_sort != "relevance":
            newest = request.effective_sort == "newest"
            options.update(sortedby="date_key" if newest else "oldest_key", reverse=newest)
        hits = [
            (hit.docnum, hit["id"], hit["family"]) for hit in searcher.search(parsed, **options)
        ]
        if request.effective_sort == "relevance":
            hits.sort(key=lambda hit: (-scores[hit[0]], hit[0]))
        ranked, seen = [], set()
        for docnum, doc_id, family in hits:
            if family not in seen:
                seen.add(family)
                ranked.append((doc_id, scores[docnum]))

        def first_of_family(restrict: q.Query | None) -> list[dict]:
            found: dict[str, dict] = {}
            for docnum in sorted(searcher.docs_for_query(q.And([parsed, restrict or q.Every()]))):
                stored = searcher.stored_fields(docnum)
                found.setdefault(stored["family"], stored["record"])
            return list(found.values())

        matched = first_of_family(restrict)
        names = ("agency", "topic", "type", "year", "event", "organisation", "author")
        counts: dict[str, dict[str, int]] = {name: {} for name in names}
        for facet in counts:
            records = matched
            if facet in ("type", "year"):
                records = first_of_family(whoosh_filter(request, leave_out=facet))
            for record in records:
                year = [record["date"][:4]] if record["date"] else []
                when = record["event_date"] and PartialDate.parse(record["event_date"])
                event = [slug(record["event"], when or None)] if record["event"] else []
                values = {"agency": record["agencies"], "topic": record["topics"],
                          "type": [record["type"]], "year": year, "event": event,
                          "organisation": record["organisations"],
                          "author": record["authors"]}[facet]  # fmt: skip
                for value in values:
                    counts[facet][value] = counts[facet].get(value, 0) + 1
    if request.effective_sort != "relevance":
        ranked = [(id, None) for id, _ in ranked]
    return {"total": len(matched), "ranked": ranked, "facets": counts}


def test_the_fast_result_page_equals_the_straightforward_one(collection: Collection):
    """Bitset facets, family dedupe and ranking without collapse change nothing users see."""
    from conftest import GOOD_FILES

    deck, export = FILES / "dust-mitigation.pptx", FILES / "dust-mitigation.pdf"
    ingest(collection, [deck, export, *(FILES / name for name in GOOD_FILES)])
    assert collection.archive.read("dust-mitigation.pptx").versions, "a family of two"
    requests = [
        SearchRequest("dust"),
        SearchRequest("dust OR lunar OR gateway OR regolith", per_page=100),
        SearchRequest("", per_page=100),
        SearchRequest("", per_page=100, sort="newest"),
        SearchRequest("dust", agencies=("ESA",)),
        SearchRequest("lunar", since=PartialDate(2015)),
        SearchRequest("", since=PartialDate(2012), until=PartialDate(2020, 6), sort="oldest"),
        SearchRequest("", types=("presentation", "report"), per_page=100),
        SearchRequest("dust OR lunar", agencies=("ESA", "NASA"), topics=("lunar-surface",)),
        SearchRequest('"lunar surface" OR regolith NOT gateway', per_page=100),
        SearchRequest("no-such-word"),
    ]
    assert collection.search(SearchRequest("dust")).total == 2  # the pair counts once
    # Then with a deleted document in the index, and the pair's PDF gone.
    pdf = collection.archive.read("dust-mitigation.pdf")
    checks = [*requests, "remove", *requests]
    for request in checks:
        if request == "remove":
            collection.remove(collection.archive.read("regolith-report.pdf").id)
            collection.remove(pdf.id)
            continue
        page = collection.search(request)
        expected = straightforward(collection, request)
        assert page.total == expected["total"], request
        # Scores are sums of the same terms in another order: equal to rounding.
        assert [(h.document.id, h.score) for h in page.hits] == [
            (id, pytest.approx(score, rel=1e-12) if score else score)
            for id, score in expected["ranked"][: request.per_page]
        ], request
        counts = {f.name: {v.value: v.count for v in f.values if v.count} for f in page.facets}
        assert counts == expected["facets"], request
    assert collection.search(SearchRequest("dust")).total == 1  # the deck alone is left
