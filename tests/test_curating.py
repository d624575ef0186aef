"""The librarian's workbench: history, trash and restore, bulk edits, the catalogue as a
spreadsheet, ingest without silent surprises, and the watched inbox."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from isecg_archive.collection import Collection
from isecg_archive.extract import programs
from isecg_archive.pipeline.ingest import IngestOptions, ingest
from isecg_archive.search import SearchRequest
from isecg_archive.storage.history import HISTORY_FILE

from conftest import FILES, needs_calc


def _history(run, *args: str) -> list[dict]:
    result = run("history", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["history"]


def test_every_kind_of_change_is_in_the_history(filled: Collection, run, tmp_path: Path):
    report = next(d for d in filled.indexed() if d.original_name == "regolith-report.pdf")
    run("edit", report.id, "--date", "2016-04", "--agency", "JAXA")
    run("redetect")
    run("remove", report.id)
    run("restore", report.id)
    notes = next(d for d in filled.indexed() if d.original_name == "notes.txt")
    changed = tmp_path / "notes.txt"
    changed.write_text("Mars analogue notes, second edition\n\nHabitat trials in Utah.\n")
    ingest(filled, [changed], options=IngestOptions(replace=notes.id))
    entries = _history(run)
    assert [e["action"] for e in entries if e["id"] == report.id] == [
        "ingest", "edit", "remove", "restore",
    ]  # fmt: skip
    edit = next(e for e in entries if e["action"] == "edit")
    assert edit["before"] == {"date": "2015-05-12", "agencies": ["DLR", "ESA"], "manual": []}
    assert edit["after"] == {
        "date": "2016-04",
        "agencies": ["JAXA"],
        "manual": ["date", "agencies"],
    }
    assert edit["command"].endswith(f"edit {report.id} --date 2016-04 --agency JAXA")
    version = next(e for e in entries if e["action"] == "new version")
    assert version["previous_id"] == notes.id and version["file"] == notes.file
    assert version["before"]["title"] == notes.title
    assert version["after"]["title"] == "Mars analogue notes, second edition"
    # A document's history runs back through the version it replaced.
    mine = _history(run, version["id"])
    assert [e["action"] for e in mine] == ["ingest", "new version"]
    # The history is the archive's: a reindex leaves it as it was.
    before = (filled.archive.root / HISTORY_FILE).read_bytes()
    run("reindex")
    assert (filled.archive.root / HISTORY_FILE).read_bytes() == before
    text = run("history", report.id).output
    assert "date: 2015-05-12 -> 2016-04" in text
    assert "agencies: DLR, ESA -> JAXA" in text


def test_check_says_when_the_history_cannot_be_read(filled: Collection, run):
    with (filled.archive.root / HISTORY_FILE).open("a") as handle:
        handle.write('{"when": "2026-01-01T00:00:00+00:00", "act\n')
    result = run("check")
    assert result.exit_code == 1
    assert "history: " in result.output and "line 6 cannot be read" in result.output
    assert len(_history(run)) == 5  # the other lines are still read


def test_remove_then_restore_brings_everything_back(filled: Collection, run):
    report = next(d for d in filled.indexed() if d.original_name == "regolith-report.pdf")
    removed = run("remove", report.id)
    assert removed.exit_code == 0
    trash = json.loads(run("trash", "--json").stdout)["trash"]
    assert [(t["id"], t["file"], t["why"]) for t in trash] == [(report.id, report.file, "removed")]
    assert filled.search(SearchRequest("regolith")).total == 0
    restored = run("restore", report.id[:8])
    assert restored.output == f"Restored {report.id} as {report.file} ({report.title})\n"
    back = filled.archive.read(report.file)
    assert replace(back, changed=report.changed) == report
    assert back.changed >= report.changed  # a restore is a change harvesters must see
    assert (filled.archive.root / report.file).read_bytes() == (
        FILES / "regolith-report.pdf"
    ).read_bytes()
    assert [h.document.id for h in filled.search(SearchRequest("regolith")).hits] == [report.id]
    assert run("trash").output == "The trash is empty.\n"
    assert run("check").exit_code == 0
    again = run("restore", report.id)
    assert again.exit_code == 1 and "is not in the trash" in again.output


def test_a_restored_document_whose_place_is_taken_goes_beside_it(
    filled: Collection, run, tmp_path: Path
):
    notes = next(d for d in filled.indexed() if d.original_name == "notes.txt")
    run("remove", notes.id)
    other = tmp_path / "elsewhere" / "inbox" / "notes.txt"
    other.parent.mkdir(parents=True)
    other.write_text("Other notes\n\nAbout something else entirely.\n")
    ingest(filled, [other.parent])
    assert filled.archive.read("inbox/notes.txt").title == "Other notes"
    result = run("restore", notes.id)
    assert result.output == f"Restored {notes.id} as inbox/notes-2.txt ({notes.title})\n"
    assert filled.archive.read("inbox/notes-2.txt").id == notes.id
    assert run("check").exit_code == 0


def test_bulk_edits_add_and_remove_values_and_say_what_is_unchanged(filled: Collection, run):
    by_name = {d.original_name: d for d in filled.indexed()}
    report, slides = by_name["regolith-report.pdf"], by_name["gateway-logistics-slides.pdf"]
    assert (report.agencies, slides.agencies) == (("DLR", "ESA"), ("JAXA",))
    result = run(
        "edit", report.id, slides.id, "--add-agency", "JAXA", "--remove-agency", "esa",
        "--add-organisation", "Committee on Space Research", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    documents = {d["id"]: d for d in json.loads(result.stdout)["documents"]}
    assert documents[report.id]["document"]["agencies"] == ["DLR", "JAXA"]
    assert documents[report.id]["document"]["organisations"] == ["COSPAR"]
    assert documents[report.id]["document"]["manual"] == ["agencies", "organisations"]
    assert documents[slides.id]["status"] == "updated"  # its organisations
    assert documents[slides.id]["document"]["agencies"] == ["JAXA"]
    # The same again changes nothing, and says so.
    again = run("edit", report.id, "--add-agency", "JAXA")
    assert again.output == f"Unchanged {report.id}: it already reads so\n"
    # --where takes any search; the list set whole replaces it.
    where = run("edit", "--where", "type:news", "--topic", "mars", "--json")
    news = json.loads(where.stdout)["documents"]
    assert [d["document"]["original_name"] for d in news] == ["news.html"]
    assert news[0]["document"]["topics"] == ["mars"]
    # Mistakes are usage errors, nothing applied.
    wrong = run("edit", report.id, "--agency", "COSPAR")
    assert wrong.exit_code == 2
    assert "'COSPAR' is a related body (Committee on Space Research), not an agency" in (
        wrong.output
    )
    titled = run("edit", report.id, slides.id, "--title", "One title")
    assert titled.exit_code == 2 and "--title sets one document's title" in titled.output
    assert [e["action"] for e in _history(run, report.id)] == ["ingest", "edit"]


def _sheet(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_sheet(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def test_the_catalogue_round_trips_through_a_spreadsheet(filled: Collection, run, tmp_path: Path):
    sheet = tmp_path / "catalogue.csv"
    assert run("catalogue", "export", str(sheet)).output == f"Wrote 5 documents to {sheet}\n"
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbfid,file,title,date,event,")  # for Excel
    header, rows = _sheet(sheet)
    assert header == [
        "id", "file", "title", "date", "event", "event_date", "event_place", "type", "agencies",
        "organisations", "topics", "authors", "internal", "manual",
    ]  # fmt: skip
    by_name = {Path(row["file"]).name: row for row in rows}
    report = by_name["regolith-report.pdf"]
    assert (report["agencies"], report["date"], report["manual"]) == ("DLR; ESA", "2015-05-12", "")
    # Edited as a spreadsheet would: a date, a list, an event, an author with a comma.
    report["date"] = "2016-04"
    report["agencies"] = "ESA; JAXA"
    report["event"] = "Lunar Polar Volatiles Workshop"
    report["authors"] = "Smith, Jane; ISECG"
    by_name["notes.txt"]["topics"] = "mars"
    _write_sheet(sheet, header, rows)

    dry = run("catalogue", "import", str(sheet), "--dry-run", "--json")
    assert json.loads(dry.stdout)["applied"] is False
    assert len(json.loads(dry.stdout)["changes"]) == 5
    assert filled.archive.read(report["file"]).date.year == 2015  # nothing written

    applied = run("catalogue", "import", str(sheet))
    assert applied.exit_code == 0, applied.output
    assert applied.output.endswith("5 rows read; 2 documents changed\n")
    record = filled.archive.read(report["file"])
    assert (str(record.date), record.agencies, record.event, record.authors) == (
        "2016-04", ("ESA", "JAXA"), "Lunar Polar Volatiles Workshop", ("Smith, Jane", "ISECG"),
    )  # fmt: skip
    assert record.manual == ("date", "event", "agencies", "authors")
    assert filled.archive.read(by_name["notes.txt"]["file"]).topics == ("mars",)
    assert filled.search(SearchRequest(agencies=("JAXA",), topics=())).total >= 1
    assert [e["action"] for e in _history(run, record.id)] == ["ingest", "import"]
    # The same sheet again changes nothing.
    assert run("catalogue", "import", str(sheet)).output == "5 rows read; 0 documents changed\n"


def test_the_catalogue_says_and_sets_what_is_for_the_agencies_only(
    filled: Collection, run, tmp_path: Path, archive_dir: Path
):
    report = next(d for d in filled.indexed() if d.original_name == "regolith-report.pdf")
    notes = next(d for d in filled.indexed() if d.original_name == "notes.txt")
    run("edit", notes.id, "--internal")
    sheet = tmp_path / "catalogue.csv"
    run("catalogue", "export", str(sheet))
    header, rows = _sheet(sheet)
    assert {row["id"]: row["internal"] for row in rows if row["internal"]} == {notes.id: "yes"}
    by_id = {row["id"]: row for row in rows}
    by_id[report.id]["internal"] = "Yes"  # as a person types it
    by_id[notes.id]["internal"] = ""
    _write_sheet(sheet, header, rows)

    dry = json.loads(run("catalogue", "import", str(sheet), "--dry-run", "--json").stdout)
    assert sorted((c["id"], c["field"], c["old"], c["new"]) for c in dry["changes"]) == sorted(
        [(report.id, "internal", "False", "True"), (notes.id, "internal", "True", "False")]
    )
    applied = run("catalogue", "import", str(sheet))
    assert applied.output.endswith("5 rows read; 2 documents changed\n"), applied.output
    assert filled.archive.read(report.file).internal is True
    assert filled.archive.read(notes.file).internal is False
    assert filled.archive.read(report.file).manual == ()  # a flag, not a detected value
    assert _history(run, report.id)[-1]["action"] == "import"
    # The index knows it: the viewer's searches leave the report out, and show the notes.
    viewer = Collection(archive_dir, show_internal=False)
    shown = {hit.document.id for hit in viewer.search(SearchRequest(query="")).hits}
    assert notes.id in shown and report.id not in shown

    # A sheet from before the column leaves the flag alone.
    older = [name for name in header if name != "internal"]
    _write_sheet(sheet, older, [{n: row[n] for n in older} for row in rows])
    assert run("catalogue", "import", str(sheet)).output == "5 rows read; 0 documents changed\n"
    assert filled.archive.read(report.file).internal is True

    by_id[report.id]["internal"] = "maybe"
    _write_sheet(sheet, header, rows)
    refused = run("catalogue", "import", str(sheet))
    assert refused.exit_code == 1
    row = 2 + [r["id"] for r in rows].index(report.id)
    assert refused.stderr.splitlines()[0] == (
        f"row {row}, column internal: cannot read 'maybe'; write yes for the agencies only, or"
        " leave it empty"
    )


def test_a_sheet_with_problems_applies_nothing(filled: Collection, run, tmp_path: Path):
    sheet = tmp_path / "catalogue.csv"
    run("catalogue", "export", str(sheet))
    header, rows = _sheet(sheet)
    rows[0]["date"] = "spring 2016"
    rows[1]["agencies"] = "NASA; Roscosmoss"
    rows[2]["id"] = "ffffffffffff"
    rows[3]["title"] = "A fine new title"  # a good change, in a sheet that has problems
    _write_sheet(sheet, header, rows)
    before = [filled.archive.read(row["file"]) for row in rows if row["id"] != "ffffffffffff"]
    result = run("catalogue", "import", str(sheet))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "row 2, column date: cannot read the date 'spring 2016'; write it as YYYY, YYYY-MM or"
        " YYYY-MM-DD",
        "row 3, column agencies: unknown agency 'Roscosmoss'; known agencies: NASA, ESA, JAXA,"
        " CNES, CSA, DLR, ISRO, ASI, KARI, KASA, UKSA, CNSA, Roscosmos, SSAU, ASA, CSIRO, UAESA",
        "row 4, column id: no document 'ffffffffffff' here",
        f"Error: 3 problems in {sheet}; nothing was applied. Fix them and import again.",
    ]
    after = [filled.archive.read(row["file"]) for row in rows if row["id"] != "ffffffffffff"]
    assert after == before
    assert [e["action"] for e in _history(run)] == ["ingest"] * 5


def test_values_given_for_bytes_the_archive_holds_are_applied_only_when_asked(
    filled: Collection, run, inbox
):
    report = next(d for d in filled.indexed() if d.original_name == "regolith-report.pdf")
    kept = run("ingest", str(inbox), "--date", "2016-04", "--agency", "ESA", "--json")
    assert {f["status"] for f in json.loads(kept.stdout)["files"]} == {"unchanged"}
    (mine,) = [f for f in json.loads(kept.stdout)["files"] if f["file"] == report.file]
    assert mine["message"] == (
        f"already archived as {report.file}, whose record keeps its values; --update-existing"
        " applies the values given to it"
    )
    assert filled.archive.read(report.file) == report
    result = run(
        "ingest", str(inbox / "regolith-report.pdf"), "--date", "2016-04", "--update-existing",
        "--json",
    )  # fmt: skip
    (outcome,) = json.loads(result.stdout)["files"]
    assert (outcome["status"], outcome["message"]) == ("updated", "updated: date")
    record = filled.archive.read(report.file)
    assert (str(record.date), record.manual) == ("2016-04", ("date",))
    again = run(
        "ingest", str(inbox / "regolith-report.pdf"), "--date", "2016-04", "--update-existing",
        "--json",
    )  # fmt: skip
    (outcome,) = json.loads(again.stdout)["files"]
    assert (outcome["status"], outcome["message"]) == ("unchanged", "it already reads so")
    assert [e["action"] for e in _history(run, report.id)] == ["ingest", "ingest"]
    # The history says what changed, in the table as in --json.
    (changed,) = [e for e in _history(run, report.id) if e["before"]]
    assert (changed["before"], changed["after"]) == (
        {"date": "2015-05-12", "manual": []},
        {"date": "2016-04", "manual": ["date"]},
    )
    table = run("history", report.id).stdout.splitlines()
    assert table[-3:] == [
        "    date: 2015-05-12 -> 2016-04",
        "    manual: (none) -> date",
        "    by: isecg-archive ingest regolith-report.pdf --date 2016-04 --update-existing"
        " --json",  # a file outside the archive by its name alone
    ]


def test_a_title_is_for_one_file(filled: Collection, run, inbox):
    result = run("ingest", str(inbox), "--title", "One title")
    assert result.exit_code == 2
    assert "--title is for a single file, and 5 files were given" in result.output


def test_removed_bytes_come_back_only_when_asked(filled: Collection, run, inbox):
    notes = next(d for d in filled.indexed() if d.original_name == "notes.txt")
    run("remove", notes.id)
    result = run("ingest", str(inbox), "--json")
    data = json.loads(result.stdout)
    assert (data["added"], data["skipped"], data["unchanged"]) == (0, 1, 4)
    (skipped,) = [f for f in data["files"] if f["status"] == "skipped"]
    assert skipped["message"].endswith(
        f"`isecg-archive restore {notes.id}` brings it back (or ingest it with --restore)"
    )
    assert skipped["message"].startswith("removed on 20")
    restored = json.loads(run("ingest", str(inbox), "--restore", "--json").stdout)
    (back,) = [f for f in restored["files"] if f["status"] == "added"]
    assert (back["id"], back["file"], back["message"]) == (
        notes.id, notes.file, "restored from the trash",
    )  # fmt: skip
    assert filled.archive.read(notes.file).id == notes.id


def test_two_files_with_one_name_are_two_documents(collection: Collection, tmp_path: Path):
    first, second = tmp_path / "a" / "summary.pdf", tmp_path / "b" / "summary.pdf"
    for path, sample in ((first, "regolith-report.pdf"), (second, "gateway-logistics-slides.pdf")):
        path.parent.mkdir()
        path.write_bytes((FILES / sample).read_bytes())
    (one,) = ingest(collection, [first]).outcomes
    (two,) = ingest(collection, [second]).outcomes
    assert (one.status, one.file) == ("added", "summary.pdf")
    assert (two.status, two.file) == ("added", "summary-2.pdf")
    assert two.message == (
        f"added as summary-2.pdf: the archive holds summary.pdf ({one.document_id}); ingest it"
        f" with --replace {one.document_id} to make it a new version of that document instead"
    )
    assert collection.archive.read("summary.pdf").id == one.document_id


def test_a_file_with_nearly_the_same_text_is_proposed_as_a_new_version(
    collection: Collection, tmp_path: Path
):
    words = " ".join(f"paragraph{n} on lunar regolith sintering trials" for n in range(80))
    first, second = tmp_path / "a" / "summary.txt", tmp_path / "b" / "summary.txt"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text(f"Sintering workshop summary\n\n{words}\n")
    second.write_text(f"Sintering workshop summary\n\n{words} One sentence was added.\n")
    (one,) = ingest(collection, [first]).outcomes
    (two,) = ingest(collection, [second]).outcomes
    assert two.file == "summary-2.txt"
    assert two.message.startswith(
        f"added as summary-2.txt: its text is nearly that of summary.txt ({one.document_id});"
        f" ingest it with --replace {one.document_id}"
    )


@pytest.fixture
def start_watch() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start `watch` processes; any still running when the test ends, however, is killed."""
    started: list[subprocess.Popen[str]] = []

    def start(
        archive: Path, inbox: Path, *options: str, sigint: Any = signal.SIG_DFL
    ) -> subprocess.Popen[str]:
        """A watcher as a terminal starts it, Ctrl-C live (SIG_DFL), whatever this suite's own
        SIGINT is (a shell's `&` and nohup ignore it); or with SIGINT ignored."""
        watcher = subprocess.Popen(
            [sys.executable, "-m", "isecg_archive", "--archive", str(archive), "watch",
             str(inbox), "--settle", "1", "--interval", "0.2", *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, sigint),
        )  # fmt: skip
        started.append(watcher)
        return watcher

    yield start
    for watcher in started:
        if watcher.poll() is None:
            watcher.kill()
        watcher.communicate()


