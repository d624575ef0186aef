import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
import zstandard

from isecg_archive.collection import Collection
from isecg_archive.enrich import Overrides
from isecg_archive.index import SearchIndex, add_document
from isecg_archive.maintenance.check import check
from isecg_archive.pipeline import ingest as ingest_module
from isecg_archive.pipeline.ingest import STATUSES, IngestOptions, ingest
from isecg_archive.search import SearchRequest
from isecg_archive.storage.records import Document, PartialDate, seconds

from conftest import FILES, GOOD_FILES


def ids(collection: Collection) -> set[str]:
    return {document.id for document in collection.archive.records()}


def test_originals_are_copied_unchanged_beside_a_readable_record(filled: Collection):
    archive = filled.archive.root
    for name in GOOD_FILES:
        stored = archive / "inbox" / name.replace(" ", "-")
        assert stored.read_bytes() == (FILES / name).read_bytes()
    record = json.loads((archive / "inbox" / "regolith-report.pdf.meta.json").read_text())
    # Made at its ingest: the same second as `ingested`, or the next.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["changed"])
    assert 0 <= seconds(record["changed"]) - seconds(record["ingested"]) <= 2
    assert record == {
        "id": "506b5215c6d3",
        "title": "Regolith Handling Report",
        "file": "inbox/regolith-report.pdf",
        "original_name": "regolith-report.pdf",
        "format": "pdf",
        "sha256": "506b5215c6d33564f29d6c9b2839e2d6df911cbeb512ed098f1a7849c3f63424",
        "size": (FILES / "regolith-report.pdf").stat().st_size,
        "pages": 4,
        "type": "report",
        "date": "2015-05-12",
        "agencies": ["DLR", "ESA"],
        "organisations": [],
        "topics": ["lunar-surface"],
        "authors": ["ISECG"],
        "event": None,
        "event_date": None,
        "event_place": None,
        "ingested": record["ingested"],
        "changed": record["changed"],
        "manual": [],
        "warnings": [],
        "needs": [],
        "ocr_pages": [],
        "unread_pages": [],
        "duration": None,  # a recording's: its length, and whether audio or video
        "media": None,
        "timings": [],
        "internal": False,  # for the agencies only (`--internal`)
        "versions": [],
    }


def test_same_bytes_twice_adds_nothing(filled: Collection, inbox: Path):
    before = ids(filled)
    report = ingest(filled, [inbox])
    assert [o.status for o in report.outcomes] == ["unchanged"] * len(GOOD_FILES)
    assert ids(filled) == before
    assert filled.search(SearchRequest()).total == len(GOOD_FILES)


def test_same_bytes_under_another_name_is_recognised(filled: Collection, tmp_path: Path):
    copy = tmp_path / "copy-of-notes.txt"
    shutil.copy(FILES / "notes.txt", copy)
    (outcome,) = ingest(filled, [copy]).outcomes
    assert outcome.status == "unchanged"
    assert outcome.message == "same content as inbox/notes.txt"


def test_a_different_file_under_a_taken_name_is_a_new_document_unless_it_replaces(
    filled: Collection, inbox: Path
):
    old = filled.archive.read("inbox/notes.txt")
    (inbox / "notes.txt").write_text(
        "Mars Analogue Campaign Notes\n\nRevised: the crew grew lettuce in the greenhouse.\n",
        encoding="utf-8",
    )
    report = ingest(filled, [inbox])
    assert report.count("added") == 1 and report.count("unchanged") == 4
    (added,) = [o for o in report.outcomes if o.status == "added"]
    assert added.file == "inbox/notes-2.txt"
    assert added.message == (
        f"added as inbox/notes-2.txt: the archive holds inbox/notes.txt ({old.id}); ingest it"
        f" with --replace {old.id} to make it a new version of that document instead"
    )
    assert filled.archive.read("inbox/notes.txt") == old  # nothing replaced behind one's back
    assert filled.search(SearchRequest("lettuce")).total == 1
    assert list(check(filled)) == []


