import json
from pathlib import Path

import pytest

from isecg_archive.collection import Collection
from isecg_archive.errors import MetadataError
from isecg_archive.maintenance.check import check
from isecg_archive.maintenance.corrections import edit, redetect
from isecg_archive.search import SearchRequest
from isecg_archive.storage.records import PartialDate

REPORT = "506b5215c6d3"  # regolith-report.pdf: detected agencies DLR, ESA; date 2015-05-12


def agency_counts(collection: Collection) -> dict[str, int]:
    facet = collection.search(SearchRequest()).facets[0]
    return {value.value: value.count for value in facet.values}


def test_an_edit_is_recorded_as_a_person_s_and_facets_follow_at_once(filled: Collection):
    assert agency_counts(filled)["DLR"] == 2
    document, changes = edit(
        filled, REPORT, {"agencies": ("CNES",), "date": PartialDate(2015)}, clear=("authors",)
    )
    assert (document.agencies, str(document.date), document.authors) == (("CNES",), "2015", ())
    assert document.manual == ("date", "agencies", "authors")
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("date", PartialDate(2015, 5, 12), PartialDate(2015)),
        ("agencies", ("DLR", "ESA"), ("CNES",)),
        ("authors", ("ISECG",), ()),
        ("manual", (), ("date", "agencies", "authors")),
    ]
    record = json.loads((filled.archive.root / "inbox/regolith-report.pdf.meta.json").read_text())
    assert record["manual"] == ["date", "agencies", "authors"]
    counts = agency_counts(filled)
    assert counts["CNES"] == 1 and counts["DLR"] == 1
    assert filled.search(SearchRequest(agencies=("CNES",))).hits[0].document.id == REPORT
    assert list(check(filled)) == []


def test_edits_survive_reindex_and_redetect(filled: Collection):
    edit(filled, REPORT, {"agencies": ("CNES",), "topics": ("isru",)}, clear=("date",))
    filled.reindex(use_cache=False)
    assert redetect(filled) == []
    document = filled.find(REPORT)
    assert (document.agencies, document.topics, document.date) == (("CNES",), ("isru",), None)
    assert agency_counts(filled).get("DLR") == 1


def test_detect_hands_a_field_back(filled: Collection):
    edit(filled, REPORT, {"agencies": ("CNES",)})
    document, _ = edit(filled, REPORT, {}, detect=("agencies",))
    assert document.agencies == ("DLR", "ESA")
    assert document.manual == ()


@pytest.mark.parametrize(
    ("values", "clear", "message"),
    [
        ({}, ("title",), "title cannot be empty; set it, or use --detect title"),
        ({"sha256": "x"}, (), "'sha256' cannot be edited; editable: title, date, event,"
         " event_date, event_place, type, agencies, organisations, topics, authors"),
        ({"date": PartialDate(2015)}, ("date",), "date: set, clear or detect, only one"),
    ],
)  # fmt: skip
def test_edit_refuses_what_cannot_be_done(filled: Collection, values, clear, message):
    with pytest.raises(MetadataError) as caught:
        edit(filled, REPORT, values, clear=clear)
    assert str(caught.value) == message


def test_redetect_after_the_archive_extends_the_vocabulary(filled: Collection):
    (filled.archive.root / "vocabulary.toml").write_text(
        '[agencies.ISECG]\nname = "International Space Exploration Coordination Group"\n'
        'aliases = ["ISECG"]\n\n'
        '[topics.conveyors]\nlabel = "Conveyors"\nstrong = ["conveyor", "conveyor trials"]\n',
        encoding="utf-8",
    )
    notes = filled.search(SearchRequest("isolation")).hits[0].document
    edit(filled, notes.id, {"agencies": ("ESA",)})  # a person's value: redetect leaves it alone
    changes = redetect(filled)
    assert sorted((c.file, c.field, c.new) for c in changes) == [
        ("inbox/regolith-report.pdf", "agencies", ("ISECG", "DLR", "ESA")),
        ("inbox/regolith-report.pdf", "topics", ("lunar-surface", "conveyors")),
    ]
    assert filled.search(SearchRequest(topics=("conveyors",))).total == 1
    assert filled.find(notes.id).agencies == ("ESA",)
    assert list(check(filled)) == [], "vocabulary.toml is not an orphan original"