def _wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_the_watched_inbox_takes_complete_files_and_survives_a_restart(tmp_path: Path, start_watch):
    archive, inbox = tmp_path / "archive", tmp_path / "inbox"
    watcher = start_watch(archive, inbox)
    _wait_for(lambda: (inbox / "done").is_dir())
    # A file written slowly, in chunks, over about three seconds: taken whole, once.
    with (inbox / "slow.txt").open("w", encoding="utf-8") as handle:
        handle.write("Slow workshop notes\n\n")
        for chunk in range(6):
            handle.write(f"Chunk {chunk} on lunar regolith sintering.\n")
            handle.flush()
            time.sleep(0.5)
    (inbox / "sub").mkdir()
    (inbox / "sub" / "deck.key").write_text("not a format the archive reads")
    _wait_for(lambda: (inbox / "done" / "slow.txt").exists())
    _wait_for(lambda: (inbox / "failed" / "sub" / "deck.key.reason.txt").exists())
    watcher.terminate()  # SIGTERM, as systemd stops a service
    out, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, err
    assert out.splitlines()[0] == f"Watching {inbox} (Ctrl-C to stop)"
    assert f"added: slow.txt -> {inbox / 'done' / 'slow.txt'}" in out
    assert out.splitlines()[-1] == "Stopped watching; files not yet taken stay in the inbox."
    reason = (inbox / "failed" / "sub" / "deck.key.reason.txt").read_text()
    assert reason.startswith("failed: unsupported format .key;")
    collection = Collection(archive)
    (hit,) = collection.search(SearchRequest("sintering")).hits
    assert "Chunk 5 on lunar regolith sintering." in collection.extraction(hit.document).pages[0]

    # Stopped after an ingest but before the file was moved: started again, it is not added
    # twice, only put away.
    (inbox / "again.txt").write_bytes((inbox / "done" / "slow.txt").read_bytes())
    (inbox / "new.txt").write_text("New notes\n\nGateway logistics.\n")
    slow = collection.archive.read(hit.document.file)
    watcher = start_watch(archive, inbox, "--agency", "ESA")  # for new documents only
    _wait_for(lambda: (inbox / "done" / "new.txt").exists())
    _wait_for(lambda: (inbox / "done" / "again.txt").exists())
    watcher.send_signal(signal.SIGINT)  # Ctrl-C
    out, _ = watcher.communicate(timeout=60)
    assert watcher.returncode == 0
    assert "unchanged: again.txt" in out and "added: new.txt" in out
    ingests = [e for e in collection.archive.history.entries() if e.action == "ingest"]
    assert sorted(e.file for e in ingests) == ["new.txt", "slow.txt"]
    assert collection.archive.read(hit.document.file) == slow  # same bytes: no silent edit
    (new,) = [d for d in collection.archive.records() if d.file == "new.txt"]
    assert new.agencies == ("ESA",)
    assert sorted(p.name for p in inbox.iterdir()) == ["done", "failed"]  # sub/ was emptied