def test_replace_makes_a_file_a_new_version(filled: Collection, inbox: Path, tmp_path: Path):
    old = filled.archive.read("inbox/notes.txt")
    revised = tmp_path / "notes-revised.txt"
    revised.write_text(
        "Mars Analogue Campaign Notes\n\nRevised: the crew grew lettuce in the greenhouse.\n",
        encoding="utf-8",
    )
    (outcome,) = ingest(filled, [revised], options=IngestOptions(replace=old.id)).outcomes
    assert (outcome.status, outcome.file) == ("updated", "inbox/notes.txt")
    new = filled.archive.read("inbox/notes.txt")
    assert new.id != old.id and new.original_name == "notes-revised.txt"
    assert filled.search(SearchRequest("lettuce")).total == 1
    assert filled.search(SearchRequest("autonomous medical care")).total == 0
    trashed = list((filled.archive.root / ".trash").glob(f"*-{old.id}/notes.txt"))
    assert len(trashed) == 1, "the old version is kept, never lost"
    assert list(check(filled)) == []


def test_many_new_documents_find_their_versions_as_a_few_do(filled: Collection, tmp_path: Path):
    """Linking many documents reads every document's lookup hashes once, into a table; a few,
    from the postings: both find the same candidates, in the same order, for every document,
    one with a deleted document among them."""
    from isecg_archive.collection import _Candidates
    from isecg_archive.engine.readers import column
    from isecg_archive.enrich.versions import sketch_values

    text = filled.archive.original("inbox/notes.txt").read_text(encoding="utf-8")
    copies = []
    for number in range(3):  # the same text, but for a line: near-duplicates
        copies.append(tmp_path / f"notes-copy-{number}.txt")
        copies[-1].write_text(text + f"\nReviewed again, time {number}.\n", encoding="utf-8")
    assert ingest(filled, copies).count("added") == 3
    filled.remove(filled.archive.read("notes-copy-2.txt").id)  # deleted in the index
    with filled.index.searcher() as searcher:
        reader = searcher.reader()
        assert reader.has_deletions()
        sketches = column(reader, "sketch_hashes")
        table = _Candidates(searcher, sketches, reader.doc_count_all())
        postings = _Candidates(searcher, sketches, 0)
        assert table._table is not None and postings._table is None
        found = {}
        for docnum in reader.all_doc_ids():
            mine = sketch_values(sketches[docnum])
            found[docnum] = table.of(mine)
            assert found[docnum] == postings.of(mine), docnum
        names = ["inbox/notes.txt", "notes-copy-0.txt", "notes-copy-1.txt"]
        family = sorted(searcher.document_number(id=filled.archive.read(n).id) for n in names)
        assert all(sorted(found[docnum]) == family for docnum in family)


def test_a_person_s_values_survive_a_new_version(filled: Collection, tmp_path: Path):
    source = tmp_path / "notes.txt"
    source.write_text("Mars Analogue Campaign Notes, first edition.\n", encoding="utf-8")
    ingest(filled, [source], Overrides(agencies=("CNES",), date=PartialDate(2018)))
    first = filled.archive.read("notes.txt")
    source.write_text("Mars Analogue Campaign Notes, second edition.\n", encoding="utf-8")
    ingest(filled, [source], options=IngestOptions(replace=first.id))
    record = filled.archive.read("notes.txt")
    assert record.id != first.id
    assert record.agencies == ("CNES",)
    assert str(record.date) == "2018"
    assert record.manual == ("date", "agencies")


def test_remove_takes_a_document_out(filled: Collection):
    removed = filled.remove("506b5215c6d3")
    assert removed.file == "inbox/regolith-report.pdf"
    assert not (filled.archive.root / "inbox" / "regolith-report.pdf").exists()
    assert filled.search(SearchRequest("conveyor")).total == 0
    assert len(ids(filled)) == len(GOOD_FILES) - 1
    assert list(check(filled)) == []


