"""Control characters (NUL, BEL, ESC...) at every entrance: refused from a person, taken out of
a file's metadata; and whatever a record holds, every XML output stays well-formed and the
terminal never receives an escape code."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import feedparser
from lxml import etree
from pypdf import PdfReader, PdfWriter

from isecg_archive.web import create_app

from conftest import FILES, command

HOSTILE = "Gateway\x1b[2J\x1b[31m plan\x07\x00 \x9b1m"
TYPED = HOSTILE.replace("\x00", "")  # a command line cannot hold a NUL


def cli(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(archive, *args), capture_output=True, text=True)


def archived_notes(tmp_path: Path) -> tuple[Path, Path]:
    """An archive holding one text file, and the inbox it came from."""
    archive, inbox = tmp_path / "archive", tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "notes.txt").write_text("Workshop notes\n\nLunar regolith.\n", encoding="utf-8")
    assert cli(archive, "ingest", str(inbox)).returncode == 0
    return archive, inbox


def test_a_person_s_control_characters_are_refused_in_one_line(tmp_path: Path):
    archive, inbox = archived_notes(tmp_path)
    (document,) = json.loads(cli(archive, "search", "regolith", "--json").stdout)["hits"]

    edited = cli(archive, "edit", document["id"], "--title", TYPED)
    assert edited.returncode == 2  # as any value the command refuses
    assert edited.stderr == (
        "Error: the title 'Gateway\\x1b[2J\\x1b[31m plan\\x07 \\x9b1m' holds a control"
        " character (U+001B); take it out and give the value again\n"
    )
    assert "\x1b" not in edited.stderr

    sheet = tmp_path / "catalogue.csv"
    assert cli(archive, "catalogue", "export", str(sheet)).returncode == 0
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["authors"] = "Smith, Jane\x07; ISECG"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    imported = cli(archive, "catalogue", "import", str(sheet))
    assert imported.returncode == 1
    assert imported.stderr == (
        "row 2, column authors: the authors 'Smith, Jane\\x07' holds a control character"
        " (U+0007); take it out and give the value again\n"
        f"Error: 1 problem in {sheet}; nothing was applied. Fix them and import again.\n"
    )
    assert json.loads(cli(archive, "show", document["id"], "--json").stdout)["document"][
        "title"
    ] == ("Workshop notes")  # nothing changed

    ingested = cli(archive, "ingest", str(inbox / "notes.txt"), "--title", "Notes\x1b")
    assert ingested.returncode != 0
    assert "holds a control character (U+001B)" in ingested.stderr


def test_a_file_s_control_characters_are_taken_out(tmp_path: Path):
    writer = PdfWriter(clone_from=PdfReader(FILES / "regolith-report.pdf"))
    writer.add_metadata({"/Title": HOSTILE, "/Author": "Ann\x1b[1m Lee\x07"})
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with (inbox / "hostile.pdf").open("wb") as handle:
        writer.write(handle)
    archive = tmp_path / "archive"
    assert cli(archive, "ingest", str(inbox)).returncode == 0
    (hit,) = json.loads(cli(archive, "search", "regolith", "--json").stdout)["hits"]
    shown = json.loads(cli(archive, "show", hit["id"], "--json").stdout)["document"]
    # (0x9B is "›" in the PDF's own encoding: a character, not a control.)
    assert shown["title"] == "Gateway [2J [31m plan ›1m"
    assert shown["authors"] == ["Ann [1m Lee"]


def test_whatever_a_record_holds_xml_is_well_formed_and_the_terminal_safe(tmp_path: Path):
    archive, _ = archived_notes(tmp_path)
    # A record edited by hand, or written by another program, holding every control there is.
    (record,) = archive.rglob("*.meta.json")
    data = json.loads(record.read_text("utf-8"))
    data["title"] = HOSTILE
    data["event"] = "Workshop\x00\x1b"
    record.write_text(json.dumps(data), encoding="utf-8")
    assert cli(archive, "reindex").returncode == 0

    client = create_app({"ARCHIVE_DIR": archive, "TESTING": True}).test_client()
    for route in (
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/feed.atom",
    ):
        body = client.get(route).get_data()
        tree = etree.fromstring(body)  # raises on XML that is not well-formed
        assert b"\x1b" not in body and b"&#27;" not in body, route
        assert "Gateway[2J[31m plan 1m" in "".join(tree.itertext()), route
    feed = feedparser.parse(client.get("/feed.atom").get_data())
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].title == "Gateway[2J[31m plan 1m"

    (hit,) = json.loads(cli(archive, "search", "regolith", "--json").stdout)["hits"]
    for args in (["show", hit["id"]], ["search", "regolith"], ["history"]):
        shown = cli(archive, *args)
        assert shown.returncode == 0, shown.stderr
        assert not any(c in shown.stdout for c in "\x00\x07\x1b\x9b"), args
