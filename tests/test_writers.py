"""One writer at a time: real processes racing for the archive and its index."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from isecg_archive.collection import Collection
from isecg_archive.search import SearchRequest
from isecg_archive.storage.locking import writer_lock

from conftest import DEMO, FILES, GOOD_FILES, command


def documents(archive: Path) -> int:
    collection = Collection(archive)
    return collection.search(SearchRequest("")).total


def test_an_ingest_racing_a_reindex_loses_nothing(tmp_path: Path, inbox: Path):
    archive = tmp_path / "archive"
    shutil.copytree(DEMO, archive)
    before = documents(archive)  # 25 demo documents, indexed
    reindex = subprocess.Popen(command(archive, "reindex"), stdout=subprocess.DEVNULL)
    ingest = subprocess.run(command(archive, "ingest", str(inbox)), capture_output=True, text=True)
    assert reindex.wait(timeout=300) == 0
    assert ingest.returncode == 0, ingest.stderr
    assert f"{len(GOOD_FILES)} added" in ingest.stdout

    assert documents(archive) == before + len(GOOD_FILES)
    check = subprocess.run(command(archive, "check"), capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_a_second_writer_waits_for_the_first_or_gives_up(tmp_path: Path):
    archive = tmp_path / "archive"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FILES / "notes.txt", inbox)
    Collection(archive).ensure_index()
    lock = writer_lock(tmp_path / "index")
    with lock.hold():
        # With --wait, it gives up after that long: status 1, nothing written.
        late = subprocess.run(
            command(archive, "--wait", "0.5", "ingest", str(inbox)), capture_output=True, text=True
        )
        assert late.returncode == 1
        waited, error = late.stderr.strip().splitlines()
        assert waited.startswith("waiting for another isecg-archive process (pid ")
        assert error.startswith("Error: another isecg-archive process (pid ")
        assert error.endswith(
            "is writing to the archive; try again when it has finished, or give it time with"
            " --wait SECONDS"
        )
        assert not list(archive.glob("sources/*"))

        # Without, it says whom it waits for and goes on when the first has finished.
        waiting = subprocess.Popen(
            command(archive, "ingest", str(inbox)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert waiting.stderr is not None
        line = waiting.stderr.readline()
        assert line.startswith("waiting for another isecg-archive process (pid ")
        assert waiting.poll() is None
    out, _ = waiting.communicate(timeout=120)
    assert waiting.returncode == 0
    assert "1 added" in out
    assert documents(archive) == 1


def test_the_lock_is_free_again_after_a_writer_is_killed(tmp_path: Path):
    archive = tmp_path / "archive"
    archive.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from isecg_archive.storage.locking import writer_lock;"
            "lock = writer_lock(Path(sys.argv[1]));"
            "held = lock.hold(); held.__enter__(); print('held', flush=True); time.sleep(600)",
            str(tmp_path / "index"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    busy = subprocess.run(
        command(archive, "--wait", "0", "reindex"), capture_output=True, text=True
    )
    assert busy.returncode == 1
    assert busy.stderr == (
        f"Error: another isecg-archive process (pid {holder.pid}: isecg-archive) is writing"
        " to the archive; try again when it has finished, or give it time with --wait SECONDS\n"
    )
    holder.kill()  # as kill -9: the system frees the lock with the process
    holder.communicate()
    done = subprocess.run(command(archive, "--wait", "0", "reindex"), capture_output=True)
    assert done.returncode == 0


def test_the_viewer_serves_the_old_index_while_a_reindex_runs(tmp_path: Path):
    from isecg_archive.web import create_app

    archive = tmp_path / "archive"
    shutil.copytree(DEMO, archive)
    app = create_app({"ARCHIVE_DIR": archive, "KEEP_SEARCHERS": True, "TESTING": True})
    waited: list[str] = []
    app.extensions["isecg_collection"].on_wait = waited.append
    client = app.test_client()
    assert client.get("/api/search?q=gateway").get_json()["total"] == 6

    answers = []
    for _ in range(3):  # three swaps, each while searches go on
        reindex = subprocess.Popen(command(archive, "reindex"), stdout=subprocess.DEVNULL)
        while reindex.poll() is None:
            response = client.get("/api/search?q=gateway")
            answers.append((response.status_code, response.get_json()["total"]))
        assert reindex.returncode == 0
    assert len(answers) > 10
    assert set(answers) == {(200, 6)}
    assert waited == []  # no search had to wait for the reindex to finish
    assert client.get("/api/search?q=gateway").get_json()["total"] == 6
    app.extensions["isecg_collection"].close()
    generations = sorted(p.name for p in (tmp_path / "index").glob("whoosh.*"))
    assert generations == ["whoosh.3", "whoosh.4"]  # the one in force and the one before it


def _wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the moment to kill never came"
        time.sleep(0.01)


@pytest.mark.parametrize("moment", ["reading", "committing", "rebuilding"])
def test_the_next_command_repairs_what_a_kill_9_left(tmp_path: Path, moment: str):
    archive, index = tmp_path / "archive", tmp_path / "index"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(400):
        (inbox / f"note-{n:03d}.txt").write_text(f"Note {n}\n\nRegolith sample {n}.\n")
    records = lambda: len(list(archive.rglob("*.meta.json")))  # noqa: E731
    if moment == "rebuilding":
        subprocess.run(command(archive, "ingest", str(inbox)), check=True, capture_output=True)
        writer = subprocess.Popen(command(archive, "reindex"), stdout=subprocess.DEVNULL)
        _wait_for(lambda: (index / "whoosh.2").exists())
    else:
        writer = subprocess.Popen(command(archive, "ingest", str(inbox)), stdout=subprocess.DEVNULL)
        lock = index / "writer.lock"
        if moment == "reading":  # the lock taken, the files being read, nothing archived yet
            _wait_for(lambda: lock.exists() and lock.read_text().strip() != "")
        else:  # originals and records written, the index not yet committed
            _wait_for(lambda: records() > 20)
    writer.kill()  # as kill -9: nothing of the writer's own cleanup runs
    writer.wait()
    assert (index / "writer.lock").read_text().startswith(f"pid {writer.pid}: isecg-archive")

    found = subprocess.run(
        command(archive, "search", "regolith", "--json"), capture_output=True, text=True
    )
    assert found.returncode == 0
    said = found.stderr.splitlines()
    assert said[0] == (
        f"the last writer (pid {writer.pid}: isecg-archive"
        f" {'reindex' if moment == 'rebuilding' else 'ingest'}) stopped without finishing;"
        " repairing"
    )
    kept = records()
    if moment == "committing":  # the files archived since the last commit: undone, whole
        undone = "repaired: undid the unfinished ingest of a stopped command ("
        assert [line for line in said if line.startswith(undone)] != [], said
        assert kept == 0
    if moment == "rebuilding":
        assert f"repaired: removed {index / 'whoosh.2'}, an index no search reads" in said
        assert kept == 400
    assert json.loads(found.stdout)["total"] == kept
    check = subprocess.run(command(archive, "check"), capture_output=True, text=True)
    assert check.stdout == f"OK: {kept} documents, every original present and indexed\n"
    assert (index / "writer.lock").read_text() == ""
    # And the interrupted batch finishes when it is given again.
    again = subprocess.run(command(archive, "ingest", str(inbox)), capture_output=True)
    assert again.returncode == 0
    assert records() == 400


def test_sigterm_stops_an_ingest_as_ctrl_c_does(tmp_path: Path):
    archive, index = tmp_path / "archive", tmp_path / "index"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(400):
        (inbox / f"note-{n:03d}.txt").write_text(f"Note {n}\n\nRegolith sample {n}.\n")
    writer = subprocess.Popen(
        command(archive, "ingest", str(inbox)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(lambda: len(list(archive.rglob("*.meta.json"))) > 20)
    writer.terminate()  # SIGTERM, as a service manager or `kill` sends it
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 1
    assert err == "\nAborted!\n"  # as after Ctrl-C; no traceback, from the workers either
    assert (index / "writer.lock").read_text() == ""  # stopped cleanly: nothing to repair
    kept = len(list(archive.rglob("*.meta.json")))  # what was committed stays, the rest undone
    check = subprocess.run(command(archive, "check"), capture_output=True, text=True)
    assert check.stdout == f"OK: {kept} documents, every original present and indexed\n"
    assert check.stderr == ""