def test_a_watcher_started_in_the_background_stops_on_sigterm(tmp_path: Path, start_watch):
    """Started with SIGINT ignored (`watch ... &`, nohup), Ctrl-C cannot reach it: SIGTERM,
    what kill and systemd send, stops it cleanly."""
    archive, inbox = tmp_path / "archive", tmp_path / "inbox"
    watcher = start_watch(archive, inbox, sigint=signal.SIG_IGN)
    _wait_for(lambda: (inbox / "done").is_dir())
    watcher.send_signal(signal.SIGINT)
    with pytest.raises(subprocess.TimeoutExpired):
        watcher.wait(timeout=2)
    watcher.terminate()
    out, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, err
    assert out.splitlines()[-1] == "Stopped watching; files not yet taken stay in the inbox."


def test_the_watched_inbox_takes_no_link_out_of_it_unless_told(tmp_path: Path, start_watch):
    archive, inbox = tmp_path / "archive", tmp_path / "inbox"
    inbox.mkdir()
    private = tmp_path / "private"
    private.mkdir()
    (private / "keys.txt").write_text("Private keys\n\nThe wallet passphrase is sesame.\n")
    (inbox / "notes.txt").write_text("Workshop notes\n\nLunar regolith sintering.\n")
    (inbox / "to-notes.txt").symlink_to(inbox / "notes.txt")  # inside: taken
    (inbox / "keys.txt").symlink_to(private / "keys.txt")
    (inbox / "gone.txt").symlink_to(tmp_path / "nothing-here.txt")
    (inbox / "folder").symlink_to(private, target_is_directory=True)
    watcher = start_watch(archive, inbox)
    _wait_for(lambda: (inbox / "done" / "notes.txt").exists())
    for name in ("keys.txt", "gone.txt", "folder"):
        _wait_for(lambda name=name: (inbox / "failed" / f"{name}.reason.txt").exists())
    watcher.terminate()
    out, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, err
    reasons = {
        name: (inbox / "failed" / f"{name}.reason.txt").read_text().strip()
        for name in ("keys.txt", "gone.txt", "folder")
    }
    assert reasons == {
        "keys.txt": "failed: a link to a file outside the inbox, which is not followed; drop the"
        " file itself, or watch with --follow-links",
        "gone.txt": "failed: a link to nothing; drop the file itself",
        "folder": "failed: a link to a folder, which is not followed; drop the folder itself",
    }
    assert (inbox / "failed" / "keys.txt").is_symlink()  # moved as the link it is
    assert (private / "keys.txt").exists()  # the file it points to left where it is
    collection = Collection(archive)
    assert collection.search(SearchRequest("sesame")).total == 0
    assert collection.search(SearchRequest("sintering")).total == 1

    # Told to, it follows links to files anywhere.
    (inbox / "keys.txt").symlink_to(private / "keys.txt")
    watcher = start_watch(archive, inbox, "--follow-links")
    _wait_for(lambda: (inbox / "done" / "keys.txt").exists())
    watcher.terminate()
    watcher.communicate(timeout=60)
    assert collection.search(SearchRequest("sesame")).total == 1