def test_a_bad_batch_reports_each_failure_in_one_line_and_the_rest_lands(
    collection: Collection, tmp_path: Path
):
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in (*GOOD_FILES, "broken.pdf", "encrypted.pdf", "empty.txt", "random-bytes.pdf",
                 "table.xyz"):  # fmt: skip
        shutil.copy(FILES / name, batch / name)
    report = ingest(collection, [batch, tmp_path / "missing-folder"])
    failed = {Path(o.path).name: o.message for o in report.outcomes if o.status == "failed"}
    assert set(failed) == {"empty.txt", "random-bytes.pdf", "table.xyz", "missing-folder"}
    assert all(message and "\n" not in message for message in failed.values())
    assert failed["missing-folder"] == "no such file or folder; check the path"
    assert report.count("added") == len(GOOD_FILES) + 2, "the encrypted and broken PDFs are kept"
    assert collection.archive.read("batch/encrypted.pdf").needs == ("password",)
    assert collection.archive.read("batch/broken.pdf").needs == ("repair",)
    assert collection.search(SearchRequest("Mondmission")).total == 1
    assert sorted(collection.archive.original_files()) == sorted(
        f"batch/{name.replace(' ', '-')}" for name in (*GOOD_FILES, "encrypted.pdf", "broken.pdf")
    )
    assert list(check(collection)) == []