def test_archive_vocabulary_extends_lists_and_can_remove(tmp_path: Path):
    from isecg_archive.enrich import load_vocabulary

    (tmp_path / "vocabulary.toml").write_text(
        '[agencies.ESA]\nparts = ["Harwell ECSAT"]\n\n[agencies.CSIRO]\nremove = true\n',
        encoding="utf-8",
    )
    vocabulary = load_vocabulary(tmp_path)
    esa = next(a for a in vocabulary.agencies if a.key == "ESA")
    assert esa.parts[-1] == "Harwell ECSAT" and "ESTEC" in esa.parts
    assert "CSIRO" not in {a.key for a in vocabulary.agencies}
    assert vocabulary.sources[-1] == f"archive: {tmp_path / 'vocabulary.toml'}"


def test_a_broken_archive_vocabulary_says_where(tmp_path: Path):
    from isecg_archive.enrich import load_vocabulary

    (tmp_path / "vocabulary.toml").write_text("[agencies.X\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"vocabulary.toml is not valid TOML \(.*\); fix it"):
        load_vocabulary(tmp_path)


def test_edit_redetect_and_vocab_commands(run, inbox: Path):
    run("ingest", str(inbox))
    edited = run("edit", REPORT, "--agency", "cnes", "--clear", "event-date", "--title", "Regolith")
    assert edited.exit_code == 0
    assert edited.stdout.splitlines() == [
        "inbox/regolith-report.pdf: title: Regolith Handling Report -> Regolith",
        "inbox/regolith-report.pdf: agencies: DLR, ESA -> CNES",
        "inbox/regolith-report.pdf: manual: (none) -> title, event_date, agencies",
        f"Updated {REPORT} (3 changes)",
    ]
    nothing = run("edit", REPORT)
    assert nothing.exit_code == 2 and "say what to change" in nothing.stderr
    assert run("redetect").stdout == "0 documents changed\n"
    listed = run("vocab")
    assert listed.stdout.startswith("Read from package: enrich/data/agencies.toml; package:")
    assert "  CSA        Canadian Space Agency\n" in listed.stdout
    data = json.loads(run("vocab", "--json").stdout)
    assert [a["key"] for a in data["agencies"]][:3] == ["NASA", "ESA", "JAXA"]
    assert {r["key"] for r in data["related"]} >= {"COSPAR", "ISU", "ESF"}


def test_an_archive_from_the_earlier_extraction_is_brought_up_to_date(run, archive_dir: Path):
    """Records and cached text as the earlier extractors left them: a deck titled by its
    template, a PDF whose page numbers and control-character bullets were its text."""
    import dataclasses

    from isecg_archive.extract import Extraction

    from conftest import DEMO, FILES

    deck = FILES / "third-party" / "alterman_security.pptx"
    briefing = DEMO / "ger-2013-update-briefing.pdf"
    assert run("ingest", str(deck), str(briefing)).exit_code == 0
    collection = Collection(archive_dir)
    old = {
        document.file: dataclasses.replace(document, title="Slide 1", warnings=("x",))
        for document in collection.archive.records()
    }
    collection.rewrite(list(old.values()))
    for document in old.values():
        extraction = collection.extraction(document)
        stale = dataclasses.replace(
            extraction, pages=tuple(p.replace("•", "\x7f") + "\n2" for p in extraction.pages)
        )
        # What the first extractors cached, under their own versions.
        kind = "pptx/1" if document.format == "pptx" else "pdf/3"
        collection.cache.put(document.sha256, kind, stale)
    assert isinstance(collection.cache.get(old["alterman_security.pptx"].sha256, "pptx/1"),
                      Extraction)  # fmt: skip

    assert run("reindex", "--no-cache").exit_code == 0
    changed = run("redetect")
    assert changed.exit_code == 0
    assert "alterman_security.pptx: title: Slide 1 -> Government-University Identity Management" \
        " Opportunities" in changed.stdout  # fmt: skip
    assert "ger-2013-update-briefing.pdf: warnings: x -> (none)" in changed.stdout
    record = collection.archive.read("alterman_security.pptx")
    assert record.title == "Government-University Identity Management Opportunities"
    result = collection.search(SearchRequest("pathway"))
    (hit,) = result.hits
    assert hit.snippets[0].text.startswith("What changed since 2011 • Roadmap now shows one")
    assert list(check(collection)) == []