def test_a_redetection_is_in_the_history_and_the_page_shows_it(filled: Collection, run, client):
    (filled.archive.root / "vocabulary.toml").write_text(
        '[topics.conveyors]\nlabel = "Conveyors"\nstrong = ["conveyor", "conveyor trials"]\n',
        encoding="utf-8",
    )
    report = next(d for d in filled.indexed() if d.original_name == "regolith-report.pdf")
    run("redetect")
    run("edit", report.id, "--date", "2016-04")
    redetected = _history(run, report.id)[1]
    assert (redetected["action"], redetected["before"], redetected["after"]) == (
        "redetect", {"topics": ["lunar-surface"]}, {"topics": ["lunar-surface", "conveyors"]},
    )  # fmt: skip
    assert redetected["command"] == "isecg-archive redetect"
    page = BeautifulSoup(client.get(f"/documents/{report.id}").data, "html.parser")
    lines = [li.get_text(" ", strip=True) for li in page.select("section.history li")]
    assert [line.split(" ", 2)[2] for line in lines] == [
        f"edit: date: 2015-05-12 → 2016-04; manual: none → date isecg-archive edit {report.id}"
        " --date 2016-04",
        "redetect: topics: lunar-surface → lunar-surface, conveyors isecg-archive redetect",
        "ingest",  # by the library itself, not a command
    ]
    correct = page.select("section.history p code")[0].get_text()
    assert correct == f"isecg-archive edit {report.id} --title '{report.title}'"