def test_hostile_file_names_stay_inside_the_archive(collection: Collection, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    evil = folder / "..evil name;rm -rf $HOME.txt"
    evil.write_text("Lunar dust notes.", encoding="utf-8")
    (folder / "<img src=x onerror=alert(1)>.md").write_text("# Dust\nLunar dust.", encoding="utf-8")
    report = ingest(collection, [folder, evil])
    assert sorted(o.file for o in report.outcomes) == [
        "evil-name-rm-rf-HOME.txt",
        "in/img-src-x-onerror-alert-1-.md",
    ]


def test_interrupted_ingest_leaves_a_consistent_archive_and_can_be_resumed(
    collection: Collection, inbox: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(ingest_module, "COMMIT_EVERY_DOCUMENTS", 2)
    # The main process makes each record just before it writes it: the interruption strikes there.
    real_document = ingest_module._document
    calls = []

    def failing_document(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("power cut")
        return real_document(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "_document", failing_document)
    with pytest.raises(RuntimeError, match="power cut"):
        ingest(collection, [inbox])
    # The first two documents were committed; the third was undone with the interrupted batch.
    assert len(ids(collection)) == 2
    assert list(check(collection)) == []
    assert not [p for p in collection.archive.root.rglob("*") if ".partial" in p.name]

    monkeypatch.setattr(ingest_module, "_document", real_document)
    report = ingest(collection, [inbox])
    assert report.count("unchanged") == 2 and report.count("added") == 3
    assert len(ids(collection)) == len(GOOD_FILES)
    assert list(check(collection)) == []


def test_two_files_of_one_batch_cannot_claim_the_same_place(collection: Collection, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "notes.txt").write_text("Gateway notes", encoding="utf-8")
    (tmp_path / "b" / "notes.txt").write_text("Mars notes", encoding="utf-8")
    report = ingest(collection, [tmp_path / "a" / "notes.txt", tmp_path / "b" / "notes.txt"])
    assert [o.status for o in report.outcomes] == ["added", "failed"]
    assert report.outcomes[1].message == (
        f"{tmp_path / 'a' / 'notes.txt'} in this batch also goes to notes.txt; rename one of"
        " the two and ingest it again"
    )


def test_check_finds_what_is_wrong(filled: Collection):
    archive = filled.archive.root
    (archive / "inbox" / "notes.txt").write_text("tampered", encoding="utf-8")
    (archive / "inbox" / "news.html").unlink()
    (archive / "stray.pdf").write_bytes(b"%PDF-1.4")
    problems = {(p.subject, p.message) for p in check(filled)}
    assert problems == {
        (
            "inbox/notes.txt",
            "the original's bytes differ from its recorded hash; restore it, or ingest the new"
            " version",
        ),
        ("inbox/news.html", "the original is missing; restore it or `isecg-archive remove` it"),
        ("stray.pdf", "an original with no record; ingest it, or move it out"),
    }


def test_check_repair_undoes_what_an_interrupted_ingest_left(filled: Collection, run):
    archive, index = filled.archive.root, filled.index.path.parent
    # As a kill -9 leaves them: an original copied without its record, a half-copied one,
    # a record whose index entry was never committed, a folder of a segment being written.
    (archive / "inbox" / "late.txt").write_text("Late\n\nCopied, never recorded.\n")
    (archive / "inbox" / ".cut.txt.4242.partial").write_text("Cut sh")
    notes = filled.archive.read("inbox/notes.txt")
    with filled.index.writer() as writer:
        writer.delete_by_term("id", notes.id)
    segment_writing = (index / "whoosh").resolve() / "MAIN.tmp"
    segment_writing.mkdir()
    result = run("check", "--repair")
    assert result.exit_code == 0
    (kept,) = (archive / ".trash").glob("*-unrecorded/inbox/late.txt")
    assert kept.read_text() == "Late\n\nCopied, never recorded.\n"  # set aside, not lost
    assert result.stderr.splitlines() == [
        f"repaired: removed {archive / 'inbox' / '.cut.txt.4242.partial'}, left by a write"
        " that never finished",
        f"repaired: removed {segment_writing}, left by a write that never finished",
        f"repaired: moved inbox/late.txt, an original with no record, to"
        f" {kept.relative_to(archive)}; ingest its source again",
        "repaired: reindexed 5 documents, which mended 1 problem with the index",
    ]
    assert result.stdout == "OK: 5 documents, every original present and indexed\n"


def test_reindex_uses_the_text_cache(filled: Collection):
    report = filled.reindex()
    assert (report.documents, report.pages, report.extracted) == (5, 10, 0)
    assert filled.reindex(use_cache=False).extracted == 5
    assert filled.search(SearchRequest("conveyor")).total == 1


def test_an_index_of_another_schema_version_is_rebuilt(filled: Collection):
    (filled.index.path / "SCHEMA_VERSION").write_text("0\n")
    assert not filled.index.is_current()
    assert filled.search(SearchRequest("conveyor")).total == 1
    assert filled.index.is_current()


def test_reindex_reports_a_broken_record_and_indexes_the_rest(filled: Collection):
    (filled.archive.root / "inbox" / "notes.txt.meta.json").write_text("{not json", "utf-8")
    report = filled.reindex()
    assert report.documents == 4
    (failure,) = report.failures
    assert failure.startswith("inbox/notes.txt: the record ")
    assert failure.endswith(
        "cannot be read (Expecting property name enclosed in double quotes:"
        " line 1 column 2 (char 1)); fix or restore it from a backup"
    )


def test_a_large_reindex_in_several_processes_gives_the_same_index(
    filled: Collection, monkeypatch: pytest.MonkeyPatch
):
    from isecg_archive import collection as collection_module

    queries = ["conveyor", "lunar", '"basaltic glass"', "", "rover OR crew"]
    before = [filled.search(SearchRequest(q)).to_dict() for q in queries]
    monkeypatch.setattr(collection_module, "PARALLEL_INDEXING_FROM", 2)
    assert filled.reindex().documents == 5
    assert [filled.search(SearchRequest(q)).to_dict() for q in queries] == before
    assert list(check(filled)) == []


@pytest.mark.parametrize("background", [False, True])
def test_many_small_ingests_keep_the_index_in_few_segments(
    collection: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, background: bool
):
    """Each ingest commits a segment; segments of one size merge once there are MERGE_FACTOR,
    inline or, as large merges are, in a process of their own (engine.merging), which the
    ingest waits for before it returns."""
    from isecg_archive.engine import merging, writing
    from isecg_archive.engine.writing import MERGE_FACTOR

    started: list[int] = []
    stages: list[str] = []  # what each ingest tells it does after its last file
    if background:
        monkeypatch.setattr(writing, "BACKGROUND_FROM", 1)
        start = merging.Background.start
        monkeypatch.setattr(
            merging.Background, "start", lambda self, s: started.append(len(s)) or start(self, s)
        )
    for n in range(20):
        note = tmp_path / f"note-{n}.txt"
        note.write_text(f"Workshop note {n} on lunar dust, word{n}.", encoding="utf-8")
        assert ingest(collection, [note], on_stage=stages.append).count("added") == 1
    with collection.index.searcher() as searcher:
        segments = len(searcher.reader().leaf_readers())
    # The 9th and the 18th ingest each merge the 8 one-document segments before them into
    # their own: two segments of 9 documents, and the last two ingests' segments. In the
    # background, the 9th and the 17th merge them apart from their own: two segments of 8
    # documents, and the last four ingests' segments.
    assert segments == (6 if background else 4) < MERGE_FACTOR
    assert started == ([MERGE_FACTOR, MERGE_FACTOR] if background else [])
    assert stages.count("linking versions") == 20
    assert stages.count("finishing the index's merges") == (2 if background else 0)
    assert not list(collection.index.path.glob(f"{merging.SCRATCH}*"))
    assert collection.search(SearchRequest("lunar")).total == 20
    assert all(collection.search(SearchRequest(f"word{n}")).total == 1 for n in range(20))
    assert list(check(collection)) == []


def index_contents(search_index: SearchIndex) -> dict[str, object]:
    """Every posting, term statistic, field length and stored field, by document id."""
    with search_index.searcher() as searcher:
        reader = searcher.reader()
        ids = [fields["id"] for fields in reader.all_stored_fields()]
        postings = {}
        for field in reader.indexed_field_names():
            for term in reader.lexicon(field):
                info = reader.term_info(field, term)
                statistics = (info.weight(), info.doc_frequency(), info.min_length(),
                              info.max_length(), info.max_weight())  # fmt: skip
                matcher, found = reader.postings(field, term), []
                while matcher.is_active():
                    found.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                    matcher.next()
                postings[field, term] = statistics, sorted(found)
        lengths = {
            (ids[docnum], field): reader.doc_field_length(docnum, field)
            for docnum in range(reader.doc_count_all())
            for field in ("title", "content", "event", "author")
        }
        stored = {fields["id"]: fields for fields in reader.all_stored_fields()}
    return {"postings": postings, "lengths": lengths, "stored": stored}


def test_an_ingest_writes_the_index_whoosh_would_write(filled: Collection, tmp_path: Path):
    """Postings worked out in the extraction workers, and field lengths read once at commit,
    give the index that Whoosh's own writer gives when it analyses the text itself."""
    from whoosh import index as whoosh_index

    reference = SearchIndex(tmp_path / "reference")
    reference.create()
    writer = whoosh_index.open_dir(str(reference.path)).writer()  # Whoosh's stock writer
    spelled: set[str] = set()
    with filled.index.searcher() as searcher:
        documents = list(searcher.all_stored_fields())  # in the ingest's order
    for fields in documents:
        document = Document.from_dict(fields["record"])
        pages = tuple(fields["pages"])
        add_document(writer, document, pages, new=True, spelled=spelled)
    writer.commit()
    ours, theirs = index_contents(filled.index), index_contents(reference)
    assert len(ours["postings"]) > 400 and len(ours["stored"]) == len(GOOD_FILES)
    assert ours["lengths"][filled.search(SearchRequest("regolith")).hits[0].document.id,
                           "content"] > 50  # fmt: skip
    assert ours == theirs


def test_folders_as_they_come(collection: Collection, tmp_path: Path, monkeypatch, run):
    """Links, pipes, sockets and unreadable folders: each gets a line, and the batch goes on."""
    import os
    import socket

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "outside.txt").write_text("Outside notes\n\nRegolith from elsewhere.\n")
    inbox = tmp_path / "inbox"
    (inbox / "locked").mkdir(parents=True)
    (inbox / "locked" / "secret.txt").write_text("Secret\n\nNever read.\n")
    (inbox / "notes.txt").write_text("Notes\n\nRegolith at the south pole.\n")
    (inbox / "link.txt").symlink_to(elsewhere / "outside.txt")  # outside the folder
    (inbox / "nowhere.txt").symlink_to(tmp_path / "missing.txt")
    (inbox / "folder-link").symlink_to(elsewhere)
    os.mkfifo(inbox / "pipe")  # reading it would wait forever
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(inbox / "socket"))
    # Unreadable as any user but root: refuse it as the system would for another user.
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == inbox / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)

    result = run("ingest", str(inbox), "--json")
    listening.close()
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {status: report[status] for status in STATUSES} == {
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 3,
        "failed": 2,
    }
    outcomes = {Path(o["path"]).name: (o["status"], o["message"]) for o in report["files"]}
    assert outcomes == {
        "notes.txt": ("added", None),
        "link.txt": ("added", None),
        "nowhere.txt": ("failed", "a link to nothing; fix the link or remove it"),
        "folder-link": (
            "skipped",
            "a link to a folder, not followed; ingest the folder it points to",
        ),
        "pipe": ("skipped", "a named pipe (FIFO), not a file; only files are archived"),
        "socket": ("skipped", "a socket, not a file; only files are archived"),
        "locked": (
            "failed",
            "cannot read the folder (Permission denied); check that you may read it",
        ),
    }
    # The link's target bytes are archived, under the link's own name, inside the archive.
    linked = collection.archive.root / "inbox" / "link.txt"
    assert not linked.is_symlink()
    assert linked.read_text() == "Outside notes\n\nRegolith from elsewhere.\n"
    assert collection.search(SearchRequest("regolith")).total == 2


