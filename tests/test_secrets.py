"""No secret and no path of this machine anywhere a reader can see: history keeps that a
password was given, never which, and names files by their place in the archive or their name."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup

from isecg_archive.outputs.exporting import FORMATS
from isecg_archive.web import create_app

from conftest import FILES, command

PASSWORD = "secret"  # the user password of encrypted.pdf


def every_page(client, document_id: str) -> dict[str, bytes]:
    """Every route a reader of the viewer reaches, by its address: its body."""
    routes = [
        "/",
        "/?q=regolith",
        "/syntax",
        f"/documents/{document_id}",
        f"/documents/{document_id}/file",
        f"/api/documents/{document_id}",
        "/api/search?q=regolith",
        "/feed.atom",
        "/events",
        "/oai?verb=Identify",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/oai?verb=ListRecords&metadataPrefix=datacite",
        *(f"/documents/{document_id}/cite.{e}" for e in ("bib", "ris", "json")),
        *(f"/export?q=regolith&format={name}" for name in FORMATS),
    ]
    pages = {}
    for route in routes:
        response = client.get(route)
        assert response.status_code == 200, (route, response.status_code)
        pages[route] = response.get_data()
        response.close()
    return pages


def test_a_password_and_the_local_path_are_in_no_page_file_or_history(tmp_path: Path):
    archive = tmp_path / "archive"
    inbox = tmp_path / "private-folder-of-ann"
    inbox.mkdir()
    shutil.copy(FILES / "encrypted.pdf", inbox / "encrypted.pdf")
    ingested = subprocess.run(
        command(archive, "ingest", str(inbox / "encrypted.pdf"), "--password", PASSWORD),
        capture_output=True,
        text=True,
    )
    assert ingested.returncode == 0, ingested.stderr
    assert ingested.stdout.startswith("1 added, 0 updated, 0 unchanged, 0 failed")

    shown = subprocess.run(
        command(archive, "history", "--json"), capture_output=True, text=True, check=True
    )
    (entry,) = json.loads(shown.stdout)["history"]
    # What a reader needs: which file, and that it was opened with a password.
    assert entry["command"] == "isecg-archive ingest encrypted.pdf --password '(given)'"

    client = create_app({"ARCHIVE_DIR": archive, "TESTING": True}).test_client()
    (hit,) = client.get("/api/search?q=regolith").get_json()["hits"]
    pages = every_page(client, hit["id"])
    files = {
        path: path.read_bytes()
        for path in (*archive.rglob("*"), *(tmp_path / "index").rglob("*"))
        if path.is_file() and path.name != "encrypted.pdf"  # the original, kept as it came
    }
    assert files, "the archive and its index hold files"
    for place, body in [*pages.items(), *files.items(), ("history", shown.stdout.encode())]:
        assert PASSWORD.encode() not in body, place
        assert str(inbox).encode() not in body, place
        assert str(tmp_path).encode() not in body, place


def test_check_repair_takes_secrets_out_of_an_older_history(tmp_path: Path):
    archive = tmp_path / "archive"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FILES / "notes.txt", inbox / "notes.txt")
    subprocess.run(command(archive, "ingest", str(inbox)), capture_output=True, check=True)
    history = archive / ".history.jsonl"
    (line,) = history.read_text("utf-8").splitlines()
    entry = json.loads(line)
    # As an older version wrote it: the whole command line, password and path included.
    entry["command"] = f"isecg-archive ingest /home/ann/inbox/notes.txt --password {PASSWORD}"
    history.write_text(json.dumps(entry) + "\n", encoding="utf-8")

    checked = subprocess.run(command(archive, "check"), capture_output=True, text=True)
    assert checked.returncode == 1
    assert (
        "history: 1 line of the history keeps a password or a path of this machine (written by"
        " an older version); `check --repair` takes them out\n"
    ) in checked.stdout, checked.stdout
    # Until it is repaired, nothing shows them: history cleans the lines it reads.
    shown = subprocess.run(command(archive, "history"), capture_output=True, text=True)
    assert PASSWORD not in shown.stdout and "/home/ann" not in shown.stdout
    client = create_app({"ARCHIVE_DIR": archive, "TESTING": True}).test_client()
    page = client.get(f"/documents/{entry['id']}").get_data(as_text=True)
    history_shown = BeautifulSoup(page, "html.parser").select("section.history li")
    assert (
        history_shown[0]
        .get_text(" ", strip=True)
        .endswith("ingest isecg-archive ingest notes.txt --password '(given)'")
    )
    assert PASSWORD not in page and "/home/ann" not in page

    repaired = subprocess.run(command(archive, "check", "--repair"), capture_output=True, text=True)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert (
        repaired.stderr == "repaired: took passwords and local paths out of 1 line of the history\n"
    )
    (line,) = history.read_text("utf-8").splitlines()
    assert json.loads(line)["command"] == "isecg-archive ingest notes.txt --password '(given)'"
    assert {**json.loads(line), "command": entry["command"]} == entry  # the rest kept as it was
    again = subprocess.run(command(archive, "check"), capture_output=True, text=True)
    assert again.returncode == 0, again.stdout