def _calc(folder: Path, *arguments: str) -> None:
    profile = f"-env:UserInstallation=file://{folder / 'profile'}"
    subprocess.run(
        [programs.libreoffice(programs.CALC) or "soffice", profile, "--headless", *arguments],
        cwd=folder, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def _opened_in_calc(sheet: Path) -> list[list[tuple[str, bool]]]:
    """The sheet as Calc opens it (UTF-8, commas, quotes): each cell's text and whether Calc
    made it a formula."""
    _calc(sheet.parent, "--infilter=CSV:44,34,76,1", "--convert-to", "ods", str(sheet))
    with zipfile.ZipFile(sheet.with_suffix(".ods")) as ods:
        content = etree.fromstring(ods.read("content.xml"))
    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    }
    formula = f"{{{ns['table']}}}formula"
    return [
        [("".join(c.xpath(".//text:p//text()", namespaces=ns)), formula in c.attrib)
         for c in r.xpath("table:table-cell", namespaces=ns)]
        for r in content.xpath("//table:table-row", namespaces=ns)
    ]  # fmt: skip


def _through_calc(sheet: Path) -> Path:
    """The sheet opened in Calc and saved back as CSV (UTF-8): the saved file."""
    _opened_in_calc(sheet)
    _calc(sheet.parent, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
          "--outdir", str(sheet.parent / "saved"), str(sheet.with_suffix(".ods")))  # fmt: skip
    return sheet.parent / "saved" / sheet.name


