"""Faults from outside: a read-only archive, a full disk, damaged files in the index folder."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
import zstandard

from isecg_archive.collection import Collection
from isecg_archive.search import SearchRequest

from conftest import DEMO, command


def test_a_read_only_archive_is_searched_with_nothing_written(small_filesystem: Path):
    from isecg_archive.web import create_app

    archive = small_filesystem / "archive"
    shutil.copytree(DEMO, archive)
    Collection(archive).search(SearchRequest("lunar"))  # builds the index
    for kept in (small_filesystem / "index").rglob("readonce-*.pickle"):
        kept.unlink()  # so that a search wants to write it again
    subprocess.run(["mount", "-o", "remount,ro", str(small_filesystem)], check=True)

    found = subprocess.run(
        command(archive, "search", "gateway", "--json"), capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    assert found.stderr == ""
    assert json.loads(found.stdout)["total"] == 6
    facets = subprocess.run(command(archive, "facets", "--json"), capture_output=True, text=True)
    assert facets.returncode == 0, facets.stderr
    client = create_app({"ARCHIVE_DIR": archive}).test_client()
    assert client.get("/?q=gateway").status_code == 200
    assert client.get("/api/search?q=gateway").get_json()["total"] == 6
    document = client.get("/api/search?q=gateway").get_json()["hits"][0]["id"]
    assert client.get(f"/documents/{document}").status_code == 200

    # A write there fails in one line that names the folder and the cause.
    inbox = small_filesystem.parent / "inbox"
    inbox.mkdir()
    (inbox / "notes.txt").write_text("Notes\n\nRegolith.\n")
    refused = subprocess.run(command(archive, "ingest", str(inbox)), capture_output=True, text=True)
    assert refused.returncode == 1
    assert refused.stderr.strip().count("\n") == 0, refused.stderr
    assert "Read-only file system" in refused.stderr
    assert str(small_filesystem / "index") in refused.stderr


def test_a_damaged_cache_entry_is_dropped_and_the_file_read_again(tmp_path: Path):
    archive = tmp_path / "archive"
    shutil.copytree(DEMO, archive)
    collection = Collection(archive)
    hit = collection.search(SearchRequest('"polar volatiles"')).hits[0]
    entry = tmp_path / "index" / "text" / hit.document.sha256[:2]
    entry = entry / f"{hit.document.sha256}.json.zst"
    entry.write_bytes(entry.read_bytes()[:40])  # cut short, as by a full disk or a crash

    shown = subprocess.run(
        command(archive, "show", hit.document.id, "--json"), capture_output=True, text=True
    )
    assert shown.returncode == 0
    assert shown.stderr == (
        f"the cached text {entry} is damaged (decompression error: did not decompress full"
        " frame); it is dropped and the original read again\n"
    )
    assert "polar volatiles" in json.dumps(json.loads(shown.stdout)["pages"]).lower()
    kept = zstandard.ZstdDecompressor().decompress(entry.read_bytes())  # kept again, whole
    assert json.loads(kept)["pages"]
    reindexed = subprocess.run(command(archive, "reindex"), capture_output=True, text=True)
    assert reindexed.returncode == 0 and reindexed.stderr == ""


@pytest.mark.parametrize("damage", ["cut short", "deleted"])
def test_a_damaged_index_segment_is_reported_in_one_line_and_repaired(tmp_path: Path, damage: str):
    archive = tmp_path / "archive"
    shutil.copytree(DEMO, archive)
    Collection(archive).search(SearchRequest("lunar"))
    (segment,) = (tmp_path / "index" / "whoosh").glob("*.seg")
    if damage == "cut short":
        segment.write_bytes(segment.read_bytes()[:1000])
    else:
        segment.unlink()
    generation = (tmp_path / "index" / "whoosh").resolve()

    found = subprocess.run(command(archive, "search", "lunar"), capture_output=True, text=True)
    assert found.returncode == 1
    assert found.stderr.startswith(f"Error: the index in {generation} is damaged (")
    assert found.stderr.endswith("); rebuild it from the archive with `isecg-archive reindex`\n")
    assert found.stderr.count("\n") == 1
    checked = subprocess.run(command(archive, "check"), capture_output=True, text=True)
    assert checked.returncode == 1
    assert checked.stdout.startswith(f"index: the index in {generation} is damaged (")
    repaired = subprocess.run(command(archive, "check", "--repair"), capture_output=True, text=True)
    assert repaired.returncode == 0
    assert repaired.stderr == (
        "repaired: reindexed 27 documents, which mended 1 problem with the index\n"
    )
    assert repaired.stdout == "OK: 27 documents, every original present and indexed\n"


def test_a_full_disk_stops_the_batch_in_one_line_and_leaves_nothing(
    small_filesystem: Path, tmp_path: Path
):
    subprocess.run(["mount", "-o", "remount,size=3m", str(small_filesystem)], check=True)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rng = random.Random(7)
    for n in range(40):  # 6 MB of text that does not compress: more than the disk holds
        words = " ".join("".join(rng.choices("abcdefghij", k=8)) for _ in range(17_000))
        (inbox / f"report-{n:02d}.txt").write_text(f"Report {n}\n\n{words}\n")
    archive = small_filesystem / "archive"

    full = subprocess.run(command(archive, "ingest", str(inbox)), capture_output=True, text=True)
    assert full.returncode == 1
    # Whichever filled the disk first, the copies of the originals or the index's segment.
    folder = full.stderr.removeprefix("Error: cannot write in ").split(": No space", 1)[0]
    assert folder in (str(archive / "inbox"), str(small_filesystem / "index"))
    assert full.stderr == (
        f"Error: cannot write in {folder}: No space left on device; free some space"
        " or check the folder's permissions, then run the command again (what was not"
        " finished was undone)\n"
    )
    left = [p for p in small_filesystem.rglob("*") if p.name.endswith((".partial", ".tmp"))]
    assert left == []
    check = subprocess.run(command(archive, "check"), capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