def test_an_archive_ingested_in_many_batches_keeps_few_segments(tmp_path: Path):
    """Seven ingests of one file and seven of eight would leave 14 segments by size tiers
    alone (engine.writing.merge_tiers): the index never holds more than MAX_SEGMENTS. The segments
    merged on the way (one with a removed document) hold what a rebuilt index holds."""
    from isecg_archive.engine.writing import MAX_SEGMENTS

    collection = Collection(tmp_path / "archive")
    sizes = [1] * 7 + [8] * 7
    counts = []
    for batch, size in enumerate(sizes):
        folder = tmp_path / f"batch-{batch}"
        folder.mkdir()
        for n in range(size):
            (folder / f"note-{batch}-{n}.txt").write_text(
                f"Note {batch} {n}\n\nBatch {batch} note {n} on lunar regolith {batch * 100 + n}.\n"
            )
        report = ingest(collection, [folder])
        assert report.count("added") == size
        if batch == 3:  # a deleted document in a segment a later commit merges
            collection.remove(report.outcomes[0].document_id)
        counts.append(len(list(collection.index.path.glob("*.seg"))))
    assert max(counts) <= MAX_SEGMENTS == 10
    assert collection.search(SearchRequest("regolith", per_page=100)).total == sum(sizes) - 1

    def without_spelling(contents: dict) -> dict:  # its words are posted once per batch
        postings = {k: v for k, v in contents["postings"].items() if k[0] != "spelling"}
        return {**contents, "postings": postings}

    merged = without_spelling(index_contents(collection.index))
    collection.reindex()
    assert merged == without_spelling(index_contents(collection.index))