@needs_calc
def test_the_catalogue_opens_in_libreoffice_calc_and_comes_back_unchanged(
    filled: Collection, run, tmp_path: Path
):
    """Calc reads the sheet as UTF-8 (its import's "Unicode (UTF-8)"), keeps partial dates as
    text and lists in one cell, and what it saves back imports with no change."""
    report = next(d for d in filled.indexed() if d.original_name == "regolith-report.pdf")
    run("edit", report.id, "--author", "Müller, Jürgen", "--event-date", "2016-02")
    sheet = tmp_path / "catalogue.csv"
    run("catalogue", "export", str(sheet))
    saved = _through_calc(sheet)
    _, rows = _sheet(saved)
    row = next(r for r in rows if r["id"] == report.id)
    assert (row["authors"], row["event_date"], row["agencies"]) == (
        "Müller, Jürgen", "2016-02", "DLR; ESA",
    )  # fmt: skip
    result = run("catalogue", "import", str(saved))
    assert result.output == "5 rows read; 0 documents changed\n"


@needs_calc
def test_no_title_runs_as_a_formula_in_calc_and_the_sheet_comes_back_exact(
    filled: Collection, run, tmp_path: Path
):
    """Titles come from PDF metadata nobody here wrote: those a spreadsheet would run are
    written behind a quote (OWASP's advice), in every CSV output (the catalogue, the export,
    search results), and imported back exact."""
    hostile = {
        "regolith-report.pdf": '=HYPERLINK("http://example.com/x","Click")',
        "notes.txt": "+1+1 Müller",
        "news.html": "-2 Überblick",
        "gateway-logistics-slides.pdf": "@SUM(A1)",
        "Überblick Mondmission 2019.md": "'=already quoted",
    }
    by_name = {d.original_name: d for d in filled.indexed()}
    for name, title in hostile.items():
        assert run("edit", by_name[name].id, "--title", title).exit_code == 0
    assert run("edit", by_name["notes.txt"].id, "--internal").exit_code == 0  # a "yes" cell
    catalogue, export = tmp_path / "catalogue.csv", tmp_path / "export.csv"
    run("catalogue", "export", str(catalogue))
    run("export", "--format", "csv", "-o", str(export))
    results = tmp_path / "results.csv"
    results.write_text(run("search", "", "--csv").output)
    for sheet in (catalogue, export, results):
        rows = _opened_in_calc(sheet)
        column = [text for text, _ in rows[0]].index("title")
        assert not any(formula for row in rows for _, formula in row), sheet.name
        titles = sorted(row[column][0] for row in rows[1:])
        assert titles == sorted(["'" + title for title in hostile.values()]), sheet.name
    saved = _through_calc(catalogue)
    assert run("catalogue", "import", str(saved)).output == "5 rows read; 0 documents changed\n"
    assert {d.original_name: d.title for d in Collection(filled.archive.root).indexed()} == hostile