def test_an_index_that_is_not_the_archive_s_is_not_trusted(run, archive_dir, tmp_path):
    """The archive is the source of truth: an index that knows bytes the archive does not hold
    (the archive folder deleted, the index left beside it) says so, and archives nothing
    silently as "unchanged"; after a reindex the file goes in."""
    import shutil

    note = tmp_path / "note.txt"
    note.write_text("Lunar ice notes\n\nWater ice in permanently shadowed craters.\n", "utf-8")
    assert run("ingest", str(note)).exit_code == 0
    shutil.rmtree(archive_dir)
    again = run("ingest", str(note))
    assert again.exit_code == 1
    assert again.stderr.splitlines()[-1] == (
        f"FAILED {note}: the index lists these bytes as note.txt, which the archive does not"
        " hold: the index is out of date; run `isecg-archive reindex`, then ingest again"
    )
    assert run("reindex").exit_code == 0
    assert run("ingest", str(note)).output.startswith("1 added")
    assert (archive_dir / "note.txt").read_bytes() == note.read_bytes()


def test_text_an_earlier_version_cached_in_gzip_is_still_used(filled: Collection):
    cache = filled.cache.root
    for entry in cache.rglob("*.json.zst"):  # as an earlier version kept them
        text = zstandard.ZstdDecompressor().decompress(entry.read_bytes())
        entry.with_suffix(".gz").write_bytes(gzip.compress(text))
        entry.unlink()
    report = filled.reindex()
    assert (report.documents, report.pages, report.extracted) == (5, 10, 0)
    assert filled.search(SearchRequest("conveyor")).total == 1
    assert len(list(cache.rglob("*.json.gz"))) == 5
